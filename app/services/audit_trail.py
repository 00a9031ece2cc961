"""The audit trail as people read it: entries filtered and paged, each record kind and field named in
Vietnamese, stored values shown as the user knows them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from app.clock import utc_start_of
from app.models import AuditEntry
from app.services.audit import KINDS
from app.services.auth import Actor, Permission, require

ENTITY_LABELS = KINDS   # the page's names for each kind of record, from the one list
FIELD_LABELS = {
    "full_name": "Họ và tên", "birth_year": "Năm sinh", "gender": "Giới tính", "ethnicity": "Dân tộc",
    "position": "Chức vụ", "party_member": "Là đảng viên", "unit_id": "Đơn vị (số hiệu)", "status": "Trạng thái",
    "since": "Từ ngày", "note": "Ghi chú", "name": "Tên", "code": "Mã", "kind": "Loại",
    "parent_id": "Đơn vị cấp trên (số hiệu)", "valid_from": "Hiệu lực từ", "username": "Tên đăng nhập",
    "role": "Vai trò", "active": "Đang hoạt động", "file": "Tệp", "added": "Số người đã nhập",
    "rejected": "Số dòng lỗi", "on": "Ngày", "held_on": "Ngày tổ chức", "starts_at": "Bắt đầu",
    "ends_at": "Kết thúc", "title": "Tên hội nghị", "form": "Hình thức", "bridge_points": "Số điểm cầu",
    "place": "Địa điểm", "chair": "Chủ trì", "audience": "Thành phần", "notes": "Ghi chú",
    "expected": "Số phải dự", "present": "Có mặt", "excused": "Vắng có lý do", "unexcused": "Vắng không lý do",
    "made_up": "Đã học bù", "guests": "Khách mời", "crowd": "Quần chúng", "marks": "Điểm danh thay đổi",
    "person_id": "Người (số hiệu)", "how": "Hình thức học bù", "number": "Số, ký hiệu", "issuer": "Cơ quan ban hành",
    "issued_on": "Ngày ban hành", "summary": "Trích yếu", "file_name": "Tệp văn bản", "deadline": "Thời hạn",
    "target": "Chỉ tiêu tham dự (%)", "implements_ids": "Thực hiện văn bản (số hiệu)",
    "required_unit_ids": "Đơn vị phải thực hiện (số hiệu)", "outlet": "Nơi đăng, phát", "quantity": "Số lượng",
    "document_ids": "Văn bản (số hiệu)", "distribution": "Cấp phát (đơn vị, số lượng, ngày)",
    # a case as received (never the reporter: sealed, not audited)
    "received_on": "Ngày tiếp nhận", "receiving_unit_id": "Đơn vị tiếp nhận (số hiệu)", "anonymous": "Nặc danh",
    "information_only": "Chỉ để tham khảo", "reported_name": "Người bị phản ánh", "reported_position": "Chức vụ",
    "reported_unit_id": "Đơn vị công tác (số hiệu)", "reported_is_member": "Là đảng viên",
    "reported_is_key_cadre": "Cán bộ chủ chốt", "reported_is_head": "Người đứng đầu",
    # Danh mục entries
    "list": "Danh mục", "grouping": "Nhóm", "regime": "Chế độ", "retired_at": "Thôi dùng từ",
    # other changes
    "deactivated_on": "Ngừng hoạt động từ", "lines": "Số dòng", "times": "Số lượt phát", "decisions": "Quyết định",
    "pdf": "Bản PDF (mã kiểm tra)", "replaces": "Thay thế báo cáo số", "reason": "Lý do",
    # the schedule of reports owed
    "due_day": "Hạn nộp (ngày)", "months_after": "Hạn nộp (số tháng sau kỳ)",
    # the office's profile, in its own page's words
    "parent_body": "Cơ quan cấp trên", "issuing_body": "Cơ quan ban hành", "issuing_code": "Ký hiệu cơ quan",
    "place_name": "Địa danh", "unit_word": "Cách gọi toàn địa bàn", "signer_authority": "Thẩm quyền ký",
    "signer_position": "Chức vụ người ký", "signer_name": "Họ tên người ký", "recipients": "Nơi nhận",
    "term": "Nhiệm kỳ", "attendance_target": "Chỉ tiêu tham dự (%)", "heading_style": "Kiểu đề mục"}


@dataclass(frozen=True)
class AuditFilter:
    username: str | None = None
    entity: str | None = None
    since: date | None = None    # inclusive, local dates as the user picks them
    until: date | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def entity_label(self) -> str:
        return ENTITY_LABELS.get(self.entity, self.entity)

    def changes(self) -> list[tuple[str, str, str]]:
        """(field, before, after) for each field that differs, in Vietnamese where known."""
        before, after = self.before or {}, self.after or {}
        keys = list(dict.fromkeys([*before, *after]))
        return [(FIELD_LABELS.get(key, key), shown_value(key, before.get(key)), shown_value(key, after.get(key)))
                for key in keys if before.get(key) != after.get(key)]


def _value_labels() -> dict[str, dict[str, str]]:
    from app.models.enums import (
        DocumentKind,
        Gender,
        MeetingForm,
        MeetingKind,
        MeetingStatus,
        MembershipStatus,
        Role,
        UnitKind,
    )

    # Values of different enums never collide, so one field name may carry several of them.
    by_field = {"gender": (Gender,), "status": (MembershipStatus, MeetingStatus), "role": (Role,),
                "kind": (UnitKind, MeetingKind, DocumentKind), "form": (MeetingForm,)}
    return {key: {member.value: member.label for labeled in enums for member in labeled}
            for key, enums in by_field.items()}


def shown_value(key: str, value: Any) -> str:
    """A stored value as the user knows it: "Nữ", not "female"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "có" if value else "không"
    return _value_labels().get(key, {}).get(value, str(value))


