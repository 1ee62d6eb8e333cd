"""The rapporteurs' edits of the room's working text and conclusions.

A save names the version it was based on: if a part it edits (a paragraph, the conclusions)
changed since that version, it is refused with the current version, never merged silently;
saves of other parts in between do not matter, so two rapporteurs can work on different
paragraphs at once. Conclusions may cite only this room's comments (#c12) and amendments (#a5)."""
from __future__ import annotations

import copy

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.access import steering_access
from consult.amendments.models import Amendment
from consult.audit import service as audit
from consult.contributions.models import Comment
from consult.drafting import service as drafting
from consult.errors import Conflict, Invalid, NotFound
from consult.markdown import citations
from consult.people.actor import Actor
from consult.rooms.service import lock_room_for
from consult.text import clean_text
from consult.web.forms import MAX_ID
from consult.i18n import _, ngettext

MAX_CONCLUSIONS_CHARS = 20000


def save(session: Session, actor: Actor, room_id: int, *, base_version: int, paragraphs: list[dict] | None = None,
         conclusions: str | None = None) -> dict:
    room = steering_access(session, actor, room_id).room
    lock_room_for(session, room, "edit the draft")  # also queues the room's draft writers
    version, content = drafting.latest(session, room_id)
    if base_version != version:
        _check_untouched(session, room_id, base_version, version, content, paragraphs, conclusions)
    content = copy.deepcopy(content)
    by_id = {p["id"]: p for p in content["paragraphs"]}
    changed, errors = [], {}
    for edit in paragraphs or []:
        if not isinstance(edit.get("id"), str) or not isinstance(edit.get("text", ""), str) \
                or not isinstance(edit.get("deleted", False), bool):
            raise Invalid(_("Each paragraph edit is {id: text, text: text, deleted: true or false}."),
                          {"paragraphs": _("Wrong types.")})
        target = by_id.get(edit["id"])
        if target is None:
            raise NotFound(_("No paragraph %(id)s in this room's text.", id=repr(edit["id"])))
        text = clean_text(edit.get("text", target["text"]))
        if len(text) > drafting.MAX_PARAGRAPH_CHARS:
            errors[target["id"]] = _("Keep paragraph %(number)s under %(max)s characters (this has %(length)s).",
                                     number=target["number"], max=drafting.MAX_PARAGRAPH_CHARS, length=len(text))
        deleted = bool(edit.get("deleted", target["deleted"])) or not text
        if text != target["text"] or deleted != target["deleted"]:
            target.update(text=text or target["text"], deleted=deleted)
            changed.append(target["id"])
    if conclusions is not None:
        conclusions = clean_text(conclusions)
        if len(conclusions) > MAX_CONCLUSIONS_CHARS:
            errors["conclusions"] = _("Keep the conclusions under %(max)s characters (this has %(length)s).",
                                      max=MAX_CONCLUSIONS_CHARS, length=len(conclusions))
        if conclusions != content["conclusions"]:
            unknown = unknown_citations(session, room_id, conclusions)
            missing = [f"#c{n}" for n in sorted(unknown["comments"])] + \
                [f"#a{n}" for n in sorted(unknown["amendments"])]
            if missing:
                errors["conclusions"] = ngettext(
                    "%(cited)s cites nothing in this room: check the number, or remove the citation.",
                    "%(cited)s cite nothing in this room: check the numbers, or remove the citations.",
                    len(missing), cited=", ".join(missing))
            content["conclusions"] = conclusions
            changed.append("conclusions")
    if errors:
        raise Invalid(_("The draft was not saved."), errors)
    if not changed:
        return {"version": version, "content": content}
    note = "Conclusions edited" if changed == ["conclusions"] else f"Edited {len(changed)} part(s)"
    audit.record(session, actor, "draft.save", room_id, version=version + 1, changed=changed)
    return drafting.store_version(session, actor, room_id, version + 1, content, note, changed)


def _check_untouched(session: Session, room_id: int, base_version: int, version: int, content: dict,
                     paragraphs: list[dict] | None, conclusions: str | None) -> None:
    """Refuses the save if a part it edits is not as it was in the version the editor started from."""
    if not 0 <= base_version < version:
        raise StaleDraft(version, content)
    before = drafting.content_at(session, room_id, base_version)
    was = {p["id"]: (p["text"], p["deleted"]) for p in before["paragraphs"]}
    now = {p["id"]: (p["text"], p["deleted"]) for p in content["paragraphs"]}
    edited = [e.get("id") for e in paragraphs or [] if isinstance(e, dict)]
    if any(not isinstance(pid, str) or was.get(pid) != now.get(pid) for pid in edited) or \
            (conclusions is not None and before["conclusions"] != content["conclusions"]):
        raise StaleDraft(version, content)


def unknown_citations(session: Session, room_id: int, text: str) -> dict[str, set[int]]:
    """The #c12 / #a5 citations in a text that name no comment or amendment of this room, in
    the shape of markdown.citations: saving refuses them, the preview marks them."""
    cited = citations(text)
    unknown = {}
    for kind, model in (("comments", Comment), ("amendments", Amendment)):
        wanted = {n for n in cited[kind] if n <= MAX_ID}
        found = set(session.scalars(select(model.id).where(model.room_id == room_id, model.id.in_(wanted)))) \
            if wanted else set()
        unknown[kind] = cited[kind] - found
    return unknown


class StaleDraft(Conflict):
    def __init__(self, version: int, content: dict):
        super().__init__(f"Someone changed this part of the text (now version {version}) after you opened it. "
                         "Compare, then save again from the current version.")
        self.version = version
        self.content = content
