"""The OpenAPI document of /api/v1. A test checks it lists exactly the routes that exist."""
from __future__ import annotations

from starlette.responses import JSONResponse

from consult.i18n import LANGUAGES
from consult.people.models import SECTORS
from consult.rooms.log import EVENT_TYPES
from consult.synthesis.schema import SYNTHESIS


def _obj(**props) -> dict:
    return {"type": "object", "properties": props}


S, I, B = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
# The language a contribution is written in; when a post leaves it out, the author's interface
# language (their stored choice, else Accept-Language).
LANGUAGE = {"enum": list(LANGUAGES), "description": "the language it is written in"}
ERROR = _obj(error=S, detail=S, fields={"type": "object", "additionalProperties": S})
COMMENT = _obj(id=I, room_id=I, paragraph_id={"type": ["integer", "null"]}, parent_id={"type": ["integer", "null"]},
               text=S, attribution={"enum": ["name", "sector"]}, language=LANGUAGE, author=S, sector=S, country=S,
               support=I,
               created_at={"type": "string", "format": "date-time"})
PARAGRAPH = _obj(id=I, number=S, text=S)
SECTION = _obj(id=I, number=I, title=S, paragraphs={"type": "array", "items": PARAGRAPH})
ROOM = _obj(id=I, name=S, topic=S, session=S, phase={"enum": ["setup", "open", "voting", "closed"]},
            section_ids={"type": "array", "items": I}, code={"type": "string", "description": "organisers only"})
TOKEN = _obj(id=I, name=S, created_at=S, expires_at=S, last_used_at={"type": ["string", "null"]})
EVENT = _obj(seq=I, type={"enum": list(EVENT_TYPES)}, created_at=S)


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _op(summary: str, ok: dict | None, status: str = "200", body: dict | None = None, auth: bool = True,
        params: list | None = None, errors: tuple[str, ...] | None = None) -> dict:
    op = {"summary": summary, "responses": {status: {"description": "OK", **(_json(ok) if ok else {})}}}
    if errors is None:
        errors = ("400", "401", "403", "404", "409", "413", "422", "429") if auth else ("400", "404", "422", "429")
    # 503 anywhere: the database cannot be reached for a moment (with Retry-After).
    for code in (*errors, "503"):
        op["responses"][code] = {"description": "Error", **_json({"$ref": "#/components/schemas/Error"})}
    if body:
        op["requestBody"] = {"required": True, **_json(body)}
    if auth:
        op["security"] = [{"bearer": []}]
    if params:
        op["parameters"] = params
    return op


def _path(name: str, schema=I) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


AFTER = {"name": "after", "in": "query", "schema": I, "description": "last sequence number seen"}

