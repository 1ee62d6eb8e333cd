"""Access resolved once per page, and the one attribution rule every audience reads from."""
from __future__ import annotations

import itertools

import pytest
from consult.access import signed_as
from consult.db import Database
from consult.people.actor import Actor
from consult.people.models import Participant
from consult.steering import service as steering
from consult.rooms.models import Membership, Room
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from web_helpers import join, room_id

CODE_A = "K7MPQ2"


@pytest.fixture
def statements():
    """Every SQL statement run while the fixture is alive."""
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield seen
    event.remove(Engine, "before_cursor_execute", record)


def membership_checks(statements: list[str]) -> int:
    return sum(1 for s in statements if "FROM memberships" in s and "memberships.participant_id =" in s)


@pytest.mark.parametrize("path", ["", "/projector", "/workbench"])
def test_a_room_page_resolves_access_once(client, settings, statements, path):
    room = room_id(join(client, CODE_A))
    if path:  # the projector and workbench are for whoever steers the room
        db = Database(settings.database_url)
        db.write(_make_rapporteur, room)
        db.dispose()
    statements.clear()
    page = client.get(f"/rooms/{room}{path}")
    assert page.status_code == 200
    assert membership_checks(statements) == 1, [s for s in statements if "memberships" in s]


def _make_rapporteur(session, room: int) -> None:
    member = session.scalar(select(Membership).where(Membership.room_id == room))
    steering.make_rapporteur(session, Actor(organiser_id=1), room, participant_id=member.participant_id)


def _author(named_in_results: bool) -> Participant:
    return Participant(name="Ana Lopes", sector="health", country="PT", named_in_results=named_in_results)


CASES = list(itertools.product(["name", "sector"], [False, True], [False, True]))


@pytest.mark.parametrize("attribution,anonymous,agreed", CASES)
def test_who_sees_a_name(attribution, anonymous, agreed):
    author, room = _author(agreed), Room(anonymous=anonymous)
    seen = {audience: signed_as(author, attribution, room, audience) for audience in ("room", "public", "staff")}
    # Staff moderating always see who wrote it; everyone sees sector and country.
    assert seen["staff"].name == "Ana Lopes"
    assert all("Health services, PT" in s.label for s in seen.values())
    # The room sees a name only where it was signed with it, never in an anonymous room.
    assert (seen["room"].name is not None) == (attribution == "name" and not anonymous)
    # The public sees no more than the room, and a name only with the author's consent.
    assert seen["public"].name in (None, seen["room"].name)
    assert seen["public"].name is None or agreed
    assert (seen["public"].name is not None) == (seen["room"].name is not None and agreed)


def test_a_signature_reads_name_then_where():
    signed = signed_as(_author(True), "name", Room(anonymous=False), "room")
    assert signed.label == "Ana Lopes (Health services, PT)"
    assert signed_as(_author(True), "sector", Room(anonymous=False), "room").label == "Health services, PT"


def test_the_removal_itself_closes_the_removed_members_sockets(settings):
    """The kick is queued by the action and run by Core after commit, so whichever route (or
    any other caller) removes someone, their open sockets close; others' stay open."""
    import asyncio

    from builders import build_event, build_member
    from consult.cli import prepare
    from consult.core import Core
    from consult.moderation import service as moderation

    prepare(settings).dispose()
    core = Core(settings)
    world, _ = core.db.write(build_event)
    room = world["rooms"][0]
    anna, _ = core.db.write(build_member, world["codes"][0], "Anna")
    bob, _ = core.db.write(build_member, world["codes"][0], "Bob")

    async def remove():
        anna_socket = core.hub.subscribe(room, f"p:{anna.participant_id}", "participant")
        bob_socket = core.hub.subscribe(room, f"p:{bob.participant_id}", "participant")
        await core.write(moderation.remove_member, Actor(organiser_id=1), room,
                         participant_id=anna.participant_id, reason="Broke the room's rules")
        return anna_socket, bob_socket

    anna_socket, bob_socket = asyncio.run(remove())
    assert anna_socket not in core.hub.rooms[room] and bob_socket in core.hub.rooms[room]
    core.db.dispose()
