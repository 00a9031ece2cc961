"""Reported cases (phản ánh, kiến nghị, tố giác), their reference lists and the reporter's identity.

A case is one aggregate: its signs and its events travel with it and bump its version. The reporter's
identity and the attachments sit in their own tables, sealed (app/services/sealing.py): removing one
deletes the row for real, while the case itself is only tombstoned.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin, enum_column
from app.models.enums import CaseStatus, CaseStep, ClosedAs, Conclusion, ReferenceList, Regime


class ReferenceItem(Base):
    """One entry of a Danh mục list. Codes are stable (the exchange maps by them); an entry in use is
    retired, never deleted."""

    __tablename__ = "reference_item"
    __table_args__ = (UniqueConstraint("list", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    list: Mapped[ReferenceList] = mapped_column(enum_column(ReferenceList))
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(400))
    grouping: Mapped[str] = mapped_column(String(16), default="")   # a sign's group: TT, ĐĐ, TDB, TNLP
    regime: Mapped[Regime | None] = mapped_column(enum_column(Regime))  # a handling body's deadline rules
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime)


class HolidayException(Base):
    """The government's yearly moves: a day off that the library does not know, or a working Saturday."""

    __tablename__ = "holiday_exception"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")


class Case(SyncMixin, Base):
    __tablename__ = "case_file"  # "case" is an SQL keyword
    __table_args__ = (
        # Cases page: newest first, paged by (received_on, id); period filters.
        Index("ix_case_file_received", "received_on", "id"),
        # "Sắp đến hạn / quá hạn": open cases by due date.
        Index("ix_case_file_status_due", "status", "due_on"),
        # Numbering: the next number of a receiving unit in a year.
        UniqueConstraint("receiving_unit_id", "year", "seq"),
        CheckConstraint("extensions >= 0", name="extensions"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60), unique=True)   # "0007/2026/BAOTHANG"
    receiving_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[date] = mapped_column(Date)
    channel_id: Mapped[int] = mapped_column(ForeignKey("reference_item.id"))
    kind_id: Mapped[int] = mapped_column(ForeignKey("reference_item.id"))
    anonymous: Mapped[bool] = mapped_column(Boolean)
    # An anonymous denunciation is recorded as information, not handled under the denunciation procedure.
    information_only: Mapped[bool] = mapped_column(Boolean, default=False)
    # The reported person (not protected: the report is about their public conduct).
    reported_name: Mapped[str] = mapped_column(String(120))
    reported_name_folded: Mapped[str] = mapped_column(String(120))
    reported_position: Mapped[str] = mapped_column(String(200), default="")
    reported_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    reported_is_member: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_is_key_cadre: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_is_head: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text)
    summary_folded: Mapped[str] = mapped_column(Text)
    # The workflow.
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus))
    handling_body_id: Mapped[int | None] = mapped_column(ForeignKey("reference_item.id"))
    regime: Mapped[Regime | None] = mapped_column(enum_column(Regime))
    accepted_on: Mapped[date | None] = mapped_column(Date)          # thụ lý: the clock starts
    due_on: Mapped[date | None] = mapped_column(Date)               # stored, so lists filter on it
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    conclusion: Mapped[Conclusion | None] = mapped_column(enum_column(Conclusion))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("reference_item.id"))
    told_on: Mapped[date | None] = mapped_column(Date)
    told_how: Mapped[str] = mapped_column(String(200), default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"))
    closed_as: Mapped[ClosedAs | None] = mapped_column(enum_column(ClosedAs))

    signs: Mapped[list[CaseSign]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    events: Mapped[list[CaseEvent]] = relationship(cascade="all, delete-orphan", order_by="CaseEvent.id")


class CaseSign(Base):
    __tablename__ = "case_sign"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), primary_key=True)
    # Figures by sign read from this end.
    sign_id: Mapped[int] = mapped_column(ForeignKey("reference_item.id"), primary_key=True, index=True)


class CaseEvent(Base):
    """One step of the workflow: who, when, what it set, a note and a reason."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A case's history, in order.
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    on: Mapped[date] = mapped_column(Date)                   # the day the step took effect
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str] = mapped_column(String(64))
    step: Mapped[CaseStep] = mapped_column(enum_column(CaseStep))
    from_status: Mapped[CaseStatus | None] = mapped_column(enum_column(CaseStatus))
    to_status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus))
    detail: Mapped[str] = mapped_column(String(300), default="")   # "Giao Ủy ban Kiểm tra, hạn 21/05/2026"
    note: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")


class CaseIdentity(Base):
    """The reporter's name, address and phone, sealed to the office's key and the district's."""

    __tablename__ = "case_identity"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)


class CaseAttachment(Base):
    """The letter's scan, photos: name and bytes sealed together (a file name can name the reporter)."""

    __tablename__ = "case_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    added_by: Mapped[str] = mapped_column(String(64))
