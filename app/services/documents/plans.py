"""Units' own plans implementing a tracked document (cụ thể hóa thành chương trình, kế hoạch).

A plan belongs to one of the document's required units and names its number and day; one plan per unit
and document (a second is refused, the first named). A clerk records the plans of his own units; the
coverage view reads them beside the sessions held.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.clock import utcnow
from app.db import Database
from app.models import Document, RequiredUnit, Unit, UnitPlan
from app.services import audit, closed_periods, sync, units
from app.services.auth import Actor, Permission, require
from app.services.errors import NotFound, ValidationError
from app.services.numbers import cited_date, short_date
from app.services.scope import require_unit_in_scope
from app.services.search import clean

FIELDS = ("document_id", "unit_id", "number", "issued_on", "summary")
PLAN_NAMESPACE = uuid.UUID("0b8f6f3e-5a0c-4c1e-8f57-7d4f2c9e1a21")


@dataclass
class PlanInput:
    document_id: int
    unit_id: int | None
    number: str
    issued_on: date | None
    summary: str = ""


@dataclass(frozen=True)
class PlanRow:
    id: int
    version: int
    unit_id: int
    number: str
    issued_on: date
    summary: str

    @property
    def label(self) -> str:
        """"số 15-KH/ĐU, ngày 12/01/2025"."""
        return f"số {self.number}, ngày {cited_date(self.issued_on)}"


def _validate(session: Session, actor: Actor, data: PlanInput, today: date, plan_id: int | None) -> PlanInput:
    errors: dict[str, str] = {}
    document = session.execute(select(Document.number, Document.issued_on).where(
        Document.id == data.document_id, Document.deleted_at.is_(None))).first()
    if document is None:
        raise NotFound("Không tìm thấy văn bản này (có thể đã bị xóa).")
    number, summary = clean(data.number), clean(data.summary)
    if not number:
        errors["number"] = "Hãy ghi số kế hoạch của đơn vị (ví dụ 15-KH/ĐU)."
    elif len(number) > 40:
        errors["number"] = "Số kế hoạch dài quá 40 ký tự."
    if data.issued_on is None:
        errors["issued_on"] = "Hãy nhập ngày ban hành kế hoạch."
    elif data.issued_on > today:
        errors["issued_on"] = "Ngày ban hành kế hoạch không được ở tương lai."
    elif data.issued_on < document.issued_on:
        errors["issued_on"] = (f"Kế hoạch ngày {short_date(data.issued_on)} trước ngày ban hành văn bản "
                               f"{document.number} ({short_date(document.issued_on)}).")
    required = set(session.scalars(select(RequiredUnit.unit_id).where(RequiredUnit.document_id == data.document_id)))
    if data.unit_id is None:
        errors["unit_id"] = "Hãy chọn đơn vị ban hành kế hoạch."
    elif data.unit_id not in required:
        name = units.name_on(session, data.unit_id, data.issued_on or today) or "Đơn vị này"
        errors["unit_id"] = f"{name} không thuộc các đơn vị phải thực hiện văn bản {document.number}."
    else:
        require_unit_in_scope(session, actor, data.unit_id, data.issued_on or today)
        other = session.execute(select(UnitPlan.number, UnitPlan.issued_on).where(
            UnitPlan.document_id == data.document_id, UnitPlan.unit_id == data.unit_id,
            UnitPlan.deleted_at.is_(None), UnitPlan.id != (plan_id or 0))).first()
        if other is not None:
            errors["unit_id"] = (f"Đơn vị đã có kế hoạch số {other.number}, ngày {cited_date(other.issued_on)} thực "
                                 f"hiện văn bản {document.number}; hãy sửa kế hoạch đó.")
    if len(summary) > 300:
        errors["summary"] = "Trích yếu dài quá 300 ký tự."
    if errors:
        raise ValidationError(errors)
    return replace(data, number=number, summary=summary)


def plan_uid(session: Session, document_id: int, unit_id: int) -> uuid.UUID:
    """A unit's plan for a document is one record wherever it is entered (the commune, or the district for it):
    its uid comes from the two, so two installs' entries meet as one record, a conflict to decide, not two."""
    document_uid = session.scalar(select(Document.uid).where(Document.id == document_id))
    unit_uid = session.scalar(select(Unit.uid).where(Unit.id == unit_id))
    return uuid.uuid5(PLAN_NAMESPACE, f"{document_uid}|{unit_uid}")


