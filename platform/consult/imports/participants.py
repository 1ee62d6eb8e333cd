"""Importing registered participants from a spreadsheet: each gets a personal link, and a
room membership when the row names a room.

Every row is checked before anything is written, and every problem is reported at once, so
an organiser fixes the file in one go and a bad file changes nothing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.access import require_organiser
from consult import clock
from consult.audit import service as audit
from consult.conference.models import ConferenceSession
from consult.conference.service import event_id as find_event_id
from consult.errors import Invalid
from consult.imports.files import Problem, Row, map_columns, refuse_if_problems
from consult.people.actor import Actor
from consult.people.models import SECTORS, Participant
from consult.i18n import COUNTRIES
from consult.people.service import normalise_code
from consult.people.tokens import new_token, token_hash
from consult.rooms import log
from consult.rooms.models import ROLES, Membership, Room
from consult.rooms.service import member_count
from consult.text import clean_line
from consult.i18n import N_
from consult.i18n import _

COLUMNS = ("name", "email", "organisation", "sector", "country", "role")
OPTIONAL_COLUMNS = ("room",)
MAX_ROWS = 5000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_SECTOR_KEYS = {**{key: key for key in SECTORS}, **{label.lower(): key for key, label in SECTORS.items()}}


@dataclass(frozen=True)
class Registration:
    """A checked row, ready to become a participant."""

    name: str
    email: str
    organisation: str
    sector: str
    country: str
    role: str
    room: Room | None

IMPORTING = N_("import participants")  # what require_organiser says was refused


def import_participants(session: Session, actor: Actor, event_slug: str, *, rows: list[Row],
                        source: str = "") -> list[dict]:
    """Create everyone in the sheet, or no one. Returns each person with their personal token,
    which exists only here: the database keeps its hash."""
    require_organiser(actor, doing=IMPORTING)
    event_id = find_event_id(session, event_slug)
    registrations = check_rows(rows, _rooms_by_code(session, event_id), _registered_emails(session, event_id))
    people = do_import(session, event_id, registrations)
    # People with e-mail addresses entered the database: the log says how many, from which file.
    audit.record(session, actor, "import.participants", event_id=event_id, file=clean_line(source)[:200] or "a spreadsheet",
                 people=len(people), placed=sum(1 for r in registrations if r.room),
                 rapporteurs=sum(1 for r in registrations if r.role == "rapporteur"))
    return people


def check_rows(rows: list[Row], rooms: dict[str, Room], registered: set[str]) -> list[Registration]:
    if not rows:
        raise Invalid(_("The sheet is empty. Its first row must name the columns: %(columns)s.",
                        columns=", ".join(COLUMNS + OPTIONAL_COLUMNS)))
    header, *body = rows
    columns = map_columns(header, COLUMNS, OPTIONAL_COLUMNS)
    if not body:
        raise Invalid(_("The sheet has its column names but no participants below them."))
    registrations, problems, first_row_of = [], [], {}
    for row in body:
        values = {name: row.get(columns.get(name)) for name in COLUMNS + OPTIONAL_COLUMNS}
        registration, row_problems = _check_row(row.number, values, rooms)
        problems += row_problems + _repeated_email(row.number, _email(values["email"]), first_row_of, registered)
        if registration:
            registrations.append(registration)
    refuse_if_problems(problems)
    return registrations


def _repeated_email(number: int, email: str, first_row_of: dict[str, int], registered: set[str]) -> list[Problem]:
    """Each person once, in the file and in the event; remembers the row where each email came first."""
    if not email:
        return []
    if email in first_row_of:
        return [Problem(number, "email", _("Same email as row %(row)s: each person may appear only once.",
                                           row=first_row_of[email]))]
    first_row_of[email] = number
    if email in registered:
        return [Problem(number, "email", _("Someone with this email is already registered for the event."))]
    return []


def _email(value: str) -> str:
    # Stored lower-case, so the unique index on (event, email) ignores case too.
    return clean_line(value).lower()


def _check_row(number: int, values: dict[str, str],
               rooms: dict[str, Room]) -> tuple[Registration | None, list[Problem]]:
    name, organisation = clean_line(values["name"]), clean_line(values["organisation"])
    email = _email(values["email"])
    sector = _SECTOR_KEYS.get(clean_line(values["sector"]).lower())
    country = clean_line(values["country"]).upper()
    role = clean_line(values["role"]).lower() or "participant"
    room_code = normalise_code(values["room"])
    room = rooms.get(room_code)
    found = [
        _problem(number, "name", not name, N_("The name is empty.")),
        _problem(number, "name", len(name) > 80, N_("The name is longer than 80 characters.")),
        _problem(number, "email", not _EMAIL.match(email) or len(email) > 254,
                 N_("%(value)s is not an email address."), value=values["email"]),
        _problem(number, "organisation", len(organisation) > 120, N_("The organisation is longer than 120 characters.")),
        # The file's values are English whatever the page's language: the sectors are named so.
        _problem(number, "sector", sector is None, N_("%(value)s is not a sector. Use one of: %(sectors)s."),
                 value=values["sector"], sectors=", ".join(SECTORS.values())),
        _problem(number, "country", country not in COUNTRIES,
                 N_("%(value)s is not a country code. Use the two-letter code, such as BE or DE."),
                 value=values["country"]),
        _problem(number, "role", role not in ROLES, N_("%(value)s is not a role. Use participant or rapporteur."),
                 value=values["role"]),
        _problem(number, "role", role == "rapporteur" and not room_code,
                 N_("A rapporteur needs a room: add the room's code.")),
        _problem(number, "room", bool(room_code) and room is None,
                 N_("No room of this event has the code %(value)s."), value=values["room"]),
    ]
    problems = [p for p in found if p]
    if problems:
        return None, problems
    return Registration(name, email, organisation, sector, country, role, room), []


def _quoted(value: str) -> str:
    return _("“%(value)s”", value=value) if value else _("An empty cell")


def _problem(row: int, column: str, wrong: bool, message: str, value: str | None = None, **more) -> Problem | None:
    """A problem in the reader's words, written only when there is one (`value` quoted)."""
    if not wrong:
        return None
    return Problem(row, column, _(message, **more, **({} if value is None else {"value": _quoted(value)})))


