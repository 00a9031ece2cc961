"""Exchange between installs (a commune and its district): partners, what each has of ours, and
packages that arrived before their turn."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, LargeBinary, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class ExchangePartner(Base):
    """Another install we exchange packages with, known by the public key it gave us at setup."""

    __tablename__ = "exchange_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    install_id: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)          # Ed25519, 32 bytes
    # The partner's part of the tree: what we send it is cut to this subtree (plus units and documents).
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    # The level above us (the district, seen from a commune): it sends directives, reference data and
    # its key down; we send it our records.
    above: Mapped[bool] = mapped_column(Boolean, default=False)
    sent_seq: Mapped[int] = mapped_column(Integer, default=0)       # the number of our last package to it
    received_seq: Mapped[int] = mapped_column(Integer, default=0)   # the number of its last package applied
    added_at: Mapped[datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(64))


class ExchangeState(Base):
    """For one partner and one record (an aggregate root, by uid): the version we last sent it, and
    the version both sides are known to hold, from which a later edit on either side is measured."""

    __tablename__ = "exchange_state"

    partner_id: Mapped[int] = mapped_column(ForeignKey("exchange_partner.id"), primary_key=True)
    root_uid: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    sent_version: Mapped[int | None] = mapped_column(Integer)
    agreed_version: Mapped[int | None] = mapped_column(Integer)


class HeldPackage(Base):
    """A package that came before an earlier one from the same partner: kept until its turn."""

    __tablename__ = "exchange_held"

    partner_id: Mapped[int] = mapped_column(ForeignKey("exchange_partner.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class SigningGrant(Base):
    """The install's package-signing private key sealed to one exporting user's own key pair: a copy of the
    file alone cannot sign (app/services/exchange/signing.py). Goes with the pair when a reset drops it."""

    __tablename__ = "signing_grant"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_key.user_id", ondelete="CASCADE"), primary_key=True)
    sealed_private: Mapped[bytes] = mapped_column(LargeBinary)
    granted_at: Mapped[datetime] = mapped_column(DateTime)
