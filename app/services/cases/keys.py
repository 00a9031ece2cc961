"""Who may read reporters' identities, and the keys that make it so.

- The office has a key pair. Every identity and attachment is sealed to its public key and to the public
  keys imported from the bodies a case may be sent to (the district), so a case that travels stays
  readable by those entitled to it (app/services/sealing.py).
- Each key holder (an inspector) has a key pair of their own, its private half wrapped by a key derived
  from their password. The office's private key is sealed to each key holder's public key: a grant. So a
  key holder can grant a new inspector without knowing their password, and the administrator, who can
  reset any password, gets nothing from it: a reset drops that user's key and grant until a key holder
  grants again.
- A recovery key, shown once at setup, also opens the office's private key, so the office is not locked
  out of its archive when its last key holder leaves.
- The opened key lives only in this process's memory while the user is logged in, and is forgotten after
  `SETTINGS.identity_idle_minutes` without use.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import time
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.config import SETTINGS
from app.db import Database
from app.models import KeyGrant, OfficeKey, User, UserKey
from app.models.enums import Role
from app.services import audit, passwords
from app.services.auth import Actor, Permission, require
from app.services.cases import key_pin, sealing
from app.services.errors import IdentityLocked, NotFound, ValidationError
from app.services.search import clean

KEY_ROLES = frozenset({Role.INSPECTOR})
KEY_PREFIX = "TUYENGIAO-KEY:"


@dataclass
class _Open:
    keys: dict[bytes, X25519PrivateKey]   # key id -> the office's private key(s)
    last_used: float


_open: dict[tuple[str, int], _Open] = {}
_clock = time.monotonic   # tests move it forward


def _slot(db: Database, actor: Actor) -> tuple[str, int]:
    return str(db.engine.url), actor.user_id


@dataclass(frozen=True)
class KeyLine:
    id: int
    name: str
    fingerprint: str
    own: bool
    confirmed: bool       # sealed to: the own key, or another body's key a key holder confirmed
    confirmed_by: str | None = None


@dataclass(frozen=True)
class KeyStatus:
    office_key: bool      # the office's key pair exists
    granted: bool         # this user holds a grant
    unlocked: bool        # and it is open in memory now
    keys: list[KeyLine]   # every public key in the table, confirmed or waiting

    @property
    def waiting(self) -> list[KeyLine]:
        return [line for line in self.keys if not line.confirmed]


# ---- reading the state --------------------------------------------------------------------------

def _active_keys(session: Session) -> list[OfficeKey]:
    return list(session.scalars(select(OfficeKey).where(OfficeKey.retired_at.is_(None))
                                .order_by(OfficeKey.own.desc(), OfficeKey.id)))


def _anchor(keys: list[OfficeKey]) -> OfficeKey | None:
    """The office's own key, which confirms the others; two own keys mean the table was edited by hand."""
    own = [key for key in keys if key.own]
    if len(own) > 1:
        raise ValidationError.one("reporter", "Bảng khóa bảo vệ danh tính có hai khóa của cơ quan: cơ sở dữ liệu "
                                              "đã bị sửa ngoài phần mềm. Chưa ghi danh tính nào; cán bộ kiểm tra "
                                              "hãy kiểm tra bảng khóa.")
    return own[0] if own else None


def _is_confirmed(key: OfficeKey, anchor: OfficeKey | None) -> bool:
    if key.own:
        return key is anchor
    return anchor is not None and sealing.confirmed(anchor.confirming_key, key.public_key, key.confirmation)


def status(db: Database, actor: Actor) -> KeyStatus:
    with db.session_scope() as session:
        keys = _active_keys(session)
        anchor = _anchor(keys)
        granted = session.scalar(select(KeyGrant.user_id).where(KeyGrant.user_id == actor.user_id)) is not None
        return KeyStatus(anchor is not None, granted, granted and _slot(db, actor) in _open,
                         [_line(key, anchor) for key in keys])


def _line(key: OfficeKey, anchor: OfficeKey | None) -> KeyLine:
    confirmed = _is_confirmed(key, anchor)
    return KeyLine(key.id, key.name, sealing.fingerprint(key.public_key), key.own, confirmed,
                   key.confirmed_by if confirmed and not key.own else None)


