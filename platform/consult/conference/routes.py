"""The event's home page and the privacy page."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from consult.conference import service
from consult.consolidation.service import documents_overview
from consult.web.templating import page
from consult.i18n import _


async def index(request: Request):
    slug = await request.app.state.core.read(service.first_event_slug)
    if slug is None:
        return page(request, "message.html", {"heading": _("No event yet"),
                                              "message": _("Run `python run.py` to seed the demo conference.")})
    return RedirectResponse(f"/e/{slug}", status_code=302)


async def event_home(request: Request):
    actor = request.state.actor

    def load(session):
        view = service.event_home(session, actor, request.path_params["slug"])
        view["results"] = [d for d in documents_overview(session, actor, service.event_id(session, view["event"]["slug"]))
                           if d["published"]]
        return view

    return page(request, "conference/home.html", await request.app.state.core.read(load))


async def privacy(request: Request):
    return page(request, "privacy.html", {})


routes = [
    Route("/", index),
    Route("/e/{slug}", event_home),
    Route("/privacy", privacy),
]
