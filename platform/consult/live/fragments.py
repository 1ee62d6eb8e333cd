"""Turn a hub message into what a socket sends: HTML partials for pages, JSON for the API.

Each is rendered once per message and format, then sent to every socket in the room. Nothing
per viewer goes in (see rooms/_comments.html)."""
from __future__ import annotations

import json

from consult.live.hub import Message
from consult.web.templating import block


def html(message: Message) -> str:
    if message.event is None:
        content = block("rooms/live.html", "presence", presence=message.presence)
        return json.dumps({"content": content})
    event = message.event
    content = block("rooms/live.html", event.type, payload=event.payload)
    return json.dumps({"seq": event.seq, "content": content})


def api_json(message: Message) -> str:
    if message.event is None:
        return json.dumps({"type": "presence", "here": message.presence})
    return json.dumps(event_json(message.event))


def event_json(event) -> dict:
    return {"seq": event.seq, "type": event.type, "created_at": event.created_at + "Z", **event.payload}
