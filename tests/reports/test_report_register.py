"""Drafts of the written sections and the register of issued reports: numbers per body, type and
term; the PDF kept as issued and reprinted byte for byte; a correction is a new report."""

from __future__ import annotations

import io
import json
import threading
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.db import open_database
from app.models import IssuedReport, OfficeProfile
from app.reports import data, issuing
from app.services import report_register
from app.services.errors import Conflict, PermissionDenied, ValidationError
from app.services.period import Period
from tests.helpers import unit_by_code

WRITTEN = data.Written(situation="Tư tưởng ổn định.", assessment="Triển khai nghiêm túc.", tasks="Tổ chức học bù.")


def text_of(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages)


def test_a_draft_is_kept_with_its_period_and_a_stale_save_is_refused(db, leader, clerk):
    key = Period.month(2026, 11).key
    assert report_register.draft(db, leader, key).version == 0
    version = report_register.save_draft(db, leader, key, "", WRITTEN.as_dict(), version=0)
    loaded, loaded_version = issuing.load_written(db, clerk, key)
    assert loaded == WRITTEN and loaded_version == version
    report_register.save_draft(db, clerk, key, "", {**WRITTEN.as_dict(), "tasks": "Mới"}, version=version)
    with pytest.raises(Conflict, match="nhaplieu"):
        report_register.save_draft(db, leader, key, "", WRITTEN.as_dict(), version=version)
    assert report_register.draft(db, leader, key, "PHONGNIEN").version == 0     # another scope, another draft


def test_issuing_numbers_per_term_keeps_the_bytes_and_reprints_them(db, leader):
    first = data.build(db, leader, Period.month(2026, 9), made_on=date(2026, 10, 5), written=WRITTEN)
    row, content = issuing.issue(db, leader, first)
    assert row.number_text == "01-BC/BTGHU" and row.term == "2025-2030"
    assert "Số 01-BC/BTGHU" in text_of(content)
    assert "(Kèm theo Báo cáo số 01-BC/BTGHU, ngày 05/10/2026 của Ban Tuyên giáo)" in text_of(content)
    second_report = data.build(db, leader, Period.month(2026, 10), made_on=date(2026, 11, 5), written=WRITTEN)
    second, _ = issuing.issue(db, leader, second_report)
    assert second.number == 2
    assert report_register.issued_pdf(db, leader, row.id) == content                # a reprint: the same bytes
    assert [r.number for r in report_register.register(db, leader)] == [2, 1]
    with db.session_scope() as session:   # kept with the report, and as the period's draft, in one transaction
        kept = json.loads(session.get(IssuedReport, row.id).written)
    assert kept == WRITTEN.as_dict() == report_register.draft(db, leader, first.period.key).written
    # A correction of September is a new report with the next number; the first stays as issued.
    with pytest.raises(report_register.CorrectionNeeded, match="thay thế báo cáo số 01-BC/BTGHU"):
        issuing.issue(db, leader, first)   # asked first: is it a correction?
    corrected, _ = issuing.issue(db, leader, first, correction=True)
    assert corrected.number == 3 and report_register.issued_pdf(db, leader, row.id) == content
    # A new term starts again from 01 (the profile of the period gives the term).
    with db.session_scope() as session:
        session.add(OfficeProfile(**{c: getattr(session.scalars(select(OfficeProfile).order_by(
            OfficeProfile.valid_from.desc())).first(), c) for c in (
            "unit_id", "parent_body", "issuing_body", "issuing_code", "place_name", "unit_word", "signer_authority",
            "signer_position", "signer_name", "recipients", "attendance_target", "heading_style")},
            valid_from=date(2030, 10, 1), term="2030-2035", origin=db.install_id))
    later = data.build(db, leader, Period.month(2030, 10), made_on=date(2030, 11, 5), written=WRITTEN)
    assert issuing.issue(db, leader, later)[0].number_text == "01-BC/BTGHU"


def test_each_office_numbers_in_its_own_register(db, leader):
    def issue(unit_code: str, month: int):
        unit_id = unit_by_code(db, leader, unit_code).id if unit_code else None
        report = data.build(db, leader, Period.month(2026, month), unit_id=unit_id, made_on=date(2026, month + 1, 5),
                            written=WRITTEN)
        row, content = issuing.issue(db, leader, report, unit_code)
        return row, text_of(content)

    district, _ = issue("", 9)
    commune, text = issue("PHONGNIEN", 9)
    other, _ = issue("XUANQUANG", 9)
    again, _ = issue("PHONGNIEN", 10)
    assert [r.number_text for r in (district, commune, other, again)] == \
        ["01-BC/BTGHU", "01-BC/ĐU", "01-BC/ĐU", "02-BC/ĐU"]
    assert text.startswith("ĐẢNG BỘ HUYỆN BẢO THẮNG ĐẢNG ỦY XÃ PHONG NIÊN * Số 01-BC/ĐU")
    assert "T/M ĐẢNG ỦY PHÓ BÍ THƯ" in text and "Lưu VP ĐU." in text and "BTGHU" not in text
    with db.session_scope() as session:
        offices = {row.number: row.office_unit_id for row in session.scalars(
            select(IssuedReport).where(IssuedReport.issuing_code == "ĐU"))}
    assert len(set(offices.values())) == 2


