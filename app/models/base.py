"""Declarative base, constraint naming, the sync mixin of aggregate roots, time-ordered uids."""

from __future__ import annotations

import enum
import os
import uuid
from datetime import datetime

from sqlalchemy import DateTime, Enum, MetaData, String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from app.clock import epoch_ms, utcnow

# Named constraints from revision 1, so batch migrations on SQLite can find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def uuid7(unix_ms: int, random_bytes: bytes) -> uuid.UUID:
    """A UUIDv7 (RFC 9562) from a millisecond clock and 10 random bytes.

    Built by hand because the demo must be deterministic: its clock and randomness come from the
    seed, which no library's uuid7() lets us inject.
    """
    rand = int.from_bytes(random_bytes[:10], "big")
    rand_a = rand >> 68 & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = (unix_ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return uuid.UUID(int=value)


def new_uid() -> uuid.UUID:
    return uuid7(epoch_ms(), os.urandom(10))


class LabeledEnum(str, enum.Enum):
    """An enum stored by its value (a short ASCII code) and shown by its Vietnamese label."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    def __str__(self) -> str:
        return self.value


def enum_column(cls: type[enum.Enum]) -> Enum:
    """Enums are plain strings in the database: a new member needs no migration."""
    return Enum(cls, native_enum=False, create_constraint=False, length=32,
                values_callable=lambda members: [m.value for m in members], validate_strings=True)


class SyncMixin:
    """Fields every aggregate root carries so installs can exchange it (DESIGN.md, "Data").

    `version` is SQLAlchemy's version counter: every UPDATE of the root bumps it and fails if
    somebody else bumped it first (optimistic locking); a change to a child touches the root.
    """

    uid: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=new_uid)
    origin: Mapped[str] = mapped_column(String(36))
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=lambda: utcnow())
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=lambda: utcnow())
    updated_by: Mapped[str] = mapped_column(String(64), default="")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.version}
