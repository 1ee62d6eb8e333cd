"""Comments and support through the services, on SQLite and PostgreSQL."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from builders import build_event, build_member
from consult.access import in_room
from consult.contributions import service
from consult.errors import Conflict, Forbidden, Invalid, NotFound
from consult.people.actor import Actor
from consult.rooms import log
from consult.rooms.models import Room, RoomEvent
from sqlalchemy import select


@pytest.fixture
def room(db):
    world, _ = db.write(build_event)
    anna, _ = db.write(build_member, world["codes"][0], "Anna")
    return dict(world, anna=anna)


def post(db, actor, room_id, text="A point", key="key-00000001", **kw):
    return db.write(service.post_comment, actor, room_id, text=text, idempotency_key=key, **kw)


def test_comment_on_a_paragraph_is_logged_with_its_thread_count(db, room):
    (comment, created), events = post(db, room["anna"], room["rooms"][0], "  Needs a clearer scope. ",
                                      paragraph_id=room["paragraphs"][0], attribution="name")
    assert created and comment["text"] == "Needs a clearer scope."
    assert comment["author"] == "Anna (Health services, BE)"
    assert [(e.type, e.seq) for e in events] == [("comment_posted", 2)]  # seq 1 was Anna joining
    assert events[0].payload["thread_count"] == 1 and events[0].payload["room_count"] == 1


def test_sector_attribution_hides_the_name_everywhere(db, room):
    (comment, _), events = post(db, room["anna"], room["rooms"][0], attribution="sector")
    assert comment["author"] == "Health services, BE"
    assert "Anna" not in repr(events[0].payload)
    listed = db.read(in_room, room["anna"], room["rooms"][0], service.list_comments)
    assert "Anna" not in repr(listed)


def test_a_retry_with_the_same_key_returns_the_first_comment(db, room):
    (first, created), _ = post(db, room["anna"], room["rooms"][0], "Once", key="retry-key-1")
    (again, created_again), events = post(db, room["anna"], room["rooms"][0], "Once", key="retry-key-1")
    assert created and not created_again and again["id"] == first["id"] and events == []
    assert len(db.read(in_room, room["anna"], room["rooms"][0], service.list_comments)) == 1


def test_replies_are_one_level_deep(db, room):
    (top, _), _ = post(db, room["anna"], room["rooms"][0], "Top", key="k-top-0001", paragraph_id=room["paragraphs"][1])
    (reply, _), _ = post(db, room["anna"], room["rooms"][0], "Reply", key="k-rep-0001", parent_id=top["id"])
    (deeper, _), _ = post(db, room["anna"], room["rooms"][0], "Deeper", key="k-rep-0002", parent_id=reply["id"])
    assert reply["parent_id"] == top["id"] and deeper["parent_id"] == top["id"]
    assert reply["paragraph_id"] == deeper["paragraph_id"] == room["paragraphs"][1]
    listed = db.read(in_room, room["anna"], room["rooms"][0], service.list_comments)
    assert [c["text"] for c in listed] == ["Top", "Reply", "Deeper"]


@pytest.mark.parametrize("text, field", [("", "text"), ("   \n ", "text"), ("x" * 2001, "text")])
def test_empty_or_oversized_comments_are_refused_with_a_reason(db, room, text, field):
    with pytest.raises(Invalid) as error:
        post(db, room["anna"], room["rooms"][0], text)
    assert field in error.value.fields
    assert db.read(in_room, room["anna"], room["rooms"][0], service.list_comments) == []


def test_control_characters_are_dropped_and_html_is_kept_as_text(db, room):
    (comment, _), _ = post(db, room["anna"], room["rooms"][0], "<b hx-get='/x'>bold</b>\x00\x07 ok")
    assert comment["text"] == "<b hx-get='/x'>bold</b> ok"


def test_paragraphs_and_parents_must_belong_to_the_room(db, room):
    with pytest.raises(NotFound):
        post(db, room["anna"], room["rooms"][0], paragraph_id=room["other_paragraphs"][0])
    bob, _ = db.write(build_member, room["codes"][1], "Bob")
    (elsewhere, _), _ = post(db, bob, room["rooms"][1], "In room 2", key="k-bob-0001")
    with pytest.raises(NotFound):
        post(db, room["anna"], room["rooms"][0], parent_id=elsewhere["id"])


def test_only_members_take_part_and_outsiders_cannot_read(db, room):
    bob, _ = db.write(build_member, room["codes"][1], "Bob")
    with pytest.raises(Forbidden):
        post(db, bob, room["rooms"][0])
    with pytest.raises(Forbidden):
        db.read(in_room, bob, room["rooms"][0], service.list_comments)
    with pytest.raises(Forbidden):
        post(db, Actor(organiser_id=1), room["rooms"][0])


@pytest.mark.parametrize("phase", ["setup", "voting", "closed"])
def test_comments_only_while_the_room_is_open(db, room, phase):
    def set_phase(session):
        session.get(Room, room["rooms"][0]).phase = phase
    db.write(set_phase)
    with pytest.raises(Conflict):
        post(db, room["anna"], room["rooms"][0])


def test_support_is_one_per_person_and_setting_twice_counts_once(db, room):
    (comment, _), _ = post(db, room["anna"], room["rooms"][0])
    bob, _ = db.write(build_member, room["codes"][0], "Bob")
    first, events = db.write(service.set_support, bob, comment["id"], on=True)
    again, no_events = db.write(service.set_support, bob, comment["id"], on=True)
    assert first["support"] == again["support"] == 1
    assert [e.payload for e in events] == [{"comment_id": comment["id"], "support": 1}] and no_events == []
    cleared, _ = db.write(service.set_support, bob, comment["id"], on=False)
    assert cleared["support"] == 0
    assert db.read(in_room, bob, room["rooms"][0], service.supported_by) == set()


def test_support_from_another_room_is_refused(db, room):
    (comment, _), _ = post(db, room["anna"], room["rooms"][0])
    bob, _ = db.write(build_member, room["codes"][1], "Bob")
    with pytest.raises(Forbidden):
        db.write(service.set_support, bob, comment["id"], on=True)
    with pytest.raises(NotFound):
        db.write(service.set_support, bob, 999999, on=True)


def test_thirty_concurrent_supports_are_counted_exactly_with_a_gapless_log(db, room):
    (comment, _), _ = post(db, room["anna"], room["rooms"][0])
    people = [db.write(build_member, room["codes"][0], f"P{i}")[0] for i in range(30)]
    with ThreadPoolExecutor(max_workers=30) as pool:
        results = list(pool.map(lambda actor: db.write(service.set_support, actor, comment["id"], on=True), people))
    assert sorted(r["support"] for r, _ in results) == list(range(1, 31))
    listed = db.read(in_room, room["anna"], room["rooms"][0], service.list_comments)
    assert listed[0]["support"] == 30
    seqs = db.read(lambda s: list(s.scalars(select(RoomEvent.seq).where(
        RoomEvent.room_id == room["rooms"][0]).order_by(RoomEvent.seq))))
    assert seqs == list(range(1, len(seqs) + 1))
    assert db.read(lambda s: s.get(Room, room["rooms"][0]).last_seq) == len(seqs)


def test_concurrent_retries_of_one_post_make_one_comment(db, room):
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda _: post(db, room["anna"], room["rooms"][0], "Same", key="same-key-42"), range(8)))
    assert len({comment["id"] for (comment, _), _ in results}) == 1
    assert sum(created for (_, created), _ in results) == 1


def test_the_log_replays_exactly_what_came_after_a_sequence(db, room):
    for i in range(5):
        post(db, room["anna"], room["rooms"][0], f"c{i}", key=f"key-log-{i:04d}")
    events = db.read(log.after, room["rooms"][0], 3, 100)
    assert [e.seq for e in events] == [4, 5, 6]
    assert [e.payload["comment"]["text"] for e in events] == ["c2", "c3", "c4"]
