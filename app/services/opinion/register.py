"""Entries of public opinion: what was heard, where, among whom, which way it leans, what was done.

An entry is about a topic and groups of people, never about a person: the register holds no names,
no phone or identity numbers (a text that carries one is refused), so it needs none of the case
register's protection. Each entry is saved whole, in one transaction, and only if nobody saved it since
it was opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock
from app.clock import utcnow
from app.db import Database
from app.models import Document, Opinion, OpinionAmong, Unit
from app.models.enums import OpinionGroup, OpinionTendency
from app.services import audit, closed_periods, sync, units
from app.services.auth import Actor, Permission, require
from app.services.errors import NotFound, ValidationError
from app.services.numbers import count_text
from app.services.scope import require_unit_in_scope
from app.services.search import clean, fold

FIELDS = ("unit_id", "noted_on", "topic", "heard_at", "tendency", "content", "action", "reported_up", "document_id")
TEXT_LIMITS = {"topic": 300, "heard_at": 200, "content": 4000, "action": 4000}
# What names a person by number: a phone (0912 345 678, 0912.345.678, 0214-3856-789) or an identity number (CMND
# of 9 digits, CCCD of 12); an amount such as 500.000.000 đồng is neither.
NUMBER_OF_A_PERSON = re.compile(r"(?<![\d.,])(?:0\d{2,3}[\s.\-]?\d{3,4}[\s.\-]?\d{3,4}|\d{12}|\d{9})(?![\d.,]?\d)")


@dataclass
class OpinionInput:
    unit_id: int | None
    noted_on: date | None
    topic: str
    heard_at: str
    tendency: OpinionTendency | None
    groups: list[OpinionGroup] = field(default_factory=list)
    content: str = ""
    action: str = ""
    reported_up: bool = False
    document_id: int | None = None


@dataclass
class OpinionDetail:
    id: int
    version: int
    updated_by: str
    data: OpinionInput
    unit_name: str = ""


def _check_texts(data: OpinionInput, errors: dict[str, str]) -> OpinionInput:
    texts = {name: clean(getattr(data, name)) for name in TEXT_LIMITS}
    if not texts["topic"]:
        errors["topic"] = "Hãy ghi vấn đề, chủ đề được dư luận quan tâm."
    if not texts["heard_at"]:
        errors["heard_at"] = "Hãy ghi nơi nắm bắt (họp chi bộ, họp thôn, tiếp xúc cử tri, mạng xã hội…)."
    if not texts["content"]:
        errors["content"] = "Hãy ghi tóm tắt ý kiến, dư luận."
    labels = {"topic": "Vấn đề", "heard_at": "Nơi nắm bắt", "content": "Nội dung", "action": "Đã xử lý, báo cáo"}
    for name, text in texts.items():
        if len(text) > TEXT_LIMITS[name]:
            errors[name] = f"{labels[name]} dài quá {count_text(TEXT_LIMITS[name])} ký tự."
        elif NUMBER_OF_A_PERSON.search(text):
            errors[name] = (f"{labels[name]}: không ghi số điện thoại, số căn cước của người phát biểu; sổ dư luận "
                            "không lưu danh tính ai.")
    return replace(data, **texts)


def _validate(session: Session, actor: Actor, data: OpinionInput, today: date) -> OpinionInput:
    errors: dict[str, str] = {}
    data = _check_texts(data, errors)
    try:
        tendency = OpinionTendency(data.tendency) if data.tendency else None
    except ValueError:
        tendency = None
    if tendency is None:
        errors["tendency"] = "Hãy chọn chiều hướng: tích cực, trái chiều hay đáng lo ngại."
    try:
        groups = sorted({OpinionGroup(group) for group in data.groups}, key=list(OpinionGroup).index)
    except ValueError:
        groups = []
        errors["groups"] = "Đối tượng không có trong danh sách."
    if not groups and "groups" not in errors:
        errors["groups"] = "Hãy chọn ít nhất một đối tượng (cán bộ, đảng viên; nông dân; thanh niên…)."
    if data.noted_on is None:
        errors["noted_on"] = "Hãy nhập ngày nắm bắt."
    elif data.noted_on > today:
        errors["noted_on"] = "Ngày nắm bắt không được ở tương lai."
    if data.unit_id is None:
        errors["unit_id"] = "Hãy chọn đơn vị nắm bắt."
    else:
        unit = session.get(Unit, data.unit_id)
        if unit is None or unit.deleted_at is not None:
            errors["unit_id"] = "Hãy chọn đơn vị nắm bắt."
        else:
            require_unit_in_scope(session, actor, unit.id, data.noted_on or today)
    if data.document_id is not None and session.scalar(select(Document.id).where(
            Document.id == data.document_id, Document.deleted_at.is_(None))) is None:
        errors["document_id"] = "Văn bản đã chọn không còn trong sổ văn bản."
    if errors:
        raise ValidationError(errors)
    return replace(data, tendency=tendency, groups=groups, reported_up=bool(data.reported_up))


def _apply(entry: Opinion, data: OpinionInput) -> None:
    for name in FIELDS:
        setattr(entry, name, getattr(data, name))
    entry.topic_folded = fold(data.topic)
    have = {row.group: row for row in entry.groups}
    entry.groups = [have.get(group) or OpinionAmong(group=group) for group in data.groups]


def _summary_of(entry: Opinion) -> dict:
    return audit.snapshot(entry, FIELDS) | {"groups": [row.group.value for row in entry.groups]}


def _load(session: Session, opinion_id: int) -> Opinion:
    entry = session.get(Opinion, opinion_id)
    if entry is None or entry.deleted_at is not None:
        raise NotFound("Không tìm thấy ý kiến, dư luận này (có thể đã bị xóa).")
    return entry


def _mine(session: Session, actor: Actor, opinion_id: int, expected_version: int) -> Opinion:
    entry = _load(session, opinion_id)
    require_unit_in_scope(session, actor, entry.unit_id, entry.noted_on)
    if entry.version != expected_version:
        raise sync.changed_meanwhile(entry, f"Ý kiến «{entry.topic}»")
    return entry


def create(db: Database, actor: Actor, data: OpinionInput, *, today: date | None = None) -> int:
    require(actor, Permission.EDIT_MEETINGS)
    with db.session_scope() as session:
        data = _validate(session, actor, data, today or clock.today())
        closed_periods.require_open(session, data.unit_id, data.noted_on, field="noted_on")
        entry = Opinion()
        _apply(entry, data)
        sync.stamp_new(db, entry, actor)
        session.add(entry)
        session.flush()
        audit.record(session, actor, "tạo", "opinion", entry.id, f"Ghi dư luận «{data.topic}»",
                     after=_summary_of(entry))
        return entry.id


def update(db: Database, actor: Actor, opinion_id: int, data: OpinionInput, *, expected_version: int,
           today: date | None = None) -> None:
    require(actor, Permission.EDIT_MEETINGS)
    with db.session_scope() as session:
        entry = _mine(session, actor, opinion_id, expected_version)
        data = _validate(session, actor, data, today or clock.today())
        before = _summary_of(entry)
        closed_periods.require_open(session, entry.unit_id, entry.noted_on, field="noted_on")
        closed_periods.require_open(session, data.unit_id, data.noted_on, field="noted_on")
        _apply(entry, data)
        sync.touch(entry, actor)
        session.flush()
        audit.record(session, actor, "sửa", "opinion", opinion_id, f"Sửa dư luận «{data.topic}»", before=before,
                     after=_summary_of(entry))


def delete(db: Database, actor: Actor, opinion_id: int, *, expected_version: int) -> None:
    require(actor, Permission.EDIT_MEETINGS)
    with db.session_scope() as session:
        entry = _mine(session, actor, opinion_id, expected_version)
        closed_periods.require_open(session, entry.unit_id, entry.noted_on, field="opinion")
        before = _summary_of(entry)
        entry.deleted_at = utcnow()
        sync.touch(entry, actor)
        audit.record(session, actor, "xóa", "opinion", opinion_id, f"Xóa dư luận «{entry.topic}»", before=before)


def get(db: Database, actor: Actor, opinion_id: int) -> OpinionDetail:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        entry = _load(session, opinion_id)
        require_unit_in_scope(session, actor, entry.unit_id, entry.noted_on)
        data = OpinionInput(**{name: getattr(entry, name) for name in FIELDS},
                            groups=[group for group in OpinionGroup if group in {row.group for row in entry.groups}])
        return OpinionDetail(entry.id, entry.version, entry.updated_by, data,
                             units.name_on(session, entry.unit_id, entry.noted_on) or "")


def places_used(db: Database, actor: Actor) -> list[str]:
    """Where the office has heard opinion before, most used first: the dialog offers them."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        return list(session.scalars(select(Opinion.heard_at).where(Opinion.deleted_at.is_(None))
                                    .group_by(Opinion.heard_at).order_by(func.count().desc(), Opinion.heard_at)
                                    .limit(50)))
