"""Importing participants and documents from uploaded files: the round trip to badges and
personal links, every kind of bad or hostile file, and who may import."""
from __future__ import annotations

import html
import io
import os
import re
import time
import zipfile

import openpyxl
import openpyxl.xml
import pytest
from builders import build_event, build_member
from consult.contributions.models import Comment
from consult.documents.models import Document, Paragraph, Section
from consult.errors import Forbidden
from consult.imports import participants
from consult.imports.files import FileProblems, Row
from consult.people.actor import Actor
from consult.people.models import Participant
from consult.rooms.models import Membership, Room
from sqlalchemy import func, select
from starlette.testclient import TestClient
from web_helpers import HTMX, csrf_token, first_paragraph, join, room_id

CODE_A, CODE_B = "K7MPQ2", "R4XTN8"
HEADER = ["name", "email", "organisation", "sector", "country", "role", "room"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def organiser(client):
    """The demo client, signed in as the demo organiser."""
    token = csrf_token(client, "/organiser/login")
    signed_in = client.post("/organiser/login", data={"csrf_token": token, "email": "organiser@example.org",
                                                      "password": "brussels-demo-2024"}, follow_redirects=False)
    assert signed_in.status_code == 303
    return client


def workbook(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, path: str, filename: str, data: bytes, **fields):
    return client.post(path, data=fields, files={"file": (filename, data, XLSX)},
                       headers={**HTMX, "X-CSRF-Token": csrf_token(client)})


def import_people(client, data: bytes, filename: str = "people.xlsx"):
    return upload(client, "/organiser/import/participants", filename, data)


def count(client, model) -> int:
    return client.app.state.core.db.read(lambda s: s.scalar(select(func.count()).select_from(model)))


def counts(client) -> tuple[int, ...]:
    return tuple(count(client, m) for m in (Participant, Membership, Document, Section, Paragraph))


def room_ids_by_code(client) -> dict[str, int]:
    return dict(client.app.state.core.db.read(lambda s: s.execute(select(Room.code, Room.id)).all()))


def report_rows(page: str) -> list[tuple[str, str, str]]:
    """The report table as (row, column, problem) text."""
    body = re.search(r"<tbody>(.*?)</tbody>", page.split('id="import-report"')[1], re.S).group(1)
    return [tuple(html.unescape(re.sub(r"\s+", " ", cell).strip()) for cell in re.findall(r"<td>(.*?)</td>", row, re.S))
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def rezipped(data: bytes, replace: dict[str, str] | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """The same workbook with some parts replaced and some added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, (replace or {}).get(item.filename) or source.read(item.filename))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


PEOPLE = [HEADER,
          ["Ana Lopes", "ana@example.org", "Policía Nacional", "law_enforcement", "ES", "participant", "k7mpq2"],
          ["Ben Smit", "Ben@Example.org", "GGD", "Health services", "nl", "Rapporteur", CODE_B],
          ["Chloé <b>Martin</b>", "chloe@example.org", "", "civil society", "FR", "", None]]


# --- participants: the round trip -------------------------------------------------------------

def test_imported_participants_get_badges_whose_links_sign_each_into_their_room(organiser):
    response = import_people(organiser, workbook(PEOPLE))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert "shown only this once" in response.text
    assert response.text.count('<article class="badge">') == 3 and response.text.count("<svg") == 3
    assert "Chloé &lt;b&gt;Martin&lt;/b&gt;" in response.text and "Health services" in response.text
    links = re.findall(r'<p class="link"><a href="http://testserver(/p/[^"]+)"', response.text)
    rooms = room_ids_by_code(organiser)
    expected = [f"/rooms/{rooms[CODE_A]}", f"/rooms/{rooms[CODE_B]}", "/me"]
    for link, landing, name in zip(links, expected, ["Ana Lopes", "Ben Smit", "Chloé"]):
        phone = TestClient(organiser.app)
        landed = phone.get(link, follow_redirects=False)
        assert landed.status_code == 303 and landed.headers["location"] == landing
        assert name in phone.get("/me").text
    roles = organiser.app.state.core.db.read(lambda s: dict(s.execute(
        select(Participant.name, Membership.role).join(Membership, Membership.participant_id == Participant.id)
        .where(Participant.name.in_(["Ana Lopes", "Ben Smit"]))).all()))
    assert roles == {"Ana Lopes": "participant", "Ben Smit": "rapporteur"}
    emails = organiser.app.state.core.db.read(lambda s: s.scalars(
        select(Participant.email).where(Participant.email.is_not(None)).order_by(Participant.email)).all())
    assert emails == ["ana@example.org", "ben@example.org", "chloe@example.org"]


def test_the_import_page_explains_the_columns_and_posts_the_file_with_htmx(organiser):
    form = organiser.get("/organiser/import/participants")
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.text and 'hx-post="/organiser/import/participants"' in form.text
    assert 'name="csrf_token"' in form.text and '<label for="f-file">' in form.text
    assert all(f'<th scope="row"><code>{column}</code>' in form.text for column in HEADER)


def test_openpyxl_parses_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML


# --- participants: bad sheets change nothing --------------------------------------------------

def test_wrong_columns_are_named_and_nothing_is_imported(organiser):
    before = counts(organiser)
    header = ["Name", "E-mail", "Organisation", "sector", "country", "room", "room"]
    response = import_people(organiser, workbook([header, ["Ana", "ana@example.org", "X", "health", "BE", CODE_A, CODE_A]]))
    assert response.status_code == 422
    problems = report_rows(response.text)
    assert ("1", "E-mail", "Unknown column “E-mail”. The columns are: name, email, organisation, sector, "
            "country, role, room.") in problems
    assert any(row == "1" and column == "room" and "appears twice" in message for row, column, message in problems)
    assert {column for _, column, message in problems if "is missing" in message} == {"email", "role"}
    assert counts(organiser) == before


def test_every_bad_row_is_listed_with_its_number_and_nothing_is_imported(organiser):
    before = counts(organiser)
    response = import_people(organiser, workbook([
        HEADER,
        ["Ana", "ana@example.org", "X", "health", "BE", "participant", CODE_A],
        [None, None, None, None, None, None, None],
        ["Ben", "not an address", "X", "Polce", "Belgium", "participant", None],
        ["Cleo", "cleo@example.org", "X", "research", "DE", "rapporteur", None],
        ["", "dan@example.org", "X", "research", "DE", "chair", "ZZZZZZ"],
    ]))
    assert response.status_code == 422
    assert "Nothing was imported" in response.text and "The file has 7 problems" in response.text
    problems = {(row, column) for row, column, _ in report_rows(response.text)}
    assert problems == {("4", "email"), ("4", "sector"), ("4", "country"), ("5", "role"),
                        ("6", "name"), ("6", "role"), ("6", "room")}
    assert "“Polce” is not a sector. Use one of: Law enforcement, Health services" in response.text
    assert "A rapporteur needs a room" in response.text
    assert "No room of this event has the code “ZZZZZZ”" in response.text
    assert counts(organiser) == before


def test_duplicate_emails_in_the_file_or_the_event_are_refused(organiser):
    assert import_people(organiser, workbook(PEOPLE[:2])).status_code == 200
    before = counts(organiser)
    response = import_people(organiser, workbook([
        HEADER,
        ["Eva", "eva@example.org", "X", "health", "BE", "participant", None],
        ["Eva again", "EVA@example.org ", "X", "health", "BE", "participant", None],
        ["Ana twice", "ana@example.org", "X", "health", "BE", "participant", None],
    ]))
    assert response.status_code == 422
    assert report_rows(response.text) == [
        ("3", "email", "Same email as row 2: each person may appear only once."),
        ("4", "email", "Someone with this email is already registered for the event."),
    ]
    assert counts(organiser) == before


def test_an_empty_sheet_or_a_header_alone_is_refused(organiser):
    before = counts(organiser)
    assert "The sheet is empty" in import_people(organiser, workbook([])).text
    alone = import_people(organiser, workbook([HEADER]))
    assert alone.status_code == 422 and "no participants below them" in alone.text
    assert counts(organiser) == before


# --- hostile and broken files -----------------------------------------------------------------

def test_a_text_file_renamed_xlsx_is_refused(organiser):
    before = counts(organiser)
    response = import_people(organiser, b"name,email\nAna,ana@example.org\n")
    assert response.status_code == 400 and "not an Excel workbook (.xlsx)" in response.text
    assert counts(organiser) == before


def test_a_truncated_or_damaged_workbook_is_refused(organiser):
    before = counts(organiser)
    good = workbook(PEOPLE)
    truncated = import_people(organiser, good[: len(good) // 2])
    assert truncated.status_code == 400 and "or it is damaged" in truncated.text
    damaged = import_people(organiser, rezipped(good, {"xl/worksheets/sheet1.xml": "<worksheet><sheetData><row>"}))
    assert damaged.status_code == 400 and "could not be read: it may be damaged" in damaged.text
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    assert "not an Excel workbook" in import_people(organiser, other_zip.getvalue()).text
    assert counts(organiser) == before


def test_a_zip_bomb_is_refused_from_its_directory(organiser):
    before = counts(organiser)
    good = workbook(PEOPLE)
    many = rezipped(good, extra={f"xl/media/part{i}.xml": b"<x/>" for i in range(250)})
    response = import_people(organiser, many)
    assert response.status_code == 400 and "It holds 259 parts" in response.text
    # 20 MB of zeros packs into about 20 KB: a ratio no real sheet has.
    dense = rezipped(good, extra={"xl/worksheets/sheet2.xml": bytes(20 * 1024 * 1024)})
    assert len(dense) < 100_000
    response = import_people(organiser, dense)
    assert response.status_code == 400 and "compressed far more than real data allows" in response.text
    # Eleven parts of 5 MB that pack about 50 to 1 each: under the ratio, over 50 MB in all.
    moderate = os.urandom(100_000) + bytes(5 * 1024 * 1024)
    big = rezipped(good, extra={f"xl/media/image{i}.bin": moderate for i in range(11)})
    assert len(big) < 5 * 1024 * 1024
    response = import_people(organiser, big)
    assert response.status_code == 400 and "unpacks to more than 50 MB" in response.text
    assert counts(organiser) == before


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
                  + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
                  + ']>')


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"])
def test_an_xml_bomb_inside_a_valid_workbook_is_refused_at_once(organiser, part):
    before = counts(organiser)
    good = workbook(PEOPLE)
    original = zipfile.ZipFile(io.BytesIO(good)).read(part).decode()
    bomb = BILLION_LAUGHS + re.sub(r"^<\?xml[^>]*\?>", "", original).replace("<sheetData>", "<sheetData>&lol9;", 1)
    started = time.monotonic()
    response = import_people(organiser, rezipped(good, {part: bomb}))
    assert time.monotonic() - started < 5
    assert response.status_code == 400 and "contains XML entity definitions" in response.text
    assert counts(organiser) == before


def test_a_file_over_the_size_limit_is_refused_with_413(organiser):
    before = counts(organiser)
    response = import_people(organiser, os.urandom(6 * 1024 * 1024))
    assert response.status_code == 413 and "larger than the limit of 5 MB" in response.text
    assert counts(organiser) == before


def test_a_markdown_file_over_its_own_smaller_limit_is_refused_with_413(organiser):
    before = counts(organiser)
    response = import_document(organiser, "plan.md", b"## Big\n\n" + b"[" * 600_000, target="new",
                               kind="monitoring_plan", title="T")
    assert response.status_code == 413 and "larger than the limit of 512 KB" in response.text
    assert counts(organiser) == before


def test_an_oversized_body_without_a_declared_length_is_cut_off(organiser):
    def chunks():
        boundary = b"--xyz\r\n"
        yield boundary + b'Content-Disposition: form-data; name="file"; filename="p.xlsx"\r\n\r\n'
        for _ in range(7):
            yield os.urandom(1024 * 1024)
        yield b"\r\n--xyz--\r\n"

    response = organiser.post("/organiser/import/participants", content=chunks(),
                              headers={**HTMX, "X-CSRF-Token": csrf_token(organiser),
                                       "Content-Type": "multipart/form-data; boundary=xyz"})
    assert response.status_code == 413


def test_a_post_without_a_file_asks_for_one(organiser):
    response = organiser.post("/organiser/import/participants", data={"x": "1"},
                              headers={**HTMX, "X-CSRF-Token": csrf_token(organiser)})
    assert response.status_code == 422 and "Choose a file to upload." in response.text
    assert 'aria-invalid="true"' in response.text


# --- documents --------------------------------------------------------------------------------

def import_document(client, filename: str, data: bytes, **fields):
    return upload(client, "/organiser/import/document", filename, data, **fields)


def document_by_title(client, title: str) -> dict:
    def load(session):
        document = session.scalar(select(Document).where(Document.title == title))
        return {"id": document.id, "kind": document.kind, "sections": [
            (s.id, s.title, [p.text for p in s.paragraphs]) for s in document.sections]}
    return client.app.state.core.db.read(load)


DOCUMENT_SHEET = [["Section", "Text"],
                  ["Scope", "The plan covers violence linked to drug markets."],
                  [None, "It covers incidents outside the EU that affect it."],
                  ["Scope", "Including those online."],
                  ["Indicators", None],
                  [None, "Homicides linked to drug markets."]]

MARKDOWN = """# Local action plan

## Prevention

Schools and youth services *work together*,
with **clear** roles.

- Outreach in the evenings.

## Data

Reports every [six months](https://example.org).
"""


def test_a_document_is_imported_from_a_workbook(organiser):
    response = import_document(organiser, "plan.xlsx", workbook(DOCUMENT_SHEET), target="new",
                               kind="monitoring_plan", title="Regional monitoring plan")
    assert response.status_code == 200, response.text
    assert "Imported: Regional monitoring plan" in response.text
    document = document_by_title(organiser, "Regional monitoring plan")
    assert document["kind"] == "monitoring_plan"
    assert [(title, texts) for _, title, texts in document["sections"]] == [
        ("Scope", ["The plan covers violence linked to drug markets.",
                   "It covers incidents outside the EU that affect it.", "Including those online."]),
        ("Indicators", ["Homicides linked to drug markets."])]


def test_a_document_is_imported_from_markdown_with_its_title(organiser):
    response = import_document(organiser, "plan.md", MARKDOWN.encode(), target="new", kind="call_for_policies")
    assert response.status_code == 200, response.text
    document = document_by_title(organiser, "Local action plan")
    assert [(title, texts) for _, title, texts in document["sections"]] == [
        ("Prevention", ["Schools and youth services work together, with clear roles.", "Outreach in the evenings."]),
        ("Data", ["Reports every six months."])]


def test_an_untouched_document_is_replaced_in_place(organiser):
    import_document(organiser, "plan.md", MARKDOWN.encode(), target="new", kind="call_for_policies")
    before = document_by_title(organiser, "Local action plan")
    replacement = "## Prevention\n\nA new first paragraph.\n\n## Data\n\nNew data.\n\n## Follow-up\n\nYearly.\n"
    response = import_document(organiser, "plan.md", replacement.encode(), target=str(before["id"]))
    assert response.status_code == 200, response.text
    assert "Replaced: Local action plan" in response.text
    after = document_by_title(organiser, "Local action plan")
    assert after["id"] == before["id"]
    assert [s[0] for s in after["sections"][:2]] == [s[0] for s in before["sections"]]  # sections keep their ids
    assert [(title, texts) for _, title, texts in after["sections"]] == [
        ("Prevention", ["A new first paragraph."]), ("Data", ["New data."]), ("Follow-up", ["Yearly."])]


def test_a_document_rooms_have_commented_on_cannot_be_replaced(organiser):
    participant = TestClient(organiser.app)
    rid = room_id(join(participant, CODE_A))
    paragraph = first_paragraph(participant.get(f"/rooms/{rid}").text)
    posted = participant.post(f"/rooms/{rid}/comments", headers={**HTMX, "X-CSRF-Token": csrf_token(participant)},
                              data={"text": "A comment", "paragraph_id": paragraph, "attribution": "sector",
                                    "idempotency_key": "import-test-0001"})
    assert posted.status_code == 200
    document_id = organiser.app.state.core.db.read(
        lambda s: s.scalar(select(Section.document_id).join(Paragraph).where(Paragraph.id == paragraph)))
    before = counts(organiser)
    response = import_document(organiser, "plan.md", MARKDOWN.encode(), target=str(document_id))
    assert response.status_code == 409
    assert "cannot be replaced: it already has comments" in response.text
    assert counts(organiser) == before and count(organiser, Comment) == 1


def test_replacing_refuses_to_drop_a_section_a_room_works_on(organiser):
    demo_id = document_by_title(organiser, "Monitoring plan for drug-related violence in the EU")["id"]
    before = counts(organiser)
    response = import_document(organiser, "short.md", b"## Definitions\n\nOnly one section.\n", target=str(demo_id))
    assert response.status_code == 409
    assert "rooms work on later ones: Room A" in response.text and "Keep at least 6 sections" in response.text
    assert counts(organiser) == before


def test_a_bad_document_file_lists_every_problem_and_creates_nothing(organiser):
    before = counts(organiser)
    markdown = "Intro before any section.\n\n## Scope\n\n### Detail\n\n" + "x" * 5001 + "\n\n## Empty\n"
    response = import_document(organiser, "plan.md", markdown.encode(), target="new", kind="monitoring_plan",
                               title="T")
    assert response.status_code == 422
    assert report_rows(response.text) == [
        ("1", "paragraph", "This text comes before the first section: start a section above it with a “## ” heading."),
        ("5", "section",
         "“### ” headings are not supported: use “## ” for a section and ordinary paragraphs below it."),
        ("7", "paragraph", "The paragraph has 5001 characters; the limit is 5000. Split it."),
        ("9", "section", "The section “Empty” has no paragraphs."),
    ]
    assert "<th scope=\"col\">Line</th>" in response.text
    sheet = [["section", "paragraph"], ["A", "one"], ["B", "two"], ["A", "three"]] + \
            [["C", f"p{i}"] for i in range(61)]
    response = import_document(organiser, "plan.xlsx", workbook(sheet), target="new", kind="monitoring_plan", title="T")
    assert response.status_code == 422
    assert report_rows(response.text) == [
        ("4", "section", "The section “A” already started at row 2: keep a section's rows together."),
        ("65", "paragraph", "A section has at most 60 paragraphs; this is paragraph 61 of “C”. Split the section."),
    ]
    assert counts(organiser) == before


def test_a_document_files_problems_and_refusals_are_said_in_the_readers_language(demo_client):
    """A French organiser reads every problem of the file, and why a document cannot be
    replaced or cut short, in French: the problems were English whatever the language."""
    from test_organiser import sign_in

    org = sign_in(demo_client)

    def sent(filename, data, **fields):
        return org.post("/organiser/import/document", data=fields, files={"file": (filename, data, XLSX)},
                        headers={**HTMX, "X-CSRF-Token": csrf_token(org), "Accept-Language": "fr"})

    markdown = "Intro.\n\n## Scope\n\n### Detail\n\n```\ncode\n```\n\n" + "x" * 5001 + "\n\n## Empty\n"
    refused = sent("plan.md", markdown.encode(), target="new", kind="monitoring_plan", title="T")
    assert refused.status_code == 422 and [said for _row, _column, said in report_rows(refused.text)] == [
        "Ce texte précède la première section : commencez une section au-dessus avec un titre « ## ».",
        "Les titres « ### » ne sont pas pris en charge : utilisez « ## » pour une section et des paragraphes "
        "ordinaires en dessous.",
        "Un bloc de code ne peut pas être importé ; écrivez-le comme un paragraphe ordinaire.",
        "Le paragraphe compte 5001 caractères ; la limite est de 5000. Divisez-le.",
        "La section « Empty » n'a aucun paragraphe."]
    sheet = [["section", "paragraph"], ["A", "one"], ["B", "two"], ["A", "three"]]
    assert report_rows(sent("plan.xlsx", workbook(sheet), target="new", kind="monitoring_plan", title="T").text) == [
        ("4", "section", "La section « A » a déjà commencé à la ligne 2 : gardez ensemble les lignes d'une section.")]
    demo_id = document_by_title(org, "Monitoring plan for drug-related violence in the EU")["id"]
    short = sent("short.md", b"## Definitions\n\nOnly one section.\n", target=str(demo_id))
    assert short.status_code == 409 and "Le fichier compte 1 section, mais des salles travaillent sur des sections " \
        "suivantes : Room A - Definitions, indicators and reporting (sections 2, 6), " in html.unescape(short.text)
    assert "(sections 3, 4, 5). Gardez au moins 6 sections dans le fichier" in html.unescape(short.text)
    participant = TestClient(demo_client.app)
    rid = room_id(join(participant, CODE_A))
    participant.post(f"/rooms/{rid}/comments", headers={**HTMX, "X-CSRF-Token": csrf_token(participant)},
                     data={"text": "A comment", "paragraph_id": first_paragraph(participant.get(f"/rooms/{rid}").text),
                           "attribution": "sector", "idempotency_key": "import-fr-0001"})
    touched = sent("plan.md", b"## A\n\nText.\n", target=str(demo_id))
    assert touched.status_code == 409 and "« Monitoring plan for drug-related violence in the EU » ne peut pas " \
        "être remplacé : il a déjà des commentaires, qui appartiennent" in html.unescape(touched.text)


def test_a_new_document_needs_a_title_and_a_known_kind(organiser):
    before = counts(organiser)
    untitled = import_document(organiser, "plan.xlsx", workbook(DOCUMENT_SHEET), target="new", kind="monitoring_plan")
    assert untitled.status_code == 422 and "Give the document a title" in untitled.text
    unknown = import_document(organiser, "plan.md", MARKDOWN.encode(), target="new", kind="minutes")
    assert unknown.status_code == 422 and "Choose what kind of document" in unknown.text
    assert counts(organiser) == before


def file_problem(page: str) -> str | None:
    """What the page says next to its file field, if anything."""
    said = re.search(r'<p class="error" id="f-file-error">(.*?)</p>', page, re.S)
    return html.unescape(said.group(1)) if said else None


def typed(page: str) -> dict:
    """The document form's other fields as the page shows them."""
    return {"title": html.unescape(re.search(r'id="f-title"[^>]*value="([^"]*)"', page).group(1)),
            "kind": re.search(r'<option value="([a-z_]+)" selected>', page.split('id="f-kind"')[1]).group(1)}


REFUSED_FILES = [
    ("plan.md", b"", 422, "The file “plan.md” is empty. Choose the file that holds the text"),
    ("plan.xlsx", b"", 422, "The file “plan.xlsx” is empty."),
    ("plan.docx", b"PK\x03\x04", 415, "“plan.docx” is not a file this page reads: upload an Excel workbook (.xlsx) or "
                                     "a Markdown file (.md)."),
    ("plan.pdf", b"%PDF-1.4", 415, "“plan.pdf” is not a file this page reads"),
    ("plan.xlsx", b"PK\x03\x04 cut short", 400, "This file is not an Excel workbook (.xlsx), or it is damaged"),
    ("plan.md", b"## A\n\n\xff\xfe broken", 400, "This file is not a text file in UTF-8."),
    ("plan.md", b"## Big\n\n" + b"x" * 600_000, 413, "The file is larger than the limit of 512 KB."),
]


@pytest.mark.parametrize("filename, data, status, said", REFUSED_FILES,
                         ids=["empty md", "empty xlsx", "docx", "pdf", "damaged xlsx", "not utf-8", "over md limit"])
def test_a_refused_document_file_is_said_next_to_the_file_field_with_the_form_as_typed(organiser, filename, data,
                                                                                        status, said):
    before = counts(organiser)
    response = import_document(organiser, filename, data, target="new", kind="call_for_policies", title="Plan B")
    assert response.status_code == status
    assert said in file_problem(response.text)
    assert 'aria-describedby="f-file-hint f-file-error" aria-invalid="true" autofocus' in response.text
    assert 'id="import-report"' not in response.text  # said once, where the file is chosen
    assert typed(response.text) == {"title": "Plan B", "kind": "call_for_policies"}
    assert counts(organiser) == before


def test_a_bad_document_choice_is_said_next_to_its_select_with_the_form_as_typed(demo_client):
    """A target that is no number, or a document gone meanwhile, is said under the Document
    select, which is marked and focused, not above the form; in the reader's language."""
    from test_organiser import sign_in

    org = sign_in(demo_client)
    for target, language, said in (("abc", "en", "“Document” must be a whole number."),
                                   ("999999", "en", "That document does not exist any more. Reload the page."),
                                   ("999999", "fr", "Ce document n'existe plus. Rechargez la page.")):
        response = org.post("/organiser/import/document", data={"target": target, "title": "Plan B"},
                            files={"file": ("plan.md", MARKDOWN.encode(), XLSX)},
                            headers={**HTMX, "X-CSRF-Token": csrf_token(org), "Accept-Language": language})
        assert response.status_code in (404, 422)
        shown = re.search(r'<p class="error" id="f-target-error">(.*?)</p>', response.text, re.S)
        assert shown and html.unescape(shown.group(1)) == said, response.text[-2000:]
        assert 'aria-describedby="f-target-hint f-target-error" aria-invalid="true" autofocus' in response.text
        assert 'id="import-report"' not in response.text and file_problem(response.text) is None
        assert 'value="Plan B"' in response.text


def test_a_document_file_over_the_upload_limit_replaces_only_the_file_field(organiser):
    """The body is refused from its declared length, before its other fields are read: the
    answer swaps the file field alone, so the title and kind typed stay in the browser."""
    before = counts(organiser)
    response = organiser.post("/organiser/import/document", data={"target": "new", "kind": "monitoring_plan",
                                                                  "title": "Plan B"},
                              files={"file": ("plan.xlsx", os.urandom(6 * 1024 * 1024), XLSX)},
                              headers={**HTMX, "X-CSRF-Token": csrf_token(organiser), "Accept-Language": "fr"})
    assert response.status_code == 413
    assert (response.headers["HX-Retarget"], response.headers["HX-Reselect"]) == ("#f-file-field", "#f-file-field")
    assert response.headers["HX-Reswap"] == "outerHTML" and response.headers["Connection"] == "close"
    assert file_problem(response.text).startswith("Le fichier dépasse la limite de 5 MB.")
    assert counts(organiser) == before


def test_a_refused_document_file_is_said_in_the_readers_language(organiser):
    for language, said in [("fr", "Le fichier « plan.md » est vide."), ("de", "„plan.pdf“ ist keine Datei"),
                           ("nl", "‘plan.pdf’ is geen bestand")]:
        response = organiser.post("/organiser/import/document", data={"target": "new", "title": "T"},
                                  files={"file": ("plan.md", b"", XLSX) if language == "fr" else
                                         ("plan.pdf", b"%PDF-1.4", XLSX)},
                                  headers={**HTMX, "X-CSRF-Token": csrf_token(organiser), "Accept-Language": language})
        assert said in file_problem(response.text), language


# --- who may import ---------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/organiser/import/participants", "/organiser/import/document"])
def test_only_organisers_may_import(organiser, path):
    anonymous, participant = TestClient(organiser.app), TestClient(organiser.app)
    join(participant, CODE_A)
    before = counts(organiser)
    for stranger in (anonymous, participant):
        assert stranger.get(path).status_code == 403
        refused = stranger.post(path, files={"file": ("p.xlsx", workbook(PEOPLE), XLSX)},
                                data={"target": "new", "kind": "monitoring_plan", "title": "T"},
                                headers={**HTMX, "X-CSRF-Token": csrf_token(stranger)})
        assert refused.status_code == 403 and "Only organisers" in refused.text
    assert counts(organiser) == before


def test_the_services_check_the_actor_and_store_emails(db):
    event = db.write(build_event)[0]
    member = db.write(build_member, event["codes"][0])[0]
    rows = [Row(1, tuple(HEADER)),
            Row(2, ("Ana", "ana@example.org", "X", "health", "BE", "rapporteur", event["codes"][0]))]
    for actor in (Actor(), member):
        with pytest.raises(Forbidden):
            db.write(participants.import_participants, actor, event["slug"], rows=rows)
    people, events = db.write(participants.import_participants, Actor(organiser_id=1), event["slug"], rows=rows)
    assert [p["name"] for p in people] == ["Ana"] and len(people[0]["token"]) == 43
    assert [e.type for e in events] == ["member_joined", "rapporteur_assigned"]
    with pytest.raises(FileProblems) as refused:
        db.write(participants.import_participants, Actor(organiser_id=1), event["slug"], rows=rows)
    assert [(p.row, p.column) for p in refused.value.problems] == [(2, "email")]


def test_a_french_organiser_reads_the_files_problems_in_french(organiser):
    """The refusal and each row's problem in the organiser's language; the values the file must
    hold (sector names, roles) stay as the file writes them."""
    fr = {**HTMX, "X-CSRF-Token": csrf_token(organiser), "Accept-Language": "fr"}
    response = organiser.post("/organiser/import/participants", headers=fr, files={"file": ("people.xlsx", workbook([
        HEADER, ["Ben", "not an address", "X", "Polce", "BE", "participant", None]]), XLSX)})
    assert response.status_code == 422
    page = html.unescape(response.text)
    assert "Le fichier présente 2 problèmes." in page and "« not an address » n'est pas une adresse e-mail." in page
    assert "« Polce » n'est pas un secteur. Utilisez l'un de ceux-ci : Law enforcement, Health services" in page
    damaged = organiser.post("/organiser/import/participants", headers=fr,
                             files={"file": ("people.xlsx", b"plain text, not a workbook", XLSX)})
    assert "Ce fichier n'est pas un classeur Excel (.xlsx)" in html.unescape(damaged.text)
    assert "enregistrez-le de nouveau comme classeur Excel" in html.unescape(damaged.text)
