"""Proposing, voting on and deciding amendments from the pages."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from consult.amendments import service
from consult.drafting.service import form_context
from consult.errors import DomainError
from consult.access import room_access
from consult.web.forms import Refusal, back_to, is_htmx, optional_int, refused
from consult.web.templating import page


async def propose(request: Request):
    core = request.app.state.core
    actor = request.state.actor
    room_id = request.path_params["room_id"]
    form = await request.form()
    values = {k: form.get(k, "") for k in ("kind", "text", "rationale", "attribution", "language")}
    paragraph_id = None
    try:
        paragraph_id = optional_int(form.get("paragraph_id"), "paragraph_id")
        amendment, _created = await core.write(service.propose, actor, room_id, paragraph_id=paragraph_id,
                                               kind=values["kind"],
                                        text=values["text"], rationale=values["rationale"],
                                        attribution=values["attribution"] or "sector",
                                        idempotency_key=form.get("idempotency_key"), language=values["language"])
    except DomainError as error:
        if not is_htmx(request) or paragraph_id is None:
            return refused(request, error)
        refusal = Refusal.of(error, form)
        return page(request, "amendments/proposed.html", {
            "room_id": room_id, "paragraph_id": paragraph_id, "values": values, "errors": refusal.fields,
            "message": refusal.message, "key": form.get("idempotency_key"), "amendment": None,
            **await core.read(form_context, room_id, paragraph_id)}, status=refusal.status)
    if not is_htmx(request):
        return back_to(f"/rooms/{room_id}#a-{amendment['id']}")
    return page(request, "amendments/proposed.html", {
        "room_id": room_id, "paragraph_id": paragraph_id, "values": {"attribution": values["attribution"], "language": values["language"]},
        "errors": {}, "message": None, "key": None, "amendment": amendment,
        **await core.read(form_context, room_id, paragraph_id)})


async def vote(request: Request):
    core = request.app.state.core
    amendment_id = request.path_params["amendment_id"]
    form = await request.form()
    result = await core.write(service.vote, request.state.actor, amendment_id, choice=form.get("choice"))
    if not is_htmx(request):
        return back_to(request.headers.get("referer") or "/")
    return page(request, "amendments/voted.html", {"a": {"id": amendment_id}, "mine": result["choice"]})


async def decide(request: Request):
    core = request.app.state.core
    amendment_id = request.path_params["amendment_id"]
    form = await request.form()
    text = form.get("text") if form.get("edited") else None
    result = await core.write(service.decide, request.state.actor, amendment_id, decision=form.get("decision"),
                              reason=form.get("reason"), text=text)
    if not is_htmx(request):
        return back_to(f"/rooms/{result['room_id']}/workbench")
    access = await core.read(room_access, request.state.actor, result["room_id"])
    return page(request, "amendments/decided.html", {"a": result, "privileged": access.privileged})


routes = [
    Route("/rooms/{room_id:id}/amendments", propose, methods=["POST"]),
    Route("/amendments/{amendment_id:id}/vote", vote, methods=["POST"]),
    Route("/amendments/{amendment_id:id}/decision", decide, methods=["POST"]),
]
