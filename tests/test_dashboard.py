"""The dashboard to look at: per room, charts drawn on the server with their numbers in words,
the sector balance with what is missing or dominant, the time left, and the rooms that need
attention first with the reason (stuck, unbalanced, reports waiting)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from starlette.testclient import TestClient
from test_moderation_routes import comment, reported
from test_organiser import CODE_A, CODE_B, post, rapporteur_of, running_now, sign_in
from web_helpers import HTMX, join, room_id

from consult import clock


def cards(page: str) -> dict[int, str]:
    """Each room's card on the dashboard, by room id, in the order shown."""
    found = re.findall(r'<article id="dash-room-(\d+)".*?</article>', page, re.S)
    bodies = re.split(r'(?=<article id="dash-room-)', page)[1:]
    return {int(i): body[:body.index("</article>")] for i, body in zip(found, bodies)}


def test_every_room_has_its_charts_numbers_and_balance_and_quiet_rooms_need_no_attention(client):
    org = sign_in(TestClient(client.app))
    page = org.get("/organiser").text
    shown = cards(page)
    assert len(shown) == 8 and "No room needs attention." in page
    card = shown[1]
    assert card.count('role="img"') == 2 and "Activity in Room A" in card and "Members of Room A" in card
    assert "Nobody has joined yet." in card and "The numbers behind the charts" in card


def test_an_unbalanced_room_is_listed_first_with_the_reasons_marked_on_its_bar(client):
    org = sign_in(TestClient(client.app))
    running_now(org)
    rid = None
    for i in range(4):
        rid = room_id(join(TestClient(client.app), CODE_B, name=f"Officer {i}", sector="law_enforcement"))
    page = org.get("/organiser").text
    shown = cards(page)
    assert list(shown)[0] == rid and "1 room needs attention" in page
    card = shown[rid]
    assert "Missing: Health services, Social services, Local authority" in card
    assert "Dominant: Law enforcement (100%)" in card
    assert 'class="sec sec-law_enforcement dominant"' in card and "Law enforcement 4" in card
    assert "Health services missing" in card and "Law enforcement dominates" in card
    assert "<strong>4</strong> members now" in card
    # The same card, in the fragment the live page fetches.
    fragment = org.get("/organiser?panel=dashboard", headers=HTMX).text
    assert fragment.lstrip().startswith('<section id="dashboard"') and f'id="dash-room-{rid}"' in fragment
    # Closed, nothing can be done about its balance any more: marked on the bar, not a reason.
    post(org, "/organiser/phase", {"rooms": [str(rid)], "phase": "closed", "confirm": "yes"})
    page = org.get("/organiser").text
    assert "No room needs attention." in page and 'class="sec sec-law_enforcement dominant"' in cards(page)[rid]


def test_a_room_with_people_and_no_activity_for_ten_minutes_is_stuck_until_someone_acts(client, monkeypatch):
    org = sign_in(TestClient(client.app))
    running_now(org)
    rid = room_id(join(client, CODE_A, name="Ana", sector="health"))
    comment(client, rid, "Early thoughts")
    assert not re.search("Stuck", cards(org.get("/organiser").text)[rid])
    real = clock.now
    monkeypatch.setattr(clock, "now", lambda: real() + dt.timedelta(minutes=11))
    card = cards(org.get("/organiser").text)[rid]
    assert "Stuck: no activity for 11 min" in card
    # Activity counted per five minutes: the comment is in the chart's words and its numbers.
    assert re.search(r"<strong>1</strong> since \d\d:\d\d", card) and "last 5 min: 0" in card
    assert sorted(int(n) for n in re.findall(r"<tr><td>\d\d:\d\d</td><td>(\d+)</td>", card)) [-1] == 1
    comment(client, rid, "Back at work")
    assert "Stuck" not in cards(org.get("/organiser").text)[rid]


