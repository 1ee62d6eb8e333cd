"""Moderation and safe bulk actions in a real browser: hiding an unreported comment from the
room page, a bulk phase move asked and confirmed, a removal and the page the person removed
sees; axe-core on every new page."""
from __future__ import annotations

import re

from helpers import ROOM_H, wait_live
from test_console_browser import api_comment, api_join


def test_an_organiser_hides_an_unreported_comment_from_the_room_page_and_it_goes_live(people, organiser,
                                                                                       live_server, axe):
    eve = people(ROOM_H, "Eve M")
    room_id = re.search(r"/rooms/(\d+)", eve.url).group(1)
    joined = api_join(live_server, ROOM_H, "Hal")
    comment = api_comment(live_server, joined, "An aside nobody reported")
    eve.locator(f"#c-{comment['id']} p.text", has_text="An aside nobody reported").wait_for()
    assert not eve.locator(f"#c-{comment['id']} a.moderate-link").is_visible()   # participants are not shown it

    organiser.goto(f"/rooms/{room_id}")
    organiser.locator(f"#c-{comment['id']} a.moderate-link").click()
    organiser.wait_for_url(re.compile(rf"/organiser/moderation/comment/{comment['id']}$"))
    assert "Research, Finland" in organiser.locator("li.moderation-item").inner_text()
    assert axe(organiser) == []
    organiser.get_by_label("Reason for hiding, shown to the room").fill("Names a private person")
    organiser.get_by_role("button", name="Hide").click()
    organiser.wait_for_url(re.compile(rf"/rooms/{room_id}$"))
    assert organiser.locator("#notice").inner_text() == f"Comment {comment['id']} hidden."
    eve.locator(f"#c-{comment['id']}", has_text="Removed by a moderator: Names a private person").wait_for()

    organiser.goto("/organiser/moderation?state=hidden")
    card = organiser.locator("li.moderation-item", has_text="An aside nobody reported")
    assert axe(organiser) == []
    card.get_by_role("button", name="Restore").click()
    organiser.locator("#notice", has_text="shown again").wait_for()
    eve.locator(f"#c-{comment['id']} p.text", has_text="An aside nobody reported").wait_for()


def test_a_bulk_move_is_asked_then_confirmed_and_its_result_said(organiser, axe):
    row = organiser.locator("#dashboard article.room-card", has_text="Room H")
    row.locator("input[type=checkbox]").check()
    assert organiser.locator("#bulk-phase").input_value() == ""
    organiser.get_by_role("button", name="Move…").click()
    organiser.locator("#bulk-phase:invalid").wait_for()              # no phase chosen: the browser asks first
    assert organiser.url.endswith("/organiser")
    organiser.select_option("#bulk-phase", "voting")
    organiser.get_by_role("button", name="Move…").click()
    organiser.get_by_role("heading", name="Move 1 room to Voting?").wait_for()
    assert "participants can no longer comment" in organiser.content()
    assert axe(organiser) == []
    organiser.get_by_role("button", name="Move 1 room to Voting").click()
    organiser.locator("#notice", has_text="1 room moved to Voting.").wait_for()
    organiser.locator("#dashboard article.room-card", has_text="Room H").locator("input[type=checkbox]").check()
    organiser.select_option("#bulk-phase", "open")
    organiser.get_by_role("button", name="Move…").click()
    assert "goes back to an earlier phase" in organiser.content()
    organiser.get_by_role("button", name="Move 1 room to Open for comments").click()
    organiser.locator("#notice", has_text="1 room moved to Open for comments.").wait_for()


def test_a_removed_participant_sees_why_and_whom_to_ask(people, organiser, axe):
    ivo = people(ROOM_H, "Ivo Removed")
    room_id = re.search(r"/rooms/(\d+)", ivo.url).group(1)
    organiser.goto(f"/rooms/{room_id}/workbench")
    organiser.locator("#wb_members tr", has_text="Ivo Removed").get_by_role("button", name="Remove from room…").click()
    organiser.get_by_role("heading", name=re.compile("Remove Ivo Removed from")).wait_for()
    assert axe(organiser) == []
    organiser.get_by_label("Reason, shown to the person removed").fill("Filmed other participants")
    organiser.get_by_role("button", name="Remove").click()
    organiser.locator("#notice", has_text="Ivo Removed was removed from").wait_for()
    ivo.get_by_role("heading", name=re.compile("You were removed from")).wait_for()
    assert "Filmed other participants" in ivo.content() and "An organiser removed you" in ivo.content()
    assert axe(ivo) == []


def test_the_audit_log_page_passes_axe(organiser, axe):
    organiser.goto("/organiser/audit?kind=moderation")
    assert organiser.locator("table.audit tbody tr").count() >= 1
    assert axe(organiser) == []


def test_the_queue_shows_a_report_as_it_arrives_and_drops_it_when_another_organiser_dismisses_it(
        people, organiser, new_page, live_server, axe):
    organiser.goto("/organiser/moderation")
    wait_live(organiser)
    eve = people(ROOM_H, "Eve Q")
    joined = api_join(live_server, ROOM_H, "Quinn")
    comment = api_comment(live_server, joined, "Reported while the queue is open")
    item = eve.locator(f"#c-{comment['id']}")
    item.locator("p.text", has_text="Reported while the queue is open").wait_for()
    item.locator("details.flag > summary").click()
    item.locator("input[name=reason]").fill("Off topic")
    item.locator("button", has_text="Report to a moderator").click()

    card = organiser.locator("li.moderation-item", has_text="Reported while the queue is open")
    card.wait_for()                                   # no reload: the organisers' socket said so
    assert "Off topic" in card.inner_text() and axe(organiser) == []

    other = new_page()
    other.goto("/organiser/login")
    other.fill("#f-email", "organiser@example.org")
    other.fill("#f-password", "brussels-demo-2024")
    other.click("button.primary")
    other.goto("/organiser/moderation")
    mine = other.locator("li.moderation-item", has_text="Reported while the queue is open")
    mine.get_by_label("Why the reports are unfounded").fill("On topic after all")
    mine.get_by_role("button", name="Dismiss the reports").click()
    other.locator("#notice", has_text="its reports were dismissed").wait_for()
    card.wait_for(state="detached")
