"""The rate limits on SQLite (buckets in memory) and on PostgreSQL (rows every worker shares,
ratelimit.SharedLimiter): they refuse the same attempts, in the reader's language, and on
PostgreSQL each take of a bucket, a transaction of its own, runs on a worker thread, never on
the event loop that every socket and request of the process shares."""
from __future__ import annotations

import asyncio
import dataclasses

import pytest
from consult import ratelimit
from consult.app import create_app
from starlette.testclient import TestClient
from web_helpers import csrf_token, join

EMAIL, PASSWORD = "organiser@example.org", "brussels-demo-2024"
CODE_A, CODE_B = "K7MPQ2", "R4XTN8"


@pytest.fixture(params=["sqlite", "postgresql"])
def limited(request, settings, monkeypatch):
    """The demo app with a small join budget (a burst of 2 per address), and the takes of
    every bucket recorded: the limiter, and whether it ran on the event loop."""
    from consult.cli import prepare
    url = settings.database_url
    if request.param == "postgresql":
        from conftest_server import reset_postgres
        url = request.getfixturevalue("postgres_url")
        reset_postgres(url)
    settings = dataclasses.replace(settings, database_url=url, join_per_minute_per_address=8)
    prepare(settings).dispose()
    takes = []
    for cls in (ratelimit.Limiter, ratelimit.SharedLimiter):
        original = cls._take

        def recorded(self, key, *, check, spend, original=original):
            try:
                asyncio.get_running_loop()
                on_loop = True
            except RuntimeError:
                on_loop = False
            takes.append((type(self).__name__, on_loop))
            return original(self, key, check=check, spend=spend)
        monkeypatch.setattr(cls, "_take", recorded)
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield request.param, client, takes
    if request.param == "postgresql":
        from conftest_server import reset_postgres
        from consult import migrate
        from sqlalchemy import create_engine
        reset_postgres(url)
        engine = create_engine(url)
        migrate.upgrade(engine)
        engine.dispose()


def _shared_takes_ran_off_the_loop(kind, takes):
    shared = [on_loop for name, on_loop in takes if name == "SharedLimiter"]
    if kind == "postgresql":
        assert shared and not any(shared), "a shared bucket was taken on the event loop"
    else:
        assert shared == []


def test_the_sixth_failed_sign_in_is_refused_in_the_readers_language(limited):
    kind, client, takes = limited
    for _ in range(5):
        r = client.post("/api/v1/auth/login", json={"email": EMAIL, "password": "wrong-password"})
        assert r.status_code == 401
    r = client.post("/organiser/login", data={"csrf_token": csrf_token(client), "email": EMAIL, "password": PASSWORD},
                    headers={"Accept-Language": "fr"}, follow_redirects=False)
    assert r.status_code == 429 and "Trop de tentatives de connexion pour ce compte" in r.text
    _shared_takes_ran_off_the_loop(kind, takes)


def test_joins_past_the_address_budget_are_refused_through_the_api_and_the_form_alike(limited):
    kind, client, takes = limited
    joined = [client.post("/api/v1/rooms/join", json={"code": CODE_A, "name": f"A{i}", "organisation": "",
                                                      "sector": "health", "country": "BE"}).status_code
              for i in range(2)]
    assert joined == [201, 201]
    assert client.post("/api/v1/rooms/join", json={"code": CODE_A, "name": "A3", "organisation": "",
                                                   "sector": "health", "country": "BE"}).status_code == 429
    r = join(client, CODE_B, "B1")
    assert r.status_code == 429 and "Too many joins from this network" in r.text
    _shared_takes_ran_off_the_loop(kind, takes)
