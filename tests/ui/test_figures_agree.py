"""One period and one scope counted where a user meets them: under the sessions page's table, in
`meetings list --totals`, and in the report. The same figures in all three, party members' audience
group never counted as quần chúng."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date

import pytest

from app.models.enums import AudienceGroup
from app.reports import data
from app.services import auth
from app.services.numbers import count_text, rate_text
from app.services.period import Period
from app.ui.pages.meetings import MeetingsPage
from app.ui.widgets.common import Context, select_data, to_qdate
from tests.conftest import PASSWORDS, cli_environment
from tests.helpers import unit_by_code

YEAR = Period.year(2025)   # the demo's district and communes studied 57-NQ/TW with party members in the hall


def cli_totals(db_path, user: str, *unit: str) -> dict[str, str]:
    result = subprocess.run([sys.executable, "-m", "app", "meetings", "list", "--totals", "--db", str(db_path),
                             "--user", user, "--from", f"{YEAR.start:%d/%m/%Y}", "--to", f"{YEAR.end:%d/%m/%Y}",
                             *unit], capture_output=True, text=True, timeout=120,
                            env=cli_environment(TUYENGIAO_PASSWORD=PASSWORDS[user]))
    assert result.returncode == 0, result.stderr
    return dict(line.split(": ", 1) for line in result.stdout.splitlines())


def page_totals(qtbot, db, actor, unit_id: int | None) -> str:
    page = MeetingsPage(Context(db, actor))
    qtbot.addWidget(page)
    page.start.setDate(to_qdate(YEAR.start))
    page.end.setDate(to_qdate(YEAR.end))
    select_data(page.unit_filter, unit_id)
    page.refresh()
    qtbot.waitUntil(lambda: "quần chúng" in page.totals.text(), timeout=10_000)
    return re.sub(r"<[^>]+>", "", page.totals.text())


@pytest.mark.parametrize(("username", "unit_code"), [("lanhdao", None), ("nhaplieu", "PHONGNIEN")])
def test_the_page_the_command_and_the_report_give_the_same_figures(qtbot, db, db_path, username, unit_code):
    actor = auth.login(db, username, PASSWORDS[username])
    unit_id = unit_by_code(db, actor, unit_code).id if unit_code else None
    report = data.build(db, actor, YEAR, unit_id=unit_id, made_on=date(2026, 1, 5))
    figures = report.turnout
    party_members_in_the_hall = figures.crowds[AudienceGroup.PARTY_MEMBERS].total
    assert party_members_in_the_hall > 0 and figures.crowd.total > 0

    cli = cli_totals(db_path, username, *(["--unit", unit_code] if unit_code else []))
    page = page_totals(qtbot, db, actor, unit_id)

    crowd = figures.crowd
    assert report.current.crowd == crowd.total
    assert cli["Quần chúng"] == (f"{count_text(crowd.total)} (nữ {count_text(crowd.women)}, "
                                 f"dân tộc thiểu số {count_text(crowd.minority)})")
    assert f"quần chúng {cli['Quần chúng']}" in page
    assert cli["Số hội nghị"] == count_text(report.current.meetings) == count_text(figures.meetings)
    assert f"đã tổ chức {cli['Số hội nghị']}" in page
    assert count_text(figures.present + figures.made_up) == count_text(report.current.attended)
    assert (cli["Lượt dự kiến"], cli["Có mặt"], cli["Học bù"]) == tuple(
        count_text(n) for n in (figures.expected, figures.present, figures.made_up))
    assert rate_text(figures.attended, figures.expected, "lượt đảng viên") in page
    assert cli["Số người dự (không trùng)"] == count_text(figures.people)
    assert f"{cli['Số người dự (không trùng)']} người" in page
    assert f"học bù {cli['Học bù']}" in page
    # the report's annex rows add up to the same lượt and crowd
    assert sum(line.attended for line in report.units) == figures.attended
    assert sum(line.crowd for line in report.units) == crowd.total
    assert sum(line.crowd for line in report.forms) == crowd.total
