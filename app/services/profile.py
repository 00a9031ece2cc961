"""Office profiles: names, ký hiệu, signer, recipients… of each office that issues documents, in versions
effective from a date.

An office leads a unit's scope: the install's own office (the district's Ban Tuyên giáo, at the top of the
tree) and, on a district server, each commune's Đảng ủy whose clerks work there. A document for a scope is
issued by the office found by walking up from the scope's unit to the nearest unit with a profile; the
whole install's documents by the own office.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.models import OfficeProfile, Unit, UnitVersion
from app.models.enums import HeadingStyle
from app.services import audit, units
from app.services.auth import Actor, Permission, require
from app.services.errors import ValidationError
from app.services.scope import scope_unit_ids
from app.services.search import clean
from app.services.sync import stamp_new, touch

TERM_PATTERN = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")
CODE_PATTERN = re.compile(r"^[A-ZĐ0-9]{2,30}$")


@dataclass
class ProfileInput:
    valid_from: date
    parent_body: str          # HUYỆN ỦY BẢO THẮNG / ĐẢNG ỦY XÃ …
    issuing_body: str         # BAN TUYÊN GIÁO / BAN XÂY DỰNG ĐẢNG
    issuing_code: str         # BTGHU
    place_name: str           # Bảo Thắng
    unit_word: str            # toàn huyện / toàn xã / toàn Đảng bộ
    signer_authority: str     # K/T TRƯỞNG BAN, T/M BAN THƯỜNG VỤ, or empty for the head
    signer_position: str      # PHÓ TRƯỞNG BAN / TRƯỞNG BAN
    signer_name: str
    recipients: str           # one line per recipient, the last "Lưu VT …"
    term: str                 # 2025-2030
    attendance_target: Decimal = Decimal("95")
    heading_style: HeadingStyle = HeadingStyle.DASH
    unit_id: int | None = None   # the unit whose office this is; None: the install's own office


LABELS = {
    "valid_from": "Áp dụng từ ngày", "parent_body": "Cơ quan cấp trên", "issuing_body": "Cơ quan ban hành",
    "issuing_code": "Ký hiệu cơ quan", "place_name": "Địa danh", "unit_word": "Cách gọi toàn địa bàn",
    "signer_authority": "Thẩm quyền ký", "signer_position": "Chức vụ người ký", "signer_name": "Họ tên người ký",
    "recipients": "Nơi nhận", "term": "Nhiệm kỳ", "attendance_target": "Chỉ tiêu tham dự (%)",
    "heading_style": "Kiểu đề mục", "unit_id": "Đơn vị",
}
REQUIRED = ("parent_body", "issuing_body", "issuing_code", "place_name", "unit_word", "signer_position",
            "signer_name", "recipients", "term")
FIELDS = tuple(f.name for f in fields(ProfileInput))


def validate(data: ProfileInput) -> ProfileInput:
    cleaned = ProfileInput(**{name: getattr(data, name) for name in FIELDS})
    for name in REQUIRED + ("signer_authority",):
        value = getattr(data, name)
        if name == "recipients":
            value = "\n".join(clean(line) for line in str(value or "").splitlines() if clean(line))
        else:
            value = clean(value)
        setattr(cleaned, name, value)
    cleaned.parent_body, cleaned.issuing_body = cleaned.parent_body.upper(), cleaned.issuing_body.upper()
    cleaned.signer_authority, cleaned.signer_position = (cleaned.signer_authority.upper(),
                                                         cleaned.signer_position.upper())
    cleaned.issuing_code = cleaned.issuing_code.upper()
    cleaned.heading_style = HeadingStyle(data.heading_style)
    errors = {name: f"«{LABELS[name]}» không được để trống." for name in REQUIRED if not getattr(cleaned, name)}
    if cleaned.issuing_code and "issuing_code" not in errors and not CODE_PATTERN.match(cleaned.issuing_code):
        errors["issuing_code"] = "Ký hiệu cơ quan chỉ gồm chữ in hoa và chữ số, không dấu cách (ví dụ BTGHU)."
    match = TERM_PATTERN.match(cleaned.term)
    if cleaned.term and (not match or int(match[2]) <= int(match[1])):
        errors["term"] = "Nhiệm kỳ ghi dạng 2025-2030 (năm kết thúc sau năm bắt đầu)."
    elif match:
        cleaned.term = f"{match[1]}-{match[2]}"
    try:
        target = Decimal(str(data.attendance_target).replace(",", "."))
        if not Decimal(0) < target <= Decimal(100):
            raise InvalidOperation
        cleaned.attendance_target = target.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors["attendance_target"] = "Chỉ tiêu tham dự là một số lớn hơn 0 và không quá 100."
    if not isinstance(data.valid_from, date):
        errors["valid_from"] = "Hãy chọn ngày áp dụng."
    if errors:
        raise ValidationError(errors)
    return cleaned


def _as_input(row: OfficeProfile) -> ProfileInput:
    return ProfileInput(**{name: getattr(row, name) for name in FIELDS})


def parent_on(session: Session, unit_id: int, on: date) -> int | None:
    """The unit's parent as the tree stood on a date (its first version's for a date before it)."""
    rows = session.execute(select(UnitVersion.valid_from, UnitVersion.parent_id).where(UnitVersion.unit_id == unit_id)
                           .order_by(UnitVersion.valid_from)).all()
    before = [parent for valid_from, parent in rows if valid_from <= on]
    return before[-1] if before else (rows[0].parent_id if rows else None)


def office_units(session: Session) -> set[int]:
    return set(session.scalars(select(OfficeProfile.unit_id).where(OfficeProfile.deleted_at.is_(None)).distinct()))


def office_unit(session: Session, unit_id: int | None, on: date) -> int | None:
    """The unit whose office leads `unit_id`'s scope on a date: the unit itself or its nearest ancestor with
    a profile; for the whole install (None), the own office, the one no other office is above."""
    offices = office_units(session)
    if not offices:
        return None
    # Every office's chain up the tree: read the tree once (one query, not one per step and office: a district
    # whose every commune has its office walked 600 steps, a quarter of a second, on each report's figures).
    parents = (dict(session.execute(units.in_force(on).with_only_columns(Unit.id, UnitVersion.parent_id)).all())
               if unit_id is None else {})
    chains = {}
    for start in ([unit_id] if unit_id is not None else sorted(offices)):
        chain, current = [], start
        while current is not None and current not in chain:   # a cycle can only come from a hand-edited file
            chain.append(current)
            current = parents[current] if current in parents else parent_on(session, current, on)
        chains[start] = chain
    if unit_id is not None:
        found = next((unit for unit in chains[unit_id] if unit in offices), None)
        if found is not None:
            return found
        return office_unit(session, None, on)
    return min(offices, key=lambda unit: (sum(step in offices for step in chains[unit]), len(chains[unit]), unit))


def in_force_in(session: Session, on: date, unit_id: int | None = None) -> ProfileInput | None:
    """The profile of the office leading `unit_id`'s scope (the own office for None) in force on a date."""
    office = office_unit(session, unit_id, on)
    row = session.scalar(select(OfficeProfile).where(OfficeProfile.unit_id == office, OfficeProfile.valid_from <= on,
                                                     OfficeProfile.deleted_at.is_(None))
                         .order_by(OfficeProfile.valid_from.desc()).limit(1))
    return _as_input(row) if row else None


