"""The audit log page, filtered by kind, person, room and time, and the same rows as CSV."""
from __future__ import annotations

import io

from sqlalchemy import select
from starlette.responses import Response
from starlette.routing import Route

from consult.audit.service import entries, filters_from
from consult.audit.words import KIND_LABELS
from consult.conference.models import ConferenceSession
from consult.conference.service import event_id, first_event_slug
from consult.workbook import Column, Table, write_csv
from consult.web.guards import organisers_only
from consult.rooms.models import Room
from consult.web.templating import page
from consult.i18n import N_


async def _load(core, actor, filters, limit):
    slug = await core.read(first_event_slug)

    def load(session):
        found = event_id(session, slug)
        rooms = dict(session.execute(select(Room.id, Room.name).join(ConferenceSession)
                                     .where(ConferenceSession.event_id == found)
                                     .order_by(ConferenceSession.position, Room.position)).all())
        return slug, rooms, entries(session, actor, found, limit=limit, **filters)
    return await core.read(load)


@organisers_only
async def audit_page(request):
    core, actor = request.app.state.core, request.state.actor
    filters = filters_from(request.query_params)
    slug, rooms, rows = await _load(core, actor, filters, 500)
    return page(request, "organiser/audit.html", {"entries": rows, "rooms": rooms, "kinds": KIND_LABELS,
                                                  "filters": filters, "query": request.url.query})


@organisers_only
async def audit_csv(request):
    core, actor = request.app.state.core, request.state.actor
    filters = filters_from(request.query_params)
    slug, _, rows = await _load(core, actor, filters, None)
    table = Table(N_("Audit"), [Column(N_("When (UTC)")), Column(N_("Who")), Column(N_("Role")), Column(N_("Kind")), Column(N_("Room")),
                            Column(N_("What")), Column(N_("Action"))],
                  ([e["at"], e["actor"], e["role"], e["kind"], e["room"], e["what"], e["action"]] for e in rows))
    out = io.StringIO()
    write_csv(table, out)
    scope = "-filtered" if any(v is not None for v in filters.values()) else ""
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="audit-{slug}{scope}.csv"'})


routes = [
    Route("/organiser/audit", audit_page),
    Route("/organiser/audit.csv", audit_csv),
]
