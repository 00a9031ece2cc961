"""The unit tree with its history: names and parents change by dated versions.

A report for 2024 asks for the tree on a 2024 date and gets 2024's names and parents.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, exists, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from app import clock
from app.clock import utcnow
from app.db import Database
from app.models import Case, Membership, Unit, UnitVersion, User
from app.models.enums import MembershipStatus, UnitKind
from app.services import audit
from app.services.auth import Actor, Permission, require
from app.services.errors import NotFound, ValidationError
from app.services.search import clean, fold
from app.services.sync import stamp_new, touch

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}$")


@dataclass(frozen=True)
class UnitNode:
    id: int
    code: str
    name: str
    kind: UnitKind
    parent_id: int | None
    deactivated_on: date | None
    version: int

    @property
    def active(self) -> bool:
        return self.deactivated_on is None


@dataclass(frozen=True)
class UnitHistoryRow:
    valid_from: date
    name: str
    parent_name: str | None


def in_force(on: date) -> Select:
    """Each unit's version in force on a date (units created later are absent)."""
    latest = (select(UnitVersion.unit_id, func.max(UnitVersion.valid_from).label("valid_from"))
              .where(UnitVersion.valid_from <= on).group_by(UnitVersion.unit_id).subquery())
    return (select(Unit.id, Unit.code, UnitVersion.name, Unit.kind, UnitVersion.parent_id, Unit.deactivated_on,
                   Unit.version)
            .join(latest, latest.c.unit_id == Unit.id)
            .join(UnitVersion, (UnitVersion.unit_id == Unit.id) & (UnitVersion.valid_from == latest.c.valid_from))
            .where(Unit.deleted_at.is_(None)))


def names_subquery(on: date):
    """(unit_id, name) of every unit in force on a day, to join lists against."""
    return in_force(on).with_only_columns(Unit.id.label("unit_id"), UnitVersion.name.label("name")).subquery()


def name_column(unit_id, on: date):
    """The name in force on a day of the unit in `unit_id` (a column), looked up row by row: cheaper than
    joining every unit's names when a list reads only a page of rows in its own index order."""
    return (select(UnitVersion.name).where(UnitVersion.unit_id == unit_id, UnitVersion.valid_from <= on)
            .order_by(UnitVersion.valid_from.desc()).limit(1).scalar_subquery())


