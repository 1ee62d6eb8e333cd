"""The room page in a real browser (Debian's chromium, driven by Playwright) against run.py.

Each test joins new participants through the HTML join page in fresh browser contexts (one
context = one person, with their own cookies and localStorage), and finds its comments by a
unique text, so tests do not depend on each other or on the order they run in.
"""
from __future__ import annotations

import re
import time
import uuid

import httpx2 as httpx  # noqa: E402
from helpers import ROOM_E, ROOM_F, wait_live  # noqa: E402
from playwright.sync_api import Page  # noqa: E402


def first_discussion(page: Page):
    """The first paragraph's discussion, opened."""
    details = page.locator("details.discussion").first
    if not details.evaluate("d => d.open"):
        details.locator(":scope > summary").click()
    return details


def comment_box(page: Page):
    return first_discussion(page).locator(":scope > form.comment-form textarea[name=text]")


def thread_items(page: Page, text: str):
    """The comments in the first paragraph's thread whose text is exactly `text`."""
    thread = first_discussion(page).locator(":scope > ol.thread")
    return thread.locator(":scope > li.comment").filter(
        has=page.locator(":scope > article > p.text", has_text=re.compile("^" + re.escape(text) + "$")))


def post(page: Page, text: str) -> None:
    details = first_discussion(page)
    details.locator(":scope > form.comment-form textarea[name=text]").fill(text)
    details.locator(":scope > form.comment-form button[type=submit]").click()


def last_seq(page: Page) -> int:
    return int(page.get_attribute("[data-live-url]", "data-last-seq"))


