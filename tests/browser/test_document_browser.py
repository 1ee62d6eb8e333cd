"""The consolidated document in a real browser: the plenary deck on a projector's screen
sizes, moved by keys as a clicker sends them, and the print view."""
from __future__ import annotations

import re

import pytest
from conftest_server import start_server


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """A server of its own: filling the demo closes rooms other modules post in."""
    yield from start_server(tmp_path_factory.mktemp("document"))


@pytest.fixture(scope="module")
def version_url(browser, live_server):
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    page.goto("/organiser/login")
    page.fill("#f-email", "organiser@example.org")
    page.fill("#f-password", "brussels-demo-2024")
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/organiser$"))
    page.click("button:has-text('Fill the demo rooms')", timeout=60_000)  # one long request
    page.wait_for_load_state()
    page.click("a:has-text('Monitoring plan')")
    page.click("button:has-text('Consolidate now')")
    page.wait_for_url("**/consolidated/1")
    state = context.storage_state()
    context.close()
    return "/documents/1/consolidated/1", state


def visible_slide(page) -> dict:
    return page.evaluate("""() => {
        const shown = [...document.querySelectorAll('.slide')].filter(s => !s.hidden);
        const s = shown[0];
        return {count: shown.length, id: s.id, text: s.innerText,
                overflow: s.scrollHeight - s.clientHeight, height: s.getBoundingClientRect().height,
                page: document.documentElement.scrollHeight - innerHeight, width: document.documentElement.scrollWidth - innerWidth};
    }""")


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_every_plenary_slide_fits_the_screen_and_the_keys_move_through_them(browser, live_server, version_url, size,
                                                                             axe):
    url, state = version_url
    context = browser.new_context(base_url=live_server, storage_state=state,
                                  viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{url}/plenary")
    total = page.locator(".slide").count()
    assert total > 5
    assert axe(page) == []
    seen = []
    for n in range(total):
        slide = visible_slide(page)
        assert slide["count"] == 1 and slide["id"] == f"slide-{n + 1}", slide
        assert slide["overflow"] <= 0 and slide["page"] <= 0 and slide["width"] <= 0, (size, slide["id"], slide)
        seen.append(slide["text"])
        page.keyboard.press("ArrowRight" if n % 2 else "PageDown")
    assert visible_slide(page)["id"] == f"slide-{total}"             # stays on the last one
    page.keyboard.press("PageUp")
    assert visible_slide(page)["id"] == f"slide-{total - 1}"
    page.keyboard.press("Home")
    assert visible_slide(page)["id"] == "slide-1" and page.url.endswith("#slide-1")
    # Room B's slide says its wording for 1.1 is not (yet) adopted, never that its change went in.
    room_b = next(t for t in seen if "Room B" in t and "What the room proposed" in t)
    assert "1.1 · In conflict, not yet resolved" in room_b
    # A citation of an amendment in a room's conclusions shows the slide that lists it.
    href = page.locator(".deck-conclusions a[href^='#a-']").first.get_attribute("href")
    page.goto(f"{url}/plenary{href}")
    assert page.locator(href).is_visible()
    assert errors == []
    context.close()


def test_the_print_view_numbers_lines_and_marks_changes_on_and_off(browser, live_server, version_url):
    url, state = version_url
    context = browser.new_context(base_url=live_server, storage_state=state, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{url}/print")
    first = page.locator("section.clause").first
    assert first.locator(".ln").first.inner_text() == "1"
    # Each numbered line is one line on screen: the numbering matches what is read.
    heights = page.evaluate("""() => [...document.querySelectorAll('.line')].map(l => l.getBoundingClientRect().height)""")
    assert max(heights) < 1.8 * min(heights)
    assert page.locator("del").count() > 0 and page.locator("ins").count() > 0
    page.click("a:has-text('Change marks off')")
    page.wait_for_url("**marks=off")
    assert page.locator("del").count() == 0 and page.locator("ins").count() == 0
    assert page.locator("h2:has-text('Annex: provenance')").count() == 1
    context.close()


def test_the_print_view_on_a_phone_flows_its_lines_with_single_spaces(browser, live_server, version_url):
    """At 390 px the printed lines are joined into running text: no line numbers, nothing wider
    than the screen, and no doubled space where two printed lines meet."""
    url, state = version_url
    context = browser.new_context(base_url=live_server, storage_state=state, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{url}/print")
    assert page.locator(".ln").first.is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # innerText marks where each printed line was (line breaks) and keeps every space the page shows.
    texts = page.evaluate("() => [...document.querySelectorAll('section.clause .text')].map(t => t.innerText)")
    gaps = [t for t in texts if "  " in t.replace("\n", "").strip()]
    assert gaps == []
    context.close()
