"""The workbook organisers fill in to import participants: the columns the import reads, one
example row, and the allowed values as drop-down lists (data validation), so that most
mistakes cannot be typed in the first place."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.access import require_organiser
from consult.conference.models import ConferenceSession
from consult.conference.service import event_id as find_event_id
from consult.imports.participants import COLUMNS, IMPORTING, OPTIONAL_COLUMNS
from consult.people.actor import Actor
from consult.people.models import SECTORS
from consult.i18n import COUNTRIES
from consult.rooms.models import ROLES, Room

ROWS_WITH_LISTS = 2000  # the drop-downs reach this far down the sheet


def participants_template(session: Session, actor: Actor, event_slug: str) -> bytes:
    require_organiser(actor, doing=IMPORTING)
    codes = list(session.scalars(select(Room.code).join(ConferenceSession)
                                 .where(ConferenceSession.event_id == find_event_id(session, event_slug))
                                 .order_by(ConferenceSession.position, Room.position)))
    book = Workbook()
    sheet = book.active
    sheet.title = "Participants"
    header = list(COLUMNS + OPTIONAL_COLUMNS)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["Ana Example", "ana@example.org", "City Health Service", SECTORS["health"], "BE", "participant",
                  codes[0] if codes else ""])
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (24, 30, 30, 20, 10, 14, 10)):
        sheet.column_dimensions[letter].width = width
    # Long lists live on a sheet of their own: a list typed into the rule holds 255 characters at most.
    lists = book.create_sheet("Allowed values")
    columns = {"sector": list(SECTORS.values()), "country": list(COUNTRIES), "role": list(ROLES), "room": codes}
    for i, (name, values) in enumerate(columns.items(), start=1):
        letter = "ABCD"[i - 1]
        lists.cell(row=1, column=i, value=name).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=i, value=value)
        if not values:
            continue
        target = "ABCDEFG"[header.index(name)]
        rule = DataValidation(type="list", formula1=f"='Allowed values'!${letter}$2:${letter}${len(values) + 1}",
                              allow_blank=name in ("role", "room"), showErrorMessage=True,
                              errorTitle=f"Not a {name}", error=f"Choose a {name} from the list.")
        rule.add(f"{target}2:{target}{ROWS_WITH_LISTS}")
        sheet.add_data_validation(rule)
    lists.sheet_state = "hidden"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
