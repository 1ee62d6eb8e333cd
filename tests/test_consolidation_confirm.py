"""Consolidating a document whose rooms are still at work is asked first, naming the rooms;
the server refuses to do it unconfirmed (not only the page), only organisers may confirm, and
the audit log says which rooms were still open."""
from __future__ import annotations

import re

from starlette.testclient import TestClient
from test_organiser import post, rapporteur_of, sign_in
from web_helpers import csrf_token, join

CALL = 2          # the call for policies: session 2's rooms E to H work on it
SESSION_2 = ("P5CQJ7", "T8GNX4")


def versions(org) -> int:
    return len(re.findall(r'href="/documents/2/consolidated/\d+"', org.get(f"/documents/{CALL}/consolidated").text))


def test_consolidating_while_rooms_are_open_is_asked_first_naming_them(client):
    org = sign_in(TestClient(client.app))
    asked = org.post(f"/documents/{CALL}/consolidations", data={"csrf_token": csrf_token(org)},
                     follow_redirects=False)
    assert asked.status_code == 200 and "Nothing has changed yet" in asked.text
    assert "while 4 rooms are still at work?" in asked.text and 'name="confirm" value="yes"' in asked.text
    for room in ("Room E", "Room F", "Room G", "Room H"):
        assert re.search(rf"{room}[^<(]*\(Open for comments\)", asked.text), room
    assert versions(org) == 0                                   # asked, not done
    done = org.post(f"/documents/{CALL}/consolidations", data={"csrf_token": csrf_token(org), "confirm": "yes"},
                    follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith(f"/documents/{CALL}/consolidated/1")
    audit = org.get("/organiser/audit?kind=consolidation").text
    assert re.search(r"rooms still open: Room E[^<]*Room H", audit)


def test_only_organisers_confirm_a_consolidation(client):
    org = sign_in(TestClient(client.app))
    rita, _ = rapporteur_of(client, SESSION_2[0], org)
    pia = TestClient(client.app)
    join(pia, SESSION_2[1], name="Pia")
    for who in (rita, pia):
        assert post(who, f"/documents/{CALL}/consolidations", {"confirm": "yes"}).status_code == 403
    assert versions(org) == 0


def test_nothing_is_asked_once_the_rooms_are_closed_or_left_out(client):
    org = sign_in(TestClient(client.app))
    rooms = {r["name"].split(" - ")[0]: r["id"] for r in
             org.get("/api/v1/events/drug-violence-2024/rooms").json()["rooms"]}
    post(org, "/organiser/phase", {"rooms": [str(rooms[n]) for n in ("Room E", "Room F", "Room G")],
                                   "phase": "closed", "confirm": "yes"})
    asked = org.post(f"/documents/{CALL}/consolidations", data={"csrf_token": csrf_token(org)},
                     follow_redirects=False)
    assert "while 1 room is still at work?" in asked.text and "Room H" in asked.text and "Room E" not in asked.text
    post(org, f"/documents/{CALL}/excluded-rooms", {"excluded": str(rooms["Room H"])})
    straight = org.post(f"/documents/{CALL}/consolidations", data={"csrf_token": csrf_token(org)},
                        follow_redirects=False)
    assert straight.status_code == 303 and "/consolidated/1" in straight.headers["location"]


def test_the_provenance_of_a_paragraph_nobody_touched_says_so_rather_than_opening_empty(client):
    org = sign_in(TestClient(client.app))
    done = post(org, f"/documents/{CALL}/consolidations", {"confirm": "yes"})
    page = org.get(done.headers["location"]).text
    folds = re.findall(r'<details class="provenance">(.*?)</details>', page, re.S)
    assert folds and all("No room proposed a change here, and no one reacted to it." in f for f in folds)
    assert "support 0 agree" not in page
