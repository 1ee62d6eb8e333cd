"""The organiser's home: every room with its code, the documents to consolidate."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from consult.conference.service import event_id, first_event_slug
from consult.consolidation.service import documents_overview
from consult.demo.activity import fill
from consult.errors import Forbidden
from consult.rooms.service import list_rooms
from consult.web.forms import back_to, refused
from consult.web.templating import page


async def home(request: Request):
    core = request.app.state.core
    actor = request.state.actor
    if not actor.is_organiser:
        return RedirectResponse("/organiser/login", status_code=302)
    slug = await core.read(first_event_slug)

    def load(session):
        return list_rooms(session, actor, slug), documents_overview(session, actor, event_id(session, slug))

    rooms, documents = await core.read(load) if slug else ([], [])
    return page(request, "organiser/home.html", {"slug": slug, "rooms": rooms, "documents": documents})


async def demo_activity(request: Request):
    core = request.app.state.core
    if not request.state.actor.is_organiser:
        return refused(request, Forbidden("Only organisers can do this."))
    await core.write(fill)
    return back_to("/organiser")


routes = [
    Route("/organiser", home),
    Route("/organiser/demo-activity", demo_activity, methods=["POST"]),
]