def recipients(session: Session) -> list[bytes]:
    """The public keys a new identity is sealed to: the office's own and the keys a key holder confirmed.
    Refused until the office has its own key."""
    keys = _active_keys(session)
    anchor = _anchor(keys)
    if anchor is None:
        raise ValidationError.one("reporter", "Cơ quan chưa tạo khóa bảo vệ danh tính người phản ánh: cán bộ "
                                              "kiểm tra hãy khởi tạo khóa trước khi ghi danh tính.")
    key_pin.check(session.get_bind().url, anchor.public_key, anchor.confirming_key)
    return [key.public_key for key in keys if _is_confirmed(key, anchor)]


@dataclass(frozen=True)
class Inspector:
    id: int
    username: str
    full_name: str
    granted: bool
    has_key_pair: bool    # has logged in since becoming an inspector (or since a password reset)


def inspectors(db: Database, actor: Actor) -> list[Inspector]:
    """Active inspectors, and whether each may read identities: a key holder grants from this list."""
    require(actor, Permission.VIEW_IDENTITY)
    with db.session_scope() as session:
        granted = set(session.scalars(select(KeyGrant.user_id)))
        with_keys = set(session.scalars(select(UserKey.user_id)))
        return [Inspector(u.id, u.username, u.full_name, u.id in granted, u.id in with_keys)
                for u in session.scalars(select(User).where(User.role.in_(KEY_ROLES), User.active.is_(True))
                                         .order_by(User.username))]


# ---- the open key --------------------------------------------------------------------------------

def private_keys(db: Database, actor: Actor) -> dict[bytes, X25519PrivateKey]:
    """The open office key(s) of a key holder; refused when locked, idle too long or no longer granted."""
    require(actor, Permission.VIEW_IDENTITY)
    slot = _slot(db, actor)
    held = _open.get(slot)
    if held is None:
        raise IdentityLocked("Khóa bảo vệ danh tính chưa mở: hãy nhập mật khẩu của bạn để xem danh tính "
                             "người phản ánh.")
    if _clock() - held.last_used > SETTINGS.identity_idle_minutes * 60:
        del _open[slot]
        raise IdentityLocked(f"Khóa bảo vệ danh tính đã tự khóa sau {SETTINGS.identity_idle_minutes} phút "
                             "không dùng: hãy nhập lại mật khẩu.")
    with db.session_scope() as session:
        if session.scalar(select(KeyGrant.user_id).where(KeyGrant.user_id == actor.user_id)) is None:
            del _open[slot]
            raise IdentityLocked("Tài khoản của bạn không còn quyền xem danh tính người phản ánh.")
    held.last_used = _clock()
    return held.keys


def lock(db: Database, actor: Actor) -> None:
    _open.pop(_slot(db, actor), None)


def _wrong_password() -> ValidationError:
    return ValidationError.one("password", "Mật khẩu không đúng: không mở được khóa bảo vệ danh tính.")


def user_private(session: Session, user: User, password: str) -> X25519PrivateKey:
    """The user's own private key, made (from the checked password) the first time it is needed."""
    row = session.get(UserKey, user.id)
    if row is None:
        if not passwords.verify_password(user.password_hash, password):
            raise _wrong_password()
        key, salt, cost = sealing.new_private_key(), os.urandom(16), passwords.key_cost()
        session.add(UserKey(user_id=user.id, public_key=sealing.public_bytes(key), kdf=cost, salt=salt,
                            wrapped_private=sealing.wrap(sealing.private_bytes(key),
                                                         passwords.derive_key(password, salt, cost)),
                            created_at=utcnow()))
        session.flush()
        return key
    try:
        raw = sealing.unwrap(row.wrapped_private, passwords.derive_key(password, row.salt, row.kdf))
    except sealing.Unreadable:
        raise _wrong_password() from None
    return X25519PrivateKey.from_private_bytes(raw)


def unlock(db: Database, actor: Actor, password: str) -> bool:
    """Open the user's grant with their password (at login, or after the idle lock). False when this user
    holds no grant; a wrong password is refused."""
    if actor.role not in KEY_ROLES:
        return False
    with db.session_scope() as session:
        user = session.get(User, actor.user_id)
        own = user_private(session, user, password)
        own_id = sealing.key_id(sealing.public_bytes(own))
        keys: dict[bytes, X25519PrivateKey] = {}
        for grant in session.scalars(select(KeyGrant).where(KeyGrant.user_id == user.id)):
            private = X25519PrivateKey.from_private_bytes(sealing.unseal(grant.sealed_private, {own_id: own}))
            keys[sealing.key_id(sealing.public_bytes(private))] = private
            _mend_own_key(session, actor, session.get(OfficeKey, grant.office_key_id), private)
    _pin_opened(db, keys)
    if keys:
        _open[_slot(db, actor)] = _Open(keys, _clock())
    return bool(keys)