PATHS = {
    "/api/v1/events": {"get": _op("Events", _obj(events={"type": "array", "items": _obj(
        slug=S, title=S, venue=S, starts_on=S, ends_on=S, timezone=S)}), auth=False)},
    "/api/v1/events/{slug}/rooms": {"get": _op(
        "Rooms of an event (organisers also get each room's code)", _obj(rooms={"type": "array", "items": ROOM}),
        params=[_path("slug", S)])},
    "/api/v1/events/{slug}/documents": {"get": _op(
        "Base documents with sections and paragraphs", _obj(documents={"type": "array", "items": _obj(
            id=I, kind={"enum": ["monitoring_plan", "call_for_policies"]}, title=S,
            sections={"type": "array", "items": SECTION})}), auth=False, params=[_path("slug", S)])},
    "/api/v1/auth/login": {"post": _op(
        "Organiser sign-in: a named API token that expires (30 days unless `days` says 1 to 365)",
        dict(TOKEN, properties=dict(TOKEN["properties"], token=S)),
        body=_obj(email=S, password=S, name=S, days=I), auth=False, errors=("400", "401", "413", "422", "429"))},
    "/api/v1/auth/tokens": {"get": _op("Your API tokens that have not expired (never the tokens themselves)",
                                       _obj(tokens={"type": "array", "items": TOKEN}))},
    "/api/v1/auth/tokens/{token_id}": {"delete": _op("Revoke one of your API tokens", None, status="204",
                                                     params=[_path("token_id")])},
    "/api/v1/participants/{participant_id}/link": {"post": _op(
        "Renew a participant's personal link: the old one stops working and their browsers are signed out",
        _obj(token=S, link=S), params=[_path("participant_id")])},
    "/api/v1/rooms/join": {"post": _op(
        "Join a room by its code", _obj(participant_id=I, room_id=I, token=S), status="201",
        body=_obj(code=S, name=S, organisation=S, sector={"enum": list(SECTORS)},
                  country={"type": "string", "description": "ISO 3166-1 alpha-2"}, named_in_results=B),
        auth=False)},
    "/api/v1/rooms/{room_id}": {"get": _op(
        "A room with its sections and paragraphs",
        dict(ROOM, properties=dict(ROOM["properties"], sections={"type": "array", "items": SECTION}, last_seq=I)),
        params=[_path("room_id")])},
    "/api/v1/rooms/{room_id}/comments": {
        "get": _op("Comments; replies follow their parent", _obj(comments={"type": "array", "items": COMMENT}),
                   params=[_path("room_id"), {"name": "sort", "in": "query", "schema": {"enum": ["new", "support"]}}]),
        "post": _op("Post a comment or a reply; the same Idempotency-Key returns the same comment",
                    COMMENT, status="201",
                    body=_obj(text=S, paragraph_id=I, parent_id=I, attribution={"enum": ["name", "sector"]},
                              language=LANGUAGE),
                    params=[_path("room_id"), {"name": "Idempotency-Key", "in": "header", "required": True,
                                               "schema": S}]),
    },
    "/api/v1/comments/{comment_id}/support": {
        "put": _op("Support a comment", _obj(comment_id=I, support=I, supported=B), params=[_path("comment_id")]),
        "delete": _op("Withdraw support", _obj(comment_id=I, support=I, supported=B), params=[_path("comment_id")]),
    },
    "/api/v1/rooms/{room_id}/events": {"get": _op(
        "The room's event log after a sequence number (500 at a time)",
        _obj(events={"type": "array", "items": EVENT}, last_seq=I, more=B), params=[_path("room_id"), AFTER])},
    "/api/v1/rooms/{room_id}/stream": {"get": {
        "summary": "WebSocket: replays events after `after`, then streams them as they commit",
        "description": "Open as a WebSocket with ?after=SEQ&token=T. Messages are JSON room events, "
                       "{\"type\": \"presence\", \"here\": N}, or {\"type\": \"reload\"} when too far behind. "
                       "With batch=1 the replay comes as {\"type\": \"batch\", \"events\": [...]}, many events a "
                       "message, each as it would come alone. "
                       "Send {\"type\": \"ping\"} to get {\"type\": \"pong\"}.",
        "parameters": [_path("room_id"), AFTER, {"name": "token", "in": "query", "required": True, "schema": S},
                       {"name": "batch", "in": "query", "schema": {"enum": ["1"]},
                        "description": "1: replay many events a message"}],
        "responses": {"101": {"description": "Switching protocols"},
                      "404": {"description": "Not a WebSocket handshake: a plain GET finds nothing here",
                              **_json({"$ref": "#/components/schemas/Error"})}}}},
}

AMENDMENT = _obj(id=I, room_id=I, paragraph_id=I, kind={"enum": ["replace", "insert_after", "delete"]}, text=S,
                 rationale=S, original=S, status={"enum": ["pending", "accepted", "rejected"]}, language=LANGUAGE, author=S,
                 tally=_obj(agree=I, disagree=I, abstain=I), decided_by=S, decision_reason=S, accepted_text=S,
                 by_sector={"type": "object", "description": "rapporteurs and organisers only"})
DRAFT = _obj(version=I, conclusions=S, conclusions_html=S,
             cites=_obj(comments={"type": "array", "items": I}, amendments={"type": "array", "items": I}),
             sections={"type": "array", "items": _obj(section_id=I, paragraphs={"type": "array", "items": _obj(
                 id=S, base_paragraph_id={"type": ["integer", "null"]}, after={"type": ["integer", "null"]},
                 number=S, text=S, deleted=B, amendment_id={"type": ["integer", "null"]})})})
ROOM_ID, AMENDMENT_ID = _path("room_id"), _path("amendment_id")

PATHS.update({
    "/api/v1/rooms/{room_id}/rapporteurs": {"post": _op(
        "Organisers: make a room member its rapporteur", _obj(room_id=I, participant_id=I, role=S), status="201",
        body=_obj(participant_id=I), params=[ROOM_ID])},
    "/api/v1/rooms/{room_id}/phase": {"put": _op(
        "Rapporteur or organiser: move the room to a phase", _obj(room_id=I, phase=S),
        body=_obj(phase={"enum": ["setup", "open", "voting", "closed"]}), params=[ROOM_ID])},
    "/api/v1/rooms/{room_id}/amendments": {
        "get": _op("Amendments with status and tally", _obj(amendments={"type": "array", "items": AMENDMENT}),
                   params=[ROOM_ID]),
        "post": _op("Propose an amendment while the room is open (Idempotency-Key header)", AMENDMENT,
                    status="201", body=_obj(paragraph_id=I, kind={"enum": ["replace", "insert_after", "delete"]},
                                            text=S, rationale=S, attribution={"enum": ["name", "sector"]},
                                            language=LANGUAGE),
                    params=[ROOM_ID])},
    "/api/v1/amendments/{amendment_id}/vote": {"put": _op(
        "Vote while the room votes; one per person, changeable", _obj(amendment_id=I, choice=S,
                                                                      tally=_obj(agree=I, disagree=I, abstain=I)),
        body=_obj(choice={"enum": ["agree", "disagree", "abstain"]}), params=[AMENDMENT_ID])},
    "/api/v1/amendments/{amendment_id}/decision": {"post": _op(
        "Rapporteur or organiser: accept (optionally with edited text) or reject (with a reason)",
        dict(AMENDMENT, properties=dict(AMENDMENT["properties"], draft_version={"type": ["integer", "null"]})),
        body=_obj(decision={"enum": ["accept", "reject"]}, reason=S, text=S), params=[AMENDMENT_ID])},
    "/api/v1/rooms/{room_id}/draft": {
        "get": _op("The room's working text and conclusions", DRAFT, params=[ROOM_ID]),
        "put": _op("Rapporteur: save a new version; 409 with the current one when base_version is stale",
                   DRAFT, body=_obj(base_version=I, conclusions=S, paragraphs={"type": "array", "items": _obj(
                       id=S, text=S, deleted=B)}), params=[ROOM_ID])},
})

