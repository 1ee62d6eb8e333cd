"""Request bodies are refused past their limit while they arrive: the declared length first,
then every byte counted, so a 200 MB POST is turned away without being held in memory. The
route reading the body is told (TooLarge) and answers; past the route, or before it (the CSRF
check reads a form's body), a short refusal of its own."""
from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, PlainTextResponse

from consult.errors import TooLarge

KIB = 1024


def over(limit: int) -> str:
    return f"The request body is over {limit // KIB} KiB."


class BodyLimitMiddleware:
    """`limits` maps path prefixes to a byte limit and what to say past it (the longest prefix
    wins); `default` is the limit everywhere else."""

    def __init__(self, app, limits: dict[str, tuple[int, str]], default: int):
        self.app = app
        self.limits = sorted(limits.items(), key=lambda item: -len(item[0]))
        self.default = (default, over(default))

    def limit_for(self, path: str) -> tuple[int, str]:
        return next((limit for prefix, limit in self.limits if path.startswith(prefix)), self.default)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit, detail = self.limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and not declared.isdigit():
            return await self._refuse(scope, receive, send, detail)
        refused = declared is not None and int(declared) > limit
        received, started = 0, False

        async def counted_receive():
            nonlocal received, refused
            # A declared length over the limit is refused before a byte of it is read.
            if not refused:
                message = await receive()
                received += len(message.get("body", b""))
                refused = received > limit
            if refused:
                # Raised inside a route, the app's handler answers it in the route's own terms
                # (the page with its form, in the reader's language).
                raise TooLarge(detail)
            return message

        async def watched_send(message):
            nonlocal started
            if message["type"] == "http.response.start" and refused:
                # The rest of the body is never read: the server is to stop, not drain it.
                message = {**message, "headers": [*message.get("headers", []), (b"connection", b"close")]}
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except TooLarge:
            if started:
                raise
            await self._refuse(scope, receive, send, detail)

    async def _refuse(self, scope, receive, send, detail: str):
        # Connection: close, so the server stops reading the rest instead of draining it.
        headers = {"Connection": "close"}
        if scope["path"].startswith("/api/"):
            response = JSONResponse({"error": "too_large", "detail": detail}, 413, headers=headers)
        else:
            response = PlainTextResponse(detail, 413, headers=headers)
        await response(scope, receive, send)
