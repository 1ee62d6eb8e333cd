"""Export at scale: seed a consultation of 100,000 comments and 500,000 votes, then time the
workbook export against openpyxl's write-only mode writing the same rows bare, and report the
export's memory growth.

    .venv/bin/python bench/export_bench.py [--comments N] [--votes N] [--db PATH]

Each measurement runs in a fresh process so that the peak memory figure is the export's own.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "platform"))

from consult import migrate  # noqa: E402
from consult.amendments.models import Amendment, AmendmentVote  # noqa: E402
from consult.cli import prepare  # noqa: E402
from consult.contributions.models import Comment, Support  # noqa: E402
from consult.db import Database  # noqa: E402
from consult.people.actor import Actor  # noqa: E402
from consult.people.models import SECTORS, Participant  # noqa: E402
from consult.rooms.models import Membership, Room, RoomSection  # noqa: E402
from consult.settings import Settings  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

SLUG = "drug-violence-2024"
WORDS = ("data violence police health local markets should report indicators community young people "
         "services safety trafficking prevention evidence cooperation").split()


def seed(path: str, comments: int, votes: int) -> None:
    settings = Settings(database_url=f"sqlite:///{path}", secret_key="bench", argon2_time_cost=1, argon2_memory_kib=1024)
    db = prepare(settings)
    rng = random.Random(7)
    now = dt.datetime(2024, 11, 26, 10)

    def fill(session):
        rooms = list(session.scalars(select(Room)))
        paragraphs = {r.id: [p for (p,) in session.execute(
            select(RoomSection.section_id).where(RoomSection.room_id == r.id))] for r in rooms}
        from consult.documents.models import Paragraph
        para_ids = {r.id: list(session.scalars(select(Paragraph.id).where(Paragraph.section_id.in_(paragraphs[r.id]))))
                    for r in rooms}
        people = max(1000, comments // 20)
        session.execute(insert(Participant), [
            {"event_id": 1, "name": f"Person {i}", "organisation": "Org", "sector": rng.choice(list(SECTORS)),
             "country": rng.choice(["BE", "NL", "FR", "DE", "PL", "IT", "ES", "PT"]), "named_in_results": i % 3 == 0,
             "token_hash": f"bench{i:010d}", "created_at": now} for i in range(people)])
        pids = list(session.scalars(select(Participant.id)))
        home = {pid: rooms[i % len(rooms)].id for i, pid in enumerate(pids)}
        session.execute(insert(Membership), [{"room_id": home[pid], "participant_id": pid, "role": "participant",
                                              "joined_at": now} for pid in pids])
        by_room = {}
        for pid, rid in home.items():
            by_room.setdefault(rid, []).append(pid)
        batch = []
        for i in range(comments):
            rid = rooms[i % len(rooms)].id
            batch.append({"room_id": rid, "paragraph_id": rng.choice(para_ids[rid]), "parent_id": None,
                          "author_id": rng.choice(by_room[rid]), "attribution": "sector",
                          "text": " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60))),
                          "idempotency_key": f"k{i:09d}", "support": 0, "taken_into_account": False,
                          "created_at": now + dt.timedelta(seconds=i)})
            if len(batch) == 20000:
                session.execute(insert(Comment), batch)
                batch = []
        if batch:
            session.execute(insert(Comment), batch)
        comment_rows = session.execute(select(Comment.id, Comment.room_id)).all()
        amendments = max(100, comments // 50)
        session.execute(insert(Amendment), [
            {"room_id": rooms[i % len(rooms)].id, "paragraph_id": rng.choice(para_ids[rooms[i % len(rooms)].id]),
             "kind": "replace", "text": "Proposed text " + " ".join(rng.choice(WORDS) for _ in range(30)),
             "rationale": "Because.", "original": "Original text.", "author_id": rng.choice(by_room[rooms[i % len(rooms)].id]),
             "attribution": "sector", "idempotency_key": f"a{i:09d}", "status": "pending", "agree": 0, "disagree": 0,
             "abstain": 0, "created_at": now} for i in range(amendments)])
        amendment_rows = session.execute(select(Amendment.id, Amendment.room_id)).all()
        supports, amendment_votes, seen = votes * 3 // 5, votes - votes * 3 // 5, set()
        batch = []
        while len(seen) < supports:
            cid, rid = rng.choice(comment_rows)
            key = (cid, rng.choice(by_room[rid]))
            if key not in seen:
                seen.add(key)
                batch.append({"comment_id": key[0], "participant_id": key[1], "created_at": now})
        session.execute(insert(Support), batch)
        seen, batch = set(), []
        while len(seen) < amendment_votes:
            aid, rid = rng.choice(amendment_rows)
            key = (aid, rng.choice(by_room[rid]))
            if key not in seen:
                seen.add(key)
                batch.append({"amendment_id": key[0], "participant_id": key[1],
                              "choice": rng.choice(["agree", "disagree", "abstain"]), "updated_at": now})
        session.execute(insert(AmendmentVote), batch)

    db.write(fill)
    db.dispose()


class RssSampler:
    """The process's resident memory, sampled every 20 ms from /proc: the peak above the level
    at start is what the export itself needed (ru_maxrss only knows the lifetime peak)."""

    def __init__(self):
        self.start = self.peak = self.rss()
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def run(self):
        while self.running:
            self.peak = max(self.peak, self.rss())
            time.sleep(0.02)

    def stop(self) -> float:
        self.running = False
        self.thread.join()
        return (self.peak - self.start) / 2**20


def measure(path: str, what: str) -> dict:
    """Runs in a child process: one export (ours, or the same rows written bare)."""
    from consult.conference.models import Event
    from consult.export import service, tables
    from openpyxl import Workbook

    db = Database(f"sqlite:///{path}")
    migrate.upgrade(db.write_engine)  # a database seeded by an older checkout
    if what == "ours":
        sampler = RssSampler()
        start = time.perf_counter()
        out, _ = db.snapshot(service.xlsx, Actor(organiser_id=1), SLUG)
        elapsed = time.perf_counter() - start
    else:
        # The same rows, fetched first (not timed), then written with no guard, style or chart.
        def collect(session):
            event = session.scalar(select(Event).where(Event.slug == SLUG))
            built, _ = tables.all_tables(session, event)
            return [(t.name, [c.title for c in t.columns], list(t.rows)) for t in built]
        data = db.snapshot(collect)
        sampler = RssSampler()
        start = time.perf_counter()
        wb = Workbook(write_only=True)
        for name, header, rows in data:
            ws = wb.create_sheet(name)
            ws.append(header)
            for row in rows:
                ws.append(row)
        handle, out = tempfile.mkstemp(suffix=".xlsx")
        os.close(handle)
        wb.save(out)
        elapsed = time.perf_counter() - start
    size = os.path.getsize(out)
    os.unlink(out)
    return {"seconds": round(elapsed, 2), "rss_growth_mb": round(sampler.stop(), 1), "bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--votes", type=int, default=500_000)
    parser.add_argument("--db", default=None, help="reuse a seeded database at this path")
    parser.add_argument("--measure", choices=["ours", "bare"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.db, args.measure)))
        return
    path = args.db or os.path.join(tempfile.mkdtemp(), "bench.db")
    if not os.path.exists(path):
        start = time.perf_counter()
        seed(path, args.comments, args.votes)
        print(f"seeded {args.comments:,} comments and {args.votes:,} votes in {time.perf_counter() - start:.1f} s ({path})")
    results = {}
    for what in ("bare", "ours"):
        child = subprocess.run([sys.executable, __file__, "--db", path, "--measure", what],
                               capture_output=True, text=True, check=True)
        results[what] = json.loads(child.stdout.strip().splitlines()[-1])
    ours, bare = results["ours"], results["bare"]
    print(f"bare openpyxl write-only, same rows: {bare['seconds']} s, {bare['bytes'] / 1e6:.1f} MB file")
    print(f"our export (queries + guards + styles + charts): {ours['seconds']} s, "
          f"peak memory growth {ours['rss_growth_mb']} MB")
    print(f"ratio ours / bare: {ours['seconds'] / bare['seconds']:.2f} (target at most 1.5; memory target under 50 MB)")


if __name__ == "__main__":
    main()
