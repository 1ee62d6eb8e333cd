"""The real server (run.py) end to end: the JSON API writes, the room sockets push.

Every test joins its own new participants through `POST /api/v1/rooms/join`, reads the room's
sequence number first, and connects its sockets with `after=` that number, so earlier tests'
events in the same (shared, session-scoped) server never leak into its assertions.
"""
from __future__ import annotations

import contextlib
import json
import socket
import struct
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx2 as httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

# Demo rooms (platform/consult/demo/content.py). Rooms A and B are two rooms of session 1.
ROOM_A = "K7MPQ2"
ROOM_B = "R4XTN8"
ROOM_C = "H9WDF3"
ROOM_D = "Z2LBV6"
ROOM_G = "M3YRK9"

QUIET = 1.0  # seconds of silence that count as "nothing more is coming"


# -- helpers -------------------------------------------------------------------------------

@dataclass
class Member:
    participant_id: int
    room_id: int
    token: str

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def api(live_server):
    with httpx.Client(base_url=live_server, timeout=30,
                      limits=httpx.Limits(max_connections=40, max_keepalive_connections=40)) as client:
        yield client


@pytest.fixture
def ws_base(live_server):
    return "ws://" + live_server.split("://", 1)[1]


def join(api, code: str, name: str = "Tester", sector: str = "health", country: str = "BE") -> Member:
    r = api.post("/api/v1/rooms/join", json={"code": code, "name": name, "organisation": "Test org",
                                             "sector": sector, "country": country})
    assert r.status_code == 201, r.text
    body = r.json()
    return Member(body["participant_id"], body["room_id"], body["token"])


def last_seq(api, member: Member) -> int:
    r = api.get(f"/api/v1/rooms/{member.room_id}", headers=member.headers)
    assert r.status_code == 200, r.text
    return r.json()["last_seq"]


def post_comment(api, member: Member, text: str, key: str | None = None, **fields):
    return api.post(f"/api/v1/rooms/{member.room_id}/comments", json={"text": text, **fields},
                    headers={**member.headers, "Idempotency-Key": key or uuid.uuid4().hex})


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"


class Stream:
    """A JSON room stream. `replayed` holds the events sent before the first presence message,
    which the server sends right after replaying the log."""

    def __init__(self, ws):
        self.ws = ws
        self.replayed: list[dict] = []

    def recv(self, timeout: float) -> dict:
        return json.loads(self.ws.recv(timeout=timeout))

    def next_event(self, timeout: float = 5.0) -> dict:
        """The next room event, skipping presence counts (they come and go with sockets)."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.recv(max(0.01, deadline - time.monotonic()))
            if message.get("type") != "presence":
                return message

    def events_until_quiet(self, quiet: float = QUIET, limit: float = 15.0) -> list[dict]:
        """Room events until `quiet` seconds pass without one (presence ignored)."""
        found, deadline = [], time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                found.append(self.next_event(quiet))
            except TimeoutError:
                return found
        raise AssertionError(f"the stream never went quiet; got {len(found)} events")

    def settle(self, quiet: float = 0.6) -> None:
        """Drop everything (delayed presence counts included) until the socket is silent."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                self.recv(quiet)
            except TimeoutError:
                return
        raise AssertionError("the socket never went silent")


@contextlib.contextmanager
def stream(ws_base: str, member: Member, after: int, room_id: int | None = None, **kwargs):
    room_id = member.room_id if room_id is None else room_id
    url = f"{ws_base}/api/v1/rooms/{room_id}/stream?after={after}&token={member.token}"
    with connect(url, open_timeout=10, **kwargs) as ws:
        s = Stream(ws)
        while True:
            message = s.recv(5.0)
            if message.get("type") == "presence":
                break
            s.replayed.append(message)
        yield s


def assert_refused(url: str, codes=(4401, 4403), **kwargs) -> None:
    """Refused at the handshake (HTTP 403: an ASGI close before accept) or closed at once
    with one of `codes`; never a working stream."""
    with pytest.raises((InvalidStatus, ConnectionClosed)) as info:
        with connect(url, open_timeout=10, **kwargs) as ws:
            ws.recv(timeout=5)
    error = info.value
    if isinstance(error, InvalidStatus):
        assert error.response.status_code in (401, 403), error.response.status_code
    else:
        assert error.rcvd is not None and error.rcvd.code in codes, error


# -- fan-out and isolation -----------------------------------------------------------------

