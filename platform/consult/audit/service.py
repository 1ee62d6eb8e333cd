"""Recording and reading the audit log. Written in the same transaction as the action."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from consult.access import require_organiser
from consult import clock
from consult.audit.models import AuditEntry
from consult.audit.words import KIND_LABELS, actions_of, describe, kind_of, role_of
from consult.conference.models import ConferenceSession
from consult.documents.models import Document
from consult.errors import Invalid
from consult.people.actor import Actor
from consult.people.models import Organiser, Participant
from consult.rooms.models import Room
from consult.i18n import N_
from consult.i18n import _


def record(session: Session, actor: Actor, action: str, room_id: int | None = None, event_id: int | None = None,
           **detail: Any) -> None:
    if actor.is_organiser:
        organiser = session.get(Organiser, actor.organiser_id)
        who, role = (organiser.email if organiser else "command line"), "organiser"
    else:
        who, role = session.get(Participant, actor.participant_id).name, "rapporteur"
    record_as(session, who, role, action, room_id, event_id, **detail)


def record_as(session: Session, who: str, role: str, action: str, room_id: int | None = None,
              event_id: int | None = None, **detail: Any) -> None:
    """For what happens before anyone is known: a sign-in, a failed one (the email typed)."""
    if event_id is None and room_id is not None:
        event_id = session.scalar(select(ConferenceSession.event_id).join(Room).where(Room.id == room_id))
    session.add(AuditEntry(event_id=event_id, room_id=room_id, actor=who[:254], actor_role=role, action=action,
                           detail=detail, at=clock.now()))


def sign_in(session: Session, *, email: str, ok: bool, address: str, via: str = "page", why: str | None = None) -> None:
    """Every organiser sign-in, and every failed one (with the email typed), and where it came from."""
    email = (email or "").strip().lower()[:254]
    if ok:
        record_as(session, email, "organiser", "sign_in", via=via, address=address)
    else:
        record_as(session, email or "(no email)", "unknown", "sign_in.failed", email=email, address=address, via=via,
                  why=why)


def filters_from(params) -> dict:
    """The log's filters from a query string: kind, person, room, from and to (UTC)."""
    def when(name):
        value = params.get(name) or ""
        try:
            return dt.datetime.fromisoformat(value) if value else None
        except ValueError:
            raise Invalid(_("Use a date and time like 2024-11-26T10:30."), {name: _("Not a date and time.")}) from None
    kind = params.get("kind") or None
    if kind is not None and kind not in KIND_LABELS:
        raise Invalid(_("Choose a kind from the list."), {"kind": _("Unknown kind.")})
    room = params.get("room") or None
    if room is not None and not room.isdigit():
        raise Invalid(_("Choose a room from the list."), {"room": _("Unknown room.")})
    return {"kind": kind, "person": (params.get("person") or "").strip()[:254] or None,
            "room_id": int(room) if room else None, "since": when("from"), "until": when("to")}


def entries(session: Session, actor: Actor, event_id: int, *, kind: str | None = None, person: str | None = None,
            room_id: int | None = None, since: dt.datetime | None = None, until: dt.datetime | None = None,
            limit: int | None = 500) -> list[dict]:
    require_organiser(actor, doing=N_("read the audit log"))
    rooms = dict(session.execute(select(Room.id, Room.name)).all())
    query = select(AuditEntry).where(or_(AuditEntry.event_id == event_id, AuditEntry.event_id.is_(None)))
    if kind:
        query = query.where(or_(*[AuditEntry.action.startswith(prefix) for prefix in actions_of(kind)]))
    if person:
        query = query.where(AuditEntry.actor.ilike(f"%{person.replace('%', '').replace('_', '')}%"))
    if room_id is not None:
        query = query.where(AuditEntry.room_id == room_id)
    if since:
        query = query.where(AuditEntry.at >= since)
    if until:
        query = query.where(AuditEntry.at <= until)
    rows = list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit)))
    names = _names(session, rows)
    return [{"id": e.id, "at": e.at, "actor": e.actor, "role": role_of(e.actor_role), "action": e.action,
             "kind": _(KIND_LABELS.get(kind_of(e.action), N_("Other"))), "room": rooms.get(e.room_id, ""),
             "what": describe(e.action, e.detail, names), "detail": e.detail} for e in rows]


def _names(session: Session, rows: list[AuditEntry]) -> dict[str, dict[int, str]]:
    def ids(key):
        return {e.detail.get(key) for e in rows if isinstance(e.detail.get(key), int)}
    people, documents = ids("participant_id"), ids("document_id")
    return {"participant": dict(session.execute(select(Participant.id, Participant.name)
                                                .where(Participant.id.in_(people))).all()) if people else {},
            "document": dict(session.execute(select(Document.id, Document.title)
                                             .where(Document.id.in_(documents))).all()) if documents else {}}
