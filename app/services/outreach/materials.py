"""Materials (tài liệu, ấn phẩm, tin bài): the record, its documents and its distribution to units.

Each kind is counted in its own measure (copies, items, articles, minutes). Printed copies and panels
are handed out to units: the stock (produced − distributed) never goes below zero. A material is
saved whole, in one transaction, and only if nobody saved it since it was opened.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.clock import utcnow
from app.db import Database
from app.models import Distribution, Document, Material, MaterialDocument, Unit
from app.models.enums import MaterialKind
from app.services import audit, closed_periods, sync, units
from app.services.auth import Actor, Permission, require
from app.services.errors import Conflict, NotFound, ValidationError
from app.services.numbers import count_text, short_date
from app.services.scope import require_unit_in_scope, scope_unit_ids
from app.services.search import clean, fold

MATERIAL_FIELDS = ("kind", "title", "unit_id", "outlet", "issued_on", "quantity", "notes")


@dataclass
class DistributionLine:
    unit_id: int | None
    quantity: int | None
    given_on: date | None
    note: str = ""
    unit_name: str = ""      # shown, never saved


@dataclass
class MaterialInput:
    kind: MaterialKind | None
    title: str
    unit_id: int | None
    issued_on: date | None
    quantity: int | None
    outlet: str = ""
    notes: str = ""
    document_ids: list[int] = field(default_factory=list)
    distribution: list[DistributionLine] = field(default_factory=list)

    @property
    def distributed(self) -> int:
        return sum(line.quantity or 0 for line in self.distribution)


@dataclass
class MaterialDetail:
    id: int
    version: int
    updated_by: str
    data: MaterialInput
    editable: bool = True     # False: handed to the clerk's units by an office above; he sees it, not edits it
    unit_name: str = ""       # the issuing unit's name (outside a clerk's tree when handed down)


def measure_text(kind: MaterialKind, quantity: int) -> str:
    """"2.400 bản", "18 tin, bài", "45 phút"."""
    return f"{count_text(quantity)} {kind.measure.label}"


# ---- checking ----------------------------------------------------------------------------------

def _check_fields(data: MaterialInput, today: date, errors: dict[str, str]) -> MaterialInput:
    kind = MaterialKind(data.kind) if data.kind else None
    title, outlet = clean(data.title), clean(data.outlet)
    if kind is None:
        errors["kind"] = "Hãy chọn loại tài liệu, ấn phẩm, tin bài."
    if not title:
        errors["title"] = "Hãy ghi tên tài liệu, ấn phẩm hoặc tiêu đề tin bài."
    elif len(title) > 300:
        errors["title"] = "Tên dài quá 300 ký tự."
    if data.unit_id is None:
        errors["unit_id"] = "Hãy chọn đơn vị thực hiện."
    if data.issued_on is None:
        errors["issued_on"] = "Hãy nhập ngày phát hành, đăng hoặc phát sóng."
    elif data.issued_on > today:
        errors["issued_on"] = "Ngày phát hành không được ở tương lai."
    measure = kind.measure.label if kind else "số lượng"
    if data.quantity is None:
        errors["quantity"] = f"Hãy nhập số lượng ({measure})."
    elif data.quantity < 0:
        errors["quantity"] = f"Số lượng ({measure}) không được âm."
    if kind is not None and kind.has_outlet and not outlet:
        errors["outlet"] = "Hãy ghi nơi đăng, phát (ví dụ Báo Lào Cai, Đài Phát thanh - Truyền hình tỉnh)."
    return replace(data, kind=kind, title=title[:300], outlet=outlet[:200], notes=clean(data.notes),
                   document_ids=list(dict.fromkeys(data.document_ids)))


def _check_distribution(session: Session, actor: Actor, data: MaterialInput, today: date,
                        errors: dict[str, str]) -> list[DistributionLine]:
    """Cleaned rows; each problem under "distribution.N" (N counted from 1, as the grid numbers rows)."""
    if data.distribution and data.kind is not None and not data.kind.measure.distributed:
        errors["distribution"] = f"{data.kind.label} không cấp phát cho đơn vị; hãy bỏ các dòng cấp phát."
        return []
    scope = scope_unit_ids(session, actor, today)
    names = dict(session.execute(select(Unit.id, Unit.code).where(
        Unit.id.in_([line.unit_id for line in data.distribution if line.unit_id]))).all())
    cleaned = []
    for number, line in enumerate(data.distribution, start=1):
        key = f"distribution.{number}"
        if line.unit_id is None or line.unit_id not in names:
            errors[key] = f"Dòng {number}: hãy chọn đơn vị nhận."
        elif scope is not None and line.unit_id not in scope:
            errors[key] = f"Dòng {number}: đơn vị nhận nằm ngoài phạm vi của bạn."
        elif line.quantity is None or line.quantity <= 0:
            errors[key] = f"Dòng {number}: số lượng cấp phát phải lớn hơn 0."
        elif line.given_on is None:
            errors[key] = f"Dòng {number}: hãy nhập ngày cấp phát."
        elif data.issued_on is not None and line.given_on < data.issued_on:
            errors[key] = (f"Dòng {number}: ngày cấp phát {short_date(line.given_on)} trước ngày phát hành "
                           f"{short_date(data.issued_on)}.")
        elif line.given_on > today:
            errors[key] = f"Dòng {number}: ngày cấp phát không được ở tương lai."
        cleaned.append(replace(line, note=clean(line.note)[:200]))
    given = sum(line.quantity or 0 for line in cleaned if (line.quantity or 0) > 0)
    if data.quantity is not None and data.quantity >= 0 and given > data.quantity and data.kind is not None:
        errors["distribution"] = (f"Cấp phát {measure_text(data.kind, given)} nhưng chỉ có "
                                  f"{measure_text(data.kind, data.quantity)}: vượt "
                                  f"{measure_text(data.kind, given - data.quantity)}.")
    return cleaned


def _validate(session: Session, actor: Actor, data: MaterialInput, today: date) -> MaterialInput:
    errors: dict[str, str] = {}
    data = _check_fields(data, today, errors)
    if data.unit_id is not None:
        unit = session.get(Unit, data.unit_id)
        if unit is None or unit.deleted_at is not None:
            errors["unit_id"] = "Hãy chọn đơn vị thực hiện."
        else:
            require_unit_in_scope(session, actor, unit.id, data.issued_on or today)
    if data.document_ids:
        live = set(session.scalars(select(Document.id).where(Document.id.in_(data.document_ids),
                                                             Document.deleted_at.is_(None))))
        if live != set(data.document_ids):
            errors["document_ids"] = "Một văn bản đã chọn không còn trong sổ văn bản."
    data = replace(data, distribution=_check_distribution(session, actor, data, today, errors))
    if errors:
        raise ValidationError(errors)
    return data


# ---- writing -----------------------------------------------------------------------------------

def _apply(material: Material, data: MaterialInput) -> None:
    for name in MATERIAL_FIELDS:
        setattr(material, name, getattr(data, name))
    material.title_folded = fold(data.title)
    material.distributed = data.distributed
    have = {link.document_id for link in material.documents}
    material.documents = [link for link in material.documents if link.document_id in set(data.document_ids)] + [
        MaterialDocument(document_id=doc_id) for doc_id in data.document_ids if doc_id not in have]
    material.distribution = [Distribution(unit_id=line.unit_id, quantity=line.quantity, given_on=line.given_on,
                                          note=line.note) for line in data.distribution]


def _summary_of(material: Material) -> dict:
    return audit.snapshot(material, MATERIAL_FIELDS) | {
        "document_ids": sorted(link.document_id for link in material.documents),
        "distribution": [[row.unit_id, row.quantity, row.given_on.isoformat()] for row in material.distribution]}


def _own_fields(material: Material) -> dict:
    """What counts the material itself (in its unit, on its issue date), apart from its distribution."""
    summary = _summary_of(material)
    summary.pop("distribution")
    return summary


def _given(material: Material) -> Counter:
    """The distribution rows as a multiset: two identical rows are two hand-outs."""
    return Counter((row.unit_id, row.quantity, row.given_on) for row in material.distribution)


def _as_read(material: Material) -> tuple[dict, int, date | None, Counter]:
    return _own_fields(material), material.unit_id, material.issued_on, _given(material)


def _require_open(session: Session, material: Material, before: tuple | None = None) -> None:
    """A closed period refuses the material's own change (its unit, on its issue date, before and after) and
    each distribution row added, changed or removed (the receiving unit, on the day given); a new row given
    this month to a material issued last month is fine. `before`: `_as_read` of the material before."""
    own, unit_id, issued_on, given = before or ({}, None, None, Counter())
    if before is None or _own_fields(material) != own:
        closed_periods.require_open(session, material.unit_id, material.issued_on, field="issued_on")
        if unit_id is not None:
            closed_periods.require_open(session, unit_id, issued_on, field="issued_on")
    now = _given(material)
    for receiver, _quantity, given_on in (now - given) + (given - now):
        closed_periods.require_open(session, receiver, given_on, field="distribution")


def create(db: Database, actor: Actor, data: MaterialInput, *, today: date | None = None) -> int:
    require(actor, Permission.EDIT_DOCUMENTS)
    with db.session_scope() as session:
        data = _validate(session, actor, data, today or clock.today())
        material = Material()
        _apply(material, data)
        _require_open(session, material)
        sync.stamp_new(db, material, actor)
        session.add(material)
        session.flush()
        audit.record(session, actor, "tạo", "material", material.id, f"Thêm {data.kind.label.lower()} «{data.title}»",
                     after=_summary_of(material))
        return material.id


def _load(session: Session, material_id: int) -> Material:
    material = session.get(Material, material_id)
    if material is None or material.deleted_at is not None:
        raise NotFound("Không tìm thấy tài liệu này (có thể đã bị xóa).")
    return material


def _conflict(material: Material) -> Conflict:
    return sync.changed_meanwhile(material, f"«{material.title}»")


def update(db: Database, actor: Actor, material_id: int, data: MaterialInput, *, expected_version: int,
           today: date | None = None) -> None:
    require(actor, Permission.EDIT_DOCUMENTS)
    try:
        with db.session_scope() as session:
            material = _load(session, material_id)
            require_unit_in_scope(session, actor, material.unit_id, material.issued_on)
            if material.version != expected_version:
                raise _conflict(material)
            data = _validate(session, actor, data, today or clock.today())
            before, as_read = _summary_of(material), _as_read(material)
            _apply(material, data)
            _require_open(session, material, as_read)
            sync.touch(material, actor)
            session.flush()
            audit.record(session, actor, "sửa", "material", material_id, f"Sửa «{data.title}»", before=before,
                         after=_summary_of(material))
    except StaleDataError:  # saved by somebody else between our read and our write: the stock was theirs
        with db.session_scope() as session:
            raise _conflict(_load(session, material_id)) from None


def delete(db: Database, actor: Actor, material_id: int, *, expected_version: int) -> None:
    require(actor, Permission.EDIT_DOCUMENTS)
    with db.session_scope() as session:
        material = _load(session, material_id)
        require_unit_in_scope(session, actor, material.unit_id, material.issued_on)
        if material.version != expected_version:
            raise _conflict(material)
        before = _summary_of(material)
        closed_periods.require_open(session, material.unit_id, material.issued_on, field="material")
        for unit_id, _quantity, given_on in _given(material):
            closed_periods.require_open(session, unit_id, given_on, field="material")
        material.deleted_at = utcnow()
        sync.touch(material, actor)
        audit.record(session, actor, "xóa", "material", material_id, f"Xóa «{material.title}»", before=before)


def get(db: Database, actor: Actor, material_id: int) -> MaterialDetail:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        material = _load(session, material_id)
        scope = scope_unit_ids(session, actor)
        own = scope is None or material.unit_id in scope
        if not own and not any(row.unit_id in scope for row in material.distribution):
            require_unit_in_scope(session, actor, material.unit_id, material.issued_on)   # refused: not his at all
        codes = dict(session.execute(select(Unit.id, Unit.code).where(
            Unit.id.in_([row.unit_id for row in material.distribution]))).all())
        data = MaterialInput(**{name: getattr(material, name) for name in MATERIAL_FIELDS},
                             document_ids=[link.document_id for link in material.documents],
                             distribution=[DistributionLine(row.unit_id, row.quantity, row.given_on, row.note,
                                                            codes.get(row.unit_id, ""))
                                           for row in material.distribution])
        return MaterialDetail(material.id, material.version, material.updated_by, data, own,
                              units.name_on(session, material.unit_id, material.issued_on) or "")


def for_document(db: Database, actor: Actor, document_id: int) -> list[tuple[int, date, MaterialKind, str, int]]:
    """Materials made for a document (its page lists them): id, date, kind, title, quantity."""
    require(actor, Permission.VIEW_MEETINGS)
    query = (select(Material.id, Material.issued_on, Material.kind, Material.title, Material.quantity)
             .join(MaterialDocument, MaterialDocument.material_id == Material.id)
             .where(MaterialDocument.document_id == document_id, Material.deleted_at.is_(None))
             .order_by(Material.issued_on, Material.id))
    with db.session_scope() as session:
        scope = scope_unit_ids(session, actor)
        if scope is not None:
            query = query.where(Material.unit_id.in_(sorted(scope)))
        return [tuple(row) for row in session.execute(query)]


def outlets_used(db: Database, actor: Actor) -> list[str]:
    """The outlets the office has written before, most used first: the dialog offers them."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        return list(session.scalars(select(Material.outlet).where(Material.outlet != "", Material.deleted_at.is_(None))
                                    .group_by(Material.outlet).order_by(func.count().desc(), Material.outlet)
                                    .limit(50)))
