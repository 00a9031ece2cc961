"""Attendance figures in one place: the sessions table, the dialog and the reports all ask here.

Every attendance figure is defined here once: the sessions page and `meetings list --totals`, the
report, the exchange summaries and (later) the overview all ask these functions, so no two places
can count a figure two ways.

The two rates DOMAIN.md keeps apart:
- **lượt** (per session, per period): (present + made up) / expected, summed over held sessions; a
  make-up counts in the period when it happens, whichever session it made up;
- **người per document**: distinct members who attended a session on the document or made it up,
  over distinct members required to study it (active, not exempt, in the units, at the period's end).
Only held sessions count; planned, postponed, cancelled and deleted ones never do. **Quần chúng**
(the crowd) is every audience group but party members, who are counted on the roster.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Select, String, and_, cast, distinct, func, intersect, or_, select
from sqlalchemy.orm import Session

from app import clock
from app.config import SETTINGS
from app.db import Database
from app.models import Attendance, AudienceCount, Meeting, MeetingDocument, Presenter, Speaker, Unit
from app.models.enums import AudienceGroup, MeetingForm, MeetingKind, MeetingStatus, Presence, SpeakerLevel
from app.services import profile, units
from app.services.auth import Actor, Permission, require
from app.services.errors import NotFound
from app.services.meetings.listing import MeetingFilter, conditions
from app.services.numbers import ratio
from app.services.people import members_on
from app.services.scope import require_unit_in_scope, unit_ids_wanted

# Quần chúng: every audience group but party members (they come in lượt through the roster).
CROWD_GROUPS = tuple(group for group in AudienceGroup if group is not AudienceGroup.PARTY_MEMBERS)


@dataclass(frozen=True)
class Crowd:
    total: int = 0
    women: int = 0
    minority: int = 0


def crowd_of(crowds: dict[AudienceGroup, Crowd]) -> Crowd:
    """Quần chúng of counts by group: the party members' group left out."""
    shown = [crowds[group] for group in CROWD_GROUPS if group in crowds]
    return Crowd(sum(c.total for c in shown), sum(c.women for c in shown), sum(c.minority for c in shown))


@dataclass(frozen=True)
class Turnout:
    """Figures of one session or of a period and unit subtree."""

    meetings: int = 0
    expected: int = 0
    present: int = 0
    excused: int = 0
    unexcused: int = 0
    made_up: int = 0            # lượt made up for these sessions (by the period's end, for a period)
    guests: int = 0
    people: int = 0             # người: distinct members who attended or made up
    crowds: dict[AudienceGroup, Crowd] = field(default_factory=dict)
    target: Decimal = Decimal(SETTINGS.default_attendance_target)
    made_up_earlier: int = 0    # lượt made up in the period for sessions of earlier periods

    @property
    def attended(self) -> int:
        """Lượt: present plus made up."""
        return self.present + self.made_up

    @property
    def rate(self) -> float | None:
        return ratio(self.attended, self.expected)

    @property
    def below_target(self) -> bool:
        return self.rate is not None and self.rate < float(self.target)

    @property
    def crowd(self) -> Crowd:
        """Lượt quần chúng, of them women and ethnic minorities."""
        return crowd_of(self.crowds)


@dataclass(frozen=True)
class DocumentTurnout:
    document_id: int
    required: int               # distinct members required to study it
    attended: int               # of them, distinct members who attended or made up
    target: Decimal
    made_up: int = 0            # distinct members who made a session on it up by the day

    @property
    def rate(self) -> float | None:
        return ratio(self.attended, self.required)

    @property
    def below_target(self) -> bool:
        return self.rate is not None and self.rate < float(self.target)


def target_on(session: Session, on: date, unit_id: int | None = None) -> Decimal:
    """The attendance target in force on a date of the office leading `unit_id` (the own office for None;
    95% when there is none)."""
    found = profile.in_force_in(session, on, unit_id)
    return found.attendance_target if found and found.attendance_target else Decimal(SETTINGS.default_attendance_target)


def attendance_target(db: Database, on: date | None = None) -> Decimal:
    with db.session_scope() as session:
        return target_on(session, on or clock.today())


def _crowds(session: Session, meeting_ids) -> dict[AudienceGroup, Crowd]:
    rows = session.execute(select(AudienceCount.kind, func.sum(AudienceCount.total), func.sum(AudienceCount.women),
                                  func.sum(AudienceCount.minority))
                           .where(AudienceCount.meeting_id.in_(meeting_ids)).group_by(AudienceCount.kind))
    return {AudienceGroup(kind): Crowd(int(total), int(women), int(minority)) for kind, total, women, minority in rows}


