"""Reading an uploaded file safely, and the report of what is wrong in it.

An upload is hostile until proven otherwise. A workbook is a zip of XML parts, so each check
runs before the next step does any real work:

1. the upload's size;
2. the zip's central directory, read without decompressing anything: entry count, declared
   sizes, compression ratios and methods. zipfile inflates a deflated entry in bounded steps
   and never past the size its directory declares (an entry that lies fails its CRC check),
   so the declared sizes bound the work that follows;
3. the parts every .xlsx has;
4. openpyxl in read-only mode, cell values rather than formulas, with its XML parsed through
   defusedxml, which refuses entity definitions (the "billion laughs" XML bomb) instead of
   expanding them.

Markdown is plain text: it needs only the size check and valid UTF-8.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

import openpyxl
import openpyxl.xml
from defusedxml import DefusedXmlException
from markdown_it import MarkdownIt
from markdown_it.token import Token

from consult.errors import BadRequest, Invalid, TooLarge
from consult.text import clean_line, clean_text
from consult.i18n import N_, _, ngettext

KB, MB = 1024, 1024 * 1024
MAX_UPLOAD_BYTES = 5 * MB
# markdown-it-py spends up to ~16 µs per character on hostile input ("[[[[..."): 512 KB bounds
# that to seconds, and is still several times the longest document a consultation needs.
MAX_MARKDOWN_BYTES = 512 * KB
MAX_ENTRIES = 200
MAX_UNCOMPRESSED_BYTES = 50 * MB
MAX_RATIO = 100
# Columns past Z are never read: no import needs them, and a row can hold 16,384 cells.
MAX_COLUMNS = 26
XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")

SAVE_AGAIN = N_("Open it in Excel or LibreOffice, save it again as an Excel workbook (.xlsx), and upload that copy.")


def _entities() -> str:
    """The one refusal said in two places: where the parts are read, and where openpyxl finds them."""
    return _("This workbook contains XML entity definitions. Spreadsheets do not need them and they can be used "
             "to overload the server, so it was refused.")


def _again(said: str) -> str:
    """A refusal followed by what to do about it, in the reader's words."""
    return f"{said} {_(SAVE_AGAIN)}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (a row or line number; None for the whole file), in
    which column, and what to do about it."""

    row: int | None
    column: str
    message: str


class FileProblems(Invalid):
    """Every problem found in a file, reported together; nothing was changed."""

    def __init__(self, detail: str, problems: list[Problem], unit: str = "Row"):
        super().__init__(detail)
        self.problems = problems
        # "Row" for spreadsheets, "Line" for Markdown: how the report names a place.
        self.unit = unit


def refuse_if_problems(problems: list[Problem], unit: str = "Row") -> None:
    if problems:
        said = (ngettext("The file has %(num)s problem. Each row below says what to fix; correct the file and "
                         "upload it again.", "The file has %(num)s problems. Each row below says what to fix; "
                         "correct the file and upload it again.", len(problems)) if unit == "Row" else
                ngettext("The file has %(num)s problem. Each line below says what to fix; correct the file and "
                         "upload it again.", "The file has %(num)s problems. Each line below says what to fix; "
                         "correct the file and upload it again.", len(problems)))
        raise FileProblems(said, problems, unit)


def unreadable(said: str) -> BadRequest:
    """The file cannot be read as what it says it is: a refusal of the file field."""
    return BadRequest(said, {"file": said})


def check_upload(filename: str, data: bytes, limit: int = MAX_UPLOAD_BYTES) -> None:
    """What every upload must be before its content is looked at: a chosen file, not empty, within the limit."""
    if not filename:
        raise Invalid(_("Choose a file to upload."), {"file": _("Choose a file.")})
    if not data:
        said = _("The file “%(name)s” is empty. Choose the file that holds the text, or save it again and upload "
                 "that copy.", name=filename)
        raise Invalid(said, {"file": said})
    check_size(data, limit)


def check_size(data: bytes, limit: int = MAX_UPLOAD_BYTES) -> None:
    if len(data) > limit:
        raise too_large(limit)


def too_large(limit: int = MAX_UPLOAD_BYTES) -> TooLarge:
    size = f"{limit // MB} MB" if limit >= MB else f"{limit // KB} KB"
    said = _("The file is larger than the limit of %(size)s. Split it into smaller files, or remove pictures and "
             "extra sheets.", size=size)
    return TooLarge(said, {"file": said})


# --- workbooks ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """A non-empty spreadsheet row: its number as the spreadsheet shows it, and its cells as text."""

    number: int
    cells: tuple[str, ...]

    def get(self, index: int | None) -> str:
        return self.cells[index] if index is not None and index < len(self.cells) else ""


def read_sheet(data: bytes, max_rows: int) -> list[Row]:
    """The first worksheet's non-empty rows, after every check on the file itself."""
    check_size(data)
    with _open_zip(data) as archive:
        _check_entries(archive.infolist())
        _check_xlsx_parts(archive.namelist())
        _refuse_entity_definitions(archive)
    rows = _load_rows(data, max_rows)
    if len(rows) > max_rows:
        raise Invalid(_("The sheet has more than %(rows)s filled rows. Split it into several files.", rows=max_rows))
    return rows


