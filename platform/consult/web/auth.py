"""Who the browser is: read from its session's data (`browser` here, request.session to Starlette;
kept in the database, web/sessions.py) into request.state.actor."""
from __future__ import annotations

import time

from consult.people.actor import Actor

ORGANISER_SESSION_SECONDS = 12 * 3600


def actor_from_browser(browser: dict) -> Actor:
    organiser_id = browser.get("oid")
    if organiser_id is not None and browser.get("oexp", 0) < time.time():
        organiser_id = None
    return Actor(participant_id=browser.get("pid"), organiser_id=organiser_id)


def sign_in_participant(browser: dict, participant_id: int) -> None:
    browser["pid"] = participant_id


def sign_in_organiser(browser: dict, organiser_id: int) -> None:
    browser["oid"] = organiser_id
    browser["oexp"] = int(time.time()) + ORGANISER_SESSION_SECONDS


def sign_out(browser: dict) -> None:
    browser.clear()


class ActorMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            scope.setdefault("state", {})["actor"] = actor_from_browser(scope.get("session") or {})
        await self.app(scope, receive, send)
