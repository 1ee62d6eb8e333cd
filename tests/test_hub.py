"""The hub alone: delivery per room, coalesced tallies, slow sockets let go."""
from __future__ import annotations

import asyncio

from hypothesis import given, settings, strategies as st

from consult.db import Committed
from consult.live import hub as hub_module
from consult.live.hub import CLOSE, Hub


def event(room_id, seq, type="comment_posted", **payload):
    return Committed(room_id, seq, type, payload, "2024-11-26T10:00:00")


def drain(queue):
    items = []
    while not queue.empty():
        items.append(queue.get_nowait())
    return items


def test_events_reach_every_socket_of_their_room_and_no_other():
    async def scenario():
        hub = Hub()
        a1, a2, b = hub.subscribe(1, "p:1", "participant"), hub.subscribe(1, "p:2", "participant"), \
            hub.subscribe(2, "p:3", "participant")
        hub.publish([event(1, 5)])
        return [[m.seq for m in drain(s.queue)] for s in (a1, a2, b)]
    assert asyncio.run(scenario()) == [[5], [5], []]


def test_a_burst_of_tallies_is_coalesced_to_the_latest_value():
    async def scenario():
        hub = Hub()
        sub = hub.subscribe(1, "p:1", "participant")
        hub.publish([event(1, seq, "support_changed", comment_id=7, support=seq) for seq in range(1, 31)])
        assert sub.queue.empty()
        await asyncio.sleep(hub_module.COALESCE_SECONDS + 0.1)
        return [(m.seq, m.event.payload["support"]) for m in drain(sub.queue) if m.event]
    assert asyncio.run(scenario()) == [(30, 30)]


def test_a_pending_tally_goes_out_before_the_next_event_to_keep_order():
    async def scenario():
        hub = Hub()
        sub = hub.subscribe(1, "p:1", "participant")
        hub.publish([event(1, 1, "support_changed", comment_id=7, support=1), event(1, 2)])
        return [m.seq for m in drain(sub.queue) if m.event]
    assert asyncio.run(scenario()) == [1, 2]


def test_a_socket_that_cannot_keep_up_is_told_to_reconnect_not_buffered():
    async def scenario():
        hub = Hub(queue_size=4)
        slow = hub.subscribe(1, "p:1", "participant")
        hub.publish([event(1, seq) for seq in range(1, 10)])
        return drain(slow.queue), hub.presence(1), hub.dropped_subscribers
    items, presence, dropped = asyncio.run(scenario())
    assert items == [CLOSE] and presence == 0 and dropped == 1


def test_presence_counts_people_not_devices():
    async def scenario():
        hub = Hub()
        hub.subscribe(1, "p:1", "participant")
        hub.subscribe(1, "p:1", "participant")
        hub.subscribe(1, "p:2", "participant")
        return hub.presence(1)
    assert asyncio.run(scenario()) == 2


def test_events_committed_in_one_order_and_published_in_another_go_out_in_sequence():
    async def scenario():
        hub = Hub()
        sub = hub.subscribe(1, "p:1", "participant")
        hub.publish([event(1, 1)])
        hub.publish([event(1, 3)])      # seq 2's transaction came back to the loop later
        held = [m.seq for m in drain(sub.queue) if m.event]
        hub.publish([event(1, 2)])
        return held, [m.seq for m in drain(sub.queue) if m.event]
    assert asyncio.run(scenario()) == ([1], [2, 3])


def test_a_missing_event_is_not_waited_for_forever():
    async def scenario():
        hub = Hub()
        sub = hub.subscribe(1, "p:1", "participant")
        hub.publish([event(1, 1), event(1, 3)])
        await asyncio.sleep(hub_module.GAP_SECONDS + 0.2)
        return [m.seq for m in drain(sub.queue) if m.event]
    assert asyncio.run(scenario()) == [1, 3]


def test_coalescing_keeps_the_latest_sequence_not_the_last_published():
    async def scenario():
        hub = Hub()
        sub = hub.subscribe(1, "p:1", "participant")
        hub.publish([event(1, 1)])
        hub.publish([event(1, 2, "support_changed", comment_id=7, support=1),
                     event(1, 3, "support_changed", comment_id=7, support=2)])
        await asyncio.sleep(hub_module.COALESCE_SECONDS + 0.1)
        return [(m.seq, m.event.payload.get("support")) for m in drain(sub.queue) if m.event]
    assert asyncio.run(scenario()) == [(1, None), (3, 2)]


class FakeOutlet:
    """A socket that records what reaches it; `writable` cleared stands for a client that
    stopped reading (a send then waits, as uvicorn's does)."""

    def __init__(self):
        self.writable, self.sent = asyncio.Event(), []
        self.writable.set()

    def push(self, message):
        if not self.writable.is_set():
            return False
        self.sent.append(message.seq)
        return True

    async def send(self, message):
        await self.writable.wait()
        self.sent.append(message.seq)


async def writer(sub):
    """What live/routes.py's writer does: empty the queue, go live when it is empty."""
    while True:
        sub.live = sub.queue.empty()
        message = await sub.queue.get()
        if message in (CLOSE, hub_module.GONE):
            return
        await sub.outlet.send(message)


