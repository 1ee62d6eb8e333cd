"""Flags raised by participants on contributions they think break the room's rules."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base

TARGETS = ("comment", "amendment")


class Flag(Base):
    __tablename__ = "flags"
    __table_args__ = (UniqueConstraint("target_type", "target_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    target_type: Mapped[str] = mapped_column(String(12))
    target_id: Mapped[int]
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime]
    resolved_at: Mapped[dt.datetime | None]
