"""The organiser's console in a real browser: the live dashboard, moderation, accessibility."""
from __future__ import annotations

import re
import uuid

import httpx2 as httpx
from helpers import ROOM_G, ROOM_H, wait_live


def api_join(live_server, code, name):
    with httpx.Client(base_url=live_server, timeout=30) as api:
        joined = api.post("/api/v1/rooms/join", json={"code": code, "name": name, "organisation": "",
                                                      "sector": "research", "country": "FI"}).json()
    return joined


def api_comment(live_server, joined, text):
    with httpx.Client(base_url=live_server, timeout=30) as api:
        response = api.post(f"/api/v1/rooms/{joined['room_id']}/comments", json={"text": text},
                            headers={"Authorization": f"Bearer {joined['token']}", "Idempotency-Key": uuid.uuid4().hex})
    assert response.status_code == 201, response.text
    return response.json()


def test_the_dashboard_updates_when_a_participant_comments(organiser, live_server):
    wait_live(organiser)
    joined = api_join(live_server, ROOM_H, "Dana")
    count = organiser.locator(f"#dash-room-{joined['room_id']} [data-count=comments]")
    before = int(count.inner_text())
    api_comment(live_server, joined, "A comment the dashboard should count")
    count.filter(has_text=re.compile(f"^{before + 1}$")).wait_for()


def test_a_flagged_comment_hidden_by_a_moderator_disappears_live(people, organiser, live_server):
    eve = people(ROOM_H, "Eve")
    joined = api_join(live_server, ROOM_H, "Frank")
    comment = api_comment(live_server, joined, "Something a moderator will hide")
    item = eve.locator(f"#c-{comment['id']}")
    item.locator("p.text", has_text="Something a moderator will hide").wait_for()
    item.locator("details.flag > summary").click()
    item.locator("input[name=reason]").fill("Insulting")
    item.locator("button", has_text="Report to a moderator").click()
    item.locator("p[role=status]", has_text="Thank you: a moderator will look at it.").wait_for()

    organiser.goto("/organiser/moderation")
    card = organiser.locator("li.card").filter(has_text="Something a moderator will hide")
    assert "Insulting" in card.inner_text()
    card.get_by_label("Reason for hiding, shown to the room").fill("Off topic")
    card.locator("button", has_text="Hide").click()
    organiser.wait_for_load_state()

    item.locator("text=Removed by a moderator: Off topic").wait_for()
    assert item.locator("p.text", has_text="Something a moderator will hide").count() == 0


def test_every_page_type_passes_axe_and_works_by_keyboard(people, organiser, axe):
    """Participant, rapporteur, organiser and projector pages: no serious or critical WCAG 2.1
    AA violation that axe-core can find."""
    participant = people(ROOM_H, "Gina", width=420)
    room_id = re.search(r"/rooms/(\d+)", participant.url).group(1)
    pages = {"event home": (organiser, "/"), "join": (participant, "/join?code=" + ROOM_H),
             "room": (participant, f"/rooms/{room_id}"), "workbench": (organiser, f"/rooms/{room_id}/workbench"),
             "dashboard": (organiser, "/organiser"), "set-up": (organiser, "/organiser/setup"),
             "moderation": (organiser, "/organiser/moderation"), "projector": (organiser, f"/rooms/{room_id}/projector"),
             "history": (participant, f"/rooms/{room_id}/draft/history")}
    problems = {}
    for name, (page, path) in pages.items():
        page.goto(path)
        found = axe(page)
        if found:
            problems[name] = found
    assert problems == {}
    # By keyboard: Tab reaches the first comment box and Enter on a summary opens a discussion.
    participant.goto(f"/rooms/{room_id}")
    wait_live(participant)
    summary = participant.locator("details.discussion > summary").first
    summary.focus()
    participant.keyboard.press("Enter")
    assert summary.evaluate("s => s.parentElement.open")
    participant.keyboard.press("Tab")
    focused = participant.evaluate("document.activeElement.tagName + ' ' + (document.activeElement.className || '')")
    assert focused.split()[0] in ("BUTTON", "TEXTAREA", "A", "INPUT", "SUMMARY")


def test_the_dashboard_charts_move_live_and_fit_a_phone(new_page, organiser, live_server, axe):
    wait_live(organiser)
    joined = api_join(live_server, ROOM_G, "Ola")
    card = organiser.locator(f"#dash-room-{joined['room_id']}")
    card.locator("svg[role=img] title", has_text="Members of").wait_for(state="attached")
    activity = card.locator(".spark-text").first
    before = int(activity.locator("strong").inner_text())
    api_comment(live_server, joined, "A comment the chart should count")
    activity.locator("strong", has_text=re.compile(f"^{before + 1}$")).wait_for()
    assert card.locator("svg[role=img] rect.bar").count() >= 1
    assert re.search(r"Activity in .+ per 5 minutes, \d\d:\d\d to \d\d:\d\d: \d+ in all",
                     card.locator("svg[role=img] title").first.text_content())
    assert axe(organiser) == []

    phone = new_page(390)
    phone.goto("/organiser/login")
    phone.fill("#f-email", "organiser@example.org")
    phone.fill("#f-password", "brussels-demo-2024")
    phone.click("button.primary")
    phone.wait_for_url(re.compile(r"/organiser$"))
    wait_live(phone)
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390
    box = phone.locator(f"#dash-room-{joined['room_id']} figure.balance svg").bounding_box()
    assert box["width"] > 250 and box["x"] + box["width"] <= 390
    phone.locator(f"#dash-room-{joined['room_id']} summary", has_text="The numbers behind the charts").click()
    assert phone.locator(f"#dash-room-{joined['room_id']} .chart-numbers tbody tr").count() >= 1


def test_the_dashboard_is_fetched_again_with_time_alone(organiser):
    """A room falling quiet sends no event: the dashboard asks for itself every minute (here
    every second, so that the test need not wait a minute)."""
    wait_live(organiser)
    organiser.evaluate("document.getElementById('dashboard').dataset.refreshTimed = '1'")
    with organiser.expect_request(lambda r: "panel=dashboard" in r.url, timeout=5000):
        pass


def test_a_refused_set_up_form_keeps_its_fields_in_line(organiser):
    """A problem written under one field must not push the other fields of its row down: the
    organiser reads the row's inputs side by side, the message under the one at fault."""
    page = organiser
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/organiser/setup")
    page.fill("#ns-title", "Late session")
    page.fill("#ns-start", "2024-11-27T16:00")
    page.fill("#ns-end", "2024-11-27T10:00")
    page.click("#session-form-new button[type=submit]")
    page.wait_for_selector("#ns-end-error")
    tops = [page.locator(f"#{field}").bounding_box() for field in ("ns-title", "ns-start", "ns-end")]
    assert len({round(box["y"]) for box in tops}) == 1, tops
    assert tops[0]["x"] < tops[1]["x"] < tops[2]["x"], "the three fields are in one row"