def in_force(db: Database, on: date | None = None, unit_id: int | None = None) -> ProfileInput | None:
    """The version in force on a date (the earliest one for dates before any version) of the office leading
    `unit_id`'s scope."""
    on = on or clock.today()
    with db.session_scope() as session:
        return in_force_in(session, on, unit_id) or _earliest(session, unit_id, on)


def _earliest(session: Session, unit_id: int | None, on: date) -> ProfileInput | None:
    first = session.scalar(select(OfficeProfile).where(OfficeProfile.unit_id == office_unit(session, unit_id, on),
                                                       OfficeProfile.deleted_at.is_(None))
                           .order_by(OfficeProfile.valid_from).limit(1))
    return _as_input(first) if first else None


def issuer_in(session: Session, actor: Actor, on: date, unit_id: int | None = None, *,
              earliest: bool = False) -> ProfileInput | None:
    """The office issuing what `actor` makes for `unit_id` (his own unit when he is limited to one), in
    force on a date (`earliest`: or its first version). A clerk never issues under an office above his
    units: when his commune has no profile yet, he is told to have one made."""
    if unit_id is None and actor.limited_to_unit:
        unit_id = actor.unit_id
    found = in_force_in(session, on, unit_id) or (_earliest(session, unit_id, on) if earliest else None)
    scope = scope_unit_ids(session, actor, on)
    if found is not None and scope is not None and found.unit_id not in scope:
        name = units.name_on(session, unit_id, on) if unit_id else "đơn vị của bạn"
        raise ValidationError.one("office", f"«{name}» chưa có thông tin cơ quan ban hành (tên, ký hiệu, người ký, nơi "
                                            "nhận): quản trị viên hãy nhập ở trang «Thông tin cơ quan». Văn bản của "
                                            "đơn vị không ban hành dưới tên cơ quan cấp trên.")
    return found


