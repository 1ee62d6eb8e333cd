"""The consultation as tables, one a sheet: a header and a row generator each, streamed from the
database (the overview sheet is overview.py, what every sheet shares lookups.py).

Every row carries its provenance: session, room, phase, document, section and paragraph
(number and opening words), and the author's sector and country. Participants are
pseudonymised (P-000123): a name or organisation appears only where the person agreed to be
named in the results."""
from __future__ import annotations

import datetime as dt
from typing import Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult import clock
from consult.amendments.models import Amendment, AmendmentVote
from consult.audit.models import AuditEntry
from consult.audit.words import describe, role_of
from consult.conference.models import Event
from consult.consolidation import hunks
from consult.consolidation.models import ConsolidatedVersion
from consult.consolidation.service import version_view
from consult.contributions.models import Comment, Support
from consult.documents.models import Document, Section
from consult.drafting import service as drafting
from consult.engagement.models import Dot, Poll, PollVote, Reaction
from consult.workbook import Column, Table
from consult.people.models import SECTORS, Participant
from consult.rooms.models import Membership, RoomSection
from consult.rooms.phases import PHASE_LABELS
from consult.synthesis.sheets import synthesis_sheets
from consult.export.lookups import BATCH, KINDS, STATUSES, WHERE, WHO, Lookups, moderation, stream
from consult.export.overview import overview
from consult.i18n import N_, _, pgettext


def rooms(lk: Lookups) -> Table:
    s = lk.session
    sections = {}
    for room_id, title in s.execute(select(RoomSection.room_id, Section.title).join(Section)
                                    .order_by(RoomSection.room_id, RoomSection.position)):
        sections.setdefault(room_id, []).append(title)
    rapporteurs = {}
    for room_id, name in s.execute(select(Membership.room_id, Participant.name).join(Participant)
                                   .where(Membership.role == "rapporteur")):
        rapporteurs.setdefault(room_id, []).append(name)
    members = dict(s.execute(select(Membership.room_id, func.count()).group_by(Membership.room_id)).all())
    comments = dict(s.execute(select(Comment.room_id, func.count()).group_by(Comment.room_id)).all())
    amendments = dict(s.execute(select(Amendment.room_id, func.count()).group_by(Amendment.room_id)).all())

    def rows():
        for room, slot in lk.room_rows:
            version, _content = drafting.latest(s, room.id)
            yield (slot.title, room.name, room.topic, _(PHASE_LABELS[room.phase]), room.code,
                   "; ".join(sections.get(room.id, [])), members.get(room.id, 0),
                   "; ".join(rapporteurs.get(room.id, [])), comments.get(room.id, 0), amendments.get(room.id, 0),
                   room.last_seq, version)

    return Table(N_("Rooms"), [Column(N_("Session"), 24), Column(N_("Room"), 30), Column(N_("Topic"), 40, "long"), Column(N_("Phase"), 12),
                           Column(N_("Join code"), 10), Column(N_("Sections"), 40, "long"), Column(N_("Members"), 10, "number"),
                           Column(N_("Rapporteurs"), 24), Column(N_("Comments"), 10, "number"),
                           Column(N_("Amendments"), 11, "number"), Column(N_("Events logged"), 10, "number"),
                           Column(N_("Draft version"), 10, "number")], rows())


def participants(lk: Lookups) -> Table:
    def rows():
        joined: dict[int, list] = {}
        for pid, room_id, role in lk.session.execute(select(Membership.participant_id, Membership.room_id,
                                                            Membership.role).where(lk.in_scope(Membership.room_id))):
            joined.setdefault(pid, []).append(lk.rooms[room_id][1] + (" " + _("(rapporteur)") if role == "rapporteur" else ""))
        for pid in sorted(joined):
            sector, country, name, organisation, pseudonym = lk.people[pid]
            yield pseudonym, sector, country, name, organisation, "; ".join(joined[pid])

    return Table(N_("Participants"), [Column(N_("Participant"), 11), Column(N_("Sector"), 18), Column(N_("Country"), 8),
                                  Column(N_("Name (if agreed)"), 22), Column(N_("Organisation (if agreed)"), 26),
                                  Column(N_("Rooms"), 40, "long")], rows())


