"""A period stays closed once its report is issued: every record dated in it, in a unit of the report's scope,
is refused until a leader reopens it with a reason; a correction closes it again."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.models.enums import MaterialKind, Presence
from app.reports import data, issuing
from app.reports.period import Period
from app.services import audit_trail, meetings, report_register
from app.services.errors import ValidationError
from app.services.outreach import broadcasts, materials
from tests.helpers import unit_by_code
from tests.meeting_factory import session_input

WRITTEN = data.Written(situation="Tư tưởng ổn định.", assessment="Triển khai nghiêm túc.", tasks="Tổ chức học bù.")
OCTOBER, NOVEMBER = date(2026, 10, 20), date(2026, 11, 3)


def issue_october(db, leader, unit_code: str = "", *, correction: bool = False):
    unit_id = unit_by_code(db, leader, unit_code).id if unit_code else None
    report = data.build(db, leader, Period.month(2026, 10), unit_id=unit_id, made_on=date(2026, 11, 5),
                        written=WRITTEN)
    row, _content = issuing.issue(db, leader, report, unit_code, correction=correction)
    return row


def refused(action) -> str:
    with pytest.raises(ValidationError) as caught:
        action()
    return " ".join(caught.value.errors.values())


def test_an_issued_month_refuses_every_record_dated_in_it_and_names_the_report(db, clerk, leader):
    held = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=OCTOBER,
                                                    marks={0: Presence.UNEXCUSED}))
    row = issue_october(db, leader)
    assert row.number_text == "01-BC/BTGHU"

    message = refused(lambda: meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-02",
                                                                       held_on=OCTOBER + timedelta(days=1))))
    assert "báo cáo số 01-BC/BTGHU" in message and "01/10/2026–31/10/2026" in message and "mở lại kỳ" in message
    detail = meetings.get(db, clerk, held)
    assert "01-BC/BTGHU" in refused(lambda: meetings.update(db, clerk, held, replace(detail.data, title="Sửa"),
                                                            expected_version=detail.version))
    # Moving an October session into November is editing October too.
    assert "01-BC/BTGHU" in refused(lambda: meetings.update(db, clerk, held, replace(detail.data, held_on=NOVEMBER),
                                                            expected_version=detail.version))
    assert "01-BC/BTGHU" in refused(lambda: meetings.delete(db, clerk, held, expected_version=detail.version))
    (owed,) = [line for line in detail.data.roster if line.presence is Presence.UNEXCUSED]
    assert "01-BC/BTGHU" in refused(lambda: meetings.record_makeup(db, clerk, owed.attendance_id, on=NOVEMBER,
                                                                   how="Nghiên cứu tài liệu"))
    assert meetings.get(db, clerk, held).version == detail.version   # nothing was written

    # November is open: a session, and a loudspeaker week that leaves October's days as they were.
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-02", held_on=NOVEMBER))
    commune = unit_by_code(db, clerk, "PHONGNIEN")
    week = broadcasts.week(db, clerk, commune.id, date(2026, 10, 26))   # Monday 26/10 to Sunday 1/11
    line = broadcasts.WeekLine("Tuyên truyền Kết luận 54", 15, [0, 0, 0, 0, 0, 0, 2])   # only Sunday 1/11
    broadcasts.save_week(db, clerk, replace(week, lines=[*week.lines, line]), today=NOVEMBER)
    week = broadcasts.week(db, clerk, commune.id, date(2026, 10, 26))
    monday = broadcasts.WeekLine("Bản tin xã", 10, [1, 0, 0, 0, 0, 0, 0])
    assert "01-BC/BTGHU" in refused(lambda: broadcasts.save_week(db, clerk, replace(week, lines=[*week.lines, monday]),
                                                                 today=NOVEMBER))


def test_materials_are_closed_by_their_issue_date_and_each_distribution_by_its_own_day(db, clerk, leader):
    commune = unit_by_code(db, clerk, "PHONGNIEN")
    chi_bo = unit_by_code(db, clerk, "PHONGNIEN-01")
    leaflet = materials.MaterialInput(kind=MaterialKind.LEAFLET, title="Tờ rơi Kết luận 54", unit_id=commune.id,
                                      issued_on=OCTOBER, quantity=500)
    made = materials.create(db, clerk, leaflet, today=NOVEMBER)
    issue_october(db, leader)
    assert "01-BC/BTGHU" in refused(lambda: materials.create(db, clerk, replace(leaflet, title="Khác"), today=NOVEMBER))
    detail = materials.get(db, clerk, made)
    given = materials.DistributionLine(chi_bo.id, 100, NOVEMBER)
    materials.update(db, clerk, made, replace(detail.data, distribution=[given]), expected_version=detail.version,
                     today=NOVEMBER)   # handed out in November: open
    detail = materials.get(db, clerk, made)
    late = materials.DistributionLine(chi_bo.id, 50, OCTOBER + timedelta(days=2))
    assert "01-BC/BTGHU" in refused(lambda: materials.update(
        db, clerk, made, replace(detail.data, distribution=[*detail.data.distribution, late]),
        expected_version=detail.version, today=NOVEMBER))
    assert "01-BC/BTGHU" in refused(lambda: materials.update(
        db, clerk, made, replace(detail.data, quantity=600), expected_version=detail.version, today=NOVEMBER))


def test_a_communes_report_closes_its_own_units_only(db, clerk, leader, admin):
    issue_october(db, leader, "PHONGNIEN")
    assert "đã khóa" in refused(lambda: meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01",
                                                                                 held_on=OCTOBER)))
    meetings.create(db, admin, session_input(db, admin, "XUANQUANG-01", held_on=OCTOBER))   # another commune


def test_a_leader_reopens_with_a_reason_and_a_correction_closes_it_again(db, clerk, leader):
    row = issue_october(db, leader)
    assert "đang khóa kỳ 01/10/2026–31/10/2026" in report_register.register(db, leader)[0].state
    assert "lý do" in refused(lambda: report_register.reopen(db, leader, row.id, "   "))
    with pytest.raises(Exception, match="Vai trò|quyền"):
        report_register.reopen(db, clerk, row.id, "Bổ sung")
    report_register.reopen(db, leader, row.id, "Bổ sung hội nghị chi bộ thôn Tả Hà nhập thiếu")
    trail = audit_trail.list_page(db, leader, audit_trail.AuditFilter())
    assert any("Mở lại kỳ 01/10/2026–31/10/2026 của báo cáo số 01-BC/BTGHU: Bổ sung hội nghị" in entry.summary
               for entry in trail)
    state = report_register.register(db, leader)[0].state
    assert "kỳ đã mở lại (Bổ sung hội nghị chi bộ thôn Tả Hà nhập thiếu)" in state and "chờ báo cáo sửa đổi" in state
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=OCTOBER))   # open again

    with pytest.raises(report_register.CorrectionNeeded) as asked:
        issue_october(db, leader)
    assert "thay thế báo cáo số 01-BC/BTGHU" in str(asked.value) and asked.value.replaced.id == row.id
    corrected = issue_october(db, leader, correction=True)
    assert corrected.number_text == "02-BC/BTGHU" and "(thay thế báo cáo số 01-BC/BTGHU)" in corrected.title
    states = {entry.number_text: entry.state for entry in report_register.register(db, leader)}
    assert states["01-BC/BTGHU"] == "đã có báo cáo sửa đổi thay thế"
    assert states["02-BC/BTGHU"].startswith("đang khóa kỳ")
    assert "02-BC/BTGHU" in refused(lambda: meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-02",
                                                                                     held_on=OCTOBER)))


def test_a_letter_about_a_month_closes_nothing(db, clerk, leader):
    report_register.issue_letter(db, leader, kind_code="CV", key="dondoc:2026-10-01:2026-10-31",
                                 made_on=date(2026, 11, 2), title="Công văn đôn đốc",
                                 render=lambda number: b"%PDF-1.4 letter")
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=OCTOBER))


def test_a_case_received_or_moved_on_in_a_closed_month_is_refused(db, clerk, leader, inspector):
    from app.models.enums import CaseStep
    from app.services import cases
    from app.services.cases import workflow
    from tests.case_factory import case_input

    early = cases.receive(db, clerk, case_input(db, clerk, received_on=date(2026, 10, 2)))
    issue_october(db, leader)
    assert "01-BC/BTGHU" in refused(lambda: cases.receive(db, clerk, case_input(db, clerk, received_on=OCTOBER)))
    version = cases.detail(db, inspector, early).version
    step = workflow.StepInput(on=date(2026, 10, 30))
    assert "01-BC/BTGHU" in refused(lambda: workflow.advance(db, inspector, early, CaseStep.ACCEPT, step,
                                                             expected_version=version))
    cases.receive(db, clerk, case_input(db, clerk, received_on=NOVEMBER))
