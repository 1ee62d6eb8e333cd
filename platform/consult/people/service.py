"""Who someone is: profiles checked and kept, bearer tokens read, organisers signing in, API tokens issued.
Joining a room and the organisers' account actions are accounts/."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from consult import clock
from consult.errors import Invalid, Unauthorized
from consult.people import passwords
from consult.people.actor import Actor
from consult.prepared import Prepared
from consult.people.models import SECTORS, ApiToken, Organiser, Participant
from consult.people.tokens import new_token, token_hash
from consult.text import clean_line
from consult.i18n import COUNTRIES, _

_CODE = re.compile(r"[^A-Z0-9]")


def normalise_email(email: str | None) -> str:
    """The one form of an address: how accounts are stored and found, and what the sign-in
    limit counts, so "  Organiser@Example.org " cannot be a fresh address to the limiter."""
    return unicodedata.normalize("NFKC", email or "").strip().lower()


def normalise_code(code: str | None) -> str:
    """Codes are read aloud and typed on phones: case, spaces and dashes do not matter."""
    return _CODE.sub("", (code or "").upper())


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
_PARTICIPANT_TOKEN = Prepared(select(_PEOPLE.c.id).where(_PEOPLE.c.token_hash == bindparam("digest")))
_ORGANISER_TOKEN = Prepared(select(_TOKENS.c.organiser_id).where(_TOKENS.c.token_hash == bindparam("digest"),
                                                        _TOKENS.c.expires_at > bindparam("now")))


def actor_for_token(session: Session, token: str | None) -> Actor:
    """A bearer token is a participant's personal token or an organiser's API token."""
    if not token:
        return Actor()
    digest, connection = token_hash(token), session.connection()
    participant_id = _PARTICIPANT_TOKEN.execute(connection, {"digest": digest}).scalar()
    if participant_id is not None:
        return Actor(participant_id=participant_id)
    organiser_id = _ORGANISER_TOKEN.execute(connection, {"digest": digest, "now": clock.now()}).scalar()
    if organiser_id is not None:
        return Actor(organiser_id=organiser_id)
    return Actor()


def language_of(session: Session, participant_id: int) -> str | None:
    return session.scalar(select(Participant.language).where(Participant.id == participant_id))


def participant_profile(session: Session, participant_id: int) -> dict | None:
    p = session.get(Participant, participant_id)
    if p is None:
        return None
    return {"id": p.id, "name": p.name, "organisation": p.organisation, "sector": p.sector,
            "sector_label": _(SECTORS[p.sector]), "country": p.country,
            "named_in_results": p.named_in_results}


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


def organiser_exists(session: Session, organiser_id: int) -> bool:
    return session.get(Organiser, organiser_id) is not None
