"""Apply (or write) Alembic migrations without an alembic.ini."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def _config(engine: Engine, connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    # Migrations run before the server answers anything, so plain BEGIN is enough here;
    # the IMMEDIATE begin hook of the write engine makes DDL wait for any other writer.
    with engine.begin() as connection:
        command.upgrade(_config(engine, connection), "head")


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a new revision against the current database (development only)."""
    with engine.begin() as connection:
        command.revision(_config(engine, connection), message=message, autogenerate=True)
