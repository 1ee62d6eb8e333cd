"""The room's versioned working text: reading it, and storing a version (an accepted amendment
here, the rapporteurs' edits through steering/drafts.py).

Version 0 is the base text and is never stored; every change stores a complete new version."""
from __future__ import annotations

import copy

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult import clock
from consult.documents.models import Paragraph, Section
from consult.markdown import citations, render
from consult.drafting.models import DraftVersion
from consult.errors import NotFound
from consult.people.actor import Actor
from consult.rooms import log
from consult.rooms.models import Room, RoomSection
from consult.access import RoomAccess
from consult.rooms.service import actor_label, locked_room
from consult.textdiff import diff_html
from consult.i18n import _

MAX_PARAGRAPH_CHARS = 5000


def base_content(session: Session, room_id: int) -> dict:
    rows = session.execute(
        select(Paragraph, Section).join(Section).join(RoomSection, RoomSection.section_id == Section.id)
        .where(RoomSection.room_id == room_id).order_by(RoomSection.position, Paragraph.position))
    return {
        "paragraphs": [
            {"id": f"p{p.id}", "section_id": s.id, "base_paragraph_id": p.id, "after": None,
             "number": f"{s.position + 1}.{p.position + 1}", "text": p.text, "base_text": p.text,
             "deleted": False, "amendment_id": None}
            for p, s in rows
        ],
        "conclusions": "",
    }


def latest(session: Session, room_id: int) -> tuple[int, dict]:
    row = session.scalar(select(DraftVersion).where(DraftVersion.room_id == room_id)
                         .order_by(DraftVersion.version.desc()).limit(1))
    if row is None:
        return 0, base_content(session, room_id)
    return row.version, row.content


def text_of(content: dict, base_paragraph_id: int) -> str:
    for p in content["paragraphs"]:
        if p["base_paragraph_id"] == base_paragraph_id:
            return p["text"]
    raise NotFound(_("That paragraph is not one this room works on."))


def form_context(session: Session, room_id: int, base_paragraph_id: int | None) -> dict:
    """What a comment or amendment form sent back shows as the room page does: the paragraph as
    the room is working it (its number and current text; None when it is not one of the room's)
    and whether the room is anonymous (no "sign with my name")."""
    room = session.get(Room, room_id)
    paragraph = None
    if base_paragraph_id is not None and room is not None:
        _version, content = latest(session, room_id)
        paragraph = next(({"number": p["number"], "text": p["text"]} for p in content["paragraphs"]
                          if p["base_paragraph_id"] == base_paragraph_id), None)
    return {"paragraph": paragraph, "anonymous": bool(room and room.anonymous)}


def store_version(session: Session, actor: Actor, room_id: int, version: int, content: dict, note: str,
           changed: list[str]) -> dict:
    author = actor_label(session, actor)
    session.add(DraftVersion(room_id=room_id, version=version, content=content, note=note[:300], author=author,
                             author_participant_id=actor.participant_id, author_organiser_id=actor.organiser_id,
                             created_at=clock.now()))
    log.record(session, room_id, "draft_changed", {"version": version, "author": author, "note": note[:300],
                                                   "changed": changed, "content": content})
    return {"version": version, "content": content}


def apply_amendment(content: dict, amendment_id: int, kind: str, base_paragraph_id: int, text: str) -> tuple[dict, str]:
    """The content with one amendment applied, and the id of the paragraph it changed."""
    content = copy.deepcopy(content)
    paragraphs = content["paragraphs"]
    index = next((i for i, p in enumerate(paragraphs) if p["base_paragraph_id"] == base_paragraph_id), None)
    if index is None:
        raise NotFound(_("That paragraph is not one this room works on."))
    target = paragraphs[index]
    if kind == "replace":
        target.update(text=text, deleted=False, amendment_id=amendment_id)
        return content, target["id"]
    if kind == "delete":
        target.update(deleted=True, amendment_id=amendment_id)
        return content, target["id"]
    # Inserted paragraphs follow their anchor, after any inserted there before them.
    position = index + 1
    while position < len(paragraphs) and paragraphs[position]["after"] == base_paragraph_id:
        position += 1
    inserted = {"id": f"i{amendment_id}", "section_id": target["section_id"], "base_paragraph_id": None,
                "after": base_paragraph_id, "number": f"{target['number']}+", "text": text, "base_text": None,
                "deleted": False, "amendment_id": amendment_id}
    paragraphs.insert(position, inserted)
    return content, inserted["id"]


def record_amendment(session: Session, actor: Actor, room_id: int, *, amendment_id: int, kind: str,
                     base_paragraph_id: int, text: str) -> dict:
    """Called inside the decision's transaction: the accepted amendment becomes a new version."""
    locked_room(session, room_id)  # queues the room's draft writers
    version, content = latest(session, room_id)
    content, changed = apply_amendment(content, amendment_id, kind, base_paragraph_id, text)
    return store_version(session, actor, room_id, version + 1, content, f"Amendment {amendment_id} accepted", [changed])


def view(session: Session, access: RoomAccess) -> dict:
    version, content = latest(session, access.room_id)
    return draft_view(version, content)


def draft_view(version: int, content: dict) -> dict:
    """The API's shape of the draft, grouped by section, with conclusions rendered and their citations."""
    sections: dict[int, list] = {}
    for p in content["paragraphs"]:
        sections.setdefault(p["section_id"], []).append(
            {k: p[k] for k in ("id", "base_paragraph_id", "after", "number", "text", "deleted", "amendment_id")})
    cited = citations(content["conclusions"])
    return {"version": version,
            "sections": [{"section_id": sid, "paragraphs": ps} for sid, ps in sections.items()],
            "conclusions": content["conclusions"],
            "conclusions_html": str(render(content["conclusions"])),
            "cites": {k: sorted(v) for k, v in cited.items()}}


def history(session: Session, access: RoomAccess) -> list[dict]:
    rows = session.scalars(select(DraftVersion).where(DraftVersion.room_id == access.room_id)
                           .order_by(DraftVersion.version.desc()))
    return [{"version": r.version, "author": r.author, "note": r.note,
             "created_at": r.created_at.isoformat(timespec="seconds") + "Z"} for r in rows]


def content_at(session: Session, room_id: int, version: int) -> dict:
    if version == 0:
        return base_content(session, room_id)
    row = session.scalar(select(DraftVersion).where(DraftVersion.room_id == room_id, DraftVersion.version == version))
    if row is None:
        raise NotFound(_("No version %(version)s of this room's text.", version=version))
    return row.content


def compare(session: Session, access: RoomAccess, old: int, new: int) -> list[dict]:
    """Paragraph by paragraph, what changed from one version to another (word-level)."""
    room_id = access.room_id
    before = {p["id"]: p for p in content_at(session, room_id, old)["paragraphs"]}
    after_content = content_at(session, room_id, new)
    rows = []
    for p in after_content["paragraphs"]:
        was = before.get(p["id"])
        old_text = "" if was is None or was["deleted"] else was["text"]
        new_text = "" if p["deleted"] else p["text"]
        rows.append({"id": p["id"], "number": p["number"], "changed": old_text != new_text,
                     "status": "inserted" if was is None else "deleted" if p["deleted"] and not was["deleted"]
                     else "changed" if old_text != new_text else "same",
                     "diff": diff_html(old_text, new_text)})
    old_c = content_at(session, room_id, old)["conclusions"]
    rows.append({"id": "conclusions", "number": "Conclusions", "changed": old_c != after_content["conclusions"],
                 "status": "changed" if old_c != after_content["conclusions"] else "same",
                 "diff": diff_html(old_c, after_content["conclusions"])})
    return rows
