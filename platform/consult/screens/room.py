"""The room page and the room's projector screen: what they show, composed from each feature's
reads, with the room's access resolved once."""
from __future__ import annotations

import segno
from starlette.requests import Request

from consult.access import room_access, steering_access
from consult.amendments import service as amendments
from consult.contributions.service import list_comments, supported_by
from consult.drafting import service as drafting
from consult.engagement import service as engagement
from consult.errors import Forbidden
from consult.moderation.service import removal_of
from consult.steering import service as steering
from consult.web.forms import panel
from consult.web.templating import page


def room_context(session, actor, room_id: int, sort: str) -> dict:
    """Everything the room page shows, read in one transaction, with access resolved once."""
    access = room_access(session, actor, room_id)
    room = steering.room_detail(session, access)
    version, content = drafting.latest(session, room_id)
    author = drafting.history(session, access)[0]["author"] if version else None
    comments = list_comments(session, access, sort)
    listed = amendments.list_amendments(session, access)
    by_paragraph: dict[int, list] = {}
    for a in listed:
        by_paragraph.setdefault(a["paragraph_id"], []).append(a)
    my_dots = engagement.my_dots(session, access)
    left = room_dots_left(session, room_id, my_dots)
    counts: dict = {}
    for c in comments:
        counts[c["paragraph_id"]] = counts.get(c["paragraph_id"], 0) + 1
    return {
        "room": room, "sort": sort, "privileged": access.privileged,
        "draft": {"version": version, "author": author, "paragraphs": content["paragraphs"],
                  "conclusions": content["conclusions"]},
        "draft_by_base": {p["base_paragraph_id"]: p for p in content["paragraphs"] if p["base_paragraph_id"]},
        "comments": comments, "supports": supported_by(session, access), "counts": counts,
        "amendments_by_p": by_paragraph, "my_votes": amendments.my_votes(session, access),
        "spread": engagement.spread(session, room_id), "my_reactions": engagement.my_reactions(session, access),
        "polls": engagement.polls(session, access), "ranking": engagement.ranking(session, room_id),
        "my_dots": my_dots, "dots_left": left, "dots_left_said": engagement.dots_left_text(left, room["dots"]),
    }


def room_dots_left(session, room_id: int, my_dots: dict) -> int:
    return engagement.room_dots(session, room_id) - sum(my_dots.values())


async def room_page(request: Request):
    core = request.app.state.core
    actor = request.state.actor
    room_id = request.path_params["room_id"]
    sort = "support" if request.query_params.get("sort") == "support" else "new"
    try:
        context = await core.read(room_context, actor, room_id, sort)
    except Forbidden:
        removal = await core.read(removal_of, actor, room_id)
        if removal:
            return page(request, "moderation/removed.html", removal, status=403)
        raise
    context["presence"] = core.hub.presence(room_id)
    return page(request, "rooms/room.html", context, block=panel(request, "room_body"))


def projector_context(session, actor, room_id: int) -> dict:
    """The room's screen: the newest comments, the most voted pending amendments, two polls."""
    access = steering_access(session, actor, room_id)
    visible = [c for c in list_comments(session, access, "new") if c["visibility"] == "visible" and not c["parent_id"]]
    pending = [a for a in amendments.list_amendments(session, access)
               if a["status"] == "pending" and a["visibility"] == "visible"]
    pending.sort(key=lambda a: -(a["tally"]["agree"] + a["tally"]["disagree"] + a["tally"]["abstain"]))
    room = steering.room_detail(session, access)
    # Each amendment is named by its paragraph's number in the document (1.2), as in the room.
    numbers = {p["id"]: p["number"] for section in room["sections"] for p in section["paragraphs"]}
    for a in pending:
        a["number"] = numbers.get(a["paragraph_id"], "")
    return {"room": room, "comments": visible[:6], "amendments": pending[:4],
            "polls": engagement.polls(session, access)[:2]}


async def projector(request: Request):
    core = request.app.state.core
    room_id = request.path_params["room_id"]
    context = await core.read(projector_context, request.state.actor, room_id)
    url = str(request.url_for("join_form").include_query_params(code=context["room"]["code"]))
    context.update(join_url=url, qr=segno.make(url, error="m").svg_inline(scale=8, border=1, dark="#000", omitsize=True,
                                                                          light="#fff"),
                   presence=core.hub.presence(room_id))
    return page(request, "rooms/projector.html", context, block=panel(request, "projector_body"))
