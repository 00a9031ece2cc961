"""Office profile versions, first-run setup, and a commune-level (post-2025) office end to end."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.models.enums import MembershipStatus, Role, UnitKind
from app.services import auth, people, profile, setup, units, users
from app.services.errors import PermissionDenied, ValidationError


def commune_office(valid_from=date(2025, 7, 1)) -> profile.ProfileInput:
    return profile.ProfileInput(
        valid_from=valid_from, parent_body="Đảng bộ tỉnh Lào Cai", issuing_body="Đảng ủy xã Phong Niên",
        issuing_code="đuxpn", place_name="Phong Niên", unit_word="toàn xã", signer_authority="T/M Ban Thường vụ",
        signer_position="Phó Bí thư", signer_name="Lò Văn Sính",
        recipients="- Ban Tuyên giáo và Dân vận Tỉnh ủy (b/c),\n\n- Lưu VP Đảng ủy.", term="2025 – 2030",
        attendance_target="97,5")


def test_versions_apply_from_their_date(db, admin):
    assert profile.in_force(db, date(2019, 5, 1)).term == "2010-2015"
    assert profile.in_force(db, date(2024, 12, 31)).term == "2020-2025"
    current = profile.in_force(db, date(2026, 11, 1))
    assert (current.term, current.signer_authority) == ("2025-2030", "K/T TRƯỞNG BAN")
    assert profile.in_force(db, date(2000, 1, 1)).valid_from == date(2015, 1, 1)  # before any: the first


def test_saving_on_a_new_date_adds_a_version_and_old_dates_keep_the_old_one(db, leader):
    current = profile.in_force(db)
    profile.save(db, leader, replace(current, valid_from=date(2026, 7, 1), signer_name="Trần Văn Mới",
                                     signer_authority="", signer_position="trưởng ban"))
    assert profile.in_force(db, date(2026, 6, 30)).signer_name == "Nguyễn Thị Minh"
    newest = profile.in_force(db, date(2026, 7, 1))
    assert (newest.signer_name, newest.signer_position) == ("Trần Văn Mới", "TRƯỞNG BAN")
    assert len(profile.versions(db)) == 4
    profile.save(db, leader, replace(newest, place_name="Phố Lu"))  # same date: a correction
    assert len(profile.versions(db)) == 4 and profile.in_force(db).place_name == "Phố Lu"


def test_bad_profile_input_names_the_fields(db, admin):
    bad = replace(profile.in_force(db), issuing_body=" ", term="2030-2025", attendance_target="120",
                  issuing_code="BTG HU")
    with pytest.raises(ValidationError) as refused:
        profile.save(db, admin, bad)
    assert set(refused.value.errors) == {"issuing_body", "term", "attendance_target", "issuing_code"}
    assert "Cơ quan ban hành" in refused.value.errors["issuing_body"]


@pytest.mark.parametrize("who", ["clerk", "inspector"])
def test_only_admin_and_leader_edit_the_profile(db, request, who):
    with pytest.raises(PermissionDenied):
        profile.save(db, request.getfixturevalue(who), profile.in_force(db))


def test_setup_is_all_or_nothing_and_reports_every_mistake(empty_db):
    broken = replace(commune_office(), signer_name="")
    with pytest.raises(ValidationError) as refused:
        setup.initialize(empty_db, admin=users.UserInput("A", "", Role.ADMIN), password="123",
                         office=broken, root=setup.RootUnitInput("PHONGNIEN", "Đảng bộ xã Phong Niên"))
    assert {"username", "full_name", "password", "signer_name"} <= set(refused.value.errors)
    assert setup.needs_setup(empty_db)
    assert units.tree(empty_db, auth.Actor(0, "x", "x", Role.ADMIN, None)) == []


def test_a_commune_level_office_works_end_to_end(empty_db):
    """Since 01/7/2025 the work often sits in a xã đảng ủy: nothing may assume a district."""
    db = empty_db
    admin = setup.initialize(db, admin=users.UserInput("admin", "Hà Thị Mai", Role.ADMIN), password="mat-khau-xa",
                             office=commune_office(),
                             root=setup.RootUnitInput("PHONGNIEN", "Đảng bộ xã Phong Niên", UnitKind.DANG_BO_CO_SO))
    office = profile.in_force(db)
    assert (office.parent_body, office.issuing_body, office.issuing_code) == (
        "ĐẢNG BỘ TỈNH LÀO CAI", "ĐẢNG ỦY XÃ PHONG NIÊN", "ĐUXPN")
    assert (office.unit_word, office.term, office.attendance_target) == ("toàn xã", "2025-2030", Decimal("97.50"))
    assert office.recipients.splitlines() == ["- Ban Tuyên giáo và Dân vận Tỉnh ủy (b/c),", "- Lưu VP Đảng ủy."]
    with pytest.raises(PermissionDenied):
        setup.initialize(db, admin=users.UserInput("admin2", "Ai Đó", Role.ADMIN), password="12345678",
                         office=commune_office(), root=setup.RootUnitInput("X", "X"))

    root = units.tree(db, admin)[0]
    hamlet = units.create(db, admin, code="PN-01", name="Chi bộ thôn Làng Chung", kind=UnitKind.CHI_BO,
                          parent_id=root.id, valid_from=date(2025, 7, 1))
    users.create(db, admin, users.UserInput("vanthu", "Lù Thị Sử", Role.CLERK, root.id), "mat-khau-clerk")
    clerk = auth.login(db, "vanthu", "mat-khau-clerk")
    person_id = people.create(db, clerk, people.PersonInput("Sùng A Páo", 1988), unit_id=hamlet,
                              since=date(2025, 8, 1))
    rows = people.list_page(db, clerk, people.PeopleFilter("sung a pao"))
    assert [(r.id, r.unit_name, r.status) for r in rows] == [(person_id, "Chi bộ thôn Làng Chung",
                                                              MembershipStatus.ACTIVE)]


def test_a_new_office_enters_its_past(empty_db):
    """Units set up today date back far enough for old sessions; a later unit's founding date can be moved back;
    a session before a unit's founding date says what to change."""
    from app import clock
    from app.services import meetings
    from tests.meeting_factory import session_input

    db = empty_db
    admin = setup.initialize(db, admin=users.UserInput("admin", "Hà Thị Mai", Role.ADMIN), password="mat-khau-xa",
                             office=commune_office(valid_from=date(clock.today().year, 1, 1)),
                             root=setup.RootUnitInput("PHONGNIEN", "Đảng bộ xã Phong Niên", UnitKind.DANG_BO_CO_SO))
    root = units.tree(db, admin)[0]
    assert units.history(db, admin, root.id)[0].valid_from == setup.records_start(clock.today())
    assert setup.records_start(clock.today()).year == clock.today().year - setup.RECORDS_BACK
    hamlet = units.create(db, admin, code="PN-01", name="Chi bộ thôn Làng Chung", kind=UnitKind.CHI_BO,
                          parent_id=root.id, valid_from=clock.today())
    people.create(db, admin, people.PersonInput("Sùng A Páo", 1988), unit_id=hamlet, since=clock.today())
    old_day = date(clock.today().year - 3, 3, 5)
    three_years_back = session_input(db, admin, "PN-01", held_on=clock.today())
    three_years_back.held_on = old_day
    with pytest.raises(ValidationError) as refused:
        meetings.create(db, admin, three_years_back)
    assert "«Chi bộ thôn Làng Chung» có trong phần mềm từ ngày" in refused.value.errors["unit_id"]
    assert "«Sửa ngày thành lập»" in refused.value.errors["unit_id"]
    with pytest.raises(ValidationError, match="Chỉ lùi được"):
        units.refound(db, admin, hamlet, clock.today())
    with pytest.raises(ValidationError, match="cấp trên chưa có"):
        units.refound(db, admin, hamlet, date(1990, 1, 1))
    units.refound(db, admin, hamlet, date(clock.today().year - 5, 1, 1))
    assert units.history(db, admin, hamlet)[0].valid_from == date(clock.today().year - 5, 1, 1)
