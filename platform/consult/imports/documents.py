"""Importing a base document from a spreadsheet or Markdown: a new document, or new sections
and paragraphs for one that no room has worked on yet.

Paragraph ids are what every comment, amendment, reaction, draft and consolidated version
points at, so a document's paragraphs are replaced only while nothing points at them.
Sections keep their ids by position, so the rooms assigned to "section 2" still work on it.
"""
from __future__ import annotations

from pathlib import PurePosixPath

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from consult import i18n
from consult.access import require_organiser
from consult.amendments.models import Amendment
from consult.audit import service as audit
from consult.conference.service import event_id as find_event_id
from consult.consolidation.models import ConsolidatedVersion
from consult.contributions.models import Comment
from consult.documents.models import KINDS, Document, Paragraph, Section
from consult.drafting.models import DraftVersion
from consult.engagement.models import Reaction
from consult.errors import Conflict, Invalid, NotFound, Unsupported
from consult.imports.files import (
    Block,
    Outline,
    OutlineSection,
    Problem,
    Row,
    map_columns,
    read_markdown,
    read_sheet,
    refuse_if_problems,
)
from consult.people.actor import Actor
from consult.rooms.models import Room, RoomSection
from consult.text import clean_line
from consult.i18n import N_, _, ngettext

KIND_LABELS = {"monitoring_plan": N_("Monitoring plan"), "call_for_policies": N_("Call for policies")}
MAX_SECTIONS = 50
MAX_PARAGRAPHS = 60
MAX_PARAGRAPH_CHARS = 5000
MAX_TITLE_CHARS = 200
# The most a valid sheet can hold: a header, then one row per paragraph.
MAX_ROWS = 1 + MAX_SECTIONS * MAX_PARAGRAPHS
MARKDOWN_SUFFIXES = (".md", ".markdown", ".txt")

IMPORTING = N_("import documents")  # what require_organiser says was refused


def read_outline(filename: str, data: bytes) -> Outline:
    """The file's sections, read by the kind of file its name says it is; its content must agree."""
    suffix = PurePosixPath(filename.lower()).suffix
    if suffix == ".xlsx":
        return outline_from_rows(read_sheet(data, MAX_ROWS))
    if suffix in MARKDOWN_SUFFIXES:
        return read_markdown(data)
    said = _("“%(name)s” is not a file this page reads: upload an Excel workbook (.xlsx) or a Markdown file (.md).",
             name=filename)
    raise Unsupported(said, {"file": said})


def outline_from_rows(rows: list[Row]) -> Outline:
    """Columns `section` and `paragraph` (or `text`): consecutive rows with the same section
    title form one section. A blank section cell continues the section above, as merged
    cells read; a row with a title and no text starts a section."""
    if not rows:
        raise Invalid(_("The sheet is empty. Its first row must name the columns: section, paragraph."))
    header, *body = rows
    columns = map_columns(header, ("section", "paragraph"), aliases={"text": "paragraph"})
    outline = Outline(title=None, sections=[], unit="Row")
    started_at: dict[str, int] = {}
    for row in body:
        title, text = clean_line(row.get(columns["section"])), row.get(columns["paragraph"])
        current = outline.sections[-1] if outline.sections else None
        if title and (current is None or title != current.title.text):
            if title in started_at:
                outline.problems.append(Problem(row.number, "section", _(
                    "The section “%(title)s” already started at row %(row)s: keep a section's rows together.",
                    title=title, row=started_at[title])))
                continue
            started_at[title] = row.number
            current = OutlineSection(Block(row.number, title))
            outline.sections.append(current)
        if current is None:
            outline.problems.append(Problem(row.number, "section", _(
                "The section is empty: give the section title on the first row of each section.")))
        elif text:
            current.paragraphs.append(Block(row.number, text))
    return outline


