"""Comments and support: check (may I, is it valid), then do (change, log the event)."""
from __future__ import annotations

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from consult import clock, idempotency
from consult.access import RoomAccess, signed_as, steering_access, take_part
from consult.audit import service as audit
from consult.contributions.models import ATTRIBUTIONS, Comment, Support
from consult.contributions.counts import Counts
from consult.contributions.submission import Kind, submit
from consult.errors import Forbidden, Invalid, NotFound
from consult.idempotency import valid_key
from consult.people.actor import Actor
from consult.people.models import Participant
from consult.prepared import Prepared
from consult.rooms import log
from consult.rooms.models import Room
from consult.rooms.service import lock_room_for, works_on
from consult.text import clean_text
from consult import i18n
from consult.i18n import _

MAX_COMMENT_CHARS = 2000


def comment_view(comment: Comment, author: Participant, room: Room, reveal: bool = False) -> dict:
    """What a reader sees of a comment. Text a moderator hid is shown only to moderators
    (reveal); others see that it was removed, and why."""
    hidden = comment.visibility == "hidden" and not reveal
    return {
        "id": comment.id,
        "room_id": comment.room_id,
        "paragraph_id": comment.paragraph_id,
        "parent_id": comment.parent_id,
        "text": None if hidden else comment.text,
        "visibility": comment.visibility,
        "moderation_reason": comment.moderation_reason,
        "attribution": comment.attribution,
        "author": "" if hidden else signed_as(author, comment.attribution, room, "room").label,
        # The name alone, for a byline each reader's page writes in its own language.
        "signed_name": None if hidden else signed_as(author, comment.attribution, room, "room").name,
        "language": comment.language,
        "sector": author.sector,
        "country": author.country,
        "support": comment.support,
        "taken_into_account": comment.taken_into_account,
        # Replies in an anonymous room are signed by sector too: the reply form needs to know.
        "anonymous": room.anonymous,
        "created_at": comment.created_at.isoformat(timespec="seconds") + "Z",
    }


def check_comment(session: Session, room_id: int, *, text: str | None, paragraph_id: int | None,
                  parent_id: int | None, attribution: str | None, key: str | None,
                  max_chars: int = MAX_COMMENT_CHARS, language: str | None = None) -> dict:
    text = clean_text(text)
    errors = {}
    written_in, problem = i18n.written_in(language)
    if problem:
        errors["language"] = problem
    if not text:
        errors["text"] = _("Write something before posting.")
    elif len(text) > max_chars:
        errors["text"] = _("Keep it under %(max)s characters (this has %(length)s).", max=max_chars, length=len(text))
    if attribution not in ATTRIBUTIONS:
        errors["attribution"] = _("Choose how your comment is signed.")
    if not valid_key(key):
        errors["idempotency_key"] = idempotency.PROBLEM
    connection = session.connection()
    if parent_id is not None:
        parent = _THREAD.execute(connection, {"id": parent_id}).first()
        if parent is None or parent.room_id != room_id:
            raise NotFound(_("The comment you reply to is not in this room."))
        # One level of replies: a reply to a reply joins the thread of the first comment.
        if parent.parent_id is not None:
            parent = _THREAD.execute(connection, {"id": parent.parent_id}).first()
        parent_id, paragraph_id = parent.id, parent.paragraph_id
    elif paragraph_id is not None and not works_on(session, room_id, paragraph_id):
        raise NotFound(_("That paragraph is not one this room works on."))
    if errors:
        raise Invalid(_("The comment was not posted."), errors)
    return {"text": text, "paragraph_id": paragraph_id, "parent_id": parent_id,
            "attribution": attribution, "language": written_in}


COMMENTS = Comment.__table__
_THREAD = Prepared(select(COMMENTS.c.id, COMMENTS.c.room_id, COMMENTS.c.parent_id, COMMENTS.c.paragraph_id).where(
    COMMENTS.c.id == bindparam("id")))


def _counts(moved: Counts) -> dict:
    return {"thread_count": moved.thread, "room_count": moved.room_comments}


COMMENT = Kind("comment", COMMENTS, action="comment", posted="comment_posted", submitted="comment_submitted",
               view=comment_view, counted="comments", counts=_counts)


def post_comment(session: Session, actor: Actor, room_id: int, *, text: str | None,
                 paragraph_id: int | None = None, parent_id: int | None = None,
                 attribution: str | None = "sector", idempotency_key: str | None = None,
                 max_chars: int = MAX_COMMENT_CHARS, language: str | None = None) -> tuple[dict, bool]:
    """Returns the comment and whether it is new; a retry with the same key returns the first."""
    return submit(session, actor, room_id, COMMENT, key=idempotency_key, check=lambda session, room: check_comment(
        session, room_id, text=text, paragraph_id=paragraph_id, parent_id=parent_id, attribution=attribution,
        key=idempotency_key, max_chars=max_chars, language=language))


