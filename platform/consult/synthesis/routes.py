"""The organiser's synthesis page and its projector view."""
from __future__ import annotations

from starlette.routing import Route

from consult.conference.service import first_event_slug
from consult.organiser.routes import organisers_only
from consult.people.models import SECTORS
from consult.synthesis import service
from consult.web.templating import page


async def _context(core, actor) -> dict:
    slug = await core.read(first_event_slug)
    return {"s": await core.read(service.synthesis, actor, slug), "sectors_all": SECTORS}


@organisers_only
async def synthesis_page(request, core, actor):
    return page(request, "synthesis/page.html", await _context(core, actor))


@organisers_only
async def projector(request, core, actor):
    return page(request, "synthesis/projector.html", await _context(core, actor))


routes = [
    Route("/organiser/synthesis", synthesis_page),
    Route("/organiser/synthesis/projector", projector),
]
