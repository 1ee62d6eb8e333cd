"""What every API route shares: bearer tokens, JSON bodies."""
from __future__ import annotations

import json
import re

from starlette.requests import Request

from consult.errors import BadRequest, Invalid, Unauthorized
from consult.people.actor import Actor
from consult.people.service import actor_for_token, touch_api_token
from consult.web.forms import MAX_ID

MAX_BODY = 64 * 1024


NO_BEARER = "Send 'Authorization: Bearer <token>' from joining a room or signing in."


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


async def bearer(request: Request, required: bool = True) -> Actor:
    """Who the request's token names, for a read (a write looks them up itself: bearer_write)."""
    token = _token(request)
    core = request.app.state.core
    actor = await core.read(actor_for_token, token)
    if actor.is_organiser:
        await core.write(touch_api_token, token)
    if required and actor.is_anonymous:
        raise Unauthorized(NO_BEARER)
    return actor


async def bearer_write(request: Request, fn, *args, **kwargs):
    """Run the write fn(session, actor, ...) as whoever the request's token names, looked up in
    the write's own transaction: one transaction where a look-up and then the write took two,
    and nothing to cache, so a token revoked or a link renewed the moment before is refused by
    the very next write (in any worker)."""
    token = _token(request)
    if not token:
        raise Unauthorized(NO_BEARER)
    return await request.app.state.core.write(_as_bearer, token, fn, args, kwargs)


def _as_bearer(session, token: str, fn, args, kwargs):
    actor = actor_for_token(session, token)
    if actor.is_anonymous:
        raise Unauthorized(NO_BEARER)
    if actor.is_organiser:
        touch_api_token(session, token)
    return fn(session, actor, *args, **kwargs)


async def json_body(request: Request) -> dict:
    raw = await request.body()  # at most MAX_BODY: web/limits.py stops the rest
    try:
        data = json.loads(raw or b"{}")
    except (ValueError, RecursionError):
        raise BadRequest("The body is not valid JSON (or nests too deeply).") from None
    if not isinstance(data, dict):
        raise BadRequest("The body must be a JSON object.")
    _refuse_unstorable(data)
    return data


# Lone surrogates (JSON can escape them, no encoding holds them) and NUL (PostgreSQL's text
# cannot) would fail deep in a hash or a query; they are refused at the door instead.
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def _refuse_unstorable(data: dict) -> None:
    stack = [(key, value) for key, value in data.items()]
    while stack:
        field, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((field, v) for v in value.values())
            value = "".join(value)  # the keys
        elif isinstance(value, list):
            stack.extend((field, v) for v in value)
            continue
        if isinstance(value, str) and (_UNSTORABLE.search(value) or _UNSTORABLE.search(field)):
            raise BadRequest("The body holds text no encoding can store (a lone surrogate or a NUL).",
                             {field: "Not storable text."})


def int_field(data: dict, name: str, required: bool = False) -> int | None:
    value = data.get(name)
    if value is None:
        if required:
            raise Invalid(f"'{name}' is required.", {name: "Required."})
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(f"'{name}' must be an integer.", {name: "Not an integer."})
    if abs(value) > MAX_ID:
        raise Invalid(f"'{name}' is out of range.", {name: "Out of range."})
    return value


def str_field(data: dict, name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise Invalid(f"'{name}' must be a string.", {name: "Not a string."})
    return value
