"""Joining rooms, personal links, and organiser accounts."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from consult.db import queue_kick
from consult import clock, i18n
from consult.access import require_organiser
from consult.audit import service as audit
from consult.conference.models import ConferenceSession
from consult.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from consult.people import passwords, sessions
from consult.people.actor import Actor
from consult.people.models import SECTORS, ApiToken, Organiser, Participant
from consult.people.tokens import new_token, token_hash
from consult.rooms import log
from consult.rooms.models import Membership, RapporteurInvite, Room
from consult.rooms.service import member_count
from consult.text import clean_line
from consult.i18n import COUNTRIES, N_, _

_CODE = re.compile(r"[^A-Z0-9]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str | None) -> str:
    """The one form of an address: how accounts are stored and found, and what the sign-in
    limit counts, so "  Organiser@Example.org " cannot be a fresh address to the limiter."""
    return unicodedata.normalize("NFKC", email or "").strip().lower()


def normalise_code(code: str | None) -> str:
    """Codes are read aloud and typed on phones: case, spaces and dashes do not matter."""
    return _CODE.sub("", (code or "").upper())


def room_by_code(session: Session, code: str | None) -> Room:
    room = session.scalar(select(Room).where(Room.code == normalise_code(code))) if code else None
    if room is None:
        raise NotFound(_("No room has this code. Check it with the room's screen."), {"code": _("Unknown code.")})
    return room


def check_profile(name, organisation, sector, country) -> dict:
    fields, errors = {
        "name": clean_line(name),
        "organisation": clean_line(organisation),
        "sector": (sector or "").strip(),
        "country": (country or "").strip().upper(),
    }, {}
    if not fields["name"]:
        errors["name"] = _("Enter the name others will see if you sign a comment.")
    elif len(fields["name"]) > 80:
        errors["name"] = _("Use at most 80 characters.")
    if len(fields["organisation"]) > 120:
        errors["organisation"] = _("Use at most 120 characters.")
    if fields["sector"] not in SECTORS:
        errors["sector"] = _("Choose your sector from the list.")
    if fields["country"] not in COUNTRIES:
        errors["country"] = _("Choose your country from the list.")
    if errors:
        raise Invalid(_("Some details need attention."), errors)
    return fields


def join(session: Session, actor: Actor, *, code: str, name, organisation, sector, country,
         named_in_results: bool = False, invite: str | None = None) -> tuple[Participant, Membership, str | None]:
    """Join a room. A participant already known (cookie or token) keeps their identity and
    joins one more room; otherwise a new participant is made and their token returned once.
    With a rapporteur's invitation, whoever joins becomes the room's rapporteur."""
    room = room_by_code(session, code)
    invitation = _invitation(session, room.id, invite) if invite else None
    event_id = session.get(ConferenceSession, room.slot_id).event_id
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


def update_profile(session: Session, actor: Actor, *, name, organisation, sector, country,
                   named_in_results: bool) -> Participant:
    participant = session.get(Participant, actor.participant_id) if actor.participant_id else None
    if participant is None:
        raise Unauthorized(_("Join a room first."))
    for key, value in check_profile(name, organisation, sector, country).items():
        setattr(participant, key, value)
    participant.named_in_results = bool(named_in_results)
    return participant


_PEOPLE, _TOKENS = Participant.__table__, ApiToken.__table__
# Built once: every API request starts with them.
_PARTICIPANT_TOKEN = select(_PEOPLE.c.id).where(_PEOPLE.c.token_hash == bindparam("digest"))
_ORGANISER_TOKEN = select(_TOKENS.c.organiser_id).where(_TOKENS.c.token_hash == bindparam("digest"),
                                                        _TOKENS.c.expires_at > bindparam("now"))


def actor_for_token(session: Session, token: str | None) -> Actor:
    """A bearer token is a participant's personal token or an organiser's API token."""
    if not token:
        return Actor()
    digest, connection = token_hash(token), session.connection()
    participant_id = connection.execute(_PARTICIPANT_TOKEN, {"digest": digest}).scalar()
    if participant_id is not None:
        return Actor(participant_id=participant_id)
    organiser_id = connection.execute(_ORGANISER_TOKEN, {"digest": digest, "now": clock.now()}).scalar()
    if organiser_id is not None:
        return Actor(organiser_id=organiser_id)
    return Actor()


def language_of(session: Session, participant_id: int) -> str | None:
    return session.scalar(select(Participant.language).where(Participant.id == participant_id))


def latest_room_id(session: Session, participant_id: int) -> int | None:
    return session.scalar(select(Membership.room_id).where(Membership.participant_id == participant_id)
                          .order_by(Membership.joined_at.desc(), Membership.id.desc()).limit(1))


def rooms_of(session: Session, participant_id: int) -> list[dict]:
    rows = session.execute(select(Room.id, Room.name).join(Membership, Membership.room_id == Room.id)
                           .where(Membership.participant_id == participant_id).order_by(Membership.joined_at))
    return [{"id": room_id, "name": name} for room_id, name in rows]


def participant_profile(session: Session, participant_id: int) -> dict | None:
    p = session.get(Participant, participant_id)
    if p is None:
        return None
    return {"id": p.id, "name": p.name, "organisation": p.organisation, "sector": p.sector,
            "sector_label": _(SECTORS[p.sector]), "country": p.country,
            "named_in_results": p.named_in_results}


def create_organiser(session: Session, email: str, password: str) -> Organiser:
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise Invalid(_("Enter a valid email address."), {"email": _("Not an email address.")})
    if len(password or "") < 10:
        raise Invalid(_("Use a password of at least 10 characters."), {"password": _("Too short.")})
    existing = session.scalar(select(Organiser).where(Organiser.email == email))
    if existing is not None:
        # A reset is what one does after a leak: whoever held a session or a token is out.
        existing.password_hash = passwords.hash_password(password)
        sessions.end_for_organiser(session, existing.id)
        session.execute(delete(ApiToken).where(ApiToken.organiser_id == existing.id))
        audit.record_as(session, "command line", "system", "organiser.reset", email=email)
        return existing
    organiser = Organiser(email=email, password_hash=passwords.hash_password(password), created_at=clock.now())
    session.add(organiser)
    session.flush()
    audit.record_as(session, "command line", "system", "organiser.create", email=email)
    return organiser


def authenticate_organiser(session: Session, email: str, password: str) -> int:
    organiser = session.scalar(select(Organiser).where(Organiser.email == normalise_email(email)))
    if organiser is None:
        passwords.dummy_verify(password or "")
        raise Unauthorized(_("Wrong email or password."))
    if not passwords.verify_password(organiser.password_hash, password or ""):
        raise Unauthorized(_("Wrong email or password."))
    return organiser.id


TOKEN_DAYS = 30


def issue_api_token(session: Session, organiser_id: int, name: str | None = None, days: int | None = None) -> dict:
    """A named API token that expires (30 days unless asked for 1 to 365)."""
    name = clean_line(name)[:80] or "API token"
    if days is None:
        days = TOKEN_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
        raise Invalid(_("A token lasts 1 to 365 days."), {"days": _("Out of range.")})
    token = new_token()
    row = ApiToken(organiser_id=organiser_id, token_hash=token_hash(token), name=name, created_at=clock.now(),
                   expires_at=clock.now() + dt.timedelta(days=days))
    session.add(row)
    session.flush()
    return dict(token_view(row), token=token)


def touch_api_token(session: Session, token: str) -> None:
    """Note when a token was last used, to the minute: a list of tokens shows which are idle."""
    now = clock.now()
    session.execute(update(ApiToken).where(
        ApiToken.token_hash == token_hash(token),
        (ApiToken.last_used_at.is_(None)) | (ApiToken.last_used_at < now - dt.timedelta(minutes=1)),
    ).values(last_used_at=now))


def token_view(row: ApiToken) -> dict:
    def at(value):
        return value.isoformat(timespec="seconds") + "Z" if value else None
    return {"id": row.id, "name": row.name, "created_at": at(row.created_at), "expires_at": at(row.expires_at),
            "last_used_at": at(row.last_used_at)}


def list_api_tokens(session: Session, actor: Actor) -> list[dict]:
    require_organiser(actor, doing=N_("have API tokens"))
    rows = session.scalars(select(ApiToken).where(ApiToken.organiser_id == actor.organiser_id,
                                                  ApiToken.expires_at > clock.now()).order_by(ApiToken.id))
    return [token_view(row) for row in rows]


def revoke_api_token(session: Session, actor: Actor, token_id: int) -> None:
    require_organiser(actor, doing=N_("have API tokens"))
    gone = session.execute(delete(ApiToken).where(ApiToken.id == token_id, ApiToken.organiser_id == actor.organiser_id)
                           .returning(ApiToken.name)).first()
    if gone is None:
        raise NotFound(_("No such token of yours."))
    audit.record(session, actor, "api_token.revoke", name=gone.name)


def sign_out_everywhere(session: Session, actor: Actor) -> int:
    """Every browser session of this organiser ends, this one included."""
    require_organiser(actor, doing=N_("do this"))
    ended = sessions.end_for_organiser(session, actor.organiser_id)
    audit.record(session, actor, "sign_out.everywhere", sessions=ended)
    queue_kick(session, None, f"o:{actor.organiser_id}")
    return ended


def renew_personal_link(session: Session, actor: Actor, participant_id: int) -> str:
    """A lost badge: the old personal link (and API token) stops working, and every browser
    signed in with it is signed out; the new link is returned once."""
    require_organiser(actor, doing=N_("renew personal links"))
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise NotFound(_("No such participant."))
    token = new_token()
    participant.token_hash = token_hash(token)
    sessions.end_for_participant(session, participant_id)
    audit.record(session, actor, "participant.link_renewed", event_id=participant.event_id,
                 participant_id=participant_id)
    queue_kick(session, None, f"p:{participant_id}")
    return token


def organiser_exists(session: Session, organiser_id: int) -> bool:
    return session.get(Organiser, organiser_id) is not None