def test_a_client_that_stops_reading_is_queued_without_holding_up_the_room_and_keeps_its_order():
    async def scenario():
        hub = Hub()
        fast, slow = FakeOutlet(), FakeOutlet()
        subs = [hub.subscribe(1, "p:1", "participant", fast), hub.subscribe(1, "p:2", "participant", slow)]
        writers = [asyncio.create_task(writer(s)) for s in subs]
        await asyncio.sleep(0)
        hub.publish([event(1, 1)])
        await asyncio.sleep(0.01)
        slow.writable.clear()
        hub.publish([event(1, 2), event(1, 3)])
        await asyncio.sleep(0.01)
        while_stalled = list(fast.sent), list(slow.sent), subs[1].live
        slow.writable.set()
        await asyncio.sleep(0.01)
        hub.publish([event(1, 4)])
        await asyncio.sleep(0.01)
        for s in subs:
            s.end()
        await asyncio.gather(*writers)
        return while_stalled, fast.sent, slow.sent, subs[1].live
    while_stalled, fast, slow, live = asyncio.run(scenario())
    assert while_stalled == ([1, 2, 3], [1], False)
    assert fast == slow == [1, 2, 3, 4]


def test_a_send_that_fails_ends_that_socket_alone():
    class Gone(FakeOutlet):
        def push(self, message):
            raise ConnectionResetError

    async def scenario():
        hub = Hub()
        broken, fine = Gone(), FakeOutlet()
        subs = [hub.subscribe(1, "p:1", "participant", broken), hub.subscribe(1, "p:2", "participant", fine)]
        for s in subs:
            s.live = True
        hub.publish([event(1, 1), event(1, 2)])
        await asyncio.sleep(0.01)
        return subs[0].ended, subs[0].queue.get_nowait(), fine.sent
    ended, woken_with, sent = asyncio.run(scenario())
    assert ended and woken_with is hub_module.GONE and sent == [1, 2]


def test_a_watcher_hears_every_room_is_here_in_none_and_a_slow_one_is_let_go_alone():
    async def scenario():
        hub = Hub(queue_size=4)
        watcher, member = hub.watch("o:1"), hub.subscribe(1, "p:1", "participant")
        hub.publish([event(1, 1), event(2, 1)])
        heard = [(m.event.room_id, m.seq) for m in drain(watcher.queue)]
        here = (hub.presence(1), hub.presence(2))
        hub.publish([event(2, seq) for seq in range(2, 8)])   # more than its queue holds
        return heard, here, drain(watcher.queue), hub.watchers, hub.rooms[1] == {member}
    heard, here, slow, watchers, member_kept = asyncio.run(scenario())
    assert heard == [(1, 1), (2, 1)] and here == (1, 0)
    assert slow == [CLOSE] and watchers == set() and member_kept


def test_a_socket_being_admitted_keeps_what_is_published_meanwhile_and_is_here_only_once_admitted():
    async def scenario():
        hub = Hub()
        sub = hub.expect(1)
        hub.publish([event(1, 5)])   # committed while its access and replay are read
        before = hub.presence(1)
        hub.admit(sub, "p:1", "participant", None)
        return [m.seq for m in drain(sub.queue)], before, hub.presence(1)
    assert asyncio.run(scenario()) == ([5], 0, 1)


def test_a_socket_refused_at_admission_leaves_no_trace():
    async def scenario():
        hub = Hub()
        hub.subscribe(1, "p:1", "participant")
        await asyncio.sleep(hub_module.PRESENCE_SECONDS + 0.1)
        member = next(iter(hub.rooms[1]))
        drain(member.queue)
        hub.unsubscribe(hub.expect(1))
        await asyncio.sleep(hub_module.PRESENCE_SECONDS + 0.1)
        return hub.presence(1), drain(member.queue)
    assert asyncio.run(scenario()) == (1, [])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.tuples(st.just("publish"), st.integers(1, 3)),
                          st.tuples(st.sampled_from(["stall", "resume"]), st.integers(0, 2)),
                          st.just(("run", 0))), max_size=40))
def test_sockets_stalling_and_resuming_between_publishes_get_every_event_once_in_order(steps):
    """Whatever happens to whose connection between publishes, each socket ends with every
    event of its room once, in sequence: written directly while it takes them, queued while it
    does not, never both, never out of order."""
    async def scenario():
        hub = Hub()
        outlets = [FakeOutlet() for _ in range(3)]
        subs = [hub.subscribe(1, f"p:{i}", "participant", o) for i, o in enumerate(outlets)]
        writers = [asyncio.create_task(writer(s)) for s in subs]
        await asyncio.sleep(0)
        seq = 0
        for action, n in steps:
            if action == "publish":
                hub.publish([event(1, seq + i) for i in range(1, n + 1)])
                seq += n
            elif action == "stall":
                outlets[n].writable.clear()
            elif action == "resume":
                outlets[n].writable.set()
            else:
                await asyncio.sleep(0)
        for outlet in outlets:
            outlet.writable.set()
        await asyncio.sleep(0.01)
        for s in subs:
            s.end()
        await asyncio.gather(*writers)
        return seq, [o.sent for o in outlets]
    published, sent = asyncio.run(scenario())
    assert sent == [list(range(1, published + 1))] * 3
