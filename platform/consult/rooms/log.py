"""The room event log: a gapless per-room sequence, written in the change's own transaction."""
from __future__ import annotations

from typing import Any, Callable, NamedTuple, TypeVar

from sqlalchemy import Text, bindparam, cast, insert, select, type_coerce, update
from sqlalchemy.orm import Session

from consult import clock
from consult.db import Committed
from consult.jsontext import loads
from consult.prepared import Prepared
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


T = TypeVar("T")
ROOMS, EVENTS = Room.__table__, RoomEvent.__table__
# Built once: building and keying the two statements cost more than running them.
_NEXT_SEQ = Prepared(update(ROOMS).where(ROOMS.c.id == bindparam("room")).values(
    last_seq=ROOMS.c.last_seq + 1).returning(ROOMS.c.last_seq))
_APPEND = Prepared(insert(EVENTS))
_AFTER = select(EVENTS.c.seq, EVENTS.c.type, cast(EVENTS.c.payload, Text), type_coerce(EVENTS.c.created_at, Text)) \
    .where(EVENTS.c.room_id == bindparam("room"), EVENTS.c.seq > bindparam("after")) \
    .order_by(EVENTS.c.seq).limit(bindparam("limit"))


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
    seq = _NEXT_SEQ.execute(connection, {"room": room_id}).scalar_one()
    created_at = clock.now()
    _APPEND.execute(connection, {"room_id": room_id, "seq": seq, "type": type, "payload": payload,
                                 "created_at": created_at})
    event = Committed(room_id, seq, type, payload, created_at.isoformat())
    session.info.setdefault("room_events", []).append(event)
    return event


class Logged(NamedTuple):
    """A log row as stored: the payload still the JSON text it was written as."""

    seq: int
    type: str
    payload: str
    created_at: str


def after(session: Session, room_id: int, seq: int, limit: int) -> list[Committed]:
    """The log after a sequence, as written (live/replay.py takes out what was hidden since)."""
    return [Committed(room_id, row.seq, row.type, loads(row.payload), row.created_at)
            for row in rows_after(session, room_id, seq, limit)]


def rows_after(session: Session, room_id: int, seq: int, limit: int,
               make: Callable[[int, str, str, str], T] = Logged) -> list[T]:
    """Plain rows on the session's connection, not ORM objects, with the payload as its stored
    text and SQLite's timestamp as its text: a reconnecting socket may replay thousands of
    events, and the ORM's, the JSON column's and the date's per-row processing cost more than
    the read; a socket can send most payloads without parsing them at all. `make(seq, type,
    payload, created_at)` builds each (a Logged, or what the caller keeps them as: one object
    per row rather than two)."""
    rows = session.connection().execute(_AFTER, {"room": room_id, "after": seq, "limit": limit}).all()
    return [make(seq, type, payload, _iso(created_at)) for seq, type, payload, created_at in rows]


def _iso(created_at) -> str:
    """The timestamp as record() gave it (datetime.isoformat): PostgreSQL's driver hands a
    datetime whatever the column is read as; SQLite's stored text always has microseconds."""
    if not isinstance(created_at, str):
        return created_at.isoformat()
    return created_at.replace(" ", "T", 1).removesuffix(".000000")
