"""Browser sessions kept in the database: what a cookie's opaque id stands for, and ending
them (one on sign-out; all of an organiser's on a password reset or "sign out everywhere";
all of a participant's when their personal link is renewed)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from consult import clock
from consult.people.models import SignInSession
from consult.people.tokens import new_token, token_hash

LIFETIME = dt.timedelta(days=30)


def load(session: Session, session_id: str | None) -> dict | None:
    if not session_id:
        return None
    row = session.get(SignInSession, token_hash(session_id))
    if row is None or row.expires_at <= clock.now():
        return None
    return dict(row.data)


def save(session: Session, session_id: str | None, data: dict, rotate: bool) -> str | None:
    """Store what the session holds now; returns the id the cookie must carry from now on
    (None: the session is over). A change of who is signed in gets a new id, so an id seen
    before signing in is worth nothing after."""
    old = token_hash(session_id) if session_id else None
    if old and (rotate or not data):
        session.execute(delete(SignInSession).where(SignInSession.id_hash == old))
        old = None
    if not data:
        return None
    if old is not None:
        row = session.get(SignInSession, old)
        if row is not None:
            row.data, row.participant_id, row.organiser_id = data, data.get("pid"), data.get("oid")
            return session_id
    session_id = new_token()
    session.add(SignInSession(id_hash=token_hash(session_id), participant_id=data.get("pid"),
                              organiser_id=data.get("oid"), data=data, created_at=clock.now(),
                              expires_at=clock.now() + LIFETIME))
    return session_id


def end_for_organiser(session: Session, organiser_id: int) -> int:
    return session.execute(delete(SignInSession).where(SignInSession.organiser_id == organiser_id)).rowcount


def end_for_participant(session: Session, participant_id: int) -> int:
    return session.execute(delete(SignInSession).where(SignInSession.participant_id == participant_id)).rowcount


def count_for_organiser(session: Session, organiser_id: int) -> int:
    return len(session.scalars(select(SignInSession.id_hash).where(
        SignInSession.organiser_id == organiser_id, SignInSession.expires_at > clock.now())).all())