def _open_zip(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise unreadable(_again(_("This file is not an Excel workbook (.xlsx), or it is damaged or protected by a "
                                  "password."))) from None


def _check_entries(entries: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip bomb from its directory alone, before anything is decompressed."""
    bomb = _("This file would unpack to far more data than a list or a document needs, so it was refused for safety.")
    if len(entries) > MAX_ENTRIES:
        raise unreadable(_again(bomb + " " + _("(It holds %(n)s parts; a workbook needs far fewer.)", n=len(entries))))
    if sum(e.file_size for e in entries) > MAX_UNCOMPRESSED_BYTES:
        raise unreadable(_again(bomb + " " + _("(It unpacks to more than %(n)s MB.)", n=MAX_UNCOMPRESSED_BYTES // MB)))
    for entry in entries:
        # bzip2 and LZMA entries inflate in one unbounded step, and no spreadsheet uses them.
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise unreadable(_again(_("This file is packed in a way spreadsheets never use.")))
        if entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise unreadable(_again(bomb + " " + _("(One of its parts is compressed far more than real data allows.)")))


def _check_xlsx_parts(names: list[str]) -> None:
    if not all(part in names for part in XLSX_PARTS):
        raise unreadable(_again(_("This file is not an Excel workbook (.xlsx): it may be another kind of "
                                  "document or spreadsheet (.xls, .ods, .docx).")))


# A document type declaration is where entities are defined, in any of XML's encodings.
_DECLARATIONS = tuple(marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY")
                      for encoding in ("utf-8", "utf-16-le", "utf-16-be"))


def _refuse_entity_definitions(archive: zipfile.ZipFile) -> None:
    """openpyxl reads some parts with lxml when it is installed, and lxml does not go through
    defusedxml: every part is looked at here first. Sizes are bounded by _check_entries."""
    for entry in archive.infolist():
        content = archive.read(entry)
        if any(marker in content for marker in _DECLARATIONS):
            raise unreadable(_again(_entities()))


def _load_rows(data: bytes, max_rows: int) -> list[Row]:
    # openpyxl uses defusedxml only when it is installed and not switched off
    # (OPENPYXL_DEFUSEDXML=False); without it, a hostile file could exhaust the server.
    if not openpyxl.xml.DEFUSEDXML:
        raise RuntimeError("openpyxl is not parsing with defusedxml: refusing to read uploaded workbooks")
    workbook = None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if not workbook.worksheets:
            raise unreadable(_again(_("This workbook has no worksheet.")))
        rows = []
        # One row past the limit is read so that the caller can tell the file is too long.
        for number, values in enumerate(workbook.worksheets[0].iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
            cells = _trimmed(tuple(_cell_text(v) for v in values))
            if cells:
                rows.append(Row(number, cells))
                if len(rows) > max_rows:
                    break
        return rows
    except BadRequest:
        raise
    except Exception as error:
        # openpyxl reports a damaged workbook with whatever its parsers raise (KeyError,
        # ValueError, TypeError, zipfile and XML errors...), often wrapping the cause.
        if _caused_by(error, DefusedXmlException):
            raise unreadable(_again(_entities())) from None
        raise unreadable(_again(_("This workbook could not be read: it may be damaged or incomplete."))) from None
    finally:
        if workbook is not None:
            workbook.close()


def _caused_by(error: BaseException | None, kind: type[BaseException]) -> bool:
    while error is not None:
        if isinstance(error, kind):
            return True
        error = error.__cause__ or error.__context__
    return False


def _cell_text(value) -> str:
    """A cell as the text a person sees in it: 12.0 is "12", a date is "2024-11-26"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return clean_text(str(value))


def _trimmed(cells: tuple[str, ...]) -> tuple[str, ...]:
    """Without the empty cells at the end: read-only sheets pad every row to the same width."""
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def map_columns(header: Row, required: tuple[str, ...], optional: tuple[str, ...] = (),
                aliases: dict[str, str] | None = None) -> dict[str, int]:
    """Where each column is, from the header row (case and spacing do not matter). Missing,
    unknown or repeated columns are all reported at once."""
    aliases = aliases or {}
    known = required + optional
    positions: dict[str, int] = {}
    problems = []
    for index, cell in enumerate(header.cells):
        name = aliases.get(clean_line(cell).lower(), clean_line(cell).lower())
        if not name:
            continue
        if name not in known:
            # Refused rather than ignored: a misspelt optional column ("rom") would otherwise
            # be dropped without a word.
            problems.append(Problem(header.number, cell, _("Unknown column “%(column)s”. The columns are: %(known)s.",
                                                           column=cell, known=", ".join(known))))
        elif name in positions:
            problems.append(Problem(header.number, cell, _("The column “%(column)s” appears twice.", column=name)))
        else:
            positions[name] = index
    for name in required:
        if name not in positions:
            problems.append(Problem(header.number, name, _("The column “%(column)s” is missing. The first row must "
                                                           "name the columns: %(known)s.", column=name,
                                                           known=", ".join(known))))
    refuse_if_problems(problems)
    return positions


# --- documents: the outline both formats are read into, and Markdown ----------------------

@dataclass
class Block:
    """A title or paragraph, with the row or line it came from."""

    at: int
    text: str


@dataclass
class OutlineSection:
    title: Block
    paragraphs: list[Block] = field(default_factory=list)


@dataclass
class Outline:
    """A document as read from a file, before its limits are checked: the title (if the file
    gives one), its sections, and what was already found wrong while reading it."""

    title: str | None
    sections: list[OutlineSection]
    unit: str
    problems: list[Problem] = field(default_factory=list)


_markdown = MarkdownIt("commonmark", {"html": False})
_CODE_BLOCKS = ("fence", "code_block")


def read_markdown(data: bytes) -> Outline:
    """`# Title` (optional, first) names the document, each `## Title` starts a section, and
    every paragraph below it, in lists and quotes too, is one of its paragraphs."""
    check_size(data, MAX_MARKDOWN_BYTES)
    try:
        source = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise unreadable(_("This file is not a text file in UTF-8. Save the Markdown as UTF-8 text "
                           "(.md) and upload it again.")) from None
    outline = Outline(title=None, sections=[], unit="Line")
    tokens = _markdown.parse(source)
    for index, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else 0
        if token.type == "heading_open":
            _read_heading(outline, token.tag, Block(line, _plain(tokens[index + 1])))
        elif token.type == "paragraph_open":
            _read_paragraph(outline, Block(line, _plain(tokens[index + 1])))
        elif token.type in _CODE_BLOCKS:
            outline.problems.append(Problem(line, "paragraph", _(
                "A code block cannot be imported; write it as an ordinary paragraph.")))
    return outline


def _read_heading(outline: Outline, tag: str, heading: Block) -> None:
    if tag == "h2":
        outline.sections.append(OutlineSection(heading))
    elif tag == "h1" and outline.title is None and not outline.sections:
        outline.title = heading.text
    elif tag == "h1":
        outline.problems.append(Problem(heading.at, "section", _(
            "A document has one “# ” title, above its first section; start sections with “## ”.")))
    else:
        outline.problems.append(Problem(heading.at, "section", _(
            "“%(marks)s ” headings are not supported: use “## ” for a section and ordinary paragraphs below it.",
            marks="#" * int(tag[1]))))


def _read_paragraph(outline: Outline, paragraph: Block) -> None:
    if not outline.sections:
        outline.problems.append(Problem(paragraph.at, "paragraph", _(
            "This text comes before the first section: start a section above it with a “## ” heading.")))
    else:
        outline.sections[-1].paragraphs.append(paragraph)


def _plain(inline: Token) -> str:
    """An inline token as plain text: paragraphs are stored and shown as text, so emphasis
    and link marks are dropped and their words kept."""
    parts = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
    return clean_text("".join(parts))
