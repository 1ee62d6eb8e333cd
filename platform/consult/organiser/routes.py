"""The organiser's console: set-up, phases, removals, the demo fill (its home page is
screens/dashboard.py)."""
from __future__ import annotations

import segno
from starlette.routing import Route, WebSocketRoute

from consult.conference.service import first_event_slug
from consult.errors import Invalid
from consult.live.routes import dashboard_stream
from consult.moderation import service as moderation
from consult.organiser import confirm, setup
from consult.web.forms import Refusal, back_to, done, optional_int
from consult.web.guards import organisers_only
from consult.web.templating import page
from consult.i18n import _, ngettext


@organisers_only
async def demo_activity(request):
    filled, left = await request.app.state.core.write(setup.fill_demo, request.state.actor)
    if not filled:
        said = _("The demo rooms already held work: nothing was added.")
    elif left:
        said = _("The other demo rooms now hold sample work; %(rooms)s already held work and were left as they "
                 "were.", rooms=", ".join(left))
    else:
        said = _("The demo rooms now hold sample comments, amendments, votes and decisions.")
    return done(request, "/organiser", said)


@organisers_only
async def setup_page(request):
    return await _setup(request)


async def _setup(request, refused: Refusal | None = None):
    """The set-up page; with `refused`, one of its forms sent back as it was sent (said at the top
    of the page instead when the page holds no such form: another event's session, say)."""
    core, actor = request.app.state.core, request.state.actor
    slug = await core.read(first_event_slug)
    context = await core.read(setup.setup_view, actor, slug)
    shown = False
    if refused:
        forms = {"event-form", "session-form-new"} | {f"session-form-{s['id']}" for s in context["sessions"]} | {
            f"room-form-{key}" for s in context["sessions"] for key in [f"new-{s['id']}", *(r["id"] for r in s["rooms"])]}
        shown = refused.form in forms
    return page(request, "organiser/setup.html", {**context, "refused": refused, "refused_shown": shown},
                status=refused.status if refused else 200)


# The set-up forms' fields sent once per ticked box.
TICKED = ("languages", "sections")


@organisers_only
async def save_event(request):
    core, actor = request.app.state.core, request.state.actor
    form = await request.form()
    slug = await core.read(first_event_slug)
    try:
        await core.write(setup.update_event, actor, slug, title=form.get("title"), venue=form.get("venue"),
                         starts_on=form.get("starts_on"),
                         ends_on=form.get("ends_on"), description=form.get("description"),
                         # Unticking every box sends nothing: the marker tells that from a form without them.
                         languages=form.getlist("languages") if form.get("languages_listed") else None,
                         default_language=form.get("default_language"))
    except Invalid as error:
        return await _setup(request, Refusal.of(error, form, "event-form", lists=TICKED))
    request.app.state.offered_languages.forget()  # obeyed at once in this process
    return done(request, "/organiser/setup", _("The event was saved."))


@organisers_only
async def save_slot(request):
    core, actor = request.app.state.core, request.state.actor
    form = await request.form()
    slug = await core.read(first_event_slug)
    try:
        slot_id = await core.write(setup.save_slot, actor, slug,
                                   slot_id=optional_int(form.get("session_id"), "session_id"),
                                   title=form.get("title"), starts_at=form.get("starts_at"),
                                   ends_at=form.get("ends_at"))
    except Invalid as error:
        form_id = f"session-form-{form.get('session_id') or 'new'}"
        return await _setup(request, Refusal.of(error, form, form_id, lists=TICKED))
    return done(request, f"/organiser/setup#session-{slot_id}",
                _("The session “%(title)s” was saved.", title=str(form.get("title") or "").strip()))


@organisers_only
async def save_room(request):
    core, actor = request.app.state.core, request.state.actor
    form = await request.form()
    try:
        room_id = await core.write(
            setup.save_room, actor, room_id=optional_int(form.get("room_id"), "room_id"),
            slot_id=optional_int(form.get("session_id"), "session_id"), name=form.get("name"),
            topic=form.get("topic"), section_ids=[optional_int(v, "sections") for v in form.getlist("sections")],
            capacity=optional_int(form.get("capacity"), "capacity"), anonymous=bool(form.get("anonymous")),
            premoderation=bool(form.get("premoderation")), dots=optional_int(form.get("dots"), "dots") or 5)
    except Invalid as error:
        form_id = f"room-form-{form.get('room_id') or 'new-' + form.get('session_id', '')}"
        return await _setup(request, Refusal.of(error, form, form_id, lists=TICKED))
    return done(request, f"/organiser/setup#room-{room_id}",
                _("The room “%(name)s” was saved.", name=str(form.get("name") or "").strip()) if form.get("room_id")
                else _("The room “%(name)s” was added.", name=str(form.get("name") or "").strip()))