PROPOSAL = _obj(room_id=I, room_name=S, text={"type": ["string", "null"]}, deleted=B)
PROV_AMENDMENT = _obj(id=I, room_id=I, room_name=S, kind=S, status={"enum": ["accepted", "rejected"]}, text=S,
                      rationale=S, author=S, tally=_obj(agree=I, disagree=I, abstain=I),
                      adopted={"enum": ["yes", "partly"]}, reason={"type": "string", "description": "not adopted: why"})
CONSOLIDATED = _obj(
    document_id=I, document_title=S, version=I, note=S, created_by=S, created_at=S, published=B,
    timezone=S, created_at_local={"type": "string", "description": "in the event's time zone, with its abbreviation"},
    published_at_local=S, unchanged={"type": "boolean", "description": "POST: nothing changed, no new version"},
    rooms={"type": "array", "items": _obj(id=I, name=S, session=S, draft_version=I)},
    excluded_rooms={"type": "array", "items": _obj(id=I, name=S)},
    conclusions={"type": "array", "items": _obj(session=S, rooms={"type": "array", "items": _obj(
        room_id=I, room=S, rapporteurs={"type": "array", "items": S}, conclusions=S, draft_version=I)})},
    paragraphs={"type": "array", "items": _obj(
        key=S, base_paragraph_id={"type": ["integer", "null"]}, after={"type": ["integer", "null"]}, section_id=I,
        section_title=S, number={"type": "string", "description": "renumbered once published"},
        base_number={"type": "string", "description": "the number in the base document's numbering"},
        base_text={"type": ["string", "null"]}, text={"type": ["string", "null"]},
        status={"enum": ["unchanged", "changed", "conflict", "inserted", "deleted"]},
        rooms={"type": "array", "items": I}, room_names={"type": "array", "items": S},
        proposals={"type": "array", "items": PROPOSAL}, candidates={"type": "array", "items": PROPOSAL},
        segments={"type": "array", "description": "a paragraph in conflict: the merged text as {text} pieces "
                  "and {hunk: id} references, in order", "items": {"type": "object"}},
        hunks={"type": "array", "description": "the smallest regions in dispute", "items": _obj(
            id=S, base={"type": "string", "description": "the base words in dispute"},
            resolution={"type": ["object", "null"]},
            alternatives={"type": "array", "items": _obj(
                id=S, text={"type": ["string", "null"]}, deletes_paragraph=B, rooms={"type": "array", "items": I},
                room_names={"type": "array", "items": S},
                variants={"type": "array", "description": "near-identical wordings grouped in this option",
                          "items": _obj(text=S, rooms={"type": "array", "items": I},
                                        room_names={"type": "array", "items": S})})})},
        variants={"type": "array", "description": "an inserted paragraph: near-identical wordings of the rooms",
                  "items": _obj(text=S, rooms={"type": "array", "items": I}, room_names={"type": "array", "items": S})},
        resolution={"type": ["object", "null"]},
        edits={"type": "array", "items": _obj(from_version=I, before=S, note=S, by=S, at=S)},
        provenance=_obj(
            rooms={"type": "array", "items": _obj(room_id=I, room_name=S, adopted={"enum": [
                "yes", "partly", "no", "pending"]}, proposed={"enum": ["text", "deletion"]}, reason=S)},
            adopted_rooms={"type": "array", "items": S},
            amendments={"type": "array", "items": PROV_AMENDMENT, "description": "adopted"},
            not_adopted={"type": "array", "items": PROV_AMENDMENT},
            support=_obj(agree=I, disagree=I, abstain=I, amendments=I),
            organisers={"type": ["string", "null"]}, comments={"type": "array"},
            reactions={"type": ["object", "null"]}, base_number=S))})
