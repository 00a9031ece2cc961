"""What the offices under an office owe it, and by when (the reporting cycle's schedule).

Each office (the district's Ban Tuyên giáo, a commune's Đảng ủy over its chi bộ) declares the periodic
reports due to it: monthly by the 20th, quarterly, 6-month, 9-month and yearly, each on a day of the
period's last month or of a month after it. The defaults below apply until an admin or a leader adjusts
one; the adjusted rule is kept per office and kind.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.clock import utcnow
from app.db import Database
from app.models import ReportDuty
from app.services import audit, profile
from app.services.auth import Actor, Permission, require
from app.services.errors import ValidationError

KINDS = {"thang": "Báo cáo tháng", "quy": "Báo cáo quý", "6thang": "Báo cáo 6 tháng", "9thang": "Báo cáo 9 tháng",
         "nam": "Báo cáo năm"}
# (day, months after the period's last month): the month's report by the 20th of the month, the year's by
# 15 December, as district Ban Tuyên giáo usually ask; an office adjusts them.
DEFAULTS = {"thang": (20, 0), "quy": (20, 0), "6thang": (20, 0), "9thang": (20, 0), "nam": (15, 0)}
LAST_DAY = 28          # a day every month has
MAX_MONTHS_AFTER = 2


@dataclass(frozen=True)
class Duty:
    kind: str
    due_day: int
    months_after: int
    adjusted: bool = False       # False: the default

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def rule_text(self) -> str:
        """«ngày 20 tháng cuối kỳ», «ngày 5 tháng sau kỳ»."""
        month = {0: "tháng cuối kỳ", 1: "tháng sau kỳ"}.get(self.months_after, f"{self.months_after} tháng sau kỳ")
        return f"ngày {self.due_day} {month}"

    def due_on(self, period_end: date) -> date:
        """The day the report for a period ending on `period_end` is due."""
        months = period_end.year * 12 + period_end.month - 1 + self.months_after
        year, month = divmod(months, 12)
        return date(year, month + 1, min(self.due_day, calendar.monthrange(year, month + 1)[1]))


def _office(session: Session, actor: Actor) -> int:
    office = profile.office_unit(session, actor.unit_id if actor.limited_to_unit else None, clock.today())
    if office is None:
        raise ValidationError.one("office", "Chưa có thông tin cơ quan: hãy nhập ở trang «Thông tin cơ quan» trước.")
    return office


def duties(db: Database, actor: Actor) -> list[Duty]:
    """The reports due to the actor's office, in the order of KINDS, each adjusted or the default."""
    with db.session_scope() as session:
        return duties_in(session, _office(session, actor))


def duties_in(session: Session, office: int) -> list[Duty]:
    """The reports due to an office, each adjusted or the default."""
    kept = {row.kind: row for row in session.scalars(select(ReportDuty).where(ReportDuty.office_unit_id == office))}
    return [Duty(kind, kept[kind].due_day, kept[kind].months_after, True) if kind in kept
            else Duty(kind, *DEFAULTS[kind]) for kind in KINDS]


def set_duty(db: Database, actor: Actor, kind: str, due_day: int | None, months_after: int | None = 0) -> Duty:
    """Adjust when one kind of report is due to the actor's office."""
    return set_duties(db, actor, [Duty(kind, due_day, months_after)])[0]


def set_duties(db: Database, actor: Actor, wanted: list[Duty]) -> list[Duty]:
    """Adjust several rules at once (the page's one «Lưu»), all or none; only those that change are
    written and audited. Who keeps the office's profile keeps its schedule."""
    require(actor, Permission.EDIT_PROFILE)
    errors = {}
    for duty in wanted:
        label = KINDS.get(duty.kind, duty.kind)
        if duty.kind not in KINDS:
            errors["kind"] = f"Loại báo cáo «{duty.kind}» không có; chọn một trong: {', '.join(KINDS)}."
        if duty.due_day is None or not 1 <= duty.due_day <= LAST_DAY:
            errors["due_day"] = f"{label}: hạn nộp là một ngày từ 1 đến {LAST_DAY} (tháng nào cũng có)."
        if duty.months_after is None or not 0 <= duty.months_after <= MAX_MONTHS_AFTER:
            errors["months_after"] = f"{label}: số tháng sau kỳ từ 0 (tháng cuối kỳ) đến {MAX_MONTHS_AFTER}."
    if errors:
        raise ValidationError(errors)
    saved = []
    with db.session_scope() as session:
        office = _office(session, actor)
        kept = {row.kind: row for row in session.scalars(select(ReportDuty).where(ReportDuty.office_unit_id == office))}
        for duty in wanted:
            row = kept.get(duty.kind)
            before = (row.due_day, row.months_after) if row else DEFAULTS[duty.kind]
            if before == (duty.due_day, duty.months_after):   # unchanged: nothing written, nothing audited
                saved.append(Duty(duty.kind, duty.due_day, duty.months_after, row is not None))
                continue
            saved.append(Duty(duty.kind, duty.due_day, duty.months_after, True))
            if row is None:
                row = ReportDuty(office_unit_id=office, kind=duty.kind)
                session.add(row)
            row.due_day, row.months_after = duty.due_day, duty.months_after
            row.updated_at, row.updated_by = utcnow(), actor.username
            session.flush()
            audit.record(session, actor, "sửa", "report_duty", row.id, f"{saved[-1].label}: hạn nộp "
                         f"{saved[-1].rule_text}", before=dict(zip(("due_day", "months_after"), before, strict=True)),
                         after={"due_day": duty.due_day, "months_after": duty.months_after})
    return saved


# ---- the schedule travels down: the offices below learn when their reports are due ----------------

def sent_down(session: Session, office: int) -> list[dict]:
    """The office's adjusted rules, as the next package down carries them (the defaults need no saying)."""
    return [{"kind": row.kind, "due_day": row.due_day, "months_after": row.months_after}
            for row in session.scalars(select(ReportDuty).where(ReportDuty.office_unit_id == office)
                                       .order_by(ReportDuty.kind))]


def check_sent(entries: object) -> list[Duty]:
    """Rules from a package, each a kind, a day and months after within bounds; a ValueError otherwise."""
    if not isinstance(entries, list):
        raise ValueError("report_duties")
    found = []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kind") not in KINDS:
            raise ValueError("report_duties.kind")
        day, after = entry.get("due_day"), entry.get("months_after")
        if type(day) is not int or type(after) is not int or not 1 <= day <= LAST_DAY \
                or not 0 <= after <= MAX_MONTHS_AFTER:
            raise ValueError("report_duties.due_day")
        found.append(Duty(entry["kind"], day, after, True))
    return found


def take_sent(session: Session, office: int, duties: list[Duty]) -> None:
    """The office above's rules as it sent them: kept for it here, the others back to the defaults."""
    kept = {row.kind: row for row in session.scalars(select(ReportDuty).where(ReportDuty.office_unit_id == office))}
    wanted = {duty.kind: duty for duty in duties}
    for kind, row in kept.items():
        if kind not in wanted:
            session.delete(row)
    for kind, duty in wanted.items():
        row = kept.get(kind)
        if row is None:
            row = ReportDuty(office_unit_id=office, kind=kind)
            session.add(row)
        if (row.due_day, row.months_after) != (duty.due_day, duty.months_after):
            row.due_day, row.months_after = duty.due_day, duty.months_after
            row.updated_at, row.updated_by = utcnow(), "(trao đổi)"