@organisers_only
async def new_code(request):
    core, actor = request.app.state.core, request.state.actor
    room_id = request.path_params["room_id"]
    form = await request.form()
    plan = await core.read(setup.code_change_plan, actor, room_id)
    if not confirm.confirmed(form):
        return confirm.ask(
            request, form, heading=_("Give %(room)s a new join code?", room=plan["name"]),
            cancel=f"/organiser/setup#room-{room_id}",
            changes=[_("stop the code %(code)s from working: printed signs, the projector and links that carry it "
                       "stop letting people in", code=plan["code"]), _("make a new code to share")],
            warnings=[ngettext("The %(num)s person already in the room (%(phase)s) keeps their place.",
                               "The %(num)s people already in the room (%(phase)s) keep their place.",
                               plan["members"], phase=_(plan["phase"])),
                      _("Anyone still on their way needs the new code.")],
            button=_("Make a new code"))
    code = await core.write(setup.regenerate_code, actor, room_id)
    return done(request, f"/organiser/setup#room-{room_id}", _("%(room)s has a new join code: %(code)s.", room=plan["name"], code=code))


@organisers_only
async def invite(request):
    """A new invitation, then its page (POST-redirect-GET: a reload shows it again instead of
    asking to send the form once more). Only the token's hash is stored with the invitation: the
    link itself is kept in the organiser's session, held on the server and ended with it."""
    room_id = request.path_params["room_id"]
    token = await request.app.state.core.write(setup.invite_rapporteur, request.state.actor, room_id)
    request.session["invitations"] = {**request.session.get("invitations", {}), str(room_id): token}
    return back_to(f"/organiser/rooms/{room_id}/invite")


@organisers_only
async def invitation(request):
    room_id = request.path_params["room_id"]
    token = request.session.get("invitations", {}).get(str(room_id))
    if token is None:
        return done(request, f"/organiser/setup#room-{room_id}",
                    _("No invitation to show here: make one with “Invite a rapporteur”."))
    code = await request.app.state.core.read(lambda s: s.get(setup.Room, room_id).code)
    link = str(request.url_for("join_form").include_query_params(code=code, invite=token))
    qr = segno.make(link, error="m").svg_inline(scale=4, dark="#111", title=_("QR code of the invitation link"))
    return page(request, "organiser/invite.html", {"link": link, "room_id": room_id, "qr": qr},
                headers={"Cache-Control": "no-store"})


@organisers_only
async def bulk_phase(request):
    core, actor = request.app.state.core, request.state.actor
    form = await request.form()
    ids = [optional_int(v, "rooms") for v in form.getlist("rooms")]
    phase = form.get("phase") or ""
    plan = await core.read(setup.plan_phase, actor, ids, phase)
    if not confirm.confirmed(form):
        n = plan["moving"]
        return confirm.ask(request, form,
                           heading=ngettext("Move %(num)s room to %(phase)s?", "Move %(num)s rooms to %(phase)s?", n,
                                            phase=plan["label"]),
                           changes=plan["changes"], warnings=plan["warnings"], cancel="/organiser",
                           button=ngettext("Move %(num)s room to %(phase)s", "Move %(num)s rooms to %(phase)s", n,
                                           phase=plan["label"]))
    moved = await core.write(setup.bulk_phase, actor, room_ids=ids, phase=phase)
    return done(request, "/organiser", ngettext("%(num)s room moved to %(phase)s.", "%(num)s rooms moved to %(phase)s.",
                                                moved, phase=plan["label"]))


@organisers_only
async def remove_member(request):
    core, actor = request.app.state.core, request.state.actor
    form = await request.form()
    room_id, participant_id = request.path_params["room_id"], request.path_params["participant_id"]
    plan = await core.read(moderation.removal_plan, actor, room_id, participant_id)
    cancel = f"/rooms/{room_id}/workbench#wb_members"
    who = {"person": plan["name"], "room": plan["room"]}
    questions = dict(heading=_("Remove %(person)s from %(room)s?", **who), cancel=cancel, button=_("Remove"),
                     changes=[_("close %(person)s's connection to %(room)s and stop them from joining it again", **who),
                              _("keep what they wrote (hide it separately if needed)")],
                     warnings=[_("%(person)s sees a page saying that an organiser removed them, with the reason, "
                                 "and how to reach the organisers.", **who)],
                     ask_reason=_("Reason, shown to the person removed"))
    if not confirm.confirmed(form):
        return confirm.ask(request, form, **questions)
    try:
        await core.write(moderation.remove_member, actor, room_id, participant_id=participant_id,
                         reason=form.get("reason"))
    except Invalid as error:
        return confirm.ask(request, form, **questions, errors=error.fields, status=error.status)
    return done(request, cancel, _("%(person)s was removed from %(room)s.", person=plan["name"], room=plan["room"]))


routes = [
    Route("/organiser/demo-activity", demo_activity, methods=["POST"]),
    Route("/organiser/setup", setup_page),
    Route("/organiser/event", save_event, methods=["POST"]),
    Route("/organiser/sessions", save_slot, methods=["POST"]),
    Route("/organiser/rooms", save_room, methods=["POST"]),
    Route("/organiser/rooms/{room_id:id}/code", new_code, methods=["POST"]),
    Route("/organiser/rooms/{room_id:id}/invite", invitation, methods=["GET"]),
    Route("/organiser/rooms/{room_id:id}/invite", invite, methods=["POST"]),
    Route("/organiser/phase", bulk_phase, methods=["POST"]),
    Route("/rooms/{room_id:id}/members/{participant_id:id}/remove", remove_member, methods=["POST"]),
    WebSocketRoute("/organiser/live", dashboard_stream),
]