def _pin_opened(db: Database, keys: dict[bytes, X25519PrivateKey]) -> None:
    """This machine remembers the own key the grants opened. A key it already remembers stays remembered
    when it is among them (a grant added for a planted key cannot move it); another is taken only when the
    remembered one is not opened at all, which is another office's database at the same place (a restore)."""
    if not keys:
        return
    url = db.engine.url
    opened = {key_pin.pin_of(sealing.public_bytes(private), sealing.confirming_key(private))
              for private in keys.values()}
    if key_pin.pinned(url) in opened:
        return
    with db.session_scope() as session:
        anchor = _anchor(_active_keys(session))
    private = keys.get(sealing.key_id(anchor.public_key)) if anchor is not None else None
    if private is not None:   # the active own key, and only when a grant opened it
        key_pin.remember(url, sealing.public_bytes(private), sealing.confirming_key(private))


def _mend_own_key(session: Session, actor: Actor, office: OfficeKey, private: X25519PrivateKey) -> None:
    """The key holder's grant proves the office's real key: the row is put back if it was edited outside
    the app (said in the audit trail), and an own key made before confirmations gets its confirming key."""
    public, confirming = sealing.public_bytes(private), sealing.confirming_key(private)
    if office.public_key != public or office.confirming_key not in (None, confirming):
        audit.record(session, actor, "sửa lại khóa", "office_key", office.id,
                     "Khóa bảo vệ danh tính của cơ quan trong cơ sở dữ liệu đã bị thay ngoài phần mềm; "
                     f"đã đặt lại khóa thật (dấu {sealing.fingerprint(public)}) khi {actor.username} mở khóa")
    office.public_key, office.confirming_key = public, confirming


# ---- setting up, granting, recovering ------------------------------------------------------------

def recovery_wrapping_key(code: str) -> bytes:
    try:
        raw = base64.b32decode(clean(code).replace("-", "").replace(" ", "").upper())
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 20:
        raise ValidationError.one("recovery", "Khóa khôi phục gồm 32 ký tự (chữ và số, chia nhóm 4 ký tự); "
                                              "hãy kiểm tra lại.")
    return hashlib.sha256(b"tuyengiao-recovery" + raw).digest()


def _new_recovery_code() -> str:
    text = base64.b32encode(os.urandom(20)).decode()
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def _grant(session: Session, office: OfficeKey, private: X25519PrivateKey, user_public: bytes, user_id: int,
           by: str) -> None:
    session.execute(delete(KeyGrant).where(KeyGrant.office_key_id == office.id, KeyGrant.user_id == user_id))
    session.add(KeyGrant(office_key_id=office.id, user_id=user_id, granted_by=by, granted_at=utcnow(),
                         sealed_private=sealing.seal(sealing.private_bytes(private), [user_public])))


def _require_key_role(actor: Actor) -> None:
    if actor.role not in KEY_ROLES:
        raise ValidationError.one("user", "Chỉ tài khoản vai trò «Kiểm tra» giữ khóa bảo vệ danh tính.")


def setup(db: Database, actor: Actor, password: str, *, name: str = "Cơ quan") -> str:
    """Make the office's key pair, grant it to this inspector and return the recovery key, shown once."""
    require(actor, Permission.VIEW_IDENTITY)
    _require_key_role(actor)
    code = _new_recovery_code()
    private = sealing.new_private_key()
    with db.session_scope() as session:
        if session.scalar(select(OfficeKey.id).where(OfficeKey.own.is_(True), OfficeKey.retired_at.is_(None))):
            raise ValidationError.one("key", "Cơ quan đã có khóa bảo vệ danh tính; người đang giữ khóa có thể "
                                             "cấp quyền cho bạn.")
        own = user_private(session, session.get(User, actor.user_id), password)
        office = OfficeKey(name=clean(name)[:200] or "Cơ quan", public_key=sealing.public_bytes(private), own=True,
                           confirming_key=sealing.confirming_key(private),
                           recovery_wrapped=sealing.wrap(sealing.private_bytes(private), recovery_wrapping_key(code)),
                           created_at=utcnow(), created_by=actor.username)
        session.add(office)
        session.flush()
        _grant(session, office, private, sealing.public_bytes(own), actor.user_id, actor.username)
        audit.record(session, actor, "tạo khóa", "office_key", office.id, "Khởi tạo khóa bảo vệ danh tính "
                     f"người phản ánh (dấu {sealing.fingerprint(office.public_key)})")
    key_pin.remember(db.engine.url, sealing.public_bytes(private), sealing.confirming_key(private))
    _open[_slot(db, actor)] = _Open({sealing.key_id(office.public_key): private}, _clock())
    return code