def _rooms_by_code(session: Session, event_id: int) -> dict[str, Room]:
    rooms = session.scalars(select(Room).join(ConferenceSession).where(ConferenceSession.event_id == event_id))
    return {room.code: room for room in rooms}


def _registered_emails(session: Session, event_id: int) -> set[str]:
    return set(session.scalars(select(Participant.email).where(
        Participant.event_id == event_id, Participant.email.is_not(None))))


def do_import(session: Session, event_id: int, registrations: list[Registration]) -> list[dict]:
    now = clock.now()
    tokens = [new_token() for _ in registrations]
    people = [Participant(event_id=event_id, name=r.name, email=r.email, organisation=r.organisation,
                          sector=r.sector, country=r.country, token_hash=token_hash(token), created_at=now)
              for r, token in zip(registrations, tokens)]
    session.add_all(people)
    session.flush()
    _add_memberships(session, [(p, r) for p, r in zip(people, registrations) if r.room])
    return [{"name": r.name, "organisation": r.organisation, "sector": r.sector, "sector_label": SECTORS[r.sector],
             "room": r.room.name if r.room else None, "role": r.role, "token": token}
            for r, token in zip(registrations, tokens)]


def _add_memberships(session: Session, placed: list[tuple[Participant, Registration]]) -> None:
    now = clock.now()
    session.add_all([Membership(room_id=r.room.id, participant_id=p.id, role=r.role, joined_at=now)
                     for p, r in placed])
    session.flush()
    # Open room pages learn of their new members and rapporteurs like they do of any join.
    for room_id in sorted({r.room.id for _, r in placed}):
        log.record(session, room_id, "member_joined", {"members": member_count(session, room_id)})
    for p, r in placed:
        if r.role == "rapporteur":
            log.record(session, r.room.id, "rapporteur_assigned", {"name": p.name})