def comments(lk: Lookups) -> Table:
    def rows():
        query = select(Comment.id, Comment.parent_id, Comment.room_id, Comment.paragraph_id, Comment.author_id,
                       Comment.attribution, Comment.text, Comment.language, Comment.support, Comment.taken_into_account,
                       Comment.created_at, Comment.visibility, Comment.moderation_reason).where(
            lk.in_scope(Comment.room_id), lk.shown(Comment)).order_by(Comment.id)
        for c in stream(lk.session, query):
            yield (c.id, c.parent_id, *lk.where(c.room_id, c.paragraph_id),
                   *lk.who(c.author_id, c.room_id, c.attribution), c.text, c.language, c.support,
                   _("yes") if c.taken_into_account else "", c.created_at, moderation(c.visibility, c.moderation_reason))

    return Table(N_("Comments"), [Column(N_("Comment"), 9, "number"), Column(N_("Reply to"), 9, "number"), *WHERE, *WHO,
                              Column(N_("Text"), 60, "long"), Column(N_("Language"), 9), Column(N_("Support"), 9, "number"),
                              Column(N_("Taken into account"), 10), Column(N_("Posted (UTC)"), 17, "datetime"),
                              Column(N_("Moderation"), 24)], rows())


def amendments(lk: Lookups) -> Table:
    dots = dict(lk.session.execute(select(Dot.target_id, func.sum(Dot.dots)).where(
        Dot.target_type == "amendment").group_by(Dot.target_id)).all())

    def rows():
        query = select(Amendment).where(lk.in_scope(Amendment.room_id), lk.shown(Amendment)).order_by(Amendment.id)
        for a in lk.session.scalars(query.execution_options(yield_per=BATCH)):
            yield (a.id, *lk.where(a.room_id, a.paragraph_id), *lk.who(a.author_id, a.room_id, a.attribution),
                   _(KINDS[a.kind]), a.original, a.text, a.rationale, a.language, _(STATUSES[a.status]), a.decided_by,
                   a.decision_reason, a.accepted_text, a.agree, a.disagree, a.abstain, int(dots.get(a.id, 0)),
                   a.created_at, moderation(a.visibility, a.moderation_reason))

    return Table(N_("Amendments"), [Column(N_("Amendment"), 10, "number"), *WHERE, *WHO, Column(N_("Kind"), 12),
                                Column(N_("Text amended"), 50, "long"), Column(N_("Proposed text"), 50, "long"),
                                Column(N_("Rationale"), 40, "long"), Column(N_("Language"), 9), Column(N_("Status"), 10), Column(N_("Decided by"), 18),
                                Column(N_("Reason"), 30, "long"), Column(N_("Accepted text (if edited)"), 40, "long"),
                                Column(N_("Agree"), 8, "number"), Column(N_("Disagree"), 8, "number"),
                                Column(N_("Abstain"), 8, "number"), Column(N_("Priority dots"), 8, "number"),
                                Column(N_("Proposed (UTC)"), 17, "datetime"), Column(N_("Moderation"), 24)], rows())


def votes(lk: Lookups) -> Table:
    """Per item and per sector: amendment votes, support on comments, reactions to paragraphs."""
    s = lk.session
    blank = (None,) * 3

    def rows():
        query = (select(Amendment.id, Amendment.room_id, Amendment.paragraph_id, Participant.sector,
                        AmendmentVote.choice, func.count())
                 .join(AmendmentVote, AmendmentVote.amendment_id == Amendment.id)
                 .join(Participant, Participant.id == AmendmentVote.participant_id)
                 .where(lk.in_scope(Amendment.room_id))
                 .group_by(Amendment.id, Amendment.room_id, Amendment.paragraph_id, Participant.sector,
                           AmendmentVote.choice).order_by(Amendment.id, Participant.sector))
        yield from _pivot(stream(s, query), lambda r: (_("Amendment vote"), r[0], r[1], r[2], r[3]), 4,
                          ("agree", "disagree", "abstain"), lambda key, c: (*key[:2], *lk.where(key[2], key[3]),
                                                                             _(SECTORS[key[4]]), c["agree"], c["disagree"],
                                                                             c["abstain"], None, None, None))
        query = (select(Comment.id, Comment.room_id, Comment.paragraph_id, Participant.sector, func.count())
                 .join(Support, Support.comment_id == Comment.id).join(Participant, Participant.id == Support.participant_id)
                 .where(lk.in_scope(Comment.room_id))
                 .group_by(Comment.id, Comment.room_id, Comment.paragraph_id, Participant.sector)
                 .order_by(Comment.id, Participant.sector))
        for cid, room_id, paragraph_id, sector, n in stream(s, query):
            yield (_("Support on comment"), cid, *lk.where(room_id, paragraph_id), _(SECTORS[sector]), *blank, n, None, None)
        query = (select(Reaction.room_id, Reaction.paragraph_id, Participant.sector, Reaction.stance,
                        Reaction.needs_discussion, func.count())
                 .join(Participant, Participant.id == Reaction.participant_id).where(lk.in_scope(Reaction.room_id))
                 .group_by(Reaction.room_id, Reaction.paragraph_id, Participant.sector, Reaction.stance,
                           Reaction.needs_discussion)
                 .order_by(Reaction.room_id, Reaction.paragraph_id, Participant.sector))
        current, tally = None, None
        for room_id, paragraph_id, sector, stance, discuss, n in stream(s, query):
            key = (room_id, paragraph_id, sector)
            if key != current:
                if current:
                    yield _reaction_row(lk, current, tally)
                current, tally = key, {"agree": 0, "disagree": 0, "pass": 0, "discuss": 0}
            if stance:
                tally[stance] += n
            if discuss:
                tally["discuss"] += n
        if current:
            yield _reaction_row(lk, current, tally)

    return Table(N_("Votes"), [Column(N_("Item"), 18), Column(N_("Item id"), 8, "number"), *WHERE, Column(N_("Sector"), 18),
                           Column(N_("Agree"), 8, "number"), Column(N_("Disagree"), 8, "number"), Column(N_("Abstain"), 8, "number"),
                           Column(N_("Support"), 8, "number"), Column(N_("Pass"), 8, "number"),
                           Column(N_("Needs discussion"), 10, "number")], rows())


