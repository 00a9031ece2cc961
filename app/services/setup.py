"""First start on an empty database: the administrator, the office's root unit and profile."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.db import Database
from app.models import User
from app.models.enums import Role, UnitKind
from app.services import profile, units, users
from app.services.auth import Actor, actor_of
from app.services.errors import PermissionDenied


@dataclass
class RootUnitInput:
    code: str          # e.g. HBT
    name: str          # e.g. Đảng bộ huyện Bảo Thắng / Đảng bộ xã Phong Niên
    kind: UnitKind = UnitKind.DANG_BO


def needs_setup(db: Database) -> bool:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(User)) == 0


def initialize(db: Database, *, admin: users.UserInput, password: str, office: profile.ProfileInput,
               root: RootUnitInput) -> Actor:
    """All or nothing, in one transaction; refused once any account exists."""
    with db.session_scope() as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise PermissionDenied("Cơ sở dữ liệu đã được thiết lập.")
        admin.role = Role.ADMIN
        actor = actor_of(users.create_in(session, None, admin, password))
        units.create_in(session, db, actor, code=root.code, name=root.name, kind=root.kind, parent_id=None,
                        valid_from=office.valid_from)
        profile.save_in(session, db, actor, office)
        return actor
