"""How committed room events reach every process's hub.

memory:// (the default): one process; the hub is handed events right after commit.

postgresql://...: several uvicorn processes on one PostgreSQL database. Each write transaction
sends NOTIFY with its events (PostgreSQL delivers it only if the transaction commits): whole
when they fit in NOTIFY's 8000 bytes, else as room and sequence, which every process then
reads from the log. Every process LISTENs and hands them to its hub; the database, as
always, holds the truth. Who is here is shared the same way (live/presence.py)."""
from __future__ import annotations

import asyncio
import json
import logging

from sqlalchemy import text
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from consult.db import Committed, Database
from consult.jsontext import dumps
from consult.live import presence
from consult.live.hub import Hub
from consult.rooms import log

CHANNEL = "consult_room_events"
KICKS = "consult_kicks"
logger = logging.getLogger("consult.broadcast")


class MemoryBroadcast:
    def __init__(self, hub: Hub):
        self.hub = hub

    def committed(self, events: list[Committed]) -> None:
        self.hub.publish(events)

    async def kick(self, room_id: int, who: str) -> None:
        self.hub.kick(room_id, who)

    async def start(self) -> None:
        pass

    async def stop(self) -> None:
        pass


# NOTIFY carries at most 8000 bytes.
NOTE_BYTES = 7900


def notify(session: Session, events) -> None:
    """Inside the write transaction: PostgreSQL sends this at commit, or never. An event that
    fits is sent whole, as committed, so that no process reads it back from the log (with
    two workers, that read per event per process cost more than the event's fan-out); a
    larger one is sent as its room and sequence, and read back."""
    for event in events:
        note = dumps(event._asdict())
        if len(note.encode()) > NOTE_BYTES:
            note = dumps({"room_id": event.room_id, "seq": event.seq})
        session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": note})


class PostgresBroadcast:
    def __init__(self, hub: Hub, db: Database, url: str):
        self.hub, self.db = hub, db
        # psycopg speaks libpq URLs; SQLAlchemy's driver suffix is not one.
        self.url = url.replace("postgresql+psycopg://", "postgresql://")
        self.task: asyncio.Task | None = None
        # Who is here is counted over every process too (live/presence.py).
        self.presence = hub.here = presence.SharedPresence(db, hub.here_locally, hub.announce_presence,
                                                           lambda: list(hub.rooms))

    def committed(self, events: list[Committed]) -> None:
        """Nothing to do here: this process hears its own NOTIFY like every other."""

    async def kick(self, room_id: int, who: str) -> None:
        """Someone removed from a room may hold sockets in any process."""
        import psycopg
        async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as conn:
            await conn.execute("SELECT pg_notify(%s, %s)", (KICKS, json.dumps({"room_id": room_id, "who": who})))

    async def start(self) -> None:
        self.task = asyncio.create_task(self._listen())
        self.presence.start()

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
        await self.presence.stop()

    async def _listen(self) -> None:
        import psycopg
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    await conn.execute(f"LISTEN {KICKS}")
                    await conn.execute(f"LISTEN {presence.CHANNEL}")
                    async for note in conn.notifies():
                        if note.channel == presence.CHANNEL:
                            self.presence.heard(int(note.payload))
                            continue
                        data = json.loads(note.payload)
                        if note.channel == KICKS:
                            self.hub.kick(data["room_id"], data["who"])
                            continue
                        if "type" in data:
                            self.hub.publish([Committed(**data)])
                            continue
                        events = await run_in_threadpool(self.db.read, log.after, data["room_id"],
                                                         data["seq"] - 1, 1)
                        self.hub.publish(events)
            except asyncio.CancelledError:
                raise
            except Exception:
                # Sockets catch up from the log when they reconnect; keep listening.
                logger.exception("lost the broadcast connection; reconnecting in 1 s")
                await asyncio.sleep(1)


def before_commit(url: str):
    """What the write transaction does for this backend just before commit (Database's
    before_commit): PostgreSQL NOTIFYs in the transaction; memory:// needs nothing."""
    return notify if url.startswith("postgres") else None


def make(url: str, hub: Hub, db: Database):
    if url.startswith("postgres"):
        return PostgresBroadcast(hub, db, url)
    return MemoryBroadcast(hub)
