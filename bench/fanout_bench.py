"""Fan-out against a bare Starlette broadcast, in one run: N sockets over the 8 demo rooms, a
fixed post rate per room over HTTP, latency from each post being sent to each socket receiving
it, and each server's CPU per delivery from /proc. Then the write path alone (posts per second
and CPU per post, against a bare one-row Core insert), the CPU of one long replay, and a
reconnect storm after a restart.

    .venv/bin/python bench/fanout_bench.py [--sockets 1000 2000] [--rate 5] [--seconds 20]
        [--posts 2000] [--replay 1800] [--storm 2000]     (0 skips a part)

Both servers run on loopback in their own processes: ours is run.py on a fresh SQLite
database; the reference is bench/bare_broadcast.py (a set of sockets per room and a plain send
loop). Our sockets are the API's JSON streams, opened with after= the room's last sequence;
every post is a different participant with its own Idempotency-Key, as in a room. On a
2-core machine the load generator shares the cores with the server: CPU per delivery is the
figure that holds (read from /proc/PID/stat of the server process alone, so it does not count
the generator or other processes on the machine); latencies and posts per second are those of
a loaded machine, for both servers alike.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx2 as httpx
import websockets

from rawhttp import RawHTTP

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from conftest_server import launch, start_server  # noqa: E402

SLUG = "drug-violence-2024"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """User + system CPU of the process (every thread, those ended too), or of one thread."""
    stat = f"/proc/{pid}/task/{thread}/stat" if thread else f"/proc/{pid}/stat"
    fields = Path(stat).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def tree_cpu(pid: int) -> float:
    """CPU of a process and its children: run.py --workers N is a supervisor and N workers."""
    total = cpu_seconds(pid)
    for child in filter(str.isdigit, os.listdir("/proc")):
        try:
            if int(Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                total += cpu_seconds(int(child))
        except (OSError, ValueError):
            continue
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_pid(port: int) -> int:
    """The process listening on the port (run.py's server, or the bare one)."""
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        if parts[1].endswith(f":{port:04X}") and parts[3] == "0A":
            inode = parts[9]
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if any(os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]" for fd in os.listdir(f"/proc/{pid}/fd")):
                return int(pid)
        except OSError:
            continue
    raise RuntimeError(f"nothing listens on {port}")


class Load:
    """One run: sockets, posters and arrival times for one server."""

    def __init__(self, rate: float, seconds: float):
        self.rate, self.seconds = rate, seconds
        self.sent: dict[str, float] = {}
        self.latencies: list[float] = []
        self.expected = 0

    async def read(self, ws, marker: bytes = b"bench-") -> None:
        async for raw in ws:
            # Find the post's tag without parsing JSON: the generator's own CPU is the limit here.
            data = raw.encode() if isinstance(raw, str) else raw
            at = data.find(marker)
            if at >= 0:
                tag = data[at:at + 38].decode()
                sent = self.sent.get(tag)
                if sent is not None:
                    self.latencies.append(time.perf_counter() - sent)

    async def drive(self, rooms: list[int], post) -> float:
        """Posts at `rate` per second in every room for `seconds`; returns the time it took."""
        started = time.perf_counter()
        ticks = int(self.seconds * self.rate)
        posts = []
        for n in range(ticks):
            due = started + n / self.rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            for room in rooms:
                tag = f"bench-{uuid.uuid4().hex}"
                self.sent[tag] = time.perf_counter()
                posts.append(asyncio.create_task(post(room, tag)))
        elapsed = time.perf_counter() - started
        # Every answer read before the client's connections close (a socket hears of a post
        # before its poster has the answer).
        await asyncio.gather(*posts)
        return elapsed

    def report(self, name: str, cpu: float, loop_cpu: float, delivered_expected: int) -> dict:
        lat = sorted(self.latencies)
        q = statistics.quantiles(lat, n=100) if len(lat) > 100 else [float("nan")] * 99
        got = len(lat)
        return {"name": name, "delivered": got, "expected": delivered_expected,
                "cpu_per_delivery_us": 1e6 * cpu / max(got, 1), "loop_per_delivery_us": 1e6 * loop_cpu / max(got, 1),
                "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000}


async def ours(base: str, sockets: int, rate: float, seconds: float, pid: int | None = None) -> dict:
    port = int(base.rsplit(":", 1)[1])
    pid = pid or server_pid(port)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=64)) as api:
        by_room = await join_many(api, sockets)
        ws_base = base.replace("http", "ws")
        conns = []
        for room, members in by_room.items():
            last = (await api.get(f"/api/v1/rooms/{room}/events?after=0&limit=1",
                                  headers={"Authorization": f"Bearer {members[0]['token']}"})).json()["last_seq"]
            for m in members:
                conns.append(await websockets.connect(f"{ws_base}/api/v1/rooms/{room}/stream?after={last}"
                                                      f"&token={m['token']}", max_queue=None, compression=None))
        load = Load(rate, seconds)
        readers = [asyncio.create_task(load.read(ws)) for ws in conns]
        posters = {room: itertools.cycle(members) for room, members in by_room.items()}
        async with RawHTTP("127.0.0.1", port, 64) as raw:
            async def post(room: int, tag: str) -> None:
                poster = next(posters[room])
                status, body = await raw.post(f"/api/v1/rooms/{room}/comments", b'{"text": "%s"}' % tag.encode(),
                                              {"Authorization": f"Bearer {poster['token']}", "Idempotency-Key": tag})
                if status != 201:
                    print("post refused:", status, body[:120], file=sys.stderr)

            await asyncio.sleep(1)
            return await _measure("ours", load, list(by_room), post, pid, readers, conns,
                                  sum(len(m) for m in by_room.values()))


