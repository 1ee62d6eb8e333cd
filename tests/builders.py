"""Test data made through the same services as the app, on the session handed in."""
from __future__ import annotations

import datetime as dt
import itertools
import secrets

from consult.conference.models import ConferenceSession, Event
from consult.documents.models import Document, Paragraph, Section
from consult.people.actor import Actor
from consult.accounts.joining import join
from consult.rooms.models import Room, RoomSection

_n = itertools.count()


def build_event(session, rooms: int = 2, phase: str = "open") -> dict:
    """An event with one document of two sections (two paragraphs each), one agenda slot
    and `rooms` rooms working on the first section. Returns ids and codes."""
    n = f"{next(_n)}{secrets.token_hex(3)}"
    event = Event(slug=f"ev-{n}", title=f"Event {n}", venue="Brussels",
                  starts_on=dt.date(2024, 11, 26), ends_on=dt.date(2024, 11, 27))
    session.add(event)
    session.flush()
    document = Document(event_id=event.id, kind="monitoring_plan", title="Monitoring plan")
    session.add(document)
    session.flush()
    sections = []
    for s in range(2):
        section = Section(document_id=document.id, position=s, title=f"Section {s + 1}")
        section.paragraphs = [Paragraph(position=p, text=f"Paragraph {s + 1}.{p + 1} text.") for p in range(2)]
        session.add(section)
        session.flush()
        sections.append(section)
    slot = ConferenceSession(event_id=event.id, position=0, title="Session 1",
                               starts_at=dt.datetime(2024, 11, 26, 10), ends_at=dt.datetime(2024, 11, 26, 12))
    session.add(slot)
    session.flush()
    room_ids, codes = [], []
    for r in range(rooms):
        code = secrets.token_hex(3).upper()
        room = Room(slot_id=slot.id, position=r, name=f"Room {r + 1}", code=code, phase=phase)
        room.room_sections = [RoomSection(section_id=sections[0].id, position=0)]
        session.add(room)
        session.flush()
        room_ids.append(room.id)
        codes.append(code)
    return {"event_id": event.id, "slug": event.slug, "rooms": room_ids, "codes": codes,
            "paragraphs": [p.id for p in sections[0].paragraphs],
            "other_paragraphs": [p.id for p in sections[1].paragraphs]}


def build_member(session, code: str, name: str = "Ana", sector: str = "health", country: str = "BE") -> Actor:
    participant, _, _ = join(session, Actor(), code=code, name=name, organisation="Org", sector=sector, country=country)
    return Actor(participant_id=participant.id)
