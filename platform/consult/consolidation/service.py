"""Consolidating a base document from every room's working text, resolving conflicts,
publishing. Organisers only, except reading a published version."""
from __future__ import annotations

import copy
import json
from dataclasses import asdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session, selectinload

from consult.access import require_organiser, signed_as
from consult import clock
from consult.amendments.models import Amendment
from consult.amendments.service import tally_by_sector
from consult.audit import service as audit
from consult.conference.models import ConferenceSession, Event
from consult.consolidation import hunks
from consult.consolidation.merge import merge_document
from consult.consolidation.models import ConsolidatedVersion, ExcludedRoom, Resolution
from consult.consolidation.numbering import published_numbers, working_number
from consult.consolidation.provenance import describe
from consult.contributions.models import Comment
from consult.documents.models import Document, Section
from consult.drafting import service as drafting
from consult.engagement.service import spread
from consult.errors import Invalid, NotFound
from consult.people.actor import Actor
from consult.people.models import Organiser, Participant
from consult.rooms.models import Membership, Room, RoomSection
from consult.text import clean_text
from consult.i18n import N_
from consult.i18n import _


def consolidator(session: Session, actor: Actor) -> str:
    """Organisers only consolidate; their email signs what they did."""
    require_organiser(actor, doing=N_("consolidate documents"))
    return session.get(Organiser, actor.organiser_id).email


def _document(session: Session, document_id: int) -> Document:
    document = session.scalar(select(Document).where(Document.id == document_id).options(
        selectinload(Document.sections).selectinload(Section.paragraphs)))
    if document is None:
        raise NotFound(_("No such document."))
    return document


def _rooms(session: Session, document: Document) -> list[Room]:
    section_ids = [s.id for s in document.sections]
    return list(session.scalars(
        select(Room).join(ConferenceSession).where(Room.id.in_(
            select(RoomSection.room_id).where(RoomSection.section_id.in_(section_ids))))
        .order_by(ConferenceSession.position, Room.position).options(selectinload(Room.slot))))


def build(session: Session, document: Document) -> dict:
    """A fresh merge of the latest working text of every room not left out, with the raw
    facts of provenance (see provenance.py for what is derived from them)."""
    sections = {s.id: s for s in document.sections}
    where = {p.id: (s, p) for s in document.sections for p in s.paragraphs}
    base = [(p.id, p.text) for s in document.sections for p in s.paragraphs]
    every = _rooms(session, document)
    left_out = excluded_ids(session, document.id)
    rooms = [r for r in every if r.id not in left_out]
    names = {r.id: r.name for r in every}
    drafts, versions, contents = {}, {}, {}
    for room in rooms:
        versions[room.id], contents[room.id] = drafting.latest(session, room.id)
        drafts[room.id] = [p for p in contents[room.id]["paragraphs"] if p["section_id"] in sections]
    merged = merge_document(base, drafts, order=[r.id for r in rooms])
    provenance = _provenance(session, [r.id for r in rooms], list(where), names)
    paragraphs, inserted_after = [], {}
    for m in merged:
        anchor = m.base_paragraph_id or m.after
        section, paragraph = where[anchor]
        if m.base_paragraph_id:
            number = working_number(section.position, paragraph.position)
        else:
            inserted_after[anchor] = inserted_after.get(anchor, -1) + 1
            number = working_number(section.position, paragraph.position, inserted_after[anchor])
        view = asdict(m)
        view.update(hunks.serialised(m.segments, names))
        view["variants"] = [dict(v, room_names=[names[r] for r in v["rooms"]]) for v in m.variants]
        view.update(section_id=section.id, section_title=section.title, number=number,
                    room_names=[names[r] for r in m.rooms], resolution=None,
                    proposals=_proposals(m, drafts, names))
        for c in view["candidates"]:
            c["room_name"] = names[c["room_id"]]
        view["provenance"] = _paragraph_provenance(provenance, m)
        paragraphs.append(view)
    conclusions = []
    for room in rooms:
        if not conclusions or conclusions[-1]["session"] != room.slot.title:
            conclusions.append({"session": room.slot.title, "rooms": []})
        rapporteurs = list(session.scalars(select(Participant.name).join(Membership).where(
            Membership.room_id == room.id, Membership.role == "rapporteur", Membership.removed_at.is_(None),
            Participant.named_in_results.is_(True))))
        conclusions[-1]["rooms"].append({"room_id": room.id, "room": room.name, "rapporteurs": rapporteurs,
                                         "conclusions": contents[room.id]["conclusions"],
                                         "draft_version": versions[room.id]})
    return {"paragraphs": paragraphs, "conclusions": conclusions,
            "rooms": [{"id": r.id, "name": r.name, "session": r.slot.title, "draft_version": versions[r.id]}
                      for r in rooms],
            "excluded_rooms": [{"id": r.id, "name": r.name} for r in every if r.id in left_out]}


