"""The document import in a real browser, walked with the files people pick by mistake."""
from __future__ import annotations

import os


def test_a_refused_document_file_is_said_at_its_field_and_the_form_keeps_what_was_typed(organiser):
    page = organiser
    page.goto("/organiser/import/document")
    page.select_option("#f-kind", "call_for_policies")
    page.fill("#f-title", "Plan B")
    for name, data, said in [("plan.md", b"", "The file “plan.md” is empty."),
                             ("plan.pdf", b"%PDF-1.4", "“plan.pdf” is not a file this page reads"),
                             ("plan.xlsx", b"not a workbook", "or it is damaged or protected by a password"),
                             # Over the upload limit: refused from its declared length, unread.
                             ("big.xlsx", os.urandom(6 * 1024 * 1024), "larger than the limit of 5 MB")]:
        page.set_input_files("#f-file", files=[{"name": name, "mimeType": "application/octet-stream",
                                                "buffer": data}])
        page.click("button:has-text('Import')")
        page.wait_for_selector(f"#f-file-error:has-text('{said[:20]}')")
        assert said in page.inner_text("#f-file-error"), name
        assert page.get_attribute("#f-file", "aria-invalid") == "true"
        assert page.input_value("#f-title") == "Plan B" and page.input_value("#f-kind") == "call_for_policies"
        assert page.locator("#import-report").count() == 0
    assert page.errors == []
