"""Reactions, priority dots and answering quick polls from the pages (asking one is the
workbench's: screens/workbench.py, which shows its form again when it is refused)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from consult.engagement import service
from consult.web.forms import back_to, is_htmx, optional_int
from consult.web.templating import page


async def react(request: Request):
    core = request.app.state.core
    room_id = request.path_params["room_id"]
    form = await request.form()
    discuss = form.get("discuss")
    paragraph_id = optional_int(form.get("paragraph_id"), "paragraph_id")
    result = await core.write(service.react, request.state.actor, room_id, paragraph_id=paragraph_id,
                              stance=form.get("stance") if "stance" in form else None,
                              needs_discussion=None if discuss is None else discuss == "1")
    if not is_htmx(request):
        return back_to(f"/rooms/{room_id}#p-{paragraph_id}")
    return page(request, "engagement/reacted.html", {"room_id": room_id, "paragraph_id": paragraph_id,
                                                     "mine": result})


async def dots(request: Request):
    core = request.app.state.core
    room_id = request.path_params["room_id"]
    form = await request.form()
    target_id = optional_int(form.get("target_id"), "target_id")
    count = optional_int(form.get("dots"), "dots")
    result = await core.write(service.set_dots, request.state.actor, room_id, target_type=form.get("target_type"),
                              target_id=target_id, dots=count)
    if not is_htmx(request):
        return back_to(f"/rooms/{room_id}")
    return page(request, "engagement/dotted.html", {"room_id": room_id, "r": result,
                                                    "said": service.dots_left_text(result["left"], result["total"])})


async def answer(request: Request):
    core = request.app.state.core
    poll_id = request.path_params["poll_id"]
    form = await request.form()
    chosen = [n for n in (optional_int(v, "option") for v in form.getlist("option")) if n is not None]
    result = await core.write(service.answer, request.state.actor, poll_id, chosen=chosen)
    if not is_htmx(request):
        return back_to(request.headers.get("referer") or "/")
    return page(request, "engagement/answered.html", {"poll": result})


async def results(request: Request):
    """A poll's results as this viewer may see them: what their page fetches when others answer."""
    poll = await request.app.state.core.read(service.poll_for, request.state.actor, request.path_params["poll_id"])
    return page(request, "engagement/results.html", {"poll": poll})


async def close(request: Request):
    core = request.app.state.core
    poll = await core.write(service.close_poll, request.state.actor, request.path_params["poll_id"])
    return back_to(f"/rooms/{poll['room_id']}/workbench")


routes = [
    Route("/rooms/{room_id:id}/reactions", react, methods=["POST"]),
    Route("/rooms/{room_id:id}/dots", dots, methods=["POST"]),
    Route("/polls/{poll_id:id}/answer", answer, methods=["POST"]),
    Route("/polls/{poll_id:id}/results", results),
    Route("/polls/{poll_id:id}/close", close, methods=["POST"]),
]
