"""Submitting a comment or an amendment, the one path both take: who may, the idempotency key,
the post budget, the phase, pre-moderation, the insert and the room's event; and the one
announcement of a contribution that becomes visible to the room.

Every statement here is Core, built once at import: a post runs seven in all (its bearer's look-up included), and
building, keying and loading them through the ORM cost several times what SQLite spends
running them."""
from __future__ import annotations

from typing import Any, Callable

from sqlalchemy import Table, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from consult import clock
from consult.access import spend_post_budget, write_access
from consult.contributions import counts
from consult.contributions.counts import Counts
from consult.people.actor import Actor
from consult.prepared import Prepared
from consult.rooms import log
from consult.rooms.phases import require

# (room, author, the kind's own columns) -> what the room is told of it
View = Callable[[Any, Any, Any], dict]


class Kind:
    """What differs between comments and amendments on the way in."""

    def __init__(self, name: str, table: Table, *, action: str, posted: str, submitted: str, view: View,
                 counted: str, counts: Callable[[Counts], dict]):
        """`action`: the phase's name for it (rooms/phases.py); `posted` / `submitted`: the room
        event when it is visible at once (or approved) / when it waits for a moderator;
        `counted`: its column of the visible counts (contributions/counts.py); `counts(moved)`:
        those the room's pages show beside it, logged with it."""
        self.name, self.table, self.action, self.counted = name, table, action, counted
        self.posted, self.submitted, self.view, self.counts = posted, submitted, view, counts
        self.stored = Prepared(select(table).where(table.c.author_id == bindparam("author"),
                                                   table.c.idempotency_key == bindparam("key")))
        # The unique (author, key) index answers a key that raced in: no savepoint to roll back.
        self.insert = {name: Prepared(dialect.insert(table).on_conflict_do_nothing(
            index_elements=["author_id", "idempotency_key"]).returning(*table.c))
            for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}


def submit(session: Session, actor: Actor, room_id: int, kind: Kind, *, key: str | None,
           check: Callable[[Session, Any], dict]) -> tuple[dict, bool]:
    """The contribution's view and whether it is new: a retry with the same key gets the first
    one back, before the post budget is spent (a retry is not a new post), so also once it is
    spent. `check(session, room)` validates what was sent and returns the kind's own columns,
    or raises Invalid."""
    access, author = write_access(session, actor, room_id)
    member, room = access.membership, access.room
    connection = session.connection()
    if key:
        stored = kind.stored.execute(connection, {"author": author.id, "key": key}).first()
        if stored is not None:
            return kind.view(stored, author, room), False
    spend_post_budget(session, member)
    require(room.phase, kind.action)
    values = check(session, room)
    values.update(room_id=room_id, author_id=author.id, idempotency_key=key, created_at=clock.now(),
                  visibility="pending" if room.premoderation else "visible")
    if room.anonymous:
        values["attribution"] = "sector"
    row = kind.insert[session.bind.dialect.name].execute(connection, values).first()
    if row is None:
        # The same key raced in from a post to another room (the room's lock serialises a room's
        # posts, so the look-up above sees the room's own).
        return kind.view(kind.stored.execute(connection, {"author": author.id, "key": key}).one(), author, room), False
    view = kind.view(row, author, room)
    if row.visibility == "pending":
        # Only moderators and the room's rapporteurs hear of it until it is approved.
        log.record(session, room_id, kind.submitted, {"restricted": {kind.name: view}})
        return view, True
    return announce(session, kind, row, view, was=None), True


def announce(session: Session, kind: Kind, item, view: dict, *, was: str | None) -> dict:
    """Log a contribution that has just become visible (posted, `was` None, or approved or
    restored by a moderator) for the room, with the counts its readers' pages show, moved."""
    moved = counts.moved(session, kind.counted, item, was, "visible")
    log.record(session, item.room_id, kind.posted, {kind.name: view, **kind.counts(moved)})
    return view
