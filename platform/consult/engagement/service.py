"""Reactions on paragraphs, priority dots and quick polls."""
from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from consult import clock
from consult.amendments.models import Amendment
from consult.access import RoomAccess, room_access, steering_access, take_part
from consult.audit import service as audit
from consult.contributions.models import Comment
from consult.engagement.models import (
    DOT_TARGETS,
    STANCES,
    Dot,
    Poll,
    PollVote,
    Reaction,
)
from consult.errors import Conflict, Invalid, NotFound
from consult.people.actor import Actor
from consult.people.models import Participant
from consult.rooms import log
from consult.rooms.models import Room
from consult.rooms.service import actor_label, lock_room_for, works_on
from consult.rooms.phases import allows
from consult.text import clean_line, shortened
from consult.i18n import _, ngettext

# -- reactions -------------------------------------------------------------------------


def spread(session: Session, room_id: int, paragraph_ids: list[int] | None = None) -> dict[int, dict]:
    """Per paragraph: how many agree, disagree, pass, and flag it for discussion; and the same by sector."""
    query = (select(Reaction.paragraph_id, Participant.sector, Reaction.stance, Reaction.needs_discussion, func.count())
             .join(Participant, Participant.id == Reaction.participant_id).where(Reaction.room_id == room_id)
             .group_by(Reaction.paragraph_id, Participant.sector, Reaction.stance, Reaction.needs_discussion))
    if paragraph_ids is not None:
        query = query.where(Reaction.paragraph_id.in_(paragraph_ids))
    out: dict[int, dict] = {}
    for pid, sector, stance, discuss, n in session.execute(query):
        entry = out.setdefault(pid, {"agree": 0, "disagree": 0, "pass": 0, "discuss": 0, "by_sector": {}})
        row = entry["by_sector"].setdefault(sector, {"agree": 0, "disagree": 0, "pass": 0, "discuss": 0})
        for target in (entry, row):
            if stance:
                target[stance] += n
            if discuss:
                target["discuss"] += n
    return out


def react(session: Session, actor: Actor, room_id: int, *, paragraph_id: int, stance: str | None = None,
          needs_discussion: bool | None = None) -> dict:
    """Set a stance (agree, disagree, pass, or '' to clear) and/or the discussion flag."""
    access, member = take_part(session, actor, room_id)
    room = access.room
    lock_room_for(session, room, "react")
    if not works_on(session, room_id, paragraph_id):
        raise NotFound(_("That paragraph is not one this room works on."))
    if stance not in (None, "", *STANCES):
        raise Invalid(_("React agree, disagree or pass."), {"stance": _("Unknown stance.")})
    reaction = session.get(Reaction, (room_id, paragraph_id, member.participant_id))
    if reaction is None:
        reaction = Reaction(room_id=room_id, paragraph_id=paragraph_id, participant_id=member.participant_id,
                            needs_discussion=False, updated_at=clock.now())
        session.add(reaction)
    if stance is not None:
        reaction.stance = stance or None
    if needs_discussion is not None:
        reaction.needs_discussion = needs_discussion
    reaction.updated_at = clock.now()
    session.flush()
    entry = spread(session, room_id, [paragraph_id]).get(
        paragraph_id, {"agree": 0, "disagree": 0, "pass": 0, "discuss": 0, "by_sector": {}})
    by_sector = entry.pop("by_sector")
    log.record(session, room_id, "reaction_changed", {"paragraph_id": paragraph_id, "spread": entry,
                                                      "restricted": {"by_sector": by_sector}})
    return {"paragraph_id": paragraph_id, "stance": reaction.stance, "needs_discussion": reaction.needs_discussion,
            "spread": entry}


def my_reactions(session: Session, access: RoomAccess) -> dict[int, dict]:
    participant_id = access.actor.participant_id
    if participant_id is None:
        return {}
    rows = session.scalars(select(Reaction).where(Reaction.room_id == access.room_id,
                                                  Reaction.participant_id == participant_id))
    return {r.paragraph_id: {"stance": r.stance, "needs_discussion": r.needs_discussion} for r in rows}


# -- priority dots ---------------------------------------------------------------------


def dots_left_text(left: int, total: int) -> str:
    if left <= 0:
        return ngettext("You have placed your %(num)s dot.", "You have placed all %(num)s of your dots.", total)
    return ngettext("You have %(num)s dot left.", "You have %(num)s dots left.", left)


def ranking(session: Session, room_id: int, limit: int = 10) -> list[dict]:
    rows = session.execute(select(Dot.target_type, Dot.target_id, func.sum(Dot.dots).label("n"))
                           .where(Dot.room_id == room_id).group_by(Dot.target_type, Dot.target_id)
                           .having(func.sum(Dot.dots) > 0)
                           .order_by(func.sum(Dot.dots).desc(), Dot.target_type, Dot.target_id)).all()
    out = []
    for target_type, target_id, n in rows:
        model = Amendment if target_type == "amendment" else Comment
        item = session.get(model, target_id)
        if item.visibility != "visible":
            continue  # what a moderator hid (or has not approved) ranks nowhere
        if len(out) == limit:
            break
        summary = (item.text or item.rationale) if target_type == "amendment" else item.text
        out.append({"type": target_type, "id": target_id, "dots": int(n),
                    "label": _("Amendment %(id)s", id=target_id) if target_type == "amendment" else _("Comment %(id)s", id=target_id),
                    "summary": shortened(summary, 120)})
    return out


