"""Posting comments and support from the room page."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from consult.contributions import service
from consult.drafting.service import form_context
from consult.errors import DomainError
from consult.web.forms import Refusal, back_to, is_htmx, optional_int, refused
from consult.web.templating import page


async def post_comment(request: Request):
    core = request.app.state.core
    actor = request.state.actor
    room_id = request.path_params["room_id"]
    form = await request.form()
    values = {"text": form.get("text", ""), "attribution": form.get("attribution", "sector"),
              "language": form.get("language", "")}
    paragraph_id = parent_id = None
    try:
        paragraph_id = optional_int(form.get("paragraph_id"), "paragraph_id")
        parent_id = optional_int(form.get("parent_id"), "parent_id")
        comment, _created = await core.write(
            service.post_comment, actor, room_id, text=values["text"], paragraph_id=paragraph_id, parent_id=parent_id,
            attribution=values["attribution"], idempotency_key=form.get("idempotency_key"),
            max_chars=core.settings.comment_max_chars,
            language=values["language"])
    except DomainError as error:
        if not is_htmx(request):
            return refused(request, error)
        # The form comes back with what was typed and why it was refused; its key is kept, so
        # sending it again after a fix cannot post twice.
        refusal = Refusal.of(error, form)
        return page(request, "contributions/posted.html", {
            "room_id": room_id, "paragraph_id": paragraph_id, "parent_id": parent_id, "values": values,
            "errors": refusal.fields, "message": refusal.message,
            "key": form.get("idempotency_key"), "comment": None,
            **await core.read(form_context, room_id, paragraph_id)}, status=refusal.status)
    if not is_htmx(request):
        return back_to(f"/rooms/{room_id}#c-{comment['id']}")
    return page(request, "contributions/posted.html", {
        "room_id": room_id, "paragraph_id": comment["paragraph_id"], "parent_id": comment["parent_id"],
        "values": {"attribution": values["attribution"], "language": values["language"]}, "errors": {}, "message": None, "key": None,
        "comment": comment, **await core.read(form_context, room_id, comment["paragraph_id"])})


async def set_support(request: Request):
    core = request.app.state.core
    actor = request.state.actor
    comment_id = request.path_params["comment_id"]
    form = await request.form()
    on = form.get("on") == "1"
    result = await core.write(service.set_support, actor, comment_id, on=on)
    if not is_htmx(request):
        return back_to(request.headers.get("referer") or "/")
    return page(request, "contributions/supported.html",
                {"comment": {"id": comment_id, "support": result["support"]}, "supported": result["supported"]})


async def mark_taken(request: Request):
    core = request.app.state.core
    form = await request.form()
    await core.write(service.mark_taken, request.state.actor, request.path_params["comment_id"],
                     taken=form.get("taken") == "1")
    return back_to(request.headers.get("referer") or "/")


routes = [
    Route("/rooms/{room_id:id}/comments", post_comment, methods=["POST"]),
    Route("/comments/{comment_id:id}/support", set_support, methods=["POST"]),
    Route("/comments/{comment_id:id}/taken", mark_taken, methods=["POST"]),
]
