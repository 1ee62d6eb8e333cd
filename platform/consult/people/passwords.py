"""Organiser passwords, hashed with argon2id."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def configure(time_cost: int, memory_kib: int) -> None:
    """Tests use cheap parameters; production keeps argon2-cffi's defaults (~170 ms a hash)."""
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash to verify against when the email is unknown, so that the time taken does not tell
# an attacker which emails exist.
def dummy_verify(password: str) -> None:
    verify_password(_hasher.hash("not-a-real-password"), password)