def set_support(session: Session, actor: Actor, comment_id: int, *, on: bool) -> dict:
    """Set or clear the actor's support. Setting twice is the same as once, so a retried
    request never counts double; the count changes by an atomic update of the comment row."""
    comment = session.get(Comment, comment_id)
    if comment is None or comment.visibility != "visible":
        raise NotFound(_("No such comment."))
    access, member = take_part(session, actor, comment.room_id)
    lock_room_for(session, access.room, "support")
    if on and comment.author_id == member.participant_id:
        raise Forbidden(_("This is your own comment: support is for what others wrote."))
    # RETURNING, not rowcount: drivers disagree on rowcount after ON CONFLICT DO NOTHING.
    if on:
        insert = (postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert)(Support)
        changed = session.execute(insert.values(
            comment_id=comment_id, participant_id=member.participant_id, created_at=clock.now()
        ).on_conflict_do_nothing().returning(Support.comment_id)).first() is not None
    else:
        changed = session.execute(delete(Support).where(
            Support.comment_id == comment_id, Support.participant_id == member.participant_id
        ).returning(Support.comment_id)).first() is not None
    if changed:
        count = session.execute(
            update(Comment).where(Comment.id == comment_id)
            .values(support=Comment.support + (1 if on else -1)).returning(Comment.support)
        ).scalar_one()
        log.record(session, comment.room_id, "support_changed", {"comment_id": comment_id, "support": count})
    else:
        count = session.scalar(select(Comment.support).where(Comment.id == comment_id))
    return {"comment_id": comment_id, "support": count, "supported": on}


def list_comments(session: Session, access: RoomAccess, sort: str = "new") -> list[dict]:
    """Top-level comments (newest or most supported first), each reply right after its parent,
    replies oldest first so that a conversation reads down."""
    room, actor = access.room, access.actor
    rows = session.execute(
        select(Comment, Participant).join(Participant, Participant.id == Comment.author_id)
        .where(Comment.room_id == room.id)
    ).all()
    # `own`: the viewer wrote it (no support or report for one's own comment); per viewer, never pushed.
    views = [dict(comment_view(c, p, room, reveal=actor.is_organiser),
                  own=c.author_id == actor.participant_id) for c, p in rows
             if access.lists(c)]
    top = [v for v in views if v["parent_id"] is None]
    if sort == "support":
        top.sort(key=lambda v: (-v["support"], -v["id"]))
    else:
        top.sort(key=lambda v: -v["id"])
    replies: dict[int, list[dict]] = {}
    for v in sorted((v for v in views if v["parent_id"] is not None), key=lambda v: v["id"]):
        replies.setdefault(v["parent_id"], []).append(v)
    ordered = []
    for v in top:
        ordered.append(v)
        ordered.extend(replies.get(v["id"], []))
    return ordered


def supported_by(session: Session, access: RoomAccess) -> set[int]:
    """The comments in this room the actor supports: per-viewer state for the page."""
    participant_id = access.actor.participant_id
    if participant_id is None:
        return set()
    return set(session.scalars(
        select(Support.comment_id).join(Comment, Comment.id == Support.comment_id)
        .where(Comment.room_id == access.room_id, Support.participant_id == participant_id)))


def mark_taken(session: Session, actor: Actor, comment_id: int, *, taken: bool) -> dict:
    """The rapporteur marks a comment as taken into account (or not)."""
    comment = session.get(Comment, comment_id)
    if comment is None or comment.visibility != "visible":
        raise NotFound(_("No such comment."))
    room = steering_access(session, actor, comment.room_id).room
    lock_room_for(session, room, "decide amendments")
    if comment.taken_into_account != taken:
        comment.taken_into_account = taken
        audit.record(session, actor, "comment.taken", comment.room_id, comment_id=comment_id, taken=taken)
        log.record(session, comment.room_id, "comment_marked", {"comment_id": comment_id, "taken": taken})
    return {"comment_id": comment_id, "taken_into_account": taken}


def filter_comments(comments: list[dict], paragraph: str | None = None, sector: str | None = None,
                    min_support: int = 0, language: str | None = None) -> list[dict]:
    """The workbench's filters; paragraph is an id, or 'room' for general comments; language
    the one a comment was written in."""
    def keep(c):
        if paragraph == "room" and c["paragraph_id"] is not None:
            return False
        if paragraph not in (None, "", "room") and str(c["paragraph_id"]) != paragraph:
            return False
        return (not sector or c["sector"] == sector) and c["support"] >= min_support and \
            (not language or c["language"] == language)
    return [c for c in comments if keep(c)]
