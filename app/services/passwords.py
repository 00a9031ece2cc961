"""Password hashing with Argon2id (memory-hard), from argon2-cffi."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # the library's defaults: Argon2id, 64 MiB, 3 passes


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A fresh random salt, except for the demo, whose bytes must follow from its seed."""
    return _hasher.hash(password, salt=salt)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def use_low_cost_for_tests() -> None:
    """Cheap parameters so a test suite can log in hundreds of times; never used by the app."""
    global _hasher
    _hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
