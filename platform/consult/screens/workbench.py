"""The rapporteur's workbench: the working text, amendments ranked by support, comments
filtered, reactions, polls and members, composed from each feature's reads."""
from __future__ import annotations

from starlette.requests import Request

from consult.access import steering_access
from consult.amendments import service as amendments
from consult.contributions import service as contributions
from consult.drafting import service as drafting
from consult.markdown import citations
from consult.engagement import service as engagement
from consult.errors import Conflict, Invalid
from consult.steering import service as steering
from consult.web.forms import Refusal, back_to, panel
from consult.web.templating import page

PANELS = {"wb_text", "wb_amendments", "wb_comments", "wb_reactions", "wb_polls", "wb_members"}


def workbench_context(session, actor, room_id: int, filters: dict) -> dict:
    access = steering_access(session, actor, room_id)
    room = steering.room_detail(session, access)
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
        "members": steering.members(session, access),
        "cites": citations(content["conclusions"]),
        "history": drafting.history(session, access)[:5],
    }


def _filters(request: Request) -> dict:
    q = request.query_params
    try:
        min_support = max(0, int(q.get("min_support") or 0))
    except ValueError:
        min_support = 0
    return {"paragraph": q.get("paragraph") or None, "sector": q.get("sector") or None, "min_support": min_support,
            "language": q.get("language") or None}


async def workbench(request: Request, refused: Refusal | None = None):
    core = request.app.state.core
    room_id = request.path_params["room_id"]
    context = await core.read(workbench_context, request.state.actor, room_id, _filters(request))
    return page(request, "drafting/workbench.html", {**context, "refused": refused},
                block=None if refused else panel(request, *PANELS), status=refused.status if refused else 200)


async def ask_poll(request: Request):
    """A poll asked from the workbench; refused, the workbench again with the poll's form as it
    was sent, each problem next to its field, or, refused by the room's phase, the reason above it."""
    core = request.app.state.core
    room_id = request.path_params["room_id"]
    form = await request.form()
    try:
        await core.write(engagement.ask, request.state.actor, room_id, question=form.get("question"),
                         options=form.getlist("option"), multiple=bool(form.get("multiple")),
                         results_live=bool(form.get("results_live")))
    except (Invalid, Conflict) as error:  # what was typed, or the room's phase (closed, say)
        return await workbench(request, Refusal.of(error, form, "ask-poll", lists=("option",)))
    return back_to(f"/rooms/{room_id}/workbench#wb_polls")
