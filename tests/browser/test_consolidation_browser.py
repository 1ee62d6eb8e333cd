"""Consolidating in a real browser: fill the demo rooms, consolidate, resolve a conflict."""
from __future__ import annotations

import pytest
from conftest_server import start_server


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """A server of its own: the demo work this module adds closes rooms others post in."""
    yield from start_server(tmp_path_factory.mktemp("consolidation"))


def test_an_organiser_resolves_a_conflict_and_a_new_version_records_it(organiser, axe):
    organiser.click("button:has-text('Fill the demo rooms')")
    organiser.wait_for_load_state()
    organiser.click("a:has-text('Monitoring plan')")
    organiser.click("button:has-text('Consolidate now')")
    organiser.wait_for_url("**/consolidated/1")
    assert axe(organiser) == []
    conflict = organiser.locator("article.status-conflict").first
    key = conflict.get_attribute("id")
    label = conflict.locator("label:has(input[name=choice][value^='room:'])").first
    room_label = label.inner_text().strip()
    label.locator("input").check()
    conflict.locator("input[name=note]").fill("Closest to the Council's wording.")
    conflict.locator("button", has_text="Resolve").click()
    organiser.wait_for_url("**/consolidated/2*")
    resolved = organiser.locator(f"#{key}")
    assert "status-conflict" not in resolved.get_attribute("class")
    resolved.locator("details.provenance > summary").click()
    assert "Closest to the Council's wording." in resolved.inner_text()
    assert room_label.startswith("Take ")
    organiser.goto("/documents/1/consolidated/1")
    assert organiser.locator(f"#{key}.status-conflict").count() == 1    # version 1 is as it was
