"""The documents register: Party documents, the chain of plans implementing them, and tracking.

A document is one aggregate: its "implements" links, the units that must disseminate it, its
deadline and its own attendance target travel with it and bump its version.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin, enum_column
from app.models.enums import DocumentKind


class Document(SyncMixin, Base):
    __tablename__ = "document"
    __table_args__ = (
        # Register and pickers: newest first, paged by (issued_on, id).
        Index("ix_document_issued", "issued_on", "id"),
        # "Is this number already registered?" on every save.
        Index("ix_document_number", "number_folded"),
        CheckConstraint("target IS NULL OR (target > 0 AND target <= 100)", name="target"),
        CheckConstraint("deadline IS NULL OR deadline >= issued_on", name="deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind))
    number: Mapped[str] = mapped_column(String(40))          # "54-KL/TW", "234-KH/TU"
    number_folded: Mapped[str] = mapped_column(String(40))
    issuer: Mapped[str] = mapped_column(String(200))          # "Bộ Chính trị", "Tỉnh ủy Lào Cai"
    issued_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)                # trích yếu
    summary_folded: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str | None] = mapped_column(ForeignKey("stored_file.sha256"))  # the document's text
    file_name: Mapped[str] = mapped_column(String(255), default="")
    # Implementation tracking, set by the office: by when the required units must disseminate it,
    # and its own attendance target in percent (None: the office profile's).
    deadline: Mapped[date | None] = mapped_column(Date)
    target: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))

    implements: Mapped[list[DocumentLink]] = relationship(
        foreign_keys="DocumentLink.document_id", cascade="all, delete-orphan", lazy="selectin")
    required_units: Mapped[list[RequiredUnit]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class DocumentLink(Base):
    """This document implements that one (KH 234-KH/TU implements KL 54-KL/TW)."""

    __tablename__ = "document_link"
    __table_args__ = (
        CheckConstraint("document_id <> implements_id", name="not_itself"),
    )

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), primary_key=True)
    # Walking the chain down ("what implements KL 54?") reads by the other end.
    implements_id: Mapped[int] = mapped_column(ForeignKey("document.id"), primary_key=True, index=True)


class RequiredUnit(Base):
    """A unit that must disseminate the document (its own subtree counts for it)."""

    __tablename__ = "document_unit"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)


class UnitPlan(SyncMixin, Base):
    """A required unit's own plan implementing a tracked document (cụ thể hóa thành kế hoạch): its number and
    day. Its own record, made where the unit works, so it travels up without touching the document."""

    __tablename__ = "unit_plan"
    __table_args__ = (
        # The coverage of a document: its units' plans.
        Index("ix_unit_plan_document", "document_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    number: Mapped[str] = mapped_column(String(40))           # "15-KH/ĐU"
    issued_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(String(300), default="")
