"""The interface's languages: catalogues, the language of what is being rendered now, and
dates and numbers in that language.

The catalogues are the .po files under consult/locale, compiled in memory when this module is
first imported: `make run` needs no build step and no compiled .mo file is kept in the
repository. The language of the request (or of the socket push being rendered) lives in a
context variable, so services raising an error and templates rendering a page both speak it
without passing it down every call."""
from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

import pycountry
from babel import Locale
from babel.core import negotiate_locale
from babel.dates import format_date as _format_date, format_datetime as _format_datetime, \
    format_interval as _format_interval, format_skeleton as _format_skeleton, format_time as _format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

from consult import clock

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "en"
# Each language named in itself: that is how someone who does not read the current one finds theirs.
LANGUAGES = {"en": "English", "fr": "Français", "de": "Deutsch", "nl": "Nederlands"}
# The countries a participant may give, by ISO code, with their English names (country_names() names them
# in the reader's language).
COUNTRIES = {c.alpha_2: c.name for c in sorted(pycountry.countries, key=lambda c: c.name)}

ZONE = "Europe/Brussels"
# The conference's documents are written in English whatever language the interface speaks:
# their text carries this lang, so that screen readers and hyphenation read it as English.
CONTENT = "en"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("language", default=DEFAULT)
# The event's time zone, set with the language: times people read are the event's local times.
_zone: contextvars.ContextVar[str] = contextvars.ContextVar("zone", default=ZONE)


@functools.cache
def translations(language: str) -> NullTranslations:
    """The catalogue of a language, compiled from its .po file (English is the source: none)."""
    path = LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if language == DEFAULT or not path.exists():
        return NullTranslations()
    with path.open("rb") as file:
        catalog = read_po(file, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries are left out: an unchecked guess is not shown
    compiled.seek(0)
    return Translations(compiled)


def supported(language: str | None) -> str | None:
    return language if language in LANGUAGES else None


def current() -> str:
    return _current.get()


@contextlib.contextmanager
def speaking(language: str | None) -> Iterator[str]:
    """Render or raise in `language` for the duration (a socket push, a workbook, a test)."""
    token = _current.set(supported(language) or DEFAULT)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def use(language: str | None, zone: str | None = None) -> None:
    """Set the language (and the event's zone) for the rest of this context: a request."""
    _current.set(supported(language) or DEFAULT)
    if zone:
        _zone.set(zone)


def zone() -> str:
    return _zone.get()


def gettext(message: str, **variables) -> str:
    text = translations(current()).ugettext(message)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, n: int, **variables) -> str:
    text = translations(current()).ungettext(singular, plural, n)
    return text % {"num": format_number(n), **variables}


def pgettext(context: str, message: str, **variables) -> str:
    """For one English word with two meanings ("Open" the phase, "open" the verb)."""
    text = translations(current()).upgettext(context, message)
    return text % variables if variables else text


_ = gettext


def N_(message: str) -> str:
    """Marks a string for the catalogue where it is defined (a label in a table of constants);
    it is translated where it is shown, with gettext on the value."""
    return message


class Translated(Mapping):
    """A table of English labels (sectors, phases) read in the current language."""

    def __init__(self, labels: Mapping[str, str]):
        self.labels = labels

    def __getitem__(self, key):
        return gettext(self.labels[key])

    def __iter__(self):
        return iter(self.labels)

    def __len__(self):
        return len(self.labels)


def negotiate(accept_language: str | None, offered=None) -> str | None:
    """The best of `offered` (default: every language) for an Accept-Language header."""
    offered = list(offered or LANGUAGES)
    wanted = []
    for part in (accept_language or "").split(","):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            wanted.append((quality, tag.strip()))
    preferred = [tag.replace("_", "-") for _q, tag in sorted(wanted, key=lambda item: -item[0])]
    # Babel matches "fr-BE" to "fr" when no regional catalogue is offered.
    return negotiate_locale(preferred, offered, sep="-")


