"""The translation catalogue, extracted from the sources: what `make messages` writes into each
language's .po file and what tests/test_i18n.py holds the .po files to.

Run as `python -m consult.catalogue` after marking a string. The .po files are written without
source locations and sorted by message, with a header that never changes, so that two people
adding strings at once touch different lines."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from consult.i18n import DEFAULT, LANGUAGES, LOCALE_DIR
from consult.settings import ROOT

# Python in the package, every template; `trimmed` as the templates render them.
SOURCES = ((ROOT / "platform" / "consult", [("**.py", "python")]),
           (ROOT / "templates", [("**.html", "jinja2")]))
OPTIONS = {"**.html": {"trimmed": "true"}}
KEYWORDS = {**DEFAULT_KEYWORDS}
# A fixed date: the header stays the same from one extraction to the next.
EPOCH = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)


def extract() -> Catalog:
    catalog = Catalog(creation_date=EPOCH)
    for directory, method_map in SOURCES:
        for filename, lineno, message, comments, context in extract_from_dir(
                str(directory), method_map, options_map=OPTIONS, keywords=KEYWORDS):
            catalog.add(message, None, [(str(Path(directory.name) / filename), lineno)],
                        auto_comments=comments, context=context)
    return catalog


def path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"


def read(language: str) -> Catalog:
    with path(language).open("rb") as file:
        return read_po(file, locale=language)


def update() -> dict[str, int]:
    """Each language's .po brought up to the sources: new messages added untranslated,
    messages no longer used removed. Returns how many each language still lacks."""
    template = extract()
    missing = {}
    for language in LANGUAGES:
        if language == DEFAULT:
            continue
        catalog = read(language)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.obsolete.clear()
        with path(language).open("wb") as file:
            write_po(file, catalog, no_location=True, sort_output=True, width=100)
        missing[language] = sum(1 for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string]))
    return missing


if __name__ == "__main__":
    for language, count in update().items():
        print(f"{language}: {count} message(s) to translate in {path(language).relative_to(ROOT)}")
    sys.exit(0)
