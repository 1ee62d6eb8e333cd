"""kill -9 in the middle of a burst: real server processes (two workers on PostgreSQL, one on
SQLite) are killed without warning while 400 posts arrive, and started again on the same
port. Clients retry what was not acknowledged with the same idempotency key. Every post
acknowledged is stored exactly once, every post retried is stored once, and the log is gapless."""
from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx2 as httpx
import pytest
from conftest_server import free_port, launch
from pg_cluster import cluster  # noqa: F401 (the fixture)
from sqlalchemy import create_engine, text

# Real server processes and a private cluster, restarted mid-burst: minutes on a busy machine.
pytestmark = pytest.mark.timeout(360)

CODE, PEOPLE, POSTS, SPACING_S = "K7MPQ2", 40, 400, 0.01


def _post(base, token, room_id, key, body, log, deadline):
    with httpx.Client(base_url=base, timeout=10) as client:
        while time.time() < deadline:
            try:
                response = client.post(f"/api/v1/rooms/{room_id}/comments", json={"text": body},
                                       headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key})
            except httpx.TransportError:
                log.append(("transport", time.time()))
                time.sleep(0.2)
                continue
            log.append((response.status_code, time.time()))
            if response.status_code in (200, 201):
                return time.time()
            if response.status_code in (429, 503):
                time.sleep(min(float(response.headers.get("retry-after", 1)), 1.0))
                continue
            raise AssertionError(f"{response.status_code}: {response.text}")
    return None


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_kill_9_during_a_burst_stores_every_post_once(database, tmp_path, request):
    if database == "postgresql":
        url = request.getfixturevalue("cluster").url
        env, args = {"DATABASE_URL": url, "BROADCAST_URL": url}, ("--workers", "2")
    else:
        url = f"sqlite:///{tmp_path / 'kill.db'}"
        env, args = {"DATABASE_URL": url}, ()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = launch(tmp_path, port, *args, **env)
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            joined = [client.post("/api/v1/rooms/join", json={
                "code": CODE, "name": f"Kill {i}", "organisation": "", "sector": "health",
                "country": "BE"}).json() for i in range(PEOPLE)]
        room_id = joined[0]["room_id"]
        posts = [(joined[n % PEOPLE]["token"], f"kill-{uuid.uuid4().hex}", f"Kill post {n}") for n in range(POSTS)]
        log: list = []
        start, killed_at = time.time(), {}
        deadline = start + 90

        def one(n):
            token, key, body = posts[n]
            time.sleep(max(0.0, start + n * SPACING_S - time.time()))
            return key, _post(base, token, room_id, key, body, log, deadline)

        def kill_and_restart():
            nonlocal proc
            # In the middle of the burst, however slow the machine: once 50 posts are in.
            while sum(1 for status, _ in log if status in (200, 201)) < 50 and time.time() < deadline:
                time.sleep(0.01)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
            killed_at["t"] = time.time()
            proc = launch(tmp_path, port, *args, **env)

        killer = threading.Thread(target=kill_and_restart)
        killer.start()
        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(one, range(POSTS)))
        killer.join()
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(15)
        except (ProcessLookupError, ChildProcessError):
            pass

    engine = create_engine(url)
    with engine.connect() as conn:
        stored = dict(conn.execute(text("SELECT idempotency_key, count(*) FROM comments "
                                        "WHERE idempotency_key LIKE 'kill-%' GROUP BY idempotency_key")).all())
        seqs = [s for (s,) in conn.execute(text("SELECT seq FROM room_events WHERE room_id = :r ORDER BY seq"),
                                           {"r": room_id})]
        last_seq = conn.execute(text("SELECT last_seq FROM rooms WHERE id = :r"), {"r": room_id}).scalar_one()
    engine.dispose()
    acknowledged = {key: at for key, at in results if at is not None}
    before_kill = [k for k, at in acknowledged.items() if at < killed_at["t"]]
    failed_attempts = sum(1 for status, _ in log if status == "transport")
    duplicated = sum(n - 1 for n in stored.values() if n > 1)
    lost = len([k for k in acknowledged if k not in stored])
    print(f"\nkill -9 on {database} ({'2 workers' if args else '1 worker'}) during {POSTS} posts: acknowledged "
          f"{len(acknowledged)} ({len(before_kill)} before the kill), attempts cut off {failed_attempts}, "
          f"stored {sum(stored.values())}, duplicated {duplicated}, lost {lost}; first acknowledged "
          f"{min(acknowledged.values()) - start:.2f} s in, killed {killed_at['t'] - start:.2f} s in")
    assert failed_attempts > 0 and before_kill, "the kill should come in the middle of the burst"
    assert len(acknowledged) == POSTS
    assert duplicated == 0 and lost == 0 and sum(stored.values()) == POSTS
    assert 500 not in {status for status, _ in log}
    assert seqs == list(range(1, last_seq + 1)), "the room's log has a gap"