async def bare(port: int, sockets: int, rate: float, seconds: float) -> dict:
    pid = server_pid(port)
    rooms = list(range(1, 9))
    conns = [await websockets.connect(f"ws://127.0.0.1:{port}/rooms/{rooms[i % 8]}/stream", max_queue=None,
                                      compression=None) for i in range(sockets)]
    load = Load(rate, seconds)
    readers = [asyncio.create_task(load.read(ws)) for ws in conns]
    async with RawHTTP("127.0.0.1", port, 64) as raw:
        async def post(room: int, tag: str) -> None:
            body = '{"seq": 1, "type": "comment_posted", "comment": {"text": "%s"}}' % tag
            await raw.post(f"/rooms/{room}/comments", body.encode())

        await asyncio.sleep(1)
        return await _measure("bare Starlette", load, rooms, post, pid, readers, conns, sockets)


async def _measure(name, load: Load, rooms, post, pid, readers, conns, sockets: int) -> dict:
    cpu_before, loop_before = tree_cpu(pid), cpu_seconds(pid, pid)
    await load.drive(rooms, post)
    expected = len(load.sent) * sockets // len(rooms)
    deadline = time.perf_counter() + 30
    while len(load.latencies) < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
    cpu, loop_cpu = tree_cpu(pid) - cpu_before, cpu_seconds(pid, pid) - loop_before
    for task in readers:
        task.cancel()
    for ws in conns:
        await ws.close()
    return load.report(name, cpu, loop_cpu, expected)


async def join_many(api, count: int) -> dict[int, list[dict]]:
    """`count` participants joined over the demo rooms through the API, by room."""
    login = await api.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                          "password": "brussels-demo-2024"})
    staff = {"Authorization": f"Bearer {login.json()['token']}"}
    codes = [r["code"] for r in (await api.get(f"/api/v1/events/{SLUG}/rooms", headers=staff)).json()["rooms"]]
    by_room: dict[int, list[dict]] = {}
    for i in range(count):
        while True:
            joined = await api.post("/api/v1/rooms/join", json={
                "code": codes[i % len(codes)], "name": f"P{i}", "organisation": "", "sector": "research",
                "country": "BE"})
            if joined.status_code != 429:
                break
            # The whole load joins from one address, past the venue's per-minute budget: wait as told.
            await asyncio.sleep(float(joined.headers.get("retry-after", "1")))
        assert joined.status_code == 201, joined.text
        by_room.setdefault(joined.json()["room_id"], []).append(joined.json())
    return by_room


