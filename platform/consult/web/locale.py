"""Which language a request is answered in, and the switch that changes it.

In order: the language the participant chose (kept with them and copied into their session
when they sign in), the cookie of a browser that chose before joining, the browser's
Accept-Language among the event's languages, the event's default."""
from __future__ import annotations

import time
from http.cookies import SimpleCookie

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import URL, Headers
from starlette.requests import Request
from starlette.routing import Route

from consult import i18n
from consult.db import UNREACHABLE
from consult.conference.models import Event
from consult.people.models import Participant
from consult.web.forms import back_to, local_path

COOKIE = "consult_lang"
SESSION_KEY = "lang"
YEAR = 365 * 24 * 3600


class Offered:
    """The event's languages and default, read at most every few seconds: every request needs
    them, and an organiser changing them can wait that long to be obeyed."""

    TTL = 10.0

    def __init__(self, db):
        self.db = db
        self._value: tuple[tuple[str, ...], str, str] | None = None
        self._at = 0.0

    def cached(self) -> tuple[tuple[str, ...], str, str] | None:
        return self._value if self._value is not None and time.monotonic() - self._at <= self.TTL else None

    def get(self) -> tuple[tuple[str, ...], str, str]:
        value = self.cached()
        if value is None:
            try:
                value = self.db.read(_offered)
            except UNREACHABLE:
                # A database that blinks must not turn every request into a 500 before the
                # route can answer 503: the last known choice, or the platform's defaults.
                return self._value or _DEFAULTS
            self._value, self._at = value, time.monotonic()
        return value

    def forget(self) -> None:
        self._value = None


_DEFAULTS = (tuple(i18n.LANGUAGES), i18n.DEFAULT, i18n.ZONE)


def _offered(session) -> tuple[tuple[str, ...], str, str]:
    # One conference at a time is the platform's case; with several, the first one's choice holds.
    event = session.scalar(select(Event).order_by(Event.starts_on, Event.id).limit(1))
    if event is None:
        return _DEFAULTS
    languages = tuple(code for code in event.languages.split() if i18n.supported(code)) or (i18n.DEFAULT,)
    default = event.default_language if event.default_language in languages else languages[0]
    return languages, default, event.timezone


def choose(scope, offered: tuple[tuple[str, ...], str, str]) -> str:
    languages, default, _zone = offered
    headers = Headers(scope=scope)
    chosen = (scope.get("session") or {}).get(SESSION_KEY)
    if not chosen:
        cookie = SimpleCookie(headers.get("cookie", ""))
        chosen = cookie[COOKIE].value if COOKIE in cookie else None
    # A choice the person made is kept even if the organiser later offers fewer languages.
    if i18n.supported(chosen):
        return chosen
    return i18n.negotiate(headers.get("accept-language"), languages) or default


class LocaleMiddleware:
    def __init__(self, app, offered: Offered):
        self.app = app
        self.offered = offered

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket") and not scope["path"].startswith("/static/"):
            offered = self.offered.cached() or await run_in_threadpool(self.offered.get)
            language = choose(scope, offered)
            i18n.use(language, offered[2])
            state = scope.setdefault("state", {})
            state["language"], state["offered"] = language, offered[0]
        await self.app(scope, receive, send)


async def switch(request: Request):
    """One tap: the page comes back in the chosen language (a form being written keeps its
    text: drafts are stored in the browser as they are typed)."""
    form = await request.form()
    language = i18n.supported(str(form.get("language", "")))
    came_from = URL(request.headers.get("referer") or "/")
    back = came_from.path + (f"?{came_from.query}" if came_from.query else "")
    target = local_path(form.get("next"), local_path(back, "/"))
    response = back_to(target)
    if language is None:
        return response
    request.session[SESSION_KEY] = language
    participant_id = request.state.actor.participant_id
    if participant_id is not None:
        def remember(session):
            participant = session.get(Participant, participant_id)
            if participant is not None:
                participant.language = language
        await request.app.state.core.write(remember)
    response.set_cookie(COOKIE, language, max_age=YEAR, samesite="lax", httponly=True,
                        secure=request.app.state.core.settings.https)
    return response


def remember_on_sign_in(session_data: dict, language: str | None) -> None:
    """A participant coming back (personal link, another device) finds the language they chose."""
    if i18n.supported(language):
        session_data[SESSION_KEY] = language


routes = [Route("/language", switch, methods=["POST"], name="switch_language")]
