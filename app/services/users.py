"""User accounts: the first admin, accounts managed by an admin, own password changes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db import Database
from app.models import Unit, User
from app.models.enums import Role
from app.services import audit
from app.services.auth import Actor, Permission, actor_of, require
from app.services.cases import keys as case_keys
from app.services.errors import NotFound, ValidationError
from app.services.passwords import hash_password, verify_password
from app.services.search import clean

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
MIN_PASSWORD = 8
USER_FIELDS = ("username", "full_name", "role", "unit_id", "active")


@dataclass
class UserInput:
    username: str
    full_name: str
    role: Role
    unit_id: int | None = None
    active: bool = True


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    full_name: str
    role: Role
    unit_id: int | None
    unit_code: str | None
    active: bool
    locked: bool


def check_password(password: str, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError.one(field, f"Mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự.")


def validate(session: Session, data: UserInput, *, user_id: int | None) -> UserInput:
    errors: dict[str, str] = {}
    username = clean(data.username).lower()
    full_name = clean(data.full_name)
    if not USERNAME_PATTERN.match(username):
        errors["username"] = "Tên đăng nhập gồm 3–32 ký tự: chữ thường không dấu, chữ số, «.», «_», «-»."
    elif session.scalar(select(User.id).where(User.username == username, User.id != (user_id or 0))):
        errors["username"] = f"Tên đăng nhập «{username}» đã có người dùng."
    if not full_name:
        errors["full_name"] = "Họ và tên không được để trống."
    if data.role == Role.CLERK and data.unit_id is None:
        errors["unit_id"] = "Cán bộ nhập liệu phải được giao một đơn vị (và các đơn vị trực thuộc)."
    if data.unit_id is not None and session.get(Unit, data.unit_id) is None:
        errors["unit_id"] = "Đơn vị được giao không tồn tại."
    if errors:
        raise ValidationError(errors)
    return UserInput(username, full_name, Role(data.role), data.unit_id, data.active)


def create_in(session: Session, actor: Actor | None, data: UserInput, password: str) -> User:
    data = validate(session, data, user_id=None)
    check_password(password)
    user = User(username=data.username, full_name=data.full_name, role=data.role, unit_id=data.unit_id,
                active=data.active, password_hash=hash_password(password), failed_logins=0)
    session.add(user)
    session.flush()
    audit.record(session, actor or actor_of(user), "tạo", "app_user", user.id,
                 f"Tạo tài khoản {user.username} ({user.role.label})", after=audit.snapshot(user, USER_FIELDS))
    return user


def create(db: Database, actor: Actor, data: UserInput, password: str) -> int:
    require(actor, Permission.MANAGE_USERS)
    with db.session_scope() as session:
        return create_in(session, actor, data, password).id




def _get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("Không tìm thấy tài khoản.")
    return user


def _admins_left(session: Session, excluding: int) -> int:
    return session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.active.is_(True), User.id != excluding))


def update(db: Database, actor: Actor, user_id: int, data: UserInput) -> None:
    require(actor, Permission.MANAGE_USERS)
    with db.session_scope() as session:
        user = _get(session, user_id)
        data = validate(session, data, user_id=user_id)
        losing_admin = user.role is Role.ADMIN and (data.role is not Role.ADMIN or not data.active)
        if losing_admin and _admins_left(session, user_id) == 0:
            raise ValidationError.one("role", "Phải còn ít nhất một quản trị viên đang hoạt động.")
        before = audit.snapshot(user, USER_FIELDS)
        user.username, user.full_name, user.role = data.username, data.full_name, data.role
        user.unit_id, user.active = data.unit_id, data.active
        audit.record(session, actor, "sửa", "app_user", user.id, f"Sửa tài khoản {user.username}",
                     before=before, after=audit.snapshot(user, USER_FIELDS))
        if (data.role not in case_keys.KEY_ROLES or not data.active) and case_keys.forget_user(
                session, user_id, keep_pair=data.active):
            audit.record(session, actor, "thu hồi quyền", "app_user", user.id,
                         f"{user.username} không còn quyền xem danh tính người phản ánh")


def reset_password(db: Database, actor: Actor, user_id: int, new_password: str) -> None:
    """An admin sets a new password (and unlocks the account); the password is never audited."""
    require(actor, Permission.MANAGE_USERS)
    check_password(new_password)
    with db.session_scope() as session:
        user = _get(session, user_id)
        user.password_hash = hash_password(new_password)
        user.failed_logins, user.last_failed_at, user.locked_until = 0, None, None
        audit.record(session, actor, "đặt lại mật khẩu", "app_user", user.id,
                     f"Đặt lại mật khẩu cho {user.username}")
        # The admin now knows the password, so it must open nothing: a key holder grants again.
        if case_keys.forget_user(session, user_id):
            audit.record(session, actor, "thu hồi quyền", "app_user", user.id,
                         f"{user.username} mất quyền xem danh tính người phản ánh cho tới khi được cấp lại")


def change_own_password(db: Database, actor: Actor, old_password: str, new_password: str,
                        repeat: str | None = None) -> None:
    """Anyone changes their own password, knowing the current one; `repeat` is the new one typed again."""
    with db.session_scope() as session:
        user = _get(session, actor.user_id)
        if not verify_password(user.password_hash, old_password):
            raise ValidationError.one("old_password", "Mật khẩu hiện tại không đúng.")
        check_password(new_password, "new_password")
        if repeat is not None and repeat != new_password:
            raise ValidationError.one("repeat", "Hai lần nhập mật khẩu mới không giống nhau.")
        user.password_hash = hash_password(new_password)
        case_keys.rewrap(session, user.id, old_password, new_password)
        audit.record(session, actor, "đổi mật khẩu", "app_user", user.id, f"{user.username} đổi mật khẩu")


def list_users(db: Database, actor: Actor) -> list[UserRow]:
    """Accounts are few (a handful per office): one query, no paging needed."""
    require(actor, Permission.MANAGE_USERS)
    with db.session_scope() as session:
        rows = session.execute(
            select(User.id, User.username, User.full_name, User.role, User.unit_id, Unit.code, User.active,
                   func.coalesce(User.locked_until > utcnow(), False))
            .outerjoin(Unit, Unit.id == User.unit_id).order_by(User.username))
        return [UserRow(*row) for row in rows]
