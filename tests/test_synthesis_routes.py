"""The synthesis through the pages and the API, in-process on the demo after its sample work."""
from __future__ import annotations

import re

from starlette.testclient import TestClient
from test_organiser import post, rapporteur_of, sign_in
from web_helpers import join

SLUG, CODE_A, CODE_B = "drug-violence-2024", "K7MPQ2", "R4XTN8"


def filled(client) -> TestClient:
    org = sign_in(TestClient(client.app))
    assert post(org, "/organiser/demo-activity").status_code in (200, 303)
    return org


def test_the_synthesis_page_shows_heat_map_groups_and_themes_to_organisers_only(client):
    org = filled(client)
    assert 'href="/organiser/synthesis"' in org.get("/organiser").text
    page = org.get("/organiser/synthesis")
    assert page.status_code == 200
    html = page.text
    assert '<table class="heat-map">' in html and "<caption>" in html
    assert re.search(r'<td class="heat (agree|disagree)-[0-4]">\s*<span class="heat-share">\d+%</span>', html)
    assert "style=" not in html, "the Content-Security-Policy refuses style attributes"
    assert '<svg class="opinion-map"' in html and 'role="img"' in html and "opinion groups" in html
    assert 'class="theme"' in html
    for name in ("Inês Carvalho", "Jan de Vries", "Attendee", "Demo organisation"):
        assert name not in html
    assert org.get("/organiser/synthesis/projector").status_code == 200
    join(client, CODE_A)
    assert client.get("/organiser/synthesis", follow_redirects=False).status_code == 403
    anonymous = TestClient(client.app)
    assert anonymous.get("/organiser/synthesis", follow_redirects=False).status_code == 302


def test_the_api_gives_organisers_the_synthesis_and_refuses_everyone_else(client):
    filled(client)
    assert client.get(f"/api/v1/events/{SLUG}/synthesis").status_code == 401
    joined = client.post("/api/v1/rooms/join", json={"code": CODE_A, "name": "Ana", "organisation": "Org",
                                                     "sector": "health", "country": "BE"}).json()
    refused = client.get(f"/api/v1/events/{SLUG}/synthesis", headers={"Authorization": f"Bearer {joined['token']}"})
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    token = client.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                    "password": "brussels-demo-2024"}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/events/nope/synthesis", headers=auth).status_code == 404
    data = client.get(f"/api/v1/events/{SLUG}/synthesis", headers=auth).json()
    assert {"sectors", "items", "most_consensual", "most_divisive", "groups", "themes"} <= data.keys()
    assert data["groups"]["k"] >= 2 and all(re.fullmatch(r"P-\d{6}", p["participant"]) for p in data["groups"]["points"])
    assert data["themes"] and all(t["size"] >= 2 for t in data["themes"])
    assert "Inês" not in str(data) and "Attendee" not in str(data)


def test_a_rapporteur_sees_their_rooms_themes_beside_each_paragraph_and_no_other_room(client):
    org = filled(client)
    rita, rid = rapporteur_of(client, CODE_A, org)
    bench = rita.get(f"/rooms/{rid}/workbench").text
    slots = re.findall(r'hx-get="(/synthesis/paragraphs/\d+/themes\?room=\d+)"', bench)
    assert slots
    fragments = [rita.get(url) for url in slots]
    assert all(f.status_code == 200 for f in fragments)
    shown = " ".join(f.text for f in fragments)
    assert "Themes in the comments" in shown
    rooms = set(re.findall(r'<span class="meta">[^,<]+, (Room [^<]+)</span>', shown))
    assert rooms and all(r.startswith("Room A") for r in rooms)
    other = org.get("/api/v1/events/drug-violence-2024/rooms")
    other_id = next(r["id"] for r in other.json()["rooms"] if r["id"] != rid)
    pid = re.search(r"/synthesis/paragraphs/(\d+)/", slots[0]).group(1)
    assert rita.get(f"/synthesis/paragraphs/{pid}/themes?room={other_id}").status_code == 403
    assert rita.get(f"/synthesis/paragraphs/{pid}/themes").status_code == 403  # the event's themes: organisers
    assert org.get(f"/synthesis/paragraphs/{pid}/themes").status_code == 200
    assert rita.get(f"/synthesis/paragraphs/{pid}/themes?room=abc").status_code == 422
