"""Who holds the key to reporters' identities: unlocking, granting, password resets, idle lock, recovery,
and identities that travel to the district."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import select, text

from app.models import CaseIdentity
from app.models.enums import Role
from app.services import auth, cases, users
from app.services.cases import keys as case_keys
from app.services.cases import sealing
from app.services.errors import IdentityLocked, PermissionDenied, ValidationError
from tests.case_factory import case_input
from tests.conftest import PASSWORDS

REPORTER = cases.Reporter("Đinh Thị Kín", "thôn Cóc", "0987654321")


def _new_inspector(db, admin, username="kiemtra2", password="matkhau-moi-1") -> auth.Actor:
    users.create(db, admin, users.UserInput(username, "Vũ Văn Soát", Role.INSPECTOR), password)
    return auth.login(db, username, password)


def test_a_wrong_password_opens_nothing(db, inspector):
    with pytest.raises(ValidationError) as refused:
        case_keys.unlock(db, inspector, "sai-mat-khau")
    assert "password" in refused.value.errors and "không đúng" in refused.value.message
    with pytest.raises(IdentityLocked):
        case_keys.private_keys(db, inspector)


@pytest.mark.parametrize("who", ["clerk", "leader", "admin"])
def test_other_roles_hold_no_key(db, request, who):
    actor = request.getfixturevalue(who)
    assert case_keys.unlock(db, actor, PASSWORDS[actor.username]) is False
    with pytest.raises(PermissionDenied):
        case_keys.private_keys(db, actor)


def test_a_key_holder_grants_a_new_inspector_and_the_admin_cannot(db, admin, clerk, keyholder):
    case_id = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    users.create(db, admin, users.UserInput("kiemtra2", "Vũ Văn Soát", Role.INSPECTOR), "matkhau-moi-1")
    new_id = next(u.id for u in users.list_users(db, admin) if u.username == "kiemtra2")
    with pytest.raises(ValidationError, match="chưa đăng nhập"):
        case_keys.grant(db, keyholder, new_id)
    newcomer = auth.login(db, "kiemtra2", "matkhau-moi-1")
    assert case_keys.unlock(db, newcomer, "matkhau-moi-1") is False   # logged in: has a key pair, no grant yet
    with pytest.raises(PermissionDenied):
        case_keys.grant(db, admin, new_id)
    with pytest.raises(IdentityLocked):
        cases.identity(db, newcomer, case_id)
    case_keys.grant(db, keyholder, new_id)
    assert case_keys.unlock(db, newcomer, "matkhau-moi-1") is True
    assert cases.identity(db, newcomer, case_id).name == REPORTER.name
    assert [p.username for p in case_keys.inspectors(db, keyholder) if p.granted] == ["kiemtra", "kiemtra2"]


def test_only_inspectors_are_granted(db, admin, keyholder):
    leader_id = next(u.id for u in users.list_users(db, admin) if u.username == "lanhdao")
    with pytest.raises(ValidationError, match="Kiểm tra"):
        case_keys.grant(db, keyholder, leader_id)


def test_an_admin_password_reset_removes_access_until_a_key_holder_grants_again(db, admin, clerk, keyholder):
    case_id = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    second = _new_inspector(db, admin)
    case_keys.unlock(db, second, "matkhau-moi-1")
    case_keys.grant(db, keyholder, second.user_id)
    users.reset_password(db, admin, keyholder.user_id, "admin-biet-mat-khau")
    with pytest.raises(IdentityLocked, match="không còn quyền"):   # even the key already open in memory
        cases.identity(db, keyholder, case_id)
    again = auth.login(db, "kiemtra", "admin-biet-mat-khau")
    assert case_keys.unlock(db, again, "admin-biet-mat-khau") is False
    case_keys.unlock(db, second, "matkhau-moi-1")
    case_keys.grant(db, second, again.user_id)
    assert case_keys.unlock(db, again, "admin-biet-mat-khau") is True
    assert cases.identity(db, again, case_id).name == REPORTER.name


def test_changing_ones_own_password_keeps_the_key(db, clerk, inspector):
    case_id = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    users.change_own_password(db, inspector, PASSWORDS["kiemtra"], "mat-khau-moi-2026")
    with pytest.raises(ValidationError):
        case_keys.unlock(db, inspector, PASSWORDS["kiemtra"])
    assert case_keys.unlock(db, inspector, "mat-khau-moi-2026")
    assert cases.identity(db, inspector, case_id).name == REPORTER.name


def test_leaving_the_inspector_role_drops_the_grant(db, admin, keyholder):
    users.update(db, admin, keyholder.user_id, users.UserInput("kiemtra", "Phạm Thu Hương", Role.LEADER))
    with pytest.raises(PermissionDenied):
        case_keys.private_keys(db, auth.login(db, "kiemtra", PASSWORDS["kiemtra"]))
    assert case_keys.status(db, keyholder).granted is False


def test_the_open_key_locks_itself_when_idle(db, clerk, keyholder, monkeypatch):
    case_id = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    now = [1000.0]
    monkeypatch.setattr(case_keys, "_clock", lambda: now[0])
    case_keys.unlock(db, keyholder, PASSWORDS["kiemtra"])
    now[0] += 9 * 60
    assert cases.identity(db, keyholder, case_id).name == REPORTER.name   # used: the idle time starts again
    now[0] += 11 * 60
    with pytest.raises(IdentityLocked, match="tự khóa"):
        cases.identity(db, keyholder, case_id)
    case_keys.unlock(db, keyholder, PASSWORDS["kiemtra"])
    assert cases.identity(db, keyholder, case_id).name == REPORTER.name


def test_setup_shows_a_recovery_key_that_restores_access(db, admin, clerk, inspector):
    with db.session_scope() as session:   # an office that has not set up its key yet
        session.execute(text("DELETE FROM key_grant"))
        session.execute(text("DELETE FROM office_key"))
    code = case_keys.setup(db, inspector, PASSWORDS["kiemtra"], name="Ban Tuyên giáo")
    assert len(code.replace("-", "")) == 32
    with pytest.raises(ValidationError, match="đã có khóa"):
        case_keys.setup(db, inspector, PASSWORDS["kiemtra"])
    case_id = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    users.reset_password(db, admin, inspector.user_id, "mat-khau-sau-reset")
    back = auth.login(db, "kiemtra", "mat-khau-sau-reset")
    assert case_keys.unlock(db, back, "mat-khau-sau-reset") is False
    with pytest.raises(ValidationError, match="không đúng"):
        case_keys.recover(db, back, "AAAA-" * 7 + "AAAA", "mat-khau-sau-reset")
    case_keys.recover(db, back, code.lower(), "mat-khau-sau-reset")
    assert cases.identity(db, back, case_id).name == REPORTER.name


def test_identities_are_sealed_to_the_district_key_too(db, clerk, keyholder):
    district = sealing.new_private_key()
    text_key = case_keys.KEY_PREFIX + base64.b64encode(sealing.public_bytes(district)).decode()
    with pytest.raises(ValidationError) as refused:
        case_keys.import_recipient(db, keyholder, "", "khóa sai")
    assert set(refused.value.errors) == {"name", "key"}
    case_keys.import_recipient(db, keyholder, "Ban Tuyên giáo Tỉnh ủy", text_key)
    case_id = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    with db.session_scope() as session:
        sealed = session.scalar(select(CaseIdentity.sealed).where(CaseIdentity.case_id == case_id))
    read = sealing.unseal(sealed, {sealing.key_id(sealing.public_bytes(district)): district})
    assert REPORTER.name in read.decode()
    assert case_keys.own_public_key_text(db, keyholder).startswith(case_keys.KEY_PREFIX)
    assert [k.own for k in case_keys.status(db, keyholder).keys] == [True, False]
