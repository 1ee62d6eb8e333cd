"""The room on a 390x844 phone and a 1366x768 laptop: document first, mistakes shown where
they were made, accepted text visible, forms that keep what was written, parallel drafting,
phase and budgets in the controls, and axe-core still clean."""
from __future__ import annotations

import re
import time

import pytest
from helpers import ROOM_E, ROOM_G, wait_live
from test_workbench_browser import make_rapporteur

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def sized(page, size):
    page.set_viewport_size(size)
    return page


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_newcomer_reads_the_first_paragraph_on_the_first_screen(people, axe, size):
    ana = sized(people(ROOM_E, "Ana First Screen", width=size["width"]), size)
    ana.goto(ana.url)
    wait_live(ana)
    assert ana.locator("h1").first.is_visible()
    first = ana.locator("article.paragraph .ptext").first.bounding_box()
    assert first["y"] + 40 < size["height"], f"the first paragraph starts at y={first['y']}"
    # The section list jumps to a section; the room's tools are one tap away.
    ana.locator("details.jump > summary").click()
    links = ana.locator(".section-list a[href^='#sec-']")
    target = links.last.get_attribute("href")
    links.last.click()
    heading = ana.locator(target).bounding_box()
    assert 0 <= heading["y"] < size["height"] / 2, heading
    ana.locator("details.tools > summary").click()
    assert ana.locator(".tools-panel .code").is_visible()
    assert axe(ana) == []


@pytest.mark.parametrize("language", ["en", "fr", "de", "nl"])
def test_the_room_fits_a_phone_in_every_language(people, live_server, language):
    """Longer words (German's above all) wrap inside the phone's width; the first paragraph
    still starts on the first screen; "Amendments to 4.2 · 0 amendments" never leaves its
    number at the end of one line and the word on the next."""
    from consult.web.locale import COOKIE

    def choose(page):
        page.context.add_cookies([{"name": COOKIE, "value": language, "url": live_server}])
    page = sized(people(ROOM_E, f"Lang {language}", before=choose, width=390), PHONE)
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    first = page.locator("article.paragraph .ptext").first.bounding_box()
    assert first["y"] + 40 < PHONE["height"], f"the first paragraph starts at y={first['y']}"
    split = page.evaluate("""[...document.querySelectorAll('.paragraph > details > summary .count')]
        .filter(c => new Set([...c.getClientRects()].map(r => Math.round(r.top))).size > 1).map(c => c.closest('summary').textContent.trim())""")
    assert split == []


def test_a_join_mistake_comes_back_in_the_form_with_focus_on_the_field(new_page, axe):
    page = sized(new_page(390), PHONE)
    page.goto(f"/join?code={ROOM_E}")
    with page.expect_response(lambda r: r.url.endswith("/join") and r.request.method == "POST") as answer:
        page.click("button.primary")
    assert answer.value.status == 422
    page.wait_for_selector("#f-name[aria-invalid=true]")
    assert page.evaluate("document.activeElement.id") == "f-name"
    assert page.locator("#join-form").count() == 1 and page.locator("#join-form #join-form").count() == 0
    assert page.locator("text=Something went wrong").count() == 0
    assert axe(page) == []
    assert page.errors == []


