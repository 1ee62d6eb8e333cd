"""What a consolidated paragraph owes to whom: pure, no I/O.

A version stores the raw facts of each paragraph (every room's proposal, every amendment with
its room's decision and votes, the organisers' edits). Which of them the paragraph's text
actually adopts is derived here from the texts, so that a resolution or an editorial change
can never leave an overruled room or amendment credited: a room's change counts as adopted
only where its edits are in the final text, support is counted only for the amendments that
are, and words that no room proposed are the organisers' own."""
from __future__ import annotations

from collections import Counter

from consult.consolidation.merge import Edit, contains, edits
from consult.i18n import N_, _
from consult.textdiff import DELETE, EQUAL, INSERT, tokens, word_diff

# An author's name in change marks; translated where it is written (gettext on the value).
ORGANISERS = N_("The organisers")


def _applied(words: list[str], edit: Edit) -> list[str]:
    return [*words[:edit.start], *edit.replacement, *words[edit.end:]]


def adoption(base: str | None, final: str | None, proposals: list[dict]) -> tuple[dict[int, str], bool]:
    """For each proposing room: "yes", "partly" or "no"; and whether the final text holds
    wording no room proposed. final None means the paragraph is deleted. A room's change is
    adopted where the final text contains it; judged on texts, not on how a diff aligned them,
    so that repeated words cannot misattribute."""
    if final is None:
        return {p["room_id"]: "yes" if p["deleted"] else "no" for p in proposals}, False
    if base is None:     # an inserted paragraph: only the rooms that inserted this text
        kept = {p["room_id"]: "yes" if p["text"] == final else "partly" for p in proposals if not p["deleted"]}
        return kept, all(v != "yes" for v in kept.values())
    words, last = tokens(base), tokens(final)
    organisers = _organisers_wrote(words, last, [tokens(p["text"]) for p in proposals if not p["deleted"]])
    result = {}
    for p in proposals:
        if p["deleted"]:
            result[p["room_id"]] = "no"
            continue
        theirs = tokens(p["text"])
        if contains(words, theirs, last):
            result[p["room_id"]] = "yes"
            continue
        # Not all of it: is any single change of the room's in the final text, or, where the
        # organisers reworded, are the words it wrote still there?
        changes = edits(words, theirs)
        some = any(contains(words, _applied(words, e), last) for e in changes) or organisers and any(
            _words_kept("".join(e.replacement), final) for e in changes if e.replacement)
        result[p["room_id"]] = "partly" if some else "no"
    return result, organisers


def _organisers_wrote(base: list[str], final: list[str], rooms: list[list[str]]) -> bool:
    """Whether the final text brings in words, or drops words, that no room did."""
    before, after = Counter(t.rstrip() for t in base if t.strip()), Counter(t.rstrip() for t in final if t.strip())
    added, dropped = Counter(), Counter()
    for room in rooms:
        theirs = Counter(t.rstrip() for t in room if t.strip())
        added += theirs - before      # rooms that add the same word independently add it twice
        dropped += before - theirs
    return bool((after - before) - added) or bool((before - after) - dropped)


def _words_kept(proposed: str, final: str) -> bool:
    """Every word the room wrote is in the organisers' rewording of the place, in order."""
    mine = [t for t in tokens(proposed) if t.strip()]
    theirs = iter(t for t in tokens(final) if t.strip())
    return bool(mine) and all(word in theirs for word in mine)


def _reason(p: dict, status: str, outcome: dict[int, str], names: dict[int, str], organisers: bool) -> str:
    if status == "conflict":
        return _("in conflict, not yet resolved")
    winners = [names[r] for r, v in outcome.items() if v != "no" and r != p["room_id"]]
    if winners:
        return _("lost a conflict to %(rooms)s", rooms=", ".join(winners))
    if status == "deleted":
        return _("the paragraph was deleted")
    return _("replaced by the organisers' wording") if organisers else _("not in the final text")


def describe(p: dict) -> dict:
    """The provenance of one paragraph as shown everywhere: rooms and amendments adopted and
    overruled (with why), support behind the adopted text only, the organisers' own wording."""
    raw = p.get("provenance") or {}
    proposals = p.get("proposals") or []
    names = {q["room_id"]: q["room_name"] for q in proposals}
    if p["status"] == "conflict":
        outcome, organisers = {q["room_id"]: "pending" for q in proposals}, False
    else:
        outcome, organisers = adoption(p.get("base_text"), p.get("text"), proposals)
    rooms = [{"room_id": q["room_id"], "room_name": q["room_name"], "adopted": outcome.get(q["room_id"], "no"),
              "proposed": "deletion" if q["deleted"] else "text",
              "reason": "" if outcome.get(q["room_id"]) in ("yes", "partly")
              else _reason(q, p["status"], outcome, names, organisers)} for q in proposals]
    by_room = {r["room_id"]: r for r in rooms}
    adopted, not_adopted = [], []
    for a in raw.get("amendments", []):
        room = by_room.get(a["room_id"])
        if a.get("status", "accepted") == "rejected":
            # The rapporteur's own full stop goes: every reader of the reason ends the sentence.
            said = (a.get("decision_reason") or "").rstrip(". ") or _("no reason given")
            not_adopted.append(dict(a, reason=_("rejected in the room: %(why)s", why=said)))
        elif room is None:
            # Accepted in the room, but the room's text no longer carries it (a later edit there).
            not_adopted.append(dict(a, reason=_("no longer in the room's text")))
        elif room["adopted"] in ("yes", "partly"):
            adopted.append(dict(a, adopted=room["adopted"]))
        else:
            not_adopted.append(dict(a, reason=room["reason"]))
    support = {k: sum(a["tally"][k] for a in adopted) for k in ("agree", "disagree", "abstain")}
    edited = p.get("edits") or []
    wording = None
    if organisers or edited or (p.get("resolution") or {}).get("choice") == "custom":
        wording = _("edited by the organisers") if edited else _("the organisers' own wording")
    return {"rooms": rooms, "adopted_rooms": [r["room_name"] for r in rooms if r["adopted"] in ("yes", "partly")],
            "amendments": adopted, "not_adopted": not_adopted, "support": dict(support, amendments=len(adopted)),
            "organisers": wording, "edits": edited, "comments": raw.get("comments", []),
            "reactions": raw.get("reactions"), "base_number": p.get("base_number", p.get("number"))}


def change_authors(base: str | None, final: str | None, proposals: list[dict]) -> list[tuple[int, str, str]]:
    """The final text against the base as (op, text, author) runs, op from textdiff (0 equal,
    -1 deleted, 1 inserted); a change is attributed to every room whose text makes it, else
    to the organisers."""
    if final is None:
        who = "; ".join(q["room_name"] for q in proposals if q["deleted"]) or _(ORGANISERS)
        return [(DELETE, base or "", who)]
    if base is None:
        who = "; ".join(q["room_name"] for q in proposals if q["text"] == final) or _(ORGANISERS)
        return [(INSERT, final, who)]
    # The paragraph is kept, so a room that proposed deleting all of it made none of these
    # changes: words dropped that no room's text drops are the organisers' doing.
    room_diffs = [(q["room_name"], word_diff(base, q["text"])) for q in proposals if not q["deleted"]]
    out = []
    for op, text in word_diff(base, final):
        if op == EQUAL:
            out.append((op, text, ""))
            continue
        who = [name for name, diff in room_diffs if any(o == op and text.strip() in t for o, t in diff)]
        out.append((op, text, "; ".join(who) or _(ORGANISERS)))
    return out
