"""The event's home page (its programme, one's own rooms, the published results) and the privacy page."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from starlette.requests import Request
from starlette.responses import RedirectResponse

from consult import i18n
from consult.conference.models import ConferenceSession, Event
from consult.conference.service import event_id, event_summary, first_event_slug
from consult.consolidation.service import documents_overview
from consult.documents.models import Section
from consult.errors import NotFound
from consult.i18n import _
from consult.people.actor import Actor
from consult.rooms.models import Membership, Room
from consult.rooms.phases import PHASE_LABELS
from consult.web.templating import page


def event_view(session: Session, actor: Actor, slug: str) -> dict:
    event = session.scalar(select(Event).where(Event.slug == slug).options(
        selectinload(Event.slots).selectinload(ConferenceSession.rooms).selectinload(Room.room_sections)))
    if event is None:
        raise NotFound(_("No such event."))
    titles = dict(session.execute(select(Section.id, Section.title)).all())
    mine = set()
    if actor.participant_id:
        mine = set(session.scalars(select(Membership.room_id).where(Membership.participant_id == actor.participant_id)))
    dates = i18n.date_range(event.starts_on, event.ends_on)
    slots, my_rooms = [], []
    for s in event.slots:
        rooms = []
        for room in s.rooms:
            view = {"id": room.id, "name": room.name, "topic": room.topic, "phase": room.phase,
                    "phase_label": _(PHASE_LABELS[room.phase]),
                    "sections": [titles[rs.section_id] for rs in room.room_sections],
                    # The code is the key to the room: only organisers see it listed.
                    "code": room.code if actor.is_organiser else None}
            rooms.append(view)
            if room.id in mine:
                my_rooms.append(view)
        slots.append({"id": s.id, "title": s.title, "rooms": rooms,
                      "when": i18n.slot(s.starts_at, s.ends_at)})
    return {"event": dict(event_summary(event), description=event.description, dates=dates),
            "sessions": slots, "my_rooms": my_rooms}


async def index(request: Request):
    slug = await request.app.state.core.read(first_event_slug)
    if slug is None:
        return page(request, "message.html", {"heading": _("No event yet"),
                                              "message": _("Run `python run.py` to seed the demo conference.")})
    return RedirectResponse(f"/e/{slug}", status_code=302)


async def event_home(request: Request):
    actor = request.state.actor

    def load(session):
        view = event_view(session, actor, request.path_params["slug"])
        view["results"] = [d for d in documents_overview(session, actor, event_id(session, view["event"]["slug"]))
                           if d["published"]]
        return view

    return page(request, "conference/home.html", await request.app.state.core.read(load))


async def privacy(request: Request):
    return page(request, "privacy.html", {})
