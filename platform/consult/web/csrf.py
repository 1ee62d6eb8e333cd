"""Double-submit CSRF protection for the HTML side, as a plain ASGI middleware.

starlette-csrf breaks websockets; this one leaves them to the socket route's Origin check.
The token lives in a cookie and in every page (a header for htmx, a hidden field for plain
forms); an unsafe request must bring both, and they must match. The JSON API is exempt: it
authenticates with bearer tokens, which a foreign page cannot make a browser send.
"""
from __future__ import annotations

import secrets
from http.cookies import SimpleCookie
from urllib.parse import parse_qs, urlsplit

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse

COOKIE = "consult_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}
MAX_FORM_BYTES = 256 * 1024


def same_origin(headers: Headers) -> bool:
    """A request from a page of ours, or from a client that sends no Origin (curl, tests)."""
    origin = headers.get("origin")
    if not origin:
        return True
    host = headers.get("host", "")
    return urlsplit(origin).netloc == host


class CSRFMiddleware:
    def __init__(self, app, secure: bool = False):
        self.app = app
        self.secure = secure

    async def __call__(self, scope, receive, send):
        # The API authenticates by bearer token, which a browser never sends by itself: it has no
        # forms to protect and no use for the cookie (setting one cost every API response).
        if scope["type"] != "http" or scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        cookie = SimpleCookie(headers.get("cookie", ""))
        token = cookie[COOKIE].value if COOKIE in cookie else None
        fresh = token is None or len(token) != 43
        if fresh:
            token = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_token"] = token

        if scope["method"] not in SAFE:
            body, receive = await _buffer(receive, headers)
            if body is None:
                return await PlainTextResponse("The form is too large.", 413)(scope, receive, send)
            if fresh or not same_origin(headers) or not _carries(headers, body, token):
                response = PlainTextResponse(
                    "This form has expired or did not come from this site. Reload the page and try again.", 403)
                return await response(scope, receive, send)

        async def send_with_cookie(message):
            if fresh and message["type"] == "http.response.start":
                flags = "; Secure" if self.secure else ""
                message.setdefault("headers", []).append(
                    (b"set-cookie", f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{flags}".encode()))
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _carries(headers: Headers, body: bytes, token: str) -> bool:
    sent = headers.get(HEADER)
    if sent is None and headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        sent = (parse_qs(body.decode("latin-1")).get(FIELD) or [None])[0]
    return sent is not None and secrets.compare_digest(sent, token)


async def _buffer(receive, headers: Headers):
    """Read the body once (bounded) and hand the app a receive that replays it."""
    needs_body = HEADER not in headers
    chunks, size, more = [], 0, True
    while needs_body and more:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None, receive
        chunks.append(chunk)
        more = message.get("more_body", False)
    body = b"".join(chunks)
    if not needs_body:
        return body, receive
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return body, replay
