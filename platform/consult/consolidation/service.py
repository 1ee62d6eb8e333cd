"""Consolidating a base document (the merge itself is build.py), resolving conflicts,
publishing, reading versions. Organisers only, except reading a published version."""
from __future__ import annotations

import copy
import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from consult.access import require_organiser
from consult import clock, i18n
from consult.audit import service as audit
from consult.conference.models import Event
from consult.consolidation import hunks
from consult.consolidation.build import build, excluded_ids, load_document, rooms_of
from consult.consolidation.models import ConsolidatedVersion, Resolution
from consult.consolidation.numbering import published_numbers
from consult.consolidation.provenance import describe
from consult.documents.models import Document
from consult.drafting import service as drafting
from consult.errors import Invalid, NotFound
from consult.people.actor import Actor
from consult.people.models import Organiser
from consult.rooms.models import Room
from consult.text import clean_text
from consult.i18n import N_
from consult.i18n import _

# A note on a resolution or an editorial change (the forms' maxlength says the same).
MAX_NOTE_CHARS = 2000


def consolidator(session: Session, actor: Actor) -> str:
    """Organisers only consolidate; their email signs what they did."""
    require_organiser(actor, doing=N_("consolidate documents"))
    return session.get(Organiser, actor.organiser_id).email


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
    document = load_document(session, document_id)
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
    return [r for r in rooms_of(session, document) if r.id not in left_out and r.phase != "closed"]


def consolidation_plan(session: Session, actor: Actor, document_id: int) -> dict:
    """What consolidating now would leave behind: the rooms still at work on the document."""
    consolidator(session, actor)
    document = load_document(session, document_id)
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
    document = load_document(session, document_id)
    session.scalar(select(Document.id).where(Document.id == document_id).with_for_update())
    source = _version(session, document_id, version)
    latest = _latest(session, document_id)
    if latest.version != version:
        raise Invalid(_("Version %(version)s is not the latest (version %(latest)s is): resolve conflicts there.",
                        version=version, latest=latest.version),
                      {"version": _("Not the latest.")})
    return by, document, copy.deepcopy(source.content)


def check_length(value: str, limit: int, field: str) -> str:
    """The value, or refused with its length, against the field it came in."""
    if len(value) > limit:
        message = _("Keep it under %(max)s characters (this has %(length)s).", max=limit, length=len(value))
        raise Invalid(message, {field: message})
    return value


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
    if choice.startswith("room:"):
        candidate = next((c for c in target["candidates"] if f"room:{c['room_id']}" == choice), None)
        if candidate is None:
            raise Invalid(_("That room did not propose a text here."), {"choice": _("Unknown room.")})
        new_text, status = candidate["text"], "deleted" if candidate["deleted"] else "changed"
    elif choice == "delete":
        new_text, status = None, "deleted"
    elif choice == "custom":
        new_text, status = clean_text(text), "changed"
        if not new_text:
            raise Invalid(_("Write the paragraph's text."), {"text": _("Required.")})
        check_length(new_text, drafting.MAX_PARAGRAPH_CHARS, "text")
    else:
        raise Invalid(_("Choose a room's text, delete, or write your own."), {"choice": _("Unknown choice.")})
    note = check_length(clean_text(note), MAX_NOTE_CHARS, "note")
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
    custom = clean_text(text) if choice == hunks.CUSTOM else None
    words, said = hunks.choose(target, hunk, choice, custom)
    if custom:
        check_length(custom, drafting.MAX_PARAGRAPH_CHARS, "text")
    note, now = check_length(clean_text(note), MAX_NOTE_CHARS, "note"), clock.now()
    hunks.resolve(target, hunk, words, {"choice": choice, "note": note, "by": by,
                                        "at": now.isoformat(timespec="seconds") + "Z"})
    return _record_resolution(session, actor, document, version, content, target, choice=f"{hunk}:{choice}",
                              said=f"conflict {hunk[1:]} of {len(target['hunks'])}, {said}", text=words,
                              note=note, by=by, now=now)


def _record_resolution(session: Session, actor: Actor, document: Document, version: int, content: dict,
                       target: dict, *, choice: str, said: str, text: str | None, note: str, by: str, now) -> dict:
    row = _store(session, document.id, content, f"Resolved {target['number']}: {said}", by)
    audit.record(session, actor, "document.resolve", event_id=document.event_id, document_id=document.id,
                 version=row.version, paragraph=target["number"], choice=choice, said=said, note=note)
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
    return version_view(row, load_document(session, document_id))


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
    document = load_document(session, document_id)
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
            "created_at_local": i18n.date_time(row.created_at, zone),
            "published": row.published_at is not None,
            "published_at_local": i18n.date_time(row.published_at, zone),
            "excluded_rooms": [], **content}


def list_versions(session: Session, actor: Actor, document_id: int) -> list[dict]:
    consolidator(session, actor)
    document = load_document(session, document_id)
    zone = session.get(Event, document.event_id).timezone
    return [{"version": r.version, "note": r.note, "created_by": r.created_by,
             "created_at": r.created_at.isoformat(timespec="seconds") + "Z",
             "created_at_local": i18n.date_time(r.created_at, zone), "published": r.published_at is not None}
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
