"""The organiser's synthesis page and its projector view."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from consult import i18n
from consult.conference.service import first_event_slug
from consult.web.guards import organisers_only
from consult.people.models import SECTORS
from consult.synthesis import service
from consult.web.forms import optional_int
from consult.web.templating import page


async def _context(core, actor) -> dict:
    slug = await core.read(first_event_slug)
    return {"s": await core.read(service.synthesis, actor, slug), "sectors_all": i18n.Translated(SECTORS)}


@organisers_only
async def synthesis_page(request):
    core, actor = request.app.state.core, request.state.actor
    return page(request, "synthesis/page.html", await _context(core, actor))


@organisers_only
async def projector(request):
    core, actor = request.app.state.core, request.state.actor
    return page(request, "synthesis/projector.html", await _context(core, actor))


async def paragraph_themes(request: Request):
    """The themes beside one paragraph: a room's own (its rapporteur) or the event's (organisers)."""
    core, actor = request.app.state.core, request.state.actor
    pid, room_id = request.path_params["paragraph_id"], optional_int(request.query_params.get("room"), "room")
    if room_id is not None:
        found = await core.read(service.room_themes, actor, room_id)
    else:
        found = await core.read(service.paragraph_event_themes, actor, pid)
    return page(request, "synthesis/_paragraph_themes.html", {"paragraph_themes": found, "pid": pid})


routes = [
    Route("/organiser/synthesis", synthesis_page),
    Route("/organiser/synthesis/projector", projector),
    Route("/synthesis/paragraphs/{paragraph_id:id}/themes", paragraph_themes),
]
