"""Moderation: organisers hide, restore and approve contributions, read the flags raised by
participants, and remove people from rooms. Hidden content is kept (and exported, marked)."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from consult.db import queue_kick
from consult.access import require_organiser, signed_as, take_part
from consult import clock
from consult.amendments.models import Amendment
from consult.consolidation.numbering import working_number
from consult.amendments.service import AMENDMENT
from consult.audit import service as audit
from consult.audit.models import AuditEntry
from consult.conference.models import ConferenceSession
from consult.documents.models import Paragraph, Section
from consult.contributions.models import Comment
from consult.contributions.service import COMMENT
from consult.contributions import counts
from consult.contributions.submission import announce
from consult.errors import Forbidden, Invalid, NotFound
from consult.moderation.models import TARGETS, Flag
from consult.people.actor import Actor
from consult.people.models import Participant
from consult.i18n import COUNTRIES
from consult.rooms import log
from consult.rooms.models import Membership, Room
from consult.rooms.service import member_count
from consult.text import clean_text
from consult.i18n import N_
from consult.i18n import _

MODELS = {"comment": Comment, "amendment": Amendment}
KINDS = {"comment": COMMENT, "amendment": AMENDMENT}
STATES = {"attention": N_("Needs a decision (awaiting approval or flagged)"), "pending": N_("Awaiting approval"),
          "flagged": N_("Flagged"), "hidden": N_("Hidden"), "all": N_("Everything")}


def _target(session: Session, target_type: str, target_id: int, *, lock: bool = False):
    """`lock`: read afresh under the row's lock (PostgreSQL), for a change of its visibility: of
    two moderators hiding it at once, the second sees it hidden and moves no count."""
    if target_type not in TARGETS:
        raise Invalid(_("Moderation applies to comments and amendments."), {"target_type": _("Unknown.")})
    model = MODELS[target_type]
    item = (session.scalar(select(model).where(model.id == target_id).with_for_update()
                           .execution_options(populate_existing=True)) if lock else session.get(model, target_id))
    if item is None:
        raise NotFound(_("No such comment.") if target_type == "comment" else _("No such amendment."))
    return item


def _resolve_flags(session: Session, target_type: str, target_id: int) -> None:
    session.execute(update(Flag).where(Flag.target_type == target_type, Flag.target_id == target_id,
                                       Flag.resolved_at.is_(None)).values(resolved_at=clock.now()))


def hide(session: Session, actor: Actor, *, target_type: str, target_id: int, reason: str | None) -> dict:
    require_organiser(actor, doing=N_("moderate"))
    item = _target(session, target_type, target_id, lock=True)
    reason = clean_text(reason)
    if not reason:
        raise Invalid(_("Give a reason: participants see it in place of the contribution."), {"reason": _("Required.")})
    if item.visibility != "hidden":
        counts.moved(session, KINDS[target_type].counted, item, item.visibility, "hidden")
        item.visibility, item.moderation_reason = "hidden", reason[:500]
        _resolve_flags(session, target_type, target_id)
        audit.record(session, actor, f"{target_type}.hide", item.room_id, **_described(session, target_type, item),
                     reason=reason)
        log.record(session, item.room_id, f"{target_type}_hidden", {"id": target_id, "reason": reason[:500]})
    return {"target_type": target_type, "id": target_id, "visibility": item.visibility}


def restore(session: Session, actor: Actor, *, target_type: str, target_id: int, reason: str | None = None) -> dict:
    """Restore a hidden contribution, or approve one awaiting a moderator: either way it is shown."""
    require_organiser(actor, doing=N_("moderate"))
    item = _target(session, target_type, target_id, lock=True)
    if item.visibility != "visible":
        was = item.visibility
        item.visibility, item.moderation_reason = "visible", None
        session.flush()
        _resolve_flags(session, target_type, target_id)
        audit.record(session, actor, f"{target_type}.{'approve' if was == 'pending' else 'restore'}",
                     item.room_id, **_described(session, target_type, item), reason=clean_text(reason)[:500] or None)
        _announce(session, target_type, item, was)
    return {"target_type": target_type, "id": target_id, "visibility": item.visibility}


def dismiss_flags(session: Session, actor: Actor, *, target_type: str, target_id: int, reason: str | None) -> dict:
    """The reports were unfounded: the contribution stays as it is, the flags leave the queue."""
    require_organiser(actor, doing=N_("moderate"))
    item = _target(session, target_type, target_id)
    reason = clean_text(reason)
    if not reason:
        raise Invalid(_("Give a reason for dismissing the reports: it is kept in the audit log."), {"reason": _("Required.")})
    open_flags = session.scalars(select(Flag.id).where(Flag.target_type == target_type, Flag.target_id == target_id,
                                                       Flag.resolved_at.is_(None))).all()
    if not open_flags:
        raise Invalid(_("Nobody has reported this contribution (or the reports were already dealt with)."),
                      {"reason": _("No open report.")})
    _resolve_flags(session, target_type, target_id)
    audit.record(session, actor, "flag.dismiss", item.room_id, **_described(session, target_type, item),
                 reports=len(open_flags), reason=reason[:500])
    # Logged for the moderators' live queue; the room is told nothing.
    log.record(session, item.room_id, "flags_dismissed", {"restricted": {"target_type": target_type, "id": target_id}})
    return {"target_type": target_type, "id": target_id, "dismissed": len(open_flags)}


def _paragraph(session: Session, paragraph_id: int | None) -> tuple[str | None, str | None]:
    """The paragraph's number as rooms see it ("2.3") and its base text."""
    if paragraph_id is None:
        return None, None
    row = session.execute(select(Paragraph.position, Paragraph.text, Section.position).join(Section)
                          .where(Paragraph.id == paragraph_id)).first()
    return (working_number(row[2], row[0]), row[1]) if row else (None, None)