def test_a_comment_reaches_the_other_socket_in_the_room_and_no_socket_in_another_room(api, ws_base):
    poster, watcher = join(api, ROOM_A, "Poster"), join(api, ROOM_A, "Watcher")
    outsider = join(api, ROOM_B, "Outsider")
    assert poster.room_id == watcher.room_id != outsider.room_id
    seq_a, seq_b = last_seq(api, watcher), last_seq(api, outsider)

    with stream(ws_base, watcher, seq_a) as room_a, stream(ws_base, outsider, seq_b) as room_b:
        assert room_a.replayed == [] and room_b.replayed == []
        room_b.settle()
        text = unique("Indicators need a common definition")
        r = post_comment(api, poster, text)
        assert r.status_code == 201, r.text
        comment = r.json()

        event = room_a.next_event(timeout=5)
        assert event["type"] == "comment_posted"
        assert event["seq"] == seq_a + 1
        assert event["comment"]["id"] == comment["id"]
        assert event["comment"]["text"] == text

        with pytest.raises(TimeoutError):
            room_b.ws.recv(timeout=1)


def test_a_client_that_stops_reading_and_one_that_vanishes_hold_up_no_one_and_lose_nothing(api, ws_base):
    """A phone that stops reading for a while (a small receive window, nothing read) and one
    that drops off the network mid-stream: the room's other sockets get every event in order
    meanwhile, and the stalled one, once it reads again, gets them all too, once each. (What a
    socket gets when its connection backs up, which loopback's megabytes of buffer never let
    happen here, is test_hub's.)"""
    posters = [join(api, ROOM_D, f"Poster {i}") for i in range(8)]
    watcher, stalled_member, vanishing = (join(api, ROOM_D, n) for n in ("Watcher", "Stalled", "Vanishing"))
    start = last_seq(api, watcher)
    host, port = ws_base.split("://", 1)[1].split(":")
    url = f"{ws_base}/api/v1/rooms/{watcher.room_id}/stream?after={start}&token="

    def small_window_socket() -> socket.socket:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect((host, int(port)))
        return sock

    texts = [f"{i:03d} " + "x" * 1900 for i in range(120)]
    with stream(ws_base, watcher, start) as s, \
            connect(url + stalled_member.token, sock=small_window_socket(), max_queue=1,
                    max_size=None, open_timeout=10) as stalled, \
            connect(url + vanishing.token, sock=small_window_socket(), open_timeout=10) as gone:
        for i, text in enumerate(texts):
            if i == len(texts) // 2:
                # Gone without a close frame: a reset, as a phone leaving the building.
                gone.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                gone.socket.close()
            r = post_comment(api, posters[i % len(posters)], text)
            assert r.status_code == 201, r.text
        live = [e for e in s.events_until_quiet() if e["type"] == "comment_posted"]
        assert [e["comment"]["text"] for e in live] == texts
        assert [e["seq"] for e in live] == list(range(start + 1, start + 1 + len(texts)))

        caught_up = []
        while len(caught_up) < len(texts):
            message = json.loads(stalled.recv(timeout=10))
            if message["type"] == "comment_posted":
                caught_up.append(message["comment"]["text"])
        assert caught_up == texts


# -- catch-up after a reconnect ------------------------------------------------------------

def test_a_reconnect_replays_exactly_what_was_missed_then_goes_live(api, ws_base):
    poster, watcher = join(api, ROOM_A, "Poster"), join(api, ROOM_A, "Watcher")
    start = last_seq(api, watcher)

    with stream(ws_base, watcher, start) as s:
        assert post_comment(api, poster, unique("seen live")).status_code == 201
        seen = s.next_event()
        assert seen["type"] == "comment_posted" and seen["seq"] == start + 1
        last_seen = seen["seq"]

    missed_texts = [unique("missed one"), unique("missed two")]
    missed_ids = []
    for text in missed_texts:
        r = post_comment(api, poster, text)
        assert r.status_code == 201, r.text
        missed_ids.append(r.json()["id"])

    with stream(ws_base, watcher, last_seen) as s:
        assert [(e["type"], e["seq"]) for e in s.replayed] == [
            ("comment_posted", last_seen + 1), ("comment_posted", last_seen + 2)]
        assert [e["comment"]["id"] for e in s.replayed] == missed_ids
        assert [e["comment"]["text"] for e in s.replayed] == missed_texts

        live_text = unique("after the reconnect")
        assert post_comment(api, poster, live_text).status_code == 201
        rest = s.events_until_quiet()
        assert [(e["type"], e["seq"], e["comment"]["text"]) for e in rest] == [
            ("comment_posted", last_seen + 3, live_text)]


