"""First start on an empty database: the administrator, the office's root unit and profile."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app import clock
from app.db import Database
from app.models import User
from app.models.enums import Role, UnitKind
from app.services import profile, units, users
from app.services.auth import Actor, actor_of
from app.services.errors import PermissionDenied, ValidationError


@dataclass
class RootUnitInput:
    code: str          # e.g. BAOTHANG
    name: str          # e.g. Đảng bộ huyện Bảo Thắng / Đảng bộ xã Phong Niên
    kind: UnitKind = UnitKind.DANG_BO
    since: date | None = None   # the first day records are kept for; None: RECORDS_BACK years ago


RECORDS_BACK = 10   # a new office enters its past: sessions this many years back find their units


def records_start(today: date) -> date:
    """The default first day of a new office's records: 1 January, RECORDS_BACK years ago."""
    return date(today.year - RECORDS_BACK, 1, 1)


def needs_setup(db: Database) -> bool:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(User)) == 0


def initialize(db: Database, *, admin: users.UserInput, password: str, office: profile.ProfileInput,
               root: RootUnitInput) -> Actor:
    """All or nothing, in one transaction; refused once any account exists."""
    admin.role = Role.ADMIN
    with db.session_scope() as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise PermissionDenied("Cơ sở dữ liệu đã được thiết lập.")
        errors: dict[str, str] = {}
        checks: list[Callable[[], object]] = [lambda: users.validate(session, admin, user_id=None),
                                              lambda: users.check_password(password),
                                              lambda: profile.validate(office)]
        for check in checks:  # every mistake at once, not one per click
            try:
                check()
            except ValidationError as error:
                errors.update(error.errors)
        if errors:
            raise ValidationError(errors)
        actor = actor_of(users.create_in(session, None, admin, password))
        since = root.since or records_start(clock.today())
        if since > clock.today():
            raise ValidationError.one("since", "Ngày bắt đầu ghi dữ liệu không được sau hôm nay.")
        units.create_in(session, db, actor, code=root.code, name=root.name, kind=root.kind, parent_id=None,
                        valid_from=min(since, office.valid_from))
        profile.save_in(session, db, actor, office)
        return actor
