"""Units' own plans implementing a tracked document: recorded only for its required units and never half,
shown beside the sessions in the coverage (view, sheet, workbook), chased by the reminder letter, and
travelling up from a commune."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from app import clock
from app.models import UnitPlan
from app.reports import coverage as sheet_of
from app.reports import reminder
from app.services import documents, profile
from app.services.documents import coverage, plans
from app.services.errors import PermissionDenied, ValidationError
from tests.helpers import unit_by_code

AS_OF = date(2026, 11, 1)


def document_id(db, actor, number: str) -> int:
    return next(row.id for row in documents.search(db, actor, number) if row.number == number)


def live_plans(db) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(UnitPlan).where(UnitPlan.deleted_at.is_(None)))


def test_the_coverage_shows_each_units_plan_as_the_register_holds_it(db, leader):
    doc = document_id(db, leader, "57-NQ/TW")
    cover = coverage.for_document(db, leader, doc, as_of=AS_OF)
    with db.session_scope() as session:
        held = dict(session.execute(select(UnitPlan.unit_id, UnitPlan.number)
                                    .where(UnitPlan.document_id == doc, UnitPlan.deleted_at.is_(None))).all())
    assert held and {line.unit_id: line.plan.number for line in cover.lines if line.plan} == held
    assert cover.plans_done == len(held) and cover.plans_expected == len(cover.lines)
    for line in cover.lines:
        assert line.plan_state == (coverage.LATE if line.plan.issued_on > cover.deadline else coverage.DONE)
    done = cover.plans_done
    assert cover.plan_sentence().startswith(f"Có {done}/{len(cover.lines)} đơn vị đã ban hành kế hoạch thực hiện")
    chi_bo = coverage.for_document(db, leader, document_id(db, leader, "118-KH/HU"), as_of=AS_OF)
    assert chi_bo.plans_expected == 0 and chi_bo.plan_sentence() == ""   # chi bộ study it, they issue no plan


@pytest.fixture
def plan(db, clerk) -> plans.PlanInput:
    return plans.PlanInput(document_id(db, clerk, "57-NQ/TW"), unit_by_code(db, clerk, "PHONGNIEN").id, "20-KH/ĐU",
                           date(2025, 1, 10), "Thực hiện Nghị quyết 57")


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"unit_id": "chi_bo"}, "unit_id", "không thuộc các đơn vị phải thực hiện văn bản 57-NQ/TW"),
    ({"unit_id": None}, "unit_id", "Hãy chọn đơn vị ban hành kế hoạch."),
    ({"number": " "}, "number", "Hãy ghi số kế hoạch"),
    ({"issued_on": "tomorrow"}, "issued_on", "không được ở tương lai"),
    ({"issued_on": date(2024, 12, 1)}, "issued_on", "trước ngày ban hành văn bản 57-NQ/TW (22/12/2024)"),
    ({"issued_on": None}, "issued_on", "Hãy nhập ngày ban hành kế hoạch."),
])
def test_bad_input_is_refused_by_field_and_nothing_is_saved(db, clerk, plan, change, field, words):
    if change.get("unit_id") == "chi_bo":
        change = {"unit_id": unit_by_code(db, clerk, "PHONGNIEN-01").id}
    if change.get("issued_on") == "tomorrow":
        change = {"issued_on": clock.today() + timedelta(days=1)}
    before = live_plans(db)
    with pytest.raises(ValidationError) as caught:
        plans.create(db, clerk, replace(plan, **change))
    assert words in caught.value.errors[field] and live_plans(db) == before


def test_a_unit_has_one_plan_per_document_and_a_clerk_records_only_his_own(db, clerk, leader, admin, plan):
    with pytest.raises(ValidationError, match="đã có kế hoạch số 11-KH/ĐU"):
        plans.create(db, clerk, plan)   # the demo's plan of Phong Niên
    with pytest.raises(PermissionDenied):
        plans.create(db, clerk, replace(plan, unit_id=unit_by_code(db, admin, "XUANQUANG").id))
    with pytest.raises(PermissionDenied):
        plans.create(db, leader, plan)
    existing = plans.for_document(db, clerk, plan.document_id)[plan.unit_id]
    plans.update(db, clerk, existing.id, plan, expected_version=existing.version)
    assert plans.for_document(db, clerk, plan.document_id)[plan.unit_id].number == "20-KH/ĐU"


def test_the_sheet_workbook_and_letter_chase_a_missing_plan(db, clerk, leader, tmp_path):
    doc = document_id(db, clerk, "57-NQ/TW")
    mine = plans.for_document(db, clerk, doc)[unit_by_code(db, clerk, "PHONGNIEN").id]
    plans.delete(db, clerk, mine.id, expected_version=mine.version)
    sheet = sheet_of.build(db, leader, doc, as_of=AS_OF)
    missing = sheet.cover.plans_missing()
    assert [line.unit_name for line in missing] == ["Đảng bộ xã Phong Niên"] and missing[0].plan_state == coverage.OVERDUE
    sheet_of.render_pdf(sheet, tmp_path / "bieu.pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(tmp_path / "bieu.pdf").pages)
    assert "Quá hạn, chưa ban hành" in text and "12-KH/ĐU" in text and "còn 1 đơn vị chưa ban hành" in text
    sheet_of.render_xlsx(sheet, tmp_path / "bieu.xlsx")
    rows = list(load_workbook(tmp_path / "bieu.xlsx").active.iter_rows(values_only=True))
    header = next(row for row in rows if row and row[0] == "STT")
    line = next(row for row in rows if row and row[1] == "Đảng bộ xã Phong Niên")
    assert dict(zip(header, line, strict=True))["Tình hình kế hoạch"] == "Quá hạn, chưa ban hành"

    assert reminder.chased(sheet.cover)
    office = profile.for_actor(db, leader, AS_OF)
    said = " ".join(reminder.paragraphs(sheet.cover, office, AS_OF))
    assert "Các đơn vị chưa ban hành kế hoạch: Đảng bộ xã Phong Niên (quá hạn)." in said
    assert "khẩn trương cụ thể hóa thành kế hoạch thực hiện" in said
    assert "Đảng ủy xã Phong Niên" in reminder.addressees(sheet.cover)
    letter = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(reminder.render(sheet.cover, office,
                                                                                          AS_OF))).pages)
    assert "chưa ban hành kế hoạch: Đảng bộ xã Phong Niên (quá hạn)" in " ".join(letter.split())


def test_a_plan_recorded_at_a_commune_reaches_the_districts_coverage(db, admin, leader, commune, tmp_path):
    from tests.conftest import signed_in
    from tests.services.test_exchange import introduce, receive, send

    district_clerk = signed_in(db, "nhaplieu")
    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    receive(commune_db, commune_clerk, send(db, district_clerk, commune_db, tmp_path, "xuong.goitd"))
    doc = document_id(commune_db, commune_clerk, "57-NQ/TW")
    own = plans.for_document(commune_db, commune_clerk, doc)
    phong_nien = unit_by_code(commune_db, commune_clerk, "PHONGNIEN").id
    plans.update(commune_db, commune_clerk, own[phong_nien].id,
                 plans.PlanInput(doc, phong_nien, "09-KH/ĐU", date(2025, 1, 20)), expected_version=own[phong_nien].version)
    receive(db, district_clerk, send(commune_db, commune_clerk, db, tmp_path, "len.goitd"))
    cover = coverage.for_document(db, leader, document_id(db, leader, "57-NQ/TW"), as_of=AS_OF)
    line = next(line for line in cover.lines if line.unit_name == "Đảng bộ xã Phong Niên")
    assert (line.plan.number, line.plan_state) == ("09-KH/ĐU", coverage.DONE)


def test_a_units_plan_is_one_record_wherever_it_is_entered_and_comes_back_after_a_deletion(db, clerk, plan):
    existing = plans.for_document(db, clerk, plan.document_id)[plan.unit_id]
    with db.session_scope() as session:
        uid = session.get(UnitPlan, existing.id).uid
        assert uid == plans.plan_uid(session, plan.document_id, plan.unit_id)   # the demo's, made alike
    plans.delete(db, clerk, existing.id, expected_version=existing.version)
    again = plans.create(db, clerk, plan)
    with db.session_scope() as session:
        assert session.get(UnitPlan, again).uid == uid and again == existing.id
        assert session.scalar(select(func.count()).select_from(UnitPlan).where(UnitPlan.uid == uid)) == 1
