"""A consolidated version as a file to hand over: the print view's HTML, and PDF (WeasyPrint
from that same template), .docx and .odt from the same layout. Organisers read any version;
everyone else only published ones (service.get_version decides)."""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy.orm import Session

from consult.audit import service as audit
from consult.conference.models import Event
from consult.consolidation import service
from consult.consolidation.layout import Layout, layout, lines
from consult.consolidation.opendocument import write_odt
from consult.consolidation.word import write_docx
from consult.errors import NotFound
from consult.people.actor import Actor
from consult.settings import ROOT

MEDIA = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "odt": "application/vnd.oasis.opendocument.text"}
BASE_URL = "http://consult.invalid/"      # the PDF's stylesheet is read from static/, never fetched


def prepare(session: Session, actor: Actor, *, document_id: int, version: int) -> tuple[dict, Layout, Event]:
    view = service.get_version(session, actor, document_id, version)
    event = session.get(Event, view["event_id"])
    return view, layout(view, event.title), event


def filename(view: dict, event: Event, kind: str) -> str:
    state = "published" if view["published"] else "draft"
    return f"{event.slug}-{view['kind'].replace('_', '-')}-v{view['version']}-{state}.{kind}"


def _css_string(text: str) -> str:
    """Text as the inside of a CSS string: anything but letters, digits and spaces escaped."""
    return "".join(ch if ch.isalnum() or ch == " " else f"\\{ord(ch):x} " for ch in text)


def print_context(view: dict, doc: Layout, marks: bool, for_pdf: bool = False) -> dict:
    return {"v": view, "doc": doc, "marks": marks, "lines": lines, "for_pdf": for_pdf,
            "header_css": _css_string(doc.header)}


def _static(url: str):
    from weasyprint.urls import URLFetcherResponse

    path = urlparse(url).path
    target = (ROOT / path.lstrip("/")).resolve()
    if not path.startswith("/static/") or not target.is_relative_to((ROOT / "static").resolve()):
        raise NotFound(f"The PDF reads only the app's own files, not {url}.")
    return URLFetcherResponse(url, body=Path(target).read_bytes(),
                              headers={"Content-Type": mimetypes.guess_type(str(target))[0] or "text/plain"})


def pdf(view: dict, doc: Layout, marks: bool) -> bytes:
    from weasyprint import HTML

    from consult.web.templating import env
    html = env.get_template("consolidation/print.html").render(print_context(view, doc, marks, for_pdf=True))
    return HTML(string=html, base_url=BASE_URL, url_fetcher=_static).write_pdf()


def render(view: dict, doc: Layout, kind: str, marks: bool = True) -> bytes:
    if kind == "pdf":
        return pdf(view, doc, marks)
    if kind == "docx":
        return write_docx(doc, view["created_at"])
    if kind == "odt":
        return write_odt(doc, view["created_at"])
    raise NotFound(f"No .{kind} file; there are .pdf, .docx and .odt.")


def record_download(session: Session, actor: Actor, *, view: dict, name: str) -> None:
    """Who took which file is logged; a published version read without signing in has no one to log."""
    if not actor.is_anonymous:
        audit.record(session, actor, "document.download", event_id=view["event_id"],
                     document_id=view["document_id"], version=view["version"], file=name)
