"""The router that looks a request's routes up by the path's first segment (web/routing.py)
picks what Starlette's loop over every route picks: the same route for every path and method
the app serves, the same partial match (405), and nothing where Starlette finds nothing."""
from __future__ import annotations

import re

from consult.app import create_app
from consult.web.routing import SegmentRouter
from starlette.routing import Match

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")
ODD_PATHS = ("/", "/api", "/api/", "/api/v1", "/api/v1/nothing", "/nothing", "/rooms/1/comments/", "/rooms/x",
             "/static", "/static/", "/rooms/99999999999999999999/comments", "//api/v1/rooms/join", "")


def starlettes_pick(routes, scope):
    partial = None
    for route in routes:
        match, child_scope = route.matches(scope)
        if match is Match.FULL:
            return route, child_scope
        if match is Match.PARTIAL and partial is None:
            partial = route, child_scope
    return partial


def sample_path(path: str) -> str:
    return re.sub(r"\{[^}:]+(:path)?[^}]*\}", lambda m: "a/b.css" if m.group(1) else "12", path)


def test_every_path_and_method_goes_to_the_route_starlette_would_pick(settings):
    app = create_app(settings)
    router = app.router
    assert isinstance(router, SegmentRouter) and router._by_segment is not None
    paths = [sample_path(r.path) for r in router.routes] + list(ODD_PATHS)
    checked = 0
    for path in paths:
        for kind, methods in (("http", METHODS), ("websocket", (None,))):
            for method in methods:
                scope = {"type": kind, "path": path, "root_path": "", "headers": [], "query_string": b""}
                if method:
                    scope["method"] = method
                ours, theirs = router.pick(scope), starlettes_pick(router.routes, scope)
                if theirs is None:
                    assert ours is None, (kind, method, path)
                else:
                    assert ours is not None and ours[0] is theirs[0] and ours[1] == theirs[1], (kind, method, path)
                checked += theirs is not None
    assert checked > len(router.routes)
