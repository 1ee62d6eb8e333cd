"""The organisers' editorial control over a document's consolidation: rewording a paragraph of
the latest unpublished version (a new version, audited), and leaving rooms out."""
from __future__ import annotations

import copy

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from consult import clock
from consult.audit import service as audit
from consult.consolidation import build, service
from consult.consolidation.models import ExcludedRoom
from consult.documents.models import Document
from consult.drafting.service import MAX_PARAGRAPH_CHARS
from consult.errors import Invalid
from consult.people.actor import Actor
from consult.text import clean_text
from consult.i18n import _

MAX_NOTE_CHARS = service.MAX_NOTE_CHARS


def check_edit(session: Session, actor: Actor, *, document_id: int, version: int, key: str, text: str | None,
               note: str | None) -> tuple[str, Document, dict, dict, str, str]:
    by = service.consolidator(session, actor)
    document = build.load_document(session, document_id)
    # Edits and consolidations of one document queue here, so "the latest" stays the latest.
    session.scalar(select(Document.id).where(Document.id == document_id).with_for_update())
    source = service._version(session, document_id, version)
    latest = service._latest(session, document_id)
    if source.published_at is not None:
        raise Invalid(_("Version %(version)s is published and stays as it was: consolidate again to edit.", version=version),
                      {"version": _("Published.")})
    if latest.version != version:
        raise Invalid(_("Version %(version)s is not the latest (version %(latest)s is): edit that one.", version=version,
                        latest=latest.version),
                      {"version": _("Not the latest.")})
    content = copy.deepcopy(source.content)
    target = next((p for p in content["paragraphs"] if p["key"] == key), None)
    if target is None:
        raise Invalid(_("This version has no such paragraph."), {"key": _("No such paragraph.")})
    if target["status"] == "conflict":
        raise Invalid(_("Paragraph %(number)s is in conflict: resolve it first.", number=target["number"]),
                      {"key": _("In conflict.")})
    text, note = clean_text(text), clean_text(note)
    if not text:
        raise Invalid(_("Write the paragraph's text."), {"text": _("Required.")})
    service.check_length(text, MAX_PARAGRAPH_CHARS, "text")
    if not note:
        raise Invalid(_("Say why the text is changed: the note goes into the audit log and the provenance."),
                      {"note": _("Required.")})
    service.check_length(note, MAX_NOTE_CHARS, "note")
    if text == target["text"]:
        raise Invalid(_("That is the paragraph's text already."), {"text": _("Unchanged.")})
    return by, document, content, target, text, note


def edit_paragraph(session: Session, actor: Actor, *, document_id: int, version: int, key: str,
                   text: str | None, note: str | None) -> dict:
    """The organisers reword one paragraph: the result is a new version; the one edited stays."""
    by, document, content, target, text, note = check_edit(session, actor, document_id=document_id,
                                                           version=version, key=key, text=text, note=note)
    at = clock.now()
    status = "inserted" if target["base_paragraph_id"] is None else (
        "unchanged" if text == target["base_text"] else "changed")
    target.setdefault("edits", []).append({"from_version": version, "before": target["text"], "note": note,
                                           "by": by, "at": at.isoformat(timespec="seconds") + "Z"})
    target.update(text=text, status=status)
    row = service._store(session, document_id, content, f"Edited {target['number']} by the organisers: {note}", by)
    audit.record(session, actor, "document.edit", event_id=document.event_id, document_id=document_id,
                 version=row.version, paragraph=target["number"], note=note)
    return service.version_view(row, document)


def rooms_to_choose(session: Session, actor: Actor, *, document_id: int) -> list[dict]:
    """Every room that works on the document, and whether it is left out."""
    service.consolidator(session, actor)
    document = build.load_document(session, document_id)
    left_out = build.excluded_ids(session, document_id)
    return [{"id": r.id, "name": r.name, "session": r.slot.title, "excluded": r.id in left_out}
            for r in build.rooms_of(session, document)]


def set_excluded_rooms(session: Session, actor: Actor, *, document_id: int, room_ids: list[int]) -> list[dict]:
    """Which rooms the next consolidations of this document leave out; remembered until changed."""
    by = service.consolidator(session, actor)
    document = build.load_document(session, document_id)
    working = {r.id: r.name for r in build.rooms_of(session, document)}
    unknown = sorted(set(room_ids) - set(working))
    if unknown:
        raise Invalid(_("These rooms do not work on this document: %(rooms)s.", rooms=", ".join(map(str, unknown))),
                      {"room_ids": _("Not a room of this document.")})
    wanted = set(room_ids)
    before = build.excluded_ids(session, document_id)
    session.execute(delete(ExcludedRoom).where(ExcludedRoom.document_id == document_id,
                                               ExcludedRoom.room_id.not_in(wanted)))
    now = clock.now()
    for room_id in sorted(wanted - before):
        session.add(ExcludedRoom(document_id=document_id, room_id=room_id, excluded_by=by, excluded_at=now))
    if wanted != before:
        audit.record(session, actor, "document.exclude_rooms", event_id=document.event_id, document_id=document_id,
                     left_out=", ".join(working[r] for r in sorted(wanted)) or "none")
    return rooms_to_choose(session, actor, document_id=document_id)
