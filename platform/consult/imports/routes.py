"""Organiser pages: import registered participants (then print their badges) and import a
base document, each from an uploaded file.

The upload forms post with htmx, which sends the CSRF token as a header: the CSRF middleware
reads a token from urlencoded bodies only, and buffers no more than 256 KiB of a body.
"""
from __future__ import annotations

from dataclasses import dataclass

import segno
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from consult.access import require_organiser
from consult.conference.service import first_event_slug
from consult.errors import DomainError, TooLarge
from consult.imports import documents, files, participants, template
from consult.web.forms import Refusal, is_htmx, optional_int
from consult.web.templating import page
from consult.i18n import _

# Room for the multipart framing and the few small fields sent with the file.
FORM_OVERHEAD = 64 * 1024
BODY_LIMIT = (files.MAX_UPLOAD_BYTES + FORM_OVERHEAD, files.too_large().detail)


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    fields: dict[str, str]


async def read_upload(request: Request) -> Upload:
    """The posted file and the form's other fields, read whatever the file is: a refused file
    comes back with the rest of the form as it was typed. The body was bounded on its way in
    (web/limits.py, with this module's limit), so the parser never spools more; a body cut off
    there leaves no form to read (TooLarge)."""
    try:
        async with request.form(max_files=1, max_fields=10) as form:
            upload = form.get("file")
            chosen = isinstance(upload, UploadFile) and bool(upload.filename)
            data = await upload.read(files.MAX_UPLOAD_BYTES + 1) if chosen else b""
            fields = {key: value for key, value in form.items() if isinstance(value, str)}
    except TooLarge:
        raise files.too_large() from None
    return Upload(upload.filename if chosen else "", data, fields)


def sent_back(request: Request, template: str, context: dict, error: DomainError, sent: dict[str, str] | None):
    """The import page again with the refusal: a problem of the file itself next to the file
    field, of the document chosen next to its select, anything else above the form. `sent` is None when the body was refused before it
    was read (too large): the page then replaces only its file field, so the other fields keep
    what was typed in them."""
    refusal = Refusal.of(error, sent or {}, "upload-form", said_at=("file", "target"))
    context = {**context, "refused": refusal, "error": error}
    if sent is None and is_htmx(request):
        return page(request, template, context, status=refusal.status, headers={
            "HX-Retarget": "#f-file-field", "HX-Reselect": "#f-file-field", "HX-Reswap": "outerHTML"})
    return page(request, template, context, status=refusal.status)


# --- participants ---------------------------------------------------------------------------

async def participants_form(request: Request):
    require_organiser(request.state.actor, doing=participants.IMPORTING)
    return page(request, "imports/participants.html", {"refused": None, "error": None})


async def import_participants(request: Request):
    core = request.app.state.core
    actor = request.state.actor
    require_organiser(actor, doing=participants.IMPORTING)
    sent = None
    try:
        upload = await read_upload(request)
        sent = upload.fields
        files.check_upload(upload.filename, upload.data)
        rows = await run_in_threadpool(files.read_sheet, upload.data, participants.MAX_ROWS)
        slug = await core.read(first_event_slug)
        people = await core.write(participants.import_participants, actor, slug, rows=rows, source=upload.filename)
    except DomainError as error:
        return sent_back(request, "imports/participants.html", {}, error, sent)
    # The links are shown this once and are keys to their owners' accounts: keep no copy.
    return page(request, "imports/badges.html", {"badges": [_badge(request, p) for p in people]},
                headers={"Cache-Control": "no-store"})


def _badge(request: Request, person: dict) -> dict:
    link = str(request.url_for("personal_link", token=person["token"]))
    qr = segno.make(link, error="m").svg_inline(omitsize=True, title=_("QR code of %(name)s's personal link", name=person["name"]))
    return {"name": person["name"], "organisation": person["organisation"], "sector_label": person["sector_label"],
            "room": person["room"], "role": person["role"], "link": link, "qr": qr}


async def participants_template(request: Request):
    core = request.app.state.core
    require_organiser(request.state.actor, doing=participants.IMPORTING)
    slug = await core.read(first_event_slug)
    data = await core.read(template.participants_template, request.state.actor, slug)
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="participants-template-{slug}.xlsx"'})


# --- documents ------------------------------------------------------------------------------

async def document_form(request: Request):
    require_organiser(request.state.actor, doing=documents.IMPORTING)
    return await _document_page(request)


async def import_document(request: Request):
    require_organiser(request.state.actor, doing=documents.IMPORTING)
    sent = None
    try:
        upload = await read_upload(request)
        sent = upload.fields
        files.check_upload(upload.filename, upload.data)
        outline = await run_in_threadpool(documents.read_outline, upload.filename, upload.data)
        done = await _create_or_replace(request, sent, outline, upload.filename)
    except DomainError as error:
        return sent_back(request, "imports/document.html", await _document_context(request), error, sent)
    return await _document_page(request, done=done)


async def _create_or_replace(request: Request, values: dict[str, str], outline: files.Outline, source: str) -> dict:
    core = request.app.state.core
    actor = request.state.actor
    target = values.get("target", "new")
    if target == "new":
        slug = await core.read(first_event_slug)
        return await core.write(documents.create_document, actor, slug, outline=outline, kind=values.get("kind", ""),
                                title=values.get("title"), source=source)
    document_id = optional_int(target, "target")
    return await core.write(documents.replace_document, actor, document_id, outline=outline, title=values.get("title"),
                            source=source)


async def _document_context(request: Request) -> dict:
    core = request.app.state.core
    slug = await core.read(first_event_slug)
    choices = await core.read(documents.document_choices, request.state.actor, slug)
    return {"choices": choices, "kinds": documents.KIND_LABELS}


async def _document_page(request: Request, done: dict | None = None):
    context = {**await _document_context(request), "refused": None, "error": None, "done": done}
    return page(request, "imports/document.html", context)


routes = [
    Route("/organiser/import/participants", participants_form, methods=["GET"]),
    Route("/organiser/import/participants-template.xlsx", participants_template),
    Route("/organiser/import/participants", import_participants, methods=["POST"]),
    Route("/organiser/import/document", document_form, methods=["GET"]),
    Route("/organiser/import/document", import_document, methods=["POST"]),
]
