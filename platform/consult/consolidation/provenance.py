"""What a consolidated paragraph owes to whom: pure, no I/O.

A version stores the raw facts of each paragraph (every room's proposal, every amendment with
its room's decision and votes, the organisers' edits). Which of them the paragraph's text
actually adopts is derived here from the texts, so that a resolution or an editorial change
can never leave an overruled room or amendment credited: a room's change counts as adopted
only where its edits are in the final text, support is counted only for the amendments that
are, and words that no room proposed are the organisers' own."""
from __future__ import annotations

import itertools

from consult.consolidation.merge import Edit, edits
from consult.textdiff import DELETE, EQUAL, INSERT, tokens, word_diff

ORGANISERS = "The organisers"
MAX_CHOICES = 256          # combinations tried to explain one changed region by the rooms' edits


def _inside(outer: Edit, inner: Edit) -> bool:
    if inner.start == inner.end:
        return outer.start <= inner.start <= outer.end
    return outer.start <= inner.start and inner.end <= outer.end


def _overlap(a: Edit, b: Edit) -> bool:
    """Two edits that cannot both apply: an insertion at a replacement's edge still can."""
    if a.start == a.end and b.start == b.end:
        return a.start == b.start
    if a.start == a.end:
        return b.start < a.start < b.end
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def _rebuild(words: list[str], region: Edit, chosen: list[Edit]) -> str:
    out, position = [], region.start
    for e in sorted(chosen, key=lambda e: (e.start, e.end)):
        out.append("".join(words[position:e.start]))
        out.append(e.replacement)
        position = e.end
    out.append("".join(words[position:region.end]))
    return "".join(out)


def _explain(words: list[str], region: Edit, candidates: list[Edit]) -> set[Edit] | None:
    """The rooms' edits that together give this changed region of the final text, or None
    when no combination of them does (the organisers wrote it)."""
    groups: list[list[Edit]] = []
    for e in candidates:
        group = next((g for g in groups if any(_overlap(e, other) for other in g)), None)
        if group is None:
            groups.append([e])
        else:
            group.append(e)
    options = [[None, *g] for g in groups]
    tried = 0
    for combination in itertools.product(*options):
        tried += 1
        if tried > MAX_CHOICES:
            return None
        chosen = [e for e in combination if e is not None]
        if any(_overlap(a, b) for a, b in itertools.combinations(chosen, 2)):
            continue
        if _rebuild(words, region, chosen) == region.replacement:
            return set(chosen)
    return None


def adoption(base: str | None, final: str | None, proposals: list[dict]) -> tuple[dict[int, str], bool]:
    """For each proposing room: "yes", "partly" or "no"; and whether the final text holds
    wording no room proposed. final None means the paragraph is deleted."""
    if final is None:
        return {p["room_id"]: "yes" if p["deleted"] else "no" for p in proposals}, False
    if base is None:     # an inserted paragraph: only the rooms that inserted this text
        kept = {p["room_id"]: "yes" if p["text"] == final else "partly" for p in proposals if not p["deleted"]}
        return kept, all(v != "yes" for v in kept.values())
    words = tokens(base)
    by_room = {p["room_id"]: ([] if p["deleted"] else edits(base, p["text"])) for p in proposals}
    every = sorted({e for room_edits in by_room.values() for e in room_edits}, key=lambda e: (e.start, e.end))
    used: set[Edit] = set()
    touched: set[Edit] = set()     # reworded by the organisers, but the room's words are still there
    organisers = False
    for region in edits(base, final):
        inside = [e for e in every if _inside(region, e)]
        found = _explain(words, region, inside)
        if found is None:
            organisers = True
            touched |= {e for e in inside if _words_kept(e.replacement, region.replacement)}
        else:
            used |= found
    result = {}
    for p in proposals:
        mine = by_room[p["room_id"]]
        hits = sum(e in used for e in mine)
        partial = hits or any(e in touched for e in mine)
        result[p["room_id"]] = ("no" if p["deleted"] or not partial else "yes" if hits == len(mine) else "partly")
    return result, organisers


def _words_kept(proposed: str, final: str) -> bool:
    """Every word the room wrote is in the organisers' rewording of the place, in order."""
    mine = [t for t in tokens(proposed) if t.strip()]
    theirs = iter(t for t in tokens(final) if t.strip())
    return bool(mine) and all(word in theirs for word in mine)


def _reason(p: dict, status: str, outcome: dict[int, str], names: dict[int, str], organisers: bool) -> str:
    if status == "conflict":
        return "in conflict, not yet resolved"
    winners = [names[r] for r, v in outcome.items() if v != "no" and r != p["room_id"]]
    if winners:
        return f"lost a conflict to {', '.join(winners)}"
    if status == "deleted":
        return "the paragraph was deleted"
    return "replaced by the organisers' wording" if organisers else "not in the final text"


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
            not_adopted.append(dict(a, reason=f"rejected in the room: {a.get('decision_reason') or 'no reason given'}"))
        elif room is None:
            # Accepted in the room, but the room's text no longer carries it (a later edit there).
            not_adopted.append(dict(a, reason="no longer in the room's text"))
        elif room["adopted"] in ("yes", "partly"):
            adopted.append(dict(a, adopted=room["adopted"]))
        else:
            not_adopted.append(dict(a, reason=room["reason"]))
    support = {k: sum(a["tally"][k] for a in adopted) for k in ("agree", "disagree", "abstain")}
    edited = p.get("edits") or []
    wording = None
    if organisers or edited or (p.get("resolution") or {}).get("choice") == "custom":
        wording = "edited by the organisers" if edited else "the organisers' own wording"
    return {"rooms": rooms, "adopted_rooms": [r["room_name"] for r in rooms if r["adopted"] in ("yes", "partly")],
            "amendments": adopted, "not_adopted": not_adopted, "support": dict(support, amendments=len(adopted)),
            "organisers": wording, "edits": edited, "comments": raw.get("comments", []),
            "reactions": raw.get("reactions"), "base_number": p.get("base_number", p.get("number"))}


def change_authors(base: str | None, final: str | None, proposals: list[dict]) -> list[tuple[int, str, str]]:
    """The final text against the base as (op, text, author) runs, op from textdiff (0 equal,
    -1 deleted, 1 inserted); a change is attributed to every room whose text makes it, else
    to the organisers."""
    if final is None:
        who = "; ".join(q["room_name"] for q in proposals if q["deleted"]) or ORGANISERS
        return [(DELETE, base or "", who)]
    if base is None:
        who = "; ".join(q["room_name"] for q in proposals if q["text"] == final) or ORGANISERS
        return [(INSERT, final, who)]
    room_diffs = [(q["room_name"], word_diff(base, q["text"])) for q in proposals if not q["deleted"]]
    deleted_by = [q["room_name"] for q in proposals if q["deleted"]]
    out = []
    for op, text in word_diff(base, final):
        if op == EQUAL:
            out.append((op, text, ""))
            continue
        who = [name for name, diff in room_diffs if any(o == op and text.strip() in t for o, t in diff)]
        if op == DELETE and not who:
            who = deleted_by
        out.append((op, text, "; ".join(who) or ORGANISERS))
    return out
