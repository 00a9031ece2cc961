"""The documents register: entries, duplicates, the implements chain, tracking fields, files, versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app import clock
from app.models import AuditEntry, Document
from app.models.enums import DocumentKind
from app.services import documents, meetings
from app.services.documents import DocumentInput
from app.services.errors import Conflict, ValidationError
from app.services.numbers import short_date
from tests.helpers import unit_by_code
from tests.meeting_factory import session_input

PLAN = DocumentInput(DocumentKind.KH, "300-KH/HU", "Ban Thường vụ Huyện ủy", date(2025, 3, 2),
                     "Kế hoạch tuyên truyền kỷ niệm ngày thành lập Đảng")


def document_count(db) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Document).where(Document.deleted_at.is_(None)))


def refused(db, actor, data, field: str, document_id: int | None = None, version: int | None = None) -> str:
    """Refused naming this field, and nothing written."""
    before = document_count(db)
    with pytest.raises(ValidationError) as caught:
        if document_id is None:
            documents.create(db, actor, data)
        else:
            documents.update(db, actor, document_id, data, expected_version=version)
    assert field in caught.value.errors, caught.value.errors
    assert document_count(db) == before
    return caught.value.errors[field]


def three_levels(db, clerk) -> tuple[int, int, int]:
    """A directive, a plan implementing it, a guidance implementing the plan."""
    top = documents.create(db, clerk, DocumentInput(DocumentKind.KL, "90-KL/TW", "Ban Bí thư", date(2025, 1, 10),
                                                    "Kết luận về công tác tuyên truyền"))
    plan = documents.create(db, clerk, DocumentInput(DocumentKind.KH, "310-KH/TU", "Ban Thường vụ Tỉnh ủy",
                                                     date(2025, 2, 20), "Kế hoạch thực hiện Kết luận 90",
                                                     implements_ids=[top]))
    guide = documents.create(db, clerk, DocumentInput(DocumentKind.HD, "15-HD/BTGTU", "Ban Tuyên giáo Tỉnh ủy",
                                                      date(2025, 3, 1), "Hướng dẫn tuyên truyền Kết luận 90",
                                                      implements_ids=[plan]))
    return top, plan, guide


def test_register_refuses_bad_entries_and_duplicates_of_the_same_issuer_and_kind(db, clerk):
    doc_id = documents.create(db, clerk, PLAN)
    assert refused(db, clerk, PLAN, "number") == ("Văn bản số 300-KH/HU (kế hoạch) của Ban Thường vụ Huyện ủy năm "
                                                   "2025 đã có trong sổ.")
    assert "kết luận, không phải chỉ thị" in refused(db, clerk, replace(PLAN, kind=DocumentKind.CT, number="99-KL/TW"),
                                                      "number")
    with pytest.raises(ValidationError) as caught:
        documents.create(db, clerk, DocumentInput(None, "", "", None, ""))
    assert set(caught.value.errors) == {"kind", "number", "issuer", "issued_on", "summary"}
    # Numbers run per issuer and term: another issuer, or a later term, may use the same number.
    documents.create(db, clerk, replace(PLAN, issuer="Đảng ủy xã Phong Niên"))
    documents.create(db, clerk, replace(PLAN, issued_on=date(2026, 3, 2)))
    assert [row.id for row in documents.search(db, clerk, "ky niem ngay thanh lap")][-1] == doc_id
    # The number, or a summary quoting it (the demo's plan implementing KL 54).
    assert {row.number for row in documents.search(db, clerk, "54-kl")} == {"54-KL/TW", "223-KH/TU", "234-KH/TU",
                                                                          "52-HD/BTGTU", "118-KH/HU"}
    assert documents.kind_of_number("08-QĐi/TW") is DocumentKind.QDI


def test_the_chain_runs_from_the_directive_down_through_its_plans(db, clerk):
    top, plan, guide = three_levels(db, clerk)
    lines = documents.chain(db, clerk, plan)
    assert [(line.depth, line.document.number, line.is_this) for line in lines] == [
        (0, "90-KL/TW", False), (1, "310-KH/TU", True), (2, "15-HD/BTGTU", False)]
    assert documents.get(db, clerk, guide).data.implements_ids == [plan]


def test_an_implements_link_that_would_make_a_loop_is_refused_naming_the_loop(db, clerk):
    top, plan, guide = three_levels(db, clerk)
    detail = documents.get(db, clerk, top)
    looping = replace(detail.data, implements_ids=[guide], issued_on=date(2025, 3, 5))
    message = refused(db, clerk, looping, "implements_ids", top, detail.version)
    assert "vòng lặp: 90-KL/TW → 15-HD/BTGTU → 310-KH/TU → 90-KL/TW" in message
    itself = refused(db, clerk, replace(detail.data, implements_ids=[top]), "implements_ids", top, detail.version)
    assert "không thể thực hiện chính nó" in itself
    later = refused(db, clerk, replace(detail.data, implements_ids=[plan]), "implements_ids", top, detail.version)
    assert "310-KH/TU ban hành ngày 20/02/2025, sau văn bản này" in later
    assert documents.get(db, clerk, top).version == detail.version


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"deadline": date(2025, 3, 1)}, "deadline", "Thời hạn 01/03/2025 trước ngày ban hành 02/03/2025."),
    ({"target": "abc"}, "target", "không phải một số"),
    ({"target": "0"}, "target", "lớn hơn 0 và không quá 100"),
    ({"target": "120"}, "target", "lớn hơn 0 và không quá 100"),
    ({"file_name": "rong.pdf", "file_data": b""}, "file", "Tệp «rong.pdf» rỗng."),
])
def test_tracking_fields_are_checked(db, clerk, fields, field, words):
    assert words in refused(db, clerk, replace(PLAN, **fields), field)


def test_required_units_outside_the_office_tree_are_refused_by_name(db, clerk):
    outside = unit_by_code(db, clerk, "XUANQUANG-01")
    inside = unit_by_code(db, clerk, "PHONGNIEN-01")
    message = refused(db, clerk, replace(PLAN, required_unit_ids=[inside.id, outside.id]), "required_unit_ids")
    assert message == f"Đơn vị ngoài phạm vi của cơ quan ngày {short_date(clock.today())}: {outside.name}."


def test_tracking_is_saved_and_read_back_whole(db, clerk):
    chosen = [unit_by_code(db, clerk, code).id for code in ("PHONGNIEN-01", "PHONGNIEN-02")]
    doc_id = documents.create(db, clerk, replace(PLAN, deadline=date(2025, 11, 30), target="97,5",
                                                 required_unit_ids=chosen, file_name="300-KH-HU.pdf",
                                                 file_data=b"%PDF-1.4 ke hoach"))
    detail = documents.get(db, clerk, doc_id)
    assert (detail.data.deadline, detail.data.target, detail.data.required_unit_ids) == (
        date(2025, 11, 30), Decimal("97.50"), chosen)
    assert documents.file_bytes(db, clerk, doc_id) == ("300-KH-HU.pdf", b"%PDF-1.4 ke hoach")
    documents.update(db, clerk, doc_id, replace(detail.data, required_unit_ids=chosen[:1]),
                     expected_version=detail.version)
    again = documents.get(db, clerk, doc_id)
    assert again.data.required_unit_ids == chosen[:1] and again.file_size == len(b"%PDF-1.4 ke hoach")
    documents.update(db, clerk, doc_id, replace(again.data, file_sha256=None), expected_version=again.version)
    assert documents.get(db, clerk, doc_id).data.file_name == ""


def test_a_second_save_from_an_old_copy_is_refused_naming_who_saved(db, clerk, admin):
    doc_id = documents.create(db, clerk, PLAN)
    mine, theirs = documents.get(db, clerk, doc_id), documents.get(db, admin, doc_id)
    documents.update(db, admin, doc_id, replace(theirs.data, summary="Kế hoạch đã sửa"),
                     expected_version=theirs.version)
    with pytest.raises(Conflict, match="vừa được quantri sửa lúc"):
        documents.update(db, clerk, doc_id, replace(mine.data, summary="Bản của tôi"), expected_version=mine.version)
    assert documents.get(db, clerk, doc_id).data.summary == "Kế hoạch đã sửa"


def test_a_document_in_use_is_not_deleted_and_a_deletion_is_a_tombstone(db, clerk):
    used = documents.create(db, clerk, PLAN)
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", document_ids=[used]))
    with pytest.raises(ValidationError, match="đang được dùng ở 1 hội nghị"):
        documents.delete(db, clerk, used, expected_version=documents.get(db, clerk, used).version)
    spare = documents.create(db, clerk, replace(PLAN, number="301-KH/HU"))
    documents.delete(db, clerk, spare, expected_version=documents.get(db, clerk, spare).version)
    assert spare not in {row.id for row in documents.search(db, clerk, "301-KH")}
    with db.session_scope() as session:
        assert session.get(Document, spare).deleted_at is not None
        assert session.scalar(select(AuditEntry.summary).where(AuditEntry.action == "xóa",
                                                               AuditEntry.entity_id == str(spare))) \
            == "Xóa văn bản 301-KH/HU"


@pytest.mark.parametrize(("deadline", "day"), [
    (None, date(2026, 11, 22)),                       # untimed: today's tree
    (date(2024, 5, 31), date(2024, 5, 31)),           # the tree on the deadline
    (date(2027, 1, 1), date(2026, 11, 22)),           # a deadline ahead: today's tree
])
def test_required_units_are_chosen_from_the_tree_of_the_deadline(deadline, day):
    assert documents.tracking_day(date(2024, 4, 2), deadline, today=date(2026, 11, 22)) == day
