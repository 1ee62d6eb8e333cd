"""Paragraph numbers: pure.

While organisers work, a version keeps the base document's numbers, so that rooms and
organisers speak of the same paragraph (an inserted one is "2.2a", after 2.2). On publication
the document is numbered afresh, section by section (1.1, 1.2, 1.3 …), deleted paragraphs
drop out, and each paragraph keeps its base number beside the new one."""
from __future__ import annotations

from string import ascii_lowercase


def working_number(section_position: int, paragraph_position: int, inserted_index: int | None = None) -> str:
    number = f"{section_position + 1}.{paragraph_position + 1}"
    if inserted_index is None:
        return number
    suffix, n = "", inserted_index
    while True:        # a, b, … z, aa, ab …: any number of insertions after one paragraph
        suffix = ascii_lowercase[n % 26] + suffix
        n = n // 26 - 1
        if n < 0:
            return number + suffix


def published_numbers(paragraphs: list[dict]) -> dict[str, str | None]:
    """key -> the published number (None for a deleted paragraph), in document order."""
    out, section, count = {}, None, 0
    for p in paragraphs:
        if p["section_id"] != section:
            section, count = p["section_id"], 0
        if p["status"] == "deleted":
            out[p["key"]] = None
            continue
        count += 1
        out[p["key"]] = f"{p['number'].split('.')[0]}.{count}"
    return out
