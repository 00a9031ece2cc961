"""The sending office's own profile in a package (reference.json, "office"), and nothing else's.

A commune's Đảng ủy keeps its names, signer and numbering term on its own install; the district needs them
to print what that commune issues on the district's server. So each package carries the sender's own
office, every version of it, and the receiver takes it only for the unit the partner leads: a partner never
changes this install's own office, nor another office's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.models import ExchangePartner, OfficeProfile, Unit
from app.models.enums import HeadingStyle
from app.services import audit, profile
from app.services.auth import Actor
from app.services.errors import ValidationError
from app.services.exchange.package import PackageError
from app.services.sync import stamp_new, touch

MAX_VERSIONS = 100
TEXT_FIELDS = tuple(name for name in profile.FIELDS if name not in ("valid_from", "attendance_target",
                                                                    "heading_style", "unit_id"))


def own_office(session: Session) -> dict | None:
    """This install's own office: its unit's code and every version of its profile."""
    unit_id = profile.office_unit(session, None, clock.today())
    if unit_id is None:
        return None
    rows = session.scalars(select(OfficeProfile).where(OfficeProfile.unit_id == unit_id,
                                                       OfficeProfile.deleted_at.is_(None))
                           .order_by(OfficeProfile.valid_from))
    return {"unit_code": session.get(Unit, unit_id).code,
            "versions": [{"valid_from": row.valid_from.isoformat(), "attendance_target": str(row.attendance_target),
                          "heading_style": row.heading_style.value, **{name: getattr(row, name) for name in TEXT_FIELDS}}
                         for row in rows]}


def read_office(section: Any, package_name: str) -> tuple[str, list[profile.ProfileInput]] | None:
    """The office a package carries, each version checked as the profile page checks it; PackageError
    names what is wrong."""
    if section is None:
        return None
    def refused(why: str) -> PackageError:
        return PackageError(f"Thông tin cơ quan trong gói «{package_name}» không dùng được: {why}. Chưa nhập gì; "
                            "hãy báo nơi gửi kiểm tra lại trang «Thông tin cơ quan».")
    if not isinstance(section, dict) or not isinstance(section.get("unit_code"), str) \
            or not isinstance(section.get("versions"), list) or not 0 < len(section["versions"]) <= MAX_VERSIONS:
        raise refused("sai cấu trúc")
    versions = []
    for entry in section["versions"]:
        if not isinstance(entry, dict) or not all(isinstance(entry.get(name), str) for name in
                                                  (*TEXT_FIELDS, "valid_from", "attendance_target", "heading_style")):
            raise refused("sai cấu trúc")
        try:
            data = profile.ProfileInput(valid_from=date.fromisoformat(entry["valid_from"]),
                                        attendance_target=Decimal(entry["attendance_target"]),
                                        heading_style=HeadingStyle(entry["heading_style"]),
                                        **{name: entry[name] for name in TEXT_FIELDS})
            versions.append(profile.validate(data))
        except (ValueError, InvalidOperation) as error:
            raise refused("sai cấu trúc") from error
        except ValidationError as error:
            raise refused(" ".join(error.errors.values())) from error
    if len({version.valid_from for version in versions}) != len(versions):
        raise refused("hai phiên bản cùng ngày áp dụng")
    return section["unit_code"], versions


def take_office(session: Session, db: Database, actor: Actor, partner: ExchangePartner, section: Any,
                package_name: str) -> bool:
    """Keep the partner's own office as it sent it (all its versions); True when anything changed."""
    found = read_office(section, package_name)
    if found is None:
        return False
    code, versions = found
    unit_id = session.scalar(select(Unit.id).where(Unit.code == code))
    own = profile.office_unit(session, None, clock.today())
    if partner.above or unit_id is None or unit_id != partner.unit_id or unit_id == own:
        return False   # not an office below us that the partner leads: never ours, never the level above's
    kept = [profile.ProfileInput(**{name: getattr(row, name) for name in profile.FIELDS}) for row in session.scalars(
        select(OfficeProfile).where(OfficeProfile.unit_id == unit_id, OfficeProfile.deleted_at.is_(None))
        .order_by(OfficeProfile.valid_from))]
    wanted = [profile.ProfileInput(**{**version.__dict__, "unit_id": unit_id}) for version in versions]
    if kept == wanted:
        return False
    session.execute(delete(OfficeProfile).where(OfficeProfile.unit_id == unit_id))
    for version in wanted:
        row = OfficeProfile(**version.__dict__)
        stamp_new(db, row, actor)
        touch(row, actor)
        row.origin = partner.install_id   # kept by that office: it numbers its documents on its own install
        session.add(row)
    session.flush()
    audit.record(session, actor, "nhận", "office_profile", unit_id,
                 f"Nhận thông tin cơ quan {wanted[-1].issuing_body} ({len(wanted)} phiên bản) từ gói của «{partner.name}»")
    return True
