"""Room sockets: the page's HTML stream and the API's JSON stream, on one pattern.

Subscribe first, then replay the log after the client's last sequence from the database,
then pass on live messages, skipping any the replay already sent: the client sees every
event once, in order, even across a reconnect. Live messages queued meanwhile are sent by the
socket's writer; once its queue is empty the hub writes to it directly."""
from __future__ import annotations

import asyncio
import json
from typing import Callable

from sqlalchemy.orm import Session
from starlette.websockets import WebSocket, WebSocketDisconnect

from consult.errors import DomainError
from consult.live import fragments, replay
from consult.live.hub import CLOSE, GONE, Follower
from consult.live.outlet import SocketOutlet
from consult.people.actor import Actor
from consult.people.service import actor_for_token
from consult.access import PRIVILEGED, room_access
from consult.rooms.service import actor_label
from consult.web.csrf import same_origin
from consult.web.forms import optional_int

REPLAY_LIMIT = 2000
MAX_MESSAGE = 4096
# Close codes: 4403/4404 are final (the client should not retry); 1013 asks it to come back.
TRY_AGAIN = 1013


async def page_stream(websocket: WebSocket):
    actor = websocket.scope["state"]["actor"]
    await _stream(websocket, lambda session: actor, fragments.html)


async def api_stream(websocket: WebSocket):
    """With batch=1 the replay comes as {"type": "batch", "events": [...]} messages of many
    events, each as it would come alone: a client catching up on thousands of events costs
    one send per batch rather than one per event. Without it, one event per message, as v1
    has always sent them."""
    token = websocket.query_params.get("token")
    batch = fragments.api_batch if websocket.query_params.get("batch") == "1" else None
    await _stream(websocket, lambda session: actor_for_token(session, token), fragments.api_json, batch)


async def dashboard_stream(websocket: WebSocket):
    """Organisers' dashboard: a note of every room event and presence change, no content;
    the page fetches its own fresh view (throttled) when something happened."""
    core = websocket.app.state.core
    actor = websocket.scope["state"]["actor"]
    if not same_origin(websocket.headers) or not actor.is_organiser:
        return await websocket.close(code=4403)
    await websocket.accept()
    watcher = core.hub.watch(f"o:{actor.organiser_id}", SocketOutlet(websocket, fragments.note, "organiser"))
    gone = asyncio.create_task(_until_disconnect(websocket))
    gone.add_done_callback(lambda _: watcher.end())
    try:
        await _write(websocket, watcher)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass
    finally:
        gone.cancel()
        core.hub.unwatch(watcher)


async def _until_disconnect(websocket: WebSocket) -> None:
    """The dashboard sends nothing; reading is how a closed connection is noticed."""
    try:
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    except (WebSocketDisconnect, RuntimeError):
        pass


async def _write(websocket: WebSocket, sub: Follower) -> None:
    """The socket's writer: sends what the hub queued for it, and marks it live whenever its
    queue is empty, so that the hub writes to it directly meanwhile."""
    while True:
        sub.live = sub.queue.empty()
        message = await sub.queue.get()
        if message is GONE:
            return
        if message is CLOSE:
            return await websocket.close(code=TRY_AGAIN, reason="too slow; reconnect")
        await sub.outlet.send(message)


async def _stream(websocket: WebSocket, identify: Callable[[Session], Actor], render: Callable[..., str],
                  batch: Callable[[list[str]], str] | None = None):
    """Who connects, their access to the room and the log they missed are read in one
    transaction, one trip to a worker thread: a storm of reconnects after a restart is that
    read per socket. The socket is in the room's channel before the read, so that an event
    committed meanwhile waits in its queue; it counts as here once admitted."""
    core = websocket.app.state.core
    if not same_origin(websocket.headers):
        return await websocket.close(code=4403, reason="foreign origin")
    try:
        room_id = int(websocket.path_params["room_id"])
        after = optional_int(websocket.query_params.get("after"), "after") or 0
    except DomainError:
        return await websocket.close(code=4400, reason="bad sequence")
    sub = core.hub.expect(room_id)
    reader = None
    try:
        try:
            actor, role, name, missed = await core.read(_admission, identify, room_id, after)
        except DomainError as error:
            return await websocket.close(code=4000 + error.status, reason=error.detail[:100])
        await websocket.accept()
        if len(missed) > REPLAY_LIMIT:
            # Too far behind to replay piece by piece: the page reloads, the API client refetches.
            await websocket.send_text(json.dumps({"type": "reload", "last_seq": missed[-1].seq}))
            return await websocket.close(code=1000)
        who = f"o:{actor.organiser_id}" if actor.participant_id is None else f"p:{actor.participant_id}"
        outlet = SocketOutlet(websocket, render, role, after)
        core.hub.admit(sub, who, role, outlet)
        reader = asyncio.create_task(_read(websocket, core, actor, room_id, role, name))
        reader.add_done_callback(lambda _: sub.end())
        await outlet.replay(missed, batch)
        await outlet.send(core.hub.presence_message(room_id))
        await _write(websocket, sub)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass
    finally:
        if reader is not None:
            reader.cancel()
        core.hub.unsubscribe(sub)


def _admission(session: Session, identify: Callable[[Session], Actor], room_id: int, after: int):
    actor = identify(session)
    role = room_access(session, actor, room_id).role
    return actor, role, actor_label(session, actor), replay.missed(session, room_id, after, REPLAY_LIMIT + 1)


async def _read(websocket: WebSocket, core, actor: Actor, room_id: int, role: str, name: str) -> None:
    """Messages from the client: pings, and rapporteurs saying what they are editing. Anything
    else gets an error reply on this socket alone; nothing a client sends can disturb another's
    connection."""
    while True:
        try:
            message = await websocket.receive()
        except (WebSocketDisconnect, RuntimeError):
            return
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        kind = None
        # Bounded before parsing: a huge or deeply nested message costs nothing and harms no one.
        if text is not None and len(text) <= MAX_MESSAGE:
            try:
                data = json.loads(text)
                kind = data.get("type") if isinstance(data, dict) else None
            except (ValueError, RecursionError):
                pass
        if kind == "ping":
            try:
                # Every message is authorised afresh: a member removed from the room is let go.
                await core.read(room_access, actor, room_id)
            except DomainError as error:
                await websocket.close(code=4000 + error.status)
                return
            await websocket.send_text(json.dumps({"type": "pong"}))
        elif kind == "editing" and role in PRIVILEGED:
            target = data.get("target")
            label = data.get("label")
            if target is not None and not (isinstance(target, str) and len(target) <= 40
                                           and isinstance(label, str) and len(label) <= 80):
                await websocket.send_text(json.dumps({"type": "error", "error": "bad_message",
                                                      "detail": "editing needs a short target and label"}))
                continue
            core.hub.notice(room_id, "editing", {"who": name, "target": target, "label": label})
        else:
            await websocket.send_text(json.dumps(
                {"type": "error", "error": "bad_message", "detail": "Send {\"type\": \"ping\"} or nothing."}))