def _proposals(m, drafts: dict[int, list[dict]], names: dict[int, str]) -> list[dict]:
    """What each room's text of this paragraph is, where it differs from the base."""
    if m.base_paragraph_id is None:
        return [{"room_id": r, "room_name": names[r], "text": m.text, "deleted": False} for r in m.rooms]
    out = []
    for room_id in sorted(drafts):
        mine = next((p for p in drafts[room_id] if p.get("base_paragraph_id") == m.base_paragraph_id), None)
        if mine is not None and (mine.get("deleted") or mine["text"] != m.base_text):
            deleted = bool(mine.get("deleted"))
            out.append({"room_id": room_id, "room_name": names[room_id], "text": None if deleted else mine["text"],
                        "deleted": deleted})
    return out


def _provenance(session: Session, room_ids: list[int], paragraph_ids: list[int], names: dict[int, str]) -> dict:
    """Every decided amendment (accepted or rejected in its room), the comments taken into
    account, and the reactions, of the rooms in this consolidation."""
    rooms = {r.id: r for r in session.scalars(select(Room).where(Room.id.in_(room_ids)))}
    decided = list(session.execute(select(Amendment, Participant).join(Participant, Participant.id == Amendment.author_id)
                                   .where(Amendment.room_id.in_(room_ids),
                                          Amendment.status.in_(("accepted", "rejected")),
                                          Amendment.visibility == "visible").order_by(Amendment.id)))
    by_sector = tally_by_sector(session, [a.id for a, _ in decided])
    amendments = {a.id: {"id": a.id, "room_id": a.room_id, "room_name": names[a.room_id],
                         "paragraph_id": a.paragraph_id, "kind": a.kind, "status": a.status,
                         "text": a.accepted_text or a.text, "rationale": a.rationale,
                         "decision_reason": a.decision_reason,
                         "author": signed_as(p, a.attribution, rooms[a.room_id], "public").label,
                         "tally": {"agree": a.agree, "disagree": a.disagree, "abstain": a.abstain},
                         "by_sector": by_sector.get(a.id, {})} for a, p in decided}
    comments: dict[int, list] = {}
    for c, p in session.execute(select(Comment, Participant).join(Participant, Participant.id == Comment.author_id)
                                .where(Comment.room_id.in_(room_ids), Comment.taken_into_account.is_(True),
                                       Comment.visibility == "visible", Comment.paragraph_id.in_(paragraph_ids))
                                .order_by(Comment.id)):
        comments.setdefault(c.paragraph_id, []).append(
            {"id": c.id, "room_id": c.room_id, "room_name": names[c.room_id], "text": c.text, "support": c.support,
             "author": signed_as(p, c.attribution, rooms[c.room_id], "public").label})
    reactions: dict[int, dict] = {}
    for room_id in room_ids:
        for pid, entry in spread(session, room_id).items():
            total = reactions.setdefault(pid, {"agree": 0, "disagree": 0, "pass": 0, "discuss": 0, "by_sector": {}})
            for k in ("agree", "disagree", "pass", "discuss"):
                total[k] += entry[k]
            for sector, row in entry["by_sector"].items():
                into = total["by_sector"].setdefault(sector, {"agree": 0, "disagree": 0, "pass": 0, "discuss": 0})
                for k in into:
                    into[k] += row[k]
    return {"amendments": amendments, "comments": comments, "reactions": reactions}


def _paragraph_provenance(found: dict, m) -> dict:
    """A base paragraph carries the amendments that replace or delete it and the rejected ones
    that would have inserted after it; an inserted paragraph, the amendments that inserted it."""
    if m.base_paragraph_id is not None:
        amendments = [a for a in found["amendments"].values() if a["paragraph_id"] == m.base_paragraph_id
                      and (a["kind"] != "insert_after" or a["status"] == "rejected")]
        return {"amendments": amendments, "comments": found["comments"].get(m.base_paragraph_id, []),
                "reactions": found["reactions"].get(m.base_paragraph_id)}
    return {"amendments": [found["amendments"][i] for i in m.amendment_ids if i in found["amendments"]],
            "comments": [], "reactions": None}


def _latest(session: Session, document_id: int) -> ConsolidatedVersion | None:
    return session.scalar(select(ConsolidatedVersion).where(ConsolidatedVersion.document_id == document_id)
                          .order_by(ConsolidatedVersion.version.desc()).limit(1))


