"""Steering a room (phase, rapporteurs, countdown), its join QR code, and the rapporteurs'
working text (saving it, previewing conclusions, its history); the room page and the workbench
are screens/."""
from __future__ import annotations

import segno
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult.access import room_access, steering_access
from consult.drafting import service as drafting
from consult.markdown import citations
from consult.steering import drafts, service
from consult.web.forms import back_to, is_htmx, optional_int
from consult.web.templating import page


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


async def save(request: Request):
    """One paragraph, or the conclusions, from the workbench."""
    core = request.app.state.core
    actor = request.state.actor
    room_id = request.path_params["room_id"]
    form = await request.form()
    paragraph = form.get("paragraph")
    edits = [{"id": paragraph, "text": form.get("text", ""), "deleted": bool(form.get("deleted"))}] if paragraph else None
    conclusions = form.get("conclusions") if "conclusions" in form else None
    try:
        base_version = optional_int(form.get("base_version"), "base_version") or 0
        saved = await core.write(drafts.save, actor, room_id, base_version=base_version, paragraphs=edits,
                                 conclusions=conclusions)
    except drafts.StaleDraft as stale:
        mine = form.get("text") if paragraph else conclusions
        theirs = next((p["text"] for p in stale.content["paragraphs"] if p["id"] == paragraph),
                      None) if paragraph else stale.content["conclusions"]
        return page(request, "drafting/conflict.html", {
            "room_id": room_id, "paragraph": paragraph, "mine": mine, "theirs": theirs, "version": stale.version,
            "message": stale.detail}, status=409)
    if not is_htmx(request):
        return back_to(f"/rooms/{room_id}/workbench")
    edited = next((p for p in saved["content"]["paragraphs"] if p["id"] == paragraph), None)
    return page(request, "drafting/saved.html", {"room_id": room_id, "version": saved["version"], "p": edited,
                                                 "conclusions": saved["content"]["conclusions"]})


def preview_context(session, actor, room_id: int, source: str) -> dict:
    steering_access(session, actor, room_id)
    return {"source": source, "cites": citations(source), "unknown": drafts.unknown_citations(session, room_id, source)}


async def preview(request: Request):
    form = await request.form()
    context = await request.app.state.core.read(preview_context, request.state.actor, request.path_params["room_id"],
                                                form.get("conclusions", ""))
    return page(request, "drafting/preview.html", context)


def history_context(session, actor, room_id: int, query) -> dict:
    """The text's versions, and two of them compared (by default the newest and the one before);
    the versions asked for are read once who may is known."""
    access = room_access(session, actor, room_id)
    versions = drafting.history(session, access)
    to, frm = optional_int(query.get("to"), "to"), optional_int(query.get("from"), "from")
    to = (versions[0]["version"] if versions else 0) if to is None else to
    frm = max(0, to - 1) if frm is None else frm
    return {"room": service.room_detail(session, access), "versions": versions, "from_v": frm,
            "to_v": to, "rows": drafting.compare(session, access, frm, to)}


async def history(request: Request):
    context = await request.app.state.core.read(history_context, request.state.actor, request.path_params["room_id"],
                                                request.query_params)
    return page(request, "drafting/history.html", context)


routes = [
    Route("/rooms/{room_id:id}/qr.svg", join_qr),
    Route("/rooms/{room_id:id}/phase", set_phase, methods=["POST"]),
    Route("/rooms/{room_id:id}/rapporteurs", make_rapporteur, methods=["POST"]),
    Route("/rooms/{room_id:id}/countdown", countdown, methods=["POST"]),
    Route("/rooms/{room_id:id}/draft", save, methods=["POST"]),
    Route("/rooms/{room_id:id}/conclusions/preview", preview, methods=["POST"]),
    Route("/rooms/{room_id:id}/draft/history", history),
]
