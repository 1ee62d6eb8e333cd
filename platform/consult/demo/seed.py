"""Seed the demo conference (demo/content.py) into an empty database."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.conference.models import ConferenceSession, Event
from consult.demo import content
from consult.documents.models import Document, Paragraph, Section
from consult.rooms.models import Room, RoomSection


def seed(session: Session) -> bool:
    """Returns False, changing nothing, when the event is already there."""
    e = content.EVENT
    if session.scalar(select(Event.id).where(Event.slug == e["slug"])) is not None:
        return False
    event = Event(slug=e["slug"], title=e["title"], venue=e["venue"], description=e["description"],
                  timezone=e["timezone"], starts_on=dt.date.fromisoformat(e["starts_on"]),
                  ends_on=dt.date.fromisoformat(e["ends_on"]))
    session.add(event)
    session.flush()
    sections = {}
    for d_pos, d in enumerate(content.DOCUMENTS):
        document = Document(event_id=event.id, kind=d["kind"], title=d["title"], position=d_pos)
        session.add(document)
        session.flush()
        for s_pos, s in enumerate(d["sections"]):
            section = Section(document_id=document.id, position=s_pos, title=s["title"])
            section.paragraphs = [Paragraph(position=i, text=text) for i, text in enumerate(s["paragraphs"])]
            session.add(section)
            session.flush()
            sections[(d["key"], s["key"])] = section.id
    for s_pos, s in enumerate(content.SESSIONS):
        slot = ConferenceSession(event_id=event.id, position=s_pos, title=s["title"],
                                   starts_at=dt.datetime.fromisoformat(s["starts_at"]),
                                   ends_at=dt.datetime.fromisoformat(s["ends_at"]))
        session.add(slot)
        session.flush()
        for r_pos, r in enumerate(s["rooms"]):
            room = Room(slot_id=slot.id, position=r_pos, name=r["name"], topic=r["topic"],
                        code=r["code"], phase="open")
            room.room_sections = [RoomSection(section_id=sections[tuple(key)], position=i)
                                  for i, key in enumerate(r["sections"])]
            session.add(room)
    return True


def join_links(session: Session, base_url: str) -> list[str]:
    rows = session.execute(select(Room.name, Room.code).join(ConferenceSession)
                           .order_by(ConferenceSession.position, Room.position))
    return [f"  {name:<48} {base_url}/join?code={code}" for name, code in rows]
