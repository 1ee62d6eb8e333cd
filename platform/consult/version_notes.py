"""A version's note in the reader's language.

The note of a room's text version or of a consolidated version is stored as it was written when
the version was made, in English: the API, the workbook and the log keep it so. Pages read it
through here. A note in none of the forms the services write is shown as it is (and so is what
the organisers typed into one: the reason for an edit or a resolution)."""
from __future__ import annotations

import re

from consult.i18n import _, ngettext

_CONSOLIDATED = re.compile(
    r"Consolidated from (?P<rooms>\d+) rooms: (?:(?P<hunks>\d+) conflicts? in (?P<paragraphs>\d+) paragraphs?"
    r"|no conflicts)(?:, (?P<carried>\d+) resolved as before)?(?:, (?P<kept>\d+) organisers' edits? kept)?"
    r"(?:; left out: (?P<out>.*))?")
_EDITED = re.compile(r"Edited (?P<number>\S+) by the organisers: (?P<note>.*)", re.S)
_RESOLVED = re.compile(r"Resolved (?P<number>\S+): (?:conflict (?P<hunk>\d+) of (?P<of>\d+), )?(?P<said>.*)", re.S)
_AMENDMENT = re.compile(r"Amendment (?P<id>\d+) accepted")
_PARTS = re.compile(r"Edited (?P<n>\d+) part\(s\)")
_CHOICES = ((re.compile(r"kept the original wording"), lambda m: _("kept the original wording")),
            (re.compile(r"wrote new words"), lambda m: _("wrote new words")),
            (re.compile(r"wrote a new text"), lambda m: _("wrote a new text")),
            (re.compile(r"deleted the paragraph"), lambda m: _("deleted the paragraph")),
            (re.compile(r"took the wording of (?P<rooms>.+)"), lambda m: _("took the wording of %(rooms)s",
                                                                           rooms=m["rooms"])),
            (re.compile(r"took the text of (?P<room>.+)"), lambda m: _("took the text of %(room)s", room=m["room"])))


def choice_in_words(said: str) -> str:
    for pattern, words in _CHOICES:
        if found := pattern.fullmatch(said):
            return words(found)
    return said


def _consolidated(m: re.Match) -> str:
    hunks, paragraphs = int(m["hunks"] or 0), int(m["paragraphs"] or 0)
    parts = [_("no conflicts") if not hunks else
             ngettext("%(num)s conflict in 1 paragraph", "%(num)s conflicts in 1 paragraph", hunks)
             if paragraphs == 1 else
             ngettext("%(num)s conflict in %(paragraphs)s paragraphs", "%(num)s conflicts in %(paragraphs)s paragraphs",
                      hunks, paragraphs=paragraphs)]
    if m["carried"]:
        parts.append(ngettext("%(num)s resolved as before", "%(num)s resolved as before", int(m["carried"])))
    if m["kept"]:
        parts.append(ngettext("%(num)s organisers' edit kept", "%(num)s organisers' edits kept", int(m["kept"])))
    said = ngettext("Consolidated from %(num)s room: %(what)s", "Consolidated from %(num)s rooms: %(what)s",
                    int(m["rooms"]), what=", ".join(parts))
    return said + ("; " + _("left out: %(rooms)s", rooms=m["out"]) if m["out"] else "")


def in_words(note: str | None) -> str:
    note = note or ""
    if found := _CONSOLIDATED.fullmatch(note):
        return _consolidated(found)
    if found := _EDITED.fullmatch(note):
        return _("Edited %(number)s by the organisers: %(note)s", number=found["number"], note=found["note"])
    if found := _RESOLVED.fullmatch(note):
        said = choice_in_words(found["said"])
        if found["hunk"]:
            said = _("conflict %(n)s of %(of)s, %(said)s", n=found["hunk"], of=found["of"], said=said)
        return _("Resolved %(number)s: %(said)s", number=found["number"], said=said)
    if found := _AMENDMENT.fullmatch(note):
        return _("Amendment %(id)s accepted", id=found["id"])
    if note == "Conclusions edited":
        return _("Conclusions edited")
    if found := _PARTS.fullmatch(note):
        return ngettext("Edited %(num)s part", "Edited %(num)s parts", int(found["n"]))
    return note
