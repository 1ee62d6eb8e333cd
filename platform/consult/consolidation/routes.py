"""The consolidated documents: consolidate, resolve, publish, read, print, show in plenary."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from consult.consolidation import compare as comparison, editorial, files, plenary, service
from consult.errors import Invalid
from consult.i18n import _, ngettext
from consult.organiser import confirm
from consult.rooms.phases import PHASE_LABELS
from consult.web.forms import Refusal, back_to, done, optional_int
from consult.web.templating import page


async def index(request: Request):
    core = request.app.state.core
    actor = request.state.actor
    document_id = request.path_params["document_id"]
    if not actor.is_organiser:
        latest = await core.read(service.get_version, actor, document_id)
        return RedirectResponse(f"/documents/{document_id}/consolidated/{latest['version']}", status_code=302)
    versions = await core.read(service.list_versions, actor, document_id)
    rooms = await core.read(editorial.rooms_to_choose, actor, document_id=document_id)
    plan = await core.read(service.consolidation_plan, actor, document_id)
    return page(request, "consolidation/index.html", {"document_id": document_id, "versions": versions,
                                                       "rooms": rooms, "title": plan["title"]})


async def consolidate(request: Request):
    core = request.app.state.core
    document_id = request.path_params["document_id"]
    form = await request.form()
    plan = await core.read(service.consolidation_plan, request.state.actor, document_id)
    if plan["still_open"] and not confirm.confirmed(form):
        rooms = ", ".join(_("%(room)s (%(phase)s)", room=r["name"], phase=_(PHASE_LABELS[r["phase"]]))
                          for r in plan["still_open"])
        n = len(plan["still_open"])
        return confirm.ask(
            request, form, cancel=f"/documents/{document_id}/consolidated",
            heading=ngettext("Consolidate “%(title)s” while %(num)s room is still at work?",
                             "Consolidate “%(title)s” while %(num)s rooms are still at work?", n, title=plan["title"]),
            changes=[_("make version %(version)s from each room's text as it is now", version=plan["next_version"]),
                     ngettext("leave out what this room changes after now: %(rooms)s",
                              "leave out what these rooms change after now: %(rooms)s", n, rooms=rooms),
                     _("leave the rooms open: consolidate again once they close, or close them first from the "
                       "dashboard")],
            button=_("Consolidate with the rooms still open"))
    made = await core.write(service.consolidate, request.state.actor, document_id)
    said = "?unchanged=1" if made["unchanged"] else ""
    return back_to(f"/documents/{document_id}/consolidated/{made['version']}{said}")


async def show(request: Request):
    core = request.app.state.core
    document_id, version = request.path_params["document_id"], request.path_params["version"]
    if request.url.path.endswith("/plenary"):
        view = await core.read(service.get_version, request.state.actor, document_id, version)
        title = await core.read(service.event_title, view["event_id"])
        return page(request, "consolidation/plenary.html", {"v": view, "slides": plenary.slides(view),
                                                             "event_title": title})
    return await version_page(request, document_id, version)


async def version_page(request: Request, document_id: int, version: int, refused: Refusal | None = None,
                       status: int = 200):
    """A version as its page; with `refused`, one of its forms sent back with what was typed and
    why it was refused, next to the field at fault."""
    core = request.app.state.core
    view = await core.read(service.get_version, request.state.actor, document_id, version)
    editable = False
    if request.state.actor.is_organiser and not view["published"]:
        versions = await core.read(service.list_versions, request.state.actor, document_id)
        editable = versions[0]["version"] == version
    return page(request, "consolidation/version.html", {
        "v": view, "marks": request.query_params.get("marks", "on") != "off", "editable": editable,
        "unchanged": request.query_params.get("unchanged") == "1", "refused": refused}, status=status)


async def sent_back(request: Request, form, form_id: str, error: Invalid):
    """The version's page with the refused form (`form_id`) as it was sent; the message is the
    problem of the form's field it is about (choice, text, note), or, about the version itself
    (not the latest, no such conflict), said at the top of the page."""
    params = request.path_params
    refused = Refusal.of(error, form, form_id, said_at=("choice", "text", "note"))
    return await version_page(request, params["document_id"], params["version"], refused, error.status)


async def edit(request: Request):
    core = request.app.state.core
    document_id, version = request.path_params["document_id"], request.path_params["version"]
    form = await request.form()
    key = request.path_params["key"]
    try:
        made = await core.write(editorial.edit_paragraph, request.state.actor, document_id=document_id,
                                version=version, key=key, text=form.get("text"), note=form.get("note"))
    except Invalid as error:
        return await sent_back(request, form, f"edit-form-{key}", error)
    return back_to(f"/documents/{document_id}/consolidated/{made['version']}#{key}")


async def exclude(request: Request):
    core = request.app.state.core
    document_id = request.path_params["document_id"]
    form = await request.form()
    ids = [optional_int(v, "room_ids") for v in form.getlist("excluded")]
    rooms = await core.write(editorial.set_excluded_rooms, request.state.actor, document_id=document_id, room_ids=ids)
    left_out = [r["name"] for r in rooms if r["excluded"]]
    notice = (ngettext("%(num)s room is left out of the next consolidations: %(rooms)s.",
                       "%(num)s rooms are left out of the next consolidations: %(rooms)s.", len(left_out),
                       rooms=", ".join(left_out))
              if left_out else _("Every room is in the next consolidations."))
    return done(request, f"/documents/{document_id}/consolidated", notice)


async def resolve(request: Request):
    core = request.app.state.core
    document_id, version = request.path_params["document_id"], request.path_params["version"]
    form = await request.form()
    try:
        made = await core.write(service.resolve, request.state.actor, document_id, version=version,
                                key=form.get("key", ""), choice=form.get("choice", ""), text=form.get("text"),
                                note=form.get("note"))
    except Invalid as error:
        return await sent_back(request, form, f"resolve-form-{form.get('key', '')}", error)
    return back_to(f"/documents/{document_id}/consolidated/{made['version']}#{form.get('key')}")


async def resolve_hunk(request: Request):
    core = request.app.state.core
    params = request.path_params
    form = await request.form()
    try:
        made = await core.write(service.resolve_hunk, request.state.actor, document_id=params["document_id"],
                                version=params["version"], key=params["key"], hunk=params["hunk"],
                                choice=form.get("choice", ""), text=form.get("text"), note=form.get("note"))
    except Invalid as error:
        return await sent_back(request, form, f"resolve-form-{params['key']}-{params['hunk']}", error)
    return back_to(f"/documents/{params['document_id']}/consolidated/{made['version']}#{params['key']}")


async def publish(request: Request):
    core = request.app.state.core
    document_id, version = request.path_params["document_id"], request.path_params["version"]
    await core.write(service.publish, request.state.actor, document_id, version=version)
    return back_to(f"/documents/{document_id}/consolidated/{version}")


async def compare(request: Request):
    core = request.app.state.core
    actor = request.state.actor
    document_id, version = request.path_params["document_id"], request.path_params["version"]
    other = optional_int(request.query_params.get("with"), "with") or 0
    view = await core.read(service.get_version, actor, document_id, version)
    rows = await core.read(comparison.compare, actor, document_id, other, version)
    versions = await core.read(service.list_versions, actor, document_id) if actor.is_organiser else []
    return page(request, "consolidation/compare.html", {"v": view, "other": other, "rows": rows,
                                                         "versions": versions})


async def print_view(request: Request):
    core = request.app.state.core
    view, doc, _ = await core.read(files.prepare, request.state.actor, document_id=request.path_params["document_id"],
                                   version=request.path_params["version"])
    marks = request.query_params.get("marks", "on") != "off"
    return page(request, "consolidation/print.html", files.print_context(view, doc, marks))


async def download(request: Request, actor, kind: str) -> Response:
    """One file of a version, built off the event loop; shared by the page and the API."""
    core = request.app.state.core
    view, doc, event = await core.read(files.prepare, actor, document_id=request.path_params["document_id"],
                                       version=request.path_params["version"])
    data = await run_in_threadpool(files.render, view, doc, kind, request.query_params.get("marks", "on") != "off")
    name = files.filename(view, event, kind)
    await core.write(files.record_download, actor, view=view, name=name)
    return Response(data, media_type=files.MEDIA[kind],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def downloads(prefix: str, who) -> list[Route]:
    def handler(kind):
        async def endpoint(request: Request):
            return await download(request, await who(request), kind)
        endpoint.__name__ = f"export_{kind}"
        return endpoint
    return [Route(f"{prefix}/export.{kind}", handler(kind)) for kind in files.MEDIA]


async def _session_actor(request: Request):
    return request.state.actor


routes = [
    Route("/documents/{document_id:id}/consolidated", index),
    Route("/documents/{document_id:id}/consolidations", consolidate, methods=["POST"]),
    Route("/documents/{document_id:id}/consolidated/{version:id}", show),
    Route("/documents/{document_id:id}/consolidated/{version:id}/plenary", show),
    Route("/documents/{document_id:id}/consolidated/{version:id}/resolve", resolve, methods=["POST"]),
    Route("/documents/{document_id:id}/consolidated/{version:id}/conflicts/{key}/{hunk}", resolve_hunk,
          methods=["POST"]),
    Route("/documents/{document_id:id}/consolidated/{version:id}/publish", publish, methods=["POST"]),
    Route("/documents/{document_id:id}/consolidated/{version:id}/compare", compare),
    Route("/documents/{document_id:id}/consolidated/{version:id}/paragraphs/{key}", edit, methods=["POST"]),
    Route("/documents/{document_id:id}/excluded-rooms", exclude, methods=["POST"]),
    Route("/documents/{document_id:id}/consolidated/{version:id}/print", print_view),
    *downloads("/documents/{document_id:id}/consolidated/{version:id}", _session_actor),
]