DOC_ID, VERSION = _path("document_id"), _path("version")
EXCLUDED = _obj(id=I, name=S, session=S, excluded=B)
PATHS.update({
    "/api/v1/documents/{document_id}/consolidations": {"post": _op(
        "Organisers: merge the latest text of every room not left out into a new immutable version; "
        "200 with unchanged=true and the latest version when nothing changed", CONSOLIDATED, status="201",
        params=[DOC_ID])},
    "/api/v1/documents/{document_id}/consolidations/{version}": {"get": _op(
        "A consolidated version (organisers; anyone once published)", CONSOLIDATED, params=[DOC_ID, VERSION])},
    "/api/v1/documents/{document_id}/consolidations/{version}/conflicts/{key}/{hunk}": {"put": _op(
        "Organisers: resolve one conflict hunk of a paragraph of the latest version; the result is a new version",
        CONSOLIDATED, status="201", body=_obj(
            choice={"type": "string", "description": "an alternative's id (a1, a2, …), base (keep the original "
                    "words) or custom (write new words in text)"}, text=S, note=S),
        params=[DOC_ID, VERSION, _path("key", S), _path("hunk", S)])},
    "/api/v1/documents/{document_id}/consolidations/{version}/resolutions": {"post": _op(
        "Organisers: resolve a conflict of the latest version; the result is a new version", CONSOLIDATED,
        status="201", body=_obj(key=S, choice={"type": "string", "description": "room:<id>, delete or custom"},
                                text=S, note=S), params=[DOC_ID, VERSION])},
    "/api/v1/documents/{document_id}/consolidations/{version}/publish": {"post": _op(
        "Organisers: publish a version without conflicts", CONSOLIDATED, params=[DOC_ID, VERSION])},
    "/api/v1/documents/{document_id}/consolidations/{version}/paragraphs/{key}": {"put": _op(
        "Organisers: reword a paragraph of the latest unpublished version (audited); the result is a new version",
        CONSOLIDATED, status="201", body=_obj(text=S, note={"type": "string", "description": "why; required"}),
        params=[DOC_ID, VERSION, _path("key", S)])},
    "/api/v1/documents/{document_id}/excluded-rooms": {
        "get": _op("Organisers: the rooms of a document and whether consolidations leave them out",
                   _obj(rooms={"type": "array", "items": EXCLUDED}), params=[DOC_ID]),
        "put": _op("Organisers: the rooms the next consolidations leave out (remembered per document)",
                   _obj(rooms={"type": "array", "items": EXCLUDED}), body=_obj(room_ids={"type": "array", "items": I}),
                   params=[DOC_ID])},
})

for kind, media in (("pdf", "application/pdf"),
                    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                    ("odt", "application/vnd.oasis.opendocument.text")):
    PATHS[f"/api/v1/documents/{{document_id}}/consolidations/{{version}}/export.{kind}"] = {"get": {
        "summary": f"The version as .{kind}: headings, numbering, changes against the base "
                   + ("as in the print view" if kind == "pdf" else "as tracked changes attributed to the rooms")
                   + ", and a provenance annex (organisers; anyone once published)",
        "security": [{"bearer": []}, {}],
        "parameters": [DOC_ID, VERSION] + ([{"name": "marks", "in": "query", "schema": {"enum": ["on", "off"]}}]
                                          if kind == "pdf" else []),
        "responses": {"200": {"description": "The file", "content": {media: {}}},
                      **{code: {"description": "Error", **_json({"$ref": "#/components/schemas/Error"})}
                         for code in ("401", "403", "404", "503")}}}}

PATHS["/api/v1/events/{slug}/export.xlsx"] = {"get": {
    "summary": "Organisers: the consultation workbook (built at the moment of the request)",
    "security": [{"bearer": []}], "parameters": [_path("slug", S)],
    "responses": {"200": {"description": "The workbook", "content": {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
        "401": {"description": "Error", **_json({"$ref": "#/components/schemas/Error"})},
        "403": {"description": "Error", **_json({"$ref": "#/components/schemas/Error"})},
        "404": {"description": "Error", **_json({"$ref": "#/components/schemas/Error"})},
        "503": {"description": "Error", **_json({"$ref": "#/components/schemas/Error"})}}}}

PATHS["/api/v1/events/{slug}/synthesis"] = {"get": _op(
    "Organisers: agreement by sector, consensus and divisiveness per item, opinion groups, themes (pseudonymised)",
    SYNTHESIS, params=[_path("slug", S)])}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {"title": "Consult integration API", "version": "1"},
    "paths": PATHS,
    "components": {"schemas": {"Error": ERROR},
                   "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
}


async def openapi(request):
    return JSONResponse(DOCUMENT)
