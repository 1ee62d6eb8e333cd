"""Who is here: the people with a socket open in a room, each counted once however many
devices they use.

One process (memory://): its hub's sockets are everyone, and the count is theirs.

Several processes (PostgreSQL): each keeps its own rows in `here` (process, room, who),
rewritten when its sockets in a room change, and NOTIFYs the room; every process then reads
the room's count over all processes' rows and tells its sockets. Each process refreshes its
rows every HEARTBEAT seconds and reads its rooms' counts again, and rows older than STALE
seconds are not counted: a process killed without a word is forgotten within STALE seconds."""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import uuid
from typing import Callable

import sqlalchemy as sa
from sqlalchemy import func, text
from sqlalchemy.orm import Mapped, Session, mapped_column
from starlette.concurrency import run_in_threadpool

from consult.db import Base, Database

CHANNEL = "consult_here"
HEARTBEAT = 10.0
STALE = 30
logger = logging.getLogger("consult.presence")


class Here(Base):
    __tablename__ = "here"
    process: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    room_id: Mapped[int] = mapped_column(primary_key=True, index=True)
    who: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    seen_at: Mapped[dt.datetime]


HERE = Here.__table__


class LocalPresence:
    """memory://: the count is this process's own sockets'. `local(room)`: who has a socket
    open in the room here; `announce(room, count)`: tell the room."""

    def __init__(self, local: Callable[[int], set[str]], announce: Callable[[int, int], None]):
        self.local, self.announce = local, announce

    def count(self, room_id: int) -> int:
        return len(self.local(room_id))

    def changed(self, room_id: int) -> None:
        self.announce(room_id, self.count(room_id))


class SharedPresence:
    """PostgreSQL: the count over every process's rows, as last read. Writes and reads are
    done by one task, off the event loop, each for a room's latest state: a burst of connects
    to a room is one write, and two writes for a room never land in the wrong order."""

    def __init__(self, db: Database, local: Callable[[int], set[str]], announce: Callable[[int, int], None],
                 rooms: Callable[[], list[int]]):
        """`rooms()`: the rooms this process has sockets in."""
        self.db, self.local, self.announce, self.rooms = db, local, announce, rooms
        self.process = uuid.uuid4().hex
        self.counts: dict[int, int] = {}
        self._dirty: set[int] = set()   # rooms whose rows to rewrite
        self._heard: set[int] = set()   # rooms whose count to read again
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task] = []

    def count(self, room_id: int) -> int:
        """As last read; this process's own count until then."""
        return self.counts.get(room_id, len(self.local(room_id)))

    def changed(self, room_id: int) -> None:
        self._dirty.add(room_id)
        self._wake.set()

    def heard(self, room_id: int) -> None:
        """Another process (or this one) changed who is here in the room."""
        self._heard.add(room_id)
        self._wake.set()

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._work()), asyncio.create_task(self._beat())]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        try:
            await run_in_threadpool(self.db.write, self._leave)
        except Exception:  # noqa: BLE001 - going away anyway: its rows go stale
            logger.warning("could not clear this process's presence rows")

    async def _work(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            dirty, self._dirty = self._dirty, set()
            heard, self._heard = self._heard, set()
            try:
                if dirty:
                    # The room's NOTIFY brings this process its own count back, with the others'.
                    rows = {room_id: self.local(room_id) for room_id in dirty}
                    await run_in_threadpool(self.db.write, self._rewrite, rows)
                if heard:
                    await self._read(heard)
            except Exception:  # noqa: BLE001 - a blink of the database must not end presence
                logger.exception("presence could not be shared; trying again")
                self._dirty |= dirty
                self._heard |= heard
                await asyncio.sleep(1)
                self._wake.set()

    async def _beat(self) -> None:
        """Keeps this process's rows fresh, and notices a process that went away silently."""
        while True:
            await asyncio.sleep(HEARTBEAT)
            try:
                await run_in_threadpool(self.db.write, self._refresh)
                await self._read(set(self.rooms()) | set(self.counts))
            except Exception:  # noqa: BLE001
                logger.exception("presence heartbeat failed")

    async def _read(self, rooms: set[int]) -> None:
        counts = await run_in_threadpool(self.db.read, _counts, rooms)
        for room_id in rooms:
            n = counts.get(room_id, 0)
            if self.counts.get(room_id) != n:
                self.counts[room_id] = n
                self.announce(room_id, n)

    def _rewrite(self, session: Session, rows: dict[int, set[str]]) -> None:
        session.execute(HERE.delete().where(HERE.c.process == self.process, HERE.c.room_id.in_(rows)))
        values = [{"process": self.process, "room_id": room_id, "who": who}
                  for room_id, whos in rows.items() for who in whos]
        if values:
            session.execute(HERE.insert().values(seen_at=func.now()), values)
        _notify(session, rows)

    def _refresh(self, session: Session) -> None:
        session.execute(HERE.update().where(HERE.c.process == self.process).values(seen_at=func.now()))

    def _leave(self, session: Session) -> None:
        rooms = session.scalars(HERE.delete().where(HERE.c.process == self.process).returning(HERE.c.room_id))
        _notify(session, set(rooms))


def _notify(session: Session, rooms) -> None:
    for room_id in rooms:
        session.execute(text("SELECT pg_notify(:channel, :room)"), {"channel": CHANNEL, "room": str(room_id)})


def _counts(session: Session, rooms: set[int]) -> dict[int, int]:
    fresh = HERE.c.seen_at > func.now() - text(f"interval '{STALE} seconds'")
    return dict(session.execute(
        sa.select(HERE.c.room_id, func.count(HERE.c.who.distinct()))
        .where(HERE.c.room_id.in_(rooms), fresh).group_by(HERE.c.room_id)).all())
