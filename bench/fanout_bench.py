"""Fan-out against a bare Starlette broadcast, in one run: N sockets over the 8 demo rooms, a
fixed post rate per room over HTTP, latency from each post being sent to each socket receiving
it, and each server's CPU per delivery from /proc.

    .venv/bin/python bench/fanout_bench.py [--sockets 1000 2000] [--rate 5] [--seconds 20]

Both servers run on loopback in their own processes: ours is run.py on a fresh SQLite
database; the reference is bench/bare_broadcast.py (a set of sockets per room and a plain send
loop). Our sockets are the API's JSON streams, opened with after= the room's last sequence;
every post is a different participant with its own Idempotency-Key, as in a room. On a
2-core machine the load generator shares the cores with the server: CPU per delivery is the
figure that holds; latencies are those of a loaded machine, for both servers alike.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from conftest_server import start_server  # noqa: E402

SLUG = "drug-violence-2024"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


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
        for n in range(ticks):
            due = started + n / self.rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            for room in rooms:
                tag = f"bench-{uuid.uuid4().hex}"
                self.sent[tag] = time.perf_counter()
                asyncio.create_task(post(room, tag))
        return time.perf_counter() - started

    def report(self, name: str, cpu: float, delivered_expected: int) -> dict:
        lat = sorted(self.latencies)
        q = statistics.quantiles(lat, n=100) if len(lat) > 100 else [float("nan")] * 99
        got = len(lat)
        return {"name": name, "delivered": got, "expected": delivered_expected,
                "cpu_per_delivery_us": 1e6 * cpu / max(got, 1), "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000}


async def ours(base: str, sockets: int, rate: float, seconds: float) -> dict:
    port = int(base.rsplit(":", 1)[1])
    pid = server_pid(port)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=httpx.Limits(max_connections=64)) as api:
        login = await api.post("/api/v1/auth/login", json={"email": "organiser@example.org",
                                                              "password": "brussels-demo-2024"})
        staff = {"Authorization": f"Bearer {login.json()['token']}"}
        rooms = (await api.get(f"/api/v1/events/{SLUG}/rooms", headers=staff)).json()["rooms"]
        codes = [r["code"] for r in rooms]
        people = []
        for i in range(sockets):
            joined = await api.post("/api/v1/rooms/join", json={
                "code": codes[i % len(codes)], "name": f"P{i}", "organisation": "", "sector": "research",
                "country": "BE"})
            assert joined.status_code == 201, joined.text
            people.append(joined.json())
        by_room: dict[int, list[dict]] = {}
        for p in people:
            by_room.setdefault(p["room_id"], []).append(p)
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

        async def post(room: int, tag: str) -> None:
            poster = next(posters[room])
            r = await api.post(f"/api/v1/rooms/{room}/comments", json={"text": tag},
                               headers={"Authorization": f"Bearer {poster['token']}", "Idempotency-Key": tag})
            if r.status_code != 201:
                print("post refused:", r.status_code, r.text[:120], file=sys.stderr)

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
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60,
                                 limits=httpx.Limits(max_connections=64)) as api:
        async def post(room: int, tag: str) -> None:
            body = '{"seq": 1, "type": "comment_posted", "comment": {"text": "%s"}}' % tag
            await api.post(f"/rooms/{room}/comments", content=body)

        await asyncio.sleep(1)
        return await _measure("bare Starlette", load, rooms, post, pid, readers, conns, sockets)


async def _measure(name, load: Load, rooms, post, pid, readers, conns, sockets: int) -> dict:
    cpu_before = cpu_seconds(pid)
    await load.drive(rooms, post)
    expected = len(load.sent) * sockets // len(rooms)
    deadline = time.perf_counter() + 30
    while len(load.latencies) < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
    cpu = cpu_seconds(pid) - cpu_before
    for task in readers:
        task.cancel()
    for ws in conns:
        await ws.close()
    return load.report(name, cpu, expected)


async def replay(base: str, events: int) -> tuple[float, int]:
    """Server CPU for one socket that connects with after=0 to a room holding `events` comments,
    until it has them all."""
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
        before = cpu_seconds(pid)
        ws = await websockets.connect(f"{base.replace('http', 'ws')}/api/v1/rooms/{room}/stream?after=0"
                                      f"&token={posters[0]['token']}", max_queue=None, compression=None)
        got = 0
        async for raw in ws:
            if '"seq"' in raw:
                got += 1
                if f'"seq": {last},' in raw:
                    break
        spent = cpu_seconds(pid) - before
        await ws.close()
        return spent, got


def row(label: str, bare_value: float, ours_value: float, fmt: str) -> str:
    return f"| {label} | {bare_value:{fmt}} | {ours_value:{fmt}} | {ours_value / bare_value:.2f}x |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sockets", type=int, nargs="+", default=[1000, 2000])
    parser.add_argument("--rate", type=float, default=5.0, help="posts per second per room")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--replay", type=int, default=1800,
                        help="comments to post before one socket replays the whole room log (0: skip); with "
                             "the joins the log stays under the 2,000 a socket replays before asking for a reload")
    args = parser.parse_args()
    if any(args.sockets):
        print("| | bare Starlette | ours | ratio |\n| --- | ---: | ---: | ---: |")
    for n in [n for n in args.sockets if n > 0]:
        port = free_port()
        reference = subprocess.Popen([sys.executable, str(ROOT / "bench" / "bare_broadcast.py"), str(port)])
        try:
            deadline = time.time() + 30
            while time.time() < deadline:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.2)
            b = asyncio.run(bare(port, n, args.rate, args.seconds))
        finally:
            reference.terminate()
            reference.wait(10)
        server = start_server(Path(tempfile.mkdtemp()))
        base = next(server)
        try:
            o = asyncio.run(ours(base, n, args.rate, args.seconds))
        finally:
            next(server, None)
        print(row(f"N={n}: server CPU per delivery (µs)", b["cpu_per_delivery_us"], o["cpu_per_delivery_us"], ".0f"))
        print(row(f"N={n}: p50 post → socket (ms)", b["p50_ms"], o["p50_ms"], ".1f"))
        print(row(f"N={n}: p99 post → socket (ms)", b["p99_ms"], o["p99_ms"], ".1f"))
        print(f"| N={n}: delivered | {b['delivered']}/{b['expected']} | {o['delivered']}/{o['expected']} | |")
    if args.replay:
        server = start_server(Path(tempfile.mkdtemp()))
        base = next(server)
        try:
            spent, got = asyncio.run(replay(base, args.replay))
        finally:
            next(server, None)
        print(f"replay: a socket connecting with after=0 to a room log of {got} events cost "
              f"{spent * 1000:.0f} ms of server CPU (clock ticks of {1000 / TICKS:.0f} ms)")


if __name__ == "__main__":
    main()
