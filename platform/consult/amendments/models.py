"""Proposed changes to a paragraph, and the votes on them."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consult.contributions.models import Contribution
from consult.db import Base
from consult.i18n import N_

KINDS = ("replace", "insert_after", "delete")
# How a kind reads inside a sentence ("Amendment 4 (Room A, insert after)"); gettext on the value.
KIND_WORDS = {"replace": N_("replace"), "insert_after": N_("insert after"), "delete": N_("delete")}
CHOICES = ("agree", "disagree", "abstain")
STATUSES = ("pending", "accepted", "rejected")


class Amendment(Contribution, Base):
    __tablename__ = "amendments"
    __table_args__ = (UniqueConstraint("author_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"), index=True)
    # Always a base paragraph: what it replaces or deletes, or the one it inserts after.
    paragraph_id: Mapped[int] = mapped_column(ForeignKey("paragraphs.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text)
    # The room's text of the paragraph when the amendment was made: what its diff is against.
    original: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(12), default="pending")
    agree: Mapped[int] = mapped_column(default=0)
    disagree: Mapped[int] = mapped_column(default=0)
    abstain: Mapped[int] = mapped_column(default=0)
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[dt.datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # The text as accepted, when the rapporteur edited it before accepting.
    accepted_text: Mapped[str | None] = mapped_column(Text)


class AmendmentVote(Base):
    __tablename__ = "amendment_votes"

    amendment_id: Mapped[int] = mapped_column(ForeignKey("amendments.id", ondelete="CASCADE"), primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participants.id", ondelete="CASCADE"),
                                                primary_key=True, index=True)
    choice: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[dt.datetime]
