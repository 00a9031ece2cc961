"""Intake of reported cases, bad input, and the reporter's identity kept from everyone but a key holder."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from app import clock
from app.models import AuditEntry, Case, CaseIdentity
from app.models.enums import CaseStatus, CaseStep
from app.services import cases
from app.services.cases import workflow as case_workflow
from app.services.errors import PermissionDenied, ValidationError
from tests.case_factory import case_input
from tests.conftest import PASSWORDS

REPORTER = cases.Reporter("Lê Thị Báo Tin", "thôn Khe Mụ, xã Phong Niên", "0912 345 678")
SCAN = b"%PDF-1.4 scan of the handwritten letter \x00\x01\x02 unique-bytes-7f3a9c"


def _count(db) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Case))


def test_a_clerk_takes_a_named_case_in_and_cannot_read_the_reporter_back(db, clerk, leader, keyholder):
    first = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    second = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    one, two = cases.detail(db, clerk, first), cases.detail(db, clerk, second)
    seq = int(one.number.split("/")[0])
    assert one.number == f"{seq:04d}/2026/PHONGNIEN" and two.number == f"{seq + 1:04d}/2026/PHONGNIEN"
    assert one.status is CaseStatus.RECEIVED and one.has_identity and one.data.reporter is None
    assert [e.step for e in one.events] == [CaseStep.RECEIVE]
    assert one.data.signs == ["TNLP", "ĐĐ4"]
    for who in (clerk, leader):
        with pytest.raises(PermissionDenied):
            cases.identity(db, who, first)
        with pytest.raises(PermissionDenied):
            cases.detail(db, who, first, with_identity=True)
    found = cases.identity(db, keyholder, first)
    assert (found.name, found.address, found.phone) == (REPORTER.name, REPORTER.address, REPORTER.phone)


def test_an_anonymous_denunciation_is_information_only(db, clerk):
    case_id = cases.receive(db, clerk, case_input(db, clerk, anonymous=True, kind="TC"))
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        assert case.information_only and case.anonymous
        assert session.get(CaseIdentity, case_id) is None
    plain = cases.receive(db, clerk, case_input(db, clerk, anonymous=True, kind="PA"))
    with db.session_scope() as session:
        assert not session.get(Case, plain).information_only


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"received_on": clock.today() + timedelta(days=1)}, "received_on", "tương lai"),
    ({"anonymous": True, "reporter": cases.Reporter("Lê Văn Nói", "", "")}, "reporter_name", "nặc danh"),
    ({"anonymous": True, "reporter": cases.Reporter("", "", "0912345678")}, "reporter_phone", "nặc danh"),
    ({"reporter": cases.Reporter("", "thôn Cóc", "")}, "reporter_name", "họ tên"),
    ({"reporter": cases.Reporter("Lê Văn Nói", "", "gọi sau")}, "reporter_phone", "không hợp lệ"),
    ({"signs": ["ĐĐ4", "XX9"]}, "signs", "XX9"),
    ({"channel": "ZZ"}, "channel", "ZZ"),
    ({"summary": "  "}, "summary", "tóm tắt"),
    ({"reported_name": "", "reported_position": ""}, "reported_name", "người bị phản ánh"),
])
def test_bad_intake_is_refused_naming_the_field_and_nothing_is_saved(db, clerk, changes, field, words):
    before = _count(db)
    with pytest.raises(ValidationError) as refused:
        cases.receive(db, clerk, case_input(db, clerk, attachments=[("don.pdf", SCAN)], **changes))
    assert field in refused.value.errors and words in refused.value.errors[field]
    assert _count(db) == before


def test_the_intake_warns_when_the_summary_names_the_reporter(db, clerk):
    data = case_input(db, clerk, reporter=REPORTER,
                      summary="Bà Lê Thị Báo Tin phản ánh cán bộ địa chính đòi tiền")
    assert any("họ tên người phản ánh" in line for line in cases.warnings(data))
    assert cases.warnings(case_input(db, clerk, reporter=REPORTER)) == []


def test_a_clerk_works_only_in_their_units_and_only_until_the_case_is_classified(db, clerk, keyholder):
    with pytest.raises(PermissionDenied):
        cases.receive(db, clerk, case_input(db, clerk, unit="BAOTHANG"))
    district = cases.receive(db, keyholder, case_input(db, keyholder, unit="BAOTHANG"))
    with pytest.raises(PermissionDenied):
        cases.detail(db, clerk, district)
    own = cases.receive(db, clerk, case_input(db, clerk))
    detail = cases.detail(db, clerk, own)
    cases.update(db, clerk, own, case_input(db, clerk, reporter=None, summary="Tóm tắt đã sửa"),
                 expected_version=detail.version)
    detail = cases.detail(db, clerk, own)
    assert detail.data.summary == "Tóm tắt đã sửa" and detail.has_identity
    case_workflow.advance(db, keyholder, own, CaseStep.ACCEPT, case_workflow.StepInput(),
                          expected_version=detail.version)
    with pytest.raises(PermissionDenied, match="đã được phân loại"):
        cases.update(db, clerk, own, case_input(db, clerk, reporter=None),
                     expected_version=cases.detail(db, clerk, own).version)


def test_views_are_audited_and_changes_audited_without_the_identity(db, clerk, keyholder):
    case_id = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    cases.identity(db, keyholder, case_id)
    version = cases.detail(db, keyholder, case_id).version
    cases.update(db, keyholder, case_id, case_input(db, clerk, reporter=cases.Reporter("Trần Văn Mới", "", "")),
                 expected_version=version)
    with db.session_scope() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "case",
                                                           AuditEntry.entity_id == str(case_id))).all()
        assert [e.action for e in entries] == ["tạo", "xem danh tính", "sửa"]
        assert entries[1].username == "kiemtra"
        assert entries[2].after["identity"] == "đã thay đổi"
        written = " ".join(f"{e.summary} {e.before} {e.after}" for e in entries)
    assert "Báo Tin" not in written and "Mới" not in written and "0912" not in written


def _raw_bytes(db_path) -> bytes:
    return b"".join(path.read_bytes() for path in db_path.parent.glob(db_path.name + "*"))


def test_no_name_phone_or_scan_in_the_file_the_audit_or_the_log(db, db_path, clerk, keyholder, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)   # every statement and its parameters
    try:
        case_id = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER,
                                                      attachments=[("don_Le_Thi_Bao_Tin.pdf", SCAN)]))
        detail = cases.detail(db, keyholder, case_id, with_identity=True)
        assert detail.data.reporter.name == REPORTER.name
        assert [a.name for a in detail.attachments] == ["don_Le_Thi_Bao_Tin.pdf"]
        assert cases.attachment(db, keyholder, detail.attachments[0].id) == ("don_Le_Thi_Bao_Tin.pdf", SCAN)
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    db.close()
    raw = _raw_bytes(db_path)
    for secret in (REPORTER.name, "Bao Tin", "bao tin", "Khe Mụ, xã", "0912 345 678", "0912345678"):
        assert secret.encode("utf-8") not in raw, secret
        assert secret not in caplog.text, secret
    assert b"unique-bytes-7f3a9c" not in raw and b"unique-bytes-7f3a9c" not in caplog.text.encode()
    assert "INSERT INTO case_identity" in caplog.text  # the log did see the writes, sealed


def test_removing_an_identity_deletes_it_for_real(db, db_path, clerk, keyholder):
    case_id = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER, attachments=[("a.jpg", SCAN)]))
    with db.session_scope() as session:
        sealed = session.get(CaseIdentity, case_id).sealed
    with pytest.raises(ValidationError, match="lý do"):
        cases.remove_identity(db, keyholder, case_id, "")
    cases.remove_identity(db, keyholder, case_id, "Người phản ánh đề nghị không lưu")
    detail = cases.detail(db, keyholder, case_id)
    assert not detail.has_identity and detail.status is CaseStatus.RECEIVED
    assert detail.events[-1].detail == "Xóa danh tính người phản ánh"
    assert cases.identity(db, keyholder, case_id).name == ""
    with db.session_scope() as session:
        assert session.execute(text("PRAGMA secure_delete")).scalar() == 1
    db.close()
    assert sealed[-40:] not in _raw_bytes(db_path)


def test_deleting_a_case_keeps_a_tombstone_and_drops_the_identity(db, clerk, keyholder):
    case_id = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER, attachments=[("a.jpg", SCAN)]))
    version = cases.detail(db, clerk, case_id).version
    with pytest.raises(ValidationError, match="lý do"):
        cases.delete_case(db, clerk, case_id, " ", expected_version=version)
    cases.delete_case(db, clerk, case_id, "Vào sổ nhầm", expected_version=version)
    with db.session_scope() as session:
        case = session.get(Case, case_id)
        assert case.deleted_at is not None
        assert session.get(CaseIdentity, case_id) is None
        assert session.execute(text("SELECT count(*) FROM case_attachment WHERE case_id = :c"),
                               {"c": case_id}).scalar() == 0


def test_no_identity_without_the_office_key(db, clerk):
    with db.session_scope() as session:
        session.execute(text("UPDATE office_key SET retired_at = '2026-01-01'"))
    with pytest.raises(ValidationError, match="khóa bảo vệ danh tính") as refused:
        cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    assert "reporter" in refused.value.errors
    assert cases.receive(db, clerk, case_input(db, clerk, anonymous=True))  # an anonymous case needs no key


def test_the_demo_passwords_open_the_demo_identities(db, inspector):
    from app.services.cases import keys as case_keys

    assert case_keys.unlock(db, inspector, PASSWORDS["kiemtra"])
    with db.session_scope() as session:
        named = session.scalars(select(CaseIdentity.case_id).limit(5)).all()
    assert named
    for case_id in named:
        assert re.match(r"^\S+( \S+)+$", cases.identity(db, inspector, case_id).name)


def test_a_sealed_identity_does_not_tell_how_long_the_name_is(db, clerk, keyholder):
    short = cases.Reporter("Lò Bá", "Phong Niên", "0912345678")
    long = cases.Reporter("Nguyễn Thị Phương Thảo Hoàng Minh Châu", "Số nhà 128, thôn Làng Mới, xã Phong Niên, "
                          "huyện Bảo Thắng, tỉnh Lào Cai", "0912 345 678")
    ids = [cases.receive(db, clerk, case_input(db, clerk, reporter=reporter)) for reporter in (short, long)]
    with db.session_scope() as session:
        sizes = {len(session.get(CaseIdentity, case_id).sealed) for case_id in ids}
    assert len(sizes) == 1
    assert [cases.identity(db, keyholder, case_id).name for case_id in ids] == [short.name, long.name]