def country_names() -> dict[str, str]:
    """Countries named in the current language, in its alphabetical order (pycountry's list
    decides which codes exist; Babel's data how each language writes them)."""
    territories = _locale().territories
    names = {code: territories.get(code, english) for code, english in COUNTRIES.items()}
    return dict(sorted(names.items(), key=lambda item: _sort_key(item[1])))


def _sort_key(name: str) -> str:
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if not unicodedata.combining(c))


# English dates the European way (26 November, 24-hour clock) for a conference in Brussels.
_FORMATS = {"en": "en_GB"}


def _locale() -> Locale:
    return Locale.parse(_FORMATS.get(current(), current()))


def format_number(value) -> str:
    return format_decimal(value, locale=_locale())


def and_list(items) -> str:
    """'A, B and C' the way the reader's language joins a list ('A, B et C', 'A, B und C')."""
    from babel.lists import format_list
    return format_list(list(items), locale=_locale()) if items else ""


def percent(value) -> str:
    return format_percent(value, locale=_locale())


def _as_utc(value: dt.datetime | str) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.rstrip("Z"))
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def date_time(value: dt.datetime | str | None, zone: str | None = None) -> str:
    """A stored UTC time in the event's zone, written the way the reader's language writes it,
    with the zone named: '2 déc. 2026, 10:40 CET'."""
    if value is None or value == "":
        return ""
    at = _as_utc(value).astimezone(ZoneInfo(zone or _zone.get()))
    return f"{_format_skeleton('yMMMd', at, locale=_locale())}, {_format_time(at, 'HH:mm', locale=_locale())} {at.tzname()}"


def short_time(value: dt.datetime | str | None, zone: str | None = None) -> str:
    """'2 Dec 10:40' in English, '2 déc. 10:40' in French: a day and time, in the event's zone;
    a day of another year says which ('26 Nov 2024, 12:30'), or a past session reads as recent."""
    if value is None or value == "":
        return ""
    zone_info = ZoneInfo(zone or _zone.get())
    at = _as_utc(value).astimezone(zone_info)
    time = _format_time(at, 'HH:mm', locale=_locale())
    if at.year != _as_utc(clock.now()).astimezone(zone_info).year:
        return f"{_format_skeleton('yMMMd', at, locale=_locale())}, {time}"
    return f"{_format_skeleton('MMMd', at, locale=_locale())} {time}"


def time_of_day(value: dt.datetime | str | None, zone: str | None = None, seconds: bool = False) -> str:
    if value is None or value == "":
        return ""
    at = _as_utc(value).astimezone(ZoneInfo(zone or _zone.get()))
    return _format_time(at, "HH:mm:ss" if seconds else "HH:mm", locale=_locale())


def date(value: dt.date | None, form: str = "long") -> str:
    return "" if value is None else _format_date(value, format=form, locale=_locale())


def date_range(start: dt.date, end: dt.date) -> str:
    """'26–27 November 2024', '26–27 novembre 2024', '26.–27. November 2024'."""
    return _format_interval(start, end, "yMMMMd", locale=_locale())


def slot(start: dt.datetime, end: dt.datetime) -> str:
    """An agenda slot as the organisers entered it: 'Tue 26 Nov, 10:30–12:00' in the reader's language."""
    day = _format_skeleton("MMMEd", start, locale=_locale())
    return f"{day}, {_format_time(start, 'HH:mm', locale=_locale())}–{_format_time(end, 'HH:mm', locale=_locale())}"


def written_in(language: str | None) -> tuple[str, str | None]:
    """The language a contribution is written in: the one the author chose in the form, else
    the interface's; and the problem with what was sent, if any."""
    if language in (None, ""):
        return current(), None
    if supported(language):
        return language, None
    return current(), gettext("Choose a language from the list.")


def language_name(code: str | None) -> str:
    """A contribution's language as its tag reads: the language's own name."""
    return LANGUAGES.get(code or "", code or "")
