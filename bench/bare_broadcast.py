"""The bare reference for bench/fanout_bench.py: Starlette on uvicorn, a set of sockets per
room, and a POST that sends its body to every socket of the room with a plain loop. No
database, no authorisation, no log: what a broadcast costs at the least. For the write path,
POST /rows inserts its body as one row through SQLAlchemy Core and commits (SQLite, WAL,
synchronous=FULL, in the thread pool as ours does): what a durable post costs at the least.
For a replay, WS /rows/replay sends every row, read through Core in the thread pool, one row a
message or (?batch=1) many a message under 256 KiB, then {"type": "presence"}: what catching
up costs at the least.

    python bench/bare_broadcast.py PORT [SQLITE_PATH]
"""
from __future__ import annotations

import sys
from collections import defaultdict

import uvicorn
from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, event, insert, select
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

ROOMS: dict[int, set[WebSocket]] = defaultdict(set)


async def stream(websocket: WebSocket):
    room = int(websocket.path_params["room_id"])
    await websocket.accept()
    ROOMS[room].add(websocket)
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        pass
    finally:
        ROOMS[room].discard(websocket)


async def post(request: Request):
    room = int(request.path_params["room_id"])
    message = (await request.body()).decode()
    for socket in list(ROOMS[room]):
        await socket.send_text(message)
    return JSONResponse({"ok": True}, status_code=201)


ROWS = Table("rows", MetaData(), Column("id", Integer, primary_key=True), Column("body", Text))
ENGINE = None


def _open(path: str):
    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(connection, _record):
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=FULL")

    ROWS.metadata.create_all(engine)
    return engine


def _insert(body: str) -> int:
    with ENGINE.begin() as conn:
        return conn.execute(insert(ROWS).values(body=body)).inserted_primary_key[0]


async def row(request: Request):
    return JSONResponse({"id": await run_in_threadpool(_insert, (await request.body()).decode())}, status_code=201)


def _all() -> list:
    with ENGINE.connect() as conn:
        return conn.execute(select(ROWS.c.id, ROWS.c.body).order_by(ROWS.c.id)).all()


async def replay(websocket: WebSocket):
    await websocket.accept()
    messages = ['{"seq":%d,"event":%s}' % (id, body) for id, body in await run_in_threadpool(_all)]
    if websocket.query_params.get("batch") == "1":
        batch, size = [], 0
        for message in messages:
            batch.append(message)
            size += len(message)
            if size > 256 * 1024:
                await websocket.send_text('{"type":"batch","events":[' + ",".join(batch) + "]}")
                batch, size = [], 0
        if batch:
            await websocket.send_text('{"type":"batch","events":[' + ",".join(batch) + "]}")
    else:
        for message in messages:
            await websocket.send_text(message)
    await websocket.send_text('{"type":"presence"}')
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        pass


app = Starlette(routes=[WebSocketRoute("/rooms/{room_id:int}/stream", stream),
                        Route("/rooms/{room_id:int}/comments", post, methods=["POST"]),
                        Route("/rows", row, methods=["POST"]),
                        WebSocketRoute("/rows/replay", replay)])

if __name__ == "__main__":
    if len(sys.argv) > 2:
        ENGINE = _open(sys.argv[2])
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", ws_per_message_deflate=False)
