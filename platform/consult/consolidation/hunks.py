"""Conflict hunks as a consolidated version stores them: pure functions over its JSON.

A paragraph in conflict keeps the merged text as `segments`, plain pieces and references to
`hunks`; each hunk is the smallest region in dispute, with its alternatives (each with the
rooms behind it) and, once the organisers chose, its resolution. The paragraph's text is
known when every hunk is resolved."""
from __future__ import annotations

from collections.abc import Sequence

from consult.consolidation.merge import Hunk, Segment
from consult.errors import Invalid
from consult.i18n import _
from consult.version_notes import choice_in_words

KEEP_BASE = "base"
CUSTOM = "custom"


def serialised(segments: Sequence[Segment], names: dict[int, str]) -> dict:
    """segments and hunks as JSON; empty lists for a paragraph without conflict."""
    out_segments, out_hunks = [], []
    if not any(isinstance(s, Hunk) for s in segments):
        return {"segments": [], "hunks": []}
    for s in segments:
        if isinstance(s, str):
            out_segments.append({"text": s})
            continue
        hunk_id = f"h{len(out_hunks) + 1}"
        out_segments.append({"hunk": hunk_id})
        out_hunks.append({"id": hunk_id, "base": s.base, "resolution": None, "alternatives": [
            {"id": f"a{i}", "text": a.text, "deletes_paragraph": a.text is None, "rooms": a.rooms,
             "room_names": [names[r] for r in a.rooms],
             "variants": [dict(v, room_names=[names[r] for r in v["rooms"]]) for v in a.variants]}
            for i, a in enumerate(s.alternatives, start=1)]})
    return {"segments": out_segments, "hunks": out_hunks}


def open_hunks(p: dict) -> list[dict]:
    return [h for h in p.get("hunks") or [] if h["resolution"] is None]


def choose(p: dict, hunk_id: str, choice: str, text: str | None) -> tuple[str | None, str]:
    """The words a choice puts in place of a hunk (None: the paragraph goes), and a phrase
    saying what was chosen."""
    hunk = next((h for h in p.get("hunks") or [] if h["id"] == hunk_id), None)
    if hunk is None:
        raise Invalid(_("That paragraph has no such conflict."), {"hunk": _("No such conflict here.")})
    if hunk["resolution"] is not None:
        raise Invalid(_("That conflict is resolved already."), {"hunk": _("Resolved already.")})
    if choice == KEEP_BASE:
        return hunk["base"], chosen(hunk, choice)
    if choice == CUSTOM:
        words = (text or "").strip()
        if not words:
            raise Invalid(_("Write the words that replace this conflict."), {"text": _("Required.")})
        # The hunk's own trailing space keeps it apart from the words that follow.
        tail = _tail(hunk["base"] or next((a["text"] for a in hunk["alternatives"] if a["text"]), ""))
        return words + tail, chosen(hunk, choice)
    alternative = next((a for a in hunk["alternatives"] if a["id"] == choice), None)
    if alternative is None:
        raise Invalid(_("Choose one of the alternatives, keep the original or write new words."),
                      {"choice": _("Unknown choice.")})
    return alternative["text"], chosen(hunk, choice)


def chosen(hunk: dict, choice: str) -> str:
    """A hunk's choice in words: the version's note says it, and so does the workbook when the
    organisers left no note of their own (never the stored code, "a1" or "custom")."""
    if choice == KEEP_BASE:
        return "kept the original wording"
    if choice == CUSTOM:
        return "wrote new words"
    alternative = next((a for a in hunk["alternatives"] if a["id"] == choice), None)
    return "took the wording of " + ", ".join(alternative["room_names"]) if alternative else choice


def chosen_for_paragraph(p: dict, choice: str) -> str:
    """A whole-paragraph choice in words ("room:<id>", "delete" or "custom")."""
    if choice == "delete":
        return "deleted the paragraph"
    if choice == CUSTOM:
        return "wrote a new text"
    room = next((c for c in p.get("candidates") or [] if f"room:{c['room_id']}" == choice), None)
    return f"took the text of {room['room_name']}" if room else choice


def _tail(text: str) -> str:
    return text[len(text.rstrip()):]


def resolve(p: dict, hunk_id: str, words: str | None, resolution: dict) -> None:
    """Record a hunk's resolution and settle the paragraph once none is open."""
    hunk = next(h for h in p["hunks"] if h["id"] == hunk_id)
    hunk["resolution"] = dict(resolution, text=words)
    if open_hunks(p):
        return
    if any(h["resolution"]["text"] is None for h in p["hunks"]):
        p.update(text=None, status="deleted")
        return
    p["text"] = text_with(p, {h["id"]: h["resolution"]["text"] for h in p["hunks"]})
    p["status"] = "unchanged" if p["text"] == p["base_text"] else "changed"


def text_with(p: dict, words: dict[str, str]) -> str:
    return "".join(s["text"] if "text" in s else words[s["hunk"]] for s in p["segments"])


def signature(hunk: dict) -> tuple:
    """What makes a hunk the same dispute: the same words at stake, the same alternatives
    (whichever rooms back them now)."""
    return hunk["base"], tuple(sorted(a["text"] or "\0" for a in hunk["alternatives"]))


def carry(old: dict, new: dict) -> int:
    """Resolutions of the old paragraph's hunks that come back unchanged in the new one."""
    resolved = {signature(h): h["resolution"] for h in old.get("hunks") or [] if h["resolution"]}
    carried = 0
    for h in open_hunks(new):
        resolution = resolved.get(signature(h))
        if resolution is not None:
            resolve(new, h["id"], resolution["text"], {k: v for k, v in resolution.items() if k != "text"})
            carried += 1
    return carried


def display_text(p: dict) -> str:
    """The paragraph as one plain text: its text, or, while it has open hunks, the merged
    text with each open hunk's alternatives in brackets (for the workbook and print)."""
    if p.get("status") != "conflict" or not p.get("segments"):
        return p.get("text") or ""
    words = {}
    for h in p["hunks"]:
        if h["resolution"] is not None:
            words[h["id"]] = h["resolution"]["text"] or ""
        else:
            options = " | ".join(f"{', '.join(a['room_names'])}: "
                                 + (_("(delete the paragraph)") if a["text"] is None else a["text"].strip()
                                    or _("(remove these words)"))
                                 for a in h["alternatives"])
            words[h["id"]] = f"[[{options}]]{_tail(h['base'])}"
    return text_with(p, words)


def resolution_notes(p: dict) -> str:
    """How the paragraph's conflicts were resolved, in the reader's words (the choices are stored
    in English, as the version's note is)."""
    whole = p.get("resolution")
    notes = [_("Whole paragraph: %(how)s", how=whole["note"] or choice_in_words(chosen_for_paragraph(p, whole["choice"])))
             ] if whole else []
    notes += [_("Conflict %(n)s: %(how)s", n=h["id"][1:],
                how=h["resolution"]["note"] or choice_in_words(chosen(h, h["resolution"]["choice"])))
              for h in p.get("hunks") or [] if h["resolution"]]
    return "; ".join(notes)
