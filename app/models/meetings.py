"""Dissemination sessions (hội nghị, lớp, buổi quán triệt…) with their rosters and crowd counts.

The class is `Meeting` so it never reads as SQLAlchemy's `Session`. Everything below the meeting
(roster, crowds, presenters, documents, files) is a child: it carries no sync fields and travels
with its meeting, and any change to it bumps the meeting's version.
"""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, SyncMixin, enum_column
from app.models.enums import AudienceGroup, MeetingForm, MeetingKind, MeetingStatus, Presence

COUNT_COLUMNS = ("expected_count", "present_count", "excused_count", "unexcused_count", "made_up_count",
                 "guest_count", "crowd_total")


class Meeting(SyncMixin, Base):
    __tablename__ = "meeting"
    __table_args__ = (
        # Sessions page: newest first, paged by (held_on, id); period filters.
        Index("ix_meeting_held", "held_on", "id"),
        # A unit's (or subtree's) sessions in a period: the page's filters and every figure.
        Index("ix_meeting_unit", "unit_id", "held_on"),
        CheckConstraint("bridge_points IS NULL OR bridge_points >= 1", name="bridge_points"),
        CheckConstraint(" AND ".join(f"{c} >= 0" for c in COUNT_COLUMNS), name="counts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))       # the organising unit
    held_on: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[time | None] = mapped_column(Time)
    ends_at: Mapped[time | None] = mapped_column(Time)
    title: Mapped[str] = mapped_column(String(300))
    title_folded: Mapped[str] = mapped_column(String(300))
    kind: Mapped[MeetingKind] = mapped_column(enum_column(MeetingKind))
    form: Mapped[MeetingForm] = mapped_column(enum_column(MeetingForm))
    bridge_points: Mapped[int | None] = mapped_column(Integer)          # số điểm cầu (online, mixed)
    place: Mapped[str] = mapped_column(String(200), default="")
    chair: Mapped[str] = mapped_column(String(200), default="")          # chủ trì
    audience: Mapped[str] = mapped_column(String(300), default="")       # thành phần
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[MeetingStatus] = mapped_column(enum_column(MeetingStatus))
    # Kept by the service in the same transaction as the roster, so lists sort and sum in SQL.
    expected_count: Mapped[int] = mapped_column(Integer, default=0)
    present_count: Mapped[int] = mapped_column(Integer, default=0)
    excused_count: Mapped[int] = mapped_column(Integer, default=0)
    unexcused_count: Mapped[int] = mapped_column(Integer, default=0)
    made_up_count: Mapped[int] = mapped_column(Integer, default=0)
    guest_count: Mapped[int] = mapped_column(Integer, default=0)
    crowd_total: Mapped[int] = mapped_column(Integer, default=0)   # quần chúng: every audience group but party members

    units: Mapped[list[MeetingUnit]] = relationship(cascade="all, delete-orphan")
    documents: Mapped[list[MeetingDocument]] = relationship(cascade="all, delete-orphan")
    presenters: Mapped[list[Presenter]] = relationship(order_by="Presenter.position", cascade="all, delete-orphan")
    attendance: Mapped[list[Attendance]] = relationship(
        cascade="all, delete-orphan", foreign_keys="Attendance.meeting_id")
    audience_counts: Mapped[list[AudienceCount]] = relationship(cascade="all, delete-orphan")
    files: Mapped[list[MeetingFile]] = relationship(order_by="MeetingFile.id", cascade="all, delete-orphan")


class MeetingUnit(Base):
    """The units whose members are expected (the organising chi bộ, or chosen chi bộ under a đảng bộ)."""

    __tablename__ = "meeting_unit"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)


class MeetingDocument(Base):
    __tablename__ = "meeting_document"
    __table_args__ = (
        # Per-document figures and the document filter: the sessions on a document.
        Index("ix_meeting_document_document", "document_id", "meeting_id"),
    )

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id"), primary_key=True)


class Presenter(Base):
    """A báo cáo viên at a session: the register's entry, with the name and title as the session gave them."""

    __tablename__ = "meeting_presenter"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200), default="")
    # The register's entry (None: a name written before the register, or one not in it).
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speaker.id"), index=True)


class Attendance(Base):
    """One line of a roster: an expected member (present or absent) or a guest.

    A make-up (học bù) is recorded on the absent member's line: when, how, or which later session.
    """

    __tablename__ = "attendance"
    __table_args__ = (
        # A person once per roster; loading a session's roster.
        UniqueConstraint("meeting_id", "person_id"),
        # Figures: present/absent counts and distinct persons of many sessions, read from the index alone.
        Index("ix_attendance_figures", "meeting_id", "presence", "person_id"),
        # Make-ups count in lượt in the period when they happen.
        Index("ix_attendance_made_up", "made_up_on", sqlite_where=text("made_up_on IS NOT NULL"),
              postgresql_where=text("made_up_on IS NOT NULL")),
        CheckConstraint("person_id IS NOT NULL OR (is_guest AND guest_name IS NOT NULL)", name="who"),
        CheckConstraint("made_up_on IS NULL OR presence <> 'present'", name="made_up_absent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    is_guest: Mapped[bool] = mapped_column(Boolean, default=False)
    guest_name: Mapped[str | None] = mapped_column(String(120))
    guest_note: Mapped[str] = mapped_column(String(200), default="")     # a guest's unit or title
    presence: Mapped[Presence | None] = mapped_column(enum_column(Presence))   # None: not marked yet
    reason: Mapped[str] = mapped_column(String(200), default="")
    made_up_on: Mapped[date | None] = mapped_column(Date)
    made_up_how: Mapped[str] = mapped_column(String(200), default="")
    made_up_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id"))


class AudienceCount(Base):
    __tablename__ = "audience_count"
    __table_args__ = (
        CheckConstraint("total >= 0 AND women >= 0 AND minority >= 0 AND women <= total AND minority <= total",
                        name="within_total"),
    )

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), primary_key=True)
    kind: Mapped[AudienceGroup] = mapped_column(enum_column(AudienceGroup), primary_key=True)
    total: Mapped[int] = mapped_column(Integer)
    women: Mapped[int] = mapped_column(Integer, default=0)
    minority: Mapped[int] = mapped_column(Integer, default=0)


class MeetingFile(Base):
    """An attachment (the biên bản scan, photos); its bytes live in stored_file."""

    __tablename__ = "meeting_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("stored_file.sha256"))
    name: Mapped[str] = mapped_column(String(255))
