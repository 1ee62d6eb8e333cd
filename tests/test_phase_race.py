"""Phases hold under concurrency: a burst of phase-gated writes racing a phase change is cut
cleanly by it. Every write accepted is logged before `phase_changed`, none after, on SQLite
and on PostgreSQL (where a check read without the room row's lock let writes through late)."""
from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from builders import build_event, build_member
from consult.amendments import service as amendments
from consult.amendments.models import AmendmentVote
from consult.contributions import service as contributions
from consult.contributions.models import Comment
from consult.engagement import service as engagement
from consult.errors import Conflict
from consult.people.actor import Actor
from consult.accounts.organisers import create_organiser
from consult.rooms import log
from consult.steering import service as steering
from sqlalchemy import func, select

ORGANISER = Actor(organiser_id=1)
BURST = 150


def _world(db, phase: str, members: int):
    world, _ = db.write(build_event, 1, phase)
    db.write(lambda s: create_organiser(s, "race@example.org", "long enough password"))
    people = [db.write(build_member, world["codes"][0], f"P{i}")[0] for i in range(members)]
    return world, world["rooms"][0], people


def _race(db, room_id: int, close_to: str, attempts: list):
    """Fire every attempt at once and move the room to `close_to` 0.15 s in; returns how many
    writes were accepted and the room's log."""
    start = threading.Barrier(len(attempts) + 1)
    accepted = []

    def attempt(fn):
        start.wait()
        try:
            fn()
            accepted.append(1)
        except Conflict:
            pass

    def close():
        start.wait()
        time.sleep(0.15)
        db.write(steering.set_phase, ORGANISER, room_id, phase=close_to)

    with ThreadPoolExecutor(max_workers=len(attempts) + 1) as pool:
        futures = [pool.submit(attempt, fn) for fn in attempts] + [pool.submit(close)]
        for f in futures:
            f.result()
    events = db.read(log.after, room_id, 0, 10_000)
    assert [e.seq for e in events] == list(range(1, len(events) + 1)), "the log has gaps"
    return len(accepted), events


def _assert_cut_clean(events, event_type: str, accepted: int):
    closed_at = next(e.seq for e in events if e.type == "phase_changed")
    after = [e for e in events if e.type == event_type and e.seq > closed_at]
    logged = [e for e in events if e.type == event_type]
    print(f"\n{event_type}: accepted {accepted}, logged {len(logged)}, logged after the close {len(after)}")
    assert after == []
    assert len(logged) == accepted


def test_150_parallel_votes_against_a_close_leave_no_vote_after_the_close(db):
    world, room_id, people = _world(db, "voting", BURST)
    db.write(steering.set_phase, ORGANISER, room_id, phase="open")
    amendment = db.write(amendments.propose, people[0], room_id, paragraph_id=world["paragraphs"][0],
                         kind="replace", text="New words.",
                         rationale="Clearer.", attribution="sector", idempotency_key="race-amendment")[0][0]
    db.write(steering.set_phase, ORGANISER, room_id, phase="voting")
    before = db.read(log.after, room_id, 0, 10_000)[-1].seq
    accepted, events = _race(db, room_id, "closed", [
        (lambda p=p: db.write(amendments.vote, p, amendment["id"], choice="agree")) for p in people])
    events = [e for e in events if e.seq > before]
    _assert_cut_clean(events, "amendment_voted", accepted)
    stored = db.read(lambda s: s.scalar(select(func.count()).select_from(AmendmentVote)
                                        .where(AmendmentVote.amendment_id == amendment["id"])))
    assert stored == accepted
    assert accepted > 0


def test_150_parallel_comments_against_a_close_leave_no_comment_after_the_close(db):
    world, room_id, people = _world(db, "open", 10)
    accepted, events = _race(db, room_id, "closed", [
        (lambda i=i: db.write(contributions.post_comment, people[i % 10], room_id, text=f"Comment {i}",
                              idempotency_key=f"race-comment-{i}"))
        for i in range(BURST)])
    _assert_cut_clean([e for e in events if e.type != "member_joined"], "comment_posted", accepted)
    stored = db.read(lambda s: s.scalar(select(func.count()).select_from(Comment).where(Comment.room_id == room_id)))
    assert stored == accepted


@pytest.mark.parametrize("action", ["support", "react"])
def test_parallel_supports_and_reactions_against_a_close_stop_at_the_close(db, action):
    world, room_id, people = _world(db, "open", 60)
    comment = db.write(contributions.post_comment, people[0], room_id, text="Support me",
                       idempotency_key="race-support-me")[0][0]
    if action == "support":
        attempts = [(lambda p=p: db.write(contributions.set_support, p, comment["id"], on=True)) for p in people[1:]]
        event_type = "support_changed"
    else:
        attempts = [(lambda p=p: db.write(engagement.react, p, room_id, paragraph_id=world["paragraphs"][0],
                                          stance="agree"))
                    for p in people]
        event_type = "reaction_changed"
    accepted, events = _race(db, room_id, "closed", attempts)
    _assert_cut_clean([e for e in events if e.type not in ("member_joined", "comment_posted")], event_type, accepted)
