"""Room sockets: the page's HTML stream and the API's JSON stream, on one pattern.

Subscribe first, then replay the log after the client's last sequence from the database,
then pass on live messages, skipping any the replay already sent: the client sees every
event once, in order, even across a reconnect. Live messages queued meanwhile are sent by the
socket's writer; once its queue is empty the hub's room sender writes to it directly."""
from __future__ import annotations

import asyncio
import json
from typing import Callable

from sqlalchemy.orm import Session
from starlette.websockets import WebSocket, WebSocketDisconnect

from consult.errors import DomainError
from consult.live import fragments
from consult.live.hub import CLOSE, GONE, Message, Subscriber
from consult.live.outlet import SocketOutlet
from consult.people.actor import Actor
from consult.people.service import actor_for_token
from consult.rooms import log
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
    token = websocket.query_params.get("token")
    await _stream(websocket, lambda session: actor_for_token(session, token), fragments.api_json)


async def dashboard_stream(websocket: WebSocket):
    """Organisers' dashboard: a note of every room event and presence change, no content;
    the page fetches its own fresh view (throttled) when something happened."""
    core = websocket.app.state.core
    actor = websocket.scope["state"]["actor"]
    if not same_origin(websocket.headers) or not actor.is_organiser:
        return await websocket.close(code=4403)
    await websocket.accept()
    sub = core.hub.watch(f"o:{actor.organiser_id}", SocketOutlet(websocket, fragments.note, "organiser"))
    gone = asyncio.create_task(_until_disconnect(websocket))
    gone.add_done_callback(lambda _: sub.end())
    try:
        await _write(websocket, sub)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass
    finally:
        gone.cancel()
        core.hub.unsubscribe(sub)


async def _until_disconnect(websocket: WebSocket) -> None:
    """The dashboard sends nothing; reading is how a closed connection is noticed."""
    try:
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    except (WebSocketDisconnect, RuntimeError):
        pass


async def _write(websocket: WebSocket, sub: Subscriber) -> None:
    """The socket's writer: sends what the hub queued for it, and marks it live whenever its
    queue is empty, so that the room's sender writes to it directly meanwhile."""
    while True:
        sub.live = sub.queue.empty()
        message = await sub.queue.get()
        if message is GONE:
            return
        if message is CLOSE:
            return await websocket.close(code=TRY_AGAIN, reason="too slow; reconnect")
        await sub.outlet.send(message)


async def _stream(websocket: WebSocket, identify: Callable[[Session], Actor], render: Callable[..., str]):
    """`identify` finds who connects inside the same read as their access to the room: a storm of
    reconnects after a restart costs one read transaction less per socket."""
    core = websocket.app.state.core
    if not same_origin(websocket.headers):
        return await websocket.close(code=4403, reason="foreign origin")
    try:
        room_id = int(websocket.path_params["room_id"])
        after = optional_int(websocket.query_params.get("after"), "after") or 0
    except DomainError:
        return await websocket.close(code=4400, reason="bad sequence")
    try:
        actor, role, name = await core.read(_who, identify, room_id)
    except DomainError as error:
        return await websocket.close(code=4000 + error.status, reason=error.detail[:100])

    await websocket.accept()
    who = f"o:{actor.organiser_id}" if actor.participant_id is None else f"p:{actor.participant_id}"
    outlet = SocketOutlet(websocket, render, role, after)
    sub = core.hub.subscribe(room_id, who, role, outlet)
    reader = asyncio.create_task(_read(websocket, core, actor, room_id, role, name))
    reader.add_done_callback(lambda _: sub.end())
    try:
        missed = await core.read(log.after, room_id, after, REPLAY_LIMIT + 1)
        if len(missed) > REPLAY_LIMIT:
            # Too far behind to replay piece by piece: the page reloads, the API client refetches.
            await websocket.send_text(json.dumps({"type": "reload", "last_seq": missed[-1].seq}))
            return await websocket.close(code=1000)
        for event in missed:
            await outlet.send(Message(event))
        await outlet.send(core.hub.presence_message(room_id))
        await _write(websocket, sub)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass
    finally:
        reader.cancel()
        core.hub.unsubscribe(sub)


def _who(session: Session, identify: Callable[[Session], Actor], room_id: int) -> tuple[Actor, str, str]:
    actor = identify(session)
    return actor, room_access(session, actor, room_id).role, actor_label(session, actor)


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
