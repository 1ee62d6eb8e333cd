"""The conference and its agenda."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.db import Base


class Event(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[dt.date]
    ends_on: Mapped[dt.date]
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Brussels")
    description: Mapped[str] = mapped_column(Text, default="")
    # The interface languages offered (space-separated codes) and the one for a browser that asks for none of them.
    languages: Mapped[str] = mapped_column(String(64), default="en fr de nl", server_default="en fr de nl")
    default_language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")

    slots: Mapped[list["ConferenceSession"]] = relationship(
        back_populates="event", order_by="ConferenceSession.position")


class ConferenceSession(Base):
    """An agenda slot; 'Session' alone would be confused with the database session."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[dt.datetime]
    ends_at: Mapped[dt.datetime]

    event: Mapped[Event] = relationship(back_populates="slots")
    rooms: Mapped[list["Room"]] = relationship(back_populates="slot", order_by="Room.position")  # noqa: F821
