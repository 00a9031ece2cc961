"""The install's package-signing key, which only users allowed to export can open.

A copy of the database file, or a plain backup, must not be able to sign a package a partner accepts. So
the Ed25519 private key is sealed to each exporting user's own key pair (whose private half is wrapped by
their password, app/services/cases/keys.py) and opened at login for that session; only its public half,
which partners take on our card, is stored in the clear. A user who logs in with the key open passes it
on to colleagues allowed to export who have logged in once, so the key never hangs on one person; an
admin's password reset drops that user's pair and grant, as it does for the identity key.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db import Database
from app.models import InstallMeta, SigningGrant, User, UserKey
from app.services import audit
from app.services.auth import ROLE_PERMISSIONS, Actor, Permission
from app.services.cases import sealing
from app.services.cases.keys import user_private
from app.services.errors import PermissionDenied

PUBLIC = "signing_public"
LEGACY_CLEAR = "signing_key"   # before revision 0009: the private key itself, in the clear

_open: dict[tuple[str, int], Ed25519PrivateKey] = {}
EXPORTING_ROLES = frozenset(role for role, allowed in ROLE_PERMISSIONS.items() if Permission.EXCHANGE in allowed)


def _slot(db: Database, actor: Actor) -> tuple[str, int]:
    return str(db.engine.url), actor.user_id


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                             serialization.NoEncryption())


def _public_raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key(session: Session) -> bytes | None:
    """The public half partners know us by; None before anyone allowed to export has logged in."""
    stored = session.get(InstallMeta, PUBLIC)
    if stored is not None:
        return base64.b64decode(stored.value)
    legacy = session.get(InstallMeta, LEGACY_CLEAR)
    return _public_raw(Ed25519PrivateKey.from_private_bytes(base64.b64decode(legacy.value))) if legacy else None


def open_at_login(db: Database, actor: Actor, password: str) -> bool:
    """Open the signing key with the password just checked; made here the first time, and taken out of
    the clear here after an upgrade. False when this user may not export or holds no grant yet."""
    if not actor.can(Permission.EXCHANGE):
        return False
    with db.session_scope() as session:
        user = session.get(User, actor.user_id)
        own = user_private(session, user, password)
        grant = session.get(SigningGrant, user.id)
        if grant is not None:
            key = Ed25519PrivateKey.from_private_bytes(
                sealing.unseal(grant.sealed_private, {sealing.key_id(sealing.public_bytes(own)): own}))
        else:
            key = _take_unheld(session, actor)
            if key is None:
                return False
        _pass_on(session, key)
    _open[_slot(db, actor)] = key
    return True


def _take_unheld(session: Session, actor: Actor) -> Ed25519PrivateKey | None:
    """The key left in the clear by an older version, or a new one when the install has none yet."""
    legacy = session.get(InstallMeta, LEGACY_CLEAR)
    if legacy is not None:
        key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(legacy.value))
        session.delete(legacy)
        action = "Khóa ký gói trao đổi không còn lưu trần trong cơ sở dữ liệu: được niêm phong cho từng cán bộ gửi gói"
    elif session.get(InstallMeta, PUBLIC) is None:
        key = Ed25519PrivateKey.generate()
        action = "Tạo khóa ký gói trao đổi, niêm phong cho từng cán bộ gửi gói"
    else:
        return None
    session.merge(InstallMeta(key=PUBLIC, value=base64.b64encode(_public_raw(key)).decode("ascii")))
    audit.record(session, actor, "bảo vệ khóa", "signing_key", PUBLIC,
                 f"{action} (dấu {sealing.fingerprint(_public_raw(key))})")
    return key


def _pass_on(session: Session, key: Ed25519PrivateKey) -> None:
    """Every active user allowed to export who has a key pair and no grant gets one (the opener included)."""
    granted = set(session.scalars(select(SigningGrant.user_id)))
    for user_id, public in session.execute(select(UserKey.user_id, UserKey.public_key).join(User)
                                           .where(User.active.is_(True), User.role.in_(EXPORTING_ROLES))):
        if user_id not in granted:
            session.add(SigningGrant(user_id=user_id, sealed_private=sealing.seal(_raw(key), [public]),
                                     granted_at=utcnow()))
    session.flush()


def private_key(db: Database, actor: Actor) -> Ed25519PrivateKey:
    """The key opened at this user's login; refused with what to do when it is not open."""
    key = _open.get(_slot(db, actor))
    if key is None:
        raise PermissionDenied("Khóa ký gói trao đổi chưa mở cho tài khoản này: hãy đăng nhập lại. Nếu vẫn vậy, "
                               "nhờ một cán bộ đã gửi gói đăng nhập một lần (khóa được chuyển cho bạn), rồi đăng "
                               "nhập lại.")
    return key


def close(db: Database, actor: Actor) -> None:
    _open.pop(_slot(db, actor), None)
