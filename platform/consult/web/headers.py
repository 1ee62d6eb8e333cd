"""Security headers on every response. The pages run no inline script and no style attribute
(static/js/attributes.js does what `onclick` and `style` attributes did), so the policy has
no 'unsafe-*' source; htmx only compiles code for hx-on and js: values, which the templates do
not use. The one <style> element a page must carry (the print view's running header, made
from the document) is let in by a nonce made for each response (request.state.csp_nonce)."""
from __future__ import annotations

import re
import secrets

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; "
          "font-src 'self'; "
          "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {frame}")
# The projector screen may be framed by the organisers' own pages (a console with a preview);
# nothing else may be framed at all, least of all the console.
FRAMEABLE = re.compile(r"^/rooms/\d+/projector$")
HSTS = b"max-age=31536000; includeSubDomains"


def headers_for(path: str, https: bool, nonce: str) -> list[tuple[bytes, bytes]]:
    frameable = bool(FRAMEABLE.match(path))
    headers = [
        (b"content-security-policy", POLICY.format(frame="'self'" if frameable else "'none'", nonce=nonce).encode()),
        (b"x-frame-options", b"SAMEORIGIN" if frameable else b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        # Same-origin pages still send it: a refusal's "Back" link is the page it came from.
        (b"referrer-policy", b"same-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if https:
        headers.append((b"strict-transport-security", HSTS))
    return headers


class SecurityHeadersMiddleware:
    def __init__(self, app, https: bool = False):
        self.app = app
        self.https = https

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        extra = headers_for(scope["path"], self.https, nonce)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
