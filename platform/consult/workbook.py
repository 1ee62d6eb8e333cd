"""Writing tables to a workbook or CSV: pure, no queries. Header plus row generators in,
a file out, in openpyxl's write-only (streaming) mode so memory stays flat.

User text never becomes a formula: openpyxl turns any string starting with '=' into one,
also in write-only mode, so such cells are set back to strings and marked quote-prefixed
(Excel then keeps them text even when edited). Characters a workbook cannot hold are dropped,
and text longer than a cell holds continues on the following rows."""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from consult.i18n import gettext

CELL_LIMIT = 32_767
RISKY_STARTS = ("=", "+", "-", "@", "|", "\t", "\r")


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 14
    kind: str = "text"        # text, long (wrapped), number, datetime


@dataclass
class Table:
    name: str
    columns: list[Column]
    rows: Iterable[Sequence[Any]]
    # (worksheet, first data row, last data row) -> None: adds charts once the rows are known.
    chart: Callable | None = field(default=None)
    # A sheet of records gets a filter on its header; a summary laid out as blocks (the
    # Overview) would only sort its blocks into nonsense.
    records: bool = True


def clean(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _chunks(row: Sequence[Any]) -> list[list[Any]]:
    """A row whose text overflows a cell, as the row plus continuation rows."""
    longest = max((len(v) for v in row if isinstance(v, str)), default=0)
    if longest <= CELL_LIMIT:
        return [list(row)]
    parts = -(-longest // CELL_LIMIT)
    out = []
    for i in range(parts):
        out.append([v[i * CELL_LIMIT:(i + 1) * CELL_LIMIT] if isinstance(v, str) and len(v) > CELL_LIMIT
                    else (v if i == 0 else ("(continued)" if j == 0 else None)) for j, v in enumerate(row)])
    return out


class _Writer:
    """Plain values go in as they are (the fast path); only text that needs guarding or
    wrapping becomes a styled cell."""

    def __init__(self, ws, columns: list[Column]):
        self.ws = ws
        wrap = Alignment(wrap_text=True, vertical="top")
        self.alignments = [wrap if c.kind == "long" else None for c in columns]

    def row(self, values):
        out = []
        for value, alignment in zip(values, self.alignments):
            if isinstance(value, str):
                if ILLEGAL_CHARACTERS_RE.search(value):
                    value = clean(value)
                risky = value.startswith(RISKY_STARTS)
                if risky or alignment is not None:
                    cell = WriteOnlyCell(self.ws, value=value)
                    if risky:
                        cell.data_type = "s"
                        cell.quotePrefix = True
                    if alignment is not None:
                        cell.alignment = alignment
                    value = cell
            out.append(value)
        return out


# progress(sheet, sheets, sheet name, rows written in it): told at each sheet and every so many rows.
Progress = Callable[[int, int, str, int], None]
PROGRESS_ROWS = 1000


def write_xlsx(tables: list[Table], target, progress: Progress | None = None) -> dict[str, int]:
    """Writes every table as a sheet; returns the number of data rows per sheet."""
    wb = Workbook(write_only=True)
    counts = {}
    bold = Font(bold=True)
    for index, table in enumerate(tables, start=1):
        if progress is not None:
            progress(index, len(tables), table.name, 0)
        # Names and headers are English in the code (marked N_), written in the reader's language.
        ws = wb.create_sheet(gettext(table.name)[:31])
        for i, column in enumerate(table.columns, start=1):
            ws.column_dimensions[get_column_letter(i)].width = column.width
        ws.freeze_panes = "A2"
        # Printed, every sheet is landscape, one page wide, with its header row on every page.
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_title_rows = "1:1"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(ws, value=gettext(column.title) if column.title else column.title)
            cell.font = bold
            header.append(cell)
        ws.append(header)
        writer, n = _Writer(ws, table.columns), 0
        for row in table.rows:
            for part in _chunks(row):
                ws.append(writer.row(part))
                n += 1
            if progress is not None and n % PROGRESS_ROWS == 0:
                progress(index, len(tables), table.name, n)
        if table.records:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{n + 1}"
        if table.chart is not None and n:
            table.chart(ws, 2, n + 1)
        counts[table.name] = n
    wb.save(target)
    return counts


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    text = str(value)
    # In a CSV there is no cell type to hold on to: a leading apostrophe keeps it text.
    return "'" + text if isinstance(value, str) and text.startswith(RISKY_STARTS) else text


def write_csv(table: Table, stream) -> int:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read accents right."""
    stream.write("\ufeff")
    out = csv.writer(stream)
    out.writerow([gettext(c.title) if c.title else c.title for c in table.columns])
    n = 0
    for row in table.rows:
        out.writerow([csv_value(v) for v in row])
        n += 1
    return n
