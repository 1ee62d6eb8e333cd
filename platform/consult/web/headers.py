"""Security headers on every response. The pages run no inline script and no inline style
(static/js/attributes.js does what `onclick` and `style` attributes did), so the policy needs
no nonce and no 'unsafe-*' source; htmx only compiles code for hx-on and js: values, which
the templates do not use."""
from __future__ import annotations

import re

POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
          "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {frame}")
# The projector screen may be framed by the organisers' own pages (a console with a preview);
# nothing else may be framed at all, least of all the console.
FRAMEABLE = re.compile(r"^/rooms/\d+/projector$")
HSTS = b"max-age=31536000; includeSubDomains"


def headers_for(path: str, https: bool) -> list[tuple[bytes, bytes]]:
    frameable = bool(FRAMEABLE.match(path))
    headers = [
        (b"content-security-policy", POLICY.format(frame="'self'" if frameable else "'none'").encode()),
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
        extra = headers_for(scope["path"], self.https)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