def for_actor(db: Database, actor: Actor, on: date | None = None, unit_id: int | None = None) -> ProfileInput | None:
    """`issuer_in` in its own transaction, the earliest version for dates before any."""
    with db.session_scope() as session:
        return issuer_in(session, actor, on or clock.today(), unit_id, earliest=True)


@dataclass(frozen=True)
class Office:
    unit_id: int
    unit_name: str            # Đảng bộ xã Phong Niên
    issuing_body: str         # ĐẢNG ỦY XÃ PHONG NIÊN (its current version)
    own: bool                 # the install's own office


def offices(db: Database) -> list[Office]:
    """The offices that issue documents in this install: the own office first, then by unit name."""
    today = clock.today()
    with db.session_scope() as session:
        own = office_unit(session, None, today)
        found = []
        for unit_id in office_units(session):
            current = in_force_in(session, today, unit_id) or _earliest(session, unit_id, today)
            found.append(Office(unit_id, units.name_on(session, unit_id, today) or "", current.issuing_body,
                                unit_id == own))
    return sorted(found, key=lambda office: (not office.own, office.unit_name))


def versions(db: Database, unit_id: int | None = None) -> list[ProfileInput]:
    """Every version of one office's profile (the own office's for None), oldest first."""
    with db.session_scope() as session:
        office = unit_id if unit_id is not None else office_unit(session, None, clock.today())
        rows = session.scalars(select(OfficeProfile).where(OfficeProfile.unit_id == office,
                                                           OfficeProfile.deleted_at.is_(None))
                               .order_by(OfficeProfile.valid_from))
        return [_as_input(row) for row in rows]


def save(db: Database, actor: Actor, data: ProfileInput) -> None:
    """A new version from its date; saving on the date of an existing version corrects that one."""
    require(actor, Permission.EDIT_PROFILE)
    with db.session_scope() as session:
        save_in(session, db, actor, data)


def save_in(session: Session, db: Database, actor: Actor, data: ProfileInput) -> None:
    data = validate(data)
    if data.unit_id is None:
        data.unit_id = office_unit(session, None, data.valid_from) or _top_unit(session)
    elif session.get(Unit, data.unit_id) is None:
        raise ValidationError.one("unit_id", "Đơn vị của cơ quan này không có trong cây đơn vị.")
    row = session.scalar(select(OfficeProfile).where(OfficeProfile.unit_id == data.unit_id,
                                                     OfficeProfile.valid_from == data.valid_from))
    before = audit.snapshot(row, FIELDS) if row else None
    if row is None:
        row = OfficeProfile()
        stamp_new(db, row, actor)
        session.add(row)
    for name in FIELDS:
        setattr(row, name, getattr(data, name))
    touch(row, actor)
    session.flush()
    audit.record(session, actor, "sửa" if before else "tạo", "office_profile", row.id,
                 f"Thông tin cơ quan {data.issuing_body} áp dụng từ {data.valid_from:%d/%m/%Y}", before=before,
                 after=audit.snapshot(row, FIELDS))


def _top_unit(session: Session) -> int | None:
    """The unit at the top of the tree: the own office's, when the first profile is saved at setup."""
    has_parent = select(UnitVersion.unit_id).where(UnitVersion.parent_id.is_not(None))
    return session.scalar(select(UnitVersion.unit_id).where(UnitVersion.unit_id.not_in(has_parent))
                          .order_by(UnitVersion.unit_id).limit(1))