def check_outline(outline: Outline, title: str | None) -> None:
    """Every limit, checked on the whole file before anything is written."""
    problems = list(outline.problems)
    if title and len(title) > MAX_TITLE_CHARS:
        problems.append(Problem(None, "", _("The document title is longer than %(max)s characters.",
                                            max=MAX_TITLE_CHARS)))
    if not outline.sections and not outline.problems:
        problems.append(Problem(None, "", _("The file has no sections. Each section starts with a “## ” heading.")
                                if outline.unit == "Line" else _("The file has no sections.")))
    if len(outline.sections) > MAX_SECTIONS:
        problems.append(Problem(outline.sections[MAX_SECTIONS].title.at, "section", _(
            "A document has at most %(max)s sections; this is section %(number)s. Split the document.",
            max=MAX_SECTIONS, number=MAX_SECTIONS + 1)))
    for section in outline.sections:
        problems += _section_problems(section)
    refuse_if_problems(problems, outline.unit)


def _section_problems(section: OutlineSection) -> list[Problem]:
    title, problems = section.title, []
    if not title.text:
        problems.append(Problem(title.at, "section", _("The section has no title.")))
    if len(title.text) > MAX_TITLE_CHARS:
        problems.append(Problem(title.at, "section", _("The section title is longer than %(max)s characters.",
                                                       max=MAX_TITLE_CHARS)))
    if not section.paragraphs:
        problems.append(Problem(title.at, "section", _("The section “%(title)s” has no paragraphs.", title=title.text)))
    if len(section.paragraphs) > MAX_PARAGRAPHS:
        problems.append(Problem(section.paragraphs[MAX_PARAGRAPHS].at, "paragraph", _(
            "A section has at most %(max)s paragraphs; this is paragraph %(number)s of “%(title)s”. Split the section.",
            max=MAX_PARAGRAPHS, number=MAX_PARAGRAPHS + 1, title=title.text)))
    problems += [Problem(p.at, "paragraph", _("The paragraph has %(length)s characters; the limit is %(max)s. "
                                              "Split it.", length=len(p.text), max=MAX_PARAGRAPH_CHARS))
                 for p in section.paragraphs if len(p.text) > MAX_PARAGRAPH_CHARS]
    return problems


def create_document(session: Session, actor: Actor, event_slug: str, *, outline: Outline, kind: str,
                    title: str | None, source: str = "") -> dict:
    require_organiser(actor, doing=IMPORTING)
    title = clean_line(title) or outline.title
    check_outline(outline, title)
    if kind not in KINDS:
        raise Invalid(_("Choose what kind of document this is."), {"kind": _("Choose a kind.")})
    if not title:
        raise Invalid(_("Give the document a title (or start a Markdown file with a “# ” title)."),
                      {"title": _("Enter a title.")})
    event_id = find_event_id(session, event_slug)
    position = session.scalar(select(func.coalesce(func.max(Document.position) + 1, 0))
                              .where(Document.event_id == event_id))
    document = Document(event_id=event_id, kind=kind, title=title, position=position)
    session.add(document)
    session.flush()
    _write_sections(session, document.id, outline.sections, existing=[])
    return _audited(session, actor, summary(document, outline, replaced=False), event_id, source)


def replace_document(session: Session, actor: Actor, document_id: int, *, outline: Outline,
                     title: str | None, source: str = "") -> dict:
    require_organiser(actor, doing=IMPORTING)
    title = clean_line(title) or outline.title
    check_outline(outline, title)
    document = session.get(Document, document_id)
    if document is None:
        said = _("That document does not exist any more. Reload the page.")
        raise NotFound(said, {"target": said})
    check_untouched(session, document)
    sections = list(session.scalars(select(Section).where(Section.document_id == document.id)
                                    .order_by(Section.position)))
    dropped = sections[len(outline.sections):]
    check_unassigned(session, dropped, len(outline.sections))
    session.execute(delete(Paragraph).where(Paragraph.section_id.in_([s.id for s in sections])))
    session.execute(delete(Section).where(Section.id.in_([s.id for s in dropped])))
    _write_sections(session, document.id, outline.sections, existing=sections)
    if title:
        document.title = title
    return _audited(session, actor, summary(document, outline, replaced=True), document.event_id, source)


