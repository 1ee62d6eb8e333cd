"""Setting the conference up: the event, its sessions and rooms, join codes, rapporteur
invitations, and moving many rooms through a phase at once. Organisers only; every change
audited."""
from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.access import require_organiser
from consult import clock
from consult.audit import service as audit
from consult.conference.models import ConferenceSession, Event
from consult.demo.activity import fill
from consult.documents.models import Document, Section
from consult.errors import Invalid, NotFound
from consult.people.actor import Actor
from consult.people.tokens import new_token, token_hash
from consult.steering import service as steering
from consult.rooms.models import PHASES, Membership, RapporteurInvite, Room, RoomSection
from consult.rooms.phases import ALLOWS, PHASE_LABELS
from consult.text import clean_line, clean_text
from consult import i18n
from consult.i18n import N_, _, ngettext

SETTING_UP = N_("set the conference up")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud


def _date(value, name: str, errors: dict):
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        errors[name] = _("Use a date like 2024-11-26.")


def _datetime(value, name: str, errors: dict):
    try:
        return dt.datetime.fromisoformat(str(value))
    except ValueError:
        errors[name] = _("Use a date and time like 2024-11-26T10:30.")


def update_event(session: Session, actor: Actor, slug: str, *, title, venue, starts_on, ends_on, description,
                 languages=None, default_language=None) -> dict:
    """`languages` (the interface languages offered) and `default_language` (for a browser that
    asks for none of them) are left as they are when not given."""
    require_organiser(actor, doing=SETTING_UP)
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound(_("No such event."))
    errors, title = {}, clean_line(title)
    if not title or len(title) > 200:
        errors["title"] = _("A title of 1 to 200 characters.")
    start, end = _date(starts_on, "starts_on", errors), _date(ends_on, "ends_on", errors)
    if start and end and end < start:
        errors["ends_on"] = _("The end cannot come before the start.")
    offered = event.languages.split()
    if languages is not None:
        offered = [code for code in i18n.LANGUAGES if code in languages]
        if not offered or len(offered) != len(set(languages)):
            errors["languages"] = _("Offer at least one of the listed languages.")
    default = event.default_language if default_language is None else default_language
    if default not in offered:
        errors["default_language"] = _("The default must be one of the languages offered.")
    if errors:
        raise Invalid(_("The event was not saved."), errors)
    event.languages, event.default_language = " ".join(offered), default
    event.title, event.venue, event.starts_on, event.ends_on = title, clean_line(venue)[:200], start, end
    event.description = clean_text(description)[:4000]
    audit.record(session, actor, "event.update", event_id=event.id, title=title)
    return {"slug": slug}


def save_slot(session: Session, actor: Actor, event_slug: str, *, slot_id: int | None, title, starts_at, ends_at) -> int:
    require_organiser(actor, doing=SETTING_UP)
    event = session.scalar(select(Event).where(Event.slug == event_slug))
    errors, title = {}, clean_line(title)
    if not title or len(title) > 200:
        errors["title"] = _("A title of 1 to 200 characters.")
    start, end = _datetime(starts_at, "starts_at", errors), _datetime(ends_at, "ends_at", errors)
    if start and end and end <= start:
        errors["ends_at"] = _("The end must come after the start.")
    if errors:
        raise Invalid(_("The session was not saved."), errors)
    if slot_id is None:
        count = len(event.slots)
        slot = ConferenceSession(event_id=event.id, position=count, title=title, starts_at=start, ends_at=end)
        session.add(slot)
        session.flush()
    else:
        slot = session.get(ConferenceSession, slot_id)
        if slot is None or slot.event_id != event.id:
            raise NotFound(_("No such session."))
        slot.title, slot.starts_at, slot.ends_at = title, start, end
    audit.record(session, actor, "session.save", event_id=event.id, session_id=slot.id, title=title)
    return slot.id


def new_code(session: Session) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if session.scalar(select(Room.id).where(Room.code == code)) is None:
            return code