def for_meeting(db: Database, actor: Actor, meeting_id: int) -> Turnout:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None or meeting.deleted_at is not None:
            raise NotFound("Không tìm thấy hội nghị này (có thể đã bị xóa).")
        require_unit_in_scope(session, actor, meeting.unit_id, meeting.held_on)
        return Turnout(1, meeting.expected_count, meeting.present_count, meeting.excused_count,
                       meeting.unexcused_count, meeting.made_up_count, meeting.guest_count,
                       meeting.present_count + meeting.made_up_count,
                       _crowds(session, [meeting.id]), target_on(session, meeting.held_on, meeting.unit_id))


def for_period(db: Database, actor: Actor, flt: MeetingFilter) -> Turnout:
    """Held sessions of a filter (period, unit subtree, kind, form, document, text)."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        return period_in(session, actor, flt)


def held_in(session: Session, actor: Actor, flt: MeetingFilter) -> ColumnElement[bool]:
    """The held sessions of a filter: the WHERE clause every figure of a period starts from."""
    return and_(*conditions(session, actor, flt), Meeting.status == MeetingStatus.HELD)


def made_up_in(session: Session, actor: Actor, flt: MeetingFilter) -> Select:
    """Attendance rows of the filter's held sessions made up by the end of its period: a make-up belongs
    to the session it makes up, so a session's lượt never pass its expected count (DOMAIN.md)."""
    when = [Attendance.made_up_on.is_not(None)]
    if flt.end:
        when.append(Attendance.made_up_on <= flt.end)
    # Driven from the period's sessions (a few) through IN, not from every make-up before the period's end:
    # SQLite would walk the make-up date index across ten years (318 ms against 23 ms for a month).
    sessions = select(Meeting.id).where(held_in(session, actor, flt))
    return (select(Attendance.person_id, Meeting.unit_id)
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Attendance.meeting_id.in_(sessions), *when, Attendance.is_guest.is_(False)))


def made_up_for_earlier(session: Session, actor: Actor, flt: MeetingFilter) -> int:
    """Make-ups done in the period for sessions held before it: reported on a line of their own."""
    if flt.start is None:
        return 0
    when = [Attendance.made_up_on >= flt.start, Meeting.held_on < flt.start]
    if flt.end:
        when.append(Attendance.made_up_on <= flt.end)
    return session.scalar(select(func.count()).select_from(Attendance).join(Meeting, Meeting.id == Attendance.meeting_id)
                          .where(*when, *conditions(session, actor, flt, with_period=False),
                                 Meeting.status == MeetingStatus.HELD, Attendance.is_guest.is_(False)))


def period_in(session: Session, actor: Actor, flt: MeetingFilter, *, with_people: bool = True) -> Turnout:
    """`with_people=False` leaves người at 0: a comparison across periods needs only lượt."""
    held = held_in(session, actor, flt)
    sums = session.execute(select(
        func.count(), func.coalesce(func.sum(Meeting.expected_count), 0),
        func.coalesce(func.sum(Meeting.present_count), 0), func.coalesce(func.sum(Meeting.excused_count), 0),
        func.coalesce(func.sum(Meeting.unexcused_count), 0), func.coalesce(func.sum(Meeting.guest_count), 0))
        .where(held)).one()
    made_up_rows = made_up_in(session, actor, flt).with_only_columns(Attendance.person_id)
    made_up = session.scalar(select(func.count()).select_from(made_up_rows.subquery()))
    people = 0
    if with_people:   # who took part: present, or made up by the period's end; one pass, no UNION to sort
        reached = [Attendance.presence == Presence.PRESENT, Attendance.made_up_on.is_not(None)]
        if flt.end:
            reached[1] = and_(reached[1], Attendance.made_up_on <= flt.end)
        people = session.scalar(select(func.count(distinct(Attendance.person_id)))
                                .join(Meeting, Meeting.id == Attendance.meeting_id)
                                .where(held, Attendance.is_guest.is_(False), or_(*reached)))
    target = target_on(session, flt.end or clock.today(),
                       flt.unit_id or (actor.unit_id if actor.limited_to_unit else None))
    return Turnout(sums[0], sums[1], sums[2], sums[3], sums[4], made_up, sums[5], people,
                   _crowds(session, select(Meeting.id).where(held)), target,
                   made_up_for_earlier(session, actor, flt))


