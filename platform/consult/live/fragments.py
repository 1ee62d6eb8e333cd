"""Turn a hub message into what a socket sends: HTML partials for pages, JSON for the API.

Each is rendered once per message, format and role, then sent to every socket of that role
in the room (and language, which the socket's context sets). Nothing per viewer goes in (see rooms/_comments.html). What only rapporteurs and
organisers may see travels in the payload's "restricted" part and is dropped for others."""
from __future__ import annotations

from consult.access import PRIVILEGED
from consult.jsontext import dumps
from consult.live.hub import Message
from consult.web.templating import block


def html(message: Message, role: str) -> str:
    if message.event is None:
        content = block("rooms/live.html", message.kind, privileged=role in PRIVILEGED, **message.data)
        return dumps({"type": message.kind, "content": content})
    event = message.event
    content = block("rooms/live.html", event.type, payload=event.payload, privileged=role in PRIVILEGED)
    return dumps({"seq": event.seq, "type": event.type, "content": content})


def api_json(message: Message, role: str) -> str:
    if message.event is None:
        return dumps({"type": message.kind, **message.data})
    # A replayed event (live/replay.py) still holds its payload as stored: with nothing
    # restricted in it, what event_json makes of it is that text behind seq, type and
    # created_at, so it is sent without parsing and serialising it again.
    stored = getattr(message.event, "text", None)
    if stored is not None and '"restricted":' not in stored:
        return _wrapped(message.event, stored)
    return dumps(event_json(message.event, role in PRIVILEGED))


def api_batch(texts: list[str]) -> str:
    """Several events of the JSON stream in one message, for a client that asked (batch=1)."""
    return '{"type":"batch","events":[' + ",".join(texts) + "]}"


def note(message: Message, role: str) -> str:
    """The organisers' dashboard: which room had what kind of event, no content."""
    room_id = message.event.room_id if message.event else message.data.get("room_id")
    return dumps({"type": message.event.type if message.event else message.kind, "room_id": room_id})


def _wrapped(event, stored: str) -> str:
    # Only a key is followed by a colon in JSON text, and a quote inside a string is escaped,
    # so '"restricted":' is absent from a payload without that key at any depth.
    fields = stored[1:].lstrip()
    head = '{"seq":%d,"type":"%s","created_at":"%sZ"' % (event.seq, event.type, event.created_at)
    return head + ("}" if fields.startswith("}") else "," + fields)


def event_json(event, privileged: bool) -> dict:
    payload = dict(event.payload)
    restricted = payload.pop("restricted", None)
    if privileged and restricted:
        payload.update(restricted)
    return {"seq": event.seq, "type": event.type, "created_at": event.created_at + "Z", **payload}
