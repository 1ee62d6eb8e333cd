"""Token buckets per participant and address, enough to stop a flood from one of them.

On SQLite the buckets live in the process's memory: SQLite serves one process, and a bucket
written to the database would add a write, and its fsync, to every post under SQLite's one
write lock. On PostgreSQL they live in a table every worker shares (rate_buckets), so that
`run.py --workers 2` does not give each person two budgets."""
from __future__ import annotations

import datetime as dt
import functools
import threading
import time

import sqlalchemy as sa
from sqlalchemy import create_engine, func
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base
from consult.errors import RateLimited
from consult.i18n import _


class RateBucket(Base):
    """One shared bucket: `tokens` as they were at `at` (refilled on read, by the time since)."""

    __tablename__ = "rate_buckets"
    limiter: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    bucket: Mapped[str] = mapped_column(sa.String(320), primary_key=True)
    tokens: Mapped[float] = mapped_column(sa.Float)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime, index=True)


class Limiter:
    # Whether a take is a database call (Core.limit runs it off the event loop).
    shared = False

    def __init__(self, burst: int, per_minute: int, message: str):
        """`message`, marked with N_ and holding %(wait)s, is what the refused person reads."""
        self.burst = burst
        self.rate = per_minute / 60.0
        self.message = message
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        """Takes a token, or raises RateLimited when the key's bucket is empty."""
        self._take(key, check=True, spend=True)

    def check(self, key: str) -> None:
        """Raises RateLimited when the bucket is empty, without taking a token: the look before
        an attempt that only counts when it fails."""
        self._take(key, check=True, spend=False)

    def spend(self, key: str) -> None:
        """Takes a token even from an empty bucket (a failure that already happened)."""
        self._take(key, check=False, spend=True)

    def _refill(self, tokens: float, elapsed: float, check: bool) -> float:
        tokens = min(self.burst, tokens + elapsed * self.rate)
        if check and tokens < 1:
            wait = int((1 - tokens) / self.rate) + 1
            raise RateLimited(_(self.message, wait=wait), wait)
        return tokens

    def _take(self, key: str, *, check: bool, spend: bool) -> None:
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = self._refill(tokens, now - last, check)
            self._buckets[key] = (max(tokens - 1, 0.0) if spend else tokens, now)
            if len(self._buckets) > 50_000:
                self._forget_idle(now)

    def _forget_idle(self, now: float) -> None:
        idle = self.burst / self.rate
        for key in [k for k, (_, last) in self._buckets.items() if now - last > idle]:
            del self._buckets[key]


BUCKETS = RateBucket.__table__


class SharedLimiter(Limiter):
    """The same buckets in PostgreSQL, each taken in a short transaction of its own under the
    row's lock: two workers taking from one bucket at once take two tokens, and the clock is
    the database's, one for every worker. (Its own transaction, not the post's: a budget is
    spent on what was attempted, as in memory.)"""

    FORGET_EVERY = 1000
    shared = True

    def __init__(self, database_url: str, name: str, burst: int, per_minute: int, message: str):
        super().__init__(burst, per_minute, message)
        self.engine, self.name = _engine(database_url), name
        self._takes = 0

    def _take(self, key: str, *, check: bool, spend: bool) -> None:
        with self.engine.begin() as conn:
            # Inserted full if new; either way the row is locked and read in one statement.
            tokens, elapsed = conn.execute(
                pg_insert(BUCKETS).values(limiter=self.name, bucket=key, tokens=float(self.burst), at=func.now())
                .on_conflict_do_update(index_elements=[BUCKETS.c.limiter, BUCKETS.c.bucket],
                                       set_={"tokens": BUCKETS.c.tokens})
                .returning(BUCKETS.c.tokens, func.extract("epoch", func.now() - BUCKETS.c.at))
            ).one()
            tokens = self._refill(tokens, float(elapsed), check)
            conn.execute(BUCKETS.update().where(BUCKETS.c.limiter == self.name, BUCKETS.c.bucket == key)
                         .values(tokens=max(tokens - 1, 0.0) if spend else tokens, at=func.now()))
            self._takes += 1
            if self._takes % self.FORGET_EVERY == 0:
                # A bucket idle long enough to be full again is the same as no bucket.
                conn.execute(BUCKETS.delete().where(
                    BUCKETS.c.limiter == self.name,
                    BUCKETS.c.at < func.now() - sa.text(f"interval '{int(self.burst / self.rate) + 1} seconds'")))


@functools.cache
def _engine(database_url: str) -> Engine:
    """A pool of the buckets' own: a post spends from its budget while it holds a connection of
    the database's pool, and must never wait on that pool for a second one."""
    return create_engine(database_url, pool_size=5, max_overflow=15, pool_pre_ping=True)


def limiter(database_url: str, name: str, burst: int, per_minute: int, message: str) -> Limiter:
    if database_url.startswith("postgres"):
        return SharedLimiter(database_url, name, burst, per_minute, message)
    return Limiter(burst, per_minute, message)
