"""The reporting cycle across installs: a commune's issued report goes up with its figures, the district
keeps the day it came, approves or returns it, and the decision comes back down; the district sees who
has reported, at the rates DHIS2 defines."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from app.models import ReportReceipt
from app.models.enums import Role
from app.reports import data, issuing
from app.services import audit_trail, completeness, received, report_register, users
from app.services.errors import NotFound, ValidationError
from app.services.exchange.rows import TABLES
from app.services.period import Period
from tests.conftest import signed_in
from tests.helpers import unit_by_code
from tests.services.test_exchange import COMMUNE_PASSWORD, _resigned, introduce, receive, send

WRITTEN = data.Written(situation="Tư tưởng ổn định.", assessment="Triển khai nghiêm túc.", tasks="Tổ chức học bù.")
OCTOBER = Period.month(2026, 10)
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def linked(db, admin, commune, tmp_path):
    """The district and the commune introduced, the commune holding the district's first package and a
    leader of its own."""
    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    receive(commune_db, commune_clerk, send(db, signed_in(db, "nhaplieu"), commune_db, tmp_path, "xuong-0.goitd"))
    users.create(commune_db, commune_admin, users.UserInput("lanhdaoxa", "Lò Văn Sính", Role.LEADER), COMMUNE_PASSWORD)
    return commune_db, commune_clerk, signed_in(commune_db, "lanhdaoxa", COMMUNE_PASSWORD)


def issue(db, leader, *, correction=False, made_on=date(2026, 11, 5)):
    report = data.build(db, leader, OCTOBER, made_on=made_on, written=WRITTEN)
    row, _ = issuing.issue(db, leader, report, correction=correction)
    return row, report


def test_a_communes_report_goes_up_and_the_decision_comes_back_through_two_packages(
        db, admin, leader, linked, tmp_path, frozen_clock):
    commune_db, commune_clerk, commune_leader = linked
    district_clerk = signed_in(db, "nhaplieu")
    row, report = issue(commune_db, commune_leader)
    frozen_clock.move_to(datetime(2026, 11, 18, 9, 0, tzinfo=VN))

    up = send(commune_db, commune_clerk, db, tmp_path, "len-1.goitd")
    receive(db, district_clerk, up)
    [got] = received.register(db, leader)
    assert (got.number_text, got.office_name, got.received_on, got.made_on) == \
        (row.number_text, "Đảng bộ xã Phong Niên", date(2026, 11, 18), date(2026, 11, 5))
    assert got.signer == "Lò Văn Sính" and got.state == "Chờ duyệt"
    assert got.figures == issuing.figures(report) and got.figures["meetings"] == report.turnout.meetings > 0
    assert report_register.issued_pdf(db, leader, got.id) == report_register.issued_pdf(commune_db, commune_leader,
                                                                                         row.id)
    frozen_clock.move_to(datetime(2026, 11, 25, 9, 0, tzinfo=VN))
    assert receive(db, district_clerk, up).status == "already"   # the repeat changes nothing
    assert received.register(db, leader)[0].received_on == date(2026, 11, 18)

    # The district approves; the decision goes down in its next package and shows in the commune's register.
    decision = received.decide(db, leader, got.id, approved=True)
    assert decision.text.startswith("Đã duyệt ngày 25/11/2026")
    down = send(db, district_clerk, commune_db, tmp_path, "xuong-1.goitd")
    receive(commune_db, commune_clerk, down)
    [own] = report_register.register(commune_db, commune_leader)
    assert own.state.startswith("Cấp trên đã duyệt ngày 25/11/2026") and "đang khóa kỳ" in own.state
    assert receive(commune_db, commune_clerk, down).status == "already"
    with commune_db.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(TABLES["report_decision"])) == 1
    trail = audit_trail.list_page(db, leader, audit_trail.AuditFilter(entity="issued_report"))
    assert any(entry.action == "duyệt" and row.number_text in entry.summary for entry in trail)


def test_a_returned_report_is_answered_by_a_correction_that_replaces_it_above(db, leader, linked, tmp_path):
    commune_db, commune_clerk, commune_leader = linked
    district_clerk = signed_in(db, "nhaplieu")
    first, _ = issue(commune_db, commune_leader)
    receive(db, district_clerk, send(commune_db, commune_clerk, db, tmp_path, "len-1.goitd"))
    got = received.register(db, leader)[0]
    with pytest.raises(ValidationError, match="ghi nhận xét"):
        received.decide(db, leader, got.id, approved=False, comment="  ")
    received.decide(db, leader, got.id, approved=False, comment="Thiếu số liệu phát thanh tháng 10")
    receive(commune_db, commune_clerk, send(db, district_clerk, commune_db, tmp_path, "xuong-1.goitd"))
    state = report_register.register(commune_db, commune_leader)[0].state
    assert state.startswith("Cấp trên trả lại") and "Thiếu số liệu phát thanh" in state and "báo cáo sửa đổi" in state

    report_register.reopen(commune_db, commune_leader, first.id, "Bổ sung phát thanh theo yêu cầu của huyện")
    corrected, _ = issue(commune_db, commune_leader, correction=True, made_on=date(2026, 11, 22))
    receive(db, district_clerk, send(commune_db, commune_clerk, db, tmp_path, "len-2.goitd"))
    rows = {row.number_text: row for row in received.register(db, leader)}
    assert rows[first.number_text].state == f"Đã có báo cáo sửa đổi số {corrected.number_text} thay thế"
    assert rows[corrected.number_text].state == "Chờ duyệt"
    with pytest.raises(ValidationError, match="đã có báo cáo sửa đổi số"):
        received.decide(db, leader, rows[first.number_text].id, approved=True)
    cell = completeness.completeness(db, leader, "thang", [OCTOBER]).lines
    phong_nien = next(line for line in cell if line.code == "PHONGNIEN").cells[0]
    assert phong_nien.report.number_text == corrected.number_text and phong_nien.state == "late"


def test_a_decision_on_a_report_never_received_is_refused(db, leader, linked, tmp_path):
    own = issuing.issue(db, leader, data.build(db, leader, OCTOBER, made_on=date(2026, 11, 5), written=WRITTEN))[0]
    with pytest.raises(ValidationError, match="không phải báo cáo cấp dưới gửi lên"):
        received.decide(db, leader, own.id, approved=True)
    with pytest.raises(NotFound):
        received.decide(db, leader, 999_999, approved=True)
    with pytest.raises(NotFound, match="Chưa nhận báo cáo số «01-BC/ĐUXPN»"):
        received.find(db, leader, "01-BC/ĐUXPN", "PHONGNIEN")


def test_a_package_deciding_on_a_report_the_commune_never_issued_is_refused_whole(db, leader, linked, tmp_path):
    commune_db, commune_clerk, commune_leader = linked
    district_clerk = signed_in(db, "nhaplieu")
    issue(commune_db, commune_leader)
    receive(db, district_clerk, send(commune_db, commune_clerk, db, tmp_path, "len-1.goitd"))
    received.decide(db, leader, received.register(db, leader)[0].id, approved=True)
    made = send(db, district_clerk, commune_db, tmp_path, "xuong-1.goitd")

    def elsewhere(records, reference):
        import uuid

        for record in records:
            if record["table"] == "report_decision":
                record["row"]["report_id"] = str(uuid.uuid4())

    forged = _resigned(db, district_clerk, made, tmp_path / "gia.goitd", elsewhere)
    from app.services import exchange

    with pytest.raises(ValidationError, match="báo cáo mà đơn vị này chưa từng ban hành"):
        exchange.review(commune_db, commune_clerk, exchange.open_package(commune_db, forged))
    with commune_db.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(TABLES["report_decision"])) == 0


def test_a_package_carrying_a_report_its_sender_did_not_issue_is_refused(db, leader, linked, tmp_path):
    commune_db, commune_clerk, commune_leader = linked
    issue(commune_db, commune_leader)
    made = send(commune_db, commune_clerk, db, tmp_path, "len-1.goitd")

    def no_period(records, reference):
        for record in records:
            if record["table"] == "issued_report":
                record["row"]["period_key"] = "thang:2026-13-01:2026-13-31"

    bad = _resigned(commune_db, commune_clerk, made, tmp_path / "sai.goitd", no_period)
    from app.services import exchange

    district_clerk = signed_in(db, "nhaplieu")
    with pytest.raises(ValidationError, match="không ghi kỳ báo cáo nào"):
        exchange.review(db, district_clerk, exchange.open_package(db, bad))
    assert received.register(db, leader) == []


def test_an_approved_report_closes_the_communes_month_at_the_district_until_it_is_returned(
        db, leader, clerk, linked, tmp_path):
    from app.services import meetings
    from tests.meeting_factory import session_input

    commune_db, commune_clerk, commune_leader = linked
    district_clerk = signed_in(db, "nhaplieu")
    issue(commune_db, commune_leader)
    receive(db, district_clerk, send(commune_db, commune_clerk, db, tmp_path, "len-1.goitd"))
    got = received.register(db, leader)[0]
    received.decide(db, leader, got.id, approved=True)
    with pytest.raises(ValidationError, match=f"{got.number_text}.*đã được duyệt ngày 22/11/2026"):
        meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=date(2026, 10, 20)))
    received.decide(db, leader, got.id, approved=False, comment="Bổ sung hội nghị thôn")
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=date(2026, 10, 20)))


def two_communes_reported(db, leader, frozen_clock):
    for code, made_on in (("PHONGNIEN", date(2026, 10, 19)), ("XUANQUANG", date(2026, 11, 3))):
        frozen_clock.move_to(datetime.combine(made_on, datetime.min.time(), VN).replace(hour=9))
        report = data.build(db, leader, OCTOBER, unit_id=unit_by_code(db, leader, code).id, made_on=made_on,
                            written=WRITTEN)
        issuing.issue(db, leader, report, code)
    frozen_clock.move_to(datetime(2026, 11, 22, 9, 30, tzinfo=VN))


def counted_in_sql(session, period: Period) -> tuple[int, int]:
    """(offices owing the district a report for the period, offices that sent one), counted in plain SQL."""
    root = session.scalar(text("SELECT id FROM unit WHERE code = 'BAOTHANG'"))
    end = period.end.isoformat()
    expected = session.scalar(text(
        "SELECT count(*) FROM unit u JOIN unit_version v ON v.unit_id = u.id AND v.valid_from = "
        "(SELECT max(valid_from) FROM unit_version w WHERE w.unit_id = u.id AND w.valid_from <= :end) "
        "WHERE v.parent_id = :root AND u.kind IN ('dang_bo', 'dang_bo_co_so', 'chi_bo_co_so') "
        "AND (u.deactivated_on IS NULL OR u.deactivated_on > :end)"), {"root": root, "end": end})
    reported = session.scalar(text(
        "SELECT count(DISTINCT office_unit_id) FROM issued_report WHERE kind_code = 'BC' AND period_key = :key "
        "AND office_unit_id <> :root"), {"root": root, "key": period.key})
    return expected, reported


def test_completeness_on_the_demo_equals_plain_counts(db, leader, frozen_clock):
    """Two communes' reports for October issued on the district's shared install (received the day they
    were issued): one by the 20th of October as the schedule asks, one in November; the matrix and its rates
    match counts made in plain SQL."""
    two_communes_reported(db, leader, frozen_clock)
    matrix = completeness.completeness(db, leader, "thang", [OCTOBER])
    with db.session_scope() as session:
        expected, reported = counted_in_sql(session, OCTOBER)
    rates = matrix.rates[0]
    assert (rates.expected, rates.received, rates.on_time) == (expected, reported, 1)
    assert rates.reporting_rate == pytest.approx(100 * reported / expected)
    assert matrix.due == (date(2026, 10, 20),)
    states = {line.code: line.cells[0].state for line in matrix.lines}
    assert states["PHONGNIEN"] == "on_time" and states["XUANQUANG"] == "late"
    assert sum(state == "missing" for state in states.values()) == expected - 2   # past due
    assert {line.code for line in matrix.missing()} == set(states) - {"PHONGNIEN", "XUANQUANG"}


def test_the_periods_of_a_matrix_run_back_from_the_last(db, leader):
    months = completeness.periods_ending("thang", Period.month(2026, 2), 3)
    assert [period.label for period in months] == ["tháng 12 năm 2025", "tháng 1 năm 2026", "tháng 2 năm 2026"]
    quarters = completeness.periods_ending("quy", Period.quarter(2026, 1), 2)
    assert [period.label for period in quarters] == ["quý IV năm 2025", "quý I năm 2026"]
    with pytest.raises(ValidationError, match="Số kỳ"):
        completeness.periods_ending("thang", Period.month(2026, 2), 0)


def test_receipts_are_kept_once(db, leader, linked, tmp_path):
    commune_db, commune_clerk, commune_leader = linked
    issue(commune_db, commune_leader)
    district_clerk = signed_in(db, "nhaplieu")
    receive(db, district_clerk, send(commune_db, commune_clerk, db, tmp_path, "len-1.goitd"))
    receive(db, district_clerk, send(commune_db, commune_clerk, db, tmp_path, "len-2.goitd"))   # nothing new
    with db.session_scope() as session:
        assert session.scalar(select(func.count()).select_from(ReportReceipt)) == 1


# ---- printed: the table, the workbook, the letter, and the command line ------------------------------


def test_the_table_workbook_and_letter_say_who_has_reported(db, leader, frozen_clock, tmp_path):
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from app.reports import completeness as sheet
    from app.services import profile

    two_communes_reported(db, leader, frozen_clock)
    matrix = completeness.completeness(db, leader, "thang", completeness.periods_ending("thang", OCTOBER, 2))
    office = profile.for_actor(db, leader)
    table = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(
        sheet.render_pdf(matrix, office, date(2026, 11, 22)))).pages).split())
    assert "BIỂU TỔNG HỢP TÌNH HÌNH GỬI BÁO CÁO" in table and "Báo cáo từ tháng 9 năm 2026 đến tháng 10 năm 2026" in table
    assert "Đúng hạn — số 01-BC/ĐU, nhận 19/10/2026" in table and "Muộn — số 01-BC/ĐU, nhận 03/11/2026" in table
    assert "Tỷ lệ báo cáo" in table and "Tỷ lệ đúng hạn" in table

    book = load_workbook(io.BytesIO(sheet.render_xlsx(matrix, office, date(2026, 11, 22))))
    ws = book.active
    rows = {row[2]: row for row in ws.iter_rows(values_only=True) if row[2] in ("PHONGNIEN", "XUANQUANG")}
    assert rows["PHONGNIEN"][7:11] == ("Đúng hạn", "01-BC/ĐU", datetime(2026, 10, 19), datetime(2026, 10, 20))
    rate = next(row for row in ws.iter_rows(values_only=True) if row[1] == "Tỷ lệ báo cáo")
    assert rate[7] == pytest.approx(2 / matrix.rates[-1].expected)

    letter = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(
        sheet.render_reminder(matrix, office, date(2026, 11, 22)))).pages).split())
    assert "V/v đôn đốc gửi báo cáo tháng 10 năm 2026" in letter and "Kính gửi" in letter
    assert "Phong Niên" not in letter.split("DANH SÁCH")[-1]          # it reported: not chased
    missing = matrix.missing()
    assert f"Còn {len(missing)} đơn vị chưa gửi báo cáo dù đã quá hạn" in letter
    assert all(sheet.committee(line.name) in letter for line in missing)
    _, row = sheet.issue_reminder(db, leader, matrix, office, date(2026, 11, 22))
    assert row.number_text == "01-CV/BTGHU" and report_register.register(db, leader)[0].state == ""


def test_completeness_and_decisions_on_the_command_line(db_path, tmp_path):
    from tests.conftest import PASSWORDS
    from tests.test_cli import run

    result = run("reports", "completeness", "--db", str(db_path), "--user", "lanhdao", "--period", "2026-10",
                 "--pdf", str(tmp_path / "b.pdf"), "--xlsx", str(tmp_path / "b.xlsx"), "--letter",
                 str(tmp_path / "cv.pdf"), password=PASSWORDS["lanhdao"])
    assert result.returncode == 0, result.stderr
    assert "Tỷ lệ báo cáo\t0%" in result.stdout and "Đảng bộ xã Phong Niên\tChưa gửi (quá hạn)" in result.stdout
    assert all((tmp_path / name).stat().st_size > 1000 for name in ("b.pdf", "b.xlsx", "cv.pdf"))
    refused = run("reports", "decide", "01-BC/ĐU", "--office", "PHONGNIEN", "--return", "--db", str(db_path),
                  "--user", "lanhdao", password=PASSWORDS["lanhdao"])
    assert refused.returncode == 2 and "Chưa nhận báo cáo số «01-BC/ĐU»" in refused.stderr
    both = run("reports", "decide", "01-BC/ĐU", "--office", "PHONGNIEN", "--db", str(db_path), "--user", "lanhdao",
               password=PASSWORDS["lanhdao"])
    assert both.returncode == 2 and "--approve" in both.stderr
    bad = run("reports", "completeness", "--db", str(db_path), "--user", "lanhdao", "--period", "2026-13",
              password=PASSWORDS["lanhdao"])
    assert bad.returncode == 2 and "Tháng 13 không tồn tại" in bad.stderr


def test_the_districts_schedule_travels_down_and_tells_the_commune_when_it_owes(db, admin, leader, linked, tmp_path):
    from app.services import due, schedule

    commune_db, commune_clerk, commune_leader = linked
    district_clerk = signed_in(db, "nhaplieu")
    schedule.set_duty(db, leader, "thang", 25, 1)
    receive(commune_db, commune_clerk, send(db, district_clerk, commune_db, tmp_path, "xuong-1.goitd"))
    owed = [item.text for item in due.this_week(commune_db, commune_clerk) if item.kind == due.REPORTS]
    assert owed[-1] == "Báo cáo tháng 10 năm 2026 gửi Đảng bộ huyện Bảo Thắng: hạn 25/11/2026"
    schedule.set_duty(db, leader, "thang", 20, 0)   # back to the default: the commune follows
    receive(commune_db, commune_clerk, send(db, district_clerk, commune_db, tmp_path, "xuong-2.goitd"))
    owed = [item.text for item in due.this_week(commune_db, commune_clerk) if item.kind == due.REPORTS]
    assert owed[-1] == "Báo cáo tháng 11 năm 2026 gửi Đảng bộ huyện Bảo Thắng: hạn 20/11/2026 (đã quá hạn)"


def test_a_package_with_a_schedule_out_of_bounds_is_refused(db, leader, linked, tmp_path):
    from app.services import exchange
    from app.services.exchange.package import PackageError

    commune_db, commune_clerk, _ = linked
    district_clerk = signed_in(db, "nhaplieu")
    made = send(db, district_clerk, commune_db, tmp_path, "xuong-1.goitd")

    def day_40(records, reference):
        reference["report_duties"] = [{"kind": "thang", "due_day": 40, "months_after": 0}]

    bad = _resigned(db, district_clerk, made, tmp_path / "sai.goitd", day_40)
    with pytest.raises(PackageError, match="sai cấu trúc"):
        exchange.review(commune_db, commune_clerk, exchange.open_package(commune_db, bad))


def test_the_districts_report_counts_a_commune_from_the_report_it_sent_up(db, leader, linked, tmp_path):
    """Phong Niên's October sessions are not in the district's install (here: taken out); its issued report
    came up, so the district's annex row and a sentence of the body take its figures, and say so."""
    import io

    from pypdf import PdfReader

    from app.reports import annex, pdf

    commune_db, commune_clerk, commune_leader = linked
    row, report = issue(commune_db, commune_leader)
    sent = issuing.figures(report)
    assert sent["meetings"] > 0
    receive(db, signed_in(db, "nhaplieu"), send(commune_db, commune_clerk, db, tmp_path, "len-1.goitd"))
    phong_nien = unit_by_code(db, leader, "PHONGNIEN").id
    with db.session_scope() as session:   # the district holds nothing of Phong Niên's October
        below = session.execute(text("WITH RECURSIVE t(id) AS (SELECT :root UNION SELECT v.unit_id FROM unit_version v "
                                     "JOIN t ON v.parent_id = t.id) SELECT id FROM t"), {"root": phong_nien}).scalars().all()
        session.execute(text(f"UPDATE meeting SET deleted_at = '2026-11-22' WHERE held_on BETWEEN '2026-10-01' AND "
                             f"'2026-10-31' AND unit_id IN ({','.join(map(str, below))})"))
    district = data.build(db, leader, OCTOBER, made_on=date(2026, 11, 22), written=WRITTEN)
    line = next(line for line in district.units if line.code == "PHONGNIEN")
    assert line.name.endswith("(**)") and (line.meetings, line.expected, line.attended) == \
        (sent["meetings"], sent["expected"], sent["attended"])
    table = annex.by_unit(district)
    assert f"báo cáo số {row.number_text} ngày 05/11/2026" in table.note
    text_of = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.render(district))).pages).split())
    assert "Ngoài ra, theo báo cáo của 1 đơn vị gửi lên" in text_of and "(**) Số liệu theo báo cáo đơn vị gửi lên" in text_of

    received.decide(db, leader, received.register(db, leader)[0].id, approved=False, comment="Sai số liệu")
    returned = data.build(db, leader, OCTOBER, made_on=date(2026, 11, 22), written=WRITTEN)
    line = next(line for line in returned.units if line.code == "PHONGNIEN")
    assert not line.name.endswith("(**)") and line.meetings == 0 and returned.from_below == ()