def _own_office_keys(session: Session) -> list[OfficeKey]:
    return list(session.scalars(select(OfficeKey).where(OfficeKey.own.is_(True), OfficeKey.retired_at.is_(None))))


def grant(db: Database, actor: Actor, user_id: int) -> None:
    """A key holder, with their key open, lets another inspector read identities."""
    keys = private_keys(db, actor)
    with db.session_scope() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("Không tìm thấy tài khoản.")
        if user.role not in KEY_ROLES or not user.active:
            raise ValidationError.one("user", f"Chỉ cấp quyền xem danh tính cho tài khoản «Kiểm tra» đang hoạt "
                                              f"động; «{user.username}» là {user.role.label.lower()}.")
        user_key = session.get(UserKey, user_id)
        if user_key is None:
            raise ValidationError.one("user", f"«{user.username}» chưa đăng nhập lần nào với mật khẩu hiện tại: "
                                              "hãy để người đó đăng nhập một lần rồi cấp quyền.")
        for office in _own_office_keys(session):
            private = keys.get(sealing.key_id(office.public_key))
            if private is not None:
                _grant(session, office, private, user_key.public_key, user_id, actor.username)
        audit.record(session, actor, "cấp quyền", "app_user", user_id,
                     f"Cấp quyền xem danh tính người phản ánh cho {user.username}")


def revoke(db: Database, actor: Actor, user_id: int) -> None:
    private_keys(db, actor)
    with db.session_scope() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("Không tìm thấy tài khoản.")
        session.execute(delete(KeyGrant).where(KeyGrant.user_id == user_id))
        audit.record(session, actor, "thu hồi quyền", "app_user", user_id,
                     f"Thu hồi quyền xem danh tính người phản ánh của {user.username}")


def recover(db: Database, actor: Actor, recovery_code: str, password: str) -> None:
    """An inspector with the recovery key grants themself (the last key holder has gone)."""
    require(actor, Permission.VIEW_IDENTITY)
    _require_key_role(actor)
    wrapping = recovery_wrapping_key(recovery_code)
    with db.session_scope() as session:
        offices = _own_office_keys(session)
        if not offices:
            raise ValidationError.one("recovery", "Cơ quan chưa có khóa bảo vệ danh tính để khôi phục.")
        own = user_private(session, session.get(User, actor.user_id), password)
        opened = {}
        for office in offices:
            try:
                private = X25519PrivateKey.from_private_bytes(sealing.unwrap(office.recovery_wrapped, wrapping))
            except sealing.Unreadable:
                continue
            _mend_own_key(session, actor, office, private)
            _grant(session, office, private, sealing.public_bytes(own), actor.user_id, actor.username)
            opened[sealing.key_id(office.public_key)] = private
        if not opened:
            raise ValidationError.one("recovery", "Khóa khôi phục không đúng.")
        audit.record(session, actor, "khôi phục khóa", "app_user", actor.user_id,
                     f"{actor.username} dùng khóa khôi phục để nhận quyền xem danh tính")
    for private in opened.values():   # the recovery code proves the key
        key_pin.remember(db.engine.url, sealing.public_bytes(private), sealing.confirming_key(private))
    _open[_slot(db, actor)] = _Open(opened, _clock())


# ---- keys of other bodies -------------------------------------------------------------------------

def own_public_key_text(db: Database, actor: Actor) -> str:
    """What the office sends to the bodies under it, so that their cases stay readable here."""
    require(actor, Permission.VIEW_IDENTITY)
    with db.session_scope() as session:
        offices = _own_office_keys(session)
        if not offices:
            raise NotFound("Cơ quan chưa có khóa bảo vệ danh tính.")
        return KEY_PREFIX + base64.b64encode(offices[0].public_key).decode()


def read_public_key(text: str) -> bytes:
    """The 32 bytes of a key pasted as «TUYENGIAO-KEY:…»; a ValidationError on "key" otherwise."""
    text = clean(text)
    public = b""
    if text.startswith(KEY_PREFIX):
        try:
            public = base64.b64decode(text.removeprefix(KEY_PREFIX), validate=True)
        except binascii.Error:
            public = b""
    if not sealing.usable_public_key(public):
        raise ValidationError.one("key", f"Khóa công khai phải bắt đầu bằng «{KEY_PREFIX}» và gồm đúng 44 ký tự "
                                         "sau đó, chép nguyên từ cơ quan giữ khóa.")
    return public


