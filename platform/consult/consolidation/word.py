"""A consolidated version as a Word document (python-docx): pure, layout in, bytes out.

Changes against the base are real tracked changes (w:ins and w:del, each attributed to the
room that made it, or to the organisers), so a secretariat can accept or reject them in Word
or LibreOffice. python-docx has no API for revisions, so those runs are written as OOXML."""
from __future__ import annotations

import io
import itertools

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from consult.consolidation.layout import CONFLICT, Layout, Paragraph, plain_conclusions
from consult.consolidation.provenance import ORGANISERS
from consult.i18n import _
from consult.textdiff import DELETE, EQUAL, INSERT

GREY = RGBColor(0x55, 0x55, 0x55)


def _text_run(text: str, deleted: bool = False, bold: bool = False, conflict: bool = False):
    run = OxmlElement("w:r")
    if bold or conflict:
        props = OxmlElement("w:rPr")
        if bold:
            props.append(OxmlElement("w:b"))
        if conflict:          # an open conflict: its alternatives, marked to be settled
            highlight = OxmlElement("w:highlight")
            highlight.set(qn("w:val"), "yellow")
            props.append(highlight)
        run.append(props)
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    return run


class _Revisions:
    """Numbers each revision; Word wants them unique in the document."""

    def __init__(self, date: str):
        self.ids, self.date = itertools.count(1), date

    def mark(self, tag: str, author: str):
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(next(self.ids)))
        element.set(qn("w:author"), author)
        element.set(qn("w:date"), self.date)
        return element

    def paragraph_mark(self, paragraph, tag: str, author: str) -> None:
        """An inserted or deleted paragraph: its mark is a revision too, so accepting removes it whole."""
        props = paragraph._p.get_or_add_pPr()
        run_props = OxmlElement("w:rPr")
        run_props.append(self.mark(tag, author))
        props.append(run_props)


def _paragraph(doc, p: Paragraph, revisions: _Revisions) -> None:
    para = doc.add_paragraph(style="Body Text")
    para.paragraph_format.left_indent = Cm(1.2)
    para.paragraph_format.first_line_indent = Cm(-1.2)
    para._p.append(_text_run(f"{p.number}\t", bold=True))
    for run in p.runs:
        if run.op == CONFLICT:
            para._p.append(_text_run(run.shown, conflict=True))
        elif run.op == EQUAL:
            para._p.append(_text_run(run.text))
        else:
            change = revisions.mark("w:ins" if run.op == INSERT else "w:del", run.author)
            change.append(_text_run(run.text, deleted=run.op == DELETE))
            para._p.append(change)
    if p.status in ("inserted", "deleted"):
        author = next((r.author for r in p.runs if r.op != EQUAL), "")
        revisions.paragraph_mark(para, "w:ins" if p.status == "inserted" else "w:del", author)
    if p.alternatives:
        note = doc.add_paragraph(style="Body Text")
        note.paragraph_format.left_indent = Cm(1.2)
        lead = note.add_run(_("In conflict, not yet resolved.") + " ")
        lead.bold = True
        for rooms, text in p.alternatives:
            note.add_run(f"{rooms}: ").italic = True
            note.add_run(f"{text} ")


def _field(paragraph, instruction: str) -> None:
    """A PAGE or NUMPAGES field, which Word and LibreOffice fill in."""
    for kind, text in (("begin", None), (None, instruction), ("end", None)):
        run = OxmlElement("w:r")
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run.append(char)
        else:
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {text} "
            run.append(code)
        paragraph._p.append(run)


def _page_setup(doc, layout: Layout) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.3)
    section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
    header = section.header.paragraphs[0]
    header.text = layout.header
    header.runs[0].font.size, header.runs[0].font.color.rgb = Pt(8), GREY
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # "Page 2 of 5" in the reader's words, the numbers as fields wherever the language puts them.
    said = _("Page %(page)s of %(pages)s", page="\0PAGE\0", pages="\0NUMPAGES\0")
    for part in said.split("\0"):
        if part in ("PAGE", "NUMPAGES"):
            _field(footer, part)
        elif part:
            footer.add_run(part)
    # Line numbers in the margin, restarting on each page, as motions are printed.
    numbering = OxmlElement("w:lnNumType")
    numbering.set(qn("w:countBy"), "1")
    numbering.set(qn("w:restart"), "newPage")
    numbering.set(qn("w:distance"), "283")
    section._sectPr.append(numbering)


def write_docx(layout: Layout, date: str) -> bytes:
    """date: ISO 8601 UTC, the time the changes are dated (the version's)."""
    doc = Document()
    styles = doc.styles
    styles["Normal"].font.name, styles["Normal"].font.size = "Liberation Serif", Pt(11)
    numbers = styles.add_style("Line Number", WD_STYLE_TYPE.CHARACTER)
    numbers.font.size, numbers.font.color.rgb = Pt(7), GREY
    _page_setup(doc, layout)
    doc.core_properties.title = f"{layout.title}, {_('version %(n)s', n=layout.version)}"
    doc.core_properties.author = _(ORGANISERS)
    doc.add_heading(layout.title, level=0)
    intro = doc.add_paragraph(f"{layout.event}. {_('Consolidated version %(version)s', version=layout.version)}. "
                              f"{layout.status}.")
    intro.runs[0].font.color.rgb = GREY
    if layout.authors:
        doc.add_paragraph(_("Changes against the base text are tracked, each under the name of the room that "
                            "made it: %(authors)s. Accept or reject them in the Review tab.",
                            authors=", ".join(layout.authors)))
    revisions = _Revisions(date)
    for section in layout.sections:
        doc.add_heading(f"{section.number}. {section.title}", level=1)
        for p in section.paragraphs:
            _paragraph(doc, p, revisions)
    if layout.conclusions:
        doc.add_heading(_("Conclusions of the rooms"), level=1)
        for s in layout.conclusions:
            for r in s["rooms"]:
                doc.add_heading(f"{r['room']} ({s['session']})", level=2)
                if r.get("rapporteurs"):                  # who wrote them, as in the print view
                    doc.add_paragraph(_("Rapporteur: %(names)s", names=", ".join(r["rapporteurs"])))
                for kind, text in plain_conclusions(r["conclusions"]):
                    doc.add_paragraph(text, style="List Bullet" if kind == "bullet" else None)
    doc.add_page_break()
    doc.add_heading(_("Annex: provenance of each paragraph"), level=1)
    for section in layout.sections:
        for p in section.paragraphs:
            if not p.annex:
                continue
            doc.add_heading(f"{p.number}", level=3)
            for line in p.annex:
                doc.add_paragraph(line, style="List Bullet")
    for para in doc.paragraphs:
        if para.style.name != "Body Text":     # only the document's own text has line numbers
            para._p.get_or_add_pPr().append(OxmlElement("w:suppressLineNumbers"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
