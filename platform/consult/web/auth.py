"""Who the browser is: read from the signed session cookie into request.state.actor."""
from __future__ import annotations

import time

from consult.people.actor import Actor

ORGANISER_SESSION_SECONDS = 12 * 3600


def actor_from_session(session: dict) -> Actor:
    organiser_id = session.get("oid")
    if organiser_id is not None and session.get("oexp", 0) < time.time():
        organiser_id = None
    return Actor(participant_id=session.get("pid"), organiser_id=organiser_id)


def sign_in_participant(session: dict, participant_id: int) -> None:
    session["pid"] = participant_id


def sign_in_organiser(session: dict, organiser_id: int) -> None:
    session["oid"] = organiser_id
    session["oexp"] = int(time.time()) + ORGANISER_SESSION_SECONDS


def sign_out(session: dict) -> None:
    session.clear()


class ActorMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            scope.setdefault("state", {})["actor"] = actor_from_session(scope.get("session") or {})
        await self.app(scope, receive, send)
