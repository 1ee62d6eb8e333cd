"""Saving the draft, previewing conclusions, and the draft's history; the workbench page is
screens/workbench.py."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from consult.access import room_access, steering_access
from consult.drafting import service as drafting
from consult.markdown import citations
from consult.steering import service as steering
from consult.web.forms import back_to, is_htmx, optional_int
from consult.web.templating import page

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
        saved = await core.write(drafting.save, actor, room_id, base_version=base_version, paragraphs=edits,
                                 conclusions=conclusions)
    except drafting.StaleDraft as stale:
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


async def preview(request: Request):
    await request.app.state.core.read(steering_access, request.state.actor, request.path_params["room_id"])
    form = await request.form()
    source = form.get("conclusions", "")
    return page(request, "drafting/preview.html", {"source": source, "cites": citations(source)})


def history_context(session, actor, room_id: int, query) -> dict:
    """The text's versions, and two of them compared (by default the newest and the one before);
    the versions asked for are read once who may is known."""
    access = room_access(session, actor, room_id)
    versions = drafting.history(session, access)
    to, frm = optional_int(query.get("to"), "to"), optional_int(query.get("from"), "from")
    to = (versions[0]["version"] if versions else 0) if to is None else to
    frm = max(0, to - 1) if frm is None else frm
    return {"room": steering.room_detail(session, access), "versions": versions, "from_v": frm,
            "to_v": to, "rows": drafting.compare(session, access, frm, to)}


async def history(request: Request):
    context = await request.app.state.core.read(history_context, request.state.actor, request.path_params["room_id"],
                                                request.query_params)
    return page(request, "drafting/history.html", context)


routes = [
    Route("/rooms/{room_id:id}/draft", save, methods=["POST"]),
    Route("/rooms/{room_id:id}/conclusions/preview", preview, methods=["POST"]),
    Route("/rooms/{room_id:id}/draft/history", history),
]
