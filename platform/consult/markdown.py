"""The room's conclusions: Markdown, rendered with markdown-it-py, then sanitised with nh3.

Citations `#c12` (comment 12) and `#a5` (amendment 5) become links to their sources, spelt out
in the words of the text that cites them, not the reader's: the conclusions are the room's
text, written like the documents in their language (i18n.CONTENT), and a French reader of
English conclusions reads "amendment 5" in them, as the exported document does. So the
conclusions render the same for every reader (a page, a socket push, the API); the pages mark
them with that language. Raw HTML
in the source is not rendered, and nh3 keeps only a small allow-list of tags and attributes,
so script, event handlers, javascript: links and hx-* attributes never reach a page."""
from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

from consult import i18n
from consult.i18n import _

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")
CITATION = re.compile(r"(?<![\w&/#])#([ca])(\d+)\b")
TAGS = {"p", "br", "strong", "em", "del", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4", "h5", "h6",
        "a", "table", "thead", "tbody", "tr", "th", "td", "hr"}
ATTRIBUTES = {"a": {"href", "title", "class"}}


def citations(source: str) -> dict[str, set[int]]:
    """The comments and amendments a text cites."""
    found: dict[str, set[int]] = {"comments": set(), "amendments": set()}
    for kind, number in CITATION.findall(source or ""):
        found["comments" if kind == "c" else "amendments"].add(int(number))
    return found


def cited(kind: str, number: str) -> str:
    """A citation (#c12, #a5) spelt out in the language of the conclusions that hold it."""
    with i18n.speaking(i18n.CONTENT):
        return _("comment %(number)s", number=number) if kind == "c" else _("amendment %(number)s", number=number)




HEADING = re.compile(r"<(/?)h([1-6])>")
HEADING_SHIFT = 2  # the conclusions sit under a page's h1 and their section's h2


def render(source: str, unknown: dict[str, set[int]] | None = None) -> Markup:
    """The conclusions as HTML; a citation in `unknown` (one naming nothing in the room, which
    only a preview of text being typed holds) is spelt out but not linked."""
    def spelt(match: re.Match) -> str:
        kind, number = match.groups()
        if unknown and int(number) in unknown["comments" if kind == "c" else "amendments"]:
            return cited(kind, number)
        return f"[{cited(kind, number)}](#{kind}-{number})"

    html = _md.render(CITATION.sub(spelt, source or ""))
    html = HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + HEADING_SHIFT)}>", html)
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                      link_rel="noopener noreferrer nofollow")
    return Markup(clean)
