"""Joining a room by its code (a rapporteur's invitation included), and the rooms a participant is in."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult import clock, i18n
from consult.errors import Conflict, Forbidden, NotFound
from consult.people.actor import Actor
from consult.people.models import Participant
from consult.people.service import check_profile, normalise_code
from consult.people.tokens import new_token, token_hash
from consult.rooms import log
from consult.rooms.models import Membership, RapporteurInvite, Room
from consult.rooms.service import member_count
from consult.i18n import _


def room_by_code(session: Session, code: str | None) -> Room:
    room = session.scalar(select(Room).where(Room.code == normalise_code(code))) if code else None
    if room is None:
        raise NotFound(_("No room has this code. Check it with the room's screen."), {"code": _("Unknown code.")})
    return room


def join(session: Session, actor: Actor, *, code: str, name, organisation, sector, country,
         named_in_results: bool = False, invite: str | None = None) -> tuple[Participant, Membership, str | None]:
    """Join a room. A participant already known (cookie or token) keeps their identity and
    joins one more room; otherwise a new participant is made and their token returned once.
    With a rapporteur's invitation, whoever joins becomes the room's rapporteur."""
    room = room_by_code(session, code)
    invitation = _invitation(session, room.id, invite) if invite else None
    event_id = room.slot.event_id
    participant = session.get(Participant, actor.participant_id) if actor.participant_id else None
    token = None
    if participant is None or participant.event_id != event_id:
        fields = check_profile(name, organisation, sector, country)
        token = new_token()
        participant = Participant(event_id=event_id, named_in_results=bool(named_in_results),
                                  token_hash=token_hash(token), created_at=clock.now(),
                                  language=i18n.current(), **fields)
        session.add(participant)
        session.flush()
    member = session.scalar(select(Membership).where(
        Membership.room_id == room.id, Membership.participant_id == participant.id))
    if member is not None and member.removed_at is not None:
        raise Forbidden(_("A moderator removed you from this room. Ask the organisers if you think this is a mistake."))
    if member is None:
        if room.capacity:
            # Joins of a room with places queue on its row, so the last place is given once.
            session.scalar(select(Room.id).where(Room.id == room.id).with_for_update())
        if room.capacity and member_count(session, room.id) >= room.capacity and invitation is None:
            raise Conflict(_("This room is full. Ask the organisers which room still has places."))
        member = Membership(room_id=room.id, participant_id=participant.id, joined_at=clock.now())
        session.add(member)
        session.flush()
        log.record(session, room.id, "member_joined", {"members": member_count(session, room.id)})
    if invitation is not None:
        invitation.used_by, invitation.used_at, member.role = participant.id, clock.now(), "rapporteur"
        log.record(session, room.id, "rapporteur_assigned", {"name": participant.name})
    return participant, member, token


def _invitation(session: Session, room_id: int, token: str) -> RapporteurInvite:
    invitation = session.scalar(select(RapporteurInvite).where(RapporteurInvite.token_hash == token_hash(token)))
    if invitation is None or invitation.room_id != room_id:
        raise NotFound(_("This invitation link does not work for this room."))
    if invitation.used_at is not None:
        raise Conflict(_("This invitation was already used. Ask the organisers for a new one."))
    return invitation


def latest_room_id(session: Session, participant_id: int) -> int | None:
    return session.scalar(select(Membership.room_id).where(Membership.participant_id == participant_id)
                          .order_by(Membership.joined_at.desc(), Membership.id.desc()).limit(1))


def rooms_of(session: Session, participant_id: int) -> list[dict]:
    rows = session.execute(select(Room.id, Room.name).join(Membership, Membership.room_id == Room.id)
                           .where(Membership.participant_id == participant_id).order_by(Membership.joined_at))
    return [{"id": room_id, "name": name} for room_id, name in rows]
