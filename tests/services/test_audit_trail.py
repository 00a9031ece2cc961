"""The audit trail as the audit page reads it: newest first, filtered, with before and after."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app import clock
from app.models.enums import Gender
from app.services import audit, people
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
    newest = audit.list_page(db, leader, audit.AuditFilter(), limit=1)[0]
    assert (newest.username, newest.action, newest.entity_label) == ("nhaplieu", "sửa", "Đảng viên")
    changes = dict((name, (before, after)) for name, before, after in newest.changes())
    assert changes["Năm sinh"] == (str(edited.data.birth_year), "1961")
    assert changes["Chức vụ"][1] == "Bí thư chi bộ"
    assert changes["Giới tính"][1] == "Nữ"  # labels, not the stored "female"
    assert "Họ và tên" not in changes  # unchanged fields are not listed


def test_filters_by_user_kind_and_local_dates_and_pages_by_key(db, admin, edited):
    mine = audit.AuditFilter(username="nhaplieu")
    assert [row.summary for row in audit.list_page(db, admin, mine)] == [f"Sửa thông tin {edited.data.full_name}"]
    everyone = audit.count(db, admin, audit.AuditFilter())
    first, second = audit.list_page(db, admin, audit.AuditFilter(), limit=2)
    rest = audit.list_page(db, admin, audit.AuditFilter(), after=(first.at, first.id), limit=everyone)
    assert rest[0] == second and len(rest) == everyone - 1
    assert audit.count(db, admin, audit.AuditFilter(entity="person")) < everyone
    today = clock.today()
    assert audit.count(db, admin, audit.AuditFilter(username="nhaplieu", since=today, until=today)) == 1
    assert audit.count(db, admin, audit.AuditFilter(username="nhaplieu", until=today - timedelta(days=1))) == 0
    assert "nhaplieu" in audit.usernames(db, admin)


def test_a_clerk_may_not_read_the_trail(db, clerk, inspector):
    with pytest.raises(PermissionDenied, match="nhật ký"):
        audit.list_page(db, clerk, audit.AuditFilter())
    assert audit.count(db, inspector, audit.AuditFilter()) > 0