# -- idempotent retries --------------------------------------------------------------------

def test_a_retried_post_with_the_same_key_is_one_comment_and_one_event(api, ws_base):
    poster, watcher = join(api, ROOM_A, "Poster"), join(api, ROOM_A, "Watcher")
    start = last_seq(api, watcher)
    key, text = uuid.uuid4().hex, unique("Posted on bad Wi-Fi")

    with stream(ws_base, watcher, start) as s:
        first = post_comment(api, poster, text, key=key)
        again = post_comment(api, poster, text, key=key)
        assert (first.status_code, again.status_code) == (201, 200), (first.text, again.text)
        assert again.json()["id"] == first.json()["id"]
        assert again.json() == first.json()

        events = s.events_until_quiet()
        assert [(e["type"], e["seq"], e["comment"]["id"]) for e in events] == [
            ("comment_posted", start + 1, first.json()["id"])]

    listed = api.get(f"/api/v1/rooms/{poster.room_id}/comments", headers=poster.headers).json()["comments"]
    assert [c["id"] for c in listed if c["text"] == text] == [first.json()["id"]]
    assert last_seq(api, watcher) == start + 1


# -- bad messages on the socket ------------------------------------------------------------

@pytest.mark.parametrize("bad", ["this is not JSON", "[1, 2, 3]", '{"type": "subscribe", "room": 1}'],
                         ids=["not-json", "json-array", "unknown-type"])
def test_a_malformed_message_gets_an_error_on_that_socket_alone(api, ws_base, bad):
    sender, other, poster = (join(api, ROOM_A, n) for n in ("Sender", "Other", "Poster"))
    start = last_seq(api, poster)

    with stream(ws_base, sender, start) as mine, stream(ws_base, other, start) as theirs:
        mine.settle()
        theirs.settle()
        mine.ws.send(bad)
        reply = mine.recv(5)
        assert reply["type"] == "error" and reply["error"] == "bad_message" and reply["detail"]
        with pytest.raises(TimeoutError):
            theirs.ws.recv(timeout=1)

        mine.ws.send(json.dumps({"type": "ping"}))
        assert mine.recv(5) == {"type": "pong"}

        text = unique("still flowing")
        assert post_comment(api, poster, text).status_code == 201
        for s in (mine, theirs):
            event = s.next_event()
            assert (event["type"], event["seq"], event["comment"]["text"]) == ("comment_posted", start + 1, text)


def test_a_binary_frame_gets_an_error_reply_and_the_socket_stays_usable(api, ws_base):
    sender = join(api, ROOM_A, "Sender")
    with stream(ws_base, sender, last_seq(api, sender)) as s:
        s.settle()
        s.ws.send(b"\x00\x01binary")
        assert s.recv(5)["type"] == "error"
        s.ws.send(json.dumps({"type": "ping"}))
        assert s.recv(5) == {"type": "pong"}


def test_deeply_nested_json_gets_an_error_reply_and_the_socket_stays_usable(api, ws_base):
    sender = join(api, ROOM_A, "Sender")
    with stream(ws_base, sender, last_seq(api, sender)) as s:
        s.settle()
        s.ws.send("[" * 100_000)
        assert s.recv(5)["type"] == "error"
        s.ws.send(json.dumps({"type": "ping"}))
        assert s.recv(5) == {"type": "pong"}


# -- who may open a stream -----------------------------------------------------------------

def test_a_foreign_origin_is_refused_and_our_own_origin_is_accepted(api, ws_base, live_server):
    member = join(api, ROOM_A, "Member")
    url = f"{ws_base}/api/v1/rooms/{member.room_id}/stream?after={last_seq(api, member)}&token={member.token}"
    assert_refused(url, codes=(4403,), origin="http://evil.example")
    assert_refused(url, codes=(4403,), additional_headers={"Origin": "http://127.0.0.1.evil.example"})
    with connect(url, open_timeout=10, origin=live_server) as ws:
        assert json.loads(ws.recv(timeout=5))["type"] == "presence"


def test_a_bad_or_missing_token_is_refused(api, ws_base):
    member = join(api, ROOM_A, "Member")
    base = f"{ws_base}/api/v1/rooms/{member.room_id}/stream?after=0"
    assert_refused(base)
    assert_refused(base + "&token=")
    assert_refused(base + "&token=not-a-real-token")
    assert_refused(base + "&token=" + member.token[:-2] + ("aa" if not member.token.endswith("aa") else "bb"))


