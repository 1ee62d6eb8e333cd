"""Alembic environment, configured from code (see consult.migrate)."""
from alembic import context

from consult import models  # noqa: F401  (registers every table)
from consult.db import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite alters tables by copying them; batch mode does that for us.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
