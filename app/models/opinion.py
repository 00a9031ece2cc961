"""Public opinion (tình hình tư tưởng, dư luận xã hội): what was heard, where, among whom, which way it
leans and what was done. An entry names a topic and groups of people, never a person: it is not a
case register, so there is no reporter and no identity to protect.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin, enum_column
from app.models.enums import OpinionGroup, OpinionTendency


class Opinion(SyncMixin, Base):
    __tablename__ = "opinion"
    __table_args__ = (
        # The register's page, newest first and paged by (noted_on, id); section I's period.
        Index("ix_opinion_noted", "noted_on", "id"),
        # A unit subtree's entries in a period (section I of a commune's report).
        Index("ix_opinion_unit", "unit_id", "noted_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))      # the unit that gathered it
    noted_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(300))
    topic_folded: Mapped[str] = mapped_column(String(300))
    heard_at: Mapped[str] = mapped_column(String(200))                # họp chi bộ thôn, chợ phiên, mạng xã hội…
    tendency: Mapped[OpinionTendency] = mapped_column(enum_column(OpinionTendency))
    content: Mapped[str] = mapped_column(Text, default="")            # what people say, in a few lines
    action: Mapped[str] = mapped_column(Text, default="")             # what was done about it
    reported_up: Mapped[bool] = mapped_column(Boolean, default=False)  # told to the office above
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"), index=True)  # the directive it concerns

    groups: Mapped[list[OpinionAmong]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                       order_by="OpinionAmong.group")


class OpinionAmong(Base):
    """A group of people the opinion runs among."""

    __tablename__ = "opinion_group"

    opinion_id: Mapped[int] = mapped_column(ForeignKey("opinion.id"), primary_key=True)
    group: Mapped[OpinionGroup] = mapped_column(enum_column(OpinionGroup), primary_key=True)
