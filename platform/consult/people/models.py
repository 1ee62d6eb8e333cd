"""Participants (a personal signed link, no password) and organisers (email and password)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from consult.db import Base
from consult.i18n import N_

SECTORS = {
    "law_enforcement": N_("Law enforcement"),
    "health": N_("Health services"),
    "social_services": N_("Social services"),
    "local_authority": N_("Local authority"),
    "policymaker": N_("Policymaker"),
    "research": N_("Research"),
    "civil_society": N_("Civil society"),
    "other": N_("Other"),
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
    # The interface language the participant chose (None: their browser's); it follows them to another device.
    language: Mapped[str | None] = mapped_column(String(8))


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
    name: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    last_used_at: Mapped[dt.datetime | None]


class SignInSession(Base):
    """A browser's session, kept here so that ending it ends it: the cookie holds only an
    opaque id, and only that id's hash is stored."""

    __tablename__ = "sign_in_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"), index=True)
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("organisers.id", ondelete="CASCADE"), index=True)
    data: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
