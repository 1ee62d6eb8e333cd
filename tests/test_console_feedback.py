"""Feedback in the console: a notice after each save, the invitation link's QR code and copy
button, badges naming room and role, and the participants' import template."""
from __future__ import annotations

import io
import re

import openpyxl
from starlette.testclient import TestClient
from test_organiser import CODE_A, post, sign_in
from web_helpers import HTMX, csrf_token, join

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_filling_the_demo_after_someone_tried_a_room_fills_the_other_rooms_and_says_which_were_left(client):
    rid = int(re.search(r"/rooms/(\d+)", join(client, CODE_A).headers["location"]).group(1))
    page = client.get(f"/rooms/{rid}").text
    pid = re.search(r'name="paragraph_id" value="(\d+)"', page).group(1)
    tried = client.post(f"/rooms/{rid}/amendments", headers={**HTMX, "X-CSRF-Token": csrf_token(client)}, data={
        "paragraph_id": pid, "kind": "delete", "rationale": "Trying the room.", "attribution": "sector",
        "idempotency_key": "tried-before-the-demo"})
    assert tried.status_code == 200
    org = sign_in(TestClient(client.app))
    said = org.get(post(org, "/organiser/demo-activity").headers["location"]).text
    assert ("The other demo rooms now hold sample work; Room A - Definitions, indicators and reporting, "
            "Room B - Definitions, indicators and reporting already held work and were left as they were.") in said
    consolidated = post(org, "/documents/2/consolidations", {"confirm": "yes"})
    assert consolidated.status_code == 303 and "Room E" in org.get(consolidated.headers["location"]).text


def test_every_save_says_what_was_saved(client):
    org = sign_in(TestClient(client.app))
    filled = post(org, "/organiser/demo-activity")
    assert filled.status_code == 303, filled.text[:300]
    assert "sample comments" in org.get(filled.headers["location"]).text
    saved = post(org, "/organiser/event", {"title": "Renamed conference", "venue": "Brussels",
                                           "starts_on": "2024-11-26", "ends_on": "2024-11-27"})
    assert "The event was saved." in org.get(saved.headers["location"]).text
    saved = post(org, "/organiser/sessions", {"session_id": "1", "title": "Morning", "starts_at": "2024-11-26T09:00",
                                              "ends_at": "2024-11-26T12:00"})
    assert "The session “Morning” was saved." in org.get(saved.headers["location"]).text
    saved = post(org, "/organiser/rooms", {"room_id": "1", "session_id": "1", "name": "Room A", "sections": ["1"],
                                           "dots": "5"})
    page = org.get(saved.headers["location"]).text
    assert "The room “Room A” was saved." in page
    assert "was saved" not in org.get("/organiser/setup").text      # said once, not on every later page


def test_an_invitation_link_comes_with_a_qr_code_and_a_copy_button(client):
    org = sign_in(TestClient(client.app))
    shown = org.get(post(org, "/organiser/rooms/1/invite").headers["location"])
    assert "<svg" in shown.text and 'data-copy="invite-link"' in shown.text and 'id="invite-link"' in shown.text
    assert shown.headers["cache-control"] == "no-store"


def test_an_invitation_is_made_once_and_its_page_reloads_without_posting_again(demo_client):
    """The form's post makes the invitation and answers 303 to its page: reloading that page shows
    the same link, makes no second invitation, and the link still works once. Another organiser's
    browser has no link to show there."""
    from consult.rooms.models import RapporteurInvite
    from sqlalchemy import func, select

    org = sign_in(TestClient(demo_client.app))
    made = post(org, "/organiser/rooms/1/invite")
    assert made.status_code == 303 and made.headers["location"] == "/organiser/rooms/1/invite"
    first, again = org.get("/organiser/rooms/1/invite"), org.get("/organiser/rooms/1/invite")
    link = re.search(r'id="invite-link" class="personal-link" href="([^"]+)"', first.text).group(1)
    assert first.status_code == again.status_code == 200 and link in again.text
    assert demo_client.app.state.core.db.read(lambda s: s.scalar(select(func.count()).select_from(RapporteurInvite))) == 1
    token = re.search(r"invite=([\w-]+)", link).group(1)
    assert join(TestClient(demo_client.app), CODE_A, name="Invited", invite=token).status_code == 303
    other = sign_in(TestClient(demo_client.app))
    elsewhere = other.get("/organiser/rooms/1/invite", headers={"Accept-Language": "fr"})
    assert token not in elsewhere.text and "Aucune invitation à afficher ici" in elsewhere.text


def test_the_import_template_lists_the_allowed_values_and_imports_as_it_is(client):
    org = sign_in(TestClient(client.app))
    join(client, CODE_A)
    assert client.get("/organiser/import/participants-template.xlsx").status_code == 403
    response = org.get("/organiser/import/participants-template.xlsx")
    assert response.status_code == 200 and response.headers["content-type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Participants"]
    assert [c.value for c in sheet[1]] == ["name", "email", "organisation", "sector", "country", "role", "room"]
    rules = {str(r.sqref).split(":")[0][0]: r.formula1 for r in sheet.data_validations.dataValidation}
    assert set(rules) == {"D", "E", "F", "G"} and all(r.startswith("='Allowed values'!") for r in rules.values())
    lists = book["Allowed values"]
    assert lists.sheet_state == "hidden"
    column = {lists.cell(1, i).value: [c.value for c in list(lists.columns)[i - 1][1:] if c.value]
              for i in range(1, 5)}
    assert "Health services" in column["sector"] and "BE" in column["country"] and CODE_A in column["room"]
    assert column["role"] == ["participant", "rapporteur"]
    # The example row imports as it stands, and its badge names the room and the role.
    made = org.post("/organiser/import/participants", files={"file": ("t.xlsx", response.content, XLSX)},
                    headers={**HTMX, "X-CSRF-Token": csrf_token(org)})
    assert made.status_code == 200 and "Ana Example" in made.text
    assert re.search(r"Participant · Room A", made.text)