def create(db: Database, actor: Actor, data: PlanInput, *, today: date | None = None) -> int:
    require(actor, Permission.EDIT_DOCUMENTS)
    with db.session_scope() as session:
        data = _validate(session, actor, data, today or clock.today(), None)
        closed_periods.require_open(session, data.unit_id, data.issued_on, field="issued_on")
        uid = plan_uid(session, data.document_id, data.unit_id)
        plan = session.scalar(select(UnitPlan).where(UnitPlan.uid == uid))   # one deleted before: it comes back
        if plan is None:
            plan = UnitPlan(uid=uid)
            session.add(plan)
        for name in FIELDS:
            setattr(plan, name, getattr(data, name))
        plan.deleted_at = None
        sync.stamp_new(db, plan, actor)
        session.flush()
        audit.record(session, actor, "tạo", "unit_plan", plan.id, f"Ghi kế hoạch số {data.number} của đơn vị",
                     after=audit.snapshot(plan, FIELDS))
        return plan.id


def _mine(session: Session, actor: Actor, plan_id: int, expected_version: int) -> UnitPlan:
    plan = session.get(UnitPlan, plan_id)
    if plan is None or plan.deleted_at is not None:
        raise NotFound("Không tìm thấy kế hoạch này (có thể đã bị xóa).")
    require_unit_in_scope(session, actor, plan.unit_id, plan.issued_on)
    if plan.version != expected_version:
        raise sync.changed_meanwhile(plan, f"Kế hoạch số {plan.number}")
    closed_periods.require_open(session, plan.unit_id, plan.issued_on, field="issued_on")
    return plan


def update(db: Database, actor: Actor, plan_id: int, data: PlanInput, *, expected_version: int,
           today: date | None = None) -> None:
    require(actor, Permission.EDIT_DOCUMENTS)
    with db.session_scope() as session:
        plan = _mine(session, actor, plan_id, expected_version)
        data = _validate(session, actor, replace(data, document_id=plan.document_id), today or clock.today(), plan_id)
        closed_periods.require_open(session, data.unit_id, data.issued_on, field="issued_on")
        before = audit.snapshot(plan, FIELDS)
        for name in FIELDS:
            setattr(plan, name, getattr(data, name))
        sync.touch(plan, actor)
        session.flush()
        audit.record(session, actor, "sửa", "unit_plan", plan_id, f"Sửa kế hoạch số {data.number} của đơn vị",
                     before=before, after=audit.snapshot(plan, FIELDS))


def delete(db: Database, actor: Actor, plan_id: int, *, expected_version: int) -> None:
    require(actor, Permission.EDIT_DOCUMENTS)
    with db.session_scope() as session:
        plan = _mine(session, actor, plan_id, expected_version)
        before = audit.snapshot(plan, FIELDS)
        plan.deleted_at = utcnow()
        sync.touch(plan, actor)
        audit.record(session, actor, "xóa", "unit_plan", plan_id, f"Xóa kế hoạch số {plan.number} của đơn vị",
                     before=before)


def of_document(session: Session, document_id: int, as_of: date | None = None) -> dict[int, PlanRow]:
    """Each unit's plan for the document (issued by `as_of` when given), by unit."""
    query = select(UnitPlan.id, UnitPlan.version, UnitPlan.unit_id, UnitPlan.number, UnitPlan.issued_on,
                   UnitPlan.summary).where(UnitPlan.document_id == document_id, UnitPlan.deleted_at.is_(None))
    if as_of is not None:
        query = query.where(UnitPlan.issued_on <= as_of)
    found: dict[int, PlanRow] = {}
    for row in session.execute(query.order_by(UnitPlan.issued_on.desc(), UnitPlan.id.desc())):
        found[row.unit_id] = PlanRow(*row)   # the earliest stands, should two ever be held
    return found


def for_document(db: Database, actor: Actor, document_id: int) -> dict[int, PlanRow]:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        return of_document(session, document_id)
