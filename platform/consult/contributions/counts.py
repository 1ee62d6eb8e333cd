"""The visible counts per thread (contribution_counts), moved by every change of what the room
sees: a comment or amendment posted visible, approved, hidden or restored."""
from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from consult.contributions.models import VisibleCount

COUNTS = VisibleCount.__table__
GENERAL = 0  # the thread of comments on the room as a whole


def _move(dialect, column: str):
    insert = dialect.insert(COUNTS)
    return insert.values({"room_id": bindparam("room"), "paragraph_id": bindparam("paragraph"),
                          "comments": 0, "amendments": 0, column: bindparam("by")}).on_conflict_do_update(
        index_elements=["room_id", "paragraph_id"], set_={column: COUNTS.c[column] + insert.excluded[column]}
    ).returning(COUNTS.c[column])


_MOVE = {(name, column): _move(dialect, column) for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
         for column in ("comments", "amendments")}
_ROOM = select(func.coalesce(func.sum(COUNTS.c.comments), 0)).where(COUNTS.c.room_id == bindparam("room"))


def moved(session: Session, column: str, item, was: str | None, now: str) -> int | None:
    """`item` (a comment or amendment: its room and paragraph) went from visibility `was` (None:
    it is new) to `now`; `column` is "comments" or "amendments". Returns its thread's count
    when that moved."""
    by = (now == "visible") - (was == "visible")
    if by:
        return session.connection().execute(_MOVE[session.bind.dialect.name, column], {
            "room": item.room_id, "paragraph": item.paragraph_id or GENERAL, "by": by}).scalar_one()
    return None


def in_room(session: Session, room_id: int) -> int:
    """The room's visible comments: the sum of its threads' (a few dozen rows, not its comments)."""
    return session.connection().execute(_ROOM, {"room": room_id}).scalar_one()
