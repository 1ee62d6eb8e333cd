"""Who may export what, and writing it: the whole consultation (organisers) or one room
(its rapporteurs too), as a workbook or one table as CSV."""
from __future__ import annotations

import io
import os
import tempfile

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.access import require_organiser, steering_access
from consult.audit import service as audit
from consult.conference.models import ConferenceSession, Event
from consult.errors import NotFound
from consult.export import tables
from consult.workbook import Progress, write_csv, write_xlsx
from consult.people.actor import Actor
from consult.rooms.models import Room
from consult.i18n import N_
from consult.i18n import _


def check_export(session: Session, actor: Actor, slug: str | None, room_id: int | None) -> Event:
    if room_id is not None:
        room = steering_access(session, actor, room_id).room
        return session.get(Event, session.get(ConferenceSession, room.slot_id).event_id)
    require_organiser(actor, doing=N_("export the whole consultation"))
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound(_("No such event."))
    return event


def record_download(session: Session, actor: Actor, *, slug: str | None, room_id: int | None, filename: str,
                    via: str = "page", hidden: bool = False) -> None:
    """Exports read a snapshot; the audit entry that one was taken is its own small write.
    `via`: page, api or cli; `hidden`: whether moderated content was included."""
    event_id = None if room_id else session.scalar(select(Event.id).where(Event.slug == slug))
    audit.record(session, actor, "export", room_id, event_id, file=filename, via=via,
                 hidden=bool(hidden and actor.is_organiser), room=session.get(Room, room_id).name if room_id else None)


def _name(event: Event, room_id: int | None, generated, suffix: str, hidden: bool) -> str:
    """The file with moderated content is named so, and is never mistaken for the one to share."""
    scope = f"-room-{room_id}" if room_id else ""
    return f"consultation-{event.slug}{scope}{'-with-hidden' if hidden else ''}-{generated:%Y%m%d-%H%M%S}UTC{suffix}"


def xlsx(session: Session, actor: Actor, slug: str | None = None, room_id: int | None = None,
         include_hidden: bool = False, progress: Progress | None = None) -> tuple[str, str]:
    """Writes the workbook to a temporary file; returns its path and the file name to give it.
    `progress` is told how far the writing has got (export/jobs.py, Reporter)."""
    event = check_export(session, actor, slug, room_id)
    hidden = include_hidden and actor.is_organiser
    built, generated = tables.all_tables(session, event, room_id, hidden)
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        write_xlsx(built, path, progress)
    except BaseException:
        os.unlink(path)
        raise
    return path, _name(event, room_id, generated, ".xlsx", hidden)


def csv(session: Session, actor: Actor, table: str, slug: str | None = None,
        room_id: int | None = None, include_hidden: bool = False) -> tuple[str, str]:
    event = check_export(session, actor, slug, room_id)
    # Hidden text is for organisers only, as everywhere else.
    hidden = include_hidden and actor.is_organiser
    built, generated = tables.all_tables(session, event, room_id, hidden)
    found = next((t for t in built if t.name.lower().replace(" ", "-") == table.lower().replace(" ", "-")), None)
    if found is None:
        # The names in the address stay the English ones the links use.
        raise NotFound(_("There is no table “%(table)s”; there are: %(tables)s.", table=table,
                         tables=", ".join(t.name for t in built)))
    handle, path = tempfile.mkstemp(suffix=".csv")
    with io.open(handle, "w", encoding="utf-8", newline="") as stream:
        write_csv(found, stream)
    return path, _name(event, room_id, generated, f"-{found.name.lower().replace(' ', '-')}.csv", hidden)