def _carry_resolutions(previous: dict | None, content: dict) -> int:
    """A conflict resolved before stays resolved when it comes back: a whole paragraph between
    exactly the same texts, or a hunk with the same words in dispute and the same alternatives."""
    if previous is None:
        return 0
    before = {p["key"]: p for p in previous["paragraphs"]}
    carried = 0
    for p in content["paragraphs"]:
        old = before.get(p["key"])
        if p["status"] != "conflict" or old is None:
            continue
        if old.get("resolution") and old["candidates"] == p["candidates"]:
            p.update(text=old["text"], status=old["status"], resolution=old["resolution"])
            carried += 1
            continue
        carried += hunks.carry(old, p)
    return carried


def _carry_edits(previous: dict | None, content: dict) -> int:
    """An organisers' edit stays while the rooms' texts it was made over stay the same."""
    if previous is None:
        return 0
    edited = {p["key"]: p for p in previous["paragraphs"] if p.get("edits")}
    kept = 0
    for p in content["paragraphs"]:
        before = edited.get(p["key"])
        if before and before.get("proposals") == p["proposals"] and before["base_text"] == p["base_text"]:
            p.update(text=before["text"], status=before["status"], edits=before["edits"],
                     resolution=before.get("resolution"))
            kept += 1
    return kept


def excluded_ids(session: Session, document_id: int) -> set[int]:
    return set(session.scalars(select(ExcludedRoom.room_id).where(ExcludedRoom.document_id == document_id)))


def _store(session: Session, document_id: int, content: dict, note: str, by: str) -> ConsolidatedVersion:
    latest = _latest(session, document_id)
    row = ConsolidatedVersion(document_id=document_id, version=(latest.version if latest else 0) + 1,
                              content=content, note=note[:300], created_by=by, created_at=clock.now())
    session.add(row)
    session.flush()
    return row


def consolidate(session: Session, actor: Actor, document_id: int) -> dict:
    """A new version from the rooms' latest texts; none when it would repeat the latest one
    (the answer then says so, with "unchanged")."""
    by = consolidator(session, actor)
    document = _document(session, document_id)
    # One consolidation of a document at a time: the version numbers stay a gapless sequence.
    session.scalar(select(Document.id).where(Document.id == document_id).with_for_update())
    content = build(session, document)
    previous = _latest(session, document_id)
    carried = _carry_resolutions(previous.content if previous else None, content)
    kept = _carry_edits(previous.content if previous else None, content)
    if previous is not None and _same(previous.content, content):
        return dict(version_view(previous, document), unchanged=True)
    conflicts = [p for p in content["paragraphs"] if p["status"] == "conflict"]
    open_hunks = sum(len(hunks.open_hunks(p)) for p in conflicts)
    note = f"Consolidated from {len(content['rooms'])} rooms: " + (
        f"{open_hunks} conflict{'' if open_hunks == 1 else 's'} in {len(conflicts)} paragraph"
        f"{'' if len(conflicts) == 1 else 's'}" if open_hunks else "no conflicts")
    if carried:
        note += f", {carried} resolved as before"
    if kept:
        note += f", {kept} organisers' edit{'' if kept == 1 else 's'} kept"
    if content["excluded_rooms"]:
        note += f"; left out: {', '.join(r['name'] for r in content['excluded_rooms'])}"
    row = _store(session, document_id, content, note, by)
    still_open = " · ".join(r.name for r in _still_open(session, document))   # names hold commas
    audit.record(session, actor, "document.consolidate", event_id=document.event_id, document_id=document_id,
                 version=row.version, rooms_still_open=still_open or None)
    return dict(version_view(row, document), unchanged=False)


def _still_open(session: Session, document: Document) -> list[Room]:
    """The rooms whose text goes into the document (not left out) and that can still change it."""
    left_out = excluded_ids(session, document.id)
    return [r for r in _rooms(session, document) if r.id not in left_out and r.phase != "closed"]


def consolidation_plan(session: Session, actor: Actor, document_id: int) -> dict:
    """What consolidating now would leave behind: the rooms still at work on the document."""
    consolidator(session, actor)
    document = _document(session, document_id)
    latest = _latest(session, document_id)
    return {"title": document.title, "next_version": (latest.version if latest else 0) + 1,
            "still_open": [{"name": r.name, "phase": r.phase} for r in _still_open(session, document)]}


def _same(stored: dict, content: dict) -> bool:
    """Compared as the database gives it back (JSON), so that tuples and lists are alike."""
    return json.dumps(stored, sort_keys=True) == json.dumps(json.loads(json.dumps(content)), sort_keys=True)


