"""The audit trail as the audit page reads it: newest first, filtered, with before and after."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.models.enums import Gender
from app.services import audit_trail, people
from app.services.errors import PermissionDenied


@pytest.fixture
def edited(db, clerk):
    row = people.list_page(db, clerk, people.PeopleFilter(), limit=1)[0]
    detail = people.get(db, clerk, row.id)
    changed = people.PersonInput(detail.data.full_name, 1961, Gender.FEMALE, detail.data.ethnicity,
                                 "Bí thư chi bộ")
    people.update(db, clerk, row.id, changed, expected_version=detail.version)
    return detail


def test_the_newest_change_comes_first_with_what_it_changed(db, leader, edited):
    newest = audit_trail.list_page(db, leader, audit_trail.AuditFilter(), limit=1)[0]
    assert (newest.username, newest.action, newest.entity_label) == ("nhaplieu", "sửa", "Đảng viên")
    changes = dict((name, (before, after)) for name, before, after in newest.changes())
    assert changes["Năm sinh"] == (str(edited.data.birth_year), "1961")
    assert changes["Chức vụ"][1] == "Bí thư chi bộ"
    assert changes["Giới tính"][1] == "Nữ"  # labels, not the stored "female"
    assert "Họ và tên" not in changes  # unchanged fields are not listed


def test_filters_by_user_kind_and_local_dates_and_pages_by_key(db, admin, edited):
    mine = audit_trail.AuditFilter(username="nhaplieu")
    assert [row.summary for row in audit_trail.list_page(db, admin, mine)] == [f"Sửa thông tin {edited.data.full_name}"]
    everyone = audit_trail.count(db, admin, audit_trail.AuditFilter())
    first, second = audit_trail.list_page(db, admin, audit_trail.AuditFilter(), limit=2)
    rest = audit_trail.list_page(db, admin, audit_trail.AuditFilter(), after=(first.at, first.id), limit=everyone)
    assert rest[0] == second and len(rest) == everyone - 1
    assert audit_trail.count(db, admin, audit_trail.AuditFilter(entity="person")) < everyone
    today = clock.today()
    assert audit_trail.count(db, admin, audit_trail.AuditFilter(username="nhaplieu", since=today, until=today)) == 1
    assert audit_trail.count(db, admin, audit_trail.AuditFilter(username="nhaplieu", until=today - timedelta(days=1))) == 0
    assert "nhaplieu" in audit_trail.usernames(db, admin)


def test_a_clerk_may_not_read_the_trail(db, clerk, inspector):
    with pytest.raises(PermissionDenied, match="nhật ký"):
        audit_trail.list_page(db, clerk, audit_trail.AuditFilter())
    assert audit_trail.count(db, inspector, audit_trail.AuditFilter()) > 0


def test_every_kind_of_record_in_the_trail_has_a_vietnamese_name(db, admin):
    """Each kind the services write (read from their source) is named, and an unnamed one is refused."""
    import ast
    from pathlib import Path

    from app.services import audit
    from app.services.exchange.rows import ROOTS

    written = set()
    for path in Path(audit.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "record"
                    and getattr(node.func.value, "id", "") == "audit" and isinstance(node.args[3], ast.Constant)):
                written.add(node.args[3].value)
    assert {"case", "issued_report", "office_key", "exchange_partner", "meeting"} <= written
    assert written | {kind.audit_kind for kind in ROOTS} <= set(audit.KINDS)
    assert all(label and label[0].isupper() for label in audit.KINDS.values())
    with db.session_scope() as session, pytest.raises(ValueError, match="audit.KINDS"):
        audit.record(session, admin, "sửa", "office_keyx", 1, "một loại chưa đặt tên")


def test_every_field_the_trail_keeps_is_named_in_vietnamese():
    from app.services import profile, users
    from app.services.cases.intake import CASE_FIELDS
    from app.services.cases.reference import ITEM_FIELDS
    from app.services.documents.register import DOCUMENT_FIELDS
    from app.services.meetings.record import MEETING_FIELDS
    from app.services.outreach.materials import MATERIAL_FIELDS
    from app.services.people import PERSON_FIELDS

    kept = {*users.USER_FIELDS, *ITEM_FIELDS, *CASE_FIELDS, *MEETING_FIELDS, *MATERIAL_FIELDS, *PERSON_FIELDS,
            *DOCUMENT_FIELDS, *profile.FIELDS, "deactivated_on", "lines", "times", "decisions", "pdf", "status"}
    unnamed = sorted(key for key in kept if key not in audit_trail.FIELD_LABELS)
    assert unnamed == []
    assert all(label != key for key, label in audit_trail.FIELD_LABELS.items())
