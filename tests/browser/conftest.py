"""Browser fixtures: Debian's chromium driven by Playwright against the real server (run.py).

Without chromium these tests skip with the reason, except under CI=true, where that fails:
a missing browser must never pass silently. Playwright never downloads a browser here."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from helpers import TIMEOUT_MS, wait_live

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
AXE = next((Path(__file__).parent / "vendor").glob("axe-core-*/axe.min.js"), None)


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but " + message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page() -> a page in a fresh context (one person: own cookies and storage)."""
    contexts = []

    def make(width: int = 1280):
        context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        # Every browser test also checks that its pages (tabs included) run under the
        # Content-Security-Policy: a refusal is logged as a console error.
        refused = []
        context.on("console", lambda msg: refused.append(f"{msg.page.url if msg.page else ''}: {msg.text}")
                   if msg.type == "error" and "Content Security Policy" in msg.text else None)
        context.csp = refused
        page = context.new_page()
        page.errors, page.dialogs, page.sockets, page.csp = [], [], [], refused
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("websocket", lambda ws: (page.sockets.append(ws.url),
                                         ws.on("close", lambda w: page.sockets.append(f"closed {w.url}"))))

        def on_dialog(dialog):
            page.dialogs.append(dialog.message)
            dialog.dismiss()
        page.on("dialog", on_dialog)
        return page

    yield make
    refused = [line for context in contexts for line in context.csp]
    for context in contexts:
        context.close()
    assert refused == [], "the Content-Security-Policy refused something"


@pytest.fixture
def people(new_page):
    """people(code, name, before=None, sector=...) -> the page of a new person who joined that
    room through the HTML join page, socket live. `before(page)` runs before the first load."""
    def join(code: str, name: str, before=None, sector: str = "civil_society", width: int = 1280):
        page = new_page(width)
        if before:
            before(page)
        page.goto(f"/join?code={code}")
        page.fill("#f-name", name)
        page.select_option("#f-sector", sector)
        page.select_option("#f-country", "IE")
        page.click("button.primary")
        page.wait_for_url(re.compile(r"/rooms/\d+$"))
        wait_live(page)
        return page
    return join


@pytest.fixture
def organiser(new_page):
    """The demo organiser, signed in."""
    page = new_page()
    page.goto("/organiser/login")
    page.fill("#f-email", "organiser@example.org")
    page.fill("#f-password", "brussels-demo-2024")
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/organiser$"))
    return page


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now."""
    assert AXE is not None, "axe-core is not vendored under tests/browser/vendor"
    # Evaluated, not added as a <script>: the policy rightly refuses inline scripts.
    page.evaluate(AXE.read_text())
    result = page.evaluate("""async () => (await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations""")
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result if v["impact"] in ("serious", "critical")]


@pytest.fixture
def axe():
    return serious_violations