def test_accepted_inserts_and_edited_acceptances_show_their_text_everywhere(people, organiser):
    ana = sized(people(ROOM_G, "Ana Inserts", width=390), PHONE)
    rita = people(ROOM_G, "Rita Inserts", sector="law_enforcement", width=1366)
    room_id = make_rapporteur(organiser, rita, "Rita Inserts")
    stamp = f"{time.time():.0f}"
    first = ana.locator("article.paragraph").nth(1)
    pid = first.get_attribute("id").split("-")[1]
    current = ana.locator(f"#text-p{pid} .clean").text_content().strip()

    first.locator("details.amendments > summary").click()
    box = ana.locator(f"#af-{pid}-text")
    assert box.input_value() == current  # a replace starts from the paragraph's text
    ana.check(f"#af-{pid} input[name=kind][value=insert_after]")
    assert box.input_value() == ""       # an insert starts empty
    inserted = f"Cities should share neighbourhood figures every quarter ({stamp})."
    box.fill(inserted)
    ana.fill(f"#af-{pid}-why", "Local authorities need them.")
    ana.click(f"#af-{pid} button[type=submit]")
    ana.wait_for_selector(f"#af-{pid} .form-status:has-text('Proposed.')")
    ana.wait_for_function("document.activeElement.id.startsWith('a-')")  # focus moves to what was posted

    ana.check(f"#af-{pid} input[name=kind][value=replace]")
    assert box.input_value() == current
    box.fill(current + " It covers threats online.")
    ana.fill(f"#af-{pid}-why", "Online threats.")
    ana.click(f"#af-{pid} button[type=submit]")
    ana.wait_for_selector(f"#amendments-{pid} li.amendment:has-text('Online threats.')")

    rita.goto(f"/rooms/{room_id}/workbench")
    rita.locator("#wb_amendments li", has_text="Local authorities need them.").locator(
        "button", has_text="Accept").first.click()
    ana.locator(f"#inserts-{pid}", has_text=inserted).wait_for()
    assert ana.locator(f"#inserts-{pid} .clean", has_text=inserted).is_visible()
    card = rita.locator("#wb_amendments li", has_text="Online threats.")
    card.locator("summary", has_text="Edit, then accept").click()
    edited = current + f" It covers threats made online ({stamp})."
    card.locator("textarea[name=text]").fill(edited)
    card.locator("button", has_text="Accept this text").click()
    ana.locator(f"#text-p{pid}", has_text="threats made online").wait_for()
    assert ana.locator(f"#text-p{pid} ins", has_text="made").first.is_visible()
    ana.locator(".accepted-as", has_text="made").first.wait_for()
    rita.goto(f"/rooms/{room_id}/workbench")
    assert rita.locator(".wb-paragraph .clean", has_text=inserted).is_visible()
    ana.reload()
    wait_live(ana)
    assert ana.locator(f"#inserts-{pid} .clean", has_text=inserted).is_visible()
    assert not ana.errors and not rita.errors


def test_two_rapporteurs_save_different_paragraphs_at_once(people, organiser):
    rita = people(ROOM_G, "Rita Parallel", sector="law_enforcement", width=1366)
    raj = sized(people(ROOM_G, "Raj Parallel", sector="research", width=390), PHONE)
    room_id = make_rapporteur(organiser, rita, "Rita Parallel")
    make_rapporteur(organiser, raj, "Raj Parallel")
    for page in (rita, raj):
        page.goto(f"/rooms/{room_id}/workbench")
        wait_live(page)
    # The workbench fits the phone.
    assert raj.evaluate("document.documentElement.scrollWidth") <= 390
    paragraphs = rita.locator(".wb-paragraph")
    ids = [paragraphs.nth(i).locator("form.edit-paragraph").get_attribute("id") for i in (0, 1)]
    for page, form_id, text in ((rita, ids[0], "Rita's parallel text."), (raj, ids[1], "Raj's parallel text.")):
        page.locator(f"#{form_id}").locator("xpath=ancestor::details").locator("summary").click()
        page.fill(f"#{form_id}-text", text)
    # Each save is waited for by its answer (a reload would cancel a save still on its way).
    for page, form_id in ((rita, ids[0]), (raj, ids[1])):
        with page.expect_response(lambda r: r.url.endswith("/draft") and r.request.method == "POST") as answer:
            page.click(f"#{form_id} button[type=submit]")
        assert answer.value.ok, answer.value.status
    assert raj.locator(".conflict").count() == 0
    rita.reload()
    assert rita.locator(".wb-paragraph .clean", has_text="Rita's parallel text.").count() == 1
    assert rita.locator(".wb-paragraph .clean", has_text="Raj's parallel text.").count() == 1
    # The same paragraph from an old version still shows both versions side by side.
    raj.locator(f"#{ids[0]}").locator("xpath=ancestor::details").locator("summary").click()
    raj.fill(f"#{ids[0]}-text", "Raj's take on Rita's paragraph.")
    raj.click(f"#{ids[0]} button[type=submit]")
    raj.wait_for_selector(".conflict .side-by-side")
    assert "Rita's parallel text." in raj.locator(".conflict").text_content()
    assert not rita.errors and not raj.errors