def by_month(session: Session, actor: Actor, flt: MeetingFilter) -> dict[tuple[int, int, int], tuple[int, int]]:
    """(year, month, organising unit) -> (expected, attended) in lượt of the filter's held sessions, each month
    as its own report counts it (make-ups by that month's end), in two grouped reads instead of one per month.
    By unit, so that the caller can take each month's subtree as it stood at that month's end."""
    held = held_in(session, actor, flt)
    year, month = func.extract("year", Meeting.held_on), func.extract("month", Meeting.held_on)
    found = {(int(y), int(m), unit): [int(expected or 0), int(present or 0)]
             for y, m, unit, expected, present in session.execute(
                 select(year, month, Meeting.unit_id, func.sum(Meeting.expected_count), func.sum(Meeting.present_count))
                 .where(held).group_by(year, month, Meeting.unit_id))}
    made_year, made_month = func.extract("year", Attendance.made_up_on), func.extract("month", Attendance.made_up_on)
    for y, m, unit, made_y, made_m, count in session.execute(
            select(year, month, Meeting.unit_id, made_year, made_month, func.count())
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(Attendance.meeting_id.in_(select(Meeting.id).where(held)), Attendance.made_up_on.is_not(None),
                   Attendance.is_guest.is_(False))
            .group_by(year, month, Meeting.unit_id, made_year, made_month)):
        if (int(made_y), int(made_m)) <= (int(y), int(m)):   # made up by the end of the session's month
            found[(int(y), int(m), unit)][1] += count
    return {key: (expected, attended) for key, (expected, attended) in found.items()}


@dataclass(frozen=True)
class UnitTurnout:
    """One organising unit's sessions in a period (the report's annex adds them up by its rows)."""

    meetings: int = 0
    study_meetings: int = 0     # học tập, quán triệt
    expected: int = 0
    present: int = 0
    made_up: int = 0            # make-ups for its sessions of the period, by the period's end
    crowd: int = 0              # lượt quần chúng

    @property
    def attended(self) -> int:
        return self.present + self.made_up

    def __add__(self, other: UnitTurnout) -> UnitTurnout:
        # By name, not astuple: astuple deep-copies, and a year's report adds two thousand of these.
        return UnitTurnout(*(getattr(self, name) + getattr(other, name) for name in _UNIT_TURNOUT_FIELDS))


_UNIT_TURNOUT_FIELDS = tuple(item.name for item in fields(UnitTurnout))


def by_unit(session: Session, actor: Actor, flt: MeetingFilter) -> dict[int, UnitTurnout]:
    """The period's figures of each organising unit that held a session or had a make-up."""
    found: dict[int, UnitTurnout] = {}
    for unit_id, meetings, study, expected, present, crowd in session.execute(
            select(Meeting.unit_id, func.count(), func.count().filter(Meeting.kind == MeetingKind.STUDY),
                   func.sum(Meeting.expected_count), func.sum(Meeting.present_count), func.sum(Meeting.crowd_total))
            .where(held_in(session, actor, flt)).group_by(Meeting.unit_id)):
        found[unit_id] = UnitTurnout(meetings, study, int(expected or 0), int(present or 0), 0, int(crowd or 0))
    made_up = made_up_in(session, actor, flt).subquery()
    for unit_id, count in session.execute(select(made_up.c.unit_id, func.count()).group_by(made_up.c.unit_id)):
        found[unit_id] = found.get(unit_id, UnitTurnout()) + UnitTurnout(made_up=count)
    return found


@dataclass(frozen=True)
class KindTurnout:
    """Held sessions of one kind in a period."""

    meetings: int = 0
    remote: int = 0             # trực tuyến or kết hợp
    present: int = 0            # party members present on the day
    crowd: int = 0              # lượt quần chúng


def by_kind(session: Session, actor: Actor, flt: MeetingFilter) -> dict[MeetingKind, KindTurnout]:
    return {MeetingKind(kind): KindTurnout(meetings, remote, int(present or 0), int(crowd or 0))
            for kind, meetings, remote, present, crowd in session.execute(
                select(Meeting.kind, func.count(), func.count().filter(Meeting.form != MeetingForm.IN_PERSON),
                       func.sum(Meeting.present_count), func.sum(Meeting.crowd_total))
                .where(held_in(session, actor, flt)).group_by(Meeting.kind))}


