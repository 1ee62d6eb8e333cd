"""Joining, personal links, the participant's own page, organiser sign-in."""
from __future__ import annotations

import segno
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from consult.errors import DomainError, NotFound, Unauthorized
from consult.accounts import joining, organisers
from consult.people import service
from consult.people.models import Participant
from consult.web import auth, locale
from consult.web.forms import back_to, is_htmx
from consult.web.templating import page
from consult.i18n import _


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _join_context(request: Request, code: str) -> dict:
    core = request.app.state.core

    def load(session):
        room = joining.room_by_code(session, code)
        actor = request.state.actor
        profile = service.participant_profile(session, actor.participant_id) if actor.participant_id else None
        if profile and session.get(Participant, actor.participant_id).event_id != room.slot.event_id:
            profile = None
        return {"room": {"name": room.name, "topic": room.topic, "session": room.slot.title,
                         "code_typed": code}, "profile": profile}

    return await core.read(load)


def _unknown_code(request: Request, code: str, error: DomainError):
    return page(request, "people/unknown_code.html", {"code": code.strip()[:12], "message": error.detail}, status=404)


async def join_form(request: Request):
    code = request.query_params.get("code", "")
    if not code.strip():
        return RedirectResponse("/", status_code=303)  # where the code is typed
    try:
        context = await _join_context(request, code)
    except NotFound as error:
        return _unknown_code(request, code, error)
    return page(request, "people/join.html", dict(context, values={}, errors={},
                                                  invite=request.query_params.get("invite")))


async def join(request: Request):
    core = request.app.state.core
    form = await request.form()
    code = form.get("code", "")
    values = {k: form.get(k, "") for k in ("name", "organisation", "sector", "country", "named_in_results")}
    try:
        await core.limit(core.join_limit.hit, _client_address(request))
        participant, member, token = await core.write(
            joining.join, request.state.actor, code=code, name=values["name"], organisation=values["organisation"],
            sector=values["sector"], country=values["country"], named_in_results=bool(values["named_in_results"]),
            invite=form.get("invite") or None)
    except DomainError as error:
        try:
            context = await _join_context(request, code)
        except NotFound:
            return _unknown_code(request, code, error)
        return page(request, "people/join.html",
                    dict(context, values=values, errors=error.fields or {"form": error.detail},
                         message=error.detail, invite=form.get("invite")), status=error.status, block="join_form" if is_htmx(request) else None)
    auth.sign_in_participant(request.session, participant.id)
    if token:
        # Shown once on the participant's page; only its hash is stored.
        request.session["pt"] = token
    target = f"/rooms/{member.room_id}"
    if is_htmx(request):
        return page(request, "message.html", {}, headers={"HX-Redirect": target})
    return back_to(target)


async def personal_link(request: Request):
    core = request.app.state.core
    token = request.path_params["token"]
    actor = await core.read(service.actor_for_token, token)
    if actor.participant_id is None:
        return page(request, "message.html", {"heading": _("This link does not work"),
                                              "message": _("Ask the organisers, or join your room again with its code."),
                                              "link": "/", "link_text": _("Go to the event")}, status=404)
    auth.sign_in_participant(request.session, actor.participant_id)
    request.session["pt"] = token
    locale.remember_on_sign_in(request.session, await core.read(service.language_of, actor.participant_id))
    room_id = await core.read(joining.latest_room_id, actor.participant_id)
    return RedirectResponse(f"/rooms/{room_id}" if room_id else "/me", status_code=303)


async def me(request: Request):
    core = request.app.state.core
    actor = request.state.actor
    if actor.participant_id is None:
        return RedirectResponse("/", status_code=302)

    profile = await core.read(service.participant_profile, actor.participant_id)
    rooms = await core.read(joining.rooms_of, actor.participant_id)
    token = request.session.get("pt")
    link = str(request.url_for("personal_link", token=token)) if token else None
    qr = segno.make(link, error="m").svg_inline(scale=4, dark="#111") if link else None
    return page(request, "people/me.html", {"profile": profile, "rooms": rooms, "link": link, "qr": qr})


async def consent(request: Request):
    core = request.app.state.core
    form = await request.form()

    def save(session):
        p = session.get(Participant, request.state.actor.participant_id or 0)
        if p is None:
            raise Unauthorized(_("Join a room first."))
        p.named_in_results = bool(form.get("named_in_results"))

    await core.write(save)
    return back_to("/me")


async def login_form(request: Request):
    return page(request, "organiser/login.html", {"values": {}})


async def login(request: Request):
    core = request.app.state.core
    form = await request.form()
    email = str(form.get("email", ""))
    try:
        organiser_id = await core.sign_in(address=_client_address(request), email=email,
                                          password=str(form.get("password", "")), via="page")
    except DomainError as error:
        return page(request, "organiser/login.html", {"values": {"email": email}, "message": error.detail},
                    status=error.status)
    request.session.clear()
    auth.sign_in_organiser(request.session, organiser_id)
    return back_to("/organiser")


async def _close_sockets(request: Request) -> None:
    actor = request.state.actor
    if actor.is_organiser:
        await request.app.state.core.broadcast.kick(None, f"o:{actor.organiser_id}")


async def logout(request: Request):
    await _close_sockets(request)
    auth.sign_out(request.session)
    return back_to("/")


async def logout_everywhere(request: Request):
    """A lost laptop: every browser signed in as this organiser is signed out at once."""
    await request.app.state.core.write(organisers.sign_out_everywhere, request.state.actor)
    auth.sign_out(request.session)
    return back_to("/organiser/login")


routes = [
    Route("/join", join_form, methods=["GET"], name="join_form"),
    Route("/join", join, methods=["POST"]),
    Route("/p/{token}", personal_link, name="personal_link"),
    Route("/me", me),
    Route("/me/consent", consent, methods=["POST"]),
    Route("/organiser/login", login_form, methods=["GET"]),
    Route("/organiser/login", login, methods=["POST"]),
    Route("/organiser/logout", logout, methods=["POST"]),
    Route("/organiser/logout-everywhere", logout_everywhere, methods=["POST"]),
]