def test_a_new_poll_is_announced_and_its_results_wait_for_an_answer(people, organiser, axe):
    """The numbers are not in Vera's page until she answers (not merely hidden); Wim, who
    answered first, sees them change live as others answer."""
    vera = sized(people(ROOM_G, "Vera Voter", width=390), PHONE)
    wim = sized(people(ROOM_G, "Wim Early", width=390), PHONE)
    rita = people(ROOM_G, "Rita Polls", sector="law_enforcement")
    room_id = make_rapporteur(organiser, rita, "Rita Polls")
    rita.goto(f"/rooms/{room_id}/workbench")
    vera.evaluate("window.scrollTo(0, 0)")
    question = f"Which source first? {time.time():.0f}"
    rita.fill("#poll-q", question)
    rita.fill("#poll-o0", "Police")
    rita.fill("#poll-o1", "Hospitals")
    rita.click("form.ask-poll button[type=submit]")
    poll = vera.locator("li.poll", has_text=question)
    poll.wait_for()
    # Wherever she is reading, a notice of the new poll is in view, and takes her to it.
    notice = vera.locator("#poll-notice a", has_text=question)
    notice.wait_for()
    box = notice.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"], box
    notice.click()
    vera.wait_for_timeout(300)
    top = poll.bounding_box()["y"]
    assert 0 <= top < PHONE["height"], top
    assert poll.locator(".poll-results", has_text="The results appear once you have answered").is_visible()

    wims = wim.locator("li.poll", has_text=question)
    wims.get_by_label("Police").check()
    wims.locator("button", has_text="Answer").click()
    wims.locator(".poll-results", has_text="1 answered").wait_for()
    assert "1 (100%)" in wims.locator(".poll-results").text_content()
    # Vera learns that someone answered, not what they answered.
    poll.locator(".poll-results", has_text="1 answered so far").wait_for()
    assert "%" not in poll.inner_html()

    poll.get_by_label("Hospitals").check()
    poll.locator("button", has_text="Answer").click()
    poll.locator(".poll-results", has_text="2 answered").wait_for()
    assert "1 (50%)" in poll.locator(".poll-results").text_content()
    wims.locator(".poll-results", has_text="2 answered").wait_for()
    assert "1 (50%)" in wims.locator(".poll-results").text_content()
    # The bars say it too, in both pages, also after the live refresh (a morph, which once took the
    # bars' widths away and left every bar empty beside its number).
    for page, results in ((vera, poll), (wim, wims)):
        page.wait_for_timeout(500)
        bars = results.locator(".poll-results .bar").evaluate_all(
            "bars => bars.map(b => Math.round(100 * b.firstElementChild.getBoundingClientRect().width"
            " / b.getBoundingClientRect().width))")
        assert bars == [50, 50], bars
    assert axe(vera) == []
    assert not vera.errors and not wim.errors


def test_a_poll_before_the_room_opens_is_shown_disabled_with_the_reason(people, organiser, axe):
    vera = sized(people(ROOM_G, "Vera Early", width=390), PHONE)
    rita = people(ROOM_G, "Rita Early", sector="law_enforcement")
    room_id = make_rapporteur(organiser, rita, "Rita Early")
    rita.goto(f"/rooms/{room_id}/workbench")
    try:
        rita.click(".phase-buttons button[value=setup]")
        vera.locator("#phase.phase-setup").wait_for()
        question = f"Ready to start? {time.time():.0f}"
        rita.fill("#poll-q", question)
        rita.fill("#poll-o0", "Yes")
        rita.fill("#poll-o1", "Not yet")
        rita.click("form.ask-poll button[type=submit]")
        poll = vera.locator("li.poll", has_text=question)
        poll.wait_for()
        assert poll.get_by_label("Yes").is_disabled()
        assert poll.locator("button", has_text="Answer").count() == 0
        assert poll.locator(".poll-form", has_text="has not started yet: you cannot answer polls now").is_visible()
        assert axe(vera) == []
    finally:
        rita.click(".phase-buttons button[value=open]")
    # Opened: her page refreshes itself and the poll can be answered.
    vera.locator("#phase.phase-open").wait_for()
    poll.get_by_label("Yes").check()
    poll.locator("button", has_text="Answer").click()
    poll.locator(".poll-results", has_text="1 answered").wait_for()
    assert not vera.errors


