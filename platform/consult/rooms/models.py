"""Breakout rooms, who is in them, and each room's append-only event log."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.db import Base

PHASES = ("setup", "open", "voting", "closed")
ROLES = ("participant", "rapporteur")


class Room(Base):
    __tablename__ = "rooms"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The agenda slot; the column keeps its name.
    slot_id: Mapped[int] = mapped_column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(120))
    topic: Mapped[str] = mapped_column(String(300), default="")
    code: Mapped[str] = mapped_column(String(12), unique=True)
    phase: Mapped[str] = mapped_column(String(16), default="open")
    # The last sequence number handed out in this room's log. Allocating by updating this row
    # serialises the room's writers, which keeps the sequence gapless.
    last_seq: Mapped[int] = mapped_column(default=0)
    # How many priority dots each participant spreads in the voting phase.
    dots: Mapped[int] = mapped_column(default=5)
    capacity: Mapped[int | None]
    # Anonymous rooms never show names to other participants: everything is signed by sector.
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # Contributions appear to the room only once a moderator approved them.
    premoderation: Mapped[bool] = mapped_column(Boolean, default=False)
    countdown_ends_at: Mapped[dt.datetime | None]

    slot: Mapped["ConferenceSession"] = relationship(back_populates="rooms")  # noqa: F821
    room_sections: Mapped[list["RoomSection"]] = relationship(order_by="RoomSection.position",
                                                              cascade="all, delete-orphan")


class RoomSection(Base):
    __tablename__ = "room_sections"

    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(default=0)


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("room_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="participant")
    joined_at: Mapped[dt.datetime]
    # Removed by a moderator: kept for the record, and the person cannot join again.
    removed_at: Mapped[dt.datetime | None]


class RapporteurInvite(Base):
    """A link that makes whoever joins the room with it a rapporteur (used once)."""

    __tablename__ = "rapporteur_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="SET NULL"))
    used_at: Mapped[dt.datetime | None]


class RoomEvent(Base):
    __tablename__ = "room_events"
    __table_args__ = (UniqueConstraint("room_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    seq: Mapped[int]
    type: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime]