def nodes_on(session: Session, on: date) -> list[UnitNode]:
    """The whole tree on a date, depth-first, children by name (a few hundred rows at most)."""
    # Sorted by the stored folded name in SQL: folding a thousand names in Python cost more than the query.
    nodes = [UnitNode(*row) for row in session.execute(in_force(on).order_by(UnitVersion.name_folded, Unit.id))]
    children: dict[int | None, list[UnitNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ordered: list[UnitNode] = []

    def walk(parent: int | None) -> None:
        for node in children.get(parent, []):
            ordered.append(node)
            walk(node.id)

    walk(None)
    return ordered


def distinct_names(nodes: list[UnitNode]) -> dict[int, str]:
    """Each unit's name, told apart where two share it: with its parent («Chi bộ thôn Cóc (xã Phong Niên)»),
    or with its code when the two also share their parent."""
    by_id = {node.id: node for node in nodes}
    shared = Counter(node.name for node in nodes)
    siblings = Counter((node.name, node.parent_id) for node in nodes)
    names = {}
    for node in nodes:
        parent = by_id.get(node.parent_id)
        if shared[node.name] == 1:
            names[node.id] = node.name
        elif parent is not None and siblings[(node.name, node.parent_id)] == 1:
            names[node.id] = f"{node.name} ({parent.name.removeprefix('Đảng bộ ')})"
        else:
            names[node.id] = f"{node.name} ({node.code})"
    return names


def tree(db: Database, actor: Actor, on: date | None = None) -> list[UnitNode]:
    with db.session_scope() as session:
        return nodes_on(session, on or clock.today())


def subtree_ids(session: Session, root_id: int, on: date) -> set[int]:
    """A unit and everything under it on a date, walked down in SQL from the root (by the parent index):
    a commune's few dozen units, not the whole district's tree read on every list a clerk opens."""
    earlier = aliased(UnitVersion)
    in_force_then = UnitVersion.valid_from == (select(func.max(earlier.valid_from))
                                               .where(earlier.unit_id == UnitVersion.unit_id, earlier.valid_from <= on)
                                               .scalar_subquery())
    below = select(literal(root_id).label("id")).cte("below", recursive=True)
    below = below.union(select(UnitVersion.unit_id)
                        .join(below, UnitVersion.parent_id == below.c.id)
                        .join(Unit, (Unit.id == UnitVersion.unit_id) & Unit.deleted_at.is_(None))
                        .where(in_force_then))
    return set(session.scalars(select(below.c.id)))


def history(db: Database, actor: Actor, unit_id: int) -> list[UnitHistoryRow]:
    with db.session_scope() as session:
        unit = _get(session, unit_id)
        rows = []
        for version in unit.versions:
            parent = name_on(session, version.parent_id, version.valid_from) if version.parent_id else None
            rows.append(UnitHistoryRow(version.valid_from, version.name, parent))
        return rows


def name_on(session: Session, unit_id: int, on: date) -> str | None:
    return session.scalar(select(UnitVersion.name).where(UnitVersion.unit_id == unit_id,
                                                         UnitVersion.valid_from <= on)
                          .order_by(UnitVersion.valid_from.desc()).limit(1))


def _get(session: Session, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.deleted_at is not None:
        raise NotFound("Không tìm thấy đơn vị (có thể đã bị xóa).")
    return unit


def _version_on(unit: Unit, on: date) -> UnitVersion | None:
    started = [v for v in unit.versions if v.valid_from <= on]
    return started[-1] if started else None


def _check_parent(session: Session, parent_id: int, on: date, errors: dict[str, str]) -> None:
    parent = session.get(Unit, parent_id)
    if parent is None or parent.deleted_at is not None or _version_on(parent, on) is None:
        errors["parent_id"] = "Đơn vị cấp trên không tồn tại vào ngày hiệu lực."
    elif parent.kind.holds_members:
        errors["parent_id"] = f"«{_version_on(parent, on).name}» là chi bộ, không thể có đơn vị trực thuộc."
    elif parent.deactivated_on and parent.deactivated_on <= on:
        errors["parent_id"] = "Đơn vị cấp trên đã ngừng hoạt động."


def create(db: Database, actor: Actor, *, code: str, name: str, kind: UnitKind, parent_id: int | None,
           valid_from: date) -> int:
    require(actor, Permission.EDIT_UNITS)
    with db.session_scope() as session:
        return create_in(session, db, actor, code=code, name=name, kind=kind, parent_id=parent_id,
                         valid_from=valid_from)


def create_in(session: Session, db: Database, actor: Actor, *, code: str, name: str, kind: UnitKind,
              parent_id: int | None, valid_from: date) -> int:
    code, name, kind = clean(code).upper(), clean(name), UnitKind(kind)
    errors: dict[str, str] = {}
    if not CODE_PATTERN.match(code):
        errors["code"] = "Mã đơn vị bắt buộc: chữ in hoa không dấu, chữ số, «-» hoặc «_», tối đa 20 ký tự."
    elif session.scalar(select(Unit.id).where(Unit.code == code)):
        errors["code"] = f"Mã đơn vị «{code}» đã được dùng."
    if not name:
        errors["name"] = "Tên đơn vị không được để trống."
    if parent_id is None:
        if session.scalar(select(exists().where(Unit.deleted_at.is_(None)))):
            errors["parent_id"] = "Hãy chọn đơn vị cấp trên (chỉ đơn vị gốc không có cấp trên)."
    else:
        _check_parent(session, parent_id, valid_from, errors)
    if errors:
        raise ValidationError(errors)
    unit = Unit(code=code, kind=kind)
    stamp_new(db, unit, actor)
    unit.versions.append(UnitVersion(valid_from=valid_from, name=name, name_folded=fold(name),
                                     parent_id=parent_id))
    session.add(unit)
    session.flush()
    audit.record(session, actor, "tạo", "unit", unit.id, f"Tạo đơn vị {name} ({code})",
                 after={"code": code, "name": name, "kind": kind.value, "parent_id": parent_id,
                        "valid_from": valid_from.isoformat()})
    return unit.id


def _new_version(session: Session, actor: Actor, unit: Unit, valid_from: date, *, name: str | None = None,
                 parent_id: int | None = None) -> None:
    """Append a version from `valid_from` (or correct the one starting that very day); None keeps a value."""
    current = _version_on(unit, valid_from)
    if current is None:
        raise ValidationError.one("valid_from", "Ngày hiệu lực trước ngày thành lập đơn vị.")
    last = unit.versions[-1]
    if valid_from < last.valid_from:
        raise ValidationError.one(
            "valid_from", f"Ngày hiệu lực phải từ {last.valid_from:%d/%m/%Y} trở đi (ngày của lần thay đổi gần nhất).")
    before = {"name": current.name, "parent_id": current.parent_id}
    new_name = current.name if name is None else name
    new_parent = current.parent_id if parent_id is None else parent_id
    if current.valid_from == valid_from:
        current.name, current.name_folded, current.parent_id = new_name, fold(new_name), new_parent
    else:
        unit.versions.append(UnitVersion(valid_from=valid_from, name=new_name, name_folded=fold(new_name),
                                         parent_id=new_parent))
    touch(unit, actor)
    after = {"name": new_name, "parent_id": new_parent, "valid_from": valid_from.isoformat()}
    action = "đổi tên" if name is not None else "chuyển"
    audit.record(session, actor, action, "unit", unit.id, f"{action.capitalize()} đơn vị {current.name} → {new_name}",
                 before=before, after=after)


def rename(db: Database, actor: Actor, unit_id: int, name: str, valid_from: date) -> None:
    require(actor, Permission.EDIT_UNITS)
    name = clean(name)
    if not name:
        raise ValidationError.one("name", "Tên đơn vị không được để trống.")
    with db.session_scope() as session:
        _new_version(session, actor, _get(session, unit_id), valid_from, name=name)


def move(db: Database, actor: Actor, unit_id: int, parent_id: int, valid_from: date) -> None:
    require(actor, Permission.EDIT_UNITS)
    with db.session_scope() as session:
        unit = _get(session, unit_id)
        errors: dict[str, str] = {}
        _check_parent(session, parent_id, valid_from, errors)
        if not errors and parent_id in subtree_ids(session, unit_id, valid_from):
            errors["parent_id"] = "Không thể chuyển một đơn vị vào chính nó hoặc đơn vị trực thuộc nó."
        if errors:
            raise ValidationError(errors)
        _new_version(session, actor, unit, valid_from, parent_id=parent_id)


def refound(db: Database, actor: Actor, unit_id: int, founded: date) -> None:
    """Move a unit's founding date earlier (an office entering its past), never before its parent's."""
    require(actor, Permission.EDIT_UNITS)
    with db.session_scope() as session:
        unit = _get(session, unit_id)
        first = unit.versions[0]
        if founded >= first.valid_from:
            raise ValidationError.one("valid_from", f"Chỉ lùi được ngày thành lập về trước {first.valid_from:%d/%m/%Y} "
                                                    "(để sửa tên, cấp trên từ một ngày, dùng «Đổi tên», «Chuyển cấp trên»).")
        errors: dict[str, str] = {}
        if first.parent_id is not None:
            _check_parent(session, first.parent_id, founded, errors)
        if errors:
            raise ValidationError({"valid_from": f"Đơn vị cấp trên chưa có vào ngày {founded:%d/%m/%Y}: hãy lùi ngày "
                                                 "thành lập của đơn vị cấp trên trước."})
        before = first.valid_from
        first.valid_from = founded
        touch(unit, actor)
        audit.record(session, actor, "sửa", "unit", unit.id, f"Lùi ngày thành lập {first.name} từ "
                     f"{before:%d/%m/%Y} về {founded:%d/%m/%Y}", before={"valid_from": before.isoformat()},
                     after={"valid_from": founded.isoformat()})


def _has_records(session: Session, unit_id: int) -> bool:
    checks = [
        exists().where(Membership.unit_id == unit_id),
        exists().where(UnitVersion.parent_id == unit_id),
        exists().where(User.unit_id == unit_id),
        exists().where(or_(Case.receiving_unit_id == unit_id, Case.reported_unit_id == unit_id)),
    ]
    return bool(session.scalar(select(or_(*checks))))


def deactivate(db: Database, actor: Actor, unit_id: int, on: date) -> None:
    """Stop a unit (merged, dissolved); its records stay and old reports still name it."""
    require(actor, Permission.EDIT_UNITS)
    with db.session_scope() as session:
        unit = _get(session, unit_id)
        name = _version_on(unit, on).name if _version_on(unit, on) else unit.code
        live_children = [n for n in nodes_on(session, on) if n.parent_id == unit_id and n.active]
        if live_children:
            raise ValidationError.one("unit", f"«{name}» còn {len(live_children)} đơn vị trực thuộc đang hoạt động; "
                                              "hãy chuyển hoặc ngừng hoạt động các đơn vị đó trước.")
        members = session.scalar(select(func.count()).select_from(Membership).where(
            Membership.unit_id == unit_id, Membership.valid_to.is_(None),
            Membership.status.in_([MembershipStatus.ACTIVE, MembershipStatus.EXEMPT])))
        if members:
            raise ValidationError.one("unit", f"«{name}» còn {members} đảng viên đang sinh hoạt; "
                                              "hãy chuyển sinh hoạt cho họ trước.")
        unit.deactivated_on = on
        touch(unit, actor)
        audit.record(session, actor, "ngừng hoạt động", "unit", unit.id, f"Ngừng hoạt động đơn vị {name}",
                     after={"deactivated_on": on.isoformat()})


def reactivate(db: Database, actor: Actor, unit_id: int) -> None:
    require(actor, Permission.EDIT_UNITS)
    with db.session_scope() as session:
        unit = _get(session, unit_id)
        before = {"deactivated_on": unit.deactivated_on.isoformat() if unit.deactivated_on else None}
        unit.deactivated_on = None
        touch(unit, actor)
        audit.record(session, actor, "hoạt động lại", "unit", unit.id, f"Cho đơn vị {unit.code} hoạt động lại",
                     before=before, after={"deactivated_on": None})


def delete(db: Database, actor: Actor, unit_id: int) -> None:
    """Only a unit entered by mistake, with no records at all, may be deleted (a tombstone)."""
    require(actor, Permission.EDIT_UNITS)
    with db.session_scope() as session:
        unit = _get(session, unit_id)
        if _has_records(session, unit_id):
            raise ValidationError.one("unit", f"Đơn vị {unit.code} đã có dữ liệu (đảng viên, đơn vị trực thuộc "
                                              "hoặc tài khoản) nên không thể xóa; hãy cho ngừng hoạt động.")
        unit.deleted_at = utcnow()
        touch(unit, actor)
        audit.record(session, actor, "xóa", "unit", unit.id, f"Xóa đơn vị {unit.code}",
                     before={"code": unit.code, "name": unit.versions[-1].name})
