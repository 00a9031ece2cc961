"""Good examples (mô hình, điển hình tiên tiến) and their commendation, with the units that took them up.

An example is saved whole, its spread with it, in one transaction, and only if nobody saved it since it
was opened. Its unit and each unit that took it up lie in the clerk's scope; a recognition or an uptake is
never dated in the future.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.clock import utcnow
from app.db import Database
from app.models import Document, Exemplar, ExemplarSpread, Unit
from app.models.enums import Commendation, ExemplarKind
from app.services import audit, closed_periods, sync, units
from app.services.auth import Actor, Permission, require
from app.services.errors import NotFound, ValidationError
from app.services.numbers import short_date
from app.services.scope import require_unit_in_scope, scope_unit_ids
from app.services.search import clean, fold

FIELDS = ("kind", "title", "unit_id", "document_id", "recognised_on", "commendation", "awarded_by", "description")


@dataclass
class SpreadLine:
    unit_id: int | None
    since: date | None
    note: str = ""
    unit_name: str = ""      # shown, never saved


@dataclass
class ExemplarInput:
    kind: ExemplarKind | None
    title: str
    unit_id: int | None
    recognised_on: date | None
    commendation: Commendation | None
    awarded_by: str = ""
    description: str = ""
    document_id: int | None = None
    spread: list[SpreadLine] = field(default_factory=list)


@dataclass
class ExemplarDetail:
    id: int
    version: int
    updated_by: str
    data: ExemplarInput
    unit_name: str = ""


def _enum(cls, value):
    try:
        return cls(value) if value else None
    except ValueError:
        return None


def _check_fields(data: ExemplarInput, today: date, errors: dict[str, str]) -> ExemplarInput:
    kind, commendation = _enum(ExemplarKind, data.kind), _enum(Commendation, data.commendation)
    title, awarded_by = clean(data.title), clean(data.awarded_by)
    if kind is None:
        errors["kind"] = "Hãy chọn loại: mô hình, tập thể hay cá nhân điển hình."
    if not title:
        errors["title"] = "Hãy ghi tên mô hình, tập thể hoặc cá nhân điển hình."
    elif len(title) > 300:
        errors["title"] = "Tên dài quá 300 ký tự."
    if data.unit_id is None:
        errors["unit_id"] = "Hãy chọn đơn vị có mô hình, điển hình."
    if data.recognised_on is None:
        errors["recognised_on"] = "Hãy nhập ngày công nhận, khen thưởng."
    elif data.recognised_on > today:
        errors["recognised_on"] = "Ngày công nhận, khen thưởng không được ở tương lai."
    if commendation is None:
        errors["commendation"] = "Hãy chọn hình thức: phát hiện, biểu dương, giấy khen, bằng khen…"
    elif commendation.commended and not awarded_by:
        errors["awarded_by"] = f"Hãy ghi cấp khen ({commendation.label.lower()} của ai: Ban Thường vụ Huyện ủy, UBND tỉnh…)."
    if len(awarded_by) > 200:
        errors["awarded_by"] = "Cấp khen dài quá 200 ký tự."
    return replace(data, kind=kind, commendation=commendation, title=title, awarded_by=awarded_by,
                   description=clean(data.description)[:4000])


def _check_spread(session: Session, actor: Actor, data: ExemplarInput, today: date,
                  errors: dict[str, str], kept: frozenset = frozenset()) -> list[SpreadLine]:
    """Cleaned rows; each problem under "spread.N" (N counted from 1, as the grid numbers rows). A row the record
    already holds (`kept`: its (unit, since) pairs) stays even when its unit lies outside the clerk's scope: the
    district recorded it."""
    scope = scope_unit_ids(session, actor, today)
    known = set(session.scalars(select(Unit.id).where(
        Unit.id.in_([line.unit_id for line in data.spread if line.unit_id]), Unit.deleted_at.is_(None))))
    first_row: dict[int, int] = {}
    cleaned = []
    for number, line in enumerate(data.spread, start=1):
        key = f"spread.{number}"
        if line.unit_id is None or line.unit_id not in known:
            errors[key] = f"Dòng {number}: hãy chọn đơn vị nhân rộng."
        elif scope is not None and line.unit_id not in scope and (line.unit_id, line.since) not in kept:
            errors[key] = f"Dòng {number}: đơn vị nhân rộng nằm ngoài phạm vi của bạn."
        elif line.unit_id == data.unit_id:
            errors[key] = f"Dòng {number}: đơn vị nhân rộng là chính đơn vị có mô hình."
        elif line.unit_id in first_row:
            errors[key] = f"Dòng {number}: đơn vị này đã có ở dòng {first_row[line.unit_id]}."
        elif line.since is None:
            errors[key] = f"Dòng {number}: hãy nhập ngày bắt đầu nhân rộng."
        elif line.since > today:
            errors[key] = f"Dòng {number}: ngày nhân rộng {short_date(line.since)} không được ở tương lai."
        if line.unit_id is not None:
            first_row.setdefault(line.unit_id, number)
        cleaned.append(replace(line, note=clean(line.note)[:200]))
    return cleaned


def validate(session: Session, actor: Actor, data: ExemplarInput, today: date,
             kept: frozenset = frozenset()) -> ExemplarInput:
    errors: dict[str, str] = {}
    data = _check_fields(data, today, errors)
    if data.unit_id is not None:
        unit = session.get(Unit, data.unit_id)
        if unit is None or unit.deleted_at is not None:
            errors["unit_id"] = "Hãy chọn đơn vị có mô hình, điển hình."
        else:
            require_unit_in_scope(session, actor, unit.id, data.recognised_on or today)
    if data.document_id is not None and session.scalar(select(Document.id).where(
            Document.id == data.document_id, Document.deleted_at.is_(None))) is None:
        errors["document_id"] = "Văn bản đã chọn không còn trong sổ văn bản."
    data = replace(data, spread=_check_spread(session, actor, data, today, errors, kept))
    if errors:
        raise ValidationError(errors)
    return data


def apply(example: Exemplar, data: ExemplarInput) -> None:
    for name in FIELDS:
        setattr(example, name, getattr(data, name))
    example.title_folded = fold(data.title)
    example.spread = [ExemplarSpread(unit_id=line.unit_id, since=line.since, note=line.note) for line in data.spread]


def summary_of(example: Exemplar) -> dict:
    return audit.snapshot(example, FIELDS) | {
        "spread": [[row.unit_id, row.since.isoformat()] for row in example.spread]}


def _require_open(session: Session, example: Exemplar) -> None:
    closed_periods.require_open(session, example.unit_id, example.recognised_on, field="recognised_on")


def _taken_up(example: Exemplar) -> Counter:
    """The spread as a multiset of (unit, since): what section II.5 counts in each unit's period."""
    return Counter((row.unit_id, row.since) for row in example.spread)


