"""People (party members and cadres) and their dated memberships of a chi bộ."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin, enum_column
from app.models.enums import Gender, MembershipStatus


class Person(SyncMixin, Base):
    """Only what the work needs (DOMAIN.md): no party card or citizen ID numbers."""

    __tablename__ = "person"
    __table_args__ = (
        # People page: keyset paging in name order (Vietnamese order: given name first).
        Index("ix_person_sort", "name_sort", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    # Folded (lower case, no marks) for diacritic-insensitive search: "quan triet" finds "Quán triệt".
    name_folded: Mapped[str] = mapped_column(String(120))
    name_sort: Mapped[str] = mapped_column(String(250))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender))
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    position: Mapped[str | None] = mapped_column(String(120))
    party_member: Mapped[bool] = mapped_column(Boolean, default=True)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", order_by="Membership.valid_from", cascade="all, delete-orphan")


class Membership(Base):
    """A stretch of a person's life in one unit with one status: [valid_from, valid_to).

    Each person has exactly one open stretch (valid_to NULL): the current one. A transfer closes it
    and opens another; so do an exemption, a return, a death.
    """

    __tablename__ = "membership"
    __table_args__ = (
        # One open stretch per person; also serves "current unit and status of these people".
        Index("ix_membership_open", "person_id", unique=True,
              sqlite_where=text("valid_to IS NULL"), postgresql_where=text("valid_to IS NULL")),
        # Expected roster: members of units U active on date D (covering: no table look-ups).
        Index("ix_membership_roster", "unit_id", "status", "valid_from", "valid_to", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    status: Mapped[MembershipStatus] = mapped_column(enum_column(MembershipStatus))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(200), default="")

    person: Mapped[Person] = relationship(back_populates="memberships")
