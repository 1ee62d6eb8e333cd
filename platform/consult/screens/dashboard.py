"""The organiser's console home: every room at a glance, the documents and what waits for
moderation, composed from each feature's reads."""
from __future__ import annotations

from consult.conference.service import event_id, first_event_slug
from consult.consolidation.service import documents_overview
from consult.moderation import service as moderation
from consult.organiser import dashboard
from consult.web.forms import panel
from consult.web.guards import organisers_only
from consult.web.templating import page


@organisers_only
async def home(request):
    core, actor = request.app.state.core, request.state.actor
    slug = await core.read(first_event_slug)

    def load(session):
        return {"slug": slug,
                "rooms": dashboard.rooms_at_a_glance(session, actor, slug, core.hub.presence),
                "documents": documents_overview(session, actor, event_id(session, slug)),
                "queue": moderation.queue(session, actor, event_id(session, slug))}

    context = await core.read(load)
    return page(request, "organiser/home.html", context, block=panel(request, "dashboard"))
