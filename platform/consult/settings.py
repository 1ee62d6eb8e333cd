"""Settings, read once from the environment."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _default_database_url() -> str:
    return f"sqlite:///{ROOT / 'var' / 'consult.db'}"


def _secret_key() -> str:
    """A key that survives restarts, so cookies and personal links stay valid."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = ROOT / "var" / "secret.key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=_default_database_url)
    broadcast_url: str = "memory://"
    secret_key: str = ""
    # Cookies marked Secure only when served over HTTPS; the demo runs on plain http.
    https: bool = False
    comment_max_chars: int = 2000
    name_max_chars: int = 80
    # Posts per participant: a burst, then a steady rate. Generous enough for a lively room,
    # tight enough that a script cannot flood it.
    post_burst: int = 20
    post_per_minute: int = 30
    # Joins are limited per address, but a venue puts hundreds behind one NAT address.
    join_per_minute_per_address: int = 2000
    socket_queue: int = 256
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536

    @classmethod
    def from_env(cls, **overrides) -> "Settings":
        env = os.environ
        values = dict(
            database_url=env.get("DATABASE_URL") or _default_database_url(),
            broadcast_url=env.get("BROADCAST_URL") or "memory://",
            secret_key=_secret_key(),
            https=env.get("HTTPS", "").lower() in ("1", "true", "yes"),
        )
        values.update(overrides)
        return cls(**values)
