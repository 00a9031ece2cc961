"""The keys that protect reporters' identities (app/services/case_keys.py tells the rules).

Only public keys and wrapped (encrypted) private keys are stored: whoever holds the database file,
the administrator included, reads no identity without a key holder's password.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class OfficeKey(Base):
    """A public key every identity is sealed to: the office's own, or one imported from a body a case
    may be sent to (the district). Only the office's own has a private half, wrapped per key holder."""

    __tablename__ = "office_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    own: Mapped[bool] = mapped_column(Boolean)
    # The private half wrapped by the recovery key shown once at setup (own key only).
    recovery_wrapped: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Own key: the public half of the signing key drawn from it, which confirms the other keys.
    confirming_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Another body's key: sealed to only once a key holder signed it (app/services/cases/sealing.py).
    confirmation: Mapped[bytes | None] = mapped_column(LargeBinary)
    confirmed_by: Mapped[str | None] = mapped_column(String(64))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)


class UserKey(Base):
    """A user's own key pair; the private half wrapped by a key derived from their password."""

    __tablename__ = "user_key"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    kdf: Mapped[str] = mapped_column(String(80))          # "argon2id:t=3,m=65536,p=4"
    salt: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped_private: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class KeyGrant(Base):
    """The office's private key sealed to one user's public key: that user may read identities."""

    __tablename__ = "key_grant"

    office_key_id: Mapped[int] = mapped_column(ForeignKey("office_key.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    sealed_private: Mapped[bytes] = mapped_column(LargeBinary)
    granted_by: Mapped[str] = mapped_column(String(64))
    granted_at: Mapped[datetime] = mapped_column(DateTime)
