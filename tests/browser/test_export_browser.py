"""Exporting from the console in a real browser: the workbook downloads, once, and the page stays."""
from __future__ import annotations


def test_the_console_export_downloads_the_workbook_once_and_the_page_stays(organiser):
    downloads = []
    organiser.on("download", lambda download: downloads.append(download))
    with organiser.expect_download() as info:
        organiser.get_by_role("link", name="Export workbook").click()
    assert info.value.suggested_filename.startswith("consultation-")
    assert info.value.suggested_filename.endswith(".xlsx")
    organiser.locator("#export-progress", has_text="downloads now").wait_for()
    assert organiser.url.endswith("/organiser")
    # The bar's polling ended with it: nothing downloads again.
    organiser.wait_for_timeout(2000)
    assert len(downloads) == 1
    assert organiser.locator("#export-progress a", has_text="Download it again").get_attribute("href") \
        .startswith("/exports/")
