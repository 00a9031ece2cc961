"""Issuing a periodic report: the register gives the number, the PDF is drawn with it and kept."""

from __future__ import annotations

from dataclasses import replace

from app.db import Database
from app.reports import pdf
from app.reports.data import ReportData, Written
from app.services import drafts, report_register
from app.services.auth import Actor
from app.services.period import Period


def load_written(db: Database, actor: Actor, report_key: str, unit_code: str = "",
                 unit_id: int | None = None) -> tuple[Written, int]:
    """The saved draft of the written sections and its version; a section never saved is drafted from
    its register (section I from public opinion in the scope of `unit_id`), the others are empty."""
    saved = report_register.draft(db, actor, report_key, unit_code)
    written, _drafted = drafts.filled(db, actor, Period.from_key(report_key), unit_id, saved.written)
    return Written.of(written), saved.version


def issue(db: Database, actor: Actor, report: ReportData, unit_code: str = "", *,
          draft_version: int | None = None, correction: bool = False) -> tuple[report_register.IssuedRow, bytes]:
    """Number the report and keep it, its written sections saved as the draft in the same transaction;
    returns the register's row and the PDF as issued."""
    drawn: dict[int, bytes] = {}

    def render(number: int) -> bytes:
        drawn[number] = pdf.render(replace(report, number=number))
        return drawn[number]

    row = report_register.issue(db, actor, kind_code=pdf.KIND_CODE, period_key=report.period.key, scope_code=unit_code,
                                period_end=report.period.end, made_on=report.made_on,
                                title=f"Báo cáo {pdf.summary(report)}", written=report.written.as_dict(),
                                render=render, draft_version=draft_version, correction=correction,
                                figures=figures(report))
    return row, drawn[row.number]


def figures(report: ReportData) -> dict[str, int]:
    """What travels up with the issued report as data (received.FIGURES), the same numbers it prints."""
    turnout, current = report.turnout, report.current
    return {"meetings": turnout.meetings, "study_meetings": report.study.meetings, "expected": turnout.expected,
            "attended": turnout.attended, "made_up": turnout.made_up, "crowd": turnout.crowd.total,
            "copies": current.copies, "articles": current.articles, "airings": current.airings,
            "cases": current.cases, "resolved": current.resolved}
