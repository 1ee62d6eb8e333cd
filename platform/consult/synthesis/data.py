"""The queries of the synthesis: an event's reactions, votes and writing, read once into plain
rows for the pure modules. Only what the rooms can see counts: hidden or unapproved comments
and amendments are left out, and so are votes on them."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.amendments.models import KIND_WORDS, Amendment, AmendmentVote
from consult.conference.models import ConferenceSession
from consult.contributions.models import Comment
from consult.documents.models import Document, Paragraph, Section
from consult.engagement.models import Reaction
from consult.i18n import _
from consult.people.models import Participant
from consult.rooms.models import Room, RoomSection
from consult.text import opening

VALUE = {"agree": 1.0, "disagree": -1.0, "pass": 0.0, "abstain": 0.0}


@dataclass
class Item:
    key: str                  # "p12" (a base paragraph) or "a5" (an amendment)
    kind: str                 # paragraph or amendment
    id: int
    paragraph_id: int
    number: str               # "1.2"
    document: str
    title: str                # what a reader recognises it by
    rooms: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Vote:
    participant_id: int
    item: str
    choice: str               # agree, disagree, pass, abstain; "" for only "needs discussion"
    discuss: bool = False


@dataclass(frozen=True)
class Writing:
    key: str                  # "c7" (a comment) or "a5" (an amendment's rationale)
    room_id: int
    paragraph_id: int | None
    sector: str
    text: str


@dataclass
class EventData:
    rooms: dict[int, str]
    sectors: dict[int, str]   # participant -> sector
    items: list[Item]
    votes: list[Vote]
    writing: list[Writing]


def room_names(session: Session, event_id: int) -> dict[int, str]:
    return dict(session.execute(select(Room.id, Room.name).join(ConferenceSession)
                                .where(ConferenceSession.event_id == event_id)
                                .order_by(ConferenceSession.position, Room.position)).all())


def change_mark(session: Session, event_id: int) -> tuple:
    """Changes whenever something the synthesis reads changes: every room write advances its
    log, and a document or participant import adds rows."""
    rooms = select(Room.id).join(ConferenceSession).where(ConferenceSession.event_id == event_id)
    logged = session.execute(select(func.coalesce(func.sum(Room.last_seq), 0), func.count())
                             .where(Room.id.in_(rooms))).one()
    paragraphs = session.scalar(select(func.count()).select_from(Paragraph).join(Section).join(Document)
                                .where(Document.event_id == event_id))
    people = session.scalar(select(func.count()).select_from(Participant).where(Participant.event_id == event_id))
    return (int(logged[0]), int(logged[1]), paragraphs, people)


def load(session: Session, event_id: int, room_id: int | None = None) -> EventData:
    rooms = room_names(session, event_id)
    if room_id is not None:
        rooms = {room_id: rooms[room_id]}
    scope = list(rooms)
    sectors = dict(session.execute(select(Participant.id, Participant.sector)
                                   .where(Participant.event_id == event_id)).all())
    items: dict[str, Item] = {}
    numbers: dict[int, tuple[str, str]] = {}
    for p, sec, doc in session.execute(select(Paragraph, Section, Document).select_from(Paragraph)
                                       .join(Section, Section.id == Paragraph.section_id)
                                       .join(Document, Document.id == Section.document_id)
                                       .where(Document.event_id == event_id)
                                       .order_by(Document.position, Section.position, Paragraph.position)):
        number = f"{sec.position + 1}.{p.position + 1}"
        numbers[p.id] = (number, doc.title)
        items[f"p{p.id}"] = Item(f"p{p.id}", "paragraph", p.id, p.id, number, doc.title, opening(p.text, 10))
    for room, paragraph_id in session.execute(select(RoomSection.room_id, Paragraph.id)
                                              .join(Paragraph, Paragraph.section_id == RoomSection.section_id)
                                              .where(RoomSection.room_id.in_(scope))):
        items[f"p{paragraph_id}"].rooms.add(room)
    votes: list[Vote] = []
    # A person in two rooms on the same paragraph counts once, with their latest reaction.
    latest: dict[tuple[int, int], tuple] = {}
    for r in session.execute(select(Reaction.room_id, Reaction.paragraph_id, Reaction.participant_id,
                                    Reaction.stance, Reaction.needs_discussion, Reaction.updated_at)
                             .where(Reaction.room_id.in_(scope))):
        key = (r.participant_id, r.paragraph_id)
        if key not in latest or r.updated_at > latest[key].updated_at:
            latest[key] = r
        items[f"p{r.paragraph_id}"].rooms.add(r.room_id)
    for (participant_id, paragraph_id), r in latest.items():
        if r.stance or r.needs_discussion:
            votes.append(Vote(participant_id, f"p{paragraph_id}", r.stance or "", bool(r.needs_discussion)))
    writing: list[Writing] = []
    for a in session.execute(select(Amendment.id, Amendment.room_id, Amendment.paragraph_id, Amendment.kind,
                                    Amendment.text, Amendment.rationale, Amendment.author_id)
                             .where(Amendment.room_id.in_(scope), Amendment.visibility == "visible")
                             .order_by(Amendment.id)):
        number, document = numbers[a.paragraph_id]
        title = _("Amendment %(id)s (%(kind)s %(number)s): %(opening)s", id=a.id, kind=_(KIND_WORDS[a.kind]),
                  number=number, opening=opening(a.text or a.rationale, 10))
        items[f"a{a.id}"] = Item(f"a{a.id}", "amendment", a.id, a.paragraph_id, number, document, title, {a.room_id})
        writing.append(Writing(f"a{a.id}", a.room_id, a.paragraph_id, sectors[a.author_id], a.rationale))
    for amendment_id, participant_id, choice in session.execute(
            select(AmendmentVote.amendment_id, AmendmentVote.participant_id, AmendmentVote.choice)
            .join(Amendment, Amendment.id == AmendmentVote.amendment_id)
            .where(Amendment.room_id.in_(scope), Amendment.visibility == "visible")):
        votes.append(Vote(participant_id, f"a{amendment_id}", choice))
    for c in session.execute(select(Comment.id, Comment.room_id, Comment.paragraph_id, Comment.author_id, Comment.text)
                             .where(Comment.room_id.in_(scope), Comment.visibility == "visible")
                             .order_by(Comment.id)):
        writing.append(Writing(f"c{c.id}", c.room_id, c.paragraph_id, sectors[c.author_id], c.text))
    worked_on = [i for i in items.values() if i.kind == "amendment" or i.rooms]
    return EventData(rooms, sectors, worked_on, votes, writing)
