"""Steering a room (phase, rapporteurs, countdown) and its join QR code; the room page itself is
screens/room.py."""
from __future__ import annotations

import segno
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult.access import room_access
from consult.steering import service
from consult.web.forms import back_to, is_htmx, optional_int


async def join_qr(request: Request):
    core = request.app.state.core
    access = await core.read(room_access, request.state.actor, request.path_params["room_id"])
    url = str(request.url_for("join_form").include_query_params(code=access.room.code))
    svg = segno.make(url, error="m").svg_inline(scale=6, border=2)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=300"})


async def set_phase(request: Request):
    core = request.app.state.core
    room_id = request.path_params["room_id"]
    form = await request.form()
    await core.write(service.set_phase, request.state.actor, room_id, phase=form.get("phase"))
    return _done(request, f"/rooms/{room_id}/workbench")


async def make_rapporteur(request: Request):
    core = request.app.state.core
    room_id = request.path_params["room_id"]
    form = await request.form()
    participant_id = optional_int(form.get("participant_id"), "participant_id")
    await core.write(service.make_rapporteur, request.state.actor, room_id, participant_id=participant_id)
    return _done(request, f"/rooms/{room_id}/workbench")


async def countdown(request: Request):
    core = request.app.state.core
    room_id = request.path_params["room_id"]
    form = await request.form()
    await core.write(service.set_countdown, request.state.actor, room_id, minutes=form.get("minutes"))
    return _done(request, request.headers.get("referer") or f"/rooms/{room_id}/workbench")


def _done(request: Request, url: str):
    """Steering actions reach every page through the socket; the acting page just reloads."""
    if is_htmx(request):
        return Response("", headers={"HX-Refresh": "true"})
    return back_to(url)


routes = [
    Route("/rooms/{room_id:id}/qr.svg", join_qr),
    Route("/rooms/{room_id:id}/phase", set_phase, methods=["POST"]),
    Route("/rooms/{room_id:id}/rapporteurs", make_rapporteur, methods=["POST"]),
    Route("/rooms/{room_id:id}/countdown", countdown, methods=["POST"]),
]
