"""The interface in the participant's language, in a real browser: the browser's language the
first time, one tap to change it on the room page without losing what was being typed, and
axe-core clean in each language (the page's lang, and each language named in itself)."""
from __future__ import annotations

import re
import uuid

from helpers import ROOM_E, wait_live


def first_discussion(page):
    details = page.locator("details.discussion").first
    if not details.evaluate("d => d.open"):
        details.locator(":scope > summary").click()
    return details


def french_browser(page):
    page.context.set_extra_http_headers({"Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"})


def test_the_room_follows_the_browser_then_one_tap_changes_it_and_the_typed_comment_stays(people, axe):
    amelie = people(ROOM_E, "Amélie", before=french_browser, width=390)
    assert amelie.evaluate("document.documentElement.lang") == "fr"
    assert amelie.locator("#live-status").inner_text() == "En direct"
    assert amelie.locator(".languages button[aria-current]").inner_text().startswith("FR")
    discussion = first_discussion(amelie)
    assert discussion.locator(":scope > summary").inner_text().startswith("Discuter du")
    assert axe(amelie) == []

    draft = f"Une pensée à moitié écrite {uuid.uuid4().hex[:6]}"
    discussion.locator(":scope > form.comment-form textarea[name=text]").fill(draft)
    amelie.locator(".languages button[value=nl]").click()
    amelie.wait_for_function("document.documentElement.lang === 'nl'")
    wait_live(amelie)
    assert amelie.locator("#live-status").inner_text() == "Live"
    assert amelie.locator(".languages button[aria-current]").inner_text().startswith("NL")
    # The draft came back, in its reopened discussion, with the language it was being written in.
    discussion = amelie.locator("details.discussion").first
    assert discussion.evaluate("d => d.open")
    assert discussion.locator(":scope > summary").inner_text().startswith("Bespreek 1.1")
    assert discussion.locator(":scope > form.comment-form textarea[name=text]").input_value() == draft
    assert discussion.locator(":scope > form.comment-form select[name=language]").input_value() == "fr"
    assert axe(amelie) == []

    discussion.locator(":scope > form.comment-form button[type=submit]", has_text="Opmerking plaatsen").click()
    posted = discussion.locator(":scope > ol.thread > li.comment", has=amelie.locator(":scope > article > p.text", has_text=draft))
    posted.wait_for()
    assert posted.locator(":scope > article .lang-tag").inner_text() == "FR"
    assert posted.locator(":scope > article > p.text").get_attribute("lang") == "fr"
    assert discussion.locator(":scope > form.comment-form .form-status").inner_text() == "Geplaatst."

    # Remembered with the participant: a reload, even with the French browser, stays in Dutch.
    amelie.reload()
    wait_live(amelie)
    assert amelie.evaluate("document.documentElement.lang") == "nl"


def test_every_language_of_the_room_page_is_clean_for_axe(people, axe):
    bruno = people(ROOM_E, "Bruno", width=1280)
    for code, live in (("de", "Live"), ("fr", "En direct"), ("en", "Live")):
        bruno.locator(f".languages button[value={code}]").click()
        bruno.wait_for_function(f"document.documentElement.lang === '{code}'")
        wait_live(bruno)
        assert bruno.locator("#live-status").inner_text() == live
        assert re.fullmatch(r"[a-z]{2}", bruno.evaluate("document.documentElement.lang"))
        assert axe(bruno) == [], code
