"""A fresh merge of a document: every room's latest working text (the rooms not left out), each
paragraph with its number, its conflict hunks, what each room proposed and where it comes from."""
from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from consult.conference.models import ConferenceSession
from consult.consolidation import hunks, sources
from consult.consolidation.merge import merge_document
from consult.consolidation.models import ExcludedRoom
from consult.consolidation.numbering import working_number
from consult.documents.models import Document, Section
from consult.drafting import service as drafting
from consult.errors import NotFound
from consult.people.models import Participant
from consult.rooms.models import Membership, Room, RoomSection
from consult.i18n import _


def load_document(session: Session, document_id: int) -> Document:
    document = session.scalar(select(Document).where(Document.id == document_id).options(
        selectinload(Document.sections).selectinload(Section.paragraphs)))
    if document is None:
        raise NotFound(_("No such document."))
    return document


def rooms_of(session: Session, document: Document) -> list[Room]:
    section_ids = [s.id for s in document.sections]
    return list(session.scalars(
        select(Room).join(ConferenceSession).where(Room.id.in_(
            select(RoomSection.room_id).where(RoomSection.section_id.in_(section_ids))))
        .order_by(ConferenceSession.position, Room.position).options(selectinload(Room.slot))))


def excluded_ids(session: Session, document_id: int) -> set[int]:
    return set(session.scalars(select(ExcludedRoom.room_id).where(ExcludedRoom.document_id == document_id)))


def build(session: Session, document: Document) -> dict:
    """A fresh merge of the latest working text of every room not left out, with the raw
    facts of provenance (see provenance.py for what is derived from them)."""
    sections = {s.id: s for s in document.sections}
    where = {p.id: (s, p) for s in document.sections for p in s.paragraphs}
    base = [(p.id, p.text) for s in document.sections for p in s.paragraphs]
    every = rooms_of(session, document)
    left_out = excluded_ids(session, document.id)
    rooms = [r for r in every if r.id not in left_out]
    names = {r.id: r.name for r in every}
    drafts, versions, contents = {}, {}, {}
    for room in rooms:
        versions[room.id], contents[room.id] = drafting.latest(session, room.id)
        drafts[room.id] = [p for p in contents[room.id]["paragraphs"] if p["section_id"] in sections]
    merged = merge_document(base, drafts, order=[r.id for r in rooms])
    provenance = sources.gather(session, [r.id for r in rooms], list(where), names)
    paragraphs, inserted_after = [], {}
    for m in merged:
        anchor = m.base_paragraph_id or m.after
        section, paragraph = where[anchor]
        if m.base_paragraph_id:
            number = working_number(section.position, paragraph.position)
        else:
            inserted_after[anchor] = inserted_after.get(anchor, -1) + 1
            number = working_number(section.position, paragraph.position, inserted_after[anchor])
        view = asdict(m)
        view.update(hunks.serialised(m.segments, names))
        view["variants"] = [dict(v, room_names=[names[r] for r in v["rooms"]]) for v in m.variants]
        view.update(section_id=section.id, section_title=section.title, number=number,
                    room_names=[names[r] for r in m.rooms], resolution=None,
                    proposals=_proposals(m, drafts, names))
        for c in view["candidates"]:
            c["room_name"] = names[c["room_id"]]
        view["provenance"] = sources.for_paragraph(provenance, m)
        paragraphs.append(view)
    conclusions = []
    for room in rooms:
        if not conclusions or conclusions[-1]["session"] != room.slot.title:
            conclusions.append({"session": room.slot.title, "rooms": []})
        rapporteurs = list(session.scalars(select(Participant.name).join(Membership).where(
            Membership.room_id == room.id, Membership.role == "rapporteur", Membership.removed_at.is_(None),
            Participant.named_in_results.is_(True))))
        conclusions[-1]["rooms"].append({"room_id": room.id, "room": room.name, "rapporteurs": rapporteurs,
                                         "conclusions": contents[room.id]["conclusions"],
                                         "draft_version": versions[room.id]})
    return {"paragraphs": paragraphs, "conclusions": conclusions,
            "rooms": [{"id": r.id, "name": r.name, "session": r.slot.title, "draft_version": versions[r.id]}
                      for r in rooms],
            "excluded_rooms": [{"id": r.id, "name": r.name} for r in every if r.id in left_out]}


def _proposals(m, drafts: dict[int, list[dict]], names: dict[int, str]) -> list[dict]:
    """What each room's text of this paragraph is, where it differs from the base."""
    if m.base_paragraph_id is None:
        return [{"room_id": r, "room_name": names[r], "text": m.text, "deleted": False} for r in m.rooms]
    out = []
    for room_id in sorted(drafts):
        mine = next((p for p in drafts[room_id] if p.get("base_paragraph_id") == m.base_paragraph_id), None)
        if mine is not None and (mine.get("deleted") or mine["text"] != m.base_text):
            deleted = bool(mine.get("deleted"))
            out.append({"room_id": room_id, "room_name": names[room_id], "text": None if deleted else mine["text"],
                        "deleted": deleted})
    return out