def _pivot(rows, key_of, value_index, choices, build):
    """Rows of (key..., choice, count) sorted by key, as one row per key with a column per choice."""
    current, counts = None, None
    for row in rows:
        key = key_of(row)
        if key != current:
            if current is not None:
                yield build(current, counts)
            current, counts = key, dict.fromkeys(choices, 0)
        counts[row[value_index]] = row[value_index + 1]
    if current is not None:
        yield build(current, counts)


def _reaction_row(lk, key, tally):
    room_id, paragraph_id, sector = key
    return (_("Reaction to paragraph"), paragraph_id, *lk.where(room_id, paragraph_id), _(SECTORS[sector]),
            tally["agree"], tally["disagree"], None, None, tally["pass"], tally["discuss"])


def polls(lk: Lookups) -> Table:
    s = lk.session

    def rows():
        counts = {}
        for poll_id, option, n in s.execute(select(PollVote.poll_id, PollVote.option, func.count())
                                            .group_by(PollVote.poll_id, PollVote.option)):
            counts[(poll_id, option)] = n
        voters = dict(s.execute(select(PollVote.poll_id, func.count(func.distinct(PollVote.participant_id)))
                                .group_by(PollVote.poll_id)).all())
        for poll in s.scalars(select(Poll).where(lk.in_scope(Poll.room_id)).order_by(Poll.id)):
            session_title, room, phase = lk.rooms[poll.room_id]
            total = sum(counts.get((poll.id, i), 0) for i in range(len(poll.options)))
            for i, option in enumerate(poll.options):
                n = counts.get((poll.id, i), 0)
                yield (poll.id, session_title, room, phase, poll.question, "several" if poll.multiple else "one",
                       "open" if poll.open else "closed", option, n, round(n / total, 3) if total else 0,
                       voters.get(poll.id, 0), poll.asked_by, poll.created_at)

    return Table(N_("Polls"), [Column(N_("Poll"), 7, "number"), Column(N_("Session"), 24), Column(N_("Room"), 28), Column(N_("Phase"), 12),
                           Column(N_("Question"), 40, "long"), Column(N_("Answers"), 9), Column(N_("State"), 8),
                           Column(N_("Option"), 30), Column(N_("Votes"), 8, "number"), Column(N_("Share"), 8, "number"),
                           Column(N_("Answered"), 9, "number"), Column(N_("Asked by"), 18),
                           Column(N_("Asked (UTC)"), 17, "datetime")], rows())


def paragraph_state(status: str) -> str:
    """A paragraph's stored state as a reader's word, the same words as the compare page."""
    words = {"unchanged": pgettext("paragraph", "unchanged"), "changed": pgettext("paragraph", "changed"),
             "conflict": pgettext("paragraph", "in conflict"), "inserted": pgettext("paragraph", "inserted"),
             "deleted": pgettext("paragraph", "deleted")}
    return words.get(status, status)


def drafts(lk: Lookups) -> Table:
    def rows():
        for room_id in lk.rooms:
            version, content = drafting.latest(lk.session, room_id)
            for p in content["paragraphs"]:
                anchor = p["base_paragraph_id"] or p["after"]
                where = lk.where(room_id, anchor)
                status = ("inserted" if p["base_paragraph_id"] is None else "deleted" if p["deleted"]
                          else "changed" if p["text"] != p.get("base_text", p["text"]) else "unchanged")
                yield (*where[:5], p["number"], where[6], version, paragraph_state(status), p.get("base_text"), p["text"],
                       p["amendment_id"])
            yield (*lk.where(room_id, None)[:5], _("Conclusions"), "", version, "", None, content["conclusions"], None)

    return Table(N_("Drafts"), [*WHERE, Column(N_("Draft version"), 9, "number"), Column(N_("Status"), 10),
                            Column(N_("Base text"), 50, "long"), Column(N_("Room's text"), 60, "long"),
                            Column(N_("From amendment"), 10, "number")], rows())


