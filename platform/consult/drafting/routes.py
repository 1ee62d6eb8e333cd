"""The rapporteur's workbench, saving the draft, and the draft's history."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from consult.access import room_access, steering_access
from consult.amendments import service as amendments
from consult.contributions import service as contributions
from consult.drafting import service as drafting
from consult.drafting.markdown import citations
from consult.engagement import service as engagement
from consult.rooms import service as rooms
from consult.web.forms import back_to, is_htmx, optional_int, panel
from consult.web.templating import page

PANELS = {"wb_text", "wb_amendments", "wb_comments", "wb_reactions", "wb_polls", "wb_members"}


def workbench_context(session, actor, room_id: int, filters: dict) -> dict:
    access = steering_access(session, actor, room_id)
    room = rooms.room_detail(session, access)
    version, content = drafting.latest(session, room_id)
    listed = amendments.list_amendments(session, access)
    ranking = {(r["type"], r["id"]): r["dots"] for r in engagement.ranking(session, room_id, limit=1000)}
    for a in listed:
        a["dots"] = ranking.get(("amendment", a["id"]), 0)
    # Ranked by support: net agreement, then priority dots, then the newest.
    listed.sort(key=lambda a: (a["status"] != "pending", -(a["tally"]["agree"] - a["tally"]["disagree"]),
                               -a["dots"], -a["id"]))
    comments = contributions.list_comments(session, access, "support")
    numbers = {p["base_paragraph_id"]: p["number"] for p in content["paragraphs"] if p["base_paragraph_id"]}
    return {
        "room": room, "version": version, "content": content, "numbers": numbers,
        "amendments": listed,
        "comments": contributions.filter_comments(comments, filters.get("paragraph"), filters.get("sector"),
                                                  filters.get("min_support", 0), filters.get("language")),
        "all_comments": len(comments), "filters": filters,
        "spread": engagement.spread(session, room_id), "polls": engagement.polls(session, access),
        "members": rooms.members(session, access),
        "cites": citations(content["conclusions"]),
        "history": drafting.history(session, access)[:5],
    }


async def workbench(request: Request):
    core = request.app.state.core
    room_id = request.path_params["room_id"]
    q = request.query_params
    try:
        min_support = max(0, int(q.get("min_support") or 0))
    except ValueError:
        min_support = 0
    filters = {"paragraph": q.get("paragraph") or None, "sector": q.get("sector") or None, "min_support": min_support,
               "language": q.get("language") or None}
    context = await core.read(workbench_context, request.state.actor, room_id, filters)
    return page(request, "drafting/workbench.html", context, block=panel(request, *PANELS))


async def save(request: Request):
    """One paragraph, or the conclusions, from the workbench."""
    core = request.app.state.core
    actor = request.state.actor
    room_id = request.path_params["room_id"]
    form = await request.form()
    paragraph = form.get("paragraph")
    edits = [{"id": paragraph, "text": form.get("text", ""), "deleted": bool(form.get("deleted"))}] if paragraph else None
    conclusions = form.get("conclusions") if "conclusions" in form else None
    try:
        base_version = optional_int(form.get("base_version"), "base_version") or 0
        saved = await core.write(drafting.save, actor, room_id, base_version=base_version, paragraphs=edits,
                                 conclusions=conclusions)
    except drafting.StaleDraft as stale:
        mine = form.get("text") if paragraph else conclusions
        theirs = next((p["text"] for p in stale.content["paragraphs"] if p["id"] == paragraph),
                      None) if paragraph else stale.content["conclusions"]
        return page(request, "drafting/conflict.html", {
            "room_id": room_id, "paragraph": paragraph, "mine": mine, "theirs": theirs, "version": stale.version,
            "message": stale.detail}, status=409)
    if not is_htmx(request):
        return back_to(f"/rooms/{room_id}/workbench")
    edited = next((p for p in saved["content"]["paragraphs"] if p["id"] == paragraph), None)
    return page(request, "drafting/saved.html", {"room_id": room_id, "version": saved["version"], "p": edited,
                                                 "conclusions": saved["content"]["conclusions"]})


async def preview(request: Request):
    await request.app.state.core.read(steering_access, request.state.actor, request.path_params["room_id"])
    form = await request.form()
    source = form.get("conclusions", "")
    return page(request, "drafting/preview.html", {"source": source, "cites": citations(source)})


async def history(request: Request):
    core = request.app.state.core
    actor = request.state.actor
    room_id = request.path_params["room_id"]

    def load(session):
        access = room_access(session, actor, room_id)
        versions = drafting.history(session, access)
        newest = versions[0]["version"] if versions else 0
        to = optional_int(request.query_params.get("to"), "to")
        to = newest if to is None else to
        frm = optional_int(request.query_params.get("from"), "from")
        frm = max(0, to - 1) if frm is None else frm
        return {"room": rooms.room_detail(session, access), "versions": versions, "from_v": frm,
                "to_v": to, "rows": drafting.compare(session, access, frm, to)}

    return page(request, "drafting/history.html", await core.read(load))


routes = [
    Route("/rooms/{room_id:id}/workbench", workbench),
    Route("/rooms/{room_id:id}/draft", save, methods=["POST"]),
    Route("/rooms/{room_id:id}/conclusions/preview", preview, methods=["POST"]),
    Route("/rooms/{room_id:id}/draft/history", history),
]