def _described(session: Session, target_type: str, item) -> dict:
    """What the audit log says about a contribution: words, not ids alone."""
    number, _ = _paragraph(session, item.paragraph_id)
    kind = "reply" if target_type == "comment" and item.parent_id else target_type
    return {kind: item.id, "paragraph": number or "the room as a whole", "text": (item.text or getattr(item, "rationale", ""))[:120]}


def _announce(session: Session, target_type: str, item, was: str) -> None:
    """A contribution becoming visible reaches the room as if just posted."""
    kind = KINDS[target_type]
    announce(session, kind, item, kind.view(item, session.get(Participant, item.author_id), session.get(Room, item.room_id)),
             was=was)


def flag(session: Session, actor: Actor, *, target_type: str, target_id: int, reason: str | None) -> dict:
    item = _target(session, target_type, target_id)
    _access, member = take_part(session, actor, item.room_id)
    if item.author_id == member.participant_id:
        raise Forbidden(_("This is your own comment: reports are for what others wrote.") if target_type == "comment"
                        else _("This is your own amendment: reports are for what others wrote."))
    insert = (postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert)(Flag)
    added = session.execute(insert.values(
        room_id=item.room_id, target_type=target_type, target_id=target_id, participant_id=member.participant_id,
        reason=clean_text(reason)[:500], created_at=clock.now()).on_conflict_do_nothing().returning(Flag.id)).first()
    if added is not None:
        log.record(session, item.room_id, "flagged", {"restricted": {"target_type": target_type, "id": target_id}})
    return {"target_type": target_type, "id": target_id, "flagged": True}


def _current_member(session: Session, room_id: int, participant_id: int) -> Membership:
    member = session.scalar(select(Membership).where(Membership.room_id == room_id,
                                                     Membership.participant_id == participant_id,
                                                     Membership.removed_at.is_(None)))
    if member is None:
        raise NotFound(_("That person is not in this room."))
    return member


def removal_plan(session: Session, actor: Actor, room_id: int, participant_id: int) -> dict:
    require_organiser(actor, doing=N_("moderate"))
    _current_member(session, room_id, participant_id)
    return {"name": session.get(Participant, participant_id).name, "room": session.get(Room, room_id).name}


def remove_member(session: Session, actor: Actor, room_id: int, *, participant_id: int, reason: str | None) -> dict:
    require_organiser(actor, doing=N_("moderate"))
    member = _current_member(session, room_id, participant_id)
    reason = clean_text(reason)[:500]
    if not reason:
        raise Invalid(_("Give a reason: the person removed is shown it."), {"reason": _("Give a reason.")})
    member.removed_at = clock.now()
    session.flush()
    audit.record(session, actor, "room.remove_member", room_id, participant_id=participant_id, reason=reason)
    queue_kick(session, room_id, f"p:{participant_id}")
    log.record(session, room_id, "member_removed", {"members": member_count(session, room_id)})
    return {"room_id": room_id, "participant_id": participant_id, "removed": True}