def _open_latest(session: Session, actor: Actor, document_id: int, version: int) -> tuple[str, Document, dict]:
    """Lock the document and copy the content of its latest version, which must be `version`:
    resolutions and edits build on the latest version only."""
    by = consolidator(session, actor)
    document = _document(session, document_id)
    session.scalar(select(Document.id).where(Document.id == document_id).with_for_update())
    source = _version(session, document_id, version)
    latest = _latest(session, document_id)
    if latest.version != version:
        raise Invalid(_("Version %(version)s is not the latest (version %(latest)s is): resolve conflicts there.",
                        version=version, latest=latest.version),
                      {"version": _("Not the latest.")})
    return by, document, copy.deepcopy(source.content)


def _conflict(content: dict, key: str) -> dict:
    target = next((p for p in content["paragraphs"] if p["key"] == key), None)
    if target is None:
        raise NotFound(_("This version has no such paragraph."))
    if target["status"] != "conflict":
        raise Invalid(_("That paragraph has no conflict to resolve."), {"key": _("No conflict here.")})
    return target


def resolve(session: Session, actor: Actor, document_id: int, *, version: int, key: str, choice: str,
            text: str | None = None, note: str | None = None) -> dict:
    """Resolve a whole paragraph in conflict at once: take a room's text, delete, or write a
    new text. The result is a new version; the one resolved stays as it was."""
    by, document, content = _open_latest(session, actor, document_id, version)
    target = _conflict(content, key)
    note = clean_text(note)
    if choice.startswith("room:"):
        candidate = next((c for c in target["candidates"] if f"room:{c['room_id']}" == choice), None)
        if candidate is None:
            raise Invalid(_("That room did not propose a text here."), {"choice": _("Unknown room.")})
        new_text, status = candidate["text"], "deleted" if candidate["deleted"] else "changed"
    elif choice == "delete":
        new_text, status = None, "deleted"
    elif choice == "custom":
        new_text, status = clean_text(text), "changed"
        if not new_text or len(new_text) > drafting.MAX_PARAGRAPH_CHARS:
            raise Invalid(_("Write the text (at most 5000 characters)."), {"text": _("Required.")})
    else:
        raise Invalid(_("Choose a room's text, delete, or write your own."), {"choice": _("Unknown choice.")})
    said, now = hunks.chosen_for_paragraph(target, choice), clock.now()
    target.update(text=new_text, status=status, resolution={
        "choice": choice, "note": note, "by": by, "at": now.isoformat(timespec="seconds") + "Z"})
    return _record_resolution(session, actor, document, version, content, target, choice=choice, said=said,
                              text=new_text, note=note, by=by, now=now)


def resolve_hunk(session: Session, actor: Actor, *, document_id: int, version: int, key: str, hunk: str,
                 choice: str, text: str | None = None, note: str | None = None) -> dict:
    """Resolve one hunk of a paragraph in conflict: take one of its alternatives, keep the
    original words, or write new ones. The result is a new version; once no hunk of the
    paragraph is open, its text is settled."""
    by, document, content = _open_latest(session, actor, document_id, version)
    target = _conflict(content, key)
    custom = clean_text(text)
    if custom and len(custom) > drafting.MAX_PARAGRAPH_CHARS:
        raise Invalid(f"At most {drafting.MAX_PARAGRAPH_CHARS} characters.", {"text": _("Too long.")})
    words, said = hunks.choose(target, hunk, choice, custom)
    note, now = clean_text(note), clock.now()
    hunks.resolve(target, hunk, words, {"choice": choice, "note": note, "by": by,
                                        "at": now.isoformat(timespec="seconds") + "Z"})
    return _record_resolution(session, actor, document, version, content, target, choice=f"{hunk}:{choice}",
                              said=f"conflict {hunk[1:]} of {len(target['hunks'])}, {said}", text=words,
                              note=note, by=by, now=now)


def _record_resolution(session: Session, actor: Actor, document: Document, version: int, content: dict,
                       target: dict, *, choice: str, said: str, text: str | None, note: str, by: str, now) -> dict:
    row = _store(session, document.id, content, f"Resolved {target['number']}: {said}", by)
    audit.record(session, actor, "document.resolve", event_id=document.event_id, document_id=document.id,
                 version=row.version, paragraph=target["number"], choice=choice, note=note)
    session.add(Resolution(document_id=document.id, from_version=version, to_version=row.version,
                           paragraph_key=target["key"], choice=choice[:20], text=text, note=note, resolved_by=by,
                           resolved_at=now))
    return version_view(row, document)


