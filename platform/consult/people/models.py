"""Participants (a personal signed link, no password) and organisers (email and password)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base

SECTORS = {
    "law_enforcement": "Law enforcement",
    "health": "Health services",
    "social_services": "Social services",
    "local_authority": "Local authority",
    "policymaker": "Policymaker",
    "research": "Research",
    "civil_society": "Civil society",
    "other": "Other",
}


class Participant(Base):
    __tablename__ = "participants"
    __table_args__ = (Index("ix_participants_event_id_email", "event_id", "email", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    organisation: Mapped[str] = mapped_column(String(120), default="")
    sector: Mapped[str] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2))
    # Only for participants registered in advance (imported): how a second import finds them.
    email: Mapped[str | None] = mapped_column(String(254))
    # Whether the participant agreed to be named in published results; no by default.
    named_in_results: Mapped[bool] = mapped_column(Boolean, default=False)
    # Only a hash is stored: a leaked database does not hand out working personal links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime]


class Organiser(Base):
    __tablename__ = "organisers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime]


class ApiToken(Base):
    """An organiser's bearer token for the integration API."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("organisers.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime]
