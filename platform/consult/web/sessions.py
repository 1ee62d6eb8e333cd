"""The session a browser's cookie stands for, loaded from the database into scope["session"]
for the request (or socket) and saved back after it: the cookie carries only an opaque id,
so signing out, a password reset or "sign out everywhere" end a session at once."""
from __future__ import annotations

from http.cookies import SimpleCookie

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request

from consult.web.api_errors import domain_error
from consult.db import UNREACHABLE
from consult.errors import Unavailable
from consult.people import sessions
from consult.people.actor import ANONYMOUS
from consult.web.forms import refused

COOKIE = "consult_session"
# Paths that never read who is signed in: no database round trip for them.
SESSIONLESS = ("/static/", "/api/")


class ServerSessionMiddleware:
    def __init__(self, app, db, https: bool = False):
        self.app = app
        self.db = db
        self.flags = "; Secure" if https else ""

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket") or scope["path"].startswith(SESSIONLESS):
            scope["session"] = {}
            return await self.app(scope, receive, send)
        cookie = SimpleCookie(Headers(scope=scope).get("cookie", ""))
        session_id = cookie[COOKIE].value if COOKIE in cookie else None
        try:
            loaded = await run_in_threadpool(self.db.read, sessions.load, session_id)
        except UNREACHABLE:
            return await self._unavailable(scope, receive, send)
        if loaded is None:
            session_id, loaded = None, {}
        scope["session"] = dict(loaded)
        if scope["type"] == "websocket":
            return await self.app(scope, receive, send)

        failed = False

        async def send_with_session(message):
            nonlocal failed
            if failed:
                return  # the app's own answer is replaced by the 503 already sent
            if message["type"] == "http.response.start" and scope["session"] != loaded:
                data = scope["session"]
                rotate = (data.get("pid"), data.get("oid")) != (loaded.get("pid"), loaded.get("oid"))
                try:
                    new_id, _ = await run_in_threadpool(self.db.write, sessions.save, session_id, data, rotate)
                except UNREACHABLE:
                    # The work was done but who did it cannot be remembered: say so, and let
                    # the client retry (its idempotency key makes that safe).
                    failed = True
                    return await self._unavailable(scope, receive, send)
                value = (f"{COOKIE}={new_id}; Max-Age={int(sessions.LIFETIME.total_seconds())}" if new_id
                         else f"{COOKIE}=; Max-Age=0")
                message.setdefault("headers", []).append(
                    (b"set-cookie", f"{value}; Path=/; HttpOnly; SameSite=Lax{self.flags}".encode()))
            await send(message)

        await self.app(scope, receive, send_with_session)

    async def _unavailable(self, scope, receive, send):
        """Who is asking cannot be looked up: the app's usual 503, for an unknown visitor."""
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1013})
        scope["session"] = {}
        scope.setdefault("state", {})["actor"] = ANONYMOUS
        request = Request(scope, receive)
        response = domain_error(Unavailable()) if scope["path"].startswith("/api/") else refused(request, Unavailable())
        await response(scope, receive, send)
