"""The counts a post is announced with (visible comments in its thread and its room, visible
amendments on its paragraph) are kept per thread by every change of what the room sees, not
counted on each post; after any sequence of posts, replies, amendments, approvals, hides and
restores, in rooms that pre-moderate or not, they equal a recount of the rows. On SQLite and
PostgreSQL."""
from __future__ import annotations

import itertools

from builders import build_event, build_member
from consult.amendments import service as amendments
from consult.amendments.models import Amendment
from consult.contributions import counts
from consult.contributions import service as contributions
from consult.contributions.models import Comment, VisibleCount
from consult.moderation import service as moderation
from consult.people.actor import Actor
from consult.rooms.models import Room
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

ORGANISER = Actor(organiser_id=1)
_keys = itertools.count()

# Each step: what to do, and which room, paragraph, author or earlier item it picks.
STEPS = st.lists(st.one_of(
    st.tuples(st.just("comment"), st.integers(0, 1), st.integers(0, 2), st.integers(0, 2)),  # room, paragraph (2: general), author
    st.tuples(st.just("reply"), st.integers(0, 99), st.integers(0, 2)),  # parent, author
    st.tuples(st.just("amend"), st.integers(0, 1), st.integers(0, 1), st.integers(0, 2)),
    st.tuples(st.just("hide"), st.sampled_from(["comment", "amendment"]), st.integers(0, 99)),
    st.tuples(st.just("restore"), st.sampled_from(["comment", "amendment"]), st.integers(0, 99)),
    st.tuples(st.just("premoderate"), st.integers(0, 1), st.booleans()),
), max_size=30)


def recount(session, room_ids) -> dict:
    """Per (room, thread): visible comments and amendments, counted from the rows."""
    found: dict = {}
    for model, column in ((Comment, 0), (Amendment, 1)):
        for room_id, paragraph_id, n in session.execute(
                select(model.room_id, model.paragraph_id, func.count()).where(
                    model.room_id.in_(room_ids), model.visibility == "visible")
                .group_by(model.room_id, model.paragraph_id)):
            found.setdefault((room_id, paragraph_id or counts.GENERAL), [0, 0])[column] = n
    return found


def kept(session, room_ids) -> dict:
    return {(r.room_id, r.paragraph_id): [r.comments, r.amendments] for r in session.scalars(
        select(VisibleCount).where(VisibleCount.room_id.in_(room_ids))) if r.comments or r.amendments}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_kept_counts_equal_a_recount_after_any_sequence(db, steps):
    world, _ = db.write(build_event)
    rooms, paragraphs = world["rooms"], world["paragraphs"]
    people = [db.write(build_member, code, f"P{i}")[0] for code in world["codes"] for i in range(3)]
    made = {"comment": [], "amendment": []}
    for step in steps:
        what = step[0]
        if what == "comment":
            _, r, p, a = step
            (view, _), events = db.write(contributions.post_comment, people[3 * r + a], rooms[r], text="A point",
                                         paragraph_id=paragraphs[p] if p < 2 else None,
                                         idempotency_key=f"count-{next(_keys):08d}")
            made["comment"].append((view["id"], r))
            announced = [e.payload for e in events if e.type == "comment_posted"]
            if announced:  # what the room is told equals a recount at that moment
                truth = db.read(recount, [rooms[r]])
                thread = (rooms[r], view["paragraph_id"] or counts.GENERAL)
                assert announced[0]["thread_count"] == truth.get(thread, [0, 0])[0]
                assert announced[0]["room_count"] == sum(c for (room, _), (c, _) in truth.items() if room == rooms[r])
        elif what == "reply" and made["comment"]:
            _, i, a = step
            parent, r = made["comment"][i % len(made["comment"])]
            (view, _), _ = db.write(contributions.post_comment, people[3 * r + a], rooms[r], text="A reply",
                                    parent_id=parent, idempotency_key=f"count-{next(_keys):08d}")
            made["comment"].append((view["id"], r))
        elif what == "amend":
            _, r, p, a = step
            (view, _), events = db.write(amendments.propose, people[3 * r + a], rooms[r], paragraph_id=paragraphs[p],
                                         kind="replace", text=f"New text {next(_keys)}.", rationale="Clearer.",
                                         idempotency_key=f"count-{next(_keys):08d}")
            made["amendment"].append((view["id"], r))
            for payload in (e.payload for e in events if e.type == "amendment_proposed"):
                assert payload["paragraph_count"] == db.read(recount, [rooms[r]])[rooms[r], paragraphs[p]][1]
        elif what in ("hide", "restore") and made[step[1]]:
            _, kind, i = step
            target = made[kind][i % len(made[kind])][0]
            if what == "hide":
                db.write(moderation.hide, ORGANISER, target_type=kind, target_id=target, reason="Off topic")
            else:
                db.write(moderation.restore, ORGANISER, target_type=kind, target_id=target)
        elif what == "premoderate":
            _, r, on = step

            def premoderate(session, room_id=rooms[r], on=on):
                session.get(Room, room_id).premoderation = on
            db.write(premoderate)
    assert db.read(kept, rooms) == db.read(recount, rooms)
