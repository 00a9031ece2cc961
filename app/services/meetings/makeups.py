"""Học bù: an absent member makes up a session; the list of make-ups still owed on a document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import aliased

from app import clock
from app.db import Database
from app.models import Attendance, Meeting, MeetingDocument, Person, Unit, UnitVersion
from app.models.enums import MeetingStatus, Presence
from app.services import audit, closed_periods, sync, units
from app.services.auth import Actor, Permission, require
from app.services.errors import NotFound, ValidationError
from app.services.meetings.record import load
from app.services.meetings.roster import person_names, recount
from app.services.numbers import short_date
from app.services.scope import require_unit_in_scope, scope_allows, unit_ids_wanted
from app.services.search import clean


def record_makeup(db: Database, actor: Actor, attendance_id: int, *, on: date, how: str = "",
                  makeup_meeting_id: int | None = None, today: date | None = None) -> None:
    """Học bù: an absent member made up the session (on a date and how, or at a later session)."""
    require(actor, Permission.EDIT_MEETINGS)
    today = today or clock.today()
    with db.session_scope() as session:
        line = session.get(Attendance, attendance_id)
        if line is None:
            raise NotFound("Không tìm thấy dòng điểm danh này.")
        meeting = load(session, line.meeting_id)
        require_unit_in_scope(session, actor, meeting.unit_id, meeting.held_on)
        name = person_names(session, {line.person_id}).get(line.person_id, "") if line.person_id else ""
        errors: dict[str, str] = {}
        how = clean(how)
        if line.is_guest or line.presence not in (Presence.EXCUSED, Presence.UNEXCUSED):
            errors["attendance"] = f"{name} không vắng ở buổi này nên không cần học bù."
        if makeup_meeting_id is not None:
            later = session.get(Meeting, makeup_meeting_id)
            if later is None or later.deleted_at is not None or later.status is not MeetingStatus.HELD:
                errors["makeup_meeting_id"] = "Buổi học bù phải là một buổi đã tổ chức."
            elif later.id == meeting.id:
                errors["makeup_meeting_id"] = "Buổi học bù phải là một buổi khác với buổi đã vắng."
            else:
                require_unit_in_scope(session, actor, later.unit_id, later.held_on)
                on = later.held_on
                how = how or f"Dự «{later.title}» ngày {short_date(later.held_on)}"
        if on < meeting.held_on:
            errors["on"] = f"Ngày học bù phải từ ngày {short_date(meeting.held_on)} trở đi."
        elif on > today:
            errors["on"] = "Ngày học bù không được ở tương lai."
        if not how:
            errors["how"] = "Hãy ghi hình thức học bù (ví dụ: nghiên cứu tài liệu, dự buổi khác)."
        if errors:
            raise ValidationError(errors)
        # Figures count a make-up in the period of its own date (at the later session, that session's day):
        # a September absence made up in an open October is fine after September's report.
        closed_periods.require_open(session, meeting.unit_id, on, field="on")
        line.made_up_on, line.made_up_how, line.made_up_meeting_id = on, how, makeup_meeting_id
        recount(meeting)
        sync.touch(meeting, actor)
        audit.record(session, actor, "học bù", "meeting", meeting.id, f"{name} học bù «{meeting.title}»",
                     after={"person_id": line.person_id, "on": on.isoformat(), "how": how})


@dataclass(frozen=True)
class Absentee:
    """A member absent from a session on a document who has not made it up (nor attended another)."""

    attendance_id: int
    full_name: str
    birth_year: int | None
    unit_name: str
    meeting_title: str
    held_on: date
    presence: Presence
    reason: str
    unit_id: int = 0


def absentees(db: Database, actor: Actor, document_id: int, *, unit_id: int | None = None,
              limit: int = 2000) -> list[Absentee]:
    """Học bù still owed on a document, unit by unit: the list the office chases (the actor's scope at most)."""
    require(actor, Permission.VIEW_MEETINGS)
    other, other_meeting, other_link = aliased(Attendance), aliased(Meeting), aliased(MeetingDocument)
    covered_elsewhere = exists().where(
        other.person_id == Attendance.person_id, other.meeting_id == other_meeting.id,
        other_link.meeting_id == other_meeting.id, other_link.document_id == document_id,
        other_meeting.status == MeetingStatus.HELD, other_meeting.deleted_at.is_(None),
        or_(other.presence == Presence.PRESENT, other.made_up_on.is_not(None)))
    names = units.in_force(clock.today()).with_only_columns(Unit.id.label("unit_id"), UnitVersion.name).subquery()
    query = (select(Attendance.id, Person.full_name, Person.birth_year, names.c.name, Meeting.title, Meeting.held_on,
                    Attendance.presence, Attendance.reason, Meeting.unit_id)
             .join(Meeting, Meeting.id == Attendance.meeting_id)
             .join(MeetingDocument, (MeetingDocument.meeting_id == Meeting.id)
                   & (MeetingDocument.document_id == document_id))
             .join(Person, Person.id == Attendance.person_id)
             .join(names, names.c.unit_id == Meeting.unit_id)
             .where(Meeting.deleted_at.is_(None), Meeting.status == MeetingStatus.HELD, Attendance.is_guest.is_(False),
                    Attendance.presence.in_([Presence.EXCUSED, Presence.UNEXCUSED]), Attendance.made_up_on.is_(None),
                    ~covered_elsewhere)
             .order_by(names.c.name, Person.name_sort, Meeting.held_on)
             .limit(limit))
    with db.session_scope() as session:
        wanted = unit_ids_wanted(session, actor, unit_id)
        if wanted is not None:
            query = query.where(Meeting.unit_id.in_(sorted(wanted)))
        found = [Absentee(*row) for row in session.execute(query)]
        # A make-up is written on the session's own record, which a clerk may touch only if its unit was his
        # on the day it was held (a chi bộ moved to his commune since brought its old sessions along).
        return [row for row in found if scope_allows(session, actor, row.unit_id, row.held_on)]


@dataclass(frozen=True)
class MakeupSession:
    """A held session an absent member may have made up at (often the commune's học bù session)."""

    id: int
    held_on: date
    title: str
    unit_name: str

    @property
    def label(self) -> str:
        return f"{short_date(self.held_on)} — {self.title} — {self.unit_name}"


def makeup_sessions(db: Database, actor: Actor, document_id: int, *, limit: int = 200) -> list[MakeupSession]:
    """Held sessions on the document in the actor's scope, newest first."""
    require(actor, Permission.VIEW_MEETINGS)
    names = units.in_force(clock.today()).with_only_columns(Unit.id.label("unit_id"), UnitVersion.name).subquery()
    query = (select(Meeting.id, Meeting.held_on, Meeting.title, names.c.name)
             .join(MeetingDocument, (MeetingDocument.meeting_id == Meeting.id)
                   & (MeetingDocument.document_id == document_id))
             .join(names, names.c.unit_id == Meeting.unit_id)
             .where(Meeting.deleted_at.is_(None), Meeting.status == MeetingStatus.HELD)
             .order_by(Meeting.held_on.desc(), Meeting.id.desc())
             .limit(limit))
    with db.session_scope() as session:
        wanted = unit_ids_wanted(session, actor, None)
        if wanted is not None:
            query = query.where(Meeting.unit_id.in_(sorted(wanted)))
        return [MakeupSession(*row) for row in session.execute(query)]
