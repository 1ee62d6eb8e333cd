"""The live dashboard: every room at a glance, and whether every sector is heard in it."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.amendments.models import Amendment, AmendmentVote
from consult.conference.models import ConferenceSession, Event
from consult.contributions.models import Comment
from consult.errors import Forbidden, NotFound
from consult.people.actor import Actor
from consult.people.models import SECTORS, Participant
from consult.rooms.models import Membership, Room, RoomEvent
from consult.rooms.phases import PHASE_LABELS

# The sectors the conference exists to bring together: a room without one of them is flagged.
CORE_SECTORS = ("law_enforcement", "health", "social_services", "local_authority")
DOMINANT_SHARE = 0.5
MIN_MEMBERS_TO_JUDGE = 4


def rooms_at_a_glance(session: Session, actor: Actor, slug: str, presence) -> list[dict]:
    if not actor.is_organiser:
        raise Forbidden("Only organisers see the dashboard.")
    event = session.scalar(select(Event).where(Event.slug == slug))
    if event is None:
        raise NotFound("No such event.")
    rooms = session.execute(select(Room, ConferenceSession).join(ConferenceSession)
                            .where(ConferenceSession.event_id == event.id)
                            .order_by(ConferenceSession.position, Room.position)).all()
    ids = [r.id for r, _ in rooms]

    def per_room(query):
        return dict(session.execute(query.group_by(query.selected_columns[0])).all())

    comments = per_room(select(Comment.room_id, func.count()).where(Comment.room_id.in_(ids)))
    amendments = per_room(select(Amendment.room_id, func.count()).where(Amendment.room_id.in_(ids)))
    votes = per_room(select(Amendment.room_id, func.count()).join(AmendmentVote).where(Amendment.room_id.in_(ids)))
    last = per_room(select(RoomEvent.room_id, func.max(RoomEvent.created_at)).where(RoomEvent.room_id.in_(ids)))
    sectors: dict[int, dict[str, int]] = {}
    for room_id, sector, n in session.execute(
            select(Membership.room_id, Participant.sector, func.count()).join(Participant)
            .where(Membership.room_id.in_(ids), Membership.removed_at.is_(None))
            .group_by(Membership.room_id, Participant.sector)):
        sectors.setdefault(room_id, {})[sector] = n
    out = []
    for room, agenda in rooms:
        mix = sectors.get(room.id, {})
        members = sum(mix.values())
        flags = []
        if members >= MIN_MEMBERS_TO_JUDGE:
            missing = [SECTORS[s] for s in CORE_SECTORS if not mix.get(s)]
            if missing:
                flags.append("Missing: " + ", ".join(missing))
            top = max(mix, key=mix.get)
            if mix[top] / members > DOMINANT_SHARE:
                flags.append(f"Dominant: {SECTORS[top]} ({round(100 * mix[top] / members)}%)")
        out.append({"id": room.id, "name": room.name, "code": room.code, "session": agenda.title, "phase": room.phase,
                    "phase_label": PHASE_LABELS[room.phase], "here": presence(room.id), "members": members,
                    "comments": comments.get(room.id, 0), "amendments": amendments.get(room.id, 0),
                    "votes": votes.get(room.id, 0), "last_activity": last.get(room.id),
                    "sectors": {SECTORS[s]: n for s, n in sorted(mix.items(), key=lambda kv: -kv[1])},
                    "flags": flags})
    return out
