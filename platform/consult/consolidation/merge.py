"""Merge the rooms' working texts of one document, paragraph by paragraph: pure, no I/O.

Each room's text of a base paragraph is compared with the base. One room's change is taken;
identical changes from several rooms are taken once; different changes are merged word by
word where they touch different words of the base, and are a conflict where they touch the
same ones. A deletion meets a change as a conflict. Paragraphs a room inserted follow the base
paragraph they were inserted after, in room order."""
from __future__ import annotations

from dataclasses import dataclass, field

from consult.textdiff import DELETE, EQUAL, INSERT, tokens, word_diff


@dataclass(frozen=True)
class RoomText:
    room_id: int
    text: str
    deleted: bool = False
    amendment_ids: tuple[int, ...] = ()


@dataclass
class Merged:
    key: str                      # "p<base id>" or "i<room>-<n>" for inserted paragraphs
    base_paragraph_id: int | None
    after: int | None             # for inserted: the base paragraph it follows
    base_text: str | None
    text: str | None              # None while a conflict is unresolved
    status: str                   # unchanged, changed, conflict, inserted, deleted
    rooms: list[int] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)  # conflict: every room's text side by side
    amendment_ids: list[int] = field(default_factory=list)  # inserted: the amendments that inserted it


@dataclass(frozen=True)
class Edit:
    start: int                    # base token index
    end: int                      # exclusive; start == end is an insertion
    replacement: str


def edits(base: str, new: str) -> list[Edit]:
    """The changes from base to new as replacements of base token ranges."""
    out, position, pending = [], 0, None
    for op, text in word_diff(base, new):
        n = len(tokens(text))
        if op == EQUAL:
            if pending:
                out.append(pending)
                pending = None
            position += n
        elif op == DELETE:
            pending = Edit(pending.start if pending else position, position + n, pending.replacement if pending else "")
            position += n
        elif op == INSERT:
            pending = Edit(pending.start if pending else position, pending.end if pending else position,
                           (pending.replacement if pending else "") + text)
    if pending:
        out.append(pending)
    return out


def _clash(a: Edit, b: Edit) -> bool:
    if a == b:
        return False
    if a.start == a.end and b.start == b.end:
        return a.start == b.start           # two insertions at one point: order unknowable
    if a.start == a.end:
        return b.start < a.start < b.end or (b.start == a.start == b.end)
    if b.start == b.end:
        return a.start < b.start < a.end
    return a.start < b.end and b.start < a.end


def merge_texts(base: str, texts: list[str]) -> str | None:
    """Word-level merge of several changed versions of base, or None where they overlap."""
    all_edits: list[Edit] = []
    for text in texts:
        for edit in edits(base, text):
            if edit in all_edits:
                continue
            if any(_clash(edit, other) for other in all_edits):
                return None
            all_edits.append(edit)
    words = tokens(base)
    out, position = [], 0
    for edit in sorted(all_edits, key=lambda e: (e.start, e.end)):
        out.append("".join(words[position:edit.start]))
        out.append(edit.replacement)
        position = edit.end
    out.append("".join(words[position:]))
    return "".join(out)


def merge_paragraph(base_id: int, base: str, versions: list[RoomText]) -> Merged:
    changed = [v for v in versions if v.deleted or v.text != base]
    merged = Merged(f"p{base_id}", base_id, None, base, base, "unchanged")
    if not changed:
        return merged
    merged.rooms = sorted({v.room_id for v in changed})
    deleted = [v for v in changed if v.deleted]
    rewritten = [v for v in changed if not v.deleted]
    if deleted and not rewritten:
        merged.text, merged.status = None, "deleted"
        return merged
    distinct = sorted({v.text for v in rewritten})
    text = None if deleted else distinct[0] if len(distinct) == 1 else merge_texts(base, distinct)
    if text is None:
        merged.text, merged.status = None, "conflict"
        merged.candidates = [{"room_id": v.room_id, "text": None if v.deleted else v.text, "deleted": v.deleted}
                             for v in sorted(changed, key=lambda v: v.room_id)]
        return merged
    merged.text, merged.status = text, "changed"
    return merged


def merge_document(base: list[tuple[int, str]], rooms: dict[int, list[dict]]) -> list[Merged]:
    """base: the document's paragraphs in order, as (id, text). rooms: each room's working
    paragraphs (the drafting feature's content), in the room's order; a room that does not work
    on a paragraph simply has no entry for it."""
    by_base: dict[int, list[RoomText]] = {}
    inserted: dict[int, list[Merged]] = {}
    for room_id in sorted(rooms):
        for p in rooms[room_id]:
            if p.get("base_paragraph_id") is not None:
                by_base.setdefault(p["base_paragraph_id"], []).append(
                    RoomText(room_id, p["text"], bool(p.get("deleted"))))
            elif not p.get("deleted"):
                after = inserted.setdefault(p["after"], [])
                same = next((m for m in after if m.text == p["text"]), None)
                if same is None:
                    same = Merged(f"i{room_id}-{p['id']}", None, p["after"], None, p["text"], "inserted")
                    after.append(same)
                same.rooms.append(room_id)           # identical insertions are taken once
                if p.get("amendment_id"):
                    same.amendment_ids.append(p["amendment_id"])
    out = []
    for base_id, text in base:
        out.append(merge_paragraph(base_id, text, by_base.get(base_id, [])))
        out.extend(inserted.get(base_id, []))
    return out
