"""Joining by code, identities and organiser accounts."""
from __future__ import annotations

import pytest
from builders import build_event
from consult.errors import Invalid, NotFound, Unauthorized
from consult.accounts import joining, organisers
from consult.people import service
from consult.people.models import Participant
from consult.people.actor import Actor


@pytest.fixture
def world(db):
    return db.write(build_event)[0]


def test_join_by_code_ignores_case_spaces_and_dashes(db, world):
    code = world["codes"][0]
    (participant, member, token), events = db.write(
        joining.join, Actor(), code=f" {code[:3].lower()}-{code[3:]} ", name="Ana", organisation="City of Ghent",
        sector="local_authority", country="be")
    assert member.room_id == world["rooms"][0] and participant.country == "BE"
    assert token and participant.token_hash != token  # only the hash is stored
    assert [e.type for e in events] == ["member_joined"] and events[0].payload == {"members": 1}
    assert db.read(service.actor_for_token, token) == Actor(participant_id=participant.id)


@pytest.mark.parametrize("field, kwargs", [
    ("name", dict(name="")), ("name", dict(name="x" * 81)), ("sector", dict(sector="police")),
    ("country", dict(country="XX")), ("organisation", dict(organisation="o" * 121)),
])
def test_join_refuses_bad_details_and_keeps_nothing(db, world, field, kwargs):
    values = dict(name="Ana", organisation="", sector="health", country="BE") | kwargs
    with pytest.raises(Invalid) as error:
        db.write(joining.join, Actor(), code=world["codes"][0], **values)
    assert field in error.value.fields
    assert db.read(lambda s: s.query(Participant).filter_by(event_id=world["event_id"]).count()) == 0


def test_unknown_code(db, world):
    with pytest.raises(NotFound):
        db.write(joining.join, Actor(), code="NOPE00", name="Ana", organisation="", sector="health", country="BE")


def test_a_known_participant_joins_a_second_room_as_themselves(db, world):
    (p, _, token), _ = db.write(joining.join, Actor(), code=world["codes"][0], name="Ana", organisation="",
                                sector="health", country="BE")
    (again, member, no_token), _ = db.write(joining.join, Actor(participant_id=p.id), code=world["codes"][1],
                                            name=None, organisation=None, sector=None, country=None)
    assert again.id == p.id and member.room_id == world["rooms"][1] and no_token is None
    assert [r["id"] for r in db.read(joining.rooms_of, p.id)] == world["rooms"]


def test_names_in_results_are_opt_in(db, world):
    (p, _, _), _ = db.write(joining.join, Actor(), code=world["codes"][0], name="Ana", organisation="",
                            sector="health", country="BE")
    assert p.named_in_results is False


def test_organiser_sign_in_and_api_token(db):
    db.write(organisers.create_organiser, "Org@Example.org", "correct horse battery")
    organiser_id = db.read(service.authenticate_organiser, "org@example.org", "correct horse battery")
    with pytest.raises(Unauthorized):
        db.read(service.authenticate_organiser, "org@example.org", "wrong password!")
    with pytest.raises(Unauthorized):
        db.read(service.authenticate_organiser, "nobody@example.org", "correct horse battery")
    token = db.write(service.issue_api_token, organiser_id)[0]["token"]
    assert db.read(service.actor_for_token, token) == Actor(organiser_id=organiser_id)
    assert db.read(service.actor_for_token, "forged") == Actor()


def test_organiser_passwords_must_be_long_enough(db):
    with pytest.raises(Invalid):
        db.write(organisers.create_organiser, "a@example.org", "short")
