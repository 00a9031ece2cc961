"""The Danh mục: shipped lists, admin edits, codes in use retired and never deleted, holiday exceptions."""

from __future__ import annotations

from datetime import date

import pytest

from app.models.enums import ReferenceList, Regime
from app.services import cases
from app.services.cases import reference
from app.services.cases.workdays import Calendar
from app.services.errors import PermissionDenied, ValidationError
from tests.case_factory import case_input


def test_the_27_signs_and_the_other_lists_are_shipped(db, leader):
    signs = reference.items(db, leader, ReferenceList.SIGN)
    codes = [s.code for s in signs]
    assert codes[:27] == ([f"TT{i}" for i in range(1, 10)] + [f"ĐĐ{i}" for i in range(1, 10)]
                          + [f"TDB{i}" for i in range(1, 10)])
    assert codes[27:] == ["TNLP"]
    assert {s.grouping for s in signs} == {"TT", "ĐĐ", "TDB", "TNLP"}
    assert signs[0].name.startswith("Phai nhạt lý tưởng cách mạng")
    assert [c.code for c in reference.items(db, leader, ReferenceList.CASE_KIND)] == ["PA", "KN", "KNAI", "TC"]
    assert len(reference.items(db, leader, ReferenceList.CHANNEL)) == 8
    bodies = reference.items(db, leader, ReferenceList.HANDLING_BODY)
    assert {b.regime for b in bodies} == {Regime.STATE, Regime.PARTY}
    assert "KXL" in [a.code for a in reference.items(db, leader, ReferenceList.ACTION)]


@pytest.mark.parametrize("who", ["clerk", "leader", "inspector"])
def test_only_an_admin_edits_the_lists(db, request, who):
    with pytest.raises(PermissionDenied):
        reference.save(db, request.getfixturevalue(who), ReferenceList.CHANNEL, None,
                       reference.ReferenceInput("ZALO", "Tin nhắn Zalo"))


def test_an_admin_adds_and_renames_an_entry_used_by_new_cases(db, admin, clerk):
    item_id = reference.save(db, admin, ReferenceList.CHANNEL, None, reference.ReferenceInput("zalo", "Tin nhắn Zalo"))
    reference.save(db, admin, ReferenceList.CHANNEL, item_id, reference.ReferenceInput("ZALO", "Tin nhắn Zalo, Viber"))
    row = next(r for r in reference.items(db, admin, ReferenceList.CHANNEL) if r.id == item_id)
    assert (row.code, row.name) == ("ZALO", "Tin nhắn Zalo, Viber")
    case_id = cases.receive(db, clerk, case_input(db, clerk, channel="ZALO"))
    assert cases.detail(db, clerk, case_id).data.channel == "ZALO"


@pytest.mark.parametrize(("which", "data", "field"), [
    (ReferenceList.CHANNEL, reference.ReferenceInput("DT", "Trùng mã"), "code"),
    (ReferenceList.CHANNEL, reference.ReferenceInput("CO DAU CACH", "X"), "code"),
    (ReferenceList.CHANNEL, reference.ReferenceInput("NEW", " "), "name"),
    (ReferenceList.SIGN, reference.ReferenceInput("ĐĐ10", "Biểu hiện mới", grouping="XX"), "grouping"),
    (ReferenceList.HANDLING_BODY, reference.ReferenceInput("TAND", "Tòa án"), "regime"),
])
def test_bad_entries_are_refused_naming_the_field(db, admin, which, data, field):
    with pytest.raises(ValidationError) as refused:
        reference.save(db, admin, which, None, data)
    assert field in refused.value.errors


def test_a_code_in_use_is_retired_not_deleted_and_keeps_its_code(db, admin, clerk):
    sign = next(s for s in reference.items(db, admin, ReferenceList.SIGN, with_uses=True) if s.code == "ĐĐ4")
    assert sign.uses > 0   # the demo's cases use it
    with pytest.raises(ValidationError, match="chỉ có thể ngừng dùng"):
        reference.delete(db, admin, sign.id)
    with pytest.raises(ValidationError, match="không đổi được"):
        reference.save(db, admin, ReferenceList.SIGN, sign.id, reference.ReferenceInput("DD4", sign.name, "ĐĐ"))
    reference.set_retired(db, admin, sign.id, True)
    assert "ĐĐ4" not in [s.code for s in reference.items(db, admin, ReferenceList.SIGN)]
    assert "ĐĐ4" in [s.code for s in reference.items(db, admin, ReferenceList.SIGN, with_retired=True)]
    with pytest.raises(ValidationError, match="ĐĐ4"):
        cases.receive(db, clerk, case_input(db, clerk, signs=["ĐĐ4"]))
    unused = reference.save(db, admin, ReferenceList.ACTION, None, reference.ReferenceInput("NHACNHO", "Nhắc nhở"))
    reference.delete(db, admin, unused)
    assert "NHACNHO" not in [a.code for a in reference.items(db, admin, ReferenceList.ACTION, with_retired=True)]


def test_holiday_exceptions_move_working_days(db, admin, leader):
    reference.save_holiday(db, admin, date(2026, 5, 2), True, "Làm bù")          # a Saturday worked
    reference.save_holiday(db, admin, date(2026, 4, 29), False, "Nghỉ bù")       # a Wednesday off
    rows = reference.holidays(db, leader, 2026)
    assert [(r.day, r.working) for r in rows] == [(date(2026, 1, 2), False), (date(2026, 1, 10), True),
                                                  (date(2026, 4, 29), False), (date(2026, 5, 2), True)]
    with db.session_scope() as session:
        calendar = reference.calendar(session)
    assert calendar.is_working_day(date(2026, 5, 2)) and not calendar.is_working_day(date(2026, 4, 29))
    assert Calendar({}).is_working_day(date(2026, 4, 29))
    reference.delete_holiday(db, admin, date(2026, 4, 29))
    assert len(reference.holidays(db, leader, 2026)) == 3
    with pytest.raises(ValidationError):
        reference.save_holiday(db, admin, None, False, "")
