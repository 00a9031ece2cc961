"""The materials page: filters, a page sorted in SQL and paged by key, the count and the totals per
measure of the filtered set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, tuple_

from app import clock
from app.config import SETTINGS
from app.db import Database
from app.models import Distribution, Document, Material, MaterialDocument
from app.models.enums import MaterialKind
from app.services import units
from app.services.auth import Actor, Permission, require
from app.services.scope import unit_ids_wanted
from app.services.search import each_word_like


@dataclass(frozen=True)
class MaterialFilter:
    start: date | None = None
    end: date | None = None
    unit_id: int | None = None          # produced by this unit or a unit under it
    kind: MaterialKind | None = None
    document_id: int | None = None      # made for this document
    text: str = ""                      # title, without diacritics


@dataclass(frozen=True)
class MaterialListRow:
    id: int
    issued_on: date
    kind: MaterialKind
    title: str
    unit_name: str
    outlet: str
    quantity: int
    distributed: int
    documents: str                      # "54-KL/TW; 234-KH/TU"
    sort_value: Any

    @property
    def stock(self) -> int:
        return self.quantity - self.distributed


def _document_numbers() -> ColumnElement:
    return (select(func.coalesce(func.aggregate_strings(Document.number, "; "), ""))
            .join(MaterialDocument, MaterialDocument.document_id == Document.id)
            .where(MaterialDocument.material_id == Material.id)
            .scalar_subquery())


def _sorts(names: Any) -> dict[str, ColumnElement]:
    return {
        "issued_on": Material.issued_on,
        "kind": Material.kind,
        "title": Material.title_folded,
        "unit": names.c.name,
        "outlet": Material.outlet,
        "quantity": Material.quantity,
        "distributed": Material.distributed,
        "stock": Material.quantity - Material.distributed,
        "documents": _document_numbers(),
    }


SORT_NAMES = ("issued_on", "kind", "title", "unit", "outlet", "quantity", "distributed", "stock", "documents")


def conditions(session, actor: Actor, flt: MaterialFilter, *, handed_down: bool = True) -> list[ColumnElement]:
    """The filter in SQL; `handed_down`: a clerk's list also shows what an office above handed to his units."""
    found: list[ColumnElement] = [Material.deleted_at.is_(None)]
    wanted = unit_ids_wanted(session, actor, flt.unit_id)
    if wanted is not None and actor.limited_to_unit and handed_down:   # his own, and what his units were given
        found.append(or_(Material.unit_id.in_(sorted(wanted)), Material.id.in_(
            select(Distribution.material_id).where(Distribution.unit_id.in_(sorted(wanted))))))
    elif wanted is not None:
        found.append(Material.unit_id.in_(sorted(wanted)))
    if flt.start:
        found.append(Material.issued_on >= flt.start)
    if flt.end:
        found.append(Material.issued_on <= flt.end)
    if flt.kind:
        found.append(Material.kind == flt.kind)
    if flt.document_id:
        found.append(Material.id.in_(select(MaterialDocument.material_id)
                                     .where(MaterialDocument.document_id == flt.document_id)))
    found += each_word_like(Material.title_folded, flt.text)
    return found


def list_page(db: Database, actor: Actor, flt: MaterialFilter, *, sort: str = "issued_on", descending: bool = True,
              after: tuple[Any, int] | None = None, limit: int | None = None) -> list[MaterialListRow]:
    require(actor, Permission.VIEW_MEETINGS)
    names = units.names_subquery(clock.today())
    key = _sorts(names)[sort]
    with db.session_scope() as session:
        query = (select(Material.id, Material.issued_on, Material.kind, Material.title, names.c.name,
                        Material.outlet, Material.quantity, Material.distributed, _document_numbers(), key)
                 .join(names, names.c.unit_id == Material.unit_id)
                 .where(and_(*conditions(session, actor, flt))))
        if after is not None:
            position = tuple_(key, Material.id)
            query = query.where(position < tuple_(*after) if descending else position > tuple_(*after))
        order = (key.desc(), Material.id.desc()) if descending else (key, Material.id)
        rows = session.execute(query.order_by(*order).limit(limit or SETTINGS.page_size))
        return [MaterialListRow(*row) for row in rows]


def count(db: Database, actor: Actor, flt: MaterialFilter) -> int:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Material).where(*conditions(session, actor, flt)))


def totals(db: Database, actor: Actor, flt: MaterialFilter) -> dict[MaterialKind, tuple[int, int, int]]:
    """Per kind in the filtered set: (materials, quantity, distributed), one grouped query. Only what the
    actor's units produced: the copies an office above printed are its figures, not the commune's."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        rows = session.execute(select(Material.kind, func.count(), func.sum(Material.quantity),
                                      func.sum(Material.distributed))
                               .where(*conditions(session, actor, flt, handed_down=False)).group_by(Material.kind))
        return {MaterialKind(kind): (n, quantity or 0, given or 0) for kind, n, quantity, given in rows}