def test_a_clerk_whose_commune_has_no_profile_is_not_given_the_districts(db, admin, leader):
    from sqlalchemy import text

    from app.models.enums import Role
    from app.services import auth, users

    xuan_quang = unit_by_code(db, leader, "XUANQUANG").id
    with db.session_scope() as session:
        session.execute(text("UPDATE office_profile SET deleted_at = '2026-11-01' WHERE unit_id = :unit"),
                        {"unit": xuan_quang})
    users.create(db, admin, users.UserInput("canboxq", "Cán bộ Xuân Quang", Role.CLERK, unit_id=xuan_quang),
                 "matkhau-xuanquang")
    clerk = auth.login(db, "canboxq", "matkhau-xuanquang")
    with pytest.raises(ValidationError) as refused:
        data.build(db, clerk, Period.month(2026, 10), made_on=date(2026, 11, 5))
    assert "chưa có thông tin cơ quan" in refused.value.errors["office"]
    assert "Đảng bộ thị trấn Xuân Quang" in refused.value.errors["office"]


def test_issuing_needs_the_written_sections_and_a_leader(db, leader, clerk):
    report = data.build(db, leader, Period.month(2026, 9), made_on=date(2026, 10, 5))
    with pytest.raises(ValidationError) as refused:
        issuing.issue(db, leader, report)
    assert set(refused.value.errors) == {"situation", "assessment", "tasks"}
    assert "IV- Nhiệm vụ trọng tâm" in refused.value.errors["tasks"]
    with pytest.raises(PermissionDenied):
        issuing.issue(db, clerk, data.build(db, clerk, Period.month(2026, 9), written=WRITTEN))
    assert report_register.register(db, leader) == []


def issued_at_once(db_path, leader, reports) -> tuple[list[int], list[Exception]]:
    """Each report issued by its own leader on its own connection, all at the same moment."""
    numbers, errors, gate = [], [], threading.Barrier(len(reports))

    def issue_one(report) -> None:
        try:
            database = open_database(db_path)
            gate.wait()
            numbers.append(issuing.issue(database, leader, report)[0].number)
        except Exception as error:   # noqa: BLE001 - the callers check them
            errors.append(error)

    threads = [threading.Thread(target=issue_one, args=(report,)) for report in reports]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return numbers, errors


def test_two_leaders_issuing_at_once_get_different_numbers(db_path, leader):
    reports = [data.build(open_database(db_path), leader, Period.month(2026, month), made_on=date(2026, 10, 5),
                          written=WRITTEN) for month in (8, 9)]
    numbers, errors = issued_at_once(db_path, leader, reports)
    assert not errors and sorted(numbers) == [1, 2]


def test_an_office_received_from_its_own_install_is_not_numbered_here(db, leader):
    from sqlalchemy import update

    phong_nien = unit_by_code(db, leader, "PHONGNIEN").id
    with db.session_scope() as session:   # as if Phong Niên's Đảng ủy had come up in its packages
        session.execute(update(OfficeProfile).where(OfficeProfile.unit_id == phong_nien).values(origin="xa-phong-nien"))
    report = data.build(db, leader, Period.month(2026, 10), unit_id=phong_nien, made_on=date(2026, 11, 5),
                        written=WRITTEN)
    assert report.office.issuing_body == "ĐẢNG ỦY XÃ PHONG NIÊN"   # previewed under its own name
    with pytest.raises(ValidationError, match="tự ban hành và đánh số văn bản trên máy của mình"):
        issuing.issue(db, leader, report, "PHONGNIEN")


def test_two_leaders_issuing_the_same_month_at_once_one_is_told_it_would_be_a_correction(db_path, leader):
    report = data.build(open_database(db_path), leader, Period.month(2026, 9), made_on=date(2026, 10, 5),
                        written=WRITTEN)
    numbers, errors = issued_at_once(db_path, leader, [report, report])
    assert numbers == [1]
    assert len(errors) == 1 and isinstance(errors[0], report_register.CorrectionNeeded)
