"""Audit entries: written in the same transaction as the change they describe."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.models import AuditEntry

if TYPE_CHECKING:
    from app.services.auth import Actor


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def snapshot(record: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """A JSON-safe picture of the named fields (never a secret: callers choose the fields)."""
    return {name: _plain(getattr(record, name)) for name in fields}


# Every kind of record the trail speaks of, with the name the audit page shows for it: an entry of a
# kind not named here is refused, so no page ever shows a raw table name.
KINDS = {"person": "Đảng viên", "unit": "Đơn vị", "app_user": "Tài khoản", "office_profile": "Thông tin cơ quan",
         "stored_file": "Tệp đính kèm", "demo": "Dữ liệu mẫu", "meeting": "Hội nghị", "document": "Văn bản",
         "material": "Tài liệu, ấn phẩm, tin bài", "broadcast": "Nhật ký phát thanh", "database": "Cơ sở dữ liệu",
         "case": "Phản ánh, kiến nghị", "issued_report": "Báo cáo đã ban hành", "report_duty": "Lịch báo cáo",
         "report_decision": "Duyệt, trả lại báo cáo", "opinion": "Dư luận xã hội",
         "exemplar": "Mô hình, điển hình", "speaker": "Báo cáo viên",
         "unit_plan": "Kế hoạch thực hiện của đơn vị",
         "office_key": "Khóa bảo vệ danh tính người phản ánh", "exchange_partner": "Đối tác trao đổi dữ liệu",
         "reference_item": "Danh mục", "holiday_exception": "Ngày nghỉ, ngày làm bù",
         "signing_key": "Khóa ký gói trao đổi"}


def record(session: Session, actor: Actor | None, action: str, entity: str, entity_id: Any, summary: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    """One entry in the trail, in the caller's transaction; `entity` is one of KINDS."""
    session.add(AuditEntry(**_entry(actor, action, entity, entity_id, summary, before, after)))


def record_many(session: Session, actor: Actor | None, action: str, entity: str,
                entries: list[tuple[Any, str, dict[str, Any] | None]]) -> None:
    """Many entries of one kind at once, (id, summary, after) each, in one batched INSERT: an import's
    thousands of entries then keep the file locked for a moment only."""
    if entries:
        session.execute(insert(AuditEntry), [_entry(actor, action, entity, entity_id, summary, None, after)
                                             for entity_id, summary, after in entries])


def _entry(actor: Actor | None, action: str, entity: str, entity_id: Any, summary: str,
           before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    if entity not in KINDS:
        raise ValueError(f"audit: unnamed kind of record {entity!r}: add it to audit.KINDS")
    return {"at": utcnow(), "user_id": actor.user_id if actor else None,
            "username": actor.username if actor else "(hệ thống)", "action": action, "entity": entity,
            "entity_id": str(entity_id), "summary": summary[:300], "before": before, "after": after}