def unique(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def watch_for(page: Page, text: str) -> None:
    """Record (Date.now()) in the page the moment a comment with `text` enters the DOM."""
    page.evaluate("""text => {
        window.__seenAt = null;
        const seen = () => Array.from(document.querySelectorAll('li.comment p.text'))
                                .some(p => p.textContent === text);
        new MutationObserver((_, observer) => {
            if (window.__seenAt === null && seen()) { window.__seenAt = Date.now(); observer.disconnect(); }
        }).observe(document.body, {childList: true, subtree: true});
    }""", text)


def assert_clean(*pages: Page) -> None:
    for page in pages:
        assert page.errors == [], page.errors
        assert page.dialogs == [], page.dialogs


# -- tests ---------------------------------------------------------------------------------

def test_a_comment_appears_live_in_the_other_browser_once(people):
    alice, bob = people(ROOM_E, "Alice"), people(ROOM_E, "Bob")
    assert alice.url == bob.url
    first_discussion(bob)
    bob.evaluate("window.__samePage = true")
    text = unique("Violence linked to drug markets should include intimidation of witnesses")
    watch_for(bob, text)
    alice.evaluate("""() => document.addEventListener('click', e => {
        if (e.target.closest('form.comment-form button[type=submit]')) window.__clickedAt = Date.now();
    }, true)""")

    started = time.perf_counter()
    post(alice, text)
    thread_items(bob, text).wait_for()
    wall_ms = (time.perf_counter() - started) * 1000
    page_ms = bob.evaluate("window.__seenAt") - alice.evaluate("window.__clickedAt")
    print(f"\nclick in A -> comment in B's thread: {page_ms} ms (in-page clocks), "
          f"{wall_ms:.0f} ms (test process, incl. Playwright overhead)")
    assert bob.evaluate("window.__samePage") is True  # arrived in place, without a reload

    # The poster's page: the form is fresh and empty, and the comment is there once, also
    # after the socket's echo of it (seen when A's last sequence catches up with B's).
    thread_items(alice, text).wait_for()
    alice.wait_for_function("seq => Number(document.querySelector('[data-live-url]').dataset.lastSeq) >= seq",
                            arg=last_seq(bob))
    alice.wait_for_timeout(500)
    assert comment_box(alice).input_value() == ""
    for page in (alice, bob):
        assert thread_items(page, text).count() == 1
        assert page.locator("li.comment p.text").filter(has_text=text).count() == 1  # nowhere else either
    assert first_discussion(alice).locator(":scope > form.comment-form .form-status").text_content() == "Posted."
    assert_clean(alice, bob)

    alice.screenshot(path="/tmp/browser-a.png", full_page=True)
    bob.screenshot(path="/tmp/browser-b.png", full_page=True)


def test_support_counts_live_in_the_other_browser(people):
    alice, bob = people(ROOM_E, "Alice"), people(ROOM_E, "Bob")
    text = unique("Support this one")
    post(alice, text)
    item = thread_items(bob, text)
    item.wait_for()
    comment_id = item.get_attribute("id").removeprefix("c-")
    button = bob.locator(f"#c-{comment_id} > article form.support button")
    assert button.get_attribute("aria-pressed") == "false"

    started = time.perf_counter()
    button.click()
    alice.wait_for_function("id => document.getElementById('support-' + id).textContent.trim() === '1'",
                            arg=comment_id)
    print(f"\nsupport click in B -> count 1 in A: {(time.perf_counter() - started) * 1000:.0f} ms")
    assert alice.locator(f"#support-{comment_id}").get_attribute("data-support") == "1"
    bob.wait_for_function("id => document.getElementById('support-' + id).textContent.trim() === '1'",
                          arg=comment_id)
    assert bob.locator(f"#c-{comment_id} > article form.support button").get_attribute("aria-pressed") == "true"
    # Alice wrote it: she sees the count, and no button to support her own comment.
    assert alice.locator(f"#c-{comment_id} > article form.support").count() == 0
    assert "Your comment" in alice.locator(f"#c-{comment_id} > article .own").text_content()
    assert_clean(alice, bob)


def test_a_draft_survives_a_reload(people):
    carol = people(ROOM_F, "Carol")
    draft = unique("Half-written thought about indicators")
    comment_box(carol).fill(draft)
    form = first_discussion(carol).locator(":scope > form.comment-form")
    form.get_by_label("my name").check()
    key = form.get_attribute("data-draft-key")
    assert carol.evaluate("key => JSON.parse(localStorage.getItem(key))", key) == {
        "text": draft, "attribution": "name", "language": "en"}
    carol.reload()
    wait_live(carol)
    assert carol.locator("details.discussion").first.evaluate("d => d.open")  # reopened to show it
    assert comment_box(carol).input_value() == draft
    assert first_discussion(carol).locator(":scope > form.comment-form").get_by_label("my name").is_checked()

    # Not the browser's own form restoration on reload: a new tab shows the draft too.
    tab = carol.context.new_page()
    tab.goto(carol.url)
    wait_live(tab)
    assert comment_box(tab).input_value() == draft
    assert_clean(carol)


def test_a_second_draft_in_the_same_form_survives_a_reload(people, live_server):
    carol = people(ROOM_F, "Carol")
    post(carol, unique("First comment, posted"))
    first_discussion(carol).locator(":scope > form.comment-form .form-status", has_text="Posted.").wait_for()
    draft = unique("Second thought, not posted yet")
    comment_box(carol).fill(draft)

    # Anything arriving on the socket afterwards (here: someone else's comment) must not
    # touch the draft.
    with httpx.Client(base_url=live_server, timeout=30) as api:
        joined = api.post("/api/v1/rooms/join", json={"code": ROOM_F, "name": "Dan", "organisation": "",
                                                      "sector": "research", "country": "FI"}).json()
        other = unique("Meanwhile, someone else")
        r = api.post(f"/api/v1/rooms/{joined['room_id']}/comments", json={"text": other},
                     headers={"Authorization": f"Bearer {joined['token']}", "Idempotency-Key": uuid.uuid4().hex})
        assert r.status_code == 201, r.text
    carol.locator("li.comment p.text", has_text=other).wait_for()

    carol.reload()
    wait_live(carol)
    assert comment_box(carol).input_value() == draft


def test_hostile_text_is_shown_as_text(people):
    alice, bob = people(ROOM_E, "Alice"), people(ROOM_E, "Bob")
    requests = []
    bob.on("request", lambda request: requests.append(request.url))
    text = f'<img src=x onerror=alert(1)> <b hx-get="/x">bold</b> {uuid.uuid4().hex[:8]}'
    post(alice, text)

    for page in (bob, alice):
        item = thread_items(page, text)
        item.wait_for()
        shown = item.locator(":scope > article > p.text").text_content()
        assert shown == text and "<img" in shown and '<b hx-get="/x">' in shown
        thread = first_discussion(page).locator(":scope > ol.thread")
        assert thread.locator("img[src=x]").count() == 0
        assert thread.locator("b[hx-get]").count() == 0
        assert page.locator("img[src=x], b[hx-get]").count() == 0
    bob.wait_for_timeout(300)
    assert not [url for url in requests if url.endswith("/x")], requests
    assert_clean(alice, bob)


def test_a_dropped_socket_catches_up_without_a_reload(people):
    """Bob's socket goes through Playwright's WebSocket route, a proxy the test controls: it
    drops the connection (close 1013, as a server that sheds a slow socket), holds the
    reconnect attempt open without passing anything on while Alice posts, then drops that
    one too; the next reconnect reaches the server with the last sequence Bob saw."""
    proxy = {"offline": False, "sockets": []}

    def route(ws):
        server = None if proxy["offline"] else ws.connect_to_server()
        proxy["sockets"].append((ws, server))

    alice = people(ROOM_F, "Alice")
    bob = people(ROOM_F, "Bob", before=lambda page: page.route_web_socket(re.compile(r"/rooms/\d+/live"), route))
    bob.evaluate("window.__samePage = true")
    first_discussion(bob)
    seen = last_seq(bob)

    proxy["offline"] = True
    ws, server = proxy["sockets"][-1]
    ws.close(code=1013, reason="network dropped")
    server.close()
    bob.wait_for_selector("#live-status[data-state=offline]")
    deadline = time.monotonic() + 10
    while len(proxy["sockets"]) < 2 and time.monotonic() < deadline:
        bob.wait_for_timeout(50)
    assert len(proxy["sockets"]) == 2, "Bob's page did not try to reconnect"

    missed = unique("Posted while Bob was offline")
    post(alice, missed)
    thread_items(alice, missed).wait_for()
    bob.wait_for_timeout(700)
    assert thread_items(bob, missed).count() == 0  # really cut off

    proxy["offline"] = False
    proxy["sockets"][-1][0].close(code=1013, reason="network back")
    thread_items(bob, missed).wait_for()
    assert len(proxy["sockets"]) == 3  # the catch-up came through a new connection
    reconnect_url = proxy["sockets"][-1][0].url
    assert f"after={seen}" in reconnect_url, reconnect_url
    wait_live(bob)
    assert bob.evaluate("window.__samePage") is True  # caught up in place, not by reloading
    assert last_seq(bob) > seen

    live = unique("And live again")
    post(alice, live)
    thread_items(bob, live).wait_for()
    bob.wait_for_timeout(300)
    assert thread_items(bob, missed).count() == 1 and thread_items(bob, live).count() == 1
    assert_clean(alice, bob)


def test_a_reaction_shows_its_count_live_where_nobody_had_reacted(people):
    """No line of noughts under a paragraph nobody reacted to; the first reaction brings the
    count into the other browser without a reload."""
    ana = people(ROOM_E, "Ana Reacts", width=390)
    ben = people(ROOM_E, "Ben Watches", width=390)
    paragraph = ana.locator("article.paragraph").last
    paragraph_id = paragraph.get_attribute("id").split("-")[1]
    spread = ben.locator(f"#spread-{paragraph_id}")
    assert spread.get_attribute("hidden") is not None and not spread.is_visible()
    paragraph.locator("button.stance-pass").click()
    spread.locator("text=1 pass").wait_for()
    assert spread.is_visible() and "0 agree" in spread.text_content()
    paragraph.locator("button.stance-pass").click()  # taken back: the noughts go again
    spread.wait_for(state="hidden")
    assert_clean(ana, ben)


def test_the_language_a_comment_is_written_in_is_a_tag_apart_from_its_byline(people):
    """"Health services, FR EN" read as two countries: the language is a bordered tag."""
    alice = people(ROOM_E, "Alice Tag")
    text = unique("Written in English")
    post(alice, text)
    item = thread_items(alice, text)
    item.wait_for()
    tag = item.locator(":scope > article .by .lang-tag")
    assert tag.inner_text() == "EN" and tag.get_attribute("title") == "Written in English"
    assert tag.evaluate("t => parseFloat(getComputedStyle(t).borderTopWidth)") >= 1
    assert_clean(alice)
