"""Fixtures: real databases (SQLite always, PostgreSQL when TEST_DATABASE_URL is set), the
app in-process, and the real server started by run.py for socket and browser tests."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

from conftest_server import IN_CI, PG_URL, reset_postgres, start_server  # noqa: E402
from consult import migrate  # noqa: E402
from consult.cli import prepare  # noqa: E402
from consult.db import Database  # noqa: E402
from consult.people import passwords  # noqa: E402
from consult.settings import Settings  # noqa: E402

CHEAP_ARGON2 = dict(argon2_time_cost=1, argon2_memory_kib=1024)
passwords.configure(CHEAP_ARGON2["argon2_time_cost"], CHEAP_ARGON2["argon2_memory_kib"])


@pytest.fixture(scope="session")
def postgres_url():
    if not PG_URL:
        if IN_CI:
            pytest.fail("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests cannot run")
        pytest.skip("TEST_DATABASE_URL is not set")
    reset_postgres(PG_URL)
    engine = create_engine(PG_URL)
    migrate.upgrade(engine)
    engine.dispose()
    return PG_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    migrate.upgrade(database.write_engine)
    yield database
    database.dispose()


@pytest.fixture
def settings(tmp_path):
    return Settings(database_url=f"sqlite:///{tmp_path / 'app.db'}", secret_key="test-secret", **CHEAP_ARGON2)


@pytest.fixture
def client(settings):
    """The app in-process on a migrated, demo-seeded SQLite database."""
    from consult.app import create_app
    from starlette.testclient import TestClient

    prepare(settings).dispose()
    with TestClient(create_app(settings), base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture(params=["sqlite", "postgresql"])
def demo_client(request, settings):
    """The in-process app on the demo conference, on SQLite and on PostgreSQL; the shared
    PostgreSQL database is left migrated and empty afterwards, as the other modules expect it."""
    if request.param == "sqlite":
        yield request.getfixturevalue("client")
        return
    import dataclasses

    from consult.app import create_app
    from starlette.testclient import TestClient

    url = request.getfixturevalue("postgres_url")
    reset_postgres(url)
    on_postgres = dataclasses.replace(settings, database_url=url)
    prepare(on_postgres).dispose()
    with TestClient(create_app(on_postgres), base_url="http://testserver") as client:
        yield client
    reset_postgres(url)
    engine = create_engine(url)
    migrate.upgrade(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo conference after its sample work (demo/activity.py): filling takes a few
    seconds, so once per module."""
    from consult.demo.activity import fill

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = prepare(Settings(database_url=f"sqlite:///{path}", secret_key="x", **CHEAP_ARGON2))
    filled, left = db.write(fill)[0]
    assert len(filled) == 8 and left == []
    assert db.write(fill)[0][0] == []  # once only
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The real server, shared by the socket and browser tests (each uses its own people)."""
    yield from start_server(tmp_path_factory.mktemp("live"))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def filled_demo_app(request, tmp_path_factory):
    """The app in-process on the demo after its sample work, once per module and database;
    on PostgreSQL the shared test database is left migrated and empty afterwards, as the other
    modules expect it."""
    from consult.app import create_app
    from consult.demo.activity import fill
    from starlette.testclient import TestClient

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('filled') / 'demo.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        reset_postgres(url)
    settings = Settings(database_url=url, secret_key="x", **CHEAP_ARGON2)
    db = prepare(settings)
    assert db.write(fill)[0][1] == []
    db.dispose()
    with TestClient(create_app(settings), base_url="http://testserver") as client:
        yield client
    if request.param == "postgresql":
        reset_postgres(url)
        engine = create_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
