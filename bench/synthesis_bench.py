"""The synthesis at conference scale: 2,000 participants, 20,000 reactions and votes and
5,000 comments over the demo's eight rooms. Times the first build (queries, agreement by
sector, opinion groups, themes), a second call (the cache), and, as the bare reference in the
same run, fetching the same rows with plain SQL and nothing else. Target: the build under 10 s.

    .venv/bin/python bench/synthesis_bench.py [--people N] [--reactions N] [--votes N] [--comments N]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "platform"))

from sqlalchemy import insert, select, text, update  # noqa: E402

from consult.amendments.models import Amendment, AmendmentVote  # noqa: E402
from consult.cli import prepare  # noqa: E402
from consult.contributions.models import Comment  # noqa: E402
from consult.documents.models import Paragraph  # noqa: E402
from consult.engagement.models import Reaction  # noqa: E402
from consult.people.actor import Actor  # noqa: E402
from consult.people.models import SECTORS, Participant  # noqa: E402
from consult.rooms.models import Membership, Room, RoomSection  # noqa: E402
from consult.settings import Settings  # noqa: E402
from consult.synthesis import data, service  # noqa: E402
from consult.synthesis.themes import themes  # noqa: E402

SLUG = "drug-violence-2024"
SAYINGS = [t for g in json.loads((ROOT / "tests/data/paraphrases.json").read_text())["groups"] for t in g["texts"]]
TAILS = ["", " In our city this is urgent.", " We see it every week.", " The text should say so.",
         " This came up in every session.", " Evidence from our region supports this."]


def seed(url: str, people: int, reactions: int, votes: int, comments: int) -> None:
    db = prepare(Settings(database_url=url, secret_key="bench", argon2_time_cost=1, argon2_memory_kib=1024))
    rng = random.Random(16)
    now = dt.datetime(2024, 11, 26, 10)

    def fill(session):
        rooms = [r.id for r in session.scalars(select(Room).order_by(Room.id))]
        paragraphs = {r: list(session.scalars(select(Paragraph.id).join(
            RoomSection, RoomSection.section_id == Paragraph.section_id).where(RoomSection.room_id == r)))
            for r in rooms}
        session.execute(insert(Participant), [
            {"event_id": 1, "name": f"Person {i}", "organisation": "Org", "sector": rng.choice(list(SECTORS)),
             "country": "BE", "token_hash": f"bench{i:010d}", "created_at": now} for i in range(people)])
        pids = list(session.scalars(select(Participant.id).order_by(Participant.id)))[-people:]
        home = {p: rooms[i % len(rooms)] for i, p in enumerate(pids)}
        leaning = {p: rng.choice([-1, 1]) for p in pids}
        session.execute(insert(Membership), [{"room_id": home[p], "participant_id": p, "role": "participant",
                                              "joined_at": now} for p in pids])
        polarity = {pid: rng.choice([0, 1, -1]) for ps in paragraphs.values() for pid in ps}
        seen, rows = set(), []
        while len(rows) < reactions:
            p = rng.choice(pids)
            para = rng.choice(paragraphs[home[p]])
            if (p, para) in seen:
                continue
            seen.add((p, para))
            lean = polarity[para] * leaning[p]
            stance = rng.choice(["agree", "agree", "pass"]) if lean == 0 else (
                "agree" if (lean > 0) == (rng.random() < 0.85) else "disagree")
            rows.append({"room_id": home[p], "paragraph_id": para, "participant_id": p, "stance": stance,
                         "needs_discussion": rng.random() < 0.05, "updated_at": now})
        session.execute(insert(Reaction), rows)
        amendments = []
        for i in range(votes // 50):
            room = rooms[i % len(rooms)]
            amendments.append({"room_id": room, "paragraph_id": rng.choice(paragraphs[room]), "kind": "replace",
                               "text": rng.choice(SAYINGS), "rationale": rng.choice(SAYINGS) + rng.choice(TAILS),
                               "original": "", "author_id": rng.choice(pids), "attribution": "sector",
                               "idempotency_key": f"a{i:08d}", "status": "pending", "agree": 0, "disagree": 0,
                               "abstain": 0, "visibility": "visible", "created_at": now})
        session.execute(insert(Amendment), amendments)
        amendment_rows = session.execute(select(Amendment.id, Amendment.room_id)).all()
        members = {}
        for p, r in home.items():
            members.setdefault(r, []).append(p)
        seen, rows = set(), []
        while len(rows) < votes:
            a, r = rng.choice(amendment_rows)
            p = rng.choice(members[r])
            if (a, p) in seen:
                continue
            seen.add((a, p))
            rows.append({"amendment_id": a, "participant_id": p, "updated_at": now,
                         "choice": rng.choice(["agree", "disagree", "abstain"]) if leaning[p] < 0 else "agree"})
        session.execute(insert(AmendmentVote), rows)
        rows = []
        for i in range(comments):
            p = rng.choice(pids)
            rows.append({"room_id": home[p], "paragraph_id": rng.choice(paragraphs[home[p]]), "parent_id": None,
                         "author_id": p, "attribution": "sector", "text": rng.choice(SAYINGS) + rng.choice(TAILS),
                         "idempotency_key": f"c{i:09d}", "support": 0, "taken_into_account": False,
                         "visibility": "visible", "created_at": now})
        session.execute(insert(Comment), rows)
        session.execute(update(Room).values(last_seq=Room.last_seq + 1))

    db.write(fill)
    db.dispose()


def timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--reactions", type=int, default=15000)
    parser.add_argument("--votes", type=int, default=5000)
    parser.add_argument("--comments", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        _, seconds = timed(seed, url, args.people, args.reactions, args.votes, args.comments)
        print(f"seeded {args.people} people, {args.reactions} reactions, {args.votes} votes, {args.comments} comments "
              f"in {seconds:.1f} s")
        from consult.db import Database
        db = Database(url)
        organiser = Actor(organiser_id=1)

        def bare(session):
            return [len(session.execute(text(q)).all()) for q in (
                "SELECT participant_id, paragraph_id, stance FROM reactions",
                "SELECT participant_id, amendment_id, choice FROM amendment_votes",
                "SELECT id, text FROM comments", "SELECT id, sector FROM participants")]

        counts, reference = timed(db.read, bare)
        loaded, load_s = timed(db.read, lambda s: data.load(s, 1))
        _, agreement_s = timed(service.agreement, loaded)
        titles = {i.key: i.title for i in loaded.items}
        groups, groups_s = timed(service.opinions, loaded, titles)
        _, themes_s = timed(themes, [w.text for w in loaded.writing])
        built, first = timed(db.read, service.synthesis, organiser, SLUG)
        _, second = timed(db.read, service.synthesis, organiser, SLUG)
        print(f"bare reference (plain SQL fetch of the same {sum(counts)} rows): {reference:.2f} s")
        print(f"  parts: queries {load_s:.2f} s, agreement {agreement_s:.2f} s, "
              f"groups {groups_s:.2f} s (k={groups['k']}, {groups['on_map']} on the map), "
              f"themes {themes_s:.2f} s ({len(loaded.writing)} texts)")
        print(f"synthesis, first build: {first:.2f} s  ({first / reference:.0f}x the bare fetch)  "
              f"target < 10 s: {'met' if first < 10 else 'MISSED'}")
        print(f"synthesis, second call (cached until the next change): {second * 1000:.1f} ms")
        print(f"{len(built['items'])} items, {len(built['themes'])} themes, "
              f"{len(built['most_divisive'])} significant splits listed")
        db.dispose()


if __name__ == "__main__":
    main()
