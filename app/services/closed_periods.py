"""Periods that stay closed: an issued periodic report closes its period for its scope.

Once a month's report is issued, what it counted must not move under it: adding, editing or deleting
sessions, attendance, make-ups, materials, distributions, broadcasts or case steps dated in that month, in a
unit of the report's scope, is refused with a message naming the report. A leader may reopen the period,
saying why (kept and audited); it stays open until a correction is issued for it, which closes it again.

The report's period comes from its register key (`thang:2026-10-01:2026-10-31`); its scope is the unit its
scope code names, or the issuing office's whole subtree. Reports are few (a dozen a year per office), so
they are read once per transaction and filtered here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import InstallMeta, IssuedReport, PeriodReopening, ReportDecision, Unit
from app.services.errors import ValidationError
from app.services.units import name_on, subtree_ids

REPORT_KIND = "BC"   # periodic reports close periods; letters (công văn) do not


@dataclass(frozen=True)
class Closing:
    """The report that holds a period closed for a scope."""

    report_id: int
    number_text: str
    title: str
    start: date
    end: date             # the period's end, or the day the report was made if that came first
    root_unit_id: int     # the scope: this unit and everything under it (as the tree stood at the period's end)
    reopened: bool        # reopened since, and no correction issued yet
    approved_on: date | None = None   # a report received from an office below, closed by our approval

    @property
    def period_text(self) -> str:
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


def _dates(period_key: str) -> tuple[date, date] | None:
    parts = period_key.split(":")
    try:
        return (date.fromisoformat(parts[1]), date.fromisoformat(parts[2])) if len(parts) == 3 else None
    except ValueError:
        return None


def closings(session: Session) -> list[Closing]:
    """For each period and scope this install reported on, its latest issued report (a correction supersedes
    the earlier), and whether it was reopened since. Read once per transaction.

    Only reports issued here close periods here: a report received from another install (the district's, at
    a commune) is that office's register, reopened only there; but a report received from an office below
    and approved here closes its period here (`_approved`). A report made before its period ended (a
    month closed on the 25th) closes the period up to the day it was made: what came after was not counted.
    """
    if "closings" not in session.info:
        own = session.scalar(select(InstallMeta.value).where(InstallMeta.key == "install_id"))
        reopened = set(session.scalars(select(PeriodReopening.report_id)))
        codes = dict(session.execute(select(Unit.code, Unit.id)).all())
        latest: dict[tuple[int, str, str], IssuedReport] = {}
        rows = session.scalars(select(IssuedReport).where(IssuedReport.kind_code == REPORT_KIND,
                                                          IssuedReport.origin == own,
                                                          IssuedReport.deleted_at.is_(None))
                               .order_by(IssuedReport.id))
        for row in rows:
            latest[(row.office_unit_id, row.scope_code, row.period_key)] = row   # the last issued wins
        found = []
        for (office_id, scope_code, period_key), row in latest.items():
            dates = _dates(period_key)
            root = codes.get(scope_code, office_id) if scope_code else office_id
            if dates is not None:
                start, end = dates
                found.append(Closing(row.id, f"{row.number:02d}-{row.kind_code}/{row.issuing_code}", row.title,
                                     start, min(end, row.made_on), root, row.id in reopened))
        found += _approved(session, own, codes)
        session.info["closings"] = found
    return session.info["closings"]


def _approved(session: Session, own: str, codes: dict[str, int]) -> list[Closing]:
    """Reports received from offices below that this install approved: their approval closes the period for
    their scope here too, while the approved report is still the latest for it (a correction since, or a
    later return, lifts it). Two reads, whatever the years of reports."""
    approved: dict[int, date | None] = {}
    for report_id, is_approval, decided_on in session.execute(
            select(ReportDecision.report_id, ReportDecision.approved, ReportDecision.decided_on)
            .where(ReportDecision.origin == own, ReportDecision.deleted_at.is_(None))
            .order_by(ReportDecision.decided_on, ReportDecision.id)):
        approved[report_id] = decided_on if is_approval else None   # the latest decision is the one in force
    if not any(approved.values()):
        return []
    latest: dict[tuple[int, str, str], IssuedReport] = {}
    for row in session.scalars(select(IssuedReport).where(IssuedReport.kind_code == REPORT_KIND,
                                                          IssuedReport.origin != own,
                                                          IssuedReport.deleted_at.is_(None))
                               .order_by(IssuedReport.made_on, IssuedReport.number, IssuedReport.id)):
        latest[(row.office_unit_id, row.scope_code, row.period_key)] = row
    found = []
    for row in latest.values():
        dates = _dates(row.period_key)
        if approved.get(row.id) and dates is not None:
            root = codes.get(row.scope_code, row.office_unit_id) if row.scope_code else row.office_unit_id
            found.append(Closing(row.id, f"{row.number:02d}-{row.kind_code}/{row.issuing_code}", row.title,
                                 dates[0], min(dates[1], row.made_on), root, False, approved[row.id]))
    return found


def closing_for(session: Session, unit_id: int, on: date) -> Closing | None:
    """The issued report that closes `on` for this unit, if any (reopened periods close nothing)."""
    for closing in closings(session):
        if closing.reopened or not closing.start <= on <= closing.end:
            continue
        key = ("closed_scope", closing.root_unit_id, closing.end)
        if key not in session.info:
            session.info[key] = subtree_ids(session, closing.root_unit_id, closing.end)
        if unit_id in session.info[key]:
            return closing
    return None


def require_open(session: Session, unit_id: int, *days: date | None, field: str = "period") -> None:
    """Refuse a change to a record of this unit dated on any of `days` inside a closed period, naming the
    report that closed it and what to do."""
    for day in days:
        if day is None:
            continue
        closing = closing_for(session, unit_id, day)
        if closing is not None:
            unit = name_on(session, unit_id, day) or "đơn vị này"
            if closing.approved_on is not None:
                raise ValidationError.one(field, (
                    f"Kỳ báo cáo {closing.period_text} của {unit} đã khóa: báo cáo số {closing.number_text} của đơn vị "
                    f"({closing.title}) đã được duyệt ngày {closing.approved_on:%d/%m/%Y}. Ngày {day:%d/%m/%Y} nằm "
                    "trong kỳ đó nên không thêm, sửa hay xóa được. Muốn sửa, lãnh đạo trả lại báo cáo (ghi rõ cần sửa "
                    "gì) ở trang «Tình hình báo cáo» để đơn vị ban hành báo cáo sửa đổi."))
            raise ValidationError.one(field, (
                f"Kỳ báo cáo {closing.period_text} của {unit} đã khóa: báo cáo số {closing.number_text} đã ban hành "
                f"({closing.title}). Ngày {day:%d/%m/%Y} nằm trong kỳ đó nên không thêm, sửa hay xóa được. Muốn sửa, "
                "lãnh đạo mở lại kỳ (ghi rõ lý do) ở trang «Báo cáo định kỳ», rồi ban hành báo cáo sửa đổi."))
