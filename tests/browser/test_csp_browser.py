"""Every page type works under the Content-Security-Policy: no inline script or style is
refused (the fixture fails any test whose pages log a policy error), htmx posts, the room's
socket goes live, the bars get their widths, and only the projector may be framed."""
from __future__ import annotations

import re
import uuid

import httpx2 as httpx
from helpers import ROOM_G, wait_live
from test_room_browser import post

SLUG = "drug-violence-2024"


def _document_id(live_server) -> int:
    with httpx.Client(base_url=live_server, timeout=30) as api:
        return api.get(f"/api/v1/events/{SLUG}/documents").json()["documents"][0]["id"]


def test_every_page_type_runs_under_the_policy(people, organiser, live_server):
    participant = people(ROOM_G, "Csp Gina", width=390)
    room_id = re.search(r"/rooms/(\d+)", participant.url).group(1)
    # htmx under the policy: a comment posts and comes back; a support toggles.
    text = f"Under the policy {uuid.uuid4().hex[:6]}"
    post(participant, text)
    participant.wait_for_selector(f"text={text}")
    document_id = _document_id(live_server)
    with httpx.Client(base_url=live_server, timeout=60) as api:
        token = api.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                     "password": "brussels-demo-2024"}).json()["token"]
        made = api.post(f"/api/v1/documents/{document_id}/consolidations", headers={"Authorization": f"Bearer {token}"})
        version = made.json()["version"] if made.status_code == 201 else 1
    pages = [
        (participant, "/"), (participant, f"/e/{SLUG}"), (participant, "/privacy"), (participant, "/me"),
        (participant, f"/join?code={ROOM_G}"), (participant, f"/rooms/{room_id}"),
        (participant, f"/rooms/{room_id}/draft/history"),
        (organiser, "/organiser"), (organiser, "/organiser/setup"), (organiser, "/organiser/moderation"),
        (organiser, "/organiser/audit"), (organiser, "/organiser/import/participants"),
        (organiser, "/organiser/import/document"), (organiser, f"/rooms/{room_id}/workbench"),
        (organiser, f"/rooms/{room_id}/projector"), (organiser, f"/documents/{document_id}/consolidated"),
        (organiser, f"/documents/{document_id}/consolidated/{version}"),
        (organiser, f"/documents/{document_id}/consolidated/{version}/plenary"),
        (organiser, f"/documents/{document_id}/consolidated/{version}/print"),
        (organiser, f"/documents/{document_id}/consolidated/{version}/compare"),
        (organiser, "/no-such-page"),
    ]
    for page, path in pages:
        response = page.goto(path)
        assert "frame-ancestors" in response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
    assert participant.csp == [] and organiser.csp == []
    assert participant.errors == [] and organiser.errors == []
    # The room's socket still goes live under connect-src 'self'.
    participant.goto(f"/rooms/{room_id}")
    wait_live(participant)


def test_bar_widths_are_set_without_inline_styles(people, organiser):
    """A poll asked on the workbench arrives live on a participant's page with its bars sized."""
    voter = people(ROOM_G, "Csp Bar")
    room_id = re.search(r"/rooms/(\d+)", voter.url).group(1)
    organiser.goto(f"/rooms/{room_id}/workbench")
    question = f"Bars under the policy {uuid.uuid4().hex[:6]}?"
    organiser.fill("#poll-q", question)
    organiser.fill("#poll-o0", "Yes")
    organiser.fill("#poll-o1", "No")
    # Shown live, so the bars reach the participant before she answers.
    organiser.check("form.ask-poll input[name=results_live]")
    organiser.click("form.ask-poll button[type=submit]")
    voter.wait_for_selector(f"text={question}")
    bars = voter.locator("[data-width]")
    assert bars.count() >= 2
    widths = bars.evaluate_all("els => els.map(e => [e.dataset.width, e.style.width])")
    assert all(style == f"{width}%" for width, style in widths), widths


def test_only_the_projector_may_be_framed_and_only_by_its_own_site(live_server):
    with httpx.Client(base_url=live_server, timeout=30) as client:
        home = client.get("/")
        assert "frame-ancestors 'none'" in home.headers["content-security-policy"]
        assert home.headers["x-frame-options"] == "DENY" and home.headers["x-content-type-options"] == "nosniff"
        assert home.headers["referrer-policy"] == "same-origin"
        assert "unsafe-inline" not in home.headers["content-security-policy"]
        assert "strict-transport-security" not in home.headers  # HTTPS is off here
        organiser = client.get("/organiser/login")
        assert "frame-ancestors 'none'" in organiser.headers["content-security-policy"]
        projector = client.get("/rooms/1/projector")
        assert "frame-ancestors 'self'" in projector.headers["content-security-policy"]
        assert client.get("/api/v1/events").headers["x-content-type-options"] == "nosniff"
