"""The realtime hub: a channel per room, a bounded queue per socket.

It never touches the database: it is handed committed events and passes them on. A socket
that keeps up is written to directly, in the same pass over the room's sockets that publishes
the message (as a bare broadcast loops over its sockets); a socket whose connection is not
ready, or that is still replaying, gets the message in its queue, which its own writer empties
before it goes direct again. A
socket that cannot keep up at all is told to reconnect (and catch up from the log) instead of
being allowed to grow memory. Tallies that change many times a second are coalesced per room.
"""
from __future__ import annotations

import asyncio
import heapq
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Protocol

from consult.db import Committed
from consult.live.presence import LocalPresence

logger = logging.getLogger("consult.hub")

# Event types whose latest value replaces earlier ones, with the payload field naming what it
# is the value of (None: the whole room): a burst of votes on one amendment is sent as a few
# updates a second, not one per click.
COALESCE = {"support_changed": "comment_id", "amendment_voted": "amendment_id",
            "reaction_changed": "paragraph_id", "priorities_changed": None, "poll_answered": "poll"}
COALESCE_SECONDS = 0.15
PRESENCE_SECONDS = 0.3
GAP_SECONDS = 1.0

CLOSE = object()
# The client went away: its socket's writer stops.
GONE = object()
# Passing notices: sent live, never logged, never replayed.
NOTICE_KINDS = ("presence", "editing")


@dataclass(eq=False)
class Message:
    """One committed event, or a passing notice (presence, who is editing) that is never
    logged, as it goes out; rendered at most once per format and role."""

    event: Committed | None
    kind: str = "event"
    data: dict[str, Any] = field(default_factory=dict)
    _rendered: dict[Any, Any] = field(default_factory=dict)
    # The event's sequence (None for a notice), read for every socket it goes to.
    seq: int | None = field(init=False)

    def __post_init__(self) -> None:
        self.seq = self.event.seq if self.event else None

    def render(self, key: Any, renderer: Callable[["Message"], Any]) -> Any:
        try:
            return self._rendered[key]
        except KeyError:
            rendered = self._rendered[key] = renderer(self)
            return rendered


class Outlet(Protocol):
    """What a subscriber's socket is written through (live/outlet.py)."""

    def push(self, message: Message) -> bool:
        """Write the message now if that needs no wait for the client; False: not written."""

    async def send(self, message: Message) -> None: ...


@dataclass(eq=False)
class Follower:
    """A socket's place in the hub: its queue, and whether the hub may write to it directly."""

    who: str  # "p:<id>" or "o:<id>"
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue())
    outlet: Outlet | None = None
    # Set by the socket's writer while its queue is empty: the hub may then write to the
    # socket itself, in order, without a task waking per message per socket.
    live: bool = False
    ended: bool = False

    def offer(self, message: Message) -> bool:
        try:
            self.queue.put_nowait(message)
            return True
        except asyncio.QueueFull:
            return False

    def end(self) -> None:
        """Wake the writer to stop, whatever the queue still holds: the writer waits on the
        queue alone, rather than on the queue and the client at once for every message (a task
        and a wait per message per socket cost more than the send)."""
        self.live, self.ended = False, True
        while True:
            try:
                self.queue.put_nowait(GONE)
                return
            except asyncio.QueueFull:
                self.queue.get_nowait()


@dataclass(eq=False, kw_only=True)
class Subscriber(Follower):
    """A socket following one room, counted as here in it (presence counts people, not devices)."""

    room_id: int
    role: str


@dataclass(eq=False)
class Watcher(Follower):
    """A socket following every room, the organisers' dashboard: in no room, so never counted
    as here, and sent a note of each event rather than its content."""


