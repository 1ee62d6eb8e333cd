"""Consolidating in a real browser: fill the demo rooms, consolidate, resolve a conflict."""
from __future__ import annotations

import pytest
from conftest_server import start_server


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """A server of its own: the demo work this module adds closes rooms others post in."""
    yield from start_server(tmp_path_factory.mktemp("consolidation"))


def test_an_organiser_resolves_a_conflict_and_a_new_version_records_it(organiser, axe):
    # Filling writes every room's sample work in one request: seconds on a busy machine.
    organiser.click("button:has-text('Fill the demo rooms')", timeout=60_000)
    organiser.wait_for_load_state()
    organiser.click("a:has-text('Monitoring plan')")
    organiser.click("button:has-text('Consolidate now')")
    organiser.wait_for_url("**/consolidated/1")
    assert axe(organiser) == []
    conflict = organiser.locator("article.status-conflict").first
    key = conflict.get_attribute("id")
    hunk = conflict.locator(".hunk").first               # the conflict sits inside the merged sentence
    assert hunk.locator(".alt").count() == 2 and "Room A" in hunk.inner_text() and "Room B" in hunk.inner_text()
    form = conflict.locator("form.resolve").first         # one form per conflict hunk
    label = form.locator("label:has(input[name=choice][value=a1])")
    chosen = label.inner_text().split("“")[1].rstrip("”").strip()
    label.locator("input").check()
    form.locator("input[name=note]").fill("Closest to the Council's wording.")
    form.locator("button", has_text="Resolve").click()
    organiser.wait_for_url("**/consolidated/2*")
    resolved = organiser.locator(f"#{key}")
    assert "status-conflict" not in resolved.get_attribute("class")
    assert chosen in resolved.locator(".ctext").inner_text()
    assert "Closest to the Council's wording." in resolved.inner_text()
    organiser.goto("/documents/1/consolidated/1")
    assert organiser.locator(f"#{key}.status-conflict").count() == 1    # version 1 is as it was


def test_the_versions_page_on_a_phone_puts_each_box_beside_its_room_and_fits_the_screen(new_page):
    page = new_page(390)
    page.goto("/organiser/login")
    page.fill("#f-email", "organiser@example.org")
    page.fill("#f-password", "brussels-demo-2024")
    page.click("button.primary")
    page.goto("/documents/1/consolidated")
    assert page.locator("h1").inner_text() == "Monitoring plan for drug-related violence in the EU"
    labels = page.locator("label.check:has(input[name=excluded])")
    assert labels.count() == 4
    for i in range(labels.count()):
        box = labels.nth(i).locator("input").bounding_box()
        name = labels.nth(i).locator("> span").bounding_box()
        assert box["x"] + box["width"] <= name["x"]           # beside its name, not above it
        assert box["y"] < name["y"] + name["height"] and name["y"] < box["y"] + box["height"]
    labels.first.locator("> span").click()                    # the name is the box's tap target
    assert labels.first.locator("input").is_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
