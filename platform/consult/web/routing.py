"""Starlette's router, with each request's candidate routes found by the path's first segment.

Starlette tries every route in order, a regular expression each, until one matches: with
120 routes, the API's (listed last) cost about 170 µs of matching per request, a sixth of a
comment post's CPU. Every route path starts with a literal segment ("/api/...", "/rooms/...",
"/" as ""), and a path can only match a route of its own first segment, so trying just
those, in the same order, picks the same route, or the same partial match (405). A request
that matches nothing there is handed to Starlette's own loop, which answers it as before
(the slash redirect, the 404)."""
from __future__ import annotations

from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match, Router
from starlette.types import Receive, Scope, Send


def _segment(path: str) -> str:
    return path.split("/", 2)[1] if path.startswith("/") else path


class SegmentRouter(Router):
    def __init__(self, routes: list[BaseRoute], **kwargs):
        super().__init__(routes, **kwargs)
        self._by_segment: dict[str, list[BaseRoute]] | None = {}
        for route in self.routes:
            path = getattr(route, "path", None)
            if not isinstance(path, str) or "{" in _segment(path):
                # A route whose first segment is a parameter could match anything: no index.
                self._by_segment = None
                break
            self._by_segment.setdefault(_segment(path), []).append(route)

    def pick(self, scope: Scope) -> tuple[BaseRoute, Scope] | None:
        """The route Starlette's loop would hand the request to (the first full match, else the
        first partial one), looked for among the routes of the path's first segment; None
        when none of them matches."""
        partial = None
        for route in self._by_segment.get(_segment(get_route_path(scope)), ()):
            match, child_scope = route.matches(scope)
            if match is Match.FULL:
                return route, child_scope
            if match is Match.PARTIAL and partial is None:
                partial = route, child_scope
        return partial

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        picked = self.pick(scope) if self._by_segment is not None and scope["type"] != "lifespan" else None
        if picked is None:
            await super().app(scope, receive, send)
            return
        route, child_scope = picked
        scope.setdefault("router", self)
        scope["route"] = route
        scope.update(child_scope)
        await route.handle(scope, receive, send)
