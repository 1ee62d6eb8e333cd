"""A Prepared statement (consult/prepared.py) writes and reads what SQLAlchemy's own execution
of the same statement does: the oracle is SQLAlchemy, on the same SQLite database, for the
column types the hot statements carry (text, integers, booleans, datetimes, JSON, NULLs)."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import (JSON, Boolean, Column, DateTime, Integer, MetaData, String, Table, bindparam, create_engine,
                        exc, insert, select, update)
from sqlalchemy.dialects import sqlite

from consult.prepared import Prepared

META = MetaData()
THINGS = Table("things", META, Column("id", Integer, primary_key=True), Column("name", String(40), nullable=False),
               Column("note", String(200)), Column("flag", Boolean, default=False), Column("count", Integer, default=0),
               Column("at", DateTime), Column("payload", JSON))
KEYED = Table("keyed", META, Column("name", String(40), primary_key=True), Column("value", Integer, default=7),
              Column("made", DateTime, default=dt.datetime.now))

texts = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=40)
json_values = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | texts,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
                           max_leaves=8)
rows = st.fixed_dictionaries({
    "name": texts, "note": st.none() | texts, "at": st.none() | st.datetimes(dt.datetime(1970, 1, 1)),
    "payload": json_values}, optional={"flag": st.booleans(), "count": st.integers(-1000, 1000)})


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = create_engine(f"sqlite:///{tmp_path_factory.mktemp('prepared') / 'p.db'}")
    META.create_all(engine)
    yield engine
    engine.dispose()


INSERT = insert(THINGS).returning(*THINGS.c)
BY_ID = select(THINGS).where(THINGS.c.id == bindparam("id"))


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(row=rows)
def test_an_insert_and_its_rows_are_as_sqlalchemy_makes_them(engine, row):
    with engine.begin() as connection:
        ours = Prepared(INSERT).execute(connection, dict(row)).one()
        theirs = connection.execute(INSERT, dict(row)).one()
        # What each wrote, read back by SQLAlchemy; and what each read, row for row.
        assert _without_id(connection.execute(BY_ID, {"id": ours.id}).one()) == _without_id(theirs)
        assert _without_id(ours) == _without_id(theirs)
        assert Prepared(BY_ID).execute(connection, {"id": theirs.id}).one() == tuple(theirs)
        assert Prepared(BY_ID).execute(connection, {"id": theirs.id}).one().at == theirs.at
        assert ours.flag is (row.get("flag", False)) and ours.count == row.get("count", 0)


def _without_id(row) -> tuple:
    return tuple(row)[1:]


def test_an_update_returning_and_the_result_shapes(engine):
    bump = Prepared(update(THINGS).where(THINGS.c.id == bindparam("thing")).values(count=THINGS.c.count + 1)
                    .returning(THINGS.c.count))
    with engine.begin() as connection:
        made = Prepared(INSERT).execute(connection, {"name": "a", "count": 41, "payload": None}).one()
        assert bump.execute(connection, {"thing": made.id}).scalar_one() == 42
        assert bump.execute(connection, {"thing": -1}).scalar() is None
        assert bump.execute(connection, {"thing": -1}).first() is None
        with pytest.raises(exc.NoResultFound):
            bump.execute(connection, {"thing": -1}).one()
        named = Prepared(select(THINGS.c.name.label("who"), THINGS.c.count).where(THINGS.c.id == bindparam("id")))
        row = named.execute(connection, {"id": made.id}).one()
        assert (row.who, row.count) == ("a", 42)
        assert [r.count for r in Prepared(select(THINGS.c.count).where(THINGS.c.id <= bindparam("id")))
                .execute(connection, {"id": made.id}).all()][-1] == 42


def test_a_refused_write_raises_as_sqlalchemy_does(engine):
    """What handles an integrity error or a locked database (db.UNREACHABLE) goes on seeing
    SQLAlchemy's exceptions."""
    upsert = Prepared(sqlite.insert(KEYED).values(made=bindparam("made")))
    with engine.connect() as connection:
        upsert.execute(connection, {"name": "k", "made": dt.datetime(2026, 12, 4)})
        with pytest.raises(exc.IntegrityError):
            upsert.execute(connection, {"name": "k", "made": dt.datetime(2026, 12, 4)})
        connection.rollback()


def test_a_default_that_is_not_a_constant_is_refused_at_its_first_use(engine):
    with engine.connect() as connection, pytest.raises(NotImplementedError):
        Prepared(insert(KEYED)).execute(connection, {"name": "x"})


def test_postgresql_takes_sqlalchemys_own_path(db):
    """On PostgreSQL a Prepared statement is SQLAlchemy's execution; on SQLite its own."""
    from consult.rooms.models import Room
    rooms = Room.__table__
    count = Prepared(select(rooms.c.id).where(rooms.c.id > bindparam("after")))
    with db.write_engine.connect() as connection:
        result = count.execute(connection, {"after": 10**9})
        assert result.first() is None
        assert (type(result).__module__ == "consult.prepared") is db.is_sqlite
