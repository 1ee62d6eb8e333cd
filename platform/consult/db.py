"""Engine, sessions and the unit of work.

Every request's work runs in one transaction, in a worker thread (sync SQLAlchemy is several
times faster than aiosqlite on SQLite). Room events written during the transaction are handed
back only after commit, so nothing is ever pushed that the database does not hold.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, NamedTuple, TypeVar

from sqlalchemy import MetaData, create_engine, event, exc
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, sessionmaker

from consult import jsontext

T = TypeVar("T")
# JSON columns are read and written for every room event (consult/jsontext.py).
JSON_TEXT = {"json_serializer": jsontext.dumps, "json_deserializer": jsontext.loads}

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# What a database that blinks raises (PostgreSQL down or restarting, the pool unable to
# connect, SQLite locked past its timeout): a moment's unavailability, not a bug.
UNREACHABLE = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)


# Where a write session carries the participants' post budget (consult/access.py).
POST_BUDGET = "post_budget"


# Sockets to close once the write commits, queued by the action that ends someone's access
# (a removal, a renewed personal link, signing out everywhere): (room id or None for every
# room, "p:<participant id>" or "o:<organiser id>"). Core closes them after commit.
KICKS = "kicks"


def queue_kick(session, room_id: int | None, who: str) -> None:
    session.info.setdefault(KICKS, []).append((room_id, who))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Committed(NamedTuple):
    """A room event as committed: what the hub publishes and sockets replay (a tuple: a
    replay builds thousands, and a frozen dataclass costs several times more to build)."""

    room_id: int
    seq: int
    type: str
    payload: dict[str, Any]
    created_at: str


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    path = make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # As many pooled connections as worker threads (anyio's 40): with fewer, every connection
    # past the pool is opened, set up and closed per use, which a storm of reconnects after a
    # restart paid hundreds of times over (the WAL pragma takes the database's lock).
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                           pool_size=40, max_overflow=20, **JSON_TEXT)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let the dialect's begin below emit BEGIN, not pysqlite (SQLAlchemy docs,
        # "Serializable isolation / Savepoints / Transactional DDL").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: an acknowledged comment survives a power cut, not only a crash.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    # A deferred transaction that reads, then writes fails at once with "database is locked"
    # when another writer committed in between; IMMEDIATE takes the write lock first and waits
    # for it instead. Emitted by this engine's dialect (its own instance) where the SQLAlchemy
    # docs' recipe uses a "begin" event: an engine with any connection event listener
    # dispatches four empty events around every statement, about a tenth of a comment post's CPU.
    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"

    def do_begin(dbapi_connection):
        dbapi_connection.execute(begin)

    engine.dialect.do_begin = do_begin
    return engine


class Database:
    def __init__(self, url: str, *, before_commit=None, post_budget=None):
        """`before_commit(session, room events)`: run in the write transaction just before commit
        (how a broadcast backend sends its notifications in it: live/broadcast.py).
        `post_budget`: the Limiter that participants' writes spend from (consult/access.py,
        spend_post_budget); every write session carries it."""
        self.url = url
        self.post_budget = post_budget
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.write_engine = _sqlite_engine(url, immediate=True)
            self.read_engine = _sqlite_engine(url, immediate=False)
        else:
            self.write_engine = self.read_engine = create_engine(url, pool_size=20, max_overflow=20,
                                                                 pool_pre_ping=True, **JSON_TEXT)
        self._writer = sessionmaker(self.write_engine, expire_on_commit=False)
        self.before_commit = before_commit
        self._reader = sessionmaker(self.read_engine, expire_on_commit=False)

    def write(self, fn: Callable[..., T], *args, **kwargs) -> tuple[T, list[Committed]]:
        """Run fn(session, ...) in one write transaction; return its result and its room events."""
        with self._writer() as session:
            if self.post_budget is not None:
                session.info[POST_BUDGET] = self.post_budget
            with session.begin():
                result = fn(session, *args, **kwargs)
                session.flush()
                room_events = session.info.pop("room_events", [])
                if room_events and self.before_commit is not None:
                    self.before_commit(session, room_events)
            return result, room_events

    def read(self, fn: Callable[..., T], *args, **kwargs) -> T:
        with self._reader() as session:
            with session.begin():
                return fn(session, *args, **kwargs)

    def snapshot(self, fn: Callable[..., T], *args, **kwargs) -> T:
        """A long read that must see one consistent moment (an export while rooms are live).
        SQLite's WAL gives a read transaction its snapshot; PostgreSQL needs REPEATABLE READ."""
        with self._reader() as session:
            if not self.is_sqlite:
                session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            try:
                return fn(session, *args, **kwargs)
            finally:
                session.rollback()

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()
