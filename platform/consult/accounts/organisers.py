"""What organisers do with accounts: create one (the command line), list and revoke their API
tokens, sign out everywhere, renew a participant's lost personal link. Each is audited."""
from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from consult import clock
from consult.access import require_organiser
from consult.audit import service as audit
from consult.db import queue_kick
from consult.errors import Invalid, NotFound
from consult.people import passwords, sessions
from consult.people.actor import Actor
from consult.people.models import ApiToken, Organiser, Participant
from consult.people.service import normalise_email, token_view
from consult.people.tokens import new_token, token_hash
from consult.i18n import N_, _

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
