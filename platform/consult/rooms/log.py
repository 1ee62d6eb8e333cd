"""The room event log: a gapless per-room sequence, written in the change's own transaction."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Text, bindparam, insert, select, type_coerce, update
from sqlalchemy.orm import Session

from consult import clock
from consult.amendments.models import Amendment
from consult.contributions.models import Comment
from consult.db import Committed
from consult.jsontext import loads
from consult.rooms.models import Room, RoomEvent

# Every event type a room can log. The live page has one template block per type and the
# API documents each; tests check the three lists agree.
EVENT_TYPES = (
    "member_joined", "member_removed", "rapporteur_assigned", "phase_changed", "countdown_changed",
    "comment_posted", "comment_submitted", "comment_hidden", "support_changed", "comment_marked",
    "amendment_proposed", "amendment_submitted", "amendment_hidden", "amendment_voted", "amendment_decided",
    "flagged", "flags_dismissed",
    "draft_changed",
    "reaction_changed", "priorities_changed",
    "poll_opened", "poll_answered", "poll_closed",
)


ROOMS, EVENTS = Room.__table__, RoomEvent.__table__
# Built once: building and keying the two statements cost more than running them.
_NEXT_SEQ = update(ROOMS).where(ROOMS.c.id == bindparam("room")).values(
    last_seq=ROOMS.c.last_seq + 1).returning(ROOMS.c.last_seq)
_APPEND = insert(EVENTS)


def record(session: Session, room_id: int, type: str, payload: dict[str, Any]) -> Committed:
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown room event type {type!r}")
    # Incrementing the room's counter takes that row's write lock (PostgreSQL) or runs under
    # the database write lock (SQLite): the room's writers queue here, and rolled-back
    # transactions give their number back, so the sequence has no gaps.
    # Core statements on the session's connection, in its transaction: every write logs here,
    # and the ORM's update synchronisation and unit of work cost more than the two statements.
    # (The Room object a write may hold keeps its old last_seq; nothing reads it in a write.)
    connection = session.connection()
    seq = connection.execute(_NEXT_SEQ, {"room": room_id}).scalar_one()
    created_at = clock.now()
    connection.execute(_APPEND, {"room_id": room_id, "seq": seq, "type": type, "payload": payload,
                                 "created_at": created_at})
    event = Committed(room_id, seq, type, payload, created_at.isoformat())
    session.info.setdefault("room_events", []).append(event)
    return event


def after(session: Session, room_id: int, seq: int, limit: int) -> list[Committed]:
    """The log after a sequence, as it may be shown now: what a moderator hid since an event
    was logged is taken out of the replayed payloads (the log row itself stays as written)."""
    # Core rows on the session's connection, not ORM objects, and the payload as its text,
    # parsed here in one pass: a reconnecting socket may replay thousands of events, and the
    # ORM's per-row and per-value processing cost more than reading them. (PostgreSQL's driver
    # parses JSON itself, so a payload may arrive parsed.)
    rows = session.connection().execute(
        select(EVENTS.c.seq, EVENTS.c.type, type_coerce(EVENTS.c.payload, Text), EVENTS.c.created_at)
        .where(EVENTS.c.room_id == room_id, EVENTS.c.seq > seq).order_by(EVENTS.c.seq).limit(limit)
    ).all()
    events = [Committed(room_id, seq, type, loads(payload) if isinstance(payload, (str, bytes)) else payload,
                        created_at.isoformat()) for seq, type, payload, created_at in rows]
    hidden = _hidden(session, room_id)
    if not any(hidden.values()):
        return events
    return [e._replace(payload=_redact(e.type, e.payload, hidden)) for e in events]


def _hidden(session: Session, room_id: int) -> dict[str, set[int]]:
    """The room's comments and amendments not visible now: few, and one indexed query each,
    where asking about every id the replayed events name costs a parameter per event."""
    return {kind: set(session.scalars(select(model.id).where(model.room_id == room_id, model.visibility != "visible")))
            for kind, model in (("comment", Comment), ("amendment", Amendment))}


def _redact(type: str, payload: dict[str, Any], hidden: dict[str, set[int]]) -> dict[str, Any]:
    if type == "comment_posted" and payload["comment"]["id"] in hidden["comment"]:
        return dict(payload, comment=dict(payload["comment"], text=None, author="", visibility="hidden"))
    if type == "amendment_proposed" and payload["amendment"]["id"] in hidden["amendment"]:
        return dict(payload, amendment=dict(payload["amendment"], text=None, rationale=None, author="",
                                            visibility="hidden"))
    if type == "priorities_changed":
        return dict(payload, ranking=[r for r in payload["ranking"] if r["id"] not in hidden[r["type"]]])
    return payload