def test_a_room_whose_session_has_ended_is_shown_as_ended_not_stuck(client, monkeypatch):
    """The demo's sessions ended in 2024: a room still open with people in it and nothing
    happening for hours is over, not stuck; its card says when it ended."""
    org = sign_in(TestClient(client.app))
    rid = room_id(join(client, CODE_A, name="Ana", sector="health"))
    comment(client, rid, "Early thoughts")
    real = clock.now
    monkeypatch.setattr(clock, "now", lambda: real() + dt.timedelta(hours=3))
    page = org.get("/organiser").text
    card = cards(page)[rid]
    assert "Stuck" not in page and "No room needs attention." in page
    assert re.search(r'<span class="ended">Session ended [^<]+</span>', card)
    assert "Stuck" not in org.get("/organiser", headers={"Accept-Language": "fr"}).text
    # The same room in a session that runs now is stuck after ten quiet minutes.
    running_now(org)
    monkeypatch.setattr(clock, "now", lambda: real() + dt.timedelta(minutes=11))
    card = cards(org.get("/organiser").text)[rid]
    assert "Stuck: no activity for 11 min" in card and 'class="ended"' not in card


def test_a_room_whose_session_has_ended_is_not_flagged_for_its_balance(demo_client):
    """The demo's sessions ended in 2024: four officers in a room are still unbalanced, as its
    bar shows, but nothing can be done about it any more, so it needs no attention for it."""
    org = sign_in(TestClient(demo_client.app))
    for i in range(4):
        rid = room_id(join(TestClient(demo_client.app), CODE_B, name=f"Officer {i}", sector="law_enforcement"))
    page = org.get("/organiser").text
    card = cards(page)[rid]
    assert "No room needs attention." in page and "Session ended" in card
    assert "Missing:" not in card and "Dominant:" not in card and "Law enforcement 4" in card


def test_reports_waiting_put_a_room_first(client):
    org = sign_in(TestClient(client.app))
    rid, cid = reported(client, CODE_B, "Something rude")
    shown = cards(org.get("/organiser").text)
    assert list(shown)[0] == rid and "1 reported contribution waiting" in shown[rid]
    post(org, f"/moderation/comment/{cid}/dismiss", {"reason": "Robust, not rude"})
    assert "reported contribution" not in cards(org.get("/organiser").text)[rid]


def test_a_running_countdown_is_the_time_left(client):
    org = sign_in(TestClient(client.app))
    rita, rid = rapporteur_of(client, CODE_A, org)
    assert post(rita, f"/rooms/{rid}/countdown", {"minutes": "15"}).status_code in (200, 303)
    card = cards(org.get("/organiser").text)[rid]
    assert re.search(r'class="countdown" data-ends-at="20[^"]+Z">Countdown: <span class="left">1[45] min left', card)


@pytest.mark.parametrize("who", ["participant", "rapporteur"])
def test_only_organisers_get_the_dashboard_or_its_live_fragment(client, who):
    org = sign_in(TestClient(client.app))
    if who == "participant":
        join(client, CODE_A)
        person = client
    else:
        person, _ = rapporteur_of(client, CODE_B, org)
    for path in ("/organiser", "/organiser?panel=dashboard"):
        response = person.get(path, headers=HTMX)
        assert response.status_code == 403 and "dash-room-" not in response.text


def test_the_dashboard_reads_in_the_organisers_language(client):
    org = sign_in(TestClient(client.app))
    running_now(org)
    for i in range(4):
        join(TestClient(client.app), CODE_A, name=f"Agent {i}", sector="law_enforcement")
    page = org.get("/organiser", headers={"Accept-Language": "fr"}).text
    assert "Équilibre des secteurs" in page and "Activité par tranche de 5 minutes" in page
    assert "1 salle demande votre attention" in page and "Absent : " in page


def test_the_session_clock_reads_the_agenda_in_the_event_zone(client, monkeypatch):
    """The agenda is entered in Brussels time (session 1: 10:30 to 12:30 on 26 Nov 2024, CET, UTC+1):
    the dashboard says it ended at 12:30, not at 13:30, and at 11:00 UTC (12:00 in Brussels) it has
    30 minutes left, not 90."""
    org = sign_in(TestClient(client.app))

    def session_1() -> str:
        page = org.get("/organiser").text
        return re.search(r"Session 1 - [^<]*<span class=\"meta\">· ([^<]*)</span>", page).group(1)

    # Seen from a later year, the day says which year it was.
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 2, 9, 0))
    assert session_1() == "Session ended 26 Nov 2024, 12:30"
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2024, 11, 27, 9, 0))
    assert session_1() == "Session ended 26 Nov 12:30"
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2024, 11, 26, 11, 0))
    assert session_1() == "30 min left in the session"
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2024, 11, 26, 9, 0))
    assert session_1() == "Session starts 26 Nov 10:30"
