"""While the database is away, the room page says saving is paused and keeps the text;
once it is back, sending again posts the comment once. The real server on a private
PostgreSQL cluster, stopped for the test."""
from __future__ import annotations

import re

from conftest_server import start_server
from helpers import TIMEOUT_MS, wait_live
from pg_cluster import cluster  # noqa: F401 (the fixture)
from test_room_browser import first_discussion, thread_items, unique


def test_saving_pauses_with_the_text_kept_and_resumes(browser, cluster, tmp_path):  # noqa: F811
    server = start_server(tmp_path, DATABASE_URL=cluster.url)
    base = next(server)
    context = browser.new_context(base_url=base, viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    refused = []
    context.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    try:
        page = context.new_page()
        page.goto("/join?code=K7MPQ2")
        page.fill("#f-name", "Blink")
        page.select_option("#f-sector", "health")
        page.select_option("#f-country", "PT")
        page.click("button.primary")
        page.wait_for_url(re.compile(r"/rooms/\d+$"))
        wait_live(page)
        text = unique("Written while the database was away")
        form = first_discussion(page).locator(":scope > form.comment-form")
        form.locator("textarea[name=text]").fill(text)
        cluster.stop("fast")
        form.locator("button[type=submit]").click()
        page.wait_for_selector("text=Saving is paused")
        assert form.locator("textarea[name=text]").input_value() == text
        cluster.start()
        form.locator("button[type=submit]").click()
        thread_items(page, text).first.wait_for()
        assert thread_items(page, text).count() == 1
        assert refused == []
    finally:
        context.close()
        next(server, None)
