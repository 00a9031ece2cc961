"""A period stays closed once its report is issued: every record dated in it, in a unit of the report's scope,
is refused until a leader reopens it with a reason; a correction closes it again."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.models.enums import DocumentKind, MaterialKind, Presence
from app.reports import data, issuing
from app.services import audit_trail, documents, meetings, report_register
from app.services.errors import ValidationError
from app.services.outreach import broadcasts, materials
from app.services.period import Period
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


def test_a_make_up_counts_in_its_own_period_whichever_way_it_is_entered(db, clerk, leader):
    """A September absence made up in an open November is fine after October's report; a make-up dated in
    closed October is refused, whether recorded directly, at a later session held then, or through the roster."""
    doc = documents.create(db, clerk, documents.DocumentInput(DocumentKind.KH, "15-KH/HU", "Huyện ủy",
                                                              date(2026, 9, 1), "Kế hoạch học tập"))
    september = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=date(2026, 9, 25),
                                                         document_ids=[doc],
                                                         marks={0: Presence.UNEXCUSED, 1: Presence.UNEXCUSED}))
    in_october = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-02", held_on=OCTOBER,
                                                          document_ids=[doc]))
    issue_october(db, leader)
    first, second = [line for line in meetings.get(db, clerk, september).data.roster
                     if line.presence is Presence.UNEXCUSED]
    assert "01-BC/BTGHU" in refused(lambda: meetings.record_makeup(db, clerk, first.attendance_id, on=OCTOBER,
                                                                   how="Nghiên cứu tài liệu"))
    assert "01-BC/BTGHU" in refused(lambda: meetings.record_makeup(db, clerk, first.attendance_id, on=NOVEMBER,
                                                                   makeup_meeting_id=in_october))
    meetings.record_makeup(db, clerk, first.attendance_id, on=NOVEMBER, how="Nghiên cứu tài liệu")

    detail = meetings.get(db, clerk, september)   # September is open: its roster is edited in the dialog
    roster = [replace(line, made_up_on=OCTOBER, made_up_how="Tự học") if line.attendance_id == second.attendance_id
              else line for line in detail.data.roster]
    assert "01-BC/BTGHU" in refused(lambda: meetings.update(db, clerk, september, replace(detail.data, roster=roster),
                                                            expected_version=detail.version))
    roster = [replace(line, made_up_on=NOVEMBER, made_up_how="Tự học") if line.attendance_id == second.attendance_id
              else line for line in detail.data.roster]
    meetings.update(db, clerk, september, replace(detail.data, roster=roster), expected_version=detail.version)
    assert meetings.get(db, clerk, september).version == detail.version + 1


def test_a_report_made_before_its_month_ended_closes_the_month_up_to_that_day(db, clerk, leader):
    report = data.build(db, leader, Period.month(2026, 11), made_on=date(2026, 11, 10), written=WRITTEN)
    issuing.issue(db, leader, report)
    assert "01/11/2026–10/11/2026" in refused(lambda: meetings.create(
        db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=date(2026, 11, 6))))
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=date(2026, 11, 15)))


def test_a_report_received_from_another_install_closes_nothing_here_and_is_not_reopened_here(db, clerk, leader):
    from sqlalchemy import update

    from app.models import IssuedReport

    row = issue_october(db, leader)
    with db.session_scope() as session:   # as if it had come from the district's install in a package
        session.execute(update(IssuedReport).where(IssuedReport.id == row.id).values(origin="may-huyen"))
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=OCTOBER))
    assert "cơ quan khác ban hành" in refused(lambda: report_register.reopen(db, leader, row.id, "Sửa"))
    assert report_register.register(db, leader)[0].state == ""


def test_public_opinion_noted_in_an_issued_month_is_refused_and_the_next_month_is_open(db, clerk, leader):
    from app.models.enums import OpinionGroup, OpinionTendency
    from app.services.opinion import register

    heard = register.OpinionInput(unit_by_code(db, clerk, "PHONGNIEN-01").id, OCTOBER, "Giá phân bón tăng",
                                  "Họp thôn", OpinionTendency.WORRYING, [OpinionGroup.FARMERS], "Bà con lo chi phí.")
    noted = register.create(db, clerk, heard, today=NOVEMBER)
    issue_october(db, leader)   # its section I was written from this register
    assert "01-BC/BTGHU" in refused(lambda: register.create(db, clerk, replace(heard, topic="Khác"), today=NOVEMBER))
    detail = register.get(db, clerk, noted)
    assert "01-BC/BTGHU" in refused(lambda: register.update(db, clerk, noted, replace(detail.data, noted_on=NOVEMBER),
                                                            expected_version=detail.version, today=NOVEMBER))
    assert "01-BC/BTGHU" in refused(lambda: register.delete(db, clerk, noted, expected_version=detail.version))
    register.create(db, clerk, replace(heard, noted_on=NOVEMBER), today=NOVEMBER)


def test_an_example_recognised_in_an_issued_month_is_refused_until_the_month_is_reopened(db, clerk, leader):
    from app.models.enums import Commendation, ExemplarKind
    from app.services.exemplars import register

    example = register.ExemplarInput(ExemplarKind.MODEL, "Mô hình «Tủ sách pháp luật»",
                                     unit_by_code(db, clerk, "PHONGNIEN").id, OCTOBER, Commendation.PRAISE, "Đảng ủy xã")
    made = register.create(db, clerk, example, today=NOVEMBER)
    issue_october(db, leader)   # its section II.5 named this example
    assert "01-BC/BTGHU" in refused(lambda: register.create(db, clerk, replace(example, title="Khác"), today=NOVEMBER))
    detail = register.get(db, clerk, made)
    assert "01-BC/BTGHU" in refused(lambda: register.delete(db, clerk, made, expected_version=detail.version))
    register.create(db, clerk, replace(example, recognised_on=NOVEMBER), today=NOVEMBER)


def test_an_examples_uptake_in_an_issued_month_is_closed_too(db, clerk, leader):
    from app.models.enums import Commendation, ExemplarKind
    from app.services.exemplars import register

    chi_bo = unit_by_code(db, clerk, "PHONGNIEN-01").id
    example = register.ExemplarInput(ExemplarKind.MODEL, "Mô hình «Vườn mẫu»", unit_by_code(db, clerk, "PHONGNIEN").id,
                                     NOVEMBER, Commendation.PRAISE, "Đảng ủy xã")
    taken = register.ExemplarInput(**{**example.__dict__, "title": "Mô hình «Bếp sạch»", "recognised_on": OCTOBER,
                                      "spread": [register.SpreadLine(chi_bo, OCTOBER + timedelta(days=2))]})
    made = register.create(db, clerk, taken, today=NOVEMBER)
    issue_october(db, leader)   # its II.5 counted the uptake of 22/10
    late = replace(example, spread=[register.SpreadLine(chi_bo, OCTOBER)])
    assert "01-BC/BTGHU" in refused(lambda: register.create(db, clerk, late, today=NOVEMBER))
    register.create(db, clerk, replace(example, spread=[register.SpreadLine(chi_bo, NOVEMBER)]), today=NOVEMBER)
    detail = register.get(db, clerk, made)
    assert "01-BC/BTGHU" in refused(lambda: register.delete(db, clerk, made, expected_version=detail.version))
