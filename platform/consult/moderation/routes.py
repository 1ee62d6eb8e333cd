"""Moderation pages: the queue (filtered by room and state), one contribution in its context,
and the hide, restore and dismiss actions, reached from the queue, the room page and the workbench."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from starlette.routing import Route

from consult.conference.service import event_id, first_event_slug
from consult.errors import Invalid, NotFound
from consult.moderation import service as moderation
from consult.moderation.models import TARGETS
from consult.web.guards import organisers_only
from consult.web.forms import back_to, done, is_htmx, local_path, optional_int, panel
from consult.web.templating import page
from consult.i18n import N_, _

# What the organiser is told after acting on an item ("comment 12 hidden.").
DONE = {("comment", "hide"): N_("Comment %(id)s hidden."), ("comment", "restore"): N_("Comment %(id)s shown again."),
        ("comment", "dismiss"): N_("Comment %(id)s kept; its reports were dismissed."),
        ("amendment", "hide"): N_("Amendment %(id)s hidden."),
        ("amendment", "restore"): N_("Amendment %(id)s shown again."),
        ("amendment", "dismiss"): N_("Amendment %(id)s kept; its reports were dismissed.")}


async def _queue(core, actor, **filters) -> dict:
    slug = await core.read(first_event_slug)
    return await core.read(lambda s: moderation.queue(s, actor, event_id(s, slug), **filters))


@organisers_only
async def queue_page(request):
    core, actor = request.app.state.core, request.state.actor
    params = request.query_params
    filters = {"room_id": optional_int(params.get("room"), "room"), "state": params.get("state") or "attention"}
    # Where an action on the queue comes back to: this view, without the live refresh's ?panel.
    query = urlencode([(k, v) for k, v in params.multi_items() if k != "panel"])
    here = request.url.path + (f"?{query}" if query else "")
    return page(request, "organiser/moderation.html", dict(await _queue(core, actor, **filters), here=here),
                block=panel(request, "queue"))


def _came_from(request) -> str:
    """Back to where the moderator clicked "Moderate": the room page, the workbench or the queue."""
    referer = urlsplit(request.headers.get("referer", ""))
    same_site = referer.netloc in ("", request.url.netloc)
    path = referer.path + (f"?{referer.query}" if referer.query else "") if same_site else ""
    return local_path(request.query_params.get("next") or path, "/organiser/moderation")


@organisers_only
async def item_page(request):
    core, actor = request.app.state.core, request.state.actor
    return await _item(request, core, actor)


async def _item(request, core, actor, errors=None, status=200, back=None):
    target_type, target_id = request.path_params["target_type"], request.path_params["target_id"]
    if target_type not in TARGETS:
        raise NotFound(_("Moderation applies to comments and amendments."))
    found = await _queue(core, actor, target=(target_type, target_id))
    if not found["items"]:
        raise NotFound(_("No such comment in this event.") if target_type == "comment"
                       else _("No such amendment in this event."))
    back = back or _came_from(request)
    return page(request, "organiser/moderate_item.html",
                dict(found, item=found["items"][0], next=back, errors=errors or {}), status=status)


@organisers_only
async def moderate(request):
    core, actor = request.app.state.core, request.state.actor
    form = await request.form()
    target_type, target_id = request.path_params["target_type"], request.path_params["target_id"]
    action, reason = request.path_params["action"], form.get("reason")
    try:
        if action == "hide":
            await core.write(moderation.hide, actor, target_type=target_type, target_id=target_id, reason=reason)
        elif action == "restore":
            await core.write(moderation.restore, actor, target_type=target_type, target_id=target_id, reason=reason)
        elif action == "dismiss":
            await core.write(moderation.dismiss_flags, actor, target_type=target_type, target_id=target_id,
                             reason=reason)
        else:
            raise NotFound(_("No such moderation action."))
    except Invalid as error:
        return await _item(request, core, actor, errors=dict(error.fields, form=error.detail), status=error.status,
                           back=local_path(form.get("next"), "/organiser/moderation"))
    return done(request, local_path(form.get("next"), "/organiser/moderation"),
                _(DONE[target_type, action], id=target_id))


async def flag(request):
    """A participant reports a comment or amendment to the moderators (from the room page)."""
    core = request.app.state.core
    form = await request.form()
    target_id = optional_int(form.get("target_id"), "target_id")
    await core.write(moderation.flag, request.state.actor, target_type=form.get("target_type", ""), target_id=target_id,
                     reason=form.get("reason"))
    if not is_htmx(request):
        return back_to(request.headers.get("referer") or "/")
    return page(request, "contributions/flagged.html", {})


routes = [
    Route("/organiser/moderation", queue_page),
    Route("/organiser/moderation/{target_type}/{target_id:id}", item_page),
    Route("/moderation/{target_type}/{target_id:id}/{action:str}", moderate, methods=["POST"]),
    Route("/flags", flag, methods=["POST"]),
]
