"""Who has reported: each office below × each period, with the reporting rates DHIS2 defines.

The offices that owe the actor's office a report are the Party organisations directly under it on the
period's last day (đảng bộ cơ sở, chi bộ cơ sở; a plain chi bộ reports to its Đảng ủy in its meeting, not
in writing), active then. Each owes one report per period, due as the office's schedule says. A cell is
the office's report for the period: received on time (by the due day), late, returned (the latest report
sent back for a correction), or none yet (missing once the due day has passed).

Rates, as DHIS2 has them: reporting rate = received / expected; on-time rate = received on time /
expected. An office counts as received once any report of the period arrived (a returned one too: it was
sent); it counts as on time when its first report arrived by the due day, a later correction
notwithstanding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.models.enums import UnitKind
from app.services import received, schedule, units
from app.services.auth import Actor, Permission, require
from app.services.errors import ValidationError
from app.services.numbers import ratio
from app.services.period import Period, PeriodKind
from app.services.scope import scope_unit_ids

ON_TIME, LATE, RETURNED, MISSING, NOT_DUE, NOT_OWED = "on_time", "late", "returned", "missing", "not_due", "not_owed"
STATE_LABELS = {ON_TIME: "Đúng hạn", LATE: "Muộn", RETURNED: "Bị trả lại", MISSING: "Chưa gửi (quá hạn)",
                NOT_DUE: "Chưa đến hạn"}
REPORTING = (UnitKind.DANG_BO, UnitKind.DANG_BO_CO_SO, UnitKind.CHI_BO_CO_SO)   # owe a written report
MAX_PERIODS = 6      # columns a printed A4 page holds


@dataclass(frozen=True)
class Cell:
    state: str
    due_on: date | None = None
    report: received.ReceivedRow | None = None     # the report in force (the latest)
    first_received_on: date | None = None          # when the period's first report arrived

    @property
    def label(self) -> str:
        return STATE_LABELS.get(self.state, "")

    @property
    def expected(self) -> bool:
        return self.state != NOT_OWED

    @property
    def received(self) -> bool:
        return self.first_received_on is not None

    @property
    def on_time(self) -> bool:
        return self.received and self.first_received_on <= self.due_on


@dataclass(frozen=True)
class OfficeLine:
    unit_id: int
    code: str
    name: str
    cells: tuple[Cell, ...]        # one per period, in the matrix's order


@dataclass(frozen=True)
class Rates:
    expected: int
    received: int
    on_time: int
    returned: int

    @property
    def missing(self) -> int:
        return self.expected - self.received

    @property
    def reporting_rate(self) -> float | None:
        return ratio(self.received, self.expected)

    @property
    def on_time_rate(self) -> float | None:
        return ratio(self.on_time, self.expected)


@dataclass(frozen=True)
class Completeness:
    office_name: str               # the office the reports go up to
    kind: str                      # thang, quy…
    periods: tuple[Period, ...]
    due: tuple[date, ...]          # each period's due day
    lines: tuple[OfficeLine, ...]
    rates: tuple[Rates, ...]       # one per period
    as_of: date

    @property
    def kind_label(self) -> str:
        return schedule.KINDS[self.kind]

    def missing(self, index: int = -1) -> list[OfficeLine]:
        """The offices whose report for a period (the last by default) has not come, past its due day or not."""
        return [line for line in self.lines if line.cells[index].expected and not line.cells[index].received]


def periods_ending(kind: str, last: Period, count: int) -> list[Period]:
    """`count` periods of a kind, the last one `last`, oldest first."""
    if not 1 <= count <= MAX_PERIODS:
        raise ValidationError.one("count", f"Số kỳ xem cùng lúc từ 1 đến {MAX_PERIODS}.")
    found = [last]
    while len(found) < count:
        found.insert(0, previous(kind, found[0]))
    return found


def previous(kind: str, period: Period) -> Period:
    if kind == PeriodKind.MONTH.value:
        month = period.start.month - 1 or 12
        return Period.month(period.start.year - (period.start.month == 1), month)
    if kind == PeriodKind.QUARTER.value:
        quarter = (period.start.month + 2) // 3 - 1 or 4
        return Period.quarter(period.start.year - (quarter == 4), quarter)
    return Period.parse(kind, str(period.start.year - 1))


def completeness(db: Database, actor: Actor, kind: str, periods: list[Period]) -> Completeness:
    """The matrix of the offices below × `periods` (of `kind`), with each period's rates."""
    require(actor, Permission.MAKE_REPORTS)
    if kind not in schedule.KINDS:
        raise ValidationError.one("kind", f"Loại báo cáo «{kind}» không có; chọn một trong: {', '.join(schedule.KINDS)}.")
    today = clock.today()
    with db.session_scope() as session:
        office = received.own_office(session, actor)
        duty = next(duty for duty in schedule.duties_in(session, office) if duty.kind == kind)
        due = tuple(duty.due_on(period.end) for period in periods)
        reports = received.reports_below(session, actor, [period.key for period in periods])
        rows = {row.id: row for row in received.rows_of(session, db.install_id, reports)}
        by_cell: dict[tuple[int, str], list[received.ReceivedRow]] = {}
        whole = received.whole_office(session, reports)
        for report in reports:   # oldest first: the last is the one in force; a report on part of it does not count
            if report.id in whole:
                by_cell.setdefault((report.office_unit_id, report.period_key), []).append(rows[report.id])
        scope = scope_unit_ids(session, actor)
        expected = [{unit_id: found for unit_id, found in _owing(session, office, period).items()
                     if scope is None or unit_id in scope} for period in periods]
        names = {unit_id: found for owing in expected for unit_id, found in owing.items()}
        lines = tuple(OfficeLine(unit_id, code, name, tuple(
            _cell(by_cell.get((unit_id, period.key), []), due_on, today) if unit_id in owing else Cell(NOT_OWED)
            for period, due_on, owing in zip(periods, due, expected, strict=True)))
            for unit_id, (code, name) in names.items())   # the tree's order: by name, diacritics folded
        office_name = units.name_on(session, office, today) or ""
    rates = tuple(_rates([line.cells[index] for line in lines if line.cells[index].expected])
                  for index in range(len(periods)))
    return Completeness(office_name, kind, tuple(periods), due, lines, rates, today)


def _owing(session: Session, office: int, period: Period) -> dict[int, tuple[str, str]]:
    """The organisations directly under the office on the period's last day, active then: code and name."""
    return {node.id: (node.code, node.name) for node in units.nodes_on(session, period.end)
            if node.parent_id == office and node.kind in REPORTING
            and (node.deactivated_on is None or node.deactivated_on > period.end)}


def _cell(reports: list[received.ReceivedRow], due_on: date, today: date) -> Cell:
    if not reports:
        return Cell(MISSING if today > due_on else NOT_DUE, due_on)
    first = min(report.received_on for report in reports)
    latest = reports[-1]
    returned = latest.decision is not None and not latest.decision.approved
    return Cell(RETURNED if returned else ON_TIME if first <= due_on else LATE, due_on, latest, first)


def _rates(cells: list[Cell]) -> Rates:
    return Rates(len(cells), sum(cell.received for cell in cells), sum(cell.on_time for cell in cells),
                 sum(cell.state == RETURNED for cell in cells))