def set_dots(session: Session, actor: Actor, room_id: int, *, target_type: str, target_id: int, dots: int) -> dict:
    access, member = take_part(session, actor, room_id)
    room = access.room
    lock_room_for(session, room, "place priority dots")
    if target_type not in DOT_TARGETS:
        raise Invalid(_("Dots go on amendments or comments."), {"target_type": _("Unknown.")})
    if not isinstance(dots, int) or dots < 0:
        raise Invalid(_("Dots are a whole number, zero or more."), {"dots": _("Not a count.")})
    model = Amendment if target_type == "amendment" else Comment
    target = session.get(model, target_id)
    if target is None or target.room_id != room_id or target.visibility != "visible":
        raise NotFound(_("No such amendment in this room.") if target_type == "amendment" else _("No such comment in this room."))
    # The room row's lock queues one person's concurrent dot changes, so the budget holds.
    session.scalar(select(Room.id).where(Room.id == room_id).with_for_update())
    used_elsewhere = session.scalar(select(func.coalesce(func.sum(Dot.dots), 0)).where(
        Dot.room_id == room_id, Dot.participant_id == member.participant_id,
        ~((Dot.target_type == target_type) & (Dot.target_id == target_id))))
    row = session.get(Dot, (room_id, member.participant_id, target_type, target_id))
    # A decided amendment is settled: its dots can only be taken back, to spend on what is still open.
    if not dots_welcome(target) and dots > (row.dots if row else 0):
        raise Invalid(_("This amendment is decided: put your dots on one still open."), {"dots": _("Decided.")})
    if used_elsewhere + dots > room.dots:
        left = room.dots - used_elsewhere - (row.dots if row else 0)
        said = dots_left_text(left, room.dots)
        raise Invalid(said + " " + _("Take a dot from something else first.") if left <= 0 else said,
                      {"dots": _("Not enough dots.")})
    if dots == 0:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(Dot(room_id=room_id, participant_id=member.participant_id, target_type=target_type,
                        target_id=target_id, dots=dots))
    else:
        row.dots = dots
    session.flush()
    log.record(session, room_id, "priorities_changed", {"ranking": ranking(session, room_id)})
    return {"target_type": target_type, "target_id": target_id, "dots": dots, "open": dots_welcome(target),
            "left": room.dots - used_elsewhere - dots, "total": room.dots}


def dots_welcome(target: Amendment | Comment) -> bool:
    return not isinstance(target, Amendment) or target.status == "pending"


def my_dots(session: Session, access: RoomAccess) -> dict[tuple[str, int], int]:
    participant_id = access.actor.participant_id
    if participant_id is None:
        return {}
    rows = session.scalars(select(Dot).where(Dot.room_id == access.room_id, Dot.participant_id == participant_id))
    return {(d.target_type, d.target_id): d.dots for d in rows}


# -- quick polls -------------------------------------------------------------------------


def results_shown(poll: Poll, *, privileged: bool, answered: bool) -> bool:
    """A participant sees a poll's numbers once they answered or the poll closed, unless the
    rapporteur chose to show them while it runs; rapporteurs and organisers always do. Numbers
    not shown are not sent either: not in the page, not over the socket."""
    return privileged or answered or poll.results_live or not poll.open


def poll_view(session: Session, poll: Poll, *, shown: bool = True) -> dict:
    room = session.get(Room, poll.room_id)
    voters = session.scalar(select(func.count(func.distinct(PollVote.participant_id))).where(PollVote.poll_id == poll.id))
    view = {"id": poll.id, "room_id": poll.room_id, "question": poll.question, "multiple": poll.multiple,
            "open": poll.open, "results_live": poll.results_live, "asked_by": poll.asked_by, "voters": voters,
            "shown": shown, "answerable": allows(room.phase, "answer polls"), "phase": room.phase,
            "options": [{"index": i, "text": text} for i, text in enumerate(poll.options)]}
    if shown:
        counts = dict(session.execute(select(PollVote.option, func.count()).where(PollVote.poll_id == poll.id)
                                      .group_by(PollVote.option)).all())
        total = sum(counts.values())
        for o in view["options"]:
            o.update(votes=counts.get(o["index"], 0),
                     percent=round(100 * counts.get(o["index"], 0) / total) if total else 0)
    return view


def _poll_event(session: Session, poll: Poll) -> dict:
    """What the room's log says of a poll: its numbers for everyone when they are public,
    otherwise only in the part rapporteurs and organisers receive."""
    if results_shown(poll, privileged=False, answered=False):
        return {"poll": poll_view(session, poll)}
    return {"poll": poll_view(session, poll, shown=False), "restricted": {"poll": poll_view(session, poll)}}


