"""The consolidated documents: consolidate, resolve, publish, read, print, show in plenary."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from consult.consolidation import service
from consult.web.forms import back_to, optional_int
from consult.web.templating import page


async def index(request: Request):
    core = request.app.state.core
    actor = request.state.actor
    document_id = request.path_params["document_id"]
    if not actor.is_organiser:
        latest = await core.read(service.get_version, actor, document_id)
        return RedirectResponse(f"/documents/{document_id}/consolidated/{latest['version']}", status_code=302)
    versions = await core.read(service.list_versions, actor, document_id)
    return page(request, "consolidation/index.html", {"document_id": document_id, "versions": versions})


async def consolidate(request: Request):
    core = request.app.state.core
    document_id = request.path_params["document_id"]
    made = await core.write(service.consolidate, request.state.actor, document_id)
    return back_to(f"/documents/{document_id}/consolidated/{made['version']}")


async def show(request: Request):
    core = request.app.state.core
    document_id, version = request.path_params["document_id"], request.path_params["version"]
    view = await core.read(service.get_version, request.state.actor, document_id, version)
    marks = request.query_params.get("marks", "on") != "off"
    template = "consolidation/plenary.html" if request.url.path.endswith("/plenary") else "consolidation/version.html"
    return page(request, template, {"v": view, "marks": marks})


async def resolve(request: Request):
    core = request.app.state.core
    document_id, version = request.path_params["document_id"], request.path_params["version"]
    form = await request.form()
    made = await core.write(service.resolve, request.state.actor, document_id, version, form.get("key", ""),
                            form.get("choice", ""), form.get("text"), form.get("note"))
    return back_to(f"/documents/{document_id}/consolidated/{made['version']}#{form.get('key')}")


async def publish(request: Request):
    core = request.app.state.core
    document_id, version = request.path_params["document_id"], request.path_params["version"]
    await core.write(service.publish, request.state.actor, document_id, version)
    return back_to(f"/documents/{document_id}/consolidated/{version}")


async def compare(request: Request):
    core = request.app.state.core
    actor = request.state.actor
    document_id, version = request.path_params["document_id"], request.path_params["version"]
    other = optional_int(request.query_params.get("with"), "with") or 0
    view = await core.read(service.get_version, actor, document_id, version)
    rows = await core.read(service.compare, actor, document_id, other, version)
    versions = await core.read(service.list_versions, actor, document_id) if actor.is_organiser else []
    return page(request, "consolidation/compare.html", {"v": view, "other": other, "rows": rows,
                                                         "versions": versions})


routes = [
    Route("/documents/{document_id:int}/consolidated", index),
    Route("/documents/{document_id:int}/consolidations", consolidate, methods=["POST"]),
    Route("/documents/{document_id:int}/consolidated/{version:int}", show),
    Route("/documents/{document_id:int}/consolidated/{version:int}/plenary", show),
    Route("/documents/{document_id:int}/consolidated/{version:int}/resolve", resolve, methods=["POST"]),
    Route("/documents/{document_id:int}/consolidated/{version:int}/publish", publish, methods=["POST"]),
    Route("/documents/{document_id:int}/consolidated/{version:int}/compare", compare),
]
