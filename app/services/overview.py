"""What each role's «Tổng quan» page shows, over a period and the user's scope.

Every figure is asked of the functions the reports ask (`headline`, the annex rows, the turnout, the
documents' coverage, the cases' figures, the reporting matrix): the overview and the month's report
cannot disagree. Each function only reads; the page calls them off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app import clock
from app.db import Database
from app.dbfile import sqlite_path
from app.models import (
    Attendance,
    AuditEntry,
    Broadcast,
    Case,
    Document,
    ExchangePartner,
    Material,
    Meeting,
    User,
)
from app.models.enums import CaseStatus, MeetingKind, OpinionTendency, Presence
from app.services import completeness, profile, rollup, units
from app.services.auth import Actor, Permission, require
from app.services.backup import auto_folder, automatic_backups, made_at
from app.services.cases import figures as case_figures
from app.services.cases import listing as case_listing
from app.services.documents import coverage
from app.services.exemplars import section as exemplar_section
from app.services.headline import Headline, change, headline
from app.services.meetings import figures as meeting_figures
from app.services.meetings.listing import MeetingFilter
from app.services.numbers import ratio
from app.services.opinion import listing as opinion_list
from app.services.outreach.broadcasts import totals as broadcast_totals
from app.services.period import Period
from app.services.scope import unit_ids_wanted

TRACKED_AT_MOST = 6        # tracked documents listed: those with the latest deadlines
CHART_MONTHS = 12
# Kinds whose sessions keep a roster of party members: a held one without it is still to be entered.
ROSTERED = (MeetingKind.STUDY, MeetingKind.CHI_BO, MeetingKind.THEMATIC)


@dataclass(frozen=True)
class UnitBelow:
    """A report row (a unit directly under the scope, with all below it) under the attendance target."""

    unit_id: int
    name: str
    expected: int
    attended: int
    own: bool = False        # the scope's own row: the sessions its unit held itself, not those below

    @property
    def rate(self) -> float | None:
        return ratio(self.attended, self.expected)


@dataclass(frozen=True)
class CommuneCoverage:
    """Of a tracked document's required units under one đảng bộ (a commune), how many held their session."""

    name: str
    done: int
    required: int

    @property
    def share(self) -> float | None:
        return ratio(self.done, self.required)


@dataclass(frozen=True)
class TrackedDocument:
    document_id: int
    title: str              # "Kết luận số 54-KL/TW"
    deadline: date | None
    done: int               # required units that held their session
    required: int
    people_attended: int    # người, over the required units
    people_required: int
    communes: tuple[CommuneCoverage, ...] = ()   # by the đảng bộ each required unit belongs to
    plans_done: int = 0     # required units that issued their own plan
    plans_expected: int = 0  # those that issue one (a chi bộ studies it and issues none)

    @property
    def share(self) -> float | None:
        return ratio(self.done, self.required)

    @property
    def rate(self) -> float | None:
        return ratio(self.people_attended, self.people_required)


@dataclass(frozen=True)
class CasesGlance:
    received: int           # in the period
    resolved: int
    open: int               # not yet resolved, whenever received (today)
    overdue: int            # being verified past the deadline (today)
    due_soon: int
    oldest_open: date | None
    by_state: tuple[tuple[CaseStatus, int], ...]
    by_sign_group: tuple[tuple[str, int], ...]   # (group name, cases with a sign of it) in the period


@dataclass(frozen=True)
class ReportsGlance:
    period: Period          # the last month whose reports are due or past due
    rates: completeness.Rates
    missing: tuple[str, ...]


@dataclass(frozen=True)
class ExamplesGlance:
    recognised: int          # good examples recognised in the period
    commended: int           # of them praised or awarded
    spread_units: int        # units that took an example up in the period


@dataclass(frozen=True)
class LeaderOverview:
    period: Period
    unit_id: int | None     # the scope's root (None: the whole office)
    scope_name: str
    current: Headline
    year_to_date: Headline | None
    year_before: Headline             # the same period a year earlier
    people: int             # người: distinct members who attended or made up
    expected: int           # lượt expected at the period's sessions
    airing_minutes: int     # loudspeaker minutes (the lượt are in the headline)
    target: Decimal
    below: tuple[UnitBelow, ...]
    cases: CasesGlance
    forms: tuple[tuple[MeetingKind, int], ...]
    opinion: tuple[tuple[OpinionTendency, int], ...] = ()   # the period's public opinion, per tendency
    examples: ExamplesGlance | None = None

    @property
    def rate(self) -> float | None:
        return ratio(self.current.attended, self.expected)

    def change(self, name: str) -> float | None:
        """A headline figure against the same period last year, in percent."""
        return change(self.current, self.year_before, name)

    @property
    def empty(self) -> bool:
        """Nothing of any kind in the period."""
        c = self.current
        return not (c.meetings or c.copies or c.articles or c.airings or c.cases)


