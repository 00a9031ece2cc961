"""Who is acting and what they may do: login, roles, permissions, a clerk's unit scope."""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.clock import utcnow
from app.config import SETTINGS
from app.db import Database
from app.models import User
from app.models.enums import Role
from app.services import audit
from app.services.errors import LoginRefused, PermissionDenied
from app.services.passwords import hash_password, verify_password


class Permission(enum.Enum):
    MANAGE_USERS = "quản lý người dùng"
    EDIT_PROFILE = "sửa thông tin cơ quan"
    EDIT_UNITS = "sửa cây đơn vị"
    VIEW_PEOPLE = "xem danh sách đảng viên"
    EDIT_PEOPLE = "sửa thông tin đảng viên"
    VIEW_AUDIT = "xem nhật ký thay đổi"
    VIEW_MEETINGS = "xem hội nghị, điểm danh"
    EDIT_MEETINGS = "nhập hội nghị, điểm danh"
    EDIT_DOCUMENTS = "vào sổ văn bản"
    MIGRATE = "nâng cấp cơ sở dữ liệu"
    VIEW_CASES = "xem sổ phản ánh, kiến nghị"
    RECEIVE_CASES = "tiếp nhận phản ánh, kiến nghị"
    VIEW_IDENTITY = "xem danh tính người phản ánh"
    EDIT_REFERENCE = "sửa danh mục"
    MAKE_REPORTS = "lập báo cáo định kỳ"
    ISSUE_REPORTS = "ban hành báo cáo (lấy số)"
    BACKUP = "sao lưu dữ liệu"
    RESTORE = "khôi phục dữ liệu từ bản sao lưu"
    MANAGE_PARTNERS = "quản lý đối tác trao đổi dữ liệu"
    EXCHANGE = "gửi, nhận gói trao đổi dữ liệu"


# The administrator holds the database but is not trusted with reporters (DESIGN.md, after GlobaLeaks).
_CASE_WORK = frozenset({Permission.VIEW_CASES, Permission.RECEIVE_CASES, Permission.VIEW_IDENTITY})
# Reports quote the cases' figures, so they belong to the roles that see cases; leaders sign them.
_REPORTING = frozenset({Permission.MAKE_REPORTS, Permission.ISSUE_REPORTS})


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # Packages carry cases (identities still sealed) and their review shows them: the admin sets up
    # partners, the clerk sends and receives.
    Role.ADMIN: frozenset(Permission) - _CASE_WORK - _REPORTING - {Permission.EXCHANGE},
    Role.CLERK: frozenset({Permission.VIEW_PEOPLE, Permission.EDIT_PEOPLE, Permission.VIEW_MEETINGS,
                           Permission.EDIT_MEETINGS, Permission.EDIT_DOCUMENTS, Permission.VIEW_CASES,
                           Permission.RECEIVE_CASES, Permission.MAKE_REPORTS, Permission.BACKUP,
                           Permission.EXCHANGE}),
    Role.LEADER: frozenset({Permission.VIEW_PEOPLE, Permission.EDIT_PROFILE, Permission.VIEW_AUDIT,
                            Permission.VIEW_MEETINGS, Permission.VIEW_CASES, Permission.BACKUP} | _REPORTING),  # no identity
    Role.INSPECTOR: frozenset({Permission.VIEW_PEOPLE, Permission.VIEW_AUDIT,  # inspection reads the trail
                               Permission.VIEW_MEETINGS} | _CASE_WORK),
}


@dataclass(frozen=True)
class Actor:
    """The logged-in user, passed to every service function."""

    user_id: int
    username: str
    full_name: str
    role: Role
    unit_id: int | None  # a clerk's scope: this unit and everything under it

    def can(self, permission: Permission) -> bool:
        return permission in ROLE_PERMISSIONS[self.role]

    @property
    def limited_to_unit(self) -> bool:
        return self.role is Role.CLERK


def require(actor: Actor, permission: Permission) -> None:
    if not actor.can(permission):
        raise PermissionDenied(f"Vai trò «{actor.role.label}» không được phép {permission.value}.")


def actor_of(user: User) -> Actor:
    return Actor(user.id, user.username, user.full_name, user.role, user.unit_id)




@functools.cache
def _unknown_user_hash() -> str:
    return hash_password("không có tài khoản này")


def _last_admin(session, user: User) -> bool:
    """The last active administrator is never locked out, only slowed down: nobody else could unlock him."""
    return user.role is Role.ADMIN and not session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.active.is_(True), User.id != user.id))


def _wait_after_failures(user: User, now: datetime) -> int:
    """Seconds still to wait before another try (a growing delay after the free attempts)."""
    extra = user.failed_logins - SETTINGS.login_free_attempts
    if extra < 0 or user.last_failed_at is None:
        return 0
    delay = min(2 ** extra, SETTINGS.login_max_wait_seconds)
    remaining = (user.last_failed_at + timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(remaining + 0.999))


def login(db: Database, username: str, password: str, *, now: datetime | None = None) -> Actor:
    """Check a password; wrong ones slow the next try down, then lock the account for a while."""
    now = now or utcnow()
    refused = LoginRefused("Tên đăng nhập hoặc mật khẩu không đúng.")
    with db.session_scope() as session:
        user = session.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            verify_password(_unknown_user_hash(), password)   # as slow as a wrong password: names stay secret
            raise refused
        if user.locked_until and user.locked_until > now:
            minutes = max(1, int((user.locked_until - now).total_seconds() // 60 + 1))
            raise LoginRefused(f"Tài khoản «{user.username}» đang bị khóa do nhập sai mật khẩu nhiều lần; "
                               f"hãy thử lại sau {minutes} phút.")
        wait = _wait_after_failures(user, now)
        if wait:
            raise LoginRefused(f"Đã nhập sai mật khẩu nhiều lần; hãy đợi {wait} giây rồi thử lại.")
        if not verify_password(user.password_hash, password):
            user.failed_logins += 1
            user.last_failed_at = now
            if user.failed_logins >= SETTINGS.login_lock_after and not _last_admin(session, user):
                user.locked_until = now + timedelta(minutes=SETTINGS.login_lock_minutes)
                audit.record(session, None, "khóa", "app_user", user.id,
                             f"Khóa tài khoản {user.username} sau {user.failed_logins} lần nhập sai mật khẩu")
        elif not user.active:
            raise LoginRefused(f"Tài khoản «{user.username}» đã bị vô hiệu hóa; hãy liên hệ quản trị viên.")
        else:
            user.failed_logins = 0
            user.last_failed_at = None
            user.locked_until = None
            return actor_of(user)
    raise refused