_ROW_COLUMNS = select(AuditEntry.id, AuditEntry.at, AuditEntry.username, AuditEntry.action, AuditEntry.entity,
                      AuditEntry.entity_id, AuditEntry.summary, AuditEntry.before, AuditEntry.after)


def history(session: Session, entity: str, entity_id: Any) -> list[AuditRow]:
    """One record's history, oldest first (used by tests and the detail dialogs)."""
    rows = session.execute(_ROW_COLUMNS.where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
                           .order_by(AuditEntry.at, AuditEntry.id))
    return [AuditRow(*row) for row in rows]


def _audit_query(actor: Actor, flt: AuditFilter):
    require(actor, Permission.VIEW_AUDIT)
    query = _ROW_COLUMNS
    if flt.username:
        query = query.where(AuditEntry.username == flt.username)
    if flt.entity:
        query = query.where(AuditEntry.entity == flt.entity)
    if flt.since:
        query = query.where(AuditEntry.at >= utc_start_of(flt.since))
    if flt.until:
        query = query.where(AuditEntry.at < utc_start_of(flt.until + timedelta(days=1)))
    return query


def list_page(db, actor: Actor, flt: AuditFilter, *, after: tuple[datetime, int] | None = None,
              limit: int = 200) -> list[AuditRow]:
    """Newest first, paged by key (at, id)."""
    query = _audit_query(actor, flt)
    if after is not None:
        query = query.where(tuple_(AuditEntry.at, AuditEntry.id) < tuple_(*after))
    with db.session_scope() as session:
        rows = session.execute(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit))
        return [AuditRow(*row) for row in rows]


def count(db, actor: Actor, flt: AuditFilter) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(_audit_query(actor, flt).subquery()))


def usernames(db, actor: Actor) -> list[str]:
    """Everyone who appears in the trail (for the filter), including accounts since removed."""
    with db.session_scope() as session:
        return list(session.scalars(_audit_query(actor, AuditFilter()).with_only_columns(AuditEntry.username)
                                    .distinct().order_by(AuditEntry.username)))
