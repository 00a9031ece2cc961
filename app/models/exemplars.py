"""Good examples (mô hình, điển hình tiên tiến): a model or a commended collective or person, the unit
it belongs to, the document it serves, when and how it was recognised, and the units that took it up
(nhân rộng). The spread travels with its example.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin, enum_column
from app.models.enums import Commendation, ExemplarKind


class Exemplar(SyncMixin, Base):
    __tablename__ = "exemplar"
    __table_args__ = (
        # The register's page, newest first and paged by (recognised_on, id); section II.5's period.
        Index("ix_exemplar_recognised", "recognised_on", "id"),
        # A unit subtree's examples in a period.
        Index("ix_exemplar_unit", "unit_id", "recognised_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ExemplarKind] = mapped_column(enum_column(ExemplarKind))
    title: Mapped[str] = mapped_column(String(300))
    title_folded: Mapped[str] = mapped_column(String(300))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)
    recognised_on: Mapped[date] = mapped_column(Date)
    commendation: Mapped[Commendation] = mapped_column(enum_column(Commendation))
    awarded_by: Mapped[str] = mapped_column(String(200), default="")   # Ban Thường vụ Huyện ủy, UBND tỉnh…
    description: Mapped[str] = mapped_column(Text, default="")

    spread: Mapped[list[ExemplarSpread]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                        order_by="ExemplarSpread.id")


class ExemplarSpread(Base):
    """A unit that took the example up, and since when."""

    __tablename__ = "exemplar_spread"
    __table_args__ = (
        # The units that took examples up in a period (section II.5).
        Index("ix_exemplar_spread_unit", "unit_id", "since"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exemplar_id: Mapped[int] = mapped_column(ForeignKey("exemplar.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    since: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")