def test_the_join_form_keeps_what_was_typed_across_a_reload_until_it_is_sent(new_page):
    page = sized(new_page(390), PHONE)
    page.goto(f"/join?code={ROOM_E}")
    page.fill("#f-name", "Nora Reload")
    page.fill("#f-organisation", "Garda")
    page.select_option("#f-sector", "law_enforcement")
    page.select_option("#f-country", "IE")
    page.check("#f-named")
    page.reload()
    assert page.input_value("#f-name") == "Nora Reload"
    assert page.input_value("#f-organisation") == "Garda"
    assert page.input_value("#f-sector") == "law_enforcement"
    assert page.input_value("#f-country") == "IE"
    assert page.is_checked("#f-named")
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/rooms/\d+$"))
    # Joined: nothing of it is left in the phone's storage for the next person.
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('draft-join'))") == []
    assert page.errors == []


def test_a_refusal_shows_next_to_the_button_that_was_tapped(people):
    """Her own comment offers her no support button where she posted it, even once the room's
    copy for everyone arrives; in her second tab, which only has that copy, tapping support is
    refused and the reason appears next to the button, in view."""
    ana = sized(people(ROOM_E, "Ana Refused", width=390), PHONE)
    other_tab = sized(ana.context.new_page(), PHONE)
    other_tab.errors = []
    other_tab.on("pageerror", lambda error: other_tab.errors.append(str(error)))
    other_tab.goto(ana.url)
    wait_live(other_tab)
    details = ana.locator("details.discussion").first
    details.locator(":scope > summary").click()
    text = f"My own point {time.time():.0f}"
    details.locator(":scope > form.comment-form textarea").fill(text)
    details.locator(":scope > form.comment-form button[type=submit]").click()
    mine = ana.locator("li.comment", has_text=text)
    mine.wait_for()
    theirs = other_tab.locator("li.comment", has_text=text)
    # The room's copy has reached the other tab (its discussion is still folded: attached, not visible).
    theirs.wait_for(state="attached")
    ana.wait_for_timeout(300)
    assert mine.locator("form.support").count() == 0
    assert mine.locator(".own", has_text="Your comment").is_visible()

    other_tab.locator("details.discussion").first.evaluate("d => d.open = true")
    theirs.locator("form.support button").click()
    error = theirs.locator("form.support .form-error")
    error.wait_for()
    assert "your own comment" in error.text_content()
    box = error.bounding_box()
    assert 0 <= box["y"] <= PHONE["height"], f"the refusal is out of sight at y={box['y']}"
    assert other_tab.locator("#flash").text_content().strip() == ""
    assert not ana.errors and not other_tab.errors


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_the_room_and_workbench_stay_clean_for_axe(people, organiser, axe, size):
    rita = sized(people(ROOM_G, "Rita Axe", sector="law_enforcement", width=size["width"]), size)
    room_id = make_rapporteur(organiser, rita, "Rita Axe")
    for path in (f"/rooms/{room_id}", f"/rooms/{room_id}/workbench"):
        rita.goto(path)
        wait_live(rita)
        assert axe(rita) == [], path
        assert rita.evaluate("document.documentElement.scrollWidth") <= size["width"], path
    assert re.search(r"/workbench$", rita.url)


def test_the_projector_is_readable_from_the_back_of_the_room(people, organiser):
    """At 1920x1080 no text on the room's screen is smaller than 28 px."""
    rita = people(ROOM_G, "Rita Projector", sector="law_enforcement")
    room_id = make_rapporteur(organiser, rita, "Rita Projector")
    organiser.set_viewport_size({"width": 1920, "height": 1080})
    organiser.goto(f"/rooms/{room_id}/projector")
    sizes = organiser.evaluate("""() => Array.from(document.querySelectorAll('main *'))
        .filter(e => e.offsetParent && Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => [parseFloat(getComputedStyle(e).fontSize), e.tagName + '.' + e.className + ' ' + e.textContent.trim().slice(0, 30)])""")
    small = [s for s in sizes if s[0] < 28]
    assert sizes and small == [], small
    # On the common projector sizes the join code and address are on the first screen, the code on
    # one line, under the room's longest name (at 1366x768 the code once fell below the screen's edge).
    for width, height in ((1366, 768), (1280, 720), (1024, 768)):
        organiser.set_viewport_size({"width": width, "height": height})
        code = organiser.locator(".big-code").bounding_box()
        address = organiser.locator(".join-panel .meta").bounding_box()
        line = organiser.evaluate("parseFloat(getComputedStyle(document.querySelector('.big-code strong')).lineHeight)"
                                  " || parseFloat(getComputedStyle(document.querySelector('.big-code strong')).fontSize) * 1.4")
        assert address["y"] + address["height"] <= height, (width, height, address)
        assert code["height"] < 2 * line, (width, height, code)