def publish(session: Session, actor: Actor, document_id: int, *, version: int) -> dict:
    consolidator(session, actor)
    row = _version(session, document_id, version)
    if any(p["status"] == "conflict" for p in row.content["paragraphs"]):
        raise Invalid(_("Resolve every conflict before publishing this version."), {"version": _("Has conflicts.")})
    if row.published_at is None:
        row.published_at = clock.now()
        audit.record(session, actor, "document.publish", event_id=row_event(session, document_id),
                     document_id=document_id, version=version)
    return version_view(row, _document(session, document_id))


def event_title(session: Session, event_id: int) -> str:
    return session.get(Event, event_id).title


def row_event(session: Session, document_id: int) -> int:
    return session.get(Document, document_id).event_id


def _version(session: Session, document_id: int, version: int) -> ConsolidatedVersion:
    row = session.scalar(select(ConsolidatedVersion).where(ConsolidatedVersion.document_id == document_id,
                                                           ConsolidatedVersion.version == version))
    if row is None:
        raise NotFound(_("No consolidated version %(version)s of this document.", version=version))
    return row


def get_version(session: Session, actor: Actor, document_id: int, version: int | None = None) -> dict:
    """Organisers read any version; everyone else only published ones (version None: the
    latest they may read)."""
    document = _document(session, document_id)
    query = select(ConsolidatedVersion).where(ConsolidatedVersion.document_id == document_id)
    if not actor.is_organiser:
        query = query.where(ConsolidatedVersion.published_at.is_not(None))
    if version is not None:
        query = query.where(ConsolidatedVersion.version == version)
    row = session.scalar(query.order_by(ConsolidatedVersion.version.desc()).limit(1))
    if row is None:
        raise NotFound(_("This version is not published.") if not actor.is_organiser else
                       _("No consolidated version yet."))
    view = version_view(row, document)
    if not actor.is_organiser:
        # Who among the staff resolved what stays with the organisers.
        view["created_by"] = "the organisers"
        for p in view["paragraphs"]:
            if p.get("resolution"):
                p["resolution"] = dict(p["resolution"], by="the organisers")
    return view


def version_view(row: ConsolidatedVersion, document: Document) -> dict:
    """A version as every reader sees it: its stored content, with what it adopts derived from
    it (provenance.describe), times in the event's zone, and, once published, the new numbers."""
    zone = object_session(document).get(Event, document.event_id).timezone
    content = copy.deepcopy(row.content)
    published = published_numbers(content["paragraphs"]) if row.published_at else {}
    for p in content["paragraphs"]:
        p["base_number"] = p["number"]
        if row.published_at:
            p["number"] = published[p["key"]] or ""
        p["provenance"] = describe(p)
    return {"document_id": document.id, "document_title": document.title, "kind": document.kind,
            "event_id": document.event_id, "timezone": zone,
            "version": row.version, "note": row.note, "created_by": row.created_by,
            "created_at": row.created_at.isoformat(timespec="seconds") + "Z",
            "created_at_local": clock.shown(row.created_at, zone),
            "published": row.published_at is not None,
            "published_at_local": clock.shown(row.published_at, zone),
            "excluded_rooms": [], **content}


def list_versions(session: Session, actor: Actor, document_id: int) -> list[dict]:
    consolidator(session, actor)
    document = _document(session, document_id)
    zone = session.get(Event, document.event_id).timezone
    return [{"version": r.version, "note": r.note, "created_by": r.created_by,
             "created_at": r.created_at.isoformat(timespec="seconds") + "Z",
             "created_at_local": clock.shown(r.created_at, zone), "published": r.published_at is not None}
            for r in session.scalars(select(ConsolidatedVersion).where(ConsolidatedVersion.document_id == document_id)
                                     .order_by(ConsolidatedVersion.version.desc()))]


def documents_overview(session: Session, actor: Actor, event_id: int) -> list[dict]:
    """Each base document with its latest and published consolidated versions."""
    docs = session.scalars(select(Document).where(Document.event_id == event_id).order_by(Document.position))
    out = []
    for d in docs:
        latest = _latest(session, d.id)
        published = session.scalar(select(func.max(ConsolidatedVersion.version)).where(
            ConsolidatedVersion.document_id == d.id, ConsolidatedVersion.published_at.is_not(None)))
        if actor.is_organiser or published:
            out.append({"id": d.id, "title": d.title, "kind": d.kind,
                        "latest": latest.version if latest and actor.is_organiser else None,
                        "published": published})
    return out
