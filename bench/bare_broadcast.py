"""The bare reference for bench/fanout_bench.py: Starlette on uvicorn, a set of sockets per
room, and a POST that sends its body to every socket of the room with a plain loop. No
database, no authorisation, no log: what a broadcast costs at the least.

    python bench/bare_broadcast.py PORT
"""
from __future__ import annotations

import sys
from collections import defaultdict

import uvicorn
from starlette.applications import Starlette
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


app = Starlette(routes=[WebSocketRoute("/rooms/{room_id:int}/stream", stream),
                        Route("/rooms/{room_id:int}/comments", post, methods=["POST"])])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", ws_per_message_deflate=False)
