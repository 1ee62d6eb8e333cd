"""Idempotency keys: every post carries one, so a retry on bad Wi-Fi returns the first result."""
from __future__ import annotations

import re

_KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
PROBLEM = "A request key of 8 to 64 letters, digits, '-' or '_' is needed."


def valid_key(key: str | None) -> bool:
    return bool(key) and bool(_KEY.match(key))
