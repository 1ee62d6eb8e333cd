"""Catching up: a replayed event is sent as it would be alone, whether its stored text is
wrapped as it is or parsed and serialised again, one event a message or many."""
from __future__ import annotations

import asyncio
import json

from hypothesis import given, settings, strategies as st
from test_privacy import api_member

from consult.jsontext import dumps, loads
from consult.live import fragments
from consult.live.hub import Message
from consult.live.outlet import BATCH_BYTES, RAW_SEND, SocketOutlet
from consult.live.replay import Replayed

CREATED = "2026-12-02T06:47:35.167774"
values = st.recursive(st.none() | st.booleans() | st.integers(-2**53, 2**53) | st.text(),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                      max_leaves=12)
payloads = st.dictionaries(st.text(max_size=12), values, max_size=5)


def replayed(seq: int, payload: dict, text: str | None = None) -> Replayed:
    return Replayed(1, seq, "comment_posted", dumps(payload) if text is None else text, CREATED)


@settings(max_examples=300, deadline=None)
@given(payloads, st.one_of(st.none(), payloads), st.sampled_from(["participant", "rapporteur", "organiser"]),
       st.booleans())
def test_a_replayed_event_reads_as_the_live_one_whatever_its_payload(payload, restricted, role, spaced):
    if restricted is not None:
        payload = dict(payload, restricted=restricted)
    # Rows written before orjson hold the standard library's spaced JSON.
    stored = json.dumps(payload) if spaced else dumps(payload)
    event = replayed(7, payload, stored)
    sent = loads(fragments.api_json(Message(event), role))
    assert sent == fragments.event_json(event, role != "participant")


class FakeSocket:
    def __init__(self, sent: list):
        async def raw_send(message):
            sent.append(message["text"])
        self.scope = {RAW_SEND: raw_send}


def test_a_batched_replay_sends_every_missed_event_once_in_order_in_messages_under_the_cap():
    sent: list[str] = []
    long = "x" * 2000
    events = [replayed(seq, {"comment": {"id": seq, "text": long}}) for seq in range(1, 401)]

    async def scenario():
        outlet = SocketOutlet(FakeSocket(sent), fragments.api_json, "participant", after=5)
        await outlet.replay(events, fragments.api_batch)
        await outlet.send(Message(replayed(400, {})))   # the same event, live, after the replay
        return outlet.after
    assert asyncio.run(scenario()) == 400
    batches = [loads(text) for text in sent]
    assert len(batches) > 1 and all(b["type"] == "batch" for b in batches)
    assert all(len(text) <= BATCH_BYTES + 2 * 2100 for text in sent)
    assert [e["seq"] for b in batches for e in b["events"]] == list(range(6, 401))
    assert batches[0]["events"][0] == loads(fragments.api_json(Message(events[5]), "participant"))


def test_the_api_stream_replays_in_batches_when_asked_and_one_event_a_message_otherwise(client):
    posters = [api_member(client, f"Poster {n}") for n in range(3)]   # 10 each: within one's burst
    author, headers = posters[0]
    room = author["room_id"]
    start = client.get(f"/api/v1/rooms/{room}/events?after=0", headers=headers).json()["last_seq"]
    for n in range(30):
        r = client.post(f"/api/v1/rooms/{room}/comments", json={"text": f"catch up {n}"},
                        headers={**posters[n % 3][1], "Idempotency-Key": f"replay-batch-{n:04d}"})
        assert r.status_code == 201, r.text

    def replay(query: str) -> list[dict]:
        with client.websocket_connect(f"/api/v1/rooms/{room}/stream?after={start}&token={author['token']}{query}") as ws:
            messages = []
            while (message := ws.receive_json())["type"] != "presence":
                messages.append(message)
        return messages

    one_by_one, batched = replay(""), replay("&batch=1")
    assert [m["seq"] for m in one_by_one] == list(range(start + 1, start + 31))
    assert [m["type"] for m in batched] == ["batch"]
    assert batched[0]["events"] == one_by_one
    assert [e["comment"]["text"] for e in one_by_one] == [f"catch up {n}" for n in range(30)]
