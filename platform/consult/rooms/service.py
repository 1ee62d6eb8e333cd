"""What every feature does with a room: lock its row for a write, sign an act, count its
members, list its paragraphs. Steering a room is steering/."""
from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from consult.documents.models import Paragraph
from consult.errors import NotFound
from consult.people.actor import Actor
from consult.people.models import Participant
from consult.rooms.models import Membership, Room, RoomSection
from consult.rooms.phases import require
from consult.i18n import _


def locked_room(session: Session, room_id: int) -> Room:
    """The room row, locked for this transaction and read afresh (PostgreSQL; SQLite's
    IMMEDIATE transactions already hold the database's write lock)."""
    room = session.scalar(select(Room).where(Room.id == room_id).with_for_update()
                          .execution_options(populate_existing=True))
    if room is None:
        raise NotFound(_("No such room."))
    return room


def lock_room_for(session: Session, room: Room, action: str) -> None:
    """Every phase-gated write starts here: the phase is checked under the room row's lock.
    Read without it, a vote can pass while a close commits and be logged after the close;
    with it, such a write waits for the close and then sees it."""
    require(locked_room(session, room.id).phase, action)


def actor_label(session: Session, actor: Actor) -> str:
    """How an act of steering is signed: rapporteurs act under their name, as the room knows them."""
    if actor.participant_id is not None:
        return session.get(Participant, actor.participant_id).name
    return _("Organiser")


def member_count(session: Session, room_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Membership).where(
        Membership.room_id == room_id, Membership.removed_at.is_(None)))


def room_paragraph_ids(session: Session, room_id: int) -> set[int]:
    return set(session.scalars(
        select(Paragraph.id).join(RoomSection, RoomSection.section_id == Paragraph.section_id)
        .where(RoomSection.room_id == room_id)))


_WORKS_ON = (select(Paragraph.__table__.c.id)
             .join(RoomSection.__table__, RoomSection.__table__.c.section_id == Paragraph.__table__.c.section_id)
             .where(RoomSection.__table__.c.room_id == bindparam("room"), Paragraph.__table__.c.id == bindparam("id")))


def works_on(session: Session, room_id: int, paragraph_id: int) -> bool:
    """Whether the paragraph is in one of the room's sections (asked on every post to one)."""
    return session.connection().execute(_WORKS_ON, {"room": room_id, "id": paragraph_id}).first() is not None
