"""Recording and reading the audit log. Written in the same transaction as the action."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult import clock
from consult.audit.models import AuditEntry
from consult.conference.models import ConferenceSession
from consult.errors import Forbidden
from consult.people.actor import Actor
from consult.people.models import Organiser, Participant
from consult.rooms.models import Room


def record(session: Session, actor: Actor, action: str, room_id: int | None = None, event_id: int | None = None,
           **detail: Any) -> None:
    if actor.is_organiser:
        organiser = session.get(Organiser, actor.organiser_id)
        who, role = (organiser.email if organiser else "command line"), "organiser"
    else:
        who, role = session.get(Participant, actor.participant_id).name, "rapporteur"
    if event_id is None and room_id is not None:
        event_id = session.scalar(select(ConferenceSession.event_id).join(Room).where(Room.id == room_id))
    session.add(AuditEntry(event_id=event_id, room_id=room_id, actor=who, actor_role=role, action=action,
                           detail=detail, at=clock.now()))


def entries(session: Session, actor: Actor, event_id: int, limit: int = 500) -> list[dict]:
    if not actor.is_organiser:
        raise Forbidden("Only organisers read the audit log.")
    rooms = dict(session.execute(select(Room.id, Room.name)).all())
    rows = session.scalars(select(AuditEntry).where(AuditEntry.event_id == event_id)
                           .order_by(AuditEntry.id.desc()).limit(limit))
    return [{"id": e.id, "at": e.at, "actor": e.actor, "role": e.actor_role, "action": e.action,
             "room": rooms.get(e.room_id, ""), "detail": e.detail} for e in rows]
