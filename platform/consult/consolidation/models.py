"""Consolidated versions of a base document: immutable snapshots, and how conflicts were resolved."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base


class ConsolidatedVersion(Base):
    """Never updated after insert, except to mark it published: a resolution makes a new version."""

    __tablename__ = "consolidated_versions"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    version: Mapped[int]
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[dt.datetime]
    published_at: Mapped[dt.datetime | None]


class Resolution(Base):
    __tablename__ = "resolutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    from_version: Mapped[int]
    to_version: Mapped[int]
    paragraph_key: Mapped[str] = mapped_column(String(40))
    choice: Mapped[str] = mapped_column(String(20))       # "room:<id>", "delete" or "custom"
    text: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    resolved_by: Mapped[str] = mapped_column(String(254))
    resolved_at: Mapped[dt.datetime]


class ExcludedRoom(Base):
    """A room the organisers leave out of a document's consolidations (a test room, say), until
    they take it back in."""

    __tablename__ = "consolidation_excluded_rooms"

    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    excluded_by: Mapped[str] = mapped_column(String(254))
    excluded_at: Mapped[dt.datetime]