class Hub:
    def __init__(self, queue_size: int = 256):
        self.queue_size = queue_size
        self.rooms: dict[int, set[Subscriber]] = defaultdict(set)
        self.watchers: set[Watcher] = set()
        self._pending: dict[int, dict[tuple, Committed]] = defaultdict(dict)
        self._flush_handles: dict[int, asyncio.TimerHandle] = {}
        self._presence_handles: dict[int, asyncio.TimerHandle] = {}
        self._next: dict[int, int] = {}
        self._waiting: dict[int, list] = defaultdict(list)
        self._gap_handles: dict[int, asyncio.TimerHandle] = {}
        self.delivered = 0
        self.dropped_subscribers = 0
        # Who is here: this process's sockets, or (several processes) live/presence.py's shared count.
        self.here = LocalPresence(self.here_locally, self.announce_presence)

    # -- subscriptions -------------------------------------------------------------
    def subscribe(self, room_id: int, who: str, role: str, outlet: Outlet | None = None) -> Subscriber:
        sub = self.expect(room_id)
        self.admit(sub, who, role, outlet)
        return sub

    def expect(self, room_id: int) -> Subscriber:
        """A socket about to be admitted: handed the room's events from now on, so that none
        committed while its access and its replay are being read is missed (its queue holds
        them), but not counted as here, nor written to directly, until admitted."""
        sub = Subscriber("", asyncio.Queue(maxsize=self.queue_size), room_id=room_id, role="")
        self.rooms[room_id].add(sub)
        return sub

    def admit(self, sub: Subscriber, who: str, role: str, outlet: Outlet) -> None:
        sub.who, sub.role, sub.outlet = who, role, outlet
        self._presence_changed(sub.room_id)

    def watch(self, who: str, outlet: Outlet | None = None) -> Watcher:
        watcher = Watcher(who, asyncio.Queue(maxsize=self.queue_size), outlet)
        self.watchers.add(watcher)
        return watcher

    def unwatch(self, watcher: Watcher) -> None:
        self.watchers.discard(watcher)

    def kick(self, room_id: int | None, who: str) -> None:
        """Close the sockets of someone removed from a room, or (room_id None) all of theirs,
        as when their sessions end: a socket opened before must not outlive them."""
        subs = self.rooms.get(room_id, ()) if room_id is not None else \
            [*(s for subs in self.rooms.values() for s in subs), *self.watchers]
        for sub in [s for s in subs if s.who == who]:
            self._evict(sub, counted=False)

    def unsubscribe(self, sub: Subscriber) -> None:
        subs = self.rooms.get(sub.room_id)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self.rooms[sub.room_id]
        if sub.who:
            self._presence_changed(sub.room_id)

    def here_locally(self, room_id: int) -> set[str]:
        return {s.who for s in self.rooms.get(room_id, ()) if s.who}

    def presence(self, room_id: int) -> int:
        return self.here.count(room_id)

    # -- publishing ----------------------------------------------------------------
    def publish(self, events: Iterable[Committed]) -> None:
        """Called on the event loop, after commit. Two transactions can come back to the loop
        in the other order than they committed; events are released in sequence order, waiting
        briefly for a missing one (which is on its way: every commit is published)."""
        for event in events:
            room = event.room_id
            expected = self._next.get(room)
            if expected is not None and event.seq > expected:
                heapq.heappush(self._waiting[room], (event.seq, event))
                if room not in self._gap_handles:
                    self._gap_handles[room] = asyncio.get_running_loop().call_later(
                        GAP_SECONDS, self._give_up_waiting, room)
                continue
            self._release(event)
            self._release_waiting(room)

    def _release_waiting(self, room_id: int) -> None:
        waiting = self._waiting.get(room_id)
        while waiting and waiting[0][0] <= self._next[room_id]:
            self._release(heapq.heappop(waiting)[1])
        if not waiting:
            self._waiting.pop(room_id, None)
            handle = self._gap_handles.pop(room_id, None)
            if handle is not None:
                handle.cancel()

    def _give_up_waiting(self, room_id: int) -> None:
        """The missing event never came (its process died after commit): go on without it;
        clients that need it find it in the log when they reconnect."""
        self._gap_handles.pop(room_id, None)
        for _, event in sorted(self._waiting.pop(room_id, [])):
            self._release(event)

    def _release(self, event: Committed) -> None:
        self._next[event.room_id] = max(self._next.get(event.room_id, 0), event.seq + 1)
        if event.type not in COALESCE:
            self._flush(event.room_id)
            self._deliver(event.room_id, Message(event))
            return
        key_field = COALESCE[event.type]
        key = event.payload[key_field] if key_field else None
        if isinstance(key, dict):
            key = key["id"]
        pending = self._pending[event.room_id]
        if (event.type, key) not in pending or pending[(event.type, key)].seq < event.seq:
            pending[(event.type, key)] = event
        if event.room_id not in self._flush_handles:
            loop = asyncio.get_running_loop()
            self._flush_handles[event.room_id] = loop.call_later(
                COALESCE_SECONDS, self._flush, event.room_id)

    def _flush(self, room_id: int) -> None:
        handle = self._flush_handles.pop(room_id, None)
        if handle is not None:
            handle.cancel()
        pending = self._pending.pop(room_id, None)
        if pending:
            for event in sorted(pending.values(), key=lambda e: e.seq):
                self._deliver(room_id, Message(event))

    def _deliver(self, room_id: int, message: Message) -> None:
        """To each socket of the room: written at once if it is live and its connection takes it
        without waiting, so one slow client never holds up the room; otherwise queued, in
        order, for its writer, and not written directly again until the writer has caught up."""
        for sub in [*self.rooms.get(room_id, ()), *self.watchers]:
            if sub.live:
                try:
                    if sub.outlet.push(message):
                        self.delivered += 1
                        continue
                except Exception as error:  # noqa: BLE001 - one socket's failure stays its own
                    # The client went away mid-write (its reader ends the socket too).
                    if not isinstance(error, (OSError, RuntimeError)):
                        logger.exception("a socket write failed")
                    sub.end()
                    continue
                sub.live = False
            self._offer(sub, message)

    def _offer(self, sub: Follower, message: Message) -> None:
        if sub.offer(message):
            self.delivered += 1
        else:
            self._evict(sub)

    def _evict(self, sub: Follower, counted: bool = True) -> None:
        """A full queue means a socket too slow to follow: drop what it holds and tell its
        writer to close; the client reconnects and replays from the log."""
        sub.live, sub.ended = False, True
        self.dropped_subscribers += counted
        while not sub.queue.empty():
            sub.queue.get_nowait()
        sub.queue.put_nowait(CLOSE)
        if isinstance(sub, Watcher):
            self.unwatch(sub)
        else:
            self.unsubscribe(sub)

    def _presence_changed(self, room_id: int) -> None:
        if room_id in self._presence_handles:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._presence_handles[room_id] = loop.call_later(PRESENCE_SECONDS, self._send_presence, room_id)

    def _send_presence(self, room_id: int) -> None:
        self._presence_handles.pop(room_id, None)
        self.here.changed(room_id)

    def announce_presence(self, room_id: int, here: int) -> None:
        self._deliver(room_id, Message(None, "presence", {"here": here, "room_id": room_id}))

    def presence_message(self, room_id: int) -> Message:
        return Message(None, "presence", {"here": self.presence(room_id), "room_id": room_id})

    def notice(self, room_id: int, kind: str, data: dict[str, Any]) -> None:
        """A passing notice to the room, not logged: replayed to nobody."""
        assert kind in NOTICE_KINDS, kind
        self._deliver(room_id, Message(None, kind, dict(data, room_id=room_id)))

    def close(self) -> None:
        for handle in [*self._flush_handles.values(), *self._presence_handles.values(), *self._gap_handles.values()]:
            handle.cancel()
        for sub in [s for subs in self.rooms.values() for s in subs] + list(self.watchers):
            sub.live = False
            sub.offer(CLOSE)
