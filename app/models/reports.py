"""The periodic report's written sections while they are drafted, and the register of issued reports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.models.base import Base, SyncMixin


class ReportDraft(Base):
    """The written parts (I, III, IV, V, the models) of a report being prepared, per period and scope."""

    __tablename__ = "report_draft"
    __table_args__ = (UniqueConstraint("period_key", "scope_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_key: Mapped[str] = mapped_column(String(40))     # thang:2026-11-01:2026-11-30
    scope_code: Mapped[str] = mapped_column(String(20))     # a unit's code, "" for the whole office
    written: Mapped[str] = mapped_column(Text)              # JSON: section name -> text
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=lambda: utcnow())
    updated_by: Mapped[str] = mapped_column(String(64), default="")

    __mapper_args__ = {"version_id_col": version}   # two people saving the same draft: the second is told


class IssuedReport(SyncMixin, Base):
    """An issued report: its number, the PDF's bytes as issued, the written parts and the profile
    version it was drawn with. Never edited: a correction is a new report."""

    __tablename__ = "issued_report"
    __table_args__ = (
        # Numbers run per (issuing office, document type, term); unique even on a shared server.
        UniqueConstraint("office_unit_id", "issuing_code", "kind_code", "term", "number",
                         name="uq_issued_report_register"),
        # The register, newest first.
        Index("ix_issued_report_made_on", "made_on", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))   # the office whose register it is in
    issuing_code: Mapped[str] = mapped_column(String(30))    # BTGHU
    kind_code: Mapped[str] = mapped_column(String(10))       # BC
    term: Mapped[str] = mapped_column(String(20))            # 2025-2030
    number: Mapped[int] = mapped_column(Integer)
    period_key: Mapped[str] = mapped_column(String(40))
    scope_code: Mapped[str] = mapped_column(String(20))
    made_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(300))
    written: Mapped[str] = mapped_column(Text)               # JSON, as issued
    profile_valid_from: Mapped[date] = mapped_column(Date)   # the office profile version used
    pdf_sha256: Mapped[str] = mapped_column(ForeignKey("stored_file.sha256"))
    # A periodic report's figures as data (JSON, app/services/received.py FIGURES): travel up with it, so
    # the office above counts a commune whose sessions it does not hold.
    figures: Mapped[str | None] = mapped_column(Text)


class ReportReceipt(Base):
    """When a report issued elsewhere reached this install, and by which package (local bookkeeping: the
    date received is this office's fact, not the sender's)."""

    __tablename__ = "report_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("issued_report.id"), unique=True)
    received_on: Mapped[date] = mapped_column(Date)
    received_at: Mapped[datetime] = mapped_column(DateTime, default=lambda: utcnow())
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("exchange_partner.id"))
    package_seq: Mapped[int | None] = mapped_column(Integer)


class ReportDecision(SyncMixin, Base):
    """The office above approves a report it received, or returns it with a comment for a correction;
    travels down to the office that issued it. The latest decision on a report is the one in force."""

    __tablename__ = "report_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("issued_report.id"), index=True)
    office_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))   # the office that issued the report
    approved: Mapped[bool] = mapped_column(Boolean)                      # False: returned
    comment: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(100))                # the leader's full name, as the commune reads it
    deciding_office: Mapped[str] = mapped_column(String(200))           # BAN TUYÊN GIÁO HUYỆN ỦY BẢO THẮNG


class PeriodReopening(Base):
    """A leader opened again the period an issued report had closed, saying why. The report stays as issued;
    the period stays open until a correction for it is issued."""

    __tablename__ = "period_reopening"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("issued_report.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    reopened_at: Mapped[datetime] = mapped_column(DateTime, default=lambda: utcnow())
    reopened_by: Mapped[str] = mapped_column(String(64))


class ReportDuty(Base):
    """A report the offices under an office owe it, and by when: the `due_day` of the month that is
    `months_after` the period's last month (monthly by the 20th: day 20, 0 months after)."""

    __tablename__ = "report_duty"
    __table_args__ = (UniqueConstraint("office_unit_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))   # the office the reports go up to
    kind: Mapped[str] = mapped_column(String(10))                        # thang, quy, 6thang, 9thang, nam
    due_day: Mapped[int] = mapped_column(Integer)
    months_after: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=lambda: utcnow())
    updated_by: Mapped[str] = mapped_column(String(64), default="")
