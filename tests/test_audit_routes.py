"""The audit log is complete and reads in words: sign-ins, imports with counts, exports by
page, API and command line with their options; filters; CSV of what the filters show."""
from __future__ import annotations

import csv
import io

import openpyxl
from starlette.testclient import TestClient
from test_organiser import CODE_A, post, rapporteur_of, sign_in
from web_helpers import HTMX, csrf_token, join

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def audit_csv(org, query=""):
    response = org.get(f"/organiser/audit.csv{query}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))


def test_sign_ins_and_failed_sign_ins_are_logged_from_the_page_and_the_api(client):
    bad = TestClient(client.app)
    bad.post("/organiser/login", data={"csrf_token": csrf_token(bad, "/organiser/login"),
                                       "email": "Organiser@example.org", "password": "guess"})
    client.post("/api/v1/auth/login", json={"email": "nobody@example.org", "password": "x"})
    assert client.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                   "password": "brussels-demo-2024"}).status_code == 200
    org = sign_in(TestClient(client.app))
    rows = audit_csv(org, "?kind=sign-in")
    what = [r["What"] for r in rows]
    assert "Signed in from the console." in what and "Signed in through the API." in what
    assert "Failed sign-in as organiser@example.org from the console: Wrong email or password." in what
    assert "Failed sign-in as nobody@example.org through the API: Wrong email or password." in what
    assert {r["Kind"] for r in rows} == {"Sign-ins"}


def test_imports_are_logged_with_their_counts(client):
    org = sign_in(TestClient(client.app))
    book = openpyxl.Workbook()
    for row in (["name", "email", "organisation", "sector", "country", "role", "room"],
                ["Ines", "ines@example.org", "", "health", "PT", "participant", CODE_A],
                ["Jon", "jon@example.org", "", "research", "DK", "rapporteur", CODE_A],
                ["Kim", "kim@example.org", "", "research", "SE", "", ""]):
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    sent = org.post("/organiser/import/participants", files={"file": ("registrations.xlsx", data.getvalue(), XLSX)},
                    headers={**HTMX, "X-CSRF-Token": csrf_token(org)})
    assert sent.status_code == 200
    what = [r["What"] for r in audit_csv(org, "?kind=import")]
    assert what == ["Imported 3 participants from registrations.xlsx (2 placed in rooms, 1 rapporteur)."]


def test_every_export_is_logged_with_how_and_whether_hidden_content_was_in_it(client, settings, monkeypatch, tmp_path):
    from consult import cli
    org = sign_in(TestClient(client.app))
    assert org.get("/e/drug-violence-2024/export.xlsx?hidden=1").status_code == 200
    assert org.get("/e/drug-violence-2024/export/comments.csv").status_code == 200
    token = client.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                    "password": "brussels-demo-2024"}).json()["token"]
    assert client.get("/api/v1/events/drug-violence-2024/export.xlsx",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 200
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    cli.main(["export", "--event", "drug-violence-2024", "--out", str(tmp_path / "out.xlsx")])
    what = [r["What"] for r in audit_csv(org, "?kind=export")]
    assert any(w.startswith("Exported consultation-drug-violence-2024-with-hidden-") and w.endswith(
        "from the console (with hidden content).") for w in what), what
    assert any("-comments.csv from the console." in w for w in what)
    assert sum(w.endswith("through the API.") for w in what) == 1
    assert sum(w.endswith("with run.py export.") for w in what) == 1


def test_the_log_filters_by_kind_person_room_and_time_and_the_csv_follows_the_filters(client):
    org = sign_in(TestClient(client.app))
    rita, rid = rapporteur_of(client, CODE_A, org)
    post(rita, f"/rooms/{rid}/countdown", {"minutes": "5"})
    post(org, "/organiser/phase", {"rooms": ["1", "2"], "phase": "voting", "confirm": "yes"})
    by_rita = org.get("/organiser/audit?person=rit").text
    assert "Started a 5-minute countdown." in by_rita and "Moved the room" not in by_rita
    room_1 = audit_csv(org, f"?room={rid}&kind=phase")
    assert [r["What"] for r in room_1] == ["Moved the room from Open for comments to Voting."] and room_1[0]["Room"]
    assert audit_csv(org, "?from=2000-01-01T00:00&to=2000-01-02T00:00") == []
    assert len(audit_csv(org, "?kind=phase")) == 2
    assert org.get("/organiser/audit?from=yesterday").status_code == 422
    assert org.get("/organiser/audit?kind=nonsense").status_code == 422
    join(client, CODE_A)
    for who in (client, rita):
        assert who.get("/organiser/audit.csv", follow_redirects=False).status_code == 403


def test_signing_out_everywhere_and_filling_the_demo_are_logged_in_words(client):
    org = sign_in(TestClient(client.app))
    other = sign_in(TestClient(client.app))
    assert post(org, "/organiser/demo-activity").status_code == 303
    post(org, "/organiser/demo-activity")                       # nothing added the second time: not logged
    assert post(other, "/organiser/logout-everywhere").status_code == 303
    assert org.get("/organiser", follow_redirects=False).status_code == 302    # signed out too
    org = sign_in(TestClient(client.app))
    sign_outs = audit_csv(org, "?kind=sign-in")
    assert any("Signed out everywhere: 2 browser sessions ended." in r.values() for r in sign_outs), sign_outs
    fills = [r for r in audit_csv(org, "?kind=set-up") if "Filled the demo rooms with sample work." in r.values()]
    assert len(fills) == 1


def test_account_changes_are_logged_revoking_a_token_and_resetting_a_password(client):
    from consult.accounts import organisers
    issued = client.post("/api/v1/auth/login", json={"email": "organiser@example.org", "password": "brussels-demo-2024",
                                                     "name": "Laptop script"}).json()
    assert client.delete(f"/api/v1/auth/tokens/{issued['id']}",
                         headers={"Authorization": f"Bearer {issued['token']}"}).status_code in (200, 204)
    client.app.state.core.db.write(organisers.create_organiser, "organiser@example.org", "brussels-demo-2024")
    org = sign_in(TestClient(client.app))
    what = [r["What"] for r in audit_csv(org, "?kind=sign-in")]
    assert "Revoked the API token “Laptop script”." in what
    assert "Reset the password of organiser@example.org: its browser sessions and API tokens ended." in what