def save_room(session: Session, actor: Actor, *, room_id: int | None, slot_id: int, name, topic,
              section_ids: list[int], capacity: int | None, anonymous: bool, premoderation: bool, dots: int) -> int:
    require_organiser(actor, doing=SETTING_UP)
    # A form sent without a session names none: looking up a null key is not asked of the database.
    slot = session.get(ConferenceSession, slot_id) if slot_id is not None else None
    if slot is None:
        raise NotFound(_("No such session."))
    errors, name = {}, clean_line(name)
    if not name or len(name) > 120:
        errors["name"] = _("A name of 1 to 120 characters.")
    valid_sections = set(session.scalars(select(Section.id).join(Document).where(Document.event_id == slot.event_id)))
    if not section_ids or not set(section_ids) <= valid_sections:
        errors["sections"] = _("Choose at least one section of this event's documents.")
    if capacity is not None and not 1 <= capacity <= 10000:
        errors["capacity"] = _("Between 1 and 10,000, or empty for no limit.")
    if not 1 <= dots <= 20:
        errors["dots"] = _("Between 1 and 20 dots.")
    if errors:
        raise Invalid(_("The room was not saved."), errors)
    if room_id is None:
        room = Room(slot_id=slot_id, position=len(slot.rooms), code=new_code(session), phase="setup")
        session.add(room)
    else:
        room = session.get(Room, room_id)
        if room is None:
            raise NotFound(_("No such room."))
    room.slot_id, room.name, room.topic = slot_id, name, clean_line(topic)[:300]
    room.capacity, room.anonymous, room.premoderation, room.dots = capacity, anonymous, premoderation, dots
    room.room_sections = [RoomSection(section_id=sid, position=i) for i, sid in enumerate(section_ids)]
    session.flush()
    audit.record(session, actor, "room.save", room.id, name=name, sections=section_ids, capacity=capacity,
                 anonymous=anonymous, premoderation=premoderation, dots=dots)
    return room.id


def code_change_plan(session: Session, actor: Actor, room_id: int) -> dict:
    """What a new join code means for a room, said before it is made."""
    require_organiser(actor, doing=SETTING_UP)
    room = session.get(Room, room_id)
    if room is None:
        raise NotFound(_("No such room."))
    members = session.scalar(select(func.count()).select_from(Membership).where(
        Membership.room_id == room_id, Membership.removed_at.is_(None)))
    return {"name": room.name, "code": room.code, "phase": PHASE_LABELS[room.phase], "members": members}


def regenerate_code(session: Session, actor: Actor, room_id: int) -> str:
    """A new join code, when the old one leaked. Members already in keep their place."""
    require_organiser(actor, doing=SETTING_UP)
    room = session.get(Room, room_id)
    if room is None:
        raise NotFound(_("No such room."))
    room.code = new_code(session)
    audit.record(session, actor, "room.new_code", room_id)
    return room.code


def invite_rapporteur(session: Session, actor: Actor, room_id: int) -> str:
    """A one-time link: whoever joins the room with it becomes a rapporteur. Only its hash is kept."""
    require_organiser(actor, doing=SETTING_UP)
    if session.get(Room, room_id) is None:
        raise NotFound(_("No such room."))
    token = new_token()
    session.add(RapporteurInvite(room_id=room_id, token_hash=token_hash(token), created_at=clock.now()))
    audit.record(session, actor, "room.invite_rapporteur", room_id)
    return token


# What a participant can do in each phase, from rooms/phases.ALLOWS, in the words a
# confirmation uses; the rapporteur's own tools are left out.
PARTICIPANT_ACTIONS = ("comment", "support", "propose an amendment", "vote", "react", "place priority dots",
                       "answer polls")
ACTION_WORDS = {"comment": N_("comment"), "support": N_("support"),
                "propose an amendment": N_("propose an amendment"), "vote": N_("vote"), "react": N_("react"),
                "place priority dots": N_("place priority dots"), "answer polls": N_("answer polls")}


def phase_effects(before: str, after: str) -> tuple[list[str], list[str]]:
    """What participants can no longer do, and what they can do again, when a room moves."""
    lose = [a for a in PARTICIPANT_ACTIONS if before in ALLOWS[a] and after not in ALLOWS[a]]
    gain = [a for a in PARTICIPANT_ACTIONS if after in ALLOWS[a] and before not in ALLOWS[a]]
    return lose, gain


