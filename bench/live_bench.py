"""Live fan-out: N sockets in one room, comments posted one after another; how long each takes
from the POST being sent to arriving at every socket.

    .venv/bin/python bench/live_bench.py [--sockets 300] [--comments 40]

Starts run.py on a fresh SQLite database on a free port (loopback only), joins N participants
through the API, opens their JSON streams, posts, and prints latency percentiles."""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx2 as httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from conftest_server import start_server  # noqa: E402

CODE = "K7MPQ2"


async def run(base: str, sockets: int, comments: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as api:
        joined = [(await api.post("/api/v1/rooms/join", json={
            "code": CODE, "name": f"P{i}", "organisation": "", "sector": "research", "country": "BE"})).json()
            for i in range(sockets)]
        room = joined[0]["room_id"]
        ws_base = base.replace("http", "ws")
        last = (await api.get(f"/api/v1/rooms/{room}/events?after=0",
                              headers={"Authorization": f"Bearer {joined[0]['token']}"})).json()["last_seq"]
        conns = [await websockets.connect(f"{ws_base}/api/v1/rooms/{room}/stream?after={last}&token={j['token']}",
                                          max_queue=None) for j in joined]
        arrivals: dict[str, list[float]] = {}
        sent: dict[str, float] = {}

        async def reader(ws):
            async for raw in ws:
                message = json.loads(raw)
                if message.get("type") == "comment_posted":
                    arrivals.setdefault(message["comment"]["text"], []).append(time.perf_counter())

        readers = [asyncio.create_task(reader(ws)) for ws in conns]
        await asyncio.sleep(1)
        started = time.perf_counter()
        for n in range(comments):
            poster = joined[n % sockets]  # one poster would meet the per-person rate limit
            text = f"bench {n} {uuid.uuid4().hex[:6]}"
            sent[text] = time.perf_counter()
            response = await api.post(f"/api/v1/rooms/{room}/comments", json={"text": text},
                                      headers={"Authorization": f"Bearer {poster['token']}",
                                               "Idempotency-Key": uuid.uuid4().hex})
            assert response.status_code == 201, response.text
            await asyncio.sleep(0.05)
        deadline = time.perf_counter() + 30
        while sum(len(v) for v in arrivals.values()) < sockets * comments and time.perf_counter() < deadline:
            await asyncio.sleep(0.1)
        elapsed = time.perf_counter() - started
        latencies = sorted((t - sent[text]) * 1000 for text, times in arrivals.items() for t in times)
        delivered = len(latencies)
        for task in readers:
            task.cancel()
        for ws in conns:
            await ws.close()
    q = statistics.quantiles(latencies, n=100)
    print(f"{sockets} sockets, {comments} comments: {delivered}/{sockets * comments} deliveries in {elapsed:.1f} s")
    print(f"post-to-socket latency ms: p50 {q[49]:.0f}, p95 {q[94]:.0f}, p99 {q[98]:.0f}, max {latencies[-1]:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sockets", type=int, default=300)
    parser.add_argument("--comments", type=int, default=40)
    args = parser.parse_args()
    server = start_server(Path(tempfile.mkdtemp()))
    base = next(server)
    try:
        asyncio.run(run(base, args.sockets, args.comments))
    finally:
        next(server, None)


if __name__ == "__main__":
    main()
