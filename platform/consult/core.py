"""What every route is handed: the database, the hub and the limits, with the one rule that
ties them together: run the service in a transaction, then publish what it committed."""
from __future__ import annotations

import asyncio
import contextvars
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, TypeVar

from starlette.concurrency import run_in_threadpool

from consult.db import KICKS, Database
from consult.live import broadcast
from consult.live.hub import Hub
from consult.audit import service as audit
from consult.errors import DomainError
from consult.i18n import N_
from consult.people import service as people
from consult.people.service import normalise_email
from consult.ratelimit import limiter
from consult.settings import Settings

T = TypeVar("T")


class Core:
    def __init__(self, settings: Settings):
        self.settings = settings
        # Posts, supports, votes, reactions, dots, poll answers and flags share one budget per
        # participant, spent inside the write (consult/access.py, take_part).
        url = settings.database_url
        self.post_limit = limiter(url, "post", settings.post_burst, settings.post_per_minute,
                                  N_("Too many posts in a short time; try again in %(wait)s s."))
        self.db = Database(settings.database_url, post_budget=self.post_limit,
                           before_commit=broadcast.before_commit(settings.broadcast_url))
        self.hub = Hub(settings.socket_queue)
        # SQLite lets one writer in at a time: its writes queue for one thread in order, where
        # forty pool threads each waiting on the lock would sleep and retry it (SQLite's busy
        # handler) and contend for the GIL. Still one transaction, one commit and its fsync per
        # write. (PostgreSQL writers run side by side.)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="sqlite-writer") if self.db.is_sqlite else None
        self.broadcast = broadcast.make(settings.broadcast_url, self.hub, self.db)
        self.join_limit = limiter(url, "join", settings.join_per_minute_per_address // 4,
                                  settings.join_per_minute_per_address, N_("Too many joins from this network in a short time; try again in %(wait)s s."))
        self.login_limit = limiter(url, "login", 5, 6, N_("Too many sign-in attempts for this account in a short time; try again in %(wait)s s."))
        # A venue's organisers may share one address; a guesser spreading over accounts may not.
        self.login_network_limit = limiter(url, "login_network", 20, 30, N_("Too many sign-in attempts from this network in a short time; try again in %(wait)s s."))

    async def sign_in(self, *, address: str, email: str, password: str, via: str) -> int:
        """The organiser's id, or a DomainError; every attempt is audited. Only failures count
        against the network's and the account's budgets (the address as authentication reads
        it): organisers who sign in often are never locked out, a guesser is stopped."""
        account = normalise_email(email)
        try:
            await self.limit(self.login_network_limit.check, address)
            await self.limit(self.login_limit.check, account)
            try:
                organiser_id = await self.read(people.authenticate_organiser, email, password)
            except DomainError:
                await self.limit(self.login_network_limit.spend, address)
                await self.limit(self.login_limit.spend, account)
                raise
        except DomainError as error:
            await self.write(audit.sign_in, email=email, ok=False, address=address, via=via, why=error.detail)
            raise
        await self.write(audit.sign_in, email=email, ok=True, address=address, via=via)
        return organiser_id

    async def limit(self, take: Callable[[str], None], key: str) -> None:
        """Takes from a budget (a limiter's hit, check or spend; RateLimited when it refuses).
        A bucket shared in PostgreSQL is a short transaction of its own: it runs on a worker
        thread, as every other database call does, for a round trip on the event loop would
        hold up every socket and request of the process meanwhile. One in memory is taken in
        place, cheaper than the trip to a thread."""
        if take.__self__.shared:
            await run_in_threadpool(take, key)
        else:
            take(key)

    async def write(self, fn: Callable[..., T], *args, **kwargs) -> T:
        if self._writer is None:
            (result, kicks), room_events = await run_in_threadpool(self.db.write, _with_kicks, fn, args, kwargs)
        else:
            (result, kicks), room_events = await asyncio.get_running_loop().run_in_executor(
                self._writer, contextvars.copy_context().run, self.db.write, _with_kicks, fn, args, kwargs)
        self.broadcast.committed(room_events)
        for room_id, who in kicks:
            await self.broadcast.kick(room_id, who)
        return result

    async def read(self, fn: Callable[..., T], *args, **kwargs) -> T:
        return await run_in_threadpool(self.db.read, fn, *args, **kwargs)


def _with_kicks(session, fn, args, kwargs):
    """The action's result and the sockets it queued to close (db.queue_kick), closed only once
    the transaction has committed."""
    return fn(session, *args, **kwargs), session.info.pop(KICKS, [])
