"""The office profile: names, ký hiệu, signer, recipients… in versions effective from a date."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.models import OfficeProfile
from app.models.enums import HeadingStyle
from app.services import audit
from app.services.auth import Actor, Permission, require
from app.services.errors import ValidationError
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


LABELS = {
    "valid_from": "Áp dụng từ ngày", "parent_body": "Cơ quan cấp trên", "issuing_body": "Cơ quan ban hành",
    "issuing_code": "Ký hiệu cơ quan", "place_name": "Địa danh", "unit_word": "Cách gọi toàn địa bàn",
    "signer_authority": "Thẩm quyền ký", "signer_position": "Chức vụ người ký", "signer_name": "Họ tên người ký",
    "recipients": "Nơi nhận", "term": "Nhiệm kỳ", "attendance_target": "Chỉ tiêu tham dự (%)",
    "heading_style": "Kiểu đề mục",
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


def in_force_in(session: Session, on: date) -> ProfileInput | None:
    row = session.scalar(select(OfficeProfile).where(OfficeProfile.valid_from <= on, OfficeProfile.deleted_at.is_(None))
                         .order_by(OfficeProfile.valid_from.desc()).limit(1))
    return _as_input(row) if row else None


def in_force(db: Database, on: date | None = None) -> ProfileInput | None:
    """The version in force on a date (the earliest one for dates before any version)."""
    on = on or clock.today()
    with db.session_scope() as session:
        found = in_force_in(session, on)
        if found is None:
            first = session.scalar(select(OfficeProfile).where(OfficeProfile.deleted_at.is_(None))
                                   .order_by(OfficeProfile.valid_from).limit(1))
            found = _as_input(first) if first else None
        return found


def versions(db: Database) -> list[ProfileInput]:
    with db.session_scope() as session:
        rows = session.scalars(select(OfficeProfile).where(OfficeProfile.deleted_at.is_(None))
                               .order_by(OfficeProfile.valid_from))
        return [_as_input(row) for row in rows]


def save(db: Database, actor: Actor, data: ProfileInput) -> None:
    """A new version from its date; saving on the date of an existing version corrects that one."""
    require(actor, Permission.EDIT_PROFILE)
    with db.session_scope() as session:
        save_in(session, db, actor, data)


def save_in(session: Session, db: Database, actor: Actor, data: ProfileInput) -> None:
    data = validate(data)
    row = session.scalar(select(OfficeProfile).where(OfficeProfile.valid_from == data.valid_from))
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
                 f"Thông tin cơ quan áp dụng từ {data.valid_from:%d/%m/%Y}", before=before,
                 after=audit.snapshot(row, FIELDS))
