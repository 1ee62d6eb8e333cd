"""What counts as harmless HTML: only the tags we allow, no handlers, no hx-*, no script URLs."""
from __future__ import annotations

from html.parser import HTMLParser


class Tags(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_harmless(html: str, allowed=frozenset({"p", "a", "strong", "em", "ul", "ol", "li", "code", "del", "ins"})):
    for tag, attrs in Tags(html).tags:
        assert tag in allowed, tag
        assert not any(name.startswith(("on", "hx-", "data-hx")) for name in attrs), attrs
        assert not attrs.get("href", "").strip().lower().startswith(("javascript:", "data:", "vbscript:")), attrs
