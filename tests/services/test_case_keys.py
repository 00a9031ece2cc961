"""Who holds the key to reporters' identities: unlocking, granting, password resets, idle lock, recovery,
and identities that travel to the district."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import select, text

from app.models import CaseIdentity
from app.models.enums import Role
from app.services import audit_trail, auth, cases, users
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
    key_id = case_keys.import_recipient(db, keyholder, "Ban Tuyên giáo Tỉnh ủy", text_key)
    case_keys.confirm(db, keyholder, key_id, sealing.fingerprint(sealing.public_bytes(district)).lower())
    case_id = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    with db.session_scope() as session:
        sealed = session.scalar(select(CaseIdentity.sealed).where(CaseIdentity.case_id == case_id))
    read = sealing.unseal(sealed, {sealing.key_id(sealing.public_bytes(district)): district})
    assert REPORTER.name in read.decode()
    assert case_keys.own_public_key_text(db, keyholder).startswith(case_keys.KEY_PREFIX)
    assert [k.own for k in case_keys.status(db, keyholder).keys] == [True, False]


# ---- no key seals an identity unless a key holder confirmed it -------------------------------------

def _key_text(public: bytes) -> str:
    return case_keys.KEY_PREFIX + base64.b64encode(public).decode()


def _recipients_of_new_case(db, clerk) -> list[bytes]:
    case_id = cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    with db.session_scope() as session:
        sealed = session.scalar(select(CaseIdentity.sealed).where(CaseIdentity.case_id == case_id))
    return sealing.recipient_ids(sealed)


def test_a_pasted_key_waits_for_a_key_holder_who_types_its_fingerprint(db, admin, clerk, inspector, keyholder):
    planted = sealing.public_bytes(sealing.new_private_key())
    key_id = case_keys.import_recipient(db, inspector, "Ban Tuyên giáo Tỉnh ủy", _key_text(planted))
    assert sealing.key_id(planted) not in _recipients_of_new_case(db, clerk)
    assert [line.name for line in case_keys.status(db, inspector).waiting] == ["Ban Tuyên giáo Tỉnh ủy"]
    with pytest.raises(PermissionDenied):
        case_keys.confirm(db, admin, key_id, sealing.fingerprint(planted))
    with pytest.raises(ValidationError) as wrong:
        case_keys.confirm(db, keyholder, key_id, "ABCD EF01 2345 6789 ABCD")
    assert "không khớp" in wrong.value.errors["fingerprint"]
    case_keys.confirm(db, keyholder, key_id, sealing.fingerprint(planted))
    assert sealing.key_id(planted) in _recipients_of_new_case(db, clerk)
    assert case_keys.status(db, inspector).waiting == []
    trail = audit_trail.list_page(db, admin, audit_trail.AuditFilter(entity="office_key"))
    assert any(entry.action == "xác nhận khóa" and sealing.fingerprint(planted) in entry.summary for entry in trail)


def test_a_key_written_into_the_table_by_hand_seals_nothing(db, clerk, inspector):
    planted = sealing.new_private_key()
    public = sealing.public_bytes(planted)
    forged = sealing.confirm(planted, public)   # signed, but not by the office's key
    with db.session_scope() as session:
        session.execute(text("INSERT INTO office_key (name, public_key, own, confirmation, confirmed_by, created_at,"
                             " created_by) VALUES ('Khóa lạ', :key, 0, :sig, 'kiemtra', '2026-11-01', 'admin')"),
                        {"key": public, "sig": forged})
    assert sealing.key_id(public) not in _recipients_of_new_case(db, clerk)
    with db.session_scope() as session:
        session.execute(text("INSERT INTO office_key (name, public_key, own, created_at, created_by) "
                             "VALUES ('Khóa lạ 2', :key, 1, '2026-11-01', 'admin')"), {"key": public})
    with pytest.raises(ValidationError) as refused:
        cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    assert "sửa ngoài phần mềm" in refused.value.errors["reporter"]


def test_a_replaced_confirming_key_is_put_back_when_a_key_holder_opens_the_key(db, admin, clerk, inspector):
    planted = sealing.new_private_key()
    public = sealing.public_bytes(planted)
    with db.session_scope() as session:   # the whole forgery: his confirming key on the office's row, his key signed
        session.execute(text("UPDATE office_key SET confirming_key = :mine WHERE own = 1"),
                        {"mine": sealing.confirming_key(planted)})
        session.execute(text("INSERT INTO office_key (name, public_key, own, confirmation, created_at, created_by) "
                             "VALUES ('Khóa lạ', :key, 0, :sig, '2026-11-01', 'admin')"),
                        {"key": public, "sig": sealing.confirm(planted, public)})
    case_keys.unlock(db, inspector, PASSWORDS["kiemtra"])
    case_keys.lock(db, inspector)
    assert sealing.key_id(public) not in _recipients_of_new_case(db, clerk)
    trail = audit_trail.list_page(db, admin, audit_trail.AuditFilter(entity="office_key"))
    assert any(entry.action == "sửa lại khóa" and "ngoài phần mềm" in entry.summary for entry in trail)


@pytest.mark.parametrize("key", [bytes(32), bytes(31), b"\x01" + bytes(31)])
def test_a_key_x25519_cannot_seal_to_is_refused(db, keyholder, key):
    with pytest.raises(ValidationError) as refused:
        case_keys.import_recipient(db, keyholder, "Ban Tuyên giáo Tỉnh ủy", _key_text(key))
    assert set(refused.value.errors) == {"key"}


def _count_cases(db) -> int:
    with db.session_scope() as session:
        return session.scalar(text("SELECT count(*) FROM case_file"))


def test_an_own_key_replaced_in_the_database_seals_nothing_until_a_key_holder_opens_it(db, clerk, inspector):
    real = _recipients_of_new_case(db, clerk)   # this machine has now seen the office's key
    planted = sealing.new_private_key()
    with db.session_scope() as session:   # the attacker's key in the office's own row, with its confirming key
        session.execute(text("UPDATE office_key SET public_key = :key, confirming_key = :confirming WHERE own = 1"),
                        {"key": sealing.public_bytes(planted), "confirming": sealing.confirming_key(planted)})
    before = _count_cases(db)
    with pytest.raises(ValidationError) as refused:
        cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    message = refused.value.errors["reporter"]
    assert "khác khóa máy này đã ghi nhận" in message and sealing.fingerprint(sealing.public_bytes(planted)) in message
    assert _count_cases(db) == before
    case_keys.unlock(db, inspector, PASSWORDS["kiemtra"])   # the grant proves the real key and puts it back
    case_keys.lock(db, inspector)
    assert _recipients_of_new_case(db, clerk) == real


def test_a_new_office_key_is_remembered_by_the_machine_that_made_it(db, clerk, inspector):
    _recipients_of_new_case(db, clerk)
    with db.session_scope() as session:   # a fresh start: the old key gone, a new one set up on this machine
        session.execute(text("DELETE FROM key_grant"))
        session.execute(text("DELETE FROM office_key"))
    case_keys.setup(db, inspector, PASSWORDS["kiemtra"], name="Ban Tuyên giáo")
    case_keys.lock(db, inspector)
    [own] = [line for line in case_keys.status(db, inspector).keys if line.own]
    recipients = _recipients_of_new_case(db, clerk)
    with db.session_scope() as session:
        public = session.scalar(text("SELECT public_key FROM office_key WHERE own = 1"))
    assert recipients == [sealing.key_id(public)] and own.fingerprint == sealing.fingerprint(public)


def test_a_planted_key_vouched_for_by_a_replaced_confirming_key_is_refused(db, clerk, inspector):
    _recipients_of_new_case(db, clerk)   # this machine has seen the office's key
    planted = sealing.new_private_key()
    public = sealing.public_bytes(planted)
    with db.session_scope() as session:   # the public key left alone; his confirming key, and his key confirmed
        session.execute(text("UPDATE office_key SET confirming_key = :mine WHERE own = 1"),
                        {"mine": sealing.confirming_key(planted)})
        session.execute(text("INSERT INTO office_key (name, public_key, own, confirmation, created_at, created_by) "
                             "VALUES ('Khóa lạ', :key, 0, :sig, '2026-11-01', 'admin')"),
                        {"key": public, "sig": sealing.confirm(planted, public)})
    with pytest.raises(ValidationError, match="khác khóa máy này đã ghi nhận"):
        cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))


def test_a_grant_forged_for_a_planted_own_key_does_not_move_what_the_machine_remembers(db, clerk, inspector):
    real = _recipients_of_new_case(db, clerk)
    planted = sealing.new_private_key()
    with db.session_scope() as session:   # his own key made the office's, the real one retired, a grant to open his
        session.execute(text("UPDATE office_key SET retired_at = '2026-11-02' WHERE own = 1"))
        session.execute(text("INSERT INTO office_key (name, public_key, own, confirming_key, created_at, created_by) "
                             "VALUES ('Cơ quan', :key, 1, :confirming, '2026-11-02', 'admin')"),
                        {"key": sealing.public_bytes(planted), "confirming": sealing.confirming_key(planted)})
        new_id = session.scalar(text("SELECT max(id) FROM office_key"))
        holder_public = session.scalar(text("SELECT public_key FROM user_key WHERE user_id = :user"),
                                       {"user": inspector.user_id})
        session.execute(text("INSERT INTO key_grant (office_key_id, user_id, granted_by, granted_at, sealed_private) "
                             "VALUES (:key, :user, 'admin', '2026-11-02', :sealed)"),
                        {"key": new_id, "user": inspector.user_id,
                         "sealed": sealing.seal(sealing.private_bytes(planted), [holder_public])})
    case_keys.unlock(db, inspector, PASSWORDS["kiemtra"])   # opens both grants: the real key is still remembered
    case_keys.lock(db, inspector)
    with pytest.raises(ValidationError, match="khác khóa máy này đã ghi nhận"):
        cases.receive(db, clerk, case_input(db, clerk, reporter=REPORTER))
    assert real


def test_a_data_folder_that_cannot_be_written_never_costs_the_recovery_key(db, inspector, monkeypatch):
    from app.services import safe_write

    def refuse(path, content):
        raise safe_write.OutputError(f"Không lưu được «{path}»: đĩa đầy.")

    monkeypatch.setattr(safe_write, "save", refuse)
    with db.session_scope() as session:
        session.execute(text("DELETE FROM key_grant"))
        session.execute(text("DELETE FROM office_key"))
    code = case_keys.setup(db, inspector, PASSWORDS["kiemtra"], name="Ban Tuyên giáo")
    assert len(code.replace("-", "")) == 32
    case_keys.lock(db, inspector)
    assert case_keys.unlock(db, inspector, PASSWORDS["kiemtra"]) is True
