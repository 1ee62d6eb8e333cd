"""Reading the event and its agenda."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.conference.models import Event
from consult.errors import NotFound
from consult.i18n import _


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
