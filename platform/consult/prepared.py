"""The hot write statements, run straight on SQLite's own cursor.

A comment post runs seven statements. SQLite spends a few microseconds on each; SQLAlchemy's
execution of a statement it has cached (an execution context, the parameters built and
processed, a result and its metadata) costs several times that, per statement, on the one
thread that serialises a SQLite database's writes. A `Prepared` statement is compiled by
SQLAlchemy once per set of parameter names: its SQL, the order of its parameters, their bind
processors and its columns' result processors. On SQLite it then runs on the transaction's
own DBAPI connection, parameters in and rows out processed as SQLAlchemy would have, so a
caller sees the same values. PostgreSQL takes the usual path: there the round trip to the
server is the cost, not the execution.

Only what the hot statements use is supported (named bind parameters, scalar column defaults,
rows read as a whole); compiling anything else raises at the first use, in the tests."""
from __future__ import annotations

import sqlite3
from collections import namedtuple
from typing import Any, Callable, Sequence

from sqlalchemy import exc
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Executable


class Prepared:
    def __init__(self, statement: Executable):
        self.statement = statement
        self._plans: dict[tuple[str, ...], _Plan] = {}

    def execute(self, connection: Connection, params: dict[str, Any]) -> "Rows | Any":
        """The statement's rows: a `Rows` on SQLite, SQLAlchemy's result elsewhere; both answer
        first(), one(), scalar() and scalar_one()."""
        if connection.dialect.name != "sqlite":
            return connection.execute(self.statement, params)
        names = tuple(params)
        plan = self._plans.get(names)
        if plan is None:
            plan = self._plans[names] = _Plan(self.statement, connection.dialect, names)
        values = plan.values(params)
        cursor = connection.connection.dbapi_connection.cursor()
        try:
            cursor.execute(plan.sql, values)
        except sqlite3.Error as error:
            # As SQLAlchemy raises it, so that what handles a locked or refused write still does.
            raise exc.DBAPIError.instance(plan.sql, values, error, sqlite3.Error) from error
        return Rows(plan, cursor)


class _Plan:
    """One compilation: the SQL, how to lay out the parameters, how to read a row."""

    def __init__(self, statement: Executable, dialect, names: Sequence[str]):
        compiled = statement.compile(dialect=dialect, column_keys=list(names))
        if compiled.post_compile_params or compiled.literal_execute_params:
            raise NotImplementedError("a Prepared statement takes no expanding or literal parameters")
        self.sql = compiled.string
        constants = {name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required}
        for column in compiled.insert_prefetch:
            if column.default is None or not column.default.is_scalar:
                raise NotImplementedError(f"the default of {column} is not a constant")
            constants[column.key] = column.default.arg
        processors = compiled._bind_processors
        self._layout: list[tuple[str, Any, Callable | None]] = [
            (name, constants.get(name), processors.get(name)) for name in compiled.positiontup]
        self._given = set(names)
        readers = [type_._cached_result_processor(dialect, None) for *_, type_ in compiled._result_columns]
        self._readers = readers if any(readers) else None
        keys = [key for key, *_ in compiled._result_columns]
        self.row = namedtuple("Row", keys, rename=True) if keys else None

    def values(self, params: dict[str, Any]) -> list[Any]:
        given = self._given
        values = []
        for name, constant, process in self._layout:
            value = params[name] if name in given else constant
            values.append(value if process is None else process(value))
        return values

    def read(self, raw: tuple) -> tuple:
        if self._readers is None:
            return self.row._make(raw)
        return self.row._make([value if read is None else read(value) for read, value in zip(self._readers, raw)])


class Rows:
    """The rows of one execution, read as the caller asks for them."""

    def __init__(self, plan: _Plan, cursor):
        self._plan, self._cursor = plan, cursor

    def first(self):
        raw = self._cursor.fetchone()
        self._cursor.close()
        return None if raw is None else self._plan.read(raw)

    def one(self):
        row = self.first()
        if row is None:
            raise exc.NoResultFound("No row was found when one was required")
        return row

    def scalar(self):
        row = self.first()
        return None if row is None else row[0]

    def scalar_one(self):
        return self.one()[0]

    def all(self) -> list:
        rows = [self._plan.read(raw) for raw in self._cursor.fetchall()]
        self._cursor.close()
        return rows
