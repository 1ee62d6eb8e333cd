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


def test_an_event_committed_through_one_process_reaches_a_socket_on_the_other(two_servers):
    one, two = two_servers
    with httpx.Client(base_url=one, timeout=30) as api:
        joined = api.post("/api/v1/rooms/join", json={"code": "K7MPQ2", "name": "Ana", "organisation": "",
                                                      "sector": "health", "country": "BE"}).json()
        stream = f"{two.replace('http', 'ws')}/api/v1/rooms/{joined['room_id']}/stream?token={joined['token']}"
        with connect(stream, open_timeout=10) as socket:
            text_ = f"Through process one {uuid.uuid4().hex[:6]}"
            posted = api.post(f"/api/v1/rooms/{joined['room_id']}/comments", json={"text": text_},
                              headers={"Authorization": f"Bearer {joined['token']}",
                                       "Idempotency-Key": uuid.uuid4().hex})
            assert posted.status_code == 201
            seen = []
            while not any(m.get("type") == "comment_posted" for m in seen):
                seen.append(json.loads(socket.recv(timeout=10)))
            event = next(m for m in seen if m.get("type") == "comment_posted")
            assert event["comment"]["text"] == text_ and event["seq"] >= 2


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
