"""A consolidated version as an OpenDocument text (.odt): pure, layout in, bytes out.

Changes against the base are tracked changes (text:tracked-changes: an insertion is marked
in place by change-start/change-end, a deletion keeps its text in the changed region), each
under the name of the room that made it, so LibreOffice can accept or reject them. Written as
plain XML: the format is small enough, and a library would hide the change regions."""
from __future__ import annotations

import io
import zipfile
from itertools import groupby
from xml.sax.saxutils import escape

from consult.consolidation.layout import CONFLICT, Layout, Paragraph, plain_conclusions
from consult.i18n import _
from consult.textdiff import DELETE, EQUAL, INSERT

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" '
      'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.3"')

STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS}>
<office:font-face-decls/>
<office:styles>
 <style:default-style style:family="paragraph"><style:text-properties style:font-name="Liberation Serif" fo:font-family="'Liberation Serif'" fo:font-size="11pt"/></style:default-style>
 <style:style style:name="Standard" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.2cm" text:number-lines="false"/></style:style>
 <style:style style:name="Title" style:family="paragraph"><style:paragraph-properties text:number-lines="false"/><style:text-properties fo:font-size="20pt" fo:font-weight="bold"/></style:style>
 <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1"><style:paragraph-properties fo:margin-top="0.5cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always" text:number-lines="false"/><style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2"><style:paragraph-properties fo:margin-top="0.3cm" fo:keep-with-next="always" text:number-lines="false"/><style:text-properties fo:font-size="12pt" fo:font-weight="bold"/></style:style>
 <style:style style:name="Clause" style:family="paragraph"><style:paragraph-properties fo:margin-left="1.2cm" fo:text-indent="-1.2cm" fo:margin-bottom="0.25cm" text:number-lines="true"/></style:style>
 <style:style style:name="Annex" style:family="paragraph"><style:paragraph-properties fo:margin-left="0.6cm" text:number-lines="false"/><style:text-properties fo:font-size="9.5pt"/></style:style>
 <text:list-style style:name="Bullets"><text:list-level-style-bullet text:level="1" text:bullet-char="•"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.6cm" fo:text-indent="-0.4cm" fo:margin-left="0.6cm"/></style:list-level-properties></text:list-level-style-bullet></text:list-style>
 <style:style style:name="Header" style:family="paragraph"><style:paragraph-properties text:number-lines="false"/><style:text-properties fo:font-size="8pt" fo:color="#555555"/></style:style>
 <style:style style:name="Footer" style:family="paragraph"><style:paragraph-properties fo:text-align="center" text:number-lines="false"/><style:text-properties fo:font-size="9pt"/></style:style>
 <style:style style:name="Number" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
 <style:style style:name="Conflict" style:family="text"><style:text-properties fo:background-color="#fff1d6" fo:color="#6b3d00"/></style:style>
 <style:style style:name="Note" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
 <style:style style:name="Line_20_numbering" style:display-name="Line numbering" style:family="text"><style:text-properties fo:font-size="7pt" fo:color="#888888"/></style:style>
 <text:linenumbering-configuration text:style-name="Line_20_numbering" text:number-lines="true" text:count-empty-lines="false" text:offset="0.4cm" style:num-format="1" text:number-position="left" text:increment="1" text:restart-on-page="true"/>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-left="2.3cm" fo:margin-right="2.3cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm"/>
  <style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.4cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.4cm"/></style:footer-style></style:page-layout>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="A4">
  <style:header><text:p text:style-name="Header">{{header}}</text:p></style:header>
  <style:footer><text:p text:style-name="Footer">{{footer}}</text:p></style:footer>
 </style:master-page>
