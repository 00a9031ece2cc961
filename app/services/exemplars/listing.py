"""The register's page: examples filtered in SQL, sorted and paged by key, and the count per kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, select, tuple_

from app import clock
from app.config import SETTINGS
from app.db import Database
from app.models import Document, Exemplar, ExemplarSpread
from app.models.enums import Commendation, ExemplarKind
from app.services import units
from app.services.auth import Actor, Permission, require
from app.services.scope import unit_ids_wanted
from app.services.search import each_word_like


@dataclass(frozen=True)
class ExemplarFilter:
    start: date | None = None
    end: date | None = None
    unit_id: int | None = None          # of this unit or one under it
    kind: ExemplarKind | None = None
    commendation: Commendation | None = None
    document_id: int | None = None
    text: str = ""                      # the title, without diacritics


@dataclass(frozen=True)
class ExemplarListRow:
    id: int
    recognised_on: date
    kind: ExemplarKind
    title: str
    unit_name: str
    commendation: Commendation
    awarded_by: str
    spread: int                         # units that took it up
    document: str
    sort_value: Any


def _spread_count() -> ColumnElement:
    return (select(func.count()).select_from(ExemplarSpread).where(ExemplarSpread.exemplar_id == Exemplar.id)
            .scalar_subquery())


def _document_number() -> ColumnElement:
    return (select(func.coalesce(Document.number, "")).where(Document.id == Exemplar.document_id)
            .scalar_subquery())


def conditions(session, actor: Actor, flt: ExemplarFilter) -> list[ColumnElement]:
    found: list[ColumnElement] = [Exemplar.deleted_at.is_(None)]
    wanted = unit_ids_wanted(session, actor, flt.unit_id)
    if wanted is not None:
        found.append(Exemplar.unit_id.in_(sorted(wanted)))
    if flt.start:
        found.append(Exemplar.recognised_on >= flt.start)
    if flt.end:
        found.append(Exemplar.recognised_on <= flt.end)
    if flt.kind:
        found.append(Exemplar.kind == flt.kind)
    if flt.commendation:
        found.append(Exemplar.commendation == flt.commendation)
    if flt.document_id:
        found.append(Exemplar.document_id == flt.document_id)
    found += each_word_like(Exemplar.title_folded, flt.text)
    return found


def list_page(db: Database, actor: Actor, flt: ExemplarFilter, *, sort: str = "recognised_on",
              descending: bool = True, after: tuple[Any, int] | None = None,
              limit: int | None = None) -> list[ExemplarListRow]:
    require(actor, Permission.VIEW_MEETINGS)
    names = units.names_subquery(clock.today())
    key = {"recognised_on": Exemplar.recognised_on, "kind": Exemplar.kind, "title": Exemplar.title_folded,
           "unit": names.c.name, "commendation": Exemplar.commendation, "awarded_by": Exemplar.awarded_by,
           "spread": _spread_count(), "document": _document_number()}[sort]
    with db.session_scope() as session:
        query = (select(Exemplar.id, Exemplar.recognised_on, Exemplar.kind, Exemplar.title, names.c.name,
                        Exemplar.commendation, Exemplar.awarded_by, _spread_count(), _document_number(), key)
                 .join(names, names.c.unit_id == Exemplar.unit_id)
                 .where(and_(*conditions(session, actor, flt))))
        if after is not None:
            position = tuple_(key, Exemplar.id)
            query = query.where(position < tuple_(*after) if descending else position > tuple_(*after))
        order = (key.desc(), Exemplar.id.desc()) if descending else (key, Exemplar.id)
        rows = session.execute(query.order_by(*order).limit(limit or SETTINGS.page_size))
        return [ExemplarListRow(row_id, day, ExemplarKind(kind), title, unit_name, Commendation(commendation),
                                awarded_by, spread, document or "", sort_value)
                for row_id, day, kind, title, unit_name, commendation, awarded_by, spread, document, sort_value
                in rows]


def count(db: Database, actor: Actor, flt: ExemplarFilter) -> int:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Exemplar).where(*conditions(session, actor, flt)))


def by_kind(db: Database, actor: Actor, flt: ExemplarFilter) -> dict[ExemplarKind, tuple[int, int]]:
    """Per kind in the filtered set: (examples, of them commended), one grouped query."""
    require(actor, Permission.VIEW_MEETINGS)
    commended = func.sum(case((Exemplar.commendation != Commendation.NOTED, 1), else_=0))
    with db.session_scope() as session:
        rows = session.execute(select(Exemplar.kind, func.count(), commended)
                               .where(*conditions(session, actor, flt)).group_by(Exemplar.kind))
        return {ExemplarKind(kind): (n, int(praised or 0)) for kind, n, praised in rows}
