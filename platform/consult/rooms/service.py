"""Reading rooms, with the membership check every room action starts from."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from consult.conference.models import ConferenceSession, Event
from consult.documents.models import Document, Paragraph, Section
from consult.documents.service import section_view
from consult.errors import Forbidden, NotFound
from consult.people.actor import Actor
from consult.rooms.models import Membership, Room, RoomSection
from consult.rooms.phases import PHASE_LABELS


def membership(session: Session, actor: Actor, room_id: int) -> Membership | None:
    if actor.participant_id is None:
        return None
    return session.scalar(select(Membership).where(
        Membership.room_id == room_id, Membership.participant_id == actor.participant_id))


def check_can_read(session: Session, actor: Actor, room_id: int) -> tuple[Room, Membership | None]:
    """Room members and organisers may read a room; anyone else learns nothing about it."""
    room = session.get(Room, room_id)
    if room is None:
        raise NotFound("No such room.")
    member = membership(session, actor, room_id)
    if member is None and not actor.is_organiser:
        raise Forbidden("Join this room with its code to see it.")
    return room, member


def check_member(session: Session, actor: Actor, room_id: int) -> tuple[Room, Membership]:
    """Writing in a room takes membership; organisers join like anyone else to take part."""
    room, member = check_can_read(session, actor, room_id)
    if member is None:
        raise Forbidden("Only members of this room can take part in it.")
    return room, member


def member_count(session: Session, room_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Membership).where(Membership.room_id == room_id))


def _summary(room: Room, with_code: bool) -> dict:
    view = {
        "id": room.id,
        "name": room.name,
        "topic": room.topic,
        "session": room.session.title,
        "session_id": room.session_id,
        "phase": room.phase,
        "phase_label": PHASE_LABELS[room.phase],
        "section_ids": [rs.section_id for rs in room.room_sections],
    }
    if with_code:
        view["code"] = room.code
    return view


def list_rooms(session: Session, actor: Actor, event_slug: str) -> list[dict]:
    event = session.scalar(select(Event).where(Event.slug == event_slug))
    if event is None:
        raise NotFound("No such event.")
    rooms = session.scalars(
        select(Room).join(ConferenceSession).where(ConferenceSession.event_id == event.id)
        .order_by(ConferenceSession.position, Room.position)
        .options(selectinload(Room.room_sections), selectinload(Room.session))
    )
    return [_summary(room, actor.is_organiser) for room in rooms]


def room_detail(session: Session, actor: Actor, room_id: int) -> dict:
    room, member = check_can_read(session, actor, room_id)
    section_ids = [rs.section_id for rs in room.room_sections]
    sections = {s.id: s for s in session.scalars(
        select(Section).where(Section.id.in_(section_ids)).options(selectinload(Section.paragraphs)))}
    documents = {d.id: d for d in session.scalars(
        select(Document).where(Document.id.in_({s.document_id for s in sections.values()})))}
    view = _summary(room, actor.is_organiser)
    view.update(
        event_slug=room.session.event.slug,
        event_title=room.session.event.title,
        last_seq=room.last_seq,
        members=member_count(session, room.id),
        role="organiser" if actor.is_organiser and member is None else (member.role if member else None),
        sections=[
            dict(section_view(sections[sid]), document_id=sections[sid].document_id,
                 document_title=documents[sections[sid].document_id].title)
            for sid in section_ids
        ],
    )
    return view


def room_paragraph_ids(session: Session, room_id: int) -> set[int]:
    return set(session.scalars(
        select(Paragraph.id).join(RoomSection, RoomSection.section_id == Paragraph.section_id)
        .where(RoomSection.room_id == room_id)))
