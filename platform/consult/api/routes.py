"""The v1 integration API: the same services as the pages, spoken in JSON."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute

from consult.access import in_room, room_access
from consult.amendments import service as amendments
from consult.api.common import (
    bearer,
    bearer_write,
    int_field,
    json_body,
    str_field,
)
from consult.api.openapi import openapi
from consult.web.api_errors import domain_error, error_response
from consult.conference.service import event_id, list_events
from consult.consolidation import editorial
from consult.consolidation import routes as consolidation_routes
from consult.consolidation import service as consolidation
from consult.contributions import service as contributions
from consult.documents.service import list_documents
from consult.drafting import service as drafting
from consult.errors import DomainError, Invalid
from consult.export import service as export
from consult.export.routes import file_response
from consult.live import replay
from consult.live.fragments import event_json
from consult.live.routes import api_stream
from consult.accounts import joining, organisers
from consult.people import service as people
from consult.steering import drafts, service as steering
from consult.steering.service import list_rooms, room_detail
from consult.synthesis.service import synthesis as build_synthesis
from consult.web.forms import optional_int

PAGE = 500


async def events(request):
    core = request.app.state.core
    return JSONResponse({"events": await core.read(list_events)})


async def rooms(request):
    core = request.app.state.core
    actor = await bearer(request, required=False)
    return JSONResponse({"rooms": await core.read(list_rooms, actor, request.path_params["slug"])})


async def documents(request):
    core = request.app.state.core
    def load(session):
        return list_documents(session, event_id(session, request.path_params["slug"]))
    return JSONResponse({"documents": await core.read(load)})


async def login(request):
    core = request.app.state.core
    data = await json_body(request)
    email, password = str_field(data, "email") or "", str_field(data, "password") or ""
    address = request.client.host if request.client else ""
    organiser_id = await core.sign_in(address=address, email=email, password=password, via="api")
    return JSONResponse(await core.write(people.issue_api_token, organiser_id, str_field(data, "name"),
                                         int_field(data, "days")))


async def tokens(request):
    core = request.app.state.core
    return JSONResponse({"tokens": await core.read(organisers.list_api_tokens, await bearer(request))})


async def revoke_token(request):
    await bearer_write(request, organisers.revoke_api_token, request.path_params["token_id"])
    return Response(status_code=204)


async def renew_link(request):
    token = await bearer_write(request, organisers.renew_personal_link, request.path_params["participant_id"])
    return JSONResponse({"token": token, "link": str(request.url_for("personal_link", token=token))})


async def join(request):
    core = request.app.state.core
    data = await json_body(request)
    await core.limit(core.join_limit.hit, request.client.host if request.client else "unknown")
    actor = await bearer(request, required=False)
    participant, member, token = await core.write(
        joining.join, actor, code=str_field(data, "code") or "", name=str_field(data, "name"),
        organisation=str_field(data, "organisation"), sector=str_field(data, "sector"),
        country=str_field(data, "country"),
        named_in_results=bool(data.get("named_in_results", False)))
    body = {"participant_id": participant.id, "room_id": member.room_id}
    if token:
        body["token"] = token
    return JSONResponse(body, status_code=201)


async def room(request):
    core = request.app.state.core
    actor = await bearer(request)
    return JSONResponse(await core.read(in_room, actor, request.path_params["room_id"], room_detail))


async def comments(request):
    core = request.app.state.core
    actor = await bearer(request)
    sort = "support" if request.query_params.get("sort") == "support" else "new"
    return JSONResponse({"comments": await core.read(
        in_room, actor, request.path_params["room_id"], contributions.list_comments, sort)})


async def post_comment(request):
    core = request.app.state.core
    data = await json_body(request)
    key = request.headers.get("idempotency-key")
    if not key:
        raise Invalid("Send an Idempotency-Key header, so that a retry cannot post twice.",
                      {"Idempotency-Key": "Required."})
    comment, created = await bearer_write(
        request, contributions.post_comment, request.path_params["room_id"], text=str_field(data, "text"),
        paragraph_id=int_field(data, "paragraph_id"), parent_id=int_field(data, "parent_id"),
        attribution=str_field(data, "attribution") or "sector", idempotency_key=key,
        max_chars=core.settings.comment_max_chars, language=str_field(data, "language"))
    return JSONResponse(comment, status_code=201 if created else 200)


async def support(request):
    result = await bearer_write(request, contributions.set_support, request.path_params["comment_id"],
                                on=request.method == "PUT")
    return JSONResponse(result)


async def room_events(request):
    core = request.app.state.core
    actor = await bearer(request)
    room_id = request.path_params["room_id"]
    after = optional_int(request.query_params.get("after", "0"), "after") or 0

    def load(session):
        access = room_access(session, actor, room_id)
        return replay.missed(session, room_id, after, PAGE), access.room.last_seq, access.privileged

    found, last_seq, privileged = await core.read(load)
    return JSONResponse({"events": [event_json(e, privileged) for e in found], "last_seq": last_seq,
                         "more": bool(found) and found[-1].seq < last_seq})


async def rapporteurs(request):
    data = await json_body(request)
    return JSONResponse(await bearer_write(request, steering.make_rapporteur, request.path_params["room_id"],
                                           participant_id=int_field(data, "participant_id", required=True)),
                        status_code=201)


async def phase(request):
    data = await json_body(request)
    return JSONResponse(await bearer_write(request, steering.set_phase, request.path_params["room_id"],
                                           phase=str_field(data, "phase")))


async def list_amendments(request):
    core = request.app.state.core
    actor = await bearer(request)
    return JSONResponse({"amendments": await core.read(in_room, actor, request.path_params["room_id"],
                                                       amendments.list_amendments)})


async def propose_amendment(request):
    data = await json_body(request)
    key = request.headers.get("idempotency-key") or str_field(data, "idempotency_key")
    view, created = await bearer_write(
        request, amendments.propose, request.path_params["room_id"],
        paragraph_id=int_field(data, "paragraph_id", required=True),
        kind=str_field(data, "kind"), text=str_field(data, "text"), rationale=str_field(data, "rationale"),
        attribution=str_field(data, "attribution") or "sector", idempotency_key=key,
        language=str_field(data, "language"))
    return JSONResponse(view, status_code=201 if created else 200)


async def vote(request):
    data = await json_body(request)
    return JSONResponse(await bearer_write(request, amendments.vote, request.path_params["amendment_id"],
                                           choice=str_field(data, "choice")))


async def decide(request):
    data = await json_body(request)
    return JSONResponse(await bearer_write(request, amendments.decide, request.path_params["amendment_id"],
                                           decision=str_field(data, "decision"), reason=str_field(data, "reason"),
                                           text=str_field(data, "text")))


async def get_draft(request):
    core = request.app.state.core
    actor = await bearer(request)
    return JSONResponse(await core.read(in_room, actor, request.path_params["room_id"], drafting.view))


async def put_draft(request):
    data = await json_body(request)
    edits = data.get("paragraphs")
    if edits is not None and (not isinstance(edits, list) or not all(isinstance(e, dict) for e in edits)):
        raise Invalid("'paragraphs' is a list of {id, text, deleted?}.", {"paragraphs": "Not a list of objects."})
    try:
        saved = await bearer_write(request, drafts.save, request.path_params["room_id"],
                                   base_version=int_field(data, "base_version", required=True), paragraphs=edits,
                                   conclusions=str_field(data, "conclusions"))
    except drafts.StaleDraft as stale:
        return JSONResponse({"error": stale.code, "detail": stale.detail,
                             "current": drafting.draft_view(stale.version, stale.content)}, status_code=409)
    return JSONResponse(drafting.draft_view(saved["version"], saved["content"]))


async def consolidate(request):
    made = await bearer_write(request, consolidation.consolidate, request.path_params["document_id"])
    # Nothing changed since the latest version: that one, and no new version (200, "unchanged").
    return JSONResponse(made, status_code=200 if made["unchanged"] else 201)


async def edit_paragraph(request):
    data = await json_body(request)
    made = await bearer_write(request, editorial.edit_paragraph, document_id=request.path_params["document_id"],
                              version=request.path_params["version"], key=request.path_params["key"],
                              text=str_field(data, "text"), note=str_field(data, "note"))
    return JSONResponse(made, status_code=201)


async def excluded_rooms(request):
    core = request.app.state.core
    actor = await bearer(request)
    document_id = request.path_params["document_id"]
    if request.method == "GET":
        return JSONResponse({"rooms": await core.read(editorial.rooms_to_choose, actor, document_id=document_id)})
    ids = (await json_body(request)).get("room_ids")
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise Invalid("'room_ids' must be a list of room ids.", {"room_ids": "Not a list of integers."})
    return JSONResponse({"rooms": await core.write(editorial.set_excluded_rooms, actor, document_id=document_id,
                                                   room_ids=ids)})


async def consolidated_version(request):
    core = request.app.state.core
    actor = await bearer(request, required=False)
    return JSONResponse(await core.read(consolidation.get_version, actor, request.path_params["document_id"],
                                        request.path_params["version"]))


async def resolve(request):
    data = await json_body(request)
    made = await bearer_write(request, consolidation.resolve, request.path_params["document_id"],
                              version=request.path_params["version"], key=str_field(data, "key") or "",
                              choice=str_field(data, "choice") or "", text=str_field(data, "text"),
                              note=str_field(data, "note"))
    return JSONResponse(made, status_code=201)


async def resolve_hunk(request):
    data = await json_body(request)
    params = request.path_params
    made = await bearer_write(request, consolidation.resolve_hunk, document_id=params["document_id"],
                              version=params["version"], key=params["key"], hunk=params["hunk"],
                              choice=str_field(data, "choice") or "", text=str_field(data, "text"),
                              note=str_field(data, "note"))
    return JSONResponse(made, status_code=201)


async def publish(request):
    return JSONResponse(await bearer_write(request, consolidation.publish, request.path_params["document_id"],
                                           version=request.path_params["version"]))


async def export_xlsx(request: Request):
    core = request.app.state.core
    try:
        actor = await bearer(request)
        path, filename = await run_in_threadpool(core.db.snapshot, export.xlsx, actor, request.path_params["slug"])
    except DomainError as error:
        return domain_error(error)
    await core.write(export.record_download, actor, slug=request.path_params["slug"], room_id=None,
                     filename=filename, via="api")
    return file_response(path, filename)


async def not_found(request: Request):
    return error_response(404, "not_found", f"No API path {request.url.path}.")


async def synthesis(request):
    """Organisers: agreement by sector, consensus and divisiveness, opinion groups, themes."""
    core = request.app.state.core
    actor = await bearer(request)
    return JSONResponse(await core.read(build_synthesis, actor, request.path_params["slug"]))


routes = [
    Route("/api/v1/openapi.json", openapi),
    Route("/api/v1/events", events),
    Route("/api/v1/events/{slug}/rooms", rooms),
    Route("/api/v1/events/{slug}/documents", documents),
    Route("/api/v1/auth/login", login, methods=["POST"]),
    Route("/api/v1/auth/tokens", tokens),
    Route("/api/v1/auth/tokens/{token_id:id}", revoke_token, methods=["DELETE"]),
    Route("/api/v1/participants/{participant_id:id}/link", renew_link, methods=["POST"]),
    Route("/api/v1/rooms/join", join, methods=["POST"]),
    Route("/api/v1/rooms/{room_id:id}", room),
    Route("/api/v1/rooms/{room_id:id}/comments", comments, methods=["GET"]),
    Route("/api/v1/rooms/{room_id:id}/comments", post_comment, methods=["POST"]),
    Route("/api/v1/comments/{comment_id:id}/support", support, methods=["PUT", "DELETE"]),
    Route("/api/v1/rooms/{room_id:id}/events", room_events),
    WebSocketRoute("/api/v1/rooms/{room_id:id}/stream", api_stream),
    Route("/api/v1/rooms/{room_id:id}/rapporteurs", rapporteurs, methods=["POST"]),
    Route("/api/v1/rooms/{room_id:id}/phase", phase, methods=["PUT"]),
    Route("/api/v1/rooms/{room_id:id}/amendments", list_amendments, methods=["GET"]),
    Route("/api/v1/rooms/{room_id:id}/amendments", propose_amendment, methods=["POST"]),
    Route("/api/v1/amendments/{amendment_id:id}/vote", vote, methods=["PUT"]),
    Route("/api/v1/amendments/{amendment_id:id}/decision", decide, methods=["POST"]),
    Route("/api/v1/rooms/{room_id:id}/draft", get_draft, methods=["GET"]),
    Route("/api/v1/rooms/{room_id:id}/draft", put_draft, methods=["PUT"]),
    Route("/api/v1/documents/{document_id:id}/consolidations", consolidate, methods=["POST"]),
    Route("/api/v1/documents/{document_id:id}/consolidations/{version:id}", consolidated_version, methods=["GET"]),
    Route("/api/v1/documents/{document_id:id}/consolidations/{version:id}/resolutions", resolve, methods=["POST"]),
    Route("/api/v1/documents/{document_id:id}/consolidations/{version:id}/conflicts/{key}/{hunk}", resolve_hunk,
          methods=["PUT"]),
    Route("/api/v1/documents/{document_id:id}/consolidations/{version:id}/publish", publish, methods=["POST"]),
    Route("/api/v1/documents/{document_id:id}/consolidations/{version:id}/paragraphs/{key}", edit_paragraph,
          methods=["PUT"]),
    Route("/api/v1/documents/{document_id:id}/excluded-rooms", excluded_rooms, methods=["GET", "PUT"]),
    *consolidation_routes.downloads("/api/v1/documents/{document_id:id}/consolidations/{version:id}",
                                    lambda request: bearer(request, required=False)),
    Route("/api/v1/events/{slug}/export.xlsx", export_xlsx),
    Route("/api/v1/events/{slug}/synthesis", synthesis),
    Route("/api/v1/{rest:path}", not_found, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]),
]
