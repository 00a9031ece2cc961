"""Materials (tài liệu, ấn phẩm, tin bài) with their distribution, and the loudspeaker log.

A material is one aggregate: its documents and its distribution rows travel with it; the stock
(produced − distributed) is checked on the material's version, so two clerks cannot both hand out
the last copies.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin, enum_column
from app.models.enums import MaterialKind


class Material(SyncMixin, Base):
    __tablename__ = "material"
    __table_args__ = (
        # Materials page: newest first, paged by (issued_on, id); period filters.
        Index("ix_material_issued", "issued_on", "id"),
        Index("ix_material_unit", "unit_id", "issued_on"),
        CheckConstraint("quantity >= 0 AND distributed >= 0 AND distributed <= quantity", name="stock"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MaterialKind] = mapped_column(enum_column(MaterialKind))
    title: Mapped[str] = mapped_column(String(300))
    title_folded: Mapped[str] = mapped_column(String(300))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))      # the producing unit
    outlet: Mapped[str] = mapped_column(String(200), default="")     # Báo Lào Cai, Đài PT-TH huyện…
    issued_on: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)                   # in the kind's measure
    distributed: Mapped[int] = mapped_column(Integer, default=0)     # kept with the rows, for lists and the check
    notes: Mapped[str] = mapped_column(Text, default="")

    documents: Mapped[list[MaterialDocument]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    distribution: Mapped[list[Distribution]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                            order_by="Distribution.id")


class MaterialDocument(Base):
    __tablename__ = "material_document"

    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"), primary_key=True)
    # "Materials made for KL 54" on the document's page.
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), primary_key=True, index=True)


class Distribution(Base):
    """Copies handed to a unit."""

    __tablename__ = "material_distribution"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity"),
        # Distribution per unit in a period, for the figures.
        Index("ix_distribution_unit", "unit_id", "given_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    given_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")


class Broadcast(SyncMixin, Base):
    """One content aired on one day by a commune's loudspeaker station: how many times, how long in all."""

    __tablename__ = "broadcast"
    __table_args__ = (
        # A station's week, and a subtree's period in the figures.
        Index("ix_broadcast_unit", "unit_id", "aired_on"),
        Index("ix_broadcast_aired", "aired_on", "id"),
        CheckConstraint("times >= 1 AND minutes >= 1", name="amounts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))      # the station's commune
    aired_on: Mapped[date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(String(300))
    content_folded: Mapped[str] = mapped_column(String(300))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)
    times: Mapped[int] = mapped_column(Integer)                      # lượt phát
    minutes: Mapped[int] = mapped_column(Integer)                    # in all, that day