def _require_open_spread(session: Session, changed: Counter) -> None:
    """Each row added, removed or changed lies in an open period of the unit that took the example up."""
    for unit_id, since in changed:
        closed_periods.require_open(session, unit_id, since, field="spread")


def create(db: Database, actor: Actor, data: ExemplarInput, *, today: date | None = None) -> int:
    require(actor, Permission.EDIT_MEETINGS)
    with db.session_scope() as session:
        return create_in(session, db, actor, validate(session, actor, data, today or clock.today()))


def create_in(session: Session, db: Database, actor: Actor, data: ExemplarInput) -> int:
    """Write a checked example in the caller's transaction (an import writes many in one)."""
    example = Exemplar()
    apply(example, data)
    _require_open(session, example)
    _require_open_spread(session, _taken_up(example))
    sync.stamp_new(db, example, actor)
    session.add(example)
    session.flush()
    audit.record(session, actor, "tạo", "exemplar", example.id, f"Thêm {data.kind.label.lower()} «{data.title}»",
                 after=summary_of(example))
    return example.id


def _load(session: Session, exemplar_id: int) -> Exemplar:
    example = session.get(Exemplar, exemplar_id)
    if example is None or example.deleted_at is not None:
        raise NotFound("Không tìm thấy mô hình, điển hình này (có thể đã bị xóa).")
    return example


def _mine(session: Session, actor: Actor, exemplar_id: int, expected_version: int) -> Exemplar:
    example = _load(session, exemplar_id)
    require_unit_in_scope(session, actor, example.unit_id, example.recognised_on)
    if example.version != expected_version:
        raise sync.changed_meanwhile(example, f"«{example.title}»")
    return example


def update(db: Database, actor: Actor, exemplar_id: int, data: ExemplarInput, *, expected_version: int,
           today: date | None = None) -> None:
    require(actor, Permission.EDIT_MEETINGS)
    with db.session_scope() as session:
        example = _mine(session, actor, exemplar_id, expected_version)
        had = _taken_up(example)
        today = today or clock.today()
        data = validate(session, actor, data, today, frozenset(had))
        before = summary_of(example)
        _require_open(session, example)
        apply(example, data)
        _require_open(session, example)
        now = _taken_up(example)
        scope = scope_unit_ids(session, actor, today)
        dropped = [unit_id for unit_id, _since in had - now if scope is not None and unit_id not in scope]
        if dropped:
            raise ValidationError.one("spread", f"Không bỏ được dòng nhân rộng ở {units.name_on(session, dropped[0], today)}"
                                                ": đơn vị này nằm ngoài phạm vi của bạn (cấp trên đã ghi).")
        _require_open_spread(session, (now - had) + (had - now))
        sync.touch(example, actor)
        session.flush()
        audit.record(session, actor, "sửa", "exemplar", exemplar_id, f"Sửa «{data.title}»", before=before,
                     after=summary_of(example))


def delete(db: Database, actor: Actor, exemplar_id: int, *, expected_version: int) -> None:
    require(actor, Permission.EDIT_MEETINGS)
    with db.session_scope() as session:
        example = _mine(session, actor, exemplar_id, expected_version)
        _require_open(session, example)
        _require_open_spread(session, _taken_up(example))
        before = summary_of(example)
        example.deleted_at = utcnow()
        sync.touch(example, actor)
        audit.record(session, actor, "xóa", "exemplar", exemplar_id, f"Xóa «{example.title}»", before=before)


def get(db: Database, actor: Actor, exemplar_id: int) -> ExemplarDetail:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        example = _load(session, exemplar_id)
        require_unit_in_scope(session, actor, example.unit_id, example.recognised_on)
        on = clock.today()
        data = ExemplarInput(**{name: getattr(example, name) for name in FIELDS},
                             spread=[SpreadLine(row.unit_id, row.since, row.note,
                                                units.name_on(session, row.unit_id, on) or "")
                                     for row in example.spread])
        return ExemplarDetail(example.id, example.version, example.updated_by, data,
                              units.name_on(session, example.unit_id, example.recognised_on) or "")
