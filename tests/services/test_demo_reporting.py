"""The demo district's October 2026 reporting cycle (the small demo: the README's first command): most
offices on time, some late, one returned, one missing; the command line prints the matrix and its rates,
equal to counts made in plain SQL over the same rows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from app import demo
from app.db import open_database
from app.models.enums import MeetingKind
from app.reports import data, sentences
from app.services import auth, completeness, received
from app.services.period import Period
from tests.conftest import PASSWORDS
from tests.services.test_reporting_cycle import counted_in_sql
from tests.test_cli import run

OCTOBER = Period.month(2026, 10)


@pytest.fixture(scope="module")
def small_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("small") / "small.sqlite"
    db = open_database(path)
    demo.build(db, "small")
    db.close()
    return path


@pytest.fixture
def small(small_path):
    db = open_database(small_path)
    yield db, auth.login(db, "lanhdao", PASSWORDS["lanhdao"])
    db.close()


def test_octobers_reports_are_on_time_late_returned_and_one_missing(small):
    db, leader = small
    matrix = completeness.completeness(db, leader, "thang", [OCTOBER])
    states = {line.code: line.cells[0].state for line in matrix.lines}
    assert [code for code, state in states.items() if state == completeness.MISSING] == ["BANPHIET"]
    assert [code for code, state in states.items() if state == completeness.RETURNED] == ["SONHA"]
    assert sum(state == completeness.LATE for state in states.values()) >= 2
    assert sum(state == completeness.ON_TIME for state in states.values()) >= len(states) // 2
    returned = next(row for row in received.register(db, leader) if row.office_name == "Đảng bộ xã Sơn Hà")
    assert returned.state.startswith("Trả lại ngày 26/10/2026") and "phát thanh" in returned.state
    assert returned.figures is not None and returned.signer   # its office came up with it


def test_the_command_line_matrix_equals_plain_sql(small_path):
    result = run("reports", "completeness", "--db", str(small_path), "--user", "lanhdao", "--period", "2026-10",
                 password=PASSWORDS["lanhdao"])
    assert result.returncode == 0, result.stderr
    printed = {line.split("\t")[1]: line.split("\t")[2] for line in result.stdout.splitlines()[2:]
               if line.startswith("\t")}
    db = open_database(small_path)
    with db.session_scope() as session:
        key = OCTOBER.key
        root = session.scalar(text("SELECT id FROM unit WHERE code = 'BAOTHANG'"))
        expected, sent = counted_in_sql(session, OCTOBER)
        # On time: the first report of the period reached the district by the 20th (a package's day, or the
        # day it was issued on the shared server).
        on_time = session.scalar(text(
            "SELECT count(*) FROM (SELECT r.office_unit_id, min(coalesce(c.received_on, date(r.created_at, '+7 hours'))) "
            "AS first FROM issued_report r LEFT JOIN report_receipt c ON c.report_id = r.id WHERE r.kind_code = 'BC' "
            "AND r.period_key = :key AND r.office_unit_id <> :root GROUP BY r.office_unit_id) WHERE first <= "
            "'2026-10-20'"), {"key": key, "root": root})
        returned = session.scalar(text(
            "SELECT count(*) FROM report_decision d WHERE NOT d.approved AND d.id = (SELECT max(id) FROM "
            "report_decision e WHERE e.report_id = d.report_id)"))
    db.close()
    assert printed["Số đơn vị phải báo cáo"] == str(expected)
    assert printed["Số đơn vị đã gửi"] == str(sent)
    assert printed["Trong đó gửi đúng hạn"] == str(on_time)
    assert printed["Số báo cáo bị trả lại"] == str(returned) == "1"
    assert printed["Số đơn vị chưa gửi"] == str(expected - sent) == "1"
    assert printed["Tỷ lệ báo cáo"] == f"{100 * sent / expected:.2f}%".replace(".", ",")


def test_the_seeds_dialogues_and_front_supervision_are_in_the_demo_and_the_years_report(small, small_path):
    """KL 54 asks for dialogues between leaders and the people and the Front's supervision: each commune holds
    one of each a year from 2024, and the year's report names them with the other kinds of session."""
    db, leader = small
    with db.session_scope() as session:
        by_kind = dict(session.execute(text(
            "SELECT kind, count(*) FROM meeting WHERE status = 'held' AND held_on BETWEEN '2025-01-01' AND "
            "'2025-12-31' GROUP BY kind")).all())
    assert by_kind["dialogue"] > 10 and by_kind["supervision"] > 10
    report = data.build(db, leader, Period.year(2025), made_on=date(2026, 1, 10))
    forms = {line.kind: line.meetings for line in report.forms}
    assert forms[MeetingKind.DIALOGUE] == by_kind["dialogue"] and forms[MeetingKind.SUPERVISION] == by_kind["supervision"]
    body = " ".join(part.text for section in sentences.body(report) for part in section.parts)
    assert f"{by_kind['dialogue']} buổi đối thoại với Nhân dân" in body
    assert f"{by_kind['supervision']} hội nghị giám sát, phản biện của Mặt trận Tổ quốc" in body
