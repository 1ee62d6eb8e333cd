"""The consultation workbook and CSVs: headers, values checked against the database,
formula safety, odd text, rights."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os

import pytest
from consult.amendments.models import Amendment
from consult.contributions.models import Comment
from consult.errors import Forbidden
from consult.export import service
from consult.workbook import CELL_LIMIT, Column, Table, write_csv, write_xlsx
from consult.people.actor import Actor
from consult.people.models import Participant
from consult.rooms.models import Membership
from openpyxl import load_workbook
from sqlalchemy import func, select

ORGANISER = Actor(organiser_id=1)
SLUG = "drug-violence-2024"
SHEETS = ["Overview", "Rooms", "Participants", "Comments", "Amendments", "Votes", "Polls", "Drafts", "Consolidated",
          "Consolidated draft", "Synthesis", "Themes", "Audit"]


@pytest.fixture(scope="module")
def workbook(demo):
    path, name = demo.snapshot(service.xlsx, ORGANISER, SLUG)
    try:
        yield load_workbook(path), name
    finally:
        os.unlink(path)


def rows(ws):
    values = list(ws.iter_rows(values_only=True))
    header = values[0]
    return header, [dict(zip(header, v)) for v in values[1:]]


def test_the_workbook_has_every_sheet_frozen_filtered_and_named_for_its_moment(workbook):
    """Every sheet of records is filtered on its header; the Overview, a summary in blocks, is not."""
    wb, name = workbook
    assert wb.sheetnames == SHEETS
    assert name.startswith(f"consultation-{SLUG}-") and name.endswith("UTC.xlsx")
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref is None if ws.title == "Overview" else ws.auto_filter.ref.startswith("A1:")
        assert (ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == ("landscape", 1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    overview = wb["Overview"]
    assert overview["A3"].value == "Generated (UTC)" and isinstance(overview["B3"].value, dt.datetime)
    assert len(overview._charts) == 2


def test_comments_match_the_database_row_by_row(workbook, demo):
    header, listed = rows(workbook[0]["Comments"])
    assert header[:9] == ("Comment", "Reply to", "Session", "Room", "Phase", "Document", "Section", "Paragraph",
                          "Opening words")
    stored = demo.read(lambda s: {c.id: c for c in s.scalars(select(Comment))})
    assert len(listed) == len(stored)
    for row in listed:
        comment = stored[row["Comment"]]
        assert row["Text"] == comment.text and row["Support"] == comment.support
        assert row["Reply to"] == comment.parent_id
        assert isinstance(row["Posted (UTC)"], dt.datetime)
    replies = [r for r in listed if r["Reply to"]]
    assert replies and all(r["Paragraph"] for r in replies)


def test_amendments_carry_their_tallies_and_decisions(workbook, demo):
    _, listed = rows(workbook[0]["Amendments"])
    stored = demo.read(lambda s: {a.id: a for a in s.scalars(select(Amendment))})
    assert {r["Amendment"] for r in listed} == set(stored)
    for row in listed:
        a = stored[row["Amendment"]]
        assert (row["Agree"], row["Disagree"], row["Abstain"], row["Status"]) == (a.agree, a.disagree, a.abstain, a.status)
    assert any(r["Status"] == "rejected" and r["Reason"] for r in listed)


def test_votes_per_item_and_sector_add_up_and_paragraph_agreement_is_there(workbook, demo):
    _, listed = rows(workbook[0]["Votes"])
    amendment_votes = [r for r in listed if r["Item"] == "Amendment vote"]
    total = sum(r["Agree"] + r["Disagree"] + r["Abstain"] for r in amendment_votes)
    stored = demo.read(lambda s: s.scalar(select(func.sum(Amendment.agree + Amendment.disagree + Amendment.abstain))))
    assert total == stored
    supports = sum(r["Support"] for r in listed if r["Item"] == "Support on comment")
    assert supports == demo.read(lambda s: s.scalar(select(func.sum(Comment.support))))


def test_participants_are_pseudonymised_unless_they_agreed(workbook, demo):
    _, listed = rows(workbook[0]["Participants"])
    people = demo.read(lambda s: {p.id: p for p in s.scalars(select(Participant))})
    for row in listed:
        person = people[int(row["Participant"][2:])]
        assert row["Name (if agreed)"] == (person.name if person.named_in_results else None)


def test_drafts_and_the_consolidated_sheet(workbook):
    _, drafts = rows(workbook[0]["Drafts"])
    assert {"changed", "inserted", "unchanged"} <= {r["Status"] for r in drafts}
    assert any(r["Paragraph"] == "Conclusions" and r["Room's text"] for r in drafts)
    _, consolidated = rows(workbook[0]["Consolidated"])
    assert [r["State"] for r in consolidated] == ["No version published yet."] * 2      # nothing consolidated here


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1:A2)",
                                  "\tpadded", "\rreturn", "|cmd /c calc"])
def test_user_text_is_never_a_formula(tmp_path, text):
    path = tmp_path / "f.xlsx"
    write_xlsx([Table("T", [Column("Text")], [(text,)])], path)
    cell = load_workbook(path)["T"]["A2"]
    # An XML reader may give a carriage return back as a newline (lxml keeps it); what matters
    # is that it stays text.
    assert cell.data_type == "s" and cell.value in (text, text.replace("\r", "\n")) and cell.quotePrefix
    stream = io.StringIO()
    write_csv(Table("T", [Column("Text")], [(text,)]), stream)
    assert stream.getvalue().startswith("\ufeff")
    assert list(csv.reader(io.StringIO(stream.getvalue()[1:])))[1] == ["'" + text]


def test_control_characters_and_overlong_text_never_break_the_export(tmp_path):
    long_text = "x" * (CELL_LIMIT + 10)
    path = tmp_path / "odd.xlsx"
    write_xlsx([Table("T", [Column("Id", kind="number"), Column("Text", kind="long")],
                      [(1, "bell\x07 and null\x00 gone"), (2, long_text)])], path)
    ws = load_workbook(path)["T"]
    assert ws["B2"].value == "bell and null gone"
    assert ws["A3"].value == 2 and ws["A4"].value == "(continued)"
    assert ws["B3"].value + ws["B4"].value == long_text


def test_a_rapporteur_exports_their_room_and_only_organisers_the_whole(demo):
    rapporteur = demo.read(lambda s: s.scalar(select(Membership.participant_id).where(Membership.role == "rapporteur")
                                              .order_by(Membership.id)))
    room_id = demo.read(lambda s: s.scalar(select(Membership.room_id).where(Membership.participant_id == rapporteur)))
    path, name = demo.snapshot(service.xlsx, Actor(participant_id=rapporteur), None, room_id)
    wb = load_workbook(path)
    os.unlink(path)
    assert f"-room-{room_id}-" in name and "Consolidated" not in wb.sheetnames
    _, listed = rows(wb["Comments"])
    assert len({r["Room"] for r in listed}) == 1
    with pytest.raises(Forbidden):
        demo.snapshot(service.xlsx, Actor(participant_id=rapporteur), SLUG, None)
    other = demo.read(lambda s: s.scalar(select(Membership.participant_id).where(Membership.role == "participant")))
    with pytest.raises(Forbidden):
        demo.snapshot(service.xlsx, Actor(participant_id=other), None, room_id)


def test_csv_per_table_with_bom(demo):
    path, name = demo.snapshot(service.csv, ORGANISER, "comments", SLUG)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    os.unlink(path)
    assert text.startswith("\ufeffComment,Reply to,Session") and name.endswith("-comments.csv")


def test_hostile_comment_text_stays_text_in_the_real_export(client):
    """A comment posted through the page comes out of the organiser's workbook as text."""
    from web_helpers import HTMX, csrf_token, join, room_id
    rid = room_id(join(client, "K7MPQ2"))
    client.post(f"/rooms/{rid}/comments", data={"text": "=cmd|' /C calc'!A0", "attribution": "sector",
                                                "idempotency_key": "formula-key-1"},
                headers={**HTMX, "X-CSRF-Token": csrf_token(client)})
    token = client.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                     "password": "brussels-demo-2024"}).json()["token"]
    response = client.get(f"/api/v1/events/{SLUG}/export.xlsx", headers={"Authorization": f"Bearer {token}"})
    header, *body = load_workbook(io.BytesIO(response.content))["Comments"].iter_rows()
    column = [c.value for c in header].index("Text")
    cells = [row[column] for row in body if row[column].value == "=cmd|' /C calc'!A0"]
    assert len(cells) == 1 and cells[0].data_type == "s"


def test_downloads_over_http(client):
    from web_helpers import csrf_token
    assert client.get(f"/e/{SLUG}/export.xlsx").status_code == 403
    token = csrf_token(client, "/organiser/login")
    client.post("/organiser/login", data={"csrf_token": token, "email": "organiser@example.org",
                                          "password": "brussels-demo-2024"})
    response = client.get(f"/e/{SLUG}/export.xlsx")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"] and "UTC.xlsx" in response.headers["content-disposition"]
    assert load_workbook(io.BytesIO(response.content)).sheetnames == SHEETS
    assert client.get(f"/e/{SLUG}/export/nope.csv").status_code == 404
    api_token = client.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                         "password": "brussels-demo-2024"}).json()["token"]
    assert client.get(f"/api/v1/events/{SLUG}/export.xlsx").status_code == 401
    api = client.get(f"/api/v1/events/{SLUG}/export.xlsx", headers={"Authorization": f"Bearer {api_token}"})
    assert api.status_code == 200 and api.content[:2] == b"PK"