def import_recipient(db: Database, actor: Actor, name: str, text: str) -> int:
    """A body's public key (the district's), kept waiting: identities are sealed to it once a key holder
    confirms its fingerprint (`confirm`)."""
    require(actor, Permission.VIEW_IDENTITY)
    name = clean(name)
    errors = {}
    if not name:
        errors["name"] = "Hãy ghi tên cơ quan giữ khóa (ví dụ Ban Tuyên giáo Huyện ủy)."
    try:
        public = read_public_key(text)
    except ValidationError as error:
        errors.update(error.errors)
    if errors:
        raise ValidationError(errors)
    with db.session_scope() as session:
        if session.scalar(select(OfficeKey.id).where(OfficeKey.public_key == public, OfficeKey.retired_at.is_(None))):
            raise ValidationError.one("key", "Khóa này đã có trong danh sách.")
        office = OfficeKey(name=name[:200], public_key=public, own=False, created_at=utcnow(),
                           created_by=actor.username)
        session.add(office)
        session.flush()
        audit.record(session, actor, "nhập khóa", "office_key", office.id,
                     f"Nhập khóa công khai của {name} (dấu {sealing.fingerprint(public)}), chờ người giữ khóa "
                     "xác nhận trước khi dùng")
        return office.id


def confirm(db: Database, actor: Actor, key_id: int, fingerprint: str) -> None:
    """A key holder, key open, confirms another body's key after reading its fingerprint with that body:
    identities recorded from now on are also sealed to it. The fingerprint typed must match."""
    opened = private_keys(db, actor)
    with db.session_scope() as session:
        key = session.get(OfficeKey, key_id)
        if key is None or key.retired_at is not None:
            raise NotFound("Không tìm thấy khóa này.")
        if key.own:
            raise ValidationError.one("key", "Đây là khóa của chính cơ quan; không cần xác nhận.")
        expected = sealing.fingerprint(key.public_key)
        if _fingerprint_letters(fingerprint) != _fingerprint_letters(expected):
            raise ValidationError.one("fingerprint", f"Dấu khóa gõ vào không khớp dấu của khóa «{key.name}»: hãy "
                                                     "đọc lại dấu với cơ quan giữ khóa.")
        if not sealing.usable_public_key(key.public_key):
            raise ValidationError.one("key", f"Khóa «{key.name}» hỏng, không dùng được để bảo vệ danh tính.")
        anchor = _anchor(_active_keys(session))
        private = opened.get(sealing.key_id(anchor.public_key)) if anchor else None
        if private is None:
            raise IdentityLocked("Khóa của cơ quan chưa mở trong phiên này: hãy nhập lại mật khẩu.")
        key.confirmation = sealing.confirm(private, key.public_key)
        key.confirmed_by, key.confirmed_at = actor.username, utcnow()
        audit.record(session, actor, "xác nhận khóa", "office_key", key.id,
                     f"Xác nhận khóa công khai của {key.name} (dấu {expected}): danh tính ghi từ nay được "
                     "niêm phong cả cho khóa này")


def _fingerprint_letters(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


# ---- what password changes do to keys (called by app/services/users.py) ---------------------------

def rewrap(session: Session, user_id: int, old_password: str, new_password: str) -> None:
    """The user changed their own password: the same key pair, wrapped by the new one."""
    row = session.get(UserKey, user_id)
    if row is None:
        return
    raw = sealing.unwrap(row.wrapped_private, passwords.derive_key(old_password, row.salt, row.kdf))
    row.salt, row.kdf = os.urandom(16), passwords.key_cost()
    row.wrapped_private = sealing.wrap(raw, passwords.derive_key(new_password, row.salt, row.kdf))


def forget_user(session: Session, user_id: int, *, keep_pair: bool = False) -> bool:
    """An admin reset the password or closed the account: the user's key pair goes, and with it every
    grant sealed to it (the package-signing one too). Left the inspector role: only the identity grant
    goes (`keep_pair`). True when an identity grant was dropped (the audit says so)."""
    dropped = session.execute(delete(KeyGrant).where(KeyGrant.user_id == user_id)).rowcount
    if not keep_pair:
        session.execute(delete(UserKey).where(UserKey.user_id == user_id))
    return bool(dropped)
