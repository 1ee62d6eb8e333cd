"""Room sockets: the page's HTML stream and the API's JSON stream, on one pattern.

Subscribe first, then replay the log after the client's last sequence from the database,
then pass on live messages, skipping any the replay already sent: the client sees every
event once, in order, even across a reconnect."""
from __future__ import annotations

import asyncio
import json
from typing import Callable

from starlette.websockets import WebSocket, WebSocketDisconnect

from consult.errors import DomainError
from consult.live import fragments
from consult.live.hub import CLOSE, Message
from consult.people.actor import Actor
from consult.people.service import actor_for_token
from consult.rooms import log
from consult.rooms.service import check_can_read
from consult.web.csrf import same_origin

REPLAY_LIMIT = 2000
# Close codes: 4403/4404 are final (the client should not retry); 1013 asks it to come back.
TRY_AGAIN = 1013


async def page_stream(websocket: WebSocket):
    await _stream(websocket, websocket.scope["state"]["actor"], fragments.html)


async def api_stream(websocket: WebSocket):
    core = websocket.app.state.core
    actor = await core.read(actor_for_token, websocket.query_params.get("token"))
    await _stream(websocket, actor, fragments.api_json)


async def _stream(websocket: WebSocket, actor: Actor, render: Callable[[Message], str]):
    core = websocket.app.state.core
    if not same_origin(websocket.headers):
        return await websocket.close(code=4403, reason="foreign origin")
    try:
        room_id = int(websocket.path_params["room_id"])
        after = int(websocket.query_params.get("after") or 0)
    except ValueError:
        return await websocket.close(code=4400, reason="bad room id or sequence")
    try:
        await core.read(check_can_read, actor, room_id)
    except DomainError as error:
        return await websocket.close(code=4000 + error.status, reason=error.detail[:100])

    await websocket.accept()
    who = f"o:{actor.organiser_id}" if actor.participant_id is None else f"p:{actor.participant_id}"
    sub = core.hub.subscribe(room_id, who, "organiser" if actor.is_organiser else "participant")
    key = (render, sub.role)
    reader = asyncio.create_task(_read(websocket, core, actor, room_id))
    try:
        missed = await core.read(log.after, room_id, after, REPLAY_LIMIT + 1)
        if len(missed) > REPLAY_LIMIT:
            # Too far behind to replay piece by piece: the page reloads, the API client refetches.
            await websocket.send_text(json.dumps({"type": "reload", "last_seq": missed[-1].seq}))
            return await websocket.close(code=1000)
        for event in missed:
            await websocket.send_text(Message(event).render(key, render))
            after = event.seq
        await websocket.send_text(Message(None, presence=core.hub.presence(room_id)).render(key, render))
        while True:
            getter = asyncio.create_task(sub.queue.get())
            done, _ = await asyncio.wait({getter, reader}, return_when=asyncio.FIRST_COMPLETED)
            if reader in done:
                getter.cancel()
                return
            message = getter.result()
            if message is CLOSE:
                return await websocket.close(code=TRY_AGAIN, reason="too slow; reconnect")
            if message.seq is not None:
                if message.seq <= after:
                    continue
                after = message.seq
            await websocket.send_text(message.render(key, render))
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        reader.cancel()
        core.hub.unsubscribe(sub)


async def _read(websocket: WebSocket, core, actor: Actor, room_id: int) -> None:
    """Messages from the client: only pings are understood. Anything else gets an error reply
    on this socket alone; nothing a client sends can disturb another's connection."""
    while True:
        try:
            text = await websocket.receive_text()
        except (WebSocketDisconnect, RuntimeError, KeyError):
            return
        try:
            data = json.loads(text)
            kind = data.get("type") if isinstance(data, dict) else None
        except ValueError:
            kind = None
        if kind == "ping":
            try:
                # Every message is authorised afresh: a member removed from the room is let go.
                await core.read(check_can_read, actor, room_id)
            except DomainError as error:
                await websocket.close(code=4000 + error.status)
                return
            await websocket.send_text(json.dumps({"type": "pong"}))
        else:
            await websocket.send_text(json.dumps(
                {"type": "error", "error": "bad_message", "detail": "Send {\"type\": \"ping\"} or nothing."}))