def removal_of(session: Session, actor: Actor, room_id: int) -> dict | None:
    """For the person removed: which room, when, why, and by whom (the role, never the name)."""
    if actor.participant_id is None:
        return None
    removed = session.scalar(select(Membership.removed_at).where(Membership.room_id == room_id,
                                                                 Membership.participant_id == actor.participant_id,
                                                                 Membership.removed_at.is_not(None)))
    if removed is None:
        return None
    room = session.get(Room, room_id)
    entries = session.scalars(select(AuditEntry).where(AuditEntry.room_id == room_id,
                                                       AuditEntry.action == "room.remove_member")
                              .order_by(AuditEntry.id.desc()))
    entry = next((e for e in entries if e.detail.get("participant_id") == actor.participant_id), None)
    return {"room": room.name, "removed_at": removed, "reason": entry.detail.get("reason") if entry else None,
            "by": "an organiser", "venue": room.slot.event.venue, "event": room.slot.event.title,
            "zone": room.slot.event.timezone}


def queue(session: Session, actor: Actor, event_id: int, *, room_id: int | None = None,
          state: str = "attention", target: tuple[str, int] | None = None) -> dict:
    """What waits for a moderator (contributions awaiting approval, flagged ones), or any
    contribution of the event by room and state, each shown in its paragraph's context."""
    require_organiser(actor, doing=N_("moderate"))
    if state not in STATES:
        raise Invalid(_("Choose a state from the list."), {"state": _("Unknown state.")})
    rooms = dict(session.execute(select(Room.id, Room.name).join(ConferenceSession)
                                 .where(ConferenceSession.event_id == event_id)
                                 .order_by(ConferenceSession.position, Room.position)).all())
    if room_id is not None and room_id not in rooms:
        raise NotFound(_("No such room in this event."))
    in_rooms = [room_id] if room_id is not None else list(rooms)
    flags: dict[tuple[str, int], list[str]] = {}
    for f in session.scalars(select(Flag).where(Flag.room_id.in_(list(rooms)), Flag.resolved_at.is_(None))):
        flags.setdefault((f.target_type, f.target_id), []).append(f.reason)
    items = []
    for target_type, model in MODELS.items():
        if target and target[0] != target_type:
            continue
        flagged_ids = [i for t, i in flags if t == target_type]
        query = select(model, Participant).join(Participant, Participant.id == model.author_id).where(
            model.room_id.in_(in_rooms)).order_by(model.id.desc())
        if target:
            query = query.where(model.id == target[1])
        elif state == "attention":
            query = query.where((model.visibility == "pending") | (model.id.in_(flagged_ids) & (model.visibility == "visible")))
        elif state == "flagged":
            query = query.where(model.id.in_(flagged_ids))
        elif state in ("pending", "hidden"):
            query = query.where(model.visibility == state)
        for item, author in session.execute(query):
            number, paragraph = _paragraph(session, item.paragraph_id)
            signed = signed_as(author, item.attribution, None, "staff")
            items.append({"type": target_type, "id": item.id, "room": rooms[item.room_id], "room_id": item.room_id,
                          "kind": "reply" if target_type == "comment" and item.parent_id else target_type,
                          "text": item.text or getattr(item, "rationale", ""),
                          "rationale": getattr(item, "rationale", None), "visibility": item.visibility,
                          "reason": item.moderation_reason, "paragraph_number": number, "paragraph_text": paragraph,
                          "author": signed.name, "sector": signed.sector_name,
                          "country": COUNTRIES.get(signed.country, signed.country),
                          "flags": flags.get((target_type, item.id), []), "created_at": item.created_at})
    order = {"pending": 0, "visible": 1, "hidden": 2}
    items.sort(key=lambda i: (order[i["visibility"]], -len(i["flags"]), -i["created_at"].timestamp()))
    return {"items": items, "rooms": rooms, "room_id": room_id, "state": state, "states": STATES,
            "pending": sum(session.scalar(select(func.count()).select_from(model).where(
                model.room_id.in_(list(rooms)), model.visibility == "pending")) for model in MODELS.values()),
            "flagged": sum(1 for key in flags if session.scalar(
                select(MODELS[key[0]].visibility).where(MODELS[key[0]].id == key[1])) == "visible")}
