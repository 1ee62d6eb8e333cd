"""The Content-Security-Policy allows no inline style or script attribute: a template that writes one
shows a page without what it meant (the synthesis's heat map once lost every colour its caption
explains). Widths go through data-width (static/js/attributes.js), colours through classes or SVG."""
from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
REFUSED = re.compile(r"""<[a-zA-Z][^<>]*\s(style|on[a-z]+)\s*=""")


def test_no_template_writes_an_attribute_the_policy_refuses():
    found = [f"{path.relative_to(TEMPLATES)}:{text[:match.start()].count(chr(10)) + 1}: {match.group(1)}="
             for path in sorted(TEMPLATES.rglob("*.html")) for text in [path.read_text()]
             for match in REFUSED.finditer(text)]
    assert found == []
