"""JSON text for what is parsed or written per event: the log's payloads (every JSON column,
through the engines) and what sockets send. orjson is several times faster than the standard
library both ways; the standard library stays the fallback for what orjson refuses (integers
past 64 bits, a lone surrogate, NaN read back from old rows), so nothing that stored before
fails now."""
from __future__ import annotations

import json
from typing import Any

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS


def dumps(value: Any) -> str:
    try:
        return orjson.dumps(value, option=_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(value)


def loads(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
