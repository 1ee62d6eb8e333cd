"""The rapporteur's workbench in a real browser: decisions reach participants live."""
from __future__ import annotations

import re
import time

import pytest

from helpers import ROOM_G, ROOM_H, wait_live


def make_rapporteur(organiser, page_of_member, name):
    room_id = re.search(r"/rooms/(\d+)", page_of_member.url).group(1)
    organiser.goto(f"/rooms/{room_id}/workbench")
    button = organiser.locator("#wb_members tr", has_text=name).locator("button", has_text="Make rapporteur")
    button.click()
    # Done once the refreshed workbench no longer offers it (a load state alone can come before
    # the answer on a busy machine, and the new rapporteur's next page would still refuse her).
    button.wait_for(state="detached")
    return room_id


def test_an_accepted_amendment_changes_the_participants_text_without_a_reload(people, organiser):
    ana = people(ROOM_G, "Ana Participant", width=420)
    rita = people(ROOM_G, "Rita Rapporteur", sector="law_enforcement")
    room_id = make_rapporteur(organiser, rita, "Rita Rapporteur")

    first = ana.locator("article.paragraph").first
    paragraph_id = first.get_attribute("id").split("-")[1]
    first.locator("details.amendments > summary").click()
    new_text = f"Effective law enforcement must stay essential ({time.time():.0f})."
    ana.fill(f"#af-{paragraph_id}-text", new_text)
    ana.fill(f"#af-{paragraph_id}-why", "Shorter.")
    ana.click(f"#af-{paragraph_id} button[type=submit]")
    ana.wait_for_selector(f"#amendments-{paragraph_id} li.amendment")

    rita.wait_for_selector("a:has-text(\"Rapporteur's workbench\")")  # her page refreshed with the new role
    rita.goto(f"/rooms/{room_id}/workbench")
    card = rita.locator("#wb_amendments li", has_text="Shorter.")
    started = time.monotonic()
    card.locator("button", has_text="Accept").first.click()
    ana.locator(f"#text-p{paragraph_id}", has_text="must stay essential").wait_for()
    elapsed = (time.monotonic() - started) * 1000
    print(f"accepted amendment reached the participant in {elapsed:.0f} ms")
    assert ana.locator(f"#text-p{paragraph_id} .status-tag", has_text="Changed by the room").is_visible()
    # The decision is its own event, right after the text's.
    status = ana.locator(f"#astatus-{card.get_attribute('id').split('-')[-1]}", has_text="Accepted by Rita")
    status.wait_for()
    assert status.count() == 1
    assert not ana.errors and not rita.errors


def test_a_phase_change_reaches_open_pages(people, organiser):
    ben = people(ROOM_G, "Ben Participant")
    carla = people(ROOM_G, "Carla Rapporteur")
    room_id = make_rapporteur(organiser, carla, "Carla Rapporteur")
    carla.goto(f"/rooms/{room_id}/workbench")
    carla.click("button[name=phase][value=voting]")
    ben.locator("#phase", has_text="Voting").wait_for()
    ben.locator("#phase-help", has_text="Vote on the amendments").wait_for()
    assert ben.locator("form.comment-form").count() == 0  # no new comments while voting
    carla.goto(f"/rooms/{room_id}/workbench")
    carla.click("button[name=phase][value=open]")
    ben.locator("#phase", has_text="Open for comments").wait_for()


@pytest.mark.parametrize("width", [390, 1366], ids=["phone", "laptop"])
def test_the_workbench_tables_never_break_a_word_in_two(people, organiser, width):
    rita = people(ROOM_G, f"Rita Tables {width}", sector="law_enforcement", width=width)
    room_id = make_rapporteur(organiser, rita, f"Rita Tables {width}")
    rita.goto(f"/rooms/{room_id}/workbench")
    broken = rita.evaluate("""[...document.querySelectorAll('.wb-grid th, .wb-grid td')].filter(cell => {
        const words = cell.textContent.trim().split(/\\s+/);
        if (words.length !== 1 || !words[0]) return false;
        const range = document.createRange(); range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1;
    }).map(cell => cell.textContent.trim())""")
    assert broken == []


def test_an_amendment_decided_live_keeps_the_dots_placed_on_it_and_takes_no_more(people, organiser):
    """As a reload would show it: on the amendment she put a dot on, Ana can take it back but
    not add one; the one she placed none on offers no dots any more."""
    ana = people(ROOM_H, "Ana Dots", width=390)
    room_id = re.search(r"/rooms/(\d+)", ana.url).group(1)
    first = ana.locator("article.paragraph").first
    paragraph_id = first.get_attribute("id").split("-")[1]
    first.locator("details.amendments > summary").click()
    ids = []
    key = f"#af-{paragraph_id} input[name=idempotency_key]"
    for n in range(2):
        sent_with = ana.get_attribute(key, "value")
        ana.fill(f"#af-{paragraph_id}-text", f"Dotted alternative {n} ({time.time():.0f}).")
        ana.fill(f"#af-{paragraph_id}-why", f"Dots {n}.")
        ana.click(f"#af-{paragraph_id} button[type=submit]")
        item = ana.locator(f"#amendments-{paragraph_id} li.amendment", has_text=f"Dots {n}.")
        item.wait_for()
        # The socket's copy can come before the answer: the next one is written in the fresh form
        # (a new key), not in the one the answer is about to replace.
        ana.wait_for_function("([sel, old]) => { const k = document.querySelector(sel); return k && k.value !== old; }",
                              arg=[key, sent_with])
        ids.append(item.get_attribute("id").split("-")[1])
    dotted, undotted = ids
    organiser.goto(f"/rooms/{room_id}/workbench")
    organiser.click(".phase-buttons button[value=voting]")
    try:
        ana.locator("#phase.phase-voting").wait_for()
        wait_live(ana)
        ana.click(f"#dots-amendment-{dotted} [data-add-dot]")
        ana.locator(f"#dots-amendment-{dotted} strong", has_text="1").wait_for()
        organiser.goto(f"/rooms/{room_id}/workbench")
        organiser.locator(f"#wb-a-{dotted} button", has_text="Accept").first.click()
        organiser.locator(f"#wb-a-{undotted} summary", has_text="Reject").click()
        organiser.fill(f"#rej-{undotted}", "Overlaps.")
        organiser.locator(f"#wb-a-{undotted} form button", has_text="Reject").click()

        ana.locator(f"#astatus-{undotted}.status-rejected").wait_for()
        ana.locator(f"#dots-amendment-{undotted}").wait_for(state="detached")
        ana.locator(f"#astatus-{dotted}.status-accepted").wait_for()
        form = ana.locator(f"#dots-amendment-{dotted}")
        assert form.locator("strong").text_content() == "1"
        assert form.locator("[data-add-dot]").is_disabled()
        assert form.locator("[data-add-dot]").get_attribute("aria-describedby") == f"astatus-{dotted}"
        # A reload shows the same (the budget's script never re-enables a decided "+").
        ana.reload()
        wait_live(ana)
        assert ana.locator(f"#dots-amendment-{undotted}").count() == 0
        assert form.locator("strong").text_content() == "1"
        assert form.locator("[data-add-dot]").is_disabled()
        remove = form.locator("button[aria-label='Remove a dot']")
        assert remove.is_enabled()
        remove.click()
        form.locator("strong", has_text="0").wait_for()
        assert form.locator("[data-add-dot]").is_disabled()
        assert not ana.errors
    finally:
        organiser.goto(f"/rooms/{room_id}/workbench")
        organiser.click(".phase-buttons button[value=open]")