@dataclass(frozen=True)
class Presenters:
    sessions: int = 0           # held sessions with a báo cáo viên
    appearances: int = 0
    people: int = 0             # distinct báo cáo viên
    by_level: tuple[tuple[SpeakerLevel, int], ...] = ()   # those in the register, per level


def presenters_in(session: Session, actor: Actor, flt: MeetingFilter) -> Presenters:
    held = held_in(session, actor, flt)
    # One person per register entry; a name written as text (before the register) is one person per spelling.
    person = func.coalesce(cast(Presenter.speaker_id, String), "n:" + func.lower(Presenter.name))
    sessions, appearances, people = session.execute(
        select(func.count(distinct(Presenter.meeting_id)), func.count(), func.count(distinct(person)))
        .join(Meeting, Meeting.id == Presenter.meeting_id).where(held)).one()
    levels = dict(session.execute(
        select(Speaker.level, func.count(distinct(Speaker.id))).join(Presenter, Presenter.speaker_id == Speaker.id)
        .join(Meeting, Meeting.id == Presenter.meeting_id).where(held).group_by(Speaker.level)).all())
    return Presenters(sessions, appearances, people,
                      tuple((level, levels[level]) for level in SpeakerLevel if levels.get(level)))


def studied_documents(session: Session, actor: Actor, flt: MeetingFilter, *, limit: int) -> list[tuple[int, int]]:
    """(document, học tập sessions on it) of the period, the most studied first."""
    return [tuple(row) for row in session.execute(
        select(MeetingDocument.document_id, func.count())
        .join(Meeting, Meeting.id == MeetingDocument.meeting_id)
        .where(held_in(session, actor, flt), Meeting.kind == MeetingKind.STUDY)
        .group_by(MeetingDocument.document_id).order_by(func.count().desc(), MeetingDocument.document_id)
        .limit(limit))]


def for_document(db: Database, actor: Actor, document_id: int, *, end: date, unit_id: int | None = None) -> DocumentTurnout:
    """Người for one document up to a day, over the chi bộ of a subtree (the actor's scope at most)."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        return document_in(session, actor, document_id, end=end, unit_id=unit_id)


def document_in(session: Session, actor: Actor, document_id: int, *, end: date, unit_id: int | None = None) -> DocumentTurnout:
    return documents_in(session, actor, [document_id], end=end, unit_id=unit_id)


def documents_in(session: Session, actor: Actor, document_ids: list[int], *, end: date,
                 unit_id: int | None = None) -> DocumentTurnout:
    """Người over a directive and the plans implementing it: a member counts once, whichever of them he studied."""
    limited = unit_ids_wanted(session, actor, unit_id, end)
    wanted = limited if limited is not None else {node.id for node in units.nodes_on(session, end)}
    chi_bo = sorted(unit for unit, kind in session.execute(select(Unit.id, Unit.kind).where(Unit.id.in_(sorted(wanted))))
                    if kind.holds_members)
    required = members_on(session, chi_bo, end)
    required_count = session.scalar(select(func.count()).select_from(required.subquery()))
    attended = (select(Attendance.person_id)
                .join(Meeting, Meeting.id == Attendance.meeting_id)
                .join(MeetingDocument, MeetingDocument.meeting_id == Meeting.id)
                .where(MeetingDocument.document_id.in_(document_ids), Meeting.deleted_at.is_(None),
                       Meeting.status == MeetingStatus.HELD, Meeting.held_on <= end,
                       Attendance.is_guest.is_(False),
                       or_(Attendance.presence == Presence.PRESENT, Attendance.made_up_on <= end)))
    # INTERSECT (two temporary b-trees) rather than IN: 0.15 s instead of a minute on the large demo.
    attended_count = session.scalar(select(func.count()).select_from(intersect(required, attended).subquery()))
    # Of the members counted, those who made a session up: a part of X, never more (one who has left since,
    # or who studied another document of the chain in person, is not among them).
    made_up = (select(Attendance.person_id)
               .join(Meeting, Meeting.id == Attendance.meeting_id)
               .join(MeetingDocument, MeetingDocument.meeting_id == Meeting.id)
               .where(MeetingDocument.document_id.in_(document_ids), Meeting.deleted_at.is_(None),
                      Meeting.status == MeetingStatus.HELD, Attendance.is_guest.is_(False),
                      Attendance.made_up_on <= end))
    made_up_count = session.scalar(select(func.count()).select_from(intersect(required, made_up).subquery()))
    return DocumentTurnout(document_ids[0], required_count, attended_count, target_on(session, end), made_up_count)