CONSOLIDATED_COLUMNS = [
    Column(N_("Document"), 30), Column(N_("Version"), 8, "number"), Column(N_("State"), 30), Column(N_("Section"), 28),
    Column(N_("Paragraph"), 10), Column(N_("Base number"), 10), Column(N_("Status"), 10), Column(N_("Text"), 60, "long"),
    Column(N_("Base text"), 50, "long"), Column(N_("Text adopted from"), 30, "long"), Column(N_("Rooms not adopted"), 40, "long"),
    Column(N_("Amendments adopted"), 14), Column(N_("Amendments not adopted"), 40, "long"),
    Column(N_("Agree votes behind the adopted text"), 12, "number"), Column(N_("Organisers' wording"), 18),
    Column(N_("Notes of the organisers"), 40, "long")]


def _version_rows(view: dict) -> Iterator[tuple]:
    state = (_("published %(when)s", when=view["published_at_local"]) if view["published"]
             else _("draft of %(when)s", when=view["created_at_local"]))
    for p in view["paragraphs"]:
        pr = p["provenance"]
        if p["status"] == "conflict":
            text = _("IN CONFLICT: %(text)s", text=hunks.display_text(p))
        else:
            text = p["text"] if p["text"] is not None else _("(deleted)")
        notes = [e["note"] for e in pr["edits"]] + [hunks.resolution_notes(p)]
        yield (view["document_title"], view["version"], state, p["section_title"], p["number"], p["base_number"],
               paragraph_state(p["status"]), text, p["base_text"], "; ".join(pr["adopted_rooms"]),
               "; ".join(f"{r['room_name']} ({r['reason']})" for r in pr["rooms"] if r["adopted"] in ("no", "pending")),
               "; ".join(str(a["id"]) for a in pr["amendments"]),
               "; ".join(f"{a['id']} ({a['reason']})" for a in pr["not_adopted"]), pr["support"]["agree"],
               pr["organisers"] or "", "; ".join(n for n in notes if n))


def consolidated(lk: Lookups, event_id: int, published: bool) -> Table:
    """published: each document's latest published version (what the plenary received);
    otherwise each document's latest version when it is a draft made after that."""
    s = lk.session

    def rows():
        for document in s.scalars(select(Document).where(Document.event_id == event_id).order_by(Document.position)):
            query = select(ConsolidatedVersion).where(ConsolidatedVersion.document_id == document.id)
            if published:
                query = query.where(ConsolidatedVersion.published_at.is_not(None))
            row = s.scalar(query.order_by(ConsolidatedVersion.version.desc()).limit(1))
            if row is None or (not published and row.published_at is not None):
                what = _("No version published yet.") if published else _("No draft newer than the published version.")
                yield (document.title, None, what, *(None,) * (len(CONSOLIDATED_COLUMNS) - 3))
                continue
            yield from _version_rows(version_view(row, document))

    return Table(N_("Consolidated") if published else N_("Consolidated draft"), CONSOLIDATED_COLUMNS, rows())


def audit(lk: Lookups, event_id: int) -> Table:
    def rows():
        query = select(AuditEntry).where(AuditEntry.event_id == event_id).order_by(AuditEntry.id)
        if lk.room_id is not None:
            query = query.where(AuditEntry.room_id == lk.room_id)
        for e in lk.session.scalars(query.execution_options(yield_per=BATCH)):
            room = lk.rooms.get(e.room_id, ("", "", ""))[1]
            yield e.at, e.actor, role_of(e.actor_role), e.action, room, describe(e.action, e.detail, {})

    return Table(N_("Audit"), [Column(N_("When (UTC)"), 17, "datetime"), Column(N_("Who"), 24), Column(N_("Role"), 11),
                           Column(N_("Action"), 22), Column(N_("Room"), 28), Column(N_("Detail"), 60, "long")], rows())


def all_tables(session: Session, event: Event, room_id: int | None = None,
               include_hidden: bool = False) -> tuple[list[Table], dt.datetime]:
    generated = clock.now().replace(microsecond=0)
    lk = Lookups(session, event.id, room_id, include_hidden)
    tables = [overview(lk, event, generated), rooms(lk), participants(lk), comments(lk), amendments(lk), votes(lk),
              polls(lk), drafts(lk)]
    if room_id is None:
        tables += [consolidated(lk, event.id, published=True), consolidated(lk, event.id, published=False)]
        tables += synthesis_sheets(session, event)
    tables.append(audit(lk, event.id))
    return tables, generated
