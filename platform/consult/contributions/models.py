"""What participants write in a room: comments (one level of replies) and support on them."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base

# How a comment is attributed to others: by the author's name, or only by sector and country
# (many participants are police officers or officials; the subject is sensitive).
ATTRIBUTIONS = ("name", "sector")


class Contribution:
    """What comments and amendments share: how they are signed, the language they were written
    in, the key that makes a retry find the first post, moderation, and when."""

    attribution: Mapped[str] = mapped_column(String(8), default="sector")
    # The language the author wrote in (their interface language unless they said otherwise).
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    idempotency_key: Mapped[str] = mapped_column(String(64))
    # visible; pending (awaiting a moderator in a pre-moderated room); hidden (by a moderator).
    visibility: Mapped[str] = mapped_column(String(8), default="visible")
    moderation_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime]


class Comment(Contribution, Base):
    __tablename__ = "comments"
    __table_args__ = (
        # A retried post carries the same key: the unique index makes the retry find the first.
        UniqueConstraint("author_id", "idempotency_key"),
        Index("ix_comments_room_paragraph", "room_id", "paragraph_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    paragraph_id: Mapped[int | None] = mapped_column(ForeignKey("paragraphs.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    support: Mapped[int] = mapped_column(default=0)
    # Marked by the rapporteur when the room's text or conclusions draw on it.
    taken_into_account: Mapped[bool] = mapped_column(Boolean, default=False)


class Support(Base):
    __tablename__ = "supports"

    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"),
                                                primary_key=True, index=True)
    created_at: Mapped[dt.datetime]


class VisibleCount(Base):
    """How many comments and amendments the room sees in one thread: a paragraph, or the room
    as a whole (paragraph 0, where general comments are). Kept in the transaction of every
    change of what is visible (contributions/counts.py): a post is announced with its thread's
    and its room's counts, and counting a busy room's rows on every post costs more than the
    post (about 1 ms at 2,500 comments)."""

    __tablename__ = "contribution_counts"

    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    # No foreign key: 0 is no paragraph. A paragraph is only replaced while nothing is written on it.
    paragraph_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    comments: Mapped[int] = mapped_column(default=0)
    amendments: Mapped[int] = mapped_column(default=0)