</office:master-styles>
</office:document-styles>"""

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
 <manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


class _Changes:
    def __init__(self, date: str):
        self.regions: list[str] = []
        self.date = date

    def _info(self, author: str) -> str:
        return (f"<office:change-info><dc:creator>{escape(author)}</dc:creator>"
                f"<dc:date>{self.date}</dc:date></office:change-info>")

    def insertion(self, text: str, author: str) -> str:
        cid = f"ct{len(self.regions) + 1}"
        self.regions.append(f'<text:changed-region xml:id="{cid}" text:id="{cid}"><text:insertion>'
                            f"{self._info(author)}</text:insertion></text:changed-region>")
        return f'<text:change-start text:change-id="{cid}"/>{escape(text)}<text:change-end text:change-id="{cid}"/>'

    def deletion(self, text: str, author: str) -> str:
        cid = f"ct{len(self.regions) + 1}"
        self.regions.append(f'<text:changed-region xml:id="{cid}" text:id="{cid}"><text:deletion>'
                            f"{self._info(author)}<text:p>{escape(text)}</text:p></text:deletion></text:changed-region>")
        return f'<text:change text:change-id="{cid}"/>'


def _p(style: str, inner: str) -> str:
    return f'<text:p text:style-name="{style}">{inner}</text:p>'


def _bullets(style: str, lines: list[str]) -> str:
    items = "".join(f"<text:list-item>{_p(style, escape(line))}</text:list-item>" for line in lines)
    return f'<text:list text:style-name="Bullets">{items}</text:list>'


def _h(level: int, text: str) -> str:
    return f'<text:h text:style-name="Heading_20_{level}" text:outline-level="{level}">{escape(text)}</text:h>'


def _paragraph(p: Paragraph, changes: _Changes) -> str:
    body = [f'<text:span text:style-name="Number">{escape(p.number)}</text:span><text:tab/>']
    for run in p.runs:
        if run.op == CONFLICT:
            body.append(f'<text:span text:style-name="Conflict">{escape(run.shown)}</text:span>')
        elif run.op == EQUAL:
            body.append(escape(run.text))
        elif run.op == INSERT:
            body.append(changes.insertion(run.text, run.author))
        elif run.op == DELETE:
            body.append(changes.deletion(run.text, run.author))
    out = [_p("Clause", "".join(body))]
    if p.alternatives:
        note = [f'<text:span text:style-name="Number">{escape(_("In conflict, not yet resolved."))} </text:span>']
        for rooms, text in p.alternatives:
            note.append(f'<text:span text:style-name="Note">{escape(rooms)}: </text:span>{escape(text)} ')
        out.append(_p("Annex", "".join(note)))
    return "".join(out)


def write_odt(layout: Layout, date: str) -> bytes:
    """date: ISO 8601 UTC (without zone letter, as ODF wants), the time the changes are dated."""
    changes = _Changes(date.rstrip("Z"))
    body = [_p("Title", escape(layout.title)),
            _p("Standard", escape(f"{layout.event}. {_('Consolidated version %(version)s', version=layout.version)}. "
                                  f"{layout.status}."))]
    if layout.authors:
        body.append(_p("Standard", escape(_("Changes against the base text are tracked, each under the name of the "
                                            "room that made it: %(authors)s. Accept or reject them under Edit, "
                                            "Track Changes, Manage.", authors=", ".join(layout.authors)))))
    for section in layout.sections:
        body.append(_h(1, f"{section.number}. {section.title}"))
        body.extend(_paragraph(p, changes) for p in section.paragraphs)
    if layout.conclusions:
        body.append(_h(1, _("Conclusions of the rooms")))
        for s in layout.conclusions:
            for r in s["rooms"]:
                body.append(_h(2, f"{r['room']} ({s['session']})"))
                if r.get("rapporteurs"):                  # who wrote them, as in the print view
                    body.append(_p("Standard", escape(_("Rapporteur: %(names)s", names=", ".join(r["rapporteurs"])))))
                for bullet, run in groupby(plain_conclusions(r["conclusions"]), key=lambda item: item[0] == "bullet"):
                    texts = [text for _kind, text in run]
                    body.append(_bullets("Standard", texts) if bullet else "".join(_p("Standard", escape(t)) for t in texts))
    body.append(_h(1, _("Annex: provenance of each paragraph")))
    for section in layout.sections:
        for p in section.paragraphs:
            if p.annex:
                body.append(_h(2, p.number))
                body.append(_bullets("Annex", p.annex))
    tracked = f'<text:tracked-changes text:track-changes="true">{"".join(changes.regions)}</text:tracked-changes>'
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {NS}>'
               f"<office:body><office:text>{tracked}{''.join(body)}</office:text></office:body>"
               "</office:document-content>")
    meta = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {NS}><office:meta>'
            f"<dc:title>{escape(layout.title)}, {escape(_('version %(n)s', n=layout.version))}</dc:title>"
            f"<meta:generator>Consult</meta:generator></office:meta></office:document-meta>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        # The media type comes first and uncompressed, so that a reader recognises the file.
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content)
        # "Page 2 of 5" in the reader's words, the numbers as fields wherever the language puts them.
        footer = escape(_("Page %(page)s of %(pages)s", page="\0PAGE\0", pages="\0NUMPAGES\0")).replace(
            "\0PAGE\0", '<text:page-number text:select-page="current"/>').replace("\0NUMPAGES\0", "<text:page-count/>")
        z.writestr("styles.xml", STYLES.replace("{header}", escape(layout.header)).replace("{footer}", footer))
        z.writestr("meta.xml", meta)
        z.writestr("META-INF/manifest.xml", MANIFEST)
    return out.getvalue()