async def hammer(post, jobs: list, parallel: int) -> float:
    """Runs post(job) for every job, `parallel` at a time; returns the seconds it took."""
    pending = iter(jobs)
    started = time.perf_counter()

    async def worker():
        for job in pending:
            await post(job)
    await asyncio.gather(*(worker() for _ in range(parallel)))
    return time.perf_counter() - started


async def write_path_ours(base: str, posts: int, parallel: int) -> dict:
    """Comment posts with no socket open, each by one of posts/10 participants (within the
    per-person burst) with its own Idempotency-Key."""
    port = int(base.rsplit(":", 1)[1])
    pid = server_pid(port)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=parallel)) as api:
        people = [p for members in (await join_many(api, posts // 10 + 1)).values() for p in members]
    jobs = [people[n % len(people)] for n in range(posts)]
    refused = []
    async with RawHTTP("127.0.0.1", port, parallel) as raw:
        async def post(poster):
            status, _ = await raw.post(f"/api/v1/rooms/{poster['room_id']}/comments", b'{"text": "a comment to time"}',
                                       {"Authorization": f"Bearer {poster['token']}", "Idempotency-Key": uuid.uuid4().hex})
            if status != 201:
                refused.append(status)
        before, own = cpu_seconds(pid), cpu_seconds(os.getpid())
        elapsed = await hammer(post, jobs, parallel)
        cpu, own = cpu_seconds(pid) - before, cpu_seconds(os.getpid()) - own
    assert not refused, f"{len(refused)} posts refused: {set(refused)}"
    return {"per_s": posts / elapsed, "cpu_ms": 1000 * cpu / posts, "generator_ms": 1000 * own / posts}


async def write_path_bare(port: int, posts: int, parallel: int) -> dict:
    pid = server_pid(port)
    async with RawHTTP("127.0.0.1", port, parallel) as raw:
        async def post(n):
            status, _ = await raw.post("/rows", b'{"text": "a comment to time"}')
            assert status == 201
        before, own = cpu_seconds(pid), cpu_seconds(os.getpid())
        elapsed = await hammer(post, list(range(posts)), parallel)
        cpu, own = cpu_seconds(pid) - before, cpu_seconds(os.getpid()) - own
    return {"per_s": posts / elapsed, "cpu_ms": 1000 * cpu / posts, "generator_ms": 1000 * own / posts}


async def replay(base: str, events: int, times: int) -> dict[str, tuple[float, float, int]]:
    """Server CPU for a socket that connects with after=0 to a room holding `events` comments,
    until it has them all, one event a message and with batch=1; the mean of `times`
    connections (one at a time), since a single one is a few of the kernel's 10 ms clock ticks."""
    pid = server_pid(int(base.rsplit(":", 1)[1]))
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=16)) as api:
        code = "K7MPQ2"
        posters = [(await api.post("/api/v1/rooms/join", json={
            "code": code, "name": f"R{i}", "organisation": "", "sector": "health", "country": "BE"})).json()
            for i in range(events // 20 + 1)]   # 20 each: within one person's burst
        room = posters[0]["room_id"]
        for n in range(events):
            poster = posters[n // 20]
            r = await api.post(f"/api/v1/rooms/{room}/comments", json={"text": f"replay {n}"},
                               headers={"Authorization": f"Bearer {poster['token']}",
                                        "Idempotency-Key": uuid.uuid4().hex})
            assert r.status_code == 201, r.text
        last = (await api.get(f"/api/v1/rooms/{room}/events?after=0",
                              headers={"Authorization": f"Bearer {posters[0]['token']}"})).json()["last_seq"]
        url = f"{base.replace('http', 'ws')}/api/v1/rooms/{room}/stream?after=0&token={posters[0]['token']}"
        return await _replays(pid, url, last, times)


async def _replays(pid: int, url: str, last: int, times: int) -> dict[str, tuple[float, float, int]]:
    """Server CPU per connection, until the socket has every event up to `last`, one event a
    message and with batch=1."""
    found = {}
    for query in ("", "&batch=1"):
        spent, loop, got = 0.0, 0.0, 0
        for _ in range(times):
            before, loop_before = cpu_seconds(pid), cpu_seconds(pid, pid)
            ws = await websockets.connect(url + query, max_queue=None, compression=None)
            seqs = []
            async for raw in ws:
                message = json.loads(raw)
                seqs += [e["seq"] for e in message["events"]] if message.get("type") == "batch" else \
                    [message["seq"]] if "seq" in message else []
                if seqs and seqs[-1] == last:
                    break
            spent += cpu_seconds(pid) - before
            loop += cpu_seconds(pid, pid) - loop_before
            await ws.close()
            assert seqs == list(range(1, last + 1)), "a replay lost or reordered events"
            got = len(seqs)
        found[query] = (spent / times, loop / times, got)
    return found


async def replay_bare(port: int, events: int, times: int) -> dict[str, tuple[float, float, int]]:
    """The same replay from the bare reference: rows of a comment's payload size, read through
    Core and sent (bench/bare_broadcast.py, /rows/replay)."""
    pid = server_pid(port)
    payload = json.dumps({"comment": {"id": 0, "room_id": 1, "paragraph_id": None, "parent_id": None,
                                      "text": "replay 0", "visibility": "visible", "attribution": "sector",
                                      "author": "Health services, BE", "language": "en", "sector": "health",
                                      "country": "BE", "support": 0, "created_at": "2026-12-02T06:47:35.167774",
                                      "replies": []}, "thread_count": 1, "room_count": 1, "paragraph_count": 0})
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60,
                                 limits=httpx.Limits(max_connections=16)) as api:
        await hammer(lambda n: api.post("/rows", content=payload), list(range(events)), 16)
    return await _replays(pid, f"ws://127.0.0.1:{port}/rows/replay?", events, times)


async def storm(sockets: int, missed: int) -> dict:
    """Every socket reconnects at once after a restart, each having missed `missed` events of its
    room: how long until the last one has its replay and is live, and whether every replay was
    whole and in order."""
    data, port = Path(tempfile.mkdtemp()), free_port()
    proc = launch(data, port)
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=16)) as api:
            by_room = await join_many(api, sockets)
            seen = {}
            for room, members in by_room.items():
                for n in range(missed):
                    poster = members[n % len(members)]
                    r = await api.post(f"/api/v1/rooms/{room}/comments", json={"text": f"missed {n}"},
                                       headers={"Authorization": f"Bearer {poster['token']}",
                                                "Idempotency-Key": uuid.uuid4().hex})
                    assert r.status_code == 201, r.text
                seen[room] = (await api.get(f"/api/v1/rooms/{room}/events?after=0&limit=1", headers={
                    "Authorization": f"Bearer {members[0]['token']}"})).json()["last_seq"] - missed
        proc.terminate()
        proc.wait(15)
        proc = launch(data, port)
        pid = server_pid(port)
        before, started, own = cpu_seconds(pid), time.perf_counter(), cpu_seconds(os.getpid())

        async def reconnect(room: int, member: dict) -> bool:
            for _ in range(50):   # a refused or reset connect is retried, as the page does
                try:
                    ws = await websockets.connect(f"ws://127.0.0.1:{port}/api/v1/rooms/{room}/stream?"
                                                  f"after={seen[room]}&token={member['token']}",
                                                  max_queue=None, compression=None, open_timeout=30)
                    break
                except (OSError, websockets.InvalidStatus, asyncio.TimeoutError):
                    await asyncio.sleep(0.2)
            seqs = []
            async for raw in ws:
                message = json.loads(raw)
                if message.get("type") == "presence":
                    break
                seqs.append(message["seq"])
            await ws.close()
            return seqs == list(range(seen[room] + 1, seen[room] + missed + 1))

        whole = await asyncio.gather(*(reconnect(room, m) for room, members in by_room.items() for m in members))
        return {"seconds": time.perf_counter() - started, "cpu": cpu_seconds(pid) - before,
                "generator": cpu_seconds(os.getpid()) - own, "whole": sum(whole), "sockets": len(whole)}
    finally:
        proc.terminate()
        proc.wait(15)


def workers(url: str, counts: list[int], sockets: int, rate: float, seconds: float) -> None:
    """The same load on run.py --workers 1 and 2 over PostgreSQL (BROADCAST_URL too): delivered
    per second, latency, and CPU per delivery summed over the supervisor and its workers."""
    import signal

    from conftest_server import reset_postgres
    print("\n| PostgreSQL, same load | " + " | ".join(f"--workers {n}" for n in counts) + " | ratio |")
    print("| --- |" + " ---: |" * (len(counts) + 1))
    results = []
    for n in counts:
        reset_postgres(url)
        port = free_port()
        proc = launch(Path(tempfile.mkdtemp()), port, "--workers", str(n), DATABASE_URL=url, BROADCAST_URL=url)
        try:
            time.sleep(3)   # the workers start after the supervisor listens
            results.append(asyncio.run(ours(f"http://127.0.0.1:{port}", sockets, rate, seconds, pid=proc.pid)))
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(20)
    first, last = results[0], results[-1]
    for label, key, fmt in (("delivered", "delivered", "d"), ("p50 post → socket (ms)", "p50_ms", ".1f"),
                            ("p99 post → socket (ms)", "p99_ms", ".1f"),
                            ("server CPU per delivery, all processes (µs)", "cpu_per_delivery_us", ".0f")):
        values = " | ".join(f"{r[key]:{fmt}}" for r in results)
        print(f"| N={sockets}, {rate:g} posts/s per room: {label} | {values} | {last[key] / first[key]:.2f}x |")


def row(label: str, bare_value: float, ours_value: float, fmt: str) -> str:
    # A bare figure below the kernel's 10 ms clock tick can read 0: no ratio then.
    ratio = f"{ours_value / bare_value:.2f}x" if bare_value else "-"
    return f"| {label} | {bare_value:{fmt}} | {ours_value:{fmt}} | {ratio} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--rate", type=float, default=5.0, help="posts per second per room")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--posts", type=int, default=2000, help="comment posts for the write path alone (0: skip)")
    parser.add_argument("--parallel", type=int, default=16, help="posts in flight at once for the write path")
    parser.add_argument("--replay", type=int, default=1800,
                        help="comments to post before a socket replays the whole room log (0: skip); with "
                             "the joins the log stays under the 2,000 a socket replays before asking for a reload")
    parser.add_argument("--replays", type=int, default=30, help="connections whose replay CPU is averaged")
    parser.add_argument("--storm", type=int, default=2000, help="sockets reconnecting at once after a restart (0: skip)")
    parser.add_argument("--missed", type=int, default=20, help="events each storm socket missed")
    parser.add_argument("--postgres", help="a PostgreSQL URL the bench may empty: compare run.py --workers 1 and 2 "
                                           "on it (BROADCAST_URL too) under the first non-zero --sockets load (else 1000)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    print("| | bare Starlette | ours | ratio |\n| --- | ---: | ---: | ---: |")
    for n in [n for n in args.sockets if n > 0]:
        with bare_server() as port:
            b = asyncio.run(bare(port, n, args.rate, args.seconds))
        server = start_server(Path(tempfile.mkdtemp()))
        base = next(server)
        try:
            o = asyncio.run(ours(base, n, args.rate, args.seconds))
        finally:
            next(server, None)
        print(row(f"N={n}: server CPU per delivery (µs)", b["cpu_per_delivery_us"], o["cpu_per_delivery_us"], ".0f"))
        print(row(f"N={n}: of which the event loop's thread (µs; ours: the rest is the posts' database work "
                  "in worker threads)", b["loop_per_delivery_us"], o["loop_per_delivery_us"], ".0f"))
        print(row(f"N={n}: p50 post → socket (ms)", b["p50_ms"], o["p50_ms"], ".1f"))
        print(row(f"N={n}: p99 post → socket (ms)", b["p99_ms"], o["p99_ms"], ".1f"))
        print(f"| N={n}: delivered | {b['delivered']}/{b['expected']} | {o['delivered']}/{o['expected']} | |", flush=True)
    if args.posts:
        with bare_server(Path(tempfile.mkdtemp()) / "rows.db") as port:
            b = asyncio.run(write_path_bare(port, args.posts, args.parallel))
        server = start_server(Path(tempfile.mkdtemp()))
        base = next(server)
        try:
            o = asyncio.run(write_path_ours(base, args.posts, args.parallel))
        finally:
            next(server, None)
        label = f"{args.posts} posts, {args.parallel} in flight, no socket open"
        print(row(f"{label}: posts per second (bare: one-row Core insert)", b["per_s"], o["per_s"], ".0f"))
        print(row(f"{label}: server CPU per post (ms)", b["cpu_ms"], o["cpu_ms"], ".2f"))
        print(row(f"{label}: the load generator's own CPU per post (ms, on the same cores)",
                  b["generator_ms"], o["generator_ms"], ".2f"), flush=True)
    if args.replay:
        with bare_server(Path(tempfile.mkdtemp()) / "rows.db") as port:
            bare_found = asyncio.run(replay_bare(port, args.replay + args.replay // 20 + 1, args.replays))
        server = start_server(Path(tempfile.mkdtemp()))
        base = next(server)
        try:
            found = asyncio.run(replay(base, args.replay, args.replays))
        finally:
            next(server, None)
        for query, how in (("", "one event a message"), ("&batch=1", "batch=1")):
            spent, loop, got = found[query]
            bare_spent, bare_loop, bare_got = bare_found[query]
            label = (f"replay of {got} events (bare: {bare_got} rows) to a socket connecting with after=0, {how}: "
                     f"server CPU (ms, mean of {args.replays})")
            print(row(label, bare_spent * 1000, spent * 1000, ".1f"))
            print(row("replay, " + how + ": of which the event loop's thread (the rest reads the log)",
                      bare_loop * 1000, loop * 1000, ".1f"), flush=True)
    if args.storm:
        result = asyncio.run(storm(args.storm, args.missed))
        print(f"| reconnect storm after a restart: {result['sockets']} sockets, {args.missed} missed events each: "
              f"seconds until the last is live (server CPU s; the load generator's own CPU s, on the same "
              f"2 cores) | | {result['seconds']:.1f} ({result['cpu']:.1f}; {result['generator']:.1f}) | |")
        print(f"| reconnect storm: replays whole and in order | | {result['whole']}/{result['sockets']} | |")
    if args.postgres:
        workers(args.postgres, args.workers, next((n for n in args.sockets if n), 1000), args.rate, args.seconds)


@contextlib.contextmanager
def bare_server(rows_db: Path | None = None):
    port = free_port()
    reference = subprocess.Popen([sys.executable, str(ROOT / "bench" / "bare_broadcast.py"), str(port),
                                  *([str(rows_db)] if rows_db else [])])
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        reference.terminate()
        reference.wait(10)


if __name__ == "__main__":
    main()
