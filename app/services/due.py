"""What falls due this week, for the person opening the app, in his scope.

- Reports his own office owes the office above, by the schedule that office sent down (the defaults until
  it has): due in the next days, or past due and not yet issued.
- For an office with offices below it: the reports of theirs not received yet, per period due.
- Tracked documents whose deadline falls this week (or passed in the last week) with units still to hold
  their session.
- Cases being verified whose deadline passed or comes within the week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app import clock
from app.config import SETTINGS
from app.db import Database
from app.models import Document, IssuedReport
from app.services import completeness, profile, schedule, units
from app.services.auth import Actor, Permission
from app.services.cases import listing as case_listing
from app.services.closed_periods import REPORT_KIND
from app.services.documents import coverage
from app.services.numbers import short_date
from app.services.period import Period, PeriodKind

AHEAD = timedelta(days=7)       # "this week": from today to a week ahead
LOOK_BACK = timedelta(days=45)  # a report past due this long ago and still missing is still said
DOCUMENTS_AT_MOST = 5

REPORTS, REPORTS_BELOW, DOCUMENTS, CASES = "reports", "reports_below", "documents", "cases"
HEADINGS = {REPORTS: "Báo cáo cơ quan phải gửi cấp trên", REPORTS_BELOW: "Báo cáo cấp dưới chưa gửi",
            DOCUMENTS: "Văn bản đến hạn thực hiện", CASES: "Phản ánh, kiến nghị đến hạn xác minh"}


@dataclass(frozen=True)
class DueItem:
    kind: str           # REPORTS, REPORTS_BELOW, DOCUMENTS, CASES
    on: date | None     # the due day (None: several, as for cases)
    text: str
    overdue: bool

    @property
    def heading(self) -> str:
        return HEADINGS[self.kind]


def periods_due(duty: schedule.Duty, today: date) -> list[Period]:
    """The periods of a duty's kind whose report falls due from LOOK_BACK ago to a week ahead."""
    kind = duty.kind
    if kind == PeriodKind.MONTH.value:
        current = Period.month(today.year, today.month)
    elif kind == PeriodKind.QUARTER.value:
        current = Period.quarter(today.year, (today.month + 2) // 3)
    else:
        current = Period.parse(kind, str(today.year))
    # A rule due months after its period reaches back that many periods more, and LOOK_BACK one more.
    reach = min(completeness.MAX_PERIODS, duty.months_after + 3)
    return [period for period in completeness.periods_ending(kind, current, reach)
            if _window(duty.due_on(period.end), today)]


def this_week(db: Database, actor: Actor) -> list[DueItem]:
    """Everything due in the actor's scope, overdue first, then by day."""
    today = clock.today()
    found: list[DueItem] = []
    if actor.can(Permission.MAKE_REPORTS):
        found += _own_reports(db, actor, today)
        found += _reports_below(db, actor, today)
    if actor.can(Permission.VIEW_MEETINGS):
        found += _documents(db, actor, today)
    if actor.can(Permission.VIEW_CASES):
        found += _cases(db, actor)
    return sorted(found, key=lambda item: (not item.overdue, item.on or today, item.kind))


def _window(due_on: date, today: date) -> bool:
    return today - LOOK_BACK <= due_on <= today + AHEAD


def _own_reports(db: Database, actor: Actor, today: date) -> list[DueItem]:
    with db.session_scope() as session:
        office = profile.office_unit(session, actor.unit_id if actor.limited_to_unit else None, today)
        if office is None:
            return []
        above = _office_above(session, office, today)
        if above is None:
            return []   # the top office of this install: what it owes goes up outside the app's schedule
        duties = schedule.duties_in(session, above)
        above_name = units.name_on(session, above, today) or "cấp trên"
        items = []
        for duty in duties:
            for period in periods_due(duty, today):
                due_on = duty.due_on(period.end)
                issued = session.scalar(select(IssuedReport.id).where(
                    IssuedReport.office_unit_id == office, IssuedReport.kind_code == REPORT_KIND,
                    IssuedReport.period_key == period.key, IssuedReport.deleted_at.is_(None)).limit(1))
                if issued is None:
                    overdue = due_on < today
                    items.append(DueItem(REPORTS, due_on, f"Báo cáo {period.label} gửi {above_name}: hạn "
                                                          f"{short_date(due_on)}" + (" (đã quá hạn)" if overdue else ""),
                                         overdue))
        return items


def _office_above(session, office: int, today: date) -> int | None:
    """The office a report goes up to: the nearest unit above with an office profile, or the top of the tree
    (at a commune's install the district's profile is not kept, but its unit and schedule are)."""
    offices = profile.office_units(session)
    current, seen = profile.parent_on(session, office, today), {office}
    while current is not None and current not in seen:
        parent = profile.parent_on(session, current, today)
        if current in offices or parent is None:
            return current
        seen.add(current)
        current = parent
    return None


def _reports_below(db: Database, actor: Actor, today: date) -> list[DueItem]:
    items = []
    with db.session_scope() as session:
        office = profile.office_unit(session, actor.unit_id if actor.limited_to_unit else None, today)
        duties = schedule.duties_in(session, office) if office is not None else []
    for duty in duties:
        periods = periods_due(duty, today)
        if not periods:
            continue
        matrix = completeness.completeness(db, actor, duty.kind, periods)
        for index, (period, due_on) in enumerate(zip(matrix.periods, matrix.due, strict=True)):
            missing = matrix.missing(index)
            if missing:
                rates = matrix.rates[index]
                overdue = due_on < today
                items.append(DueItem(REPORTS_BELOW, due_on, f"Báo cáo {period.label}: {len(missing)}/{rates.expected} "
                                                            f"đơn vị chưa gửi, hạn {short_date(due_on)}"
                                                            + (" (đã quá hạn)" if overdue else ""), overdue))
    return items


def _documents(db: Database, actor: Actor, today: date) -> list[DueItem]:
    with db.session_scope() as session:
        rows = session.execute(select(Document.id, Document.kind, Document.number, Document.deadline).where(
            Document.deleted_at.is_(None), Document.deadline >= today - AHEAD, Document.deadline <= today + AHEAD)
            .order_by(Document.deadline, Document.id).limit(DOCUMENTS_AT_MOST * 4)).all()
    items = []
    for document_id, kind, number, deadline in rows:
        cover = coverage.for_document(db, actor, document_id, as_of=today)
        left = len(cover.lines) - cover.done
        if not left:
            continue
        overdue = deadline < today
        items.append(DueItem(DOCUMENTS, deadline, f"{kind.label} số {number}: hạn {short_date(deadline)}, còn {left}/"
                                                  f"{len(cover.lines)} {cover.unit_word} chưa tổ chức quán triệt"
                                                  + (" (đã quá hạn)" if overdue else ""), overdue))
        if len(items) == DOCUMENTS_AT_MOST:
            break
    return items


def _cases(db: Database, actor: Actor) -> list[DueItem]:
    overdue, soon = case_listing.urgent_counts(db, actor)
    items = []
    if overdue:
        items.append(DueItem(CASES, None, f"{overdue} vụ việc đã quá hạn xác minh", True))
    if soon:
        items.append(DueItem(CASES, None, f"{soon} vụ việc sắp đến hạn xác minh (trong "
                                          f"{SETTINGS.case_due_soon_days} ngày)", False))
    return items
