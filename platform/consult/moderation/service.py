"""Moderation: organisers hide, restore and approve contributions, read the flags raised by
participants, and remove people from rooms. Hidden content is kept (and exported, marked)."""
from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from consult import clock
from consult.amendments.models import Amendment
from consult.amendments.service import announce_amendment
from consult.audit import service as audit
from consult.conference.models import ConferenceSession
from consult.contributions.models import Comment
from consult.contributions.service import announce_comment
from consult.errors import Forbidden, Invalid, NotFound
from consult.moderation.models import TARGETS, Flag
from consult.people.actor import Actor
from consult.people.models import Participant
from consult.rooms import log
from consult.rooms.models import Membership, Room
from consult.rooms.service import check_member, member_count
from consult.text import clean_text

MODELS = {"comment": Comment, "amendment": Amendment}


def check_moderator(actor: Actor) -> None:
    if not actor.is_organiser:
        raise Forbidden("Only organisers moderate.")


def _target(session: Session, target_type: str, target_id: int):
    if target_type not in TARGETS:
        raise Invalid("Moderation applies to comments and amendments.", {"target_type": "Unknown."})
    item = session.get(MODELS[target_type], target_id)
    if item is None:
        raise NotFound(f"No such {target_type}.")
    return item


def _resolve_flags(session: Session, target_type: str, target_id: int) -> None:
    session.execute(update(Flag).where(Flag.target_type == target_type, Flag.target_id == target_id,
                                       Flag.resolved_at.is_(None)).values(resolved_at=clock.now()))


def hide(session: Session, actor: Actor, target_type: str, target_id: int, reason: str | None) -> dict:
    check_moderator(actor)
    item = _target(session, target_type, target_id)
    reason = clean_text(reason)
    if not reason:
        raise Invalid("Give a reason: participants see it in place of the contribution.", {"reason": "Required."})
    if item.visibility != "hidden":
        item.visibility, item.moderation_reason = "hidden", reason[:500]
        _resolve_flags(session, target_type, target_id)
        audit.record(session, actor, f"{target_type}.hide", item.room_id, id=target_id, reason=reason)
        log.record(session, item.room_id, f"{target_type}_hidden", {"id": target_id, "reason": reason[:500]})
    return {"target_type": target_type, "id": target_id, "visibility": item.visibility}


def restore(session: Session, actor: Actor, target_type: str, target_id: int) -> dict:
    """Restore a hidden contribution, or approve one awaiting a moderator: either way it is shown."""
    check_moderator(actor)
    item = _target(session, target_type, target_id)
    if item.visibility != "visible":
        was = item.visibility
        item.visibility, item.moderation_reason = "visible", None
        session.flush()
        _resolve_flags(session, target_type, target_id)
        audit.record(session, actor, f"{target_type}.{'approve' if was == 'pending' else 'restore'}",
                     item.room_id, id=target_id)
        _announce(session, target_type, item)
    return {"target_type": target_type, "id": target_id, "visibility": item.visibility}


def _announce(session: Session, target_type: str, item) -> None:
    """A contribution becoming visible reaches the room as if just posted."""
    (announce_comment if target_type == "comment" else announce_amendment)(session, item)


def flag(session: Session, actor: Actor, target_type: str, target_id: int, reason: str | None) -> dict:
    item = _target(session, target_type, target_id)
    _, member = check_member(session, actor, item.room_id)
    insert = (postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert)(Flag)
    added = session.execute(insert.values(
        room_id=item.room_id, target_type=target_type, target_id=target_id, participant_id=member.participant_id,
        reason=clean_text(reason)[:500], created_at=clock.now()).on_conflict_do_nothing().returning(Flag.id)).first()
    if added is not None:
        log.record(session, item.room_id, "flagged", {"restricted": {"target_type": target_type, "id": target_id}})
    return {"target_type": target_type, "id": target_id, "flagged": True}


def remove_member(session: Session, actor: Actor, room_id: int, participant_id: int, reason: str | None) -> dict:
    check_moderator(actor)
    member = session.scalar(select(Membership).where(Membership.room_id == room_id,
                                                     Membership.participant_id == participant_id,
                                                     Membership.removed_at.is_(None)))
    if member is None:
        raise NotFound("That person is not in this room.")
    member.removed_at = clock.now()
    session.flush()
    audit.record(session, actor, "room.remove_member", room_id, participant_id=participant_id,
                 reason=clean_text(reason) or None)
    log.record(session, room_id, "member_removed", {"members": member_count(session, room_id)})
    return {"room_id": room_id, "participant_id": participant_id, "removed": True}


def queue(session: Session, actor: Actor, event_id: int) -> dict:
    """What waits for a moderator: contributions awaiting approval, flagged ones, hidden ones."""
    check_moderator(actor)
    rooms = dict(session.execute(select(Room.id, Room.name).join(ConferenceSession)
                                 .where(ConferenceSession.event_id == event_id)).all())
    flags: dict[tuple[str, int], list[str]] = {}
    for f in session.scalars(select(Flag).where(Flag.room_id.in_(list(rooms)), Flag.resolved_at.is_(None))):
        flags.setdefault((f.target_type, f.target_id), []).append(f.reason)
    items = []
    for target_type, model in MODELS.items():
        flagged_ids = [i for t, i in flags if t == target_type]
        query = select(model, Participant).join(Participant, Participant.id == model.author_id).where(
            model.room_id.in_(list(rooms)),
            (model.visibility != "visible") | model.id.in_(flagged_ids)).order_by(model.id.desc())
        for item, author in session.execute(query):
            items.append({"type": target_type, "id": item.id, "room": rooms[item.room_id], "room_id": item.room_id,
                          "text": item.text or getattr(item, "rationale", ""), "visibility": item.visibility,
                          "reason": item.moderation_reason, "author": f"{author.name} ({author.sector}, {author.country})",
                          "flags": flags.get((target_type, item.id), []), "created_at": item.created_at})
    order = {"pending": 0, "visible": 1, "hidden": 2}
    items.sort(key=lambda i: (order[i["visibility"]], -len(i["flags"]), i["created_at"]), reverse=False)
    return {"items": items, "pending": sum(i["visibility"] == "pending" for i in items),
            "flagged": sum(bool(i["flags"]) and i["visibility"] == "visible" for i in items)}