def ask(session: Session, actor: Actor, room_id: int, *, question: str, options: list[str], multiple: bool,
        results_live: bool = False) -> dict:
    room = steering_access(session, actor, room_id).room
    lock_room_for(session, room, "ask a poll")
    question = clean_line(question)
    options = [clean_line(o) for o in options or [] if clean_line(o)]
    errors = {}
    if not question or len(question) > 300:
        errors["question"] = _("Ask a question of 1 to 300 characters.")
    if not 2 <= len(options) <= 8:
        errors["options"] = _("Give 2 to 8 options.")
    elif any(len(o) > 120 for o in options) or len(set(options)) != len(options):
        errors["options"] = _("Options must differ and be at most 120 characters each.")
    if errors:
        raise Invalid(_("The poll was not opened."), errors)
    poll = Poll(room_id=room_id, question=question, options=options, multiple=bool(multiple), open=True,
                results_live=bool(results_live),
                asked_by=actor_label(session, actor), created_at=clock.now())
    session.add(poll)
    session.flush()
    audit.record(session, actor, "poll.ask", room_id, poll_id=poll.id, question=question)
    log.record(session, room_id, "poll_opened", _poll_event(session, poll))
    return poll_view(session, poll)


def answer(session: Session, actor: Actor, poll_id: int, *, chosen: list[int]) -> dict:
    poll = session.get(Poll, poll_id)
    if poll is None:
        raise NotFound(_("No such poll."))
    access, member = take_part(session, actor, poll.room_id)
    room = access.room
    lock_room_for(session, room, "answer polls")
    chosen = sorted({i for i in chosen if isinstance(i, int) and not isinstance(i, bool)})
    if not chosen or any(not 0 <= i < len(poll.options) for i in chosen):
        raise Invalid(_("Choose one of the options."), {"options": _("Unknown option.")})
    if len(chosen) > 1 and not poll.multiple:
        raise Invalid(_("Choose only one option in this poll."), {"options": _("One only.")})
    session.refresh(poll, with_for_update=True)
    if not poll.open:
        raise Conflict(_("This poll is closed."))
    session.execute(delete(PollVote).where(PollVote.poll_id == poll_id, PollVote.participant_id == member.participant_id))
    session.add_all(PollVote(poll_id=poll_id, participant_id=member.participant_id, option=i) for i in chosen)
    session.flush()
    log.record(session, poll.room_id, "poll_answered", _poll_event(session, poll))
    return _viewed(session, poll, access.privileged, chosen)


def close_poll(session: Session, actor: Actor, poll_id: int) -> dict:
    poll = session.get(Poll, poll_id)
    if poll is None:
        raise NotFound(_("No such poll."))
    steering_access(session, actor, poll.room_id)
    session.refresh(poll, with_for_update=True)  # of a close and an answer, one goes first
    if poll.open:
        poll.open = False
        audit.record(session, actor, "poll.close", poll.room_id, poll_id=poll_id)
        session.flush()
        log.record(session, poll.room_id, "poll_closed", _poll_event(session, poll))
    return poll_view(session, poll)


def polls(session: Session, access: RoomAccess) -> list[dict]:
    """The room's polls as this viewer may see them, each with the options they chose."""
    participant_id = access.actor.participant_id
    listed = session.scalars(select(Poll).where(Poll.room_id == access.room_id).order_by(Poll.id.desc())).all()
    mine: dict[int, list[int]] = {}
    if participant_id is not None and listed:
        for poll_id, option in session.execute(select(PollVote.poll_id, PollVote.option).where(
                PollVote.participant_id == participant_id, PollVote.poll_id.in_([p.id for p in listed]))):
            mine.setdefault(poll_id, []).append(option)
    return [_viewed(session, p, access.privileged, mine.get(p.id, [])) for p in listed]


def poll_for(session: Session, actor: Actor, poll_id: int) -> dict:
    """One poll as this viewer may see it: what their page fetches when others answer."""
    poll = session.get(Poll, poll_id)
    if poll is None:
        raise NotFound(_("No such poll."))
    privileged = room_access(session, actor, poll.room_id).privileged
    mine = list(session.scalars(select(PollVote.option).where(
        PollVote.poll_id == poll_id, PollVote.participant_id == actor.participant_id))) \
        if actor.participant_id is not None else []
    return _viewed(session, poll, privileged, mine)


def _viewed(session: Session, poll: Poll, privileged: bool, mine: list[int]) -> dict:
    shown = results_shown(poll, privileged=privileged, answered=bool(mine))
    # Shown because this viewer answered: the socket carries no numbers for them, so their page
    # fetches its own fresh copy when others answer.
    own = shown and not results_shown(poll, privileged=privileged, answered=False)
    return dict(poll_view(session, poll, shown=shown), mine=mine, refresh=own)


def room_dots(session: Session, room_id: int) -> int:
    return session.get(Room, room_id).dots
