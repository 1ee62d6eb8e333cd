"""Cleaning user text on the way in. HTML is never stripped here: templates escape it."""
from __future__ import annotations

import re
import unicodedata

# Control characters other than tab and newline: invisible, and spreadsheets cannot hold them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str | None) -> str:
    value = unicodedata.normalize("NFC", value or "")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value).strip()


def clean_line(value: str | None) -> str:
    """A one-line field: whitespace runs fold to one space."""
    return " ".join(clean_text(value).split())
