"""Reading the event and its agenda."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from consult import i18n
from consult.conference.models import ConferenceSession, Event
from consult.documents.models import Section
from consult.errors import NotFound
from consult.i18n import _
from consult.people.actor import Actor
from consult.rooms.models import Membership, Room
from consult.rooms.phases import PHASE_LABELS


def event_summary(event: Event) -> dict:
    return {"slug": event.slug, "title": event.title, "venue": event.venue,
            "starts_on": event.starts_on.isoformat(), "ends_on": event.ends_on.isoformat(),
            "timezone": event.timezone}


def list_events(session: Session) -> list[dict]:
    return [event_summary(e) for e in session.scalars(select(Event).order_by(Event.starts_on, Event.id))]


def first_event_slug(session: Session) -> str | None:
    return session.scalar(select(Event.slug).order_by(Event.starts_on, Event.id).limit(1))


def event_id(session: Session, slug: str) -> int:
    found = session.scalar(select(Event.id).where(Event.slug == slug))
    if found is None:
        raise NotFound(_("No such event."))
    return found


def event_home(session: Session, actor: Actor, slug: str) -> dict:
    event = session.scalar(select(Event).where(Event.slug == slug).options(
        selectinload(Event.slots).selectinload(ConferenceSession.rooms).selectinload(Room.room_sections)))
    if event is None:
        raise NotFound(_("No such event."))
    titles = dict(session.execute(select(Section.id, Section.title)).all())
    mine = set()
    if actor.participant_id:
        mine = set(session.scalars(select(Membership.room_id).where(Membership.participant_id == actor.participant_id)))
    dates = i18n.date_range(event.starts_on, event.ends_on)
    slots, my_rooms = [], []
    for s in event.slots:
        rooms = []
        for room in s.rooms:
            view = {"id": room.id, "name": room.name, "topic": room.topic, "phase": room.phase,
                    "phase_label": _(PHASE_LABELS[room.phase]),
                    "sections": [titles[rs.section_id] for rs in room.room_sections],
                    # The code is the key to the room: only organisers see it listed.
                    "code": room.code if actor.is_organiser else None}
            rooms.append(view)
            if room.id in mine:
                my_rooms.append(view)
        slots.append({"id": s.id, "title": s.title, "rooms": rooms,
                      "when": i18n.slot(s.starts_at, s.ends_at)})
    return {"event": dict(event_summary(event), description=event.description, dates=dates),
            "sessions": slots, "my_rooms": my_rooms}
