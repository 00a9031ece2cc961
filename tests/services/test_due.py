"""What falls due this week, as each person sees it on opening the app: the reports his office owes up,
those not yet received from below, documents' deadlines and cases to verify, in his scope only."""

from __future__ import annotations

from datetime import date, timedelta

from app import clock
from app.models.enums import DocumentKind
from app.reports import data, issuing
from app.services import documents, due, schedule
from app.services.period import Period
from tests.helpers import unit_by_code

WRITTEN = data.Written(situation="Tư tưởng ổn định.", assessment="Triển khai nghiêm túc.", tasks="Tổ chức học bù.")


def texts(items, kind):
    return [item.text for item in items if item.kind == kind]


def test_a_commune_clerk_is_told_his_offices_reports_until_they_are_issued(db, clerk, leader):
    # Today is 22/11/2026: October's and November's monthly reports were due on the 20th of each month.
    owed = texts(due.this_week(db, clerk), due.REPORTS)
    assert owed == ["Báo cáo tháng 10 năm 2026 gửi Đảng bộ huyện Bảo Thắng: hạn 20/10/2026 (đã quá hạn)",
                    "Báo cáo tháng 11 năm 2026 gửi Đảng bộ huyện Bảo Thắng: hạn 20/11/2026 (đã quá hạn)"]
    report = data.build(db, leader, Period.month(2026, 10), unit_id=unit_by_code(db, leader, "PHONGNIEN").id,
                        made_on=date(2026, 11, 5), written=WRITTEN)
    issuing.issue(db, leader, report, "PHONGNIEN")
    assert texts(due.this_week(db, clerk), due.REPORTS) == owed[1:]
    assert texts(due.this_week(db, clerk), due.REPORTS_BELOW) == []   # his chi bộ report in their meetings


def test_the_districts_schedule_moves_what_the_commune_owes(db, clerk, leader):
    schedule.set_duty(db, leader, "thang", 25, 1)   # by the 25th of the month after
    owed = texts(due.this_week(db, clerk), due.REPORTS)
    assert owed == ["Báo cáo tháng 9 năm 2026 gửi Đảng bộ huyện Bảo Thắng: hạn 25/10/2026 (đã quá hạn)",
                    "Báo cáo tháng 10 năm 2026 gửi Đảng bộ huyện Bảo Thắng: hạn 25/11/2026"]


def test_the_district_leader_is_told_how_many_offices_below_have_not_sent(db, leader):
    from app.services import completeness

    owing = completeness.completeness(db, leader, "thang", [Period.month(2026, 10)]).rates[0].expected
    below = texts(due.this_week(db, leader), due.REPORTS_BELOW)
    assert below == [f"Báo cáo tháng 10 năm 2026: {owing}/{owing} đơn vị chưa gửi, hạn 20/10/2026 (đã quá hạn)",
                     f"Báo cáo tháng 11 năm 2026: {owing}/{owing} đơn vị chưa gửi, hạn 20/11/2026 (đã quá hạn)"]
    assert texts(due.this_week(db, leader), due.REPORTS) == []   # the top office of the install


def test_a_document_due_this_week_is_said_with_what_is_left(db, admin, clerk, leader):
    today = clock.today()
    units = [unit_by_code(db, admin, code).id for code in ("PHONGNIEN-01", "PHONGNIEN-02", "XUANQUANG-01")]
    documents.create(db, admin, documents.DocumentInput(
        DocumentKind.KH, "77-KH/HU", "Huyện ủy Bảo Thắng", today - timedelta(days=10), "Tuyên truyền bầu cử",
        deadline=today + timedelta(days=3), required_unit_ids=units))
    said = texts(due.this_week(db, leader), due.DOCUMENTS)
    assert said == [f"Kế hoạch số 77-KH/HU: hạn {today + timedelta(days=3):%d/%m/%Y}, còn 3/3 chi bộ chưa tổ chức "
                    "quán triệt"]
    assert texts(due.this_week(db, clerk), due.DOCUMENTS) == [said[0].replace("3/3", "2/2")]   # his two only


def test_cases_due_are_counted_in_scope_and_the_admin_sees_none(db, admin, inspector):
    from app.services.cases import listing

    overdue, soon = listing.urgent_counts(db, inspector)
    said = texts(due.this_week(db, inspector), due.CASES)
    assert len(said) == bool(overdue) + bool(soon)
    if overdue:
        assert said[0] == f"{overdue} vụ việc đã quá hạn xác minh"
    assert texts(due.this_week(db, admin), due.CASES) == []