def _audited(session: Session, actor: Actor, done: dict, event_id: int, source: str) -> dict:
    audit.record(session, actor, "import.document", event_id=event_id, document_id=done["id"], title=done["title"],
                 file=clean_line(source)[:200] or "a file", replaced=done["replaced"], sections=len(done["sections"]),
                 paragraphs=sum(s["paragraphs"] for s in done["sections"]))
    return done


def check_untouched(session: Session, document: Document) -> None:
    """Refuse to replace paragraphs that contributions point at."""
    section_ids = select(Section.id).where(Section.document_id == document.id)
    paragraph_ids = select(Paragraph.id).where(Paragraph.section_id.in_(section_ids))
    room_ids = select(RoomSection.room_id).where(RoomSection.section_id.in_(section_ids))
    pointing = {
        N_("comments"): select(Comment.id).where(Comment.paragraph_id.in_(paragraph_ids)),
        N_("amendments"): select(Amendment.id).where(Amendment.paragraph_id.in_(paragraph_ids)),
        N_("reactions"): select(Reaction.room_id).where(Reaction.paragraph_id.in_(paragraph_ids)),
        N_("room drafts"): select(DraftVersion.id).where(DraftVersion.room_id.in_(room_ids)),
        N_("consolidated versions"): select(ConsolidatedVersion.id)
        .where(ConsolidatedVersion.document_id == document.id),
    }
    found = [_(label) for label, query in pointing.items() if session.scalar(select(query.exists()))]
    if found:
        raise Conflict(_("“%(title)s” cannot be replaced: it already has %(found)s, which belong to its current "
                         "paragraphs and would be lost. Import the file as a new document instead.",
                         title=document.title, found=i18n.and_list(found)))


def check_unassigned(session: Session, dropped: list[Section], kept: int) -> None:
    """Sections the new file no longer has are removed; a room must not lose one it works on."""
    rows = session.execute(select(Room.name, Section.position)
                           .join(RoomSection, RoomSection.room_id == Room.id)
                           .join(Section, Section.id == RoomSection.section_id)
                           .where(Section.id.in_([s.id for s in dropped]))
                           .order_by(Room.name, Section.position)).all()
    if rows:
        sections_of: dict[str, list[str]] = {}
        for name, position in rows:
            sections_of.setdefault(name, []).append(str(position + 1))
        uses = i18n.and_list(ngettext("%(room)s (section %(sections)s)", "%(room)s (sections %(sections)s)",
                                      len(numbers), room=name, sections=", ".join(numbers))
                             for name, numbers in sections_of.items())
        raise Conflict(ngettext("The file has %(num)s section, but rooms work on later ones: %(rooms)s. Keep at "
                                "least %(needed)s sections in the file, or import it as a new document.",
                                "The file has %(num)s sections, but rooms work on later ones: %(rooms)s. Keep at "
                                "least %(needed)s sections in the file, or import it as a new document.",
                                kept, rooms=uses, needed=max(position for _name, position in rows) + 1))


def _write_sections(session: Session, document_id: int, parsed: list[OutlineSection],
                    existing: list[Section]) -> None:
    for position, new in enumerate(parsed):
        section = existing[position] if position < len(existing) else Section(document_id=document_id)
        section.position, section.title = position, new.title.text
        session.add(section)
        session.flush()
        session.add_all([Paragraph(section_id=section.id, position=i, text=p.text)
                         for i, p in enumerate(new.paragraphs)])


def summary(document: Document, outline: Outline, replaced: bool) -> dict:
    return {"id": document.id, "title": document.title, "kind": _(KIND_LABELS[document.kind]), "replaced": replaced,
            "sections": [{"title": s.title.text, "paragraphs": len(s.paragraphs)} for s in outline.sections]}


def document_choices(session: Session, actor: Actor, event_slug: str) -> list[dict]:
    """The documents an import can replace, for the form."""
    require_organiser(actor, doing=IMPORTING)
    event_id = find_event_id(session, event_slug)
    return [{"id": d.id, "title": d.title, "kind": KIND_LABELS.get(d.kind, d.kind)}
            for d in session.scalars(select(Document).where(Document.event_id == event_id).order_by(Document.position))]