def test_a_report_once_received_cannot_come_again_changed(db, leader, linked, tmp_path):
    from app.services import exchange

    commune_db, commune_clerk, commune_leader = linked
    district_clerk = signed_in(db, "nhaplieu")
    issue(commune_db, commune_leader)
    first = send(commune_db, commune_clerk, db, tmp_path, "len-1.goitd")
    receive(db, district_clerk, first)
    approved = received.register(db, leader)[0]
    received.decide(db, leader, approved.id, approved=True)
    later = send(commune_db, commune_clerk, db, tmp_path, "len-2.goitd")

    def doctored(records, reference):   # the approved report again, with other figures
        import json

        with zipfile.ZipFile(first) as archive:
            report = next(record for record in map(json.loads, archive.read("records.jsonl").splitlines())
                          if record["table"] == "issued_report")
        figures = json.loads(report["row"]["figures"])
        figures["meetings"] += 5
        report["row"].update(figures=json.dumps(figures), version=2)
        records.append(report)

    forged = _resigned(commune_db, commune_clerk, later, tmp_path / "sua.goitd", doctored)
    with pytest.raises(ValidationError, match="đã nhận trước đây nhưng nay khác đi"):
        exchange.review(db, district_clerk, exchange.open_package(db, forged))
    assert received.register(db, leader)[0].figures == approved.figures


def test_a_rule_due_months_after_its_period_is_still_said(db, clerk, leader, frozen_clock):
    from app.services import due, schedule

    schedule.set_duty(db, leader, "thang", 5, 2)   # by the 5th, two months after
    frozen_clock.move_to(datetime(2027, 3, 3, 9, 0, tzinfo=VN))
    owed = [item.text for item in due.this_week(db, clerk) if item.kind == due.REPORTS]
    assert "Báo cáo tháng 1 năm 2027 gửi Đảng bộ huyện Bảo Thắng: hạn 05/03/2027" in owed
