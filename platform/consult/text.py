"""Cleaning user text on the way in (HTML is never stripped here: templates escape it), and its
opening words where a list shows a text short."""
from __future__ import annotations

import re
import unicodedata

# Control characters other than tab and newline (invisible, and spreadsheets cannot hold them),
# and lone surrogates (JSON can carry them; no database or file encoding can).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def clean_text(value: str | None) -> str:
    value = _CONTROL.sub("", value or "")
    value = unicodedata.normalize("NFC", value)
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()
    # Zero-width spaces, joiners, marks and the like alone would post an empty-looking comment.
    return value if any(unicodedata.category(c)[0] not in "CZM" for c in value) else ""


def clean_line(value: str | None) -> str:
    """A one-line field: whitespace runs fold to one space."""
    return " ".join(clean_text(value).split())


def shortened(text: str, chars: int) -> str:
    """At most `chars` characters of `text`, cut after a whole word and marked with an ellipsis
    (a word longer than that is cut inside it)."""
    if len(text) <= chars:
        return text
    cut = text[:chars + 1].rsplit(None, 1)[0] if " " in text[:chars + 1] else text[:chars]
    # A comma left before the ellipsis reads as a typo; a text of punctuation alone keeps it.
    return (cut.rstrip(" ,;:") or cut) + " …"


def opening(text: str, words: int) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
