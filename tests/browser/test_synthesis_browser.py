"""The synthesis in a real browser on its own server (the demo is filled, which the shared
server's tests must not see): the page passes axe at desk and phone widths, and the themes load
beside each paragraph of a workbench."""
from __future__ import annotations

import re

import pytest
from conftest import serious_violations
from conftest_server import start_server
from helpers import TIMEOUT_MS


@pytest.fixture(scope="module")
def filled_server(tmp_path_factory):
    yield from start_server(tmp_path_factory.mktemp("synthesis"))


@pytest.fixture
def organiser_at(browser, filled_server):
    contexts = []

    def make(width: int, height: int):
        context = browser.new_context(base_url=filled_server, viewport={"width": width, "height": height})
        context.set_default_timeout(TIMEOUT_MS * 3)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        # A style attribute the Content-Security-Policy refuses is logged as a console error.
        page.on("console", lambda msg: page.errors.append(msg.text)
                if msg.type == "error" and "Content Security Policy" in msg.text else None)
        page.goto("/organiser/login")
        page.fill("#f-email", "organiser@example.org")
        page.fill("#f-password", "brussels-demo-2024")
        page.click("button.primary")
        page.wait_for_url(re.compile(r"/organiser$"))
        return page

    yield make
    for context in contexts:
        context.close()


def fill_demo(page) -> None:
    """The organiser's button (it does its work once; pressing it again changes nothing)."""
    page.goto("/organiser")
    page.click("button:has-text('Fill the demo rooms with sample work')")
    page.wait_for_url(re.compile(r"/organiser$"))


def test_after_filling_the_demo_the_synthesis_page_is_readable_at_desk_and_phone_widths(organiser_at):
    desk = organiser_at(1366, 768)
    fill_demo(desk)
    desk.click("a:has-text('Synthesis')")
    desk.wait_for_url(re.compile(r"/organiser/synthesis$"))
    assert desk.locator("table.heat-map tbody tr").count() > 10
    assert desk.locator("svg.opinion-map [fill]").count() > 20
    assert desk.locator("article.theme").count() >= 3
    # The colours the caption explains are shown: blue where a sector agreed, orange where it did not.
    shades = desk.evaluate("""() => [...document.querySelectorAll('table.heat-map td.heat')]
        .filter(td => td.querySelector('.heat-share'))
        .map(td => [parseInt(td.querySelector('.heat-share').textContent), getComputedStyle(td).backgroundColor])""")
    assert shades and all(colour not in ("rgba(0, 0, 0, 0)", "transparent") for _, colour in shades)
    blue = next(colour for share, colour in shades if share == 100)
    orange = next(colour for share, colour in shades if share == 0)
    assert [int(n) for n in blue[4:-1].split(",")][2] > 200 and [int(n) for n in orange[4:-1].split(",")][0] > 200
    # Each group's mark beside its name has the group's colour and shape, as on the map.
    assert desk.locator("table.rooms-table svg.swatch [fill]").count() >= 2
    assert serious_violations(desk) == []
    desk.goto("/organiser/synthesis/projector")
    assert desk.locator(".projector-groups svg.swatch").count() >= 2
    desk.goto("/organiser/synthesis")
    phone = organiser_at(390, 844)
    phone.goto("/organiser/synthesis")
    # On a phone the page does not scroll sideways; only the heat map's own box does.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_violations(phone) == []
    assert desk.errors == [] and phone.errors == []


def test_the_workbench_shows_the_rooms_themes_beside_its_paragraphs(organiser_at):
    page = organiser_at(1366, 768)
    fill_demo(page)
    rooms = page.request.get("/api/v1/events/drug-violence-2024/rooms").json()["rooms"]
    room = next(r for r in rooms if r["name"].startswith("Room A"))
    page.goto(f"/rooms/{room['id']}/workbench")
    themes = page.locator(".wb-paragraph details.paragraph-themes")
    themes.first.wait_for()
    themes.first.locator("summary").click()
    quotes = themes.first.locator("ul.quotes li")
    assert quotes.count() >= 1
    assert all("Room A" in quotes.nth(i).inner_text() for i in range(quotes.count()))