def plan_phase(session: Session, actor: Actor, room_ids: list[int], phase: str) -> dict:
    """What a bulk move would do, room by room, before anything changes."""
    require_organiser(actor, doing=SETTING_UP)
    if phase not in PHASES:
        raise Invalid(_("Choose the phase to move the rooms to."), {"phase": _("Choose a phase.")})
    if not room_ids:
        raise Invalid(_("Tick at least one room to move."), {"rooms": _("None chosen.")})
    found = {r.id: r for r in session.scalars(select(Room).where(Room.id.in_(room_ids)))}
    if set(room_ids) - set(found):
        raise NotFound(_("One of the rooms does not exist any more. Reload the page."))
    moving = [found[i] for i in dict.fromkeys(room_ids) if found[i].phase != phase]
    changes, warnings = [], []
    label = _(PHASE_LABELS[phase])
    for room in moving:
        changes.append(_("move %(room)s from %(before)s to %(after)s", room=room.name,
                         before=_(PHASE_LABELS[room.phase]), after=label))
        lose, gain = phase_effects(room.phase, phase)
        backwards = PHASES.index(phase) < PHASES.index(room.phase)
        if lose:
            warnings.append(_("In %(room)s, participants can no longer %(actions)s.", room=room.name,
                              actions=_and(lose)))
        if gain:
            warnings.append(_("In %(room)s, participants can %(actions)s again.", room=room.name, actions=_and(gain))
                            if backwards else
                            _("In %(room)s, participants can %(actions)s.", room=room.name, actions=_and(gain)))
        if backwards:
            warnings.append(_("%(room)s goes back to an earlier phase: what was done stays (comments, votes, "
                              "decisions); nothing is deleted.", room=room.name))
    unchanged = [found[i].name for i in dict.fromkeys(room_ids) if found[i].phase == phase]
    if unchanged:
        changes.append(ngettext("leave %(rooms)s as it is: already %(phase)s",
                                "leave %(rooms)s as they are: already %(phase)s", len(unchanged),
                                rooms=i18n.and_list(unchanged), phase=label))
    return {"moving": len(moving), "label": label, "changes": changes, "warnings": warnings}


def _and(actions: list[str]) -> str:
    return i18n.and_list(_(ACTION_WORDS[a]) for a in actions)


def bulk_phase(session: Session, actor: Actor, *, room_ids: list[int], phase: str) -> int:
    """'Start session 2', 'open voting everywhere': one transaction, every room or none.
    Returns how many rooms actually changed phase."""
    plan = plan_phase(session, actor, room_ids, phase)
    for room_id in dict.fromkeys(room_ids):
        steering.set_phase(session, actor, room_id, phase=phase)
    return plan["moving"]


def setup_view(session: Session, actor: Actor, slug: str) -> dict:
    require_organiser(actor, doing=SETTING_UP)
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound(_("No such event."))
    sections = session.execute(select(Section, Document).join(Document).where(Document.event_id == event.id)
                               .order_by(Document.position, Section.position)).all()
    return {
        "event": event,
        "sessions": [{"id": s.id, "title": s.title, "starts_at": s.starts_at, "ends_at": s.ends_at,
                      "rooms": [{"id": r.id, "name": r.name, "topic": r.topic, "code": r.code, "phase": r.phase,
                                 "capacity": r.capacity, "anonymous": r.anonymous, "premoderation": r.premoderation,
                                 "dots": r.dots, "section_ids": [rs.section_id for rs in r.room_sections]}
                                for r in s.rooms]} for s in event.slots],
        "sections": [{"id": s.id, "label": f"{d.title}: {s.position + 1}. {s.title}"} for s, d in sections],
    }


def fill_demo(session: Session, actor: Actor) -> tuple[list[str], list[str]]:
    """The demo's sample work, once; the log says who asked for it. -> (rooms filled, rooms left)."""
    require_organiser(actor, doing=N_("fill the demo rooms"))
    filled, left = fill(session)
    if filled:
        audit.record(session, actor, "demo.fill")
    return filled, left
