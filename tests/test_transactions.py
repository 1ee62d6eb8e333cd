"""SQLite's transactions as db.py opens them: a write takes the database's write lock when it
begins (BEGIN IMMEDIATE), before its first statement, so that it waits for another writer
instead of failing half-way; a read is one transaction (one snapshot) and locks nothing.
Emitted by the engines' dialects, with no engine event listener to slow every statement."""
from __future__ import annotations

import sqlite3

import pytest
from consult import migrate
from consult.db import Database


@pytest.fixture
def database(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'tx.db'}")
    migrate.upgrade(db.write_engine)
    yield db, tmp_path / "tx.db"
    db.dispose()


def _another_writer_can_begin(path) -> bool:
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        other.close()


def test_a_write_holds_the_write_lock_from_its_start_and_a_read_holds_none(database):
    db, path = database

    def in_write(session):
        raw = session.connection().connection.dbapi_connection
        return raw.in_transaction, _another_writer_can_begin(path)

    def in_read(session):
        raw = session.connection().connection.dbapi_connection
        return raw.in_transaction, _another_writer_can_begin(path)

    assert db.write(in_write)[0] == (True, False)
    assert db.read(in_read) == (True, True)
    assert _another_writer_can_begin(path)


def test_a_failed_write_leaves_nothing_and_frees_the_lock(database):
    db, path = database
    from sqlalchemy import text

    def failing(session):
        session.connection().execute(text("INSERT INTO rate_buckets (limiter, bucket, tokens, at) "
                                          "VALUES ('t', 'k', 1, '2024-01-01 00:00:00')"))
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        db.write(failing)
    assert db.read(lambda s: s.connection().execute(text("SELECT count(*) FROM rate_buckets")).scalar()) == 0
    assert _another_writer_can_begin(path)


def test_no_engine_of_ours_listens_for_connection_events(database):
    """A listener on an engine (SQLAlchemy marks the engine itself) makes every statement
    dispatch its events; the pool's "connect" hook is not one of them."""
    db, _ = database
    for engine in (db.write_engine, db.read_engine):
        assert "_has_events" not in vars(engine) and not engine.dispatch.begin