def test_the_stream_of_a_room_one_is_not_a_member_of_is_refused(api, ws_base):
    member, other = join(api, ROOM_A, "Member"), join(api, ROOM_B, "Other")
    assert_refused(f"{ws_base}/api/v1/rooms/{other.room_id}/stream?after=0&token={member.token}",
                   codes=(4403,))
    # ... and the same holds for the HTTP views of that room.
    for path in ("", "/comments", "/events?after=0"):
        r = api.get(f"/api/v1/rooms/{other.room_id}{path}", headers=member.headers)
        assert r.status_code == 403, (path, r.text)
        assert r.json()["error"] == "forbidden"


# -- support under load --------------------------------------------------------------------

def test_thirty_concurrent_supports_count_thirty_and_the_socket_ends_on_thirty(api, ws_base):
    author = join(api, ROOM_C, "Author")
    supporters = [join(api, ROOM_C, f"Supporter {i}") for i in range(30)]
    r = post_comment(api, author, unique("Support me"))
    assert r.status_code == 201, r.text
    comment_id = r.json()["id"]
    start = last_seq(api, author)

    with stream(ws_base, author, start) as s:
        s.settle()
        with ThreadPoolExecutor(30) as pool:
            answers = list(pool.map(
                lambda m: api.put(f"/api/v1/comments/{comment_id}/support", headers=m.headers), supporters))
        assert [a.status_code for a in answers] == [200] * 30, [a.text for a in answers if a.status_code != 200]
        assert sorted(a.json()["support"] for a in answers) == list(range(1, 31))

        updates = [e for e in s.events_until_quiet() if e["type"] == "support_changed"]
        assert updates, "no support_changed event reached the socket"
        assert all(e["comment_id"] == comment_id for e in updates)
        seqs = [e["seq"] for e in updates]
        assert seqs == sorted(set(seqs)) and all(start < q <= start + 30 for q in seqs)
        assert updates[-1]["support"] == 30
        print(f"\n30 supports reached the socket as {len(updates)} coalesced support_changed messages")

    listed = api.get(f"/api/v1/rooms/{author.room_id}/comments", headers=author.headers).json()["comments"]
    assert [c["support"] for c in listed if c["id"] == comment_id] == [30]


# -- joining at the door -------------------------------------------------------------------

def test_three_hundred_joins_from_one_address_within_a_minute_all_succeed(api):
    def one(i: int):
        return api.post("/api/v1/rooms/join", json={
            "code": ROOM_D, "name": f"Delegate {i}", "organisation": "Venue NAT",
            "sector": "research", "country": "PT"})

    started = time.perf_counter()
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(one, range(300)))
    elapsed = time.perf_counter() - started
    print(f"\n300 joins from one address with 20 threads took {elapsed:.2f} s "
          f"({300 / elapsed:.0f} joins/s)")

    statuses = [a.status_code for a in answers]
    assert statuses == [201] * 300, {s: statuses.count(s) for s in set(statuses)}
    assert len({a.json()["participant_id"] for a in answers}) == 300
    assert len({a.json()["token"] for a in answers}) == 300
    assert elapsed < 60


# -- the event log over HTTP ---------------------------------------------------------------

def test_events_after_a_sequence_number_are_exactly_the_later_ones(api):
    member = join(api, ROOM_G, "Reader")
    n = last_seq(api, member)
    texts = [unique(f"event {i}") for i in range(3)]
    ids = []
    for text in texts:
        r = post_comment(api, member, text)
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])

    body = api.get(f"/api/v1/rooms/{member.room_id}/events", params={"after": n}, headers=member.headers).json()
    assert body["last_seq"] == n + 3
    assert [(e["seq"], e["type"], e["comment"]["id"], e["comment"]["text"]) for e in body["events"]] == [
        (n + 1 + i, "comment_posted", ids[i], texts[i]) for i in range(3)]
    assert body["more"] is False

    body = api.get(f"/api/v1/rooms/{member.room_id}/events", params={"after": n + 2}, headers=member.headers).json()
    assert [e["seq"] for e in body["events"]] == [n + 3] and body["last_seq"] == n + 3

    body = api.get(f"/api/v1/rooms/{member.room_id}/events", params={"after": n + 3}, headers=member.headers).json()
    assert body["events"] == [] and body["last_seq"] == n + 3

    r = api.get(f"/api/v1/rooms/{member.room_id}/events", params={"after": "three"}, headers=member.headers)
    assert r.status_code == 422 and r.json()["error"] == "invalid"
    r = api.get(f"/api/v1/rooms/{member.room_id}/events", params={"after": n})
    assert r.status_code == 401 and r.json()["error"] == "unauthorized"
