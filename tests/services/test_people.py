"""People: list, search, scope, memberships over time, validation, conflicts, audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.models import Membership, Person
from app.models.enums import Gender, MembershipStatus
from app.services import audit_trail, people, units
from app.services.errors import Conflict, PermissionDenied, ValidationError
from app.services.search import fold
from tests.helpers import unit_by_code


def all_rows(db, actor, flt: people.PeopleFilter | None = None, **kwargs):
    flt = flt or people.PeopleFilter()
    rows, after = [], None
    while True:
        page = people.list_page(db, actor, flt, after=after, limit=7, **kwargs)
        rows += page
        if len(page) < 7:
            return rows
        after = (page[-1].sort_value, page[-1].id)


def test_paging_by_key_returns_every_person_once_in_name_order(db, admin):
    rows = all_rows(db, admin)
    with db.session_scope() as session:
        expected = session.scalar(select(func.count()).select_from(Person))
    assert len(rows) == len({r.id for r in rows}) == expected == people.count(db, admin, people.PeopleFilter())
    given_names = [fold(r.full_name).split()[-1] for r in rows]
    assert given_names == sorted(given_names)


@pytest.mark.parametrize("sort", ["name", "birth_year", "status"])
def test_every_sort_pages_through_everyone_both_ways(db, admin, sort):
    ascending = all_rows(db, admin, sort=sort)
    descending = all_rows(db, admin, sort=sort, descending=True)
    assert [r.id for r in ascending] == [r.id for r in reversed(descending)]
    keys = [r.sort_value for r in ascending]
    assert keys == sorted(keys)


def test_search_ignores_diacritics_and_case(db, admin):
    commune = unit_by_code(db, admin, "PHONGNIEN")
    chi_bo = next(n for n in units.tree(db, admin) if n.parent_id == commune.id)
    people.create(db, admin, people.PersonInput("Đặng Thị Đảng Viên", 1980), unit_id=chi_bo.id)
    for query in ("dang vien", "ĐẢNG VIÊN", "Đảng viên", "thi dang"):
        found = people.list_page(db, admin, people.PeopleFilter(query))
        assert [r.full_name for r in found] == ["Đặng Thị Đảng Viên"], query
    assert people.list_page(db, admin, people.PeopleFilter("100%_")) == []


def test_unit_filter_takes_the_whole_subtree(db, admin):
    commune = unit_by_code(db, admin, "PHONGNIEN")
    inside = {n.name for n in units.tree(db, admin) if n.parent_id == commune.id}
    rows = all_rows(db, admin, people.PeopleFilter(unit_id=commune.id))
    assert rows and {r.unit_name for r in rows} <= inside
    assert len({r.unit_name for r in rows}) > 1


def test_a_clerk_sees_and_edits_only_their_subtree(db, clerk, admin):
    commune = unit_by_code(db, admin, "PHONGNIEN")
    scope = {n.name for n in units.tree(db, admin) if n.parent_id == commune.id}
    seen = all_rows(db, clerk)
    assert seen and {r.unit_name for r in seen} <= scope
    assert len(seen) < people.count(db, admin, people.PeopleFilter())
    outside_unit = unit_by_code(db, admin, "XUANQUANG-01")
    with pytest.raises(PermissionDenied, match="phạm vi"):
        people.create(db, clerk, people.PersonInput("Người Ngoài", 1990), unit_id=outside_unit.id)
    stranger = all_rows(db, admin, people.PeopleFilter(unit_id=outside_unit.id))[0]
    with pytest.raises(PermissionDenied):
        people.get(db, clerk, stranger.id)
    with pytest.raises(PermissionDenied):
        people.update(db, clerk, stranger.id, people.PersonInput("Đổi Tên"), expected_version=1)


@pytest.mark.parametrize("who", ["leader", "inspector"])
def test_readers_cannot_change_people(db, request, who, admin):
    actor = request.getfixturevalue(who)
    row = all_rows(db, actor)[0]
    with pytest.raises(PermissionDenied):
        people.update(db, actor, row.id, people.PersonInput("Tên Mới"), expected_version=1)


def test_bad_input_names_each_field_and_saves_nothing(db, admin):
    commune = unit_by_code(db, admin, "PHONGNIEN")
    before = people.count(db, admin, people.PeopleFilter())
    with pytest.raises(ValidationError) as bad:
        people.create(db, admin, people.PersonInput("   ", 1850), unit_id=commune.id)
    assert set(bad.value.errors) == {"full_name", "birth_year"}
    with pytest.raises(ValidationError, match="chọn một chi bộ") as not_chi_bo:
        people.create(db, admin, people.PersonInput("Lê Văn Tám", 1990), unit_id=commune.id)
    assert "unit_id" in not_chi_bo.value.errors
    assert people.count(db, admin, people.PeopleFilter()) == before


def test_text_is_stored_in_nfc_with_single_spaces(db, admin):
    chi_bo = unit_by_code(db, admin, "PHONGNIEN-01")
    decomposed = "Nguye\u0302\u0303n   Thi\u0323  Hoa"  # NFD, as some spreadsheets hold it
    person_id = people.create(db, admin, people.PersonInput(decomposed, 1975, Gender.FEMALE), unit_id=chi_bo.id)
    assert people.get(db, admin, person_id).data.full_name == "Nguyễn Thị Hoa"


def test_membership_changes_keep_history_and_rosters_follow_dates(db, admin):
    first = unit_by_code(db, admin, "PHONGNIEN-01")
    second = unit_by_code(db, admin, "PHONGNIEN-02")
    person_id = people.create(db, admin, people.PersonInput("Hoàng Văn Chuyển", 1970), unit_id=first.id,
                              since=date(2020, 1, 1))
    people.change_membership(db, admin, person_id, unit_id=second.id, status=MembershipStatus.ACTIVE,
                             since=date(2024, 3, 1), note="Chuyển sinh hoạt")
    people.change_membership(db, admin, person_id, unit_id=second.id, status=MembershipStatus.EXEMPT,
                             since=date(2025, 9, 1))
    detail = people.get(db, admin, person_id)
    assert [(m.unit_id, m.status, m.valid_from, m.valid_to) for m in detail.memberships] == [
        (first.id, MembershipStatus.ACTIVE, date(2020, 1, 1), date(2024, 3, 1)),
        (second.id, MembershipStatus.ACTIVE, date(2024, 3, 1), date(2025, 9, 1)),
        (second.id, MembershipStatus.EXEMPT, date(2025, 9, 1), None),
    ]

    def expected(unit, day):
        with db.session_scope() as session:
            return person_id in set(session.scalars(people.members_on(session, [unit.id], day)))

    assert expected(first, date(2024, 2, 29)) and not expected(second, date(2024, 2, 29))
    assert expected(second, date(2024, 3, 1)) and not expected(first, date(2024, 3, 1))
    assert not expected(second, date(2025, 9, 1))  # exempt: no longer expected at meetings
    with db.session_scope() as session:
        assert [e.action for e in audit_trail.history(session, "person", person_id)] == ["tạo", "đổi sinh hoạt",
                                                                                  "đổi sinh hoạt"]


def test_membership_change_rules(db, admin):
    chi_bo = unit_by_code(db, admin, "PHONGNIEN-01")
    person_id = people.create(db, admin, people.PersonInput("Lý Văn Mất", 1940), unit_id=chi_bo.id,
                              since=date(2020, 1, 1))
    with pytest.raises(ValidationError, match="phải sau 01/01/2020"):
        people.change_membership(db, admin, person_id, unit_id=chi_bo.id, status=MembershipStatus.EXEMPT,
                                 since=date(2019, 1, 1))
    with pytest.raises(ValidationError, match="Không có gì thay đổi"):
        people.change_membership(db, admin, person_id, unit_id=chi_bo.id, status=MembershipStatus.ACTIVE,
                                 since=date(2021, 1, 1))
    people.change_membership(db, admin, person_id, unit_id=chi_bo.id, status=MembershipStatus.DECEASED,
                             since=date(2022, 1, 1))
    with pytest.raises(ValidationError, match="Từ trần"):
        people.change_membership(db, admin, person_id, unit_id=chi_bo.id, status=MembershipStatus.TRANSFERRED_OUT,
                                 since=date(2023, 1, 1))
    with db.session_scope() as session:
        open_rows = session.scalar(select(func.count()).select_from(Membership).where(
            Membership.person_id == person_id, Membership.valid_to.is_(None)))
    assert open_rows == 1


def test_an_edit_based_on_a_stale_copy_is_refused(db, admin, clerk):
    row = all_rows(db, clerk)[0]
    stale = people.get(db, clerk, row.id)
    people.update(db, admin, row.id, people.PersonInput(row.full_name, 1966), expected_version=stale.version)
    with pytest.raises(Conflict, match="quantri"):
        people.update(db, clerk, row.id, people.PersonInput(row.full_name, 1967), expected_version=stale.version)
    detail = people.get(db, admin, row.id)
    assert detail.data.birth_year == 1966 and detail.version == stale.version + 1


def test_an_edit_is_audited_with_before_and_after(db, clerk):
    row = all_rows(db, clerk)[0]
    detail = people.get(db, clerk, row.id)
    people.update(db, clerk, row.id, people.PersonInput(row.full_name, detail.data.birth_year, detail.data.gender,
                                                        detail.data.ethnicity, "Bí thư chi bộ"),
                  expected_version=detail.version)
    with db.session_scope() as session:
        entry = audit_trail.history(session, "person", row.id)[-1]
    assert entry.username == "nhaplieu" and entry.action == "sửa"
    assert entry.before["position"] == detail.data.position and entry.after["position"] == "Bí thư chi bộ"


def test_the_same_person_added_twice_is_named_and_kept_once_unless_it_is_someone_else(db, clerk):
    from app.services.errors import LooksLikeExisting

    unit = unit_by_code(db, clerk, "PHONGNIEN-01").id
    first = people.create(db, clerk, people.PersonInput("Hoàng Thị Xoan", 1980), unit_id=unit)
    before = people.count(db, clerk, people.PeopleFilter())
    with pytest.raises(LooksLikeExisting) as same:
        people.create(db, clerk, people.PersonInput("hoàng thị  xoan", 1980), unit_id=unit)
    assert same.value.existing_id == first and "Đã có đảng viên «Hoàng Thị Xoan», sinh năm 1980" in str(same.value)
    assert people.count(db, clerk, people.PeopleFilter()) == before   # nothing saved
    people.create(db, clerk, people.PersonInput("Hoàng Thị Xoan", 1981), unit_id=unit)   # another birth year
    people.create(db, clerk, people.PersonInput("Hoàng Thị Xoan", 1980), unit_id=unit, someone_else=True)
    assert people.count(db, clerk, people.PeopleFilter()) == before + 2