def month_label(period: Period) -> str:
    """A month on a chart's axis: "5/25" is May 2025."""
    return f"{period.start.month}/{period.start.year % 100:02d}"


def rate_axis(rates: list[float | None], target: float) -> tuple[int, int]:
    """The lowest tick and the step of a rate chart's axis (up to 100%): round ticks, 75, 80 … or 0, 10 …,
    one step of room under the lowest rate or the target."""
    lowest = min([rate for rate in rates if rate is not None] + [target])
    step = 5 if lowest >= 55 else 10
    return max(0, int(lowest // step) * step - step), step


@dataclass(frozen=True)
class MonthRate:
    period: Period
    expected: int
    attended: int

    @property
    def rate(self) -> float | None:
        return ratio(self.attended, self.expected)


def leader(db: Database, actor: Actor, period: Period, unit_id: int | None = None) -> LeaderOverview:
    """The leader's overview of a period in his scope (or the subtree of `unit_id`): a clerk's too."""
    require(actor, Permission.VIEW_MEETINGS)
    require(actor, Permission.VIEW_CASES)   # the report's figures count cases
    with db.session_scope() as session:
        root, scope_name, _whole, rows_of = rollup.scope(session, actor, unit_id, period.end)
        flt = MeetingFilter(start=period.start, end=period.end, unit_id=root, tree_on=period.end)
        turnout = meeting_figures.period_in(session, actor, flt)
        current = headline(session, actor, period, root)
        to_date = period.year_to_date()
        year_to_date = headline(session, actor, to_date, root) if to_date else None
        year_before = headline(session, actor, period.year_before(), root)
        rows = rollup.by_row(meeting_figures.by_unit(session, actor, flt), rows_of, period.start)
        below = tuple(UnitBelow(node.id, label, sums.expected, sums.attended, label.endswith(rollup.OWN_ROW))
                      for node, label, sums in rows
                      if sums.expected and ratio(sums.attended, sums.expected) < float(turnout.target))
        forms = meeting_figures.by_kind(session, actor, flt)
        airing = broadcast_totals(session, unit_ids_wanted(session, actor, root, period.end), period.start, period.end)
    heard = opinion_list.by_tendency(db, actor, opinion_list.OpinionFilter(period.start, period.end, root))
    found = exemplar_section.examples(db, actor, period, root)
    examples = ExamplesGlance(len(found.recognised), sum(1 for item in found.recognised if item.commendation.commended),
                              found.spread_units)
    return LeaderOverview(period, root, scope_name, current, year_to_date, year_before, turnout.people,
                          turnout.expected, airing.minutes,
                          turnout.target, below, _cases(db, actor, period, root),
                          tuple((kind, forms[kind].meetings) for kind in MeetingKind if kind in forms),
                          tuple((tendency, heard[tendency]) for tendency in OpinionTendency if tendency in heard),
                          examples)


def attendance_by_month(db: Database, actor: Actor, last: Period, unit_id: int | None = None,
                        months: int = CHART_MONTHS) -> tuple[list[MonthRate], Decimal]:
    """The lượt rate of each of `months` months ending with `last`'s month, each as its month's report counts
    it (the subtree under `unit_id`, or the actor's, as it stood at that month's end), and the target in
    force at the end."""
    require(actor, Permission.VIEW_MEETINGS)
    periods = [Period.month(last.end.year, last.end.month)]
    while len(periods) < months:
        periods.insert(0, completeness.previous("thang", periods[0]))
    root = unit_id or (actor.unit_id if actor.limited_to_unit else None)
    found = []
    with db.session_scope() as session:
        sums = meeting_figures.by_month(session, actor, MeetingFilter(start=periods[0].start, end=periods[-1].end))
        for period in periods:
            wanted = unit_ids_wanted(session, actor, root, period.end)
            expected = attended = 0
            for (year, month, unit), (unit_expected, unit_attended) in sums.items():
                if (year, month) == (period.start.year, period.start.month) and (wanted is None or unit in wanted):
                    expected, attended = expected + unit_expected, attended + unit_attended
            found.append(MonthRate(period, expected, attended))
        target = meeting_figures.target_on(session, last.end, root)
    return found, target


def tracked_documents(db: Database, actor: Actor, unit_id: int | None = None) -> tuple[TrackedDocument, ...]:
    """The tracked documents (those given a deadline), the latest deadline first, over their required units
    in the actor's scope (under `unit_id`)."""
    require(actor, Permission.VIEW_MEETINGS)
    today = clock.today()
    with db.session_scope() as session:
        wanted = unit_ids_wanted(session, actor, unit_id, today)
        rows = session.execute(select(Document.id).where(Document.deleted_at.is_(None), Document.deadline.is_not(None))
            .order_by(Document.deadline.desc(), Document.id).limit(TRACKED_AT_MOST * 3)).scalars().all()
    found = []
    for document_id in rows:
        cover = coverage.for_document(db, actor, document_id, as_of=today)
        lines = [line for line in cover.lines if wanted is None or line.unit_id in wanted]
        if not lines:
            continue
        doc = cover.document
        found.append(TrackedDocument(document_id, f"{doc.kind.label} số {doc.number}", cover.deadline,
                                     sum(line.done for line in lines), len(lines),
                                     sum(line.attended for line in lines), sum(line.required for line in lines),
                                     tuple(CommuneCoverage(*counts) for counts in coverage.by_parent(lines)),
                                     sum(line.plan is not None for line in lines),
                                     sum(line.plan_state is not None for line in lines)))
        if len(found) == TRACKED_AT_MOST:
            break
    return tuple(found)


def _cases(db: Database, actor: Actor, period: Period, root: int | None) -> CasesGlance:
    figures = case_figures.figures(db, actor, start=period.start, end=period.end, unit_id=root)
    overdue, due_soon = case_listing.urgent_counts(db, actor)
    opened, oldest, states = _open_cases(db, actor)
    return CasesGlance(figures.received, figures.resolved, opened, overdue, due_soon, oldest, states,
                       tuple((line.name, line.count) for line in figures.by_sign_group))


def _open_cases(db: Database, actor: Actor):
    """How many are open today, the oldest open's day, and every case by its state, in the actor's scope."""
    with db.session_scope() as session:
        where = case_listing.conditions(session, actor, case_listing.CaseFilter())
        by_state = dict(session.execute(select(Case.status, func.count()).where(*where).group_by(Case.status)).all())
        settled = [status for status in CaseStatus if status.resolved]
        oldest = session.scalar(select(func.min(Case.received_on)).where(*where, Case.status.not_in(settled)))
    states = tuple((status, by_state[status]) for status in CaseStatus if by_state.get(status))
    opened = sum(count for status, count in states if not status.resolved)
    return opened, oldest, states


def cases(db: Database, actor: Actor, period: Period) -> CasesGlance:
    """The inspector's overview: the cases of his scope."""
    require(actor, Permission.VIEW_CASES)
    return _cases(db, actor, period, None)


def reports_below(db: Database, actor: Actor) -> ReportsGlance | None:
    """Last month's reports from the offices below, once they fall due (the month before, until then); None
    when no office below owes this one a report."""
    if not actor.can(Permission.MAKE_REPORTS):
        return None
    with db.session_scope() as session:
        if profile.office_unit(session, actor.unit_id if actor.limited_to_unit else None, clock.today()) is None:
            return None   # no office described yet: none owes it a report
    today = clock.today()
    month = completeness.previous("thang", Period.month(today.year, today.month))
    matrix = completeness.completeness(db, actor, "thang", [completeness.previous("thang", month), month])
    index = 1 if matrix.due[1] < today else 0
    rates = matrix.rates[index]
    if not rates.expected:
        return None
    return ReportsGlance(matrix.periods[index], rates, tuple(line.name for line in matrix.missing(index)))


@dataclass(frozen=True)
class ToEnter:
    """What a clerk still has to enter for the sessions and broadcasts of his units."""

    period: Period
    held: int                        # sessions held in the period so far
    without_roster: int              # held sessions of a rostered kind with no roster yet
    absent_not_made_up: int          # party members absent, no make-up recorded
    silent_stations: tuple[str, ...]  # loudspeaker stations with nothing logged last week


def to_enter(db: Database, actor: Actor, period: Period) -> ToEnter:
    require(actor, Permission.VIEW_MEETINGS)
    today = clock.today()
    with db.session_scope() as session:
        flt = MeetingFilter(start=period.start, end=period.end, tree_on=period.end)
        held = meeting_figures.held_in(session, actor, flt)
        count, bare = session.execute(select(
            func.count(), func.count().filter(Meeting.kind.in_(ROSTERED), Meeting.expected_count == 0))
            .where(held)).one()
        absent = session.scalar(select(func.count()).select_from(Attendance)
                                .join(Meeting, Meeting.id == Attendance.meeting_id)
                                .where(held, Attendance.is_guest.is_(False), Attendance.presence != Presence.PRESENT,
                                       Attendance.presence.is_not(None), Attendance.made_up_on.is_(None)))
        # A station is known by what it logged: aired in the eight weeks before last week, nothing last week.
        week_start = today - timedelta(days=today.weekday() + 7)
        wanted = unit_ids_wanted(session, actor, None, today)
        where = [] if wanted is None else [Broadcast.unit_id.in_(sorted(wanted))]
        where.append(Broadcast.deleted_at.is_(None))
        earlier = set(session.scalars(select(Broadcast.unit_id).where(
            *where, Broadcast.aired_on >= week_start - timedelta(weeks=8), Broadcast.aired_on < week_start)
            .distinct()))
        last_week = set(session.scalars(select(Broadcast.unit_id).where(
            *where, Broadcast.aired_on >= week_start, Broadcast.aired_on < week_start + timedelta(days=7)).distinct()))
        silent = tuple(sorted(units.name_on(session, unit_id, today) or "" for unit_id in earlier - last_week))
    return ToEnter(period, count, bare, absent or 0, silent)


@dataclass(frozen=True)
class Housekeeping:
    """The administrator's overview: accounts, backups, exchange partners, the database's size."""

    accounts: int
    active_accounts: int
    last_backup: datetime | None      # local time: the newest, by hand (audited) or scheduled (its file)
    partners: tuple[tuple[str, datetime | None, datetime | None], ...]   # name, last sent, last received
    database_bytes: int | None        # None: a server database

    @property
    def backup_age_days(self) -> int | None:
        return None if self.last_backup is None else (clock.today() - self.last_backup.date()).days   # days, by the calendar


def housekeeping(db: Database, actor: Actor) -> Housekeeping:
    require(actor, Permission.MANAGE_USERS)
    with db.session_scope() as session:
        accounts, active = session.execute(select(func.count(), func.count().filter(User.active))).one()
        by_hand = session.scalar(select(func.max(AuditEntry.at)).where(AuditEntry.action == "backup"))
        partners = session.execute(select(ExchangePartner.id, ExchangePartner.name).order_by(ExchangePartner.name)).all()
        moves = {(int(entity_id), action): at for entity_id, action, at in session.execute(
            select(AuditEntry.entity_id, AuditEntry.action, func.max(AuditEntry.at))
            .where(AuditEntry.entity == "exchange_partner", AuditEntry.action.in_(("gửi", "nhận")))
            .group_by(AuditEntry.entity_id, AuditEntry.action))}
    scheduled = _newest_scheduled(db)
    last = max((made for made in (by_hand and clock.to_local(by_hand), scheduled) if made), default=None)
    path = sqlite_path(db.url)
    size = sum(part.stat().st_size for part in (path, path.with_name(path.name + "-wal")) if part.exists()) \
        if path else None
    return Housekeeping(accounts, active, last,
                        tuple((name, moves.get((pid, "gửi")), moves.get((pid, "nhận"))) for pid, name in partners),
                        size)


def _newest_scheduled(db: Database) -> datetime | None:
    if sqlite_path(db.url) is None:   # a server database is backed up on the server
        return None
    newest = automatic_backups(auto_folder(db))
    return next((made for made in map(made_at, newest) if made), None)


def has_anything(db: Database, actor: Actor) -> bool:
    """A first run: no session, no material, no case yet (the page says what to do first); the cases only
    for those who may see the register."""
    models = (Meeting, Material, Case) if actor.can(Permission.VIEW_CASES) else (Meeting, Material)
    with db.session_scope() as session:
        return any(session.scalar(select(model.id).limit(1)) is not None for model in models)

