"""Steering a room (its phase, rapporteurs and countdown) and reading it as a whole (members,
details, the event's rooms); who may is consult/access.py."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from consult import clock
from consult.access import RoomAccess, require_organiser, steering_access
from consult.audit import service as audit
from consult.conference.models import ConferenceSession, Event
from consult.documents.models import Document, Section
from consult.documents.service import section_view
from consult.errors import Invalid, NotFound
from consult.people.actor import Actor
from consult.people.models import Participant
from consult.rooms import log
from consult.rooms.models import PHASES, Membership, Room
from consult.rooms.phases import PHASE_LABELS
from consult.rooms.service import actor_label, locked_room, member_count
from consult.i18n import N_, _


def set_phase(session: Session, actor: Actor, room_id: int, *, phase: str) -> dict:
    steering_access(session, actor, room_id)
    if phase not in PHASES:
        raise Invalid(_("Choose one of the room's phases."), {"phase": _("Unknown phase.")})
    room = locked_room(session, room_id)
    if room.phase != phase:
        audit.record(session, actor, "room.phase", room_id, before=room.phase, after=phase)
        room.phase = phase
        log.record(session, room_id, "phase_changed", {"phase": phase, "label": PHASE_LABELS[phase],
                                                       "by": actor_label(session, actor)})
    return {"room_id": room_id, "phase": room.phase}


def make_rapporteur(session: Session, actor: Actor, room_id: int, *, participant_id: int) -> dict:
    require_organiser(actor, doing=N_("assign rapporteurs"))
    if session.get(Room, room_id) is None:
        raise NotFound(_("No such room."))
    member = session.scalar(select(Membership).where(Membership.room_id == room_id,
                                                     Membership.participant_id == participant_id))
    if member is None:
        raise NotFound(_("That person has not joined this room."))
    if member.role != "rapporteur":
        member.role = "rapporteur"
        audit.record(session, actor, "room.rapporteur", room_id, participant_id=participant_id)
        log.record(session, room_id, "rapporteur_assigned",
                   {"name": session.get(Participant, participant_id).name})
    return {"room_id": room_id, "participant_id": participant_id, "role": member.role}


def members(session: Session, access: RoomAccess) -> list[dict]:
    """Who is in the room, for those who steer it. In an anonymous room only organisers see names."""
    room = access.steer()
    hide = room.anonymous and not access.actor.is_organiser
    rows = session.execute(select(Membership, Participant).join(Participant)
                           .where(Membership.room_id == room.id, Membership.removed_at.is_(None))
                           .order_by(Membership.joined_at))
    return [{"participant_id": p.id, "name": f"Member {p.id}" if hide and m.role != "rapporteur" else p.name,
             "organisation": "" if hide else p.organisation, "sector": p.sector,
             "country": p.country, "role": m.role} for m, p in rows]


def _summary(room: Room, with_code: bool) -> dict:
    view = {
        "id": room.id,
        "name": room.name,
        "topic": room.topic,
        "session": room.slot.title,
        "session_id": room.slot_id,
        "phase": room.phase,
        "phase_label": _(PHASE_LABELS[room.phase]),
        "section_ids": [rs.section_id for rs in room.room_sections],
        "anonymous": room.anonymous,
        "premoderation": room.premoderation,
        "capacity": room.capacity,
        "dots": room.dots,
        "countdown_ends_at": room.countdown_ends_at.isoformat(timespec="seconds") + "Z" if room.countdown_ends_at else None,
    }
    if with_code:
        view["code"] = room.code
    return view


def list_rooms(session: Session, actor: Actor, event_slug: str) -> list[dict]:
    event = session.scalar(select(Event).where(Event.slug == event_slug))
    if event is None:
        raise NotFound(_("No such event."))
    rooms = session.scalars(
        select(Room).join(ConferenceSession).where(ConferenceSession.event_id == event.id)
        .order_by(ConferenceSession.position, Room.position)
        .options(selectinload(Room.room_sections), selectinload(Room.slot))
    )
    return [_summary(room, actor.is_organiser) for room in rooms]


def room_detail(session: Session, access: RoomAccess) -> dict:
    room = access.room
    section_ids = [rs.section_id for rs in room.room_sections]
    sections = {s.id: s for s in session.scalars(
        select(Section).where(Section.id.in_(section_ids)).options(selectinload(Section.paragraphs)))}
    documents = {d.id: d for d in session.scalars(
        select(Document).where(Document.id.in_({s.document_id for s in sections.values()})))}
    view = _summary(room, True)  # members may read the code: it is on the wall of their room
    view.update(
        event_slug=room.slot.event.slug,
        event_title=room.slot.event.title,
        last_seq=room.last_seq,
        members=member_count(session, room.id),
        role=access.role,
        sections=[
            dict(section_view(sections[sid]), document_id=sections[sid].document_id,
                 document_title=documents[sections[sid].document_id].title)
            for sid in section_ids
        ],
    )
    return view


def set_countdown(session: Session, actor: Actor, room_id: int, *, minutes: int | str | None) -> dict:
    """Start (minutes) or stop (None or "") the countdown shown on the room's screen and pages.
    Who may is checked before what was sent: a stranger learns nothing from the error."""
    room = steering_access(session, actor, room_id).room
    if isinstance(minutes, str):
        typed = minutes.strip()
        if typed and not (typed.isascii() and typed.isdigit() and len(typed) <= 3):
            raise Invalid(_("A countdown runs 1 to 240 minutes."), {"minutes": _("Not a number of minutes.")})
        minutes = int(typed) if typed else None
    if minutes is not None and not 1 <= minutes <= 240:
        raise Invalid(_("A countdown runs 1 to 240 minutes."), {"minutes": _("Out of range.")})
    room.countdown_ends_at = clock.now().replace(microsecond=0) + dt.timedelta(minutes=minutes) if minutes else None
    ends_at = room.countdown_ends_at.isoformat() + "Z" if room.countdown_ends_at else None
    audit.record(session, actor, "room.countdown", room_id, minutes=minutes)
    log.record(session, room_id, "countdown_changed", {"ends_at": ends_at})
    return {"room_id": room_id, "ends_at": ends_at}
