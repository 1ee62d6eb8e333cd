"""The room's working text: every change a new, complete version."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base


class DraftVersion(Base):
    """A whole snapshot: a room's text is a few dozen paragraphs, so storing each version in
    full keeps history, diffs and the stale-save check simple and exact.

    content = {"paragraphs": [{"id": "p12" | "i3", "section_id", "base_paragraph_id" (None
    for inserted), "after" (the base paragraph an inserted one follows), "text", "deleted",
    "amendment_id"}], "conclusions": Markdown}"""

    __tablename__ = "draft_versions"
    __table_args__ = (UniqueConstraint("room_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    version: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(300), default="")
    author: Mapped[str] = mapped_column(String(120), default="")
    author_participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    author_organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organisers.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime]
