"""The room page and its join QR code."""
from __future__ import annotations

import segno
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from consult.contributions.service import list_comments, supported_by
from consult.errors import Forbidden
from consult.rooms.service import check_can_read, room_detail
from consult.web.templating import page


async def room_page(request: Request):
    core = request.app.state.core
    actor = request.state.actor
    room_id = request.path_params["room_id"]
    sort = "support" if request.query_params.get("sort") == "support" else "new"

    def load(session):
        room = room_detail(session, actor, room_id)
        return room, list_comments(session, actor, room_id, sort), supported_by(session, actor, room_id)

    try:
        room, comments, supports = await core.read(load)
    except Forbidden:
        return RedirectResponse("/", status_code=302)
    counts: dict = {}
    for c in comments:
        counts[c["paragraph_id"]] = counts.get(c["paragraph_id"], 0) + 1
    return page(request, "rooms/room.html", {
        "room": room, "comments": comments, "supports": supports, "counts": counts, "sort": sort,
        "presence": core.hub.presence(room_id)})


async def join_qr(request: Request):
    core = request.app.state.core
    room, _ = await core.read(check_can_read, request.state.actor, request.path_params["room_id"])
    url = str(request.url_for("join_form").include_query_params(code=room.code))
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})


routes = [
    Route("/rooms/{room_id:int}", room_page),
    Route("/rooms/{room_id:int}/qr.svg", join_qr),
]
