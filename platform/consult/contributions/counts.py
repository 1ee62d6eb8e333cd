"""The visible counts per thread (contribution_counts), moved by every change of what the room
sees: a comment or amendment posted visible, approved, hidden or restored."""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from consult.contributions.models import VisibleCount
from consult.prepared import Prepared

COUNTS = VisibleCount.__table__
GENERAL = 0  # the thread of comments on the room as a whole


class Counts(NamedTuple):
    """What the room's pages show beside a contribution, as moved: its thread's count (of its
    kind) and the room's visible comments."""

    thread: int
    room_comments: int


def _move(dialect, column: str):
    insert = dialect.insert(COUNTS)
    others = COUNTS.alias("others")
    # The room's comments in the same statement as the thread's move (a post's statements each
    # cost more than SQLite spends on them): this row's new count plus the other threads'. The
    # other threads, not all of them: PostgreSQL's subquery sees the table as the statement
    # began, SQLite's as it is, and the two agree on every row but the one moved.
    elsewhere = select(func.coalesce(func.sum(others.c.comments), 0)).where(
        others.c.room_id == bindparam("room"), others.c.paragraph_id != bindparam("paragraph")).scalar_subquery()
    return Prepared(insert.values({"room_id": bindparam("room"), "paragraph_id": bindparam("paragraph"),
                          "comments": 0, "amendments": 0, column: bindparam("by")}).on_conflict_do_update(
        index_elements=["room_id", "paragraph_id"], set_={column: COUNTS.c[column] + insert.excluded[column]}
    ).returning(COUNTS.c[column], COUNTS.c.comments + elsewhere))


_MOVE = {(name, column): _move(dialect, column) for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
         for column in ("comments", "amendments")}


def moved(session: Session, column: str, item, was: str | None, now: str) -> Counts | None:
    """`item` (a comment or amendment: its room and paragraph) went from visibility `was` (None:
    it is new) to `now`; `column` is "comments" or "amendments". Returns the counts when they
    moved."""
    by = (now == "visible") - (was == "visible")
    if by:
        return Counts(*_MOVE[session.bind.dialect.name, column].execute(session.connection(), {
            "room": item.room_id, "paragraph": item.paragraph_id or GENERAL, "by": by}).one())
    return None
