"""Units (đảng bộ, chi bộ…) with dated versions of their name and parent."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin, enum_column
from app.models.enums import UnitKind


class Unit(SyncMixin, Base):
    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short code carried by numbers people read (case and report numbers), unique per office.
    code: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    # Set when the unit stops operating; a unit with records is deactivated, never deleted.
    deactivated_on: Mapped[date | None] = mapped_column(Date)

    versions: Mapped[list[UnitVersion]] = relationship(
        back_populates="unit", order_by="UnitVersion.valid_from", foreign_keys="UnitVersion.unit_id",
        cascade="all, delete-orphan")


class UnitVersion(Base):
    """The unit's name and parent from `valid_from` until the next version."""

    __tablename__ = "unit_version"
    __table_args__ = (
        UniqueConstraint("unit_id", "valid_from"),
        # The tree on a date: for each unit, its latest version with valid_from <= date.
        Index("ix_unit_version_parent", "parent_id", "valid_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))
    name_folded: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))

    unit: Mapped[Unit] = relationship(back_populates="versions", foreign_keys=[unit_id])
