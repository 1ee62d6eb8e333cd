"""What one export covers, loaded once so that the big sheets stream without a join per row:
its rooms and their places on the agenda, its paragraphs, its people and how each author is
shown to the public (signed_as); the columns and words every sheet shares."""
from __future__ import annotations

from typing import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.access import signed_as
from consult.conference.models import ConferenceSession
from consult.documents.models import Document, Paragraph, Section
from consult.people.models import SECTORS, Participant
from consult.rooms.models import Room
from consult.rooms.phases import PHASE_LABELS
from consult.text import opening
from consult.workbook import Column
from consult.i18n import N_, _

BATCH = 5000
WHERE = [Column(N_("Session"), 24), Column(N_("Room"), 28), Column(N_("Phase"), 12), Column(N_("Document"), 28),
         Column(N_("Section"), 28), Column(N_("Paragraph"), 10), Column(N_("Opening words"), 30)]
# Amendment kinds and statuses as the workbook's reader reads them.
KINDS = {"replace": N_("replace"), "insert_after": N_("insert after"), "delete": N_("delete")}
STATUSES = {"pending": N_("pending"), "accepted": N_("accepted"), "rejected": N_("rejected")}
WHO = [Column(N_("Author sector"), 18), Column(N_("Author country"), 8), Column(N_("Author (if agreed)"), 20)]


class Lookups:
    """Small lookups loaded once, so that the big tables stream without joins per row."""

    def __init__(self, session: Session, event_id: int, room_id: int | None, include_hidden: bool = False):
        self.session, self.room_id, self.include_hidden = session, room_id, include_hidden
        rooms = session.execute(select(Room, ConferenceSession).join(ConferenceSession)
                                .where(ConferenceSession.event_id == event_id)
                                .order_by(ConferenceSession.position, Room.position)).all()
        self.rooms = {r.id: (s.title, r.name, _(PHASE_LABELS[r.phase])) for r, s in rooms
                      if room_id is None or r.id == room_id}
        self.room_by_id = {r.id: r for r, _ in rooms}
        self.room_rows = [(r, s) for r, s in rooms if r.id in self.rooms]
        self.paragraphs = {}
        for p, sec, doc in session.execute(select(Paragraph, Section, Document).select_from(Paragraph)
                                           .join(Section, Section.id == Paragraph.section_id)
                                           .join(Document, Document.id == Section.document_id)
                                           .where(Document.event_id == event_id)):
            self.paragraphs[p.id] = (doc.title, f"{sec.position + 1}. {sec.title}",
                                     f"{sec.position + 1}.{p.position + 1}", opening(p.text, 8))
        self.authors = {p.id: p for p in session.scalars(select(Participant).where(Participant.event_id == event_id))}
        self.people = {p.id: (_(SECTORS[p.sector]), p.country, p.name if p.named_in_results else None,
                              p.organisation if p.named_in_results else None, f"P-{p.id:06d}")
                       for p in self.authors.values()}

    def where(self, room_id: int, paragraph_id: int | None) -> tuple:
        session_title, room, phase = self.rooms[room_id]
        document, section, number, opening = self.paragraphs.get(paragraph_id, ("", "", _("General"), ""))
        return session_title, room, phase, document, section, number, opening

    def who(self, participant_id: int, room_id: int, attribution: str) -> tuple:
        """The author's columns as the public sees them (signed_as)."""
        signed = signed_as(self.authors[participant_id], attribution, self.room_by_id[room_id], "public")
        return signed.sector_name, signed.country, signed.name

    def in_scope(self, column):
        return column.in_(list(self.rooms))

    def shown(self, model):
        """Moderated content: left out, or included and marked, as the organiser chose."""
        return model.visibility == "visible" if not self.include_hidden else model.visibility.is_not(None)


def moderation(visibility: str, reason: str | None) -> str:
    return {"visible": "", "pending": "awaiting approval"}.get(visibility, f"HIDDEN by a moderator: {reason or ''}")


def stream(session: Session, query) -> Iterator:
    return session.execute(query.execution_options(yield_per=BATCH))
