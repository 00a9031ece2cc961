"""Password hashing and password-derived keys with Argon2id (memory-hard), from argon2-cffi."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import Type, hash_secret_raw

_hasher = PasswordHasher()  # the library's defaults: Argon2id, 64 MiB, 3 passes
# Keys that wrap a key holder's private key: the same cost, written beside the wrapped key so a
# later change of cost still opens the old ones.
_key_cost = "argon2id:t=3,m=65536,p=4"
_COST = re.compile(r"^argon2id:t=(\d+),m=(\d+),p=(\d+)$")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A fresh random salt, except for the demo, whose bytes must follow from its seed."""
    return _hasher.hash(password, salt=salt)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def key_cost() -> str:
    return _key_cost


def derive_key(password: str, salt: bytes, cost: str) -> bytes:
    """A 32-byte key from a password, at the cost recorded with what it wraps."""
    found = _COST.match(cost)
    if not found:
        raise ValueError(f"unknown key derivation {cost!r}")
    time_cost, memory_cost, parallelism = (int(part) for part in found.groups())
    return hash_secret_raw(password.encode("utf-8"), salt, time_cost=time_cost, memory_cost=memory_cost,
                           parallelism=parallelism, hash_len=32, type=Type.ID)


def use_low_cost_for_tests() -> None:
    """Cheap parameters so a test suite can log in hundreds of times; never used by the app."""
    global _hasher, _key_cost
    _hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    _key_cost = "argon2id:t=1,m=8,p=1"
