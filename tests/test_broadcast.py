"""Two server processes on one PostgreSQL database: an event committed through one reaches a
socket held by the other (LISTEN/NOTIFY, live/broadcast.py)."""
from __future__ import annotations

import json
import uuid
from urllib.parse import urlsplit, urlunsplit

import httpx2 as httpx
import pytest
from conftest_server import IN_CI, PG_URL, start_server
from sqlalchemy import create_engine, text
from websockets.sync.client import connect


@pytest.fixture(scope="module")
def database():
    """A database of its own, so that the servers' demo seed meets nobody else's data."""
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI=true but TEST_DATABASE_URL is not set: the broadcast test cannot run")
        pytest.skip("TEST_DATABASE_URL is not set")
    # Named after the test database: parallel runs on one server each have their own.
    name = f"{urlsplit(PG_URL).path.strip('/')}_broadcast"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {name}"))
    parts = urlsplit(PG_URL)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(scope="module")
def two_servers(database, tmp_path_factory):
    env = {"DATABASE_URL": database, "BROADCAST_URL": database}
    first = start_server(tmp_path_factory.mktemp("one"), **env)
    url_one = next(first)
    second = start_server(tmp_path_factory.mktemp("two"), **env)
    url_two = next(second)
    yield url_one, url_two
    for server in (second, first):
        next(server, None)


# An event that fits in a NOTIFY travels in it; one that does not (2,000 four-byte characters)
# is read back from the log by the other process.
@pytest.mark.parametrize("filler", ["", "\U0001F642" * 1960])
def test_an_event_committed_through_one_process_reaches_a_socket_on_the_other(two_servers, filler):
    one, two = two_servers
    with httpx.Client(base_url=one, timeout=30) as api:
        joined = api.post("/api/v1/rooms/join", json={"code": "K7MPQ2", "name": "Ana", "organisation": "",
                                                      "sector": "health", "country": "BE"}).json()
        stream = f"{two.replace('http', 'ws')}/api/v1/rooms/{joined['room_id']}/stream?token={joined['token']}"
        with connect(stream, open_timeout=10) as socket:
            text_ = f"Through process one {uuid.uuid4().hex[:6]} {filler}".strip()
            posted = api.post(f"/api/v1/rooms/{joined['room_id']}/comments", json={"text": text_},
                              headers={"Authorization": f"Bearer {joined['token']}",
                                       "Idempotency-Key": uuid.uuid4().hex})
            assert posted.status_code == 201
            # The socket replays the room's log first: earlier comments come before this one.
            seen = []
            while not any(m.get("type") == "comment_posted" and m["comment"]["id"] == posted.json()["id"]
                          for m in seen):
                seen.append(json.loads(socket.recv(timeout=10)))
            assert seen[-1]["comment"]["text"] == text_ and seen[-1]["seq"] >= 2


def test_someone_removed_through_one_process_loses_their_socket_on_the_other(two_servers):
    import re

    from websockets.exceptions import ConnectionClosed
    one, two = two_servers
    with httpx.Client(base_url=one, timeout=30) as organiser:
        page = organiser.get("/organiser/login").text
        token = re.search(r'"X-CSRF-Token": "([^"]+)"', page).group(1)
        organiser.post("/organiser/login", data={"csrf_token": token, "email": "organiser@example.org",
                                                 "password": "brussels-demo-2024"})
        joined = organiser.post("/api/v1/rooms/join", json={"code": "R4XTN8", "name": "Removed", "organisation": "",
                                                            "sector": "health", "country": "BE"}).json()
        stream = f"{two.replace('http', 'ws')}/api/v1/rooms/{joined['room_id']}/stream?token={joined['token']}"
        with connect(stream, open_timeout=10) as socket:
            socket.recv(timeout=10)  # presence: the socket is live
            removed = organiser.post(f"/rooms/{joined['room_id']}/members/{joined['participant_id']}/remove",
                                     data={"confirm": "yes", "reason": "Test"}, headers={"X-CSRF-Token": token})
            assert removed.status_code == 303
            with pytest.raises(ConnectionClosed):
                for _ in range(20):
                    socket.recv(timeout=10)


def _join(api, code: str, name: str) -> dict:
    joined = api.post("/api/v1/rooms/join", json={"code": code, "name": name, "organisation": "",
                                                  "sector": "health", "country": "BE"})
    assert joined.status_code == 201, joined.text
    return joined.json()


def test_a_participants_post_budget_is_one_budget_across_both_processes(two_servers):
    """The budget is a burst of 20 refilled at 30 a minute: 30 posts sent alternately through
    the two processes would all pass with a budget in each process's memory."""
    import time
    one, two = two_servers
    with httpx.Client(base_url=one, timeout=30) as first, httpx.Client(base_url=two, timeout=30) as second:
        poster = _join(first, "H9WDF3", "Budget")
        headers = {"Authorization": f"Bearer {poster['token']}"}
        started, statuses = time.monotonic(), []
        for n in range(30):
            api = (first, second)[n % 2]
            r = api.post(f"/api/v1/rooms/{poster['room_id']}/comments", json={"text": f"budget {n}"},
                         headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
            statuses.append((n % 2, r.status_code))
        refilled = (time.monotonic() - started) * 30 / 60
    accepted = sum(status == 201 for _, status in statuses)
    assert 20 <= accepted <= 20 + int(refilled) + 1, statuses
    assert {which for which, status in statuses if status == 429} == {0, 1}, statuses


def _here(socket, want: int, timeout: float = 15.0) -> int:
    """The presence count the socket last heard, once it says `want` (or the deadline passes)."""
    import time
    deadline, here = time.monotonic() + timeout, None
    while here != want and time.monotonic() < deadline:
        try:
            message = json.loads(socket.recv(timeout=max(0.1, deadline - time.monotonic())))
        except TimeoutError:
            break
        if message.get("type") == "presence":
            here = message["here"]
    return here


def test_both_processes_count_the_same_people_here(two_servers):
    one, two = two_servers
    with httpx.Client(base_url=one, timeout=30) as api:
        a, b, c = (_join(api, "Z2LBV6", name) for name in ("Here A", "Here B", "Here C"))
    room = a["room_id"]

    def stream(base: str, member: dict) -> str:
        return f"{base.replace('http', 'ws')}/api/v1/rooms/{room}/stream?token={member['token']}"

    with connect(stream(one, a), open_timeout=10) as on_one, connect(stream(two, b), open_timeout=10) as on_two:
        assert (_here(on_one, 2), _here(on_two, 2)) == (2, 2)
        with connect(stream(two, c), open_timeout=10), connect(stream(one, c), open_timeout=10):
            # C on both processes at once is one person.
            assert (_here(on_one, 3), _here(on_two, 3)) == (3, 3)
        assert (_here(on_one, 2), _here(on_two, 2)) == (2, 2)
    with connect(stream(two, c), open_timeout=10) as alone:
        assert _here(alone, 1) == 1