# Every control a participant taps in the room, checked on a touch phone: a radio or a box
# through its label, which is its tap target (inline text links in sentences are exempt, as
# in WCAG 2.5.8).
TAPPABLE = """() => [...document.querySelectorAll(
    '#room-body button, #room-body .button, #room-body summary, #room-body select, #room-body input:not([type=hidden]),'
    + ' #room-body label:has(> input[type=radio]), #room-body label:has(> input[type=checkbox]), #poll-notice a')]
  .filter(el => el.offsetParent !== null && !(el.tagName === 'INPUT' && ['radio', 'checkbox'].includes(el.type)))
  .map(el => { const r = el.getBoundingClientRect();
               return {what: el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 30), w: r.width, h: r.height}; })
  .filter(b => b.w < 44 || b.h < 44)"""


@pytest.mark.parametrize("phase", ["open", "voting"])
def test_every_control_in_the_room_is_at_least_44_px_on_a_touch_phone(browser, live_server, organiser, phase):
    context = browser.new_context(base_url=live_server, viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(f"/join?code={ROOM_G}")
        page.fill("#f-name", "Tara Touch")
        page.select_option("#f-sector", "health")
        page.select_option("#f-country", "BE")
        page.tap("button.primary")
        page.wait_for_url(re.compile(r"/rooms/\d+$"))
        wait_live(page)
        assert page.evaluate("matchMedia('(pointer: coarse)').matches")
        if phase == "voting":
            organiser.goto(page.url + "/workbench")
            organiser.click(".phase-buttons button[value=voting]")
            page.locator("#phase.phase-voting").wait_for()
        first = page.locator("article.paragraph").first
        for details in ("details.discussion", "details.amendments"):
            if not first.locator(details).get_attribute("open"):
                first.locator(f"{details} > summary").tap()
        page.locator("details.jump > summary").tap()
        small = page.evaluate(TAPPABLE)
        assert small == [], small
    finally:
        if phase == "voting":
            organiser.click(".phase-buttons button[value=open]")
        context.close()


def test_the_countdown_and_the_live_indicator_on_a_phone_across_a_phase_change(people, organiser):
    """The rapporteur starts a countdown: it ticks on the participant's first screen. The phase
    changes: her page refreshes itself, and the indicator still says live (not 'Connecting…')."""
    nina = sized(people(ROOM_G, "Nina Timer", width=390), PHONE)
    rita = people(ROOM_G, "Rita Timer", sector="law_enforcement")
    room_id = make_rapporteur(organiser, rita, "Rita Timer")
    rita.goto(f"/rooms/{room_id}/workbench")
    rita.fill("#cd-min", "7")
    rita.click("form:has(#cd-min) button:not([name])")
    left = nina.locator("#countdown .left")
    nina.wait_for_function("() => /^[67]:[0-5]\\d$/.test(document.querySelector('#countdown .left')?.textContent || '')")
    box = left.bounding_box()
    assert 0 <= box["y"] < PHONE["height"] / 2, box
    try:
        rita.click(".phase-buttons button[value=voting]")
        nina.locator("#phase.phase-voting").wait_for()
        nina.wait_for_timeout(1500)
        assert nina.get_attribute("#live-status", "data-state") == "live"
        assert nina.locator("#countdown .left").is_visible()
    finally:
        rita.click(".phase-buttons button[value=open]")
        rita.click("form:has(#cd-min) button[name=minutes]")
    nina.locator("#phase.phase-open").wait_for()
    assert nina.get_attribute("#live-status", "data-state") == "live"
    assert not nina.errors


def test_the_organisers_pages_fit_a_phone_without_scrolling_sideways(organiser):
    """An organiser checks the set-up on a phone between sessions: no page of the console is wider
    than the screen (wide tables scroll in their own box); the set-up's fieldsets, whose columns
    were at least 20rem, once pushed the whole page sideways."""
    page = sized(organiser, PHONE)
    wide = {}
    for path in ("/organiser", "/organiser/setup", "/organiser/moderation", "/organiser/audit",
                 "/organiser/import/participants", "/organiser/import/document", "/documents/1/consolidated"):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    assert wide == {}
