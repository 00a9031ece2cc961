"""Login, lockout, roles and permissions, account rules, audit of account changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.config import SETTINGS
from app.models import AuditEntry, User
from app.models.enums import Role
from app.services import auth, users
from app.services.auth import Permission
from app.services.errors import LoginRefused, PermissionDenied, ValidationError
from tests.conftest import PASSWORDS
from tests.helpers import unit_by_code


def test_login_gives_the_user_and_their_role(db):
    actor = auth.login(db, "  NhapLieu ", PASSWORDS["nhaplieu"])
    assert (actor.username, actor.role) == ("nhaplieu", Role.CLERK)
    assert actor.unit_id == unit_by_code(db, actor, "PHONGNIEN").id


def test_unknown_user_and_wrong_password_get_the_same_message(db):
    with pytest.raises(LoginRefused) as unknown:
        auth.login(db, "khongco", "x")
    with pytest.raises(LoginRefused) as wrong:
        auth.login(db, "quantri", "sai-mat-khau")
    assert str(unknown.value) == str(wrong.value) == "Tên đăng nhập hoặc mật khẩu không đúng."


def test_wrong_passwords_slow_down_then_lock_the_account(db):
    start = utcnow()
    for attempt in range(SETTINGS.login_free_attempts):
        with pytest.raises(LoginRefused, match="không đúng"):
            auth.login(db, "lanhdao", "sai", now=start + timedelta(seconds=attempt))
    later = start + timedelta(seconds=SETTINGS.login_free_attempts)
    with pytest.raises(LoginRefused, match="không đúng"):
        auth.login(db, "lanhdao", "sai", now=later)
    # Now even the right password must wait.
    with pytest.raises(LoginRefused, match="hãy đợi"):
        auth.login(db, "lanhdao", PASSWORDS["lanhdao"], now=later)
    moment = later
    for _ in range(SETTINGS.login_lock_after):
        moment += timedelta(seconds=SETTINGS.login_max_wait_seconds + 1)
        try:
            auth.login(db, "lanhdao", "sai", now=moment)
        except LoginRefused:
            pass
    with pytest.raises(LoginRefused, match="đang bị khóa"):
        auth.login(db, "lanhdao", PASSWORDS["lanhdao"], now=moment + timedelta(seconds=1))
    unlocked = moment + timedelta(minutes=SETTINGS.login_lock_minutes, seconds=1)
    assert auth.login(db, "lanhdao", PASSWORDS["lanhdao"], now=unlocked).role is Role.LEADER
    with db.session_scope() as session:
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "khóa")) is not None


def _wrong_tries(db, username: str, count: int):
    moment = utcnow()
    for _ in range(count):
        moment += timedelta(seconds=SETTINGS.login_max_wait_seconds + 1)
        with pytest.raises(LoginRefused):
            auth.login(db, username, "sai", now=moment)
    return moment + timedelta(seconds=SETTINGS.login_max_wait_seconds + 1)


def test_wrong_passwords_never_lock_out_the_last_administrator(db, admin):
    later = _wrong_tries(db, "quantri", SETTINGS.login_lock_after * 3)
    assert auth.login(db, "quantri", PASSWORDS["quantri"], now=later).role is Role.ADMIN
    # With a second administrator, who can unlock him, the first is locked like anyone else.
    users.create(db, admin, users.UserInput("quantri2", "Quản trị hai", Role.ADMIN), "mat-khau-moi-1")
    later = _wrong_tries(db, "quantri", SETTINGS.login_lock_after)
    with pytest.raises(LoginRefused, match="đang bị khóa"):
        auth.login(db, "quantri", PASSWORDS["quantri"], now=later)


def test_an_unknown_user_name_costs_one_password_check_like_a_wrong_password(db, monkeypatch):
    from app.services import passwords

    checks = []
    real = passwords.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda stored, given: checks.append(stored) or real(stored, given))
    for username in ("lanhdao", "khong-co-ai"):
        with pytest.raises(LoginRefused, match="Tên đăng nhập hoặc mật khẩu không đúng"):
            auth.login(db, username, "sai")
    assert len(checks) == 2 and all(stored.startswith("$argon2") for stored in checks)


def test_an_admin_reset_unlocks_and_the_old_password_stops_working(db, admin):
    moment = utcnow()
    for step in range(SETTINGS.login_lock_after + 4):
        with pytest.raises(LoginRefused):
            auth.login(db, "kiemtra", "sai", now=moment + timedelta(seconds=61 * step))
    inspector_id = next(r.id for r in users.list_users(db, admin) if r.username == "kiemtra")
    assert next(r for r in users.list_users(db, admin) if r.username == "kiemtra").locked
    users.reset_password(db, admin, inspector_id, "mat-khau-moi-1")
    assert auth.login(db, "kiemtra", "mat-khau-moi-1").role is Role.INSPECTOR
    with pytest.raises(LoginRefused):
        auth.login(db, "kiemtra", PASSWORDS["kiemtra"])


def test_a_disabled_account_cannot_log_in(db, admin):
    row = next(r for r in users.list_users(db, admin) if r.username == "lanhdao")
    users.update(db, admin, row.id, users.UserInput("lanhdao", row.full_name, Role.LEADER, None, active=False))
    with pytest.raises(LoginRefused, match="vô hiệu hóa"):
        auth.login(db, "lanhdao", PASSWORDS["lanhdao"])


@pytest.mark.parametrize(("role", "allowed"), [
    # Reports quote the cases' figures: the admin, who may not see cases, makes none.
    (Role.ADMIN, set(Permission) - {Permission.VIEW_CASES, Permission.RECEIVE_CASES, Permission.VIEW_IDENTITY,
                                    Permission.MAKE_REPORTS, Permission.ISSUE_REPORTS, Permission.EXCHANGE}),
    (Role.CLERK, {Permission.VIEW_PEOPLE, Permission.EDIT_PEOPLE, Permission.VIEW_MEETINGS, Permission.EDIT_MEETINGS,
                  Permission.EDIT_DOCUMENTS, Permission.VIEW_CASES, Permission.RECEIVE_CASES,
                  Permission.MAKE_REPORTS, Permission.BACKUP, Permission.EXCHANGE}),
    (Role.LEADER, {Permission.VIEW_PEOPLE, Permission.EDIT_PROFILE, Permission.VIEW_AUDIT, Permission.VIEW_MEETINGS,
                   Permission.VIEW_CASES, Permission.MAKE_REPORTS, Permission.ISSUE_REPORTS, Permission.BACKUP}),
    (Role.INSPECTOR, {Permission.VIEW_PEOPLE, Permission.VIEW_AUDIT, Permission.VIEW_MEETINGS, Permission.VIEW_CASES,
                      Permission.RECEIVE_CASES, Permission.VIEW_IDENTITY}),
])
def test_each_role_has_exactly_its_permissions(role, allowed):
    actor = auth.Actor(1, "x", "X", role, None)
    for permission in Permission:
        if permission in allowed:
            auth.require(actor, permission)
        else:
            with pytest.raises(PermissionDenied, match=role.label):
                auth.require(actor, permission)


@pytest.mark.parametrize("who", ["clerk", "leader", "inspector"])
def test_only_an_admin_manages_accounts(db, request, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        users.list_users(db, actor)
    with pytest.raises(PermissionDenied):
        users.create(db, actor, users.UserInput("moi", "Người Mới", Role.ADMIN), "12345678")


def test_account_input_is_checked_field_by_field(db, admin):
    with pytest.raises(ValidationError) as bad:
        users.create(db, admin, users.UserInput("A b", "", Role.CLERK, None), "12345678")
    assert set(bad.value.errors) == {"username", "full_name", "unit_id"}
    with pytest.raises(ValidationError, match="đã có người dùng"):
        users.create(db, admin, users.UserInput("quantri", "Trùng", Role.LEADER), "12345678")
    with pytest.raises(ValidationError, match="ít nhất 8"):
        users.create(db, admin, users.UserInput("ngan", "Mật Khẩu Ngắn", Role.LEADER), "1234")


def test_the_last_admin_cannot_be_demoted(db, admin):
    with pytest.raises(ValidationError, match="ít nhất một quản trị viên"):
        users.update(db, admin, admin.user_id, users.UserInput("quantri", "Quản", Role.LEADER))


def test_account_changes_are_audited_without_the_password(db, admin):
    new_id = users.create(db, admin, users.UserInput("canbo2", "Vũ Thị Lan", Role.LEADER), "bi-mat-lam")
    users.reset_password(db, admin, new_id, "bi-mat-khac")
    with db.session_scope() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "app_user",
                                                           AuditEntry.entity_id == str(new_id))).all()
        assert [e.action for e in entries] == ["tạo", "đặt lại mật khẩu"]
        assert entries[0].username == "quantri" and entries[0].after["role"] == "leader"
        assert all("bi-mat" not in str((e.before, e.after, e.summary)) for e in entries)
        assert session.scalar(select(User.password_hash).where(User.id == new_id)).startswith("$argon2id$")


def test_own_password_change_needs_the_current_one(db, clerk):
    with pytest.raises(ValidationError, match="không đúng"):
        users.change_own_password(db, clerk, "sai", "mat-khau-moi")
    users.change_own_password(db, clerk, PASSWORDS["nhaplieu"], "mat-khau-moi")
    assert auth.login(db, "nhaplieu", "mat-khau-moi").username == "nhaplieu"
