"""The register's page: entries filtered in SQL, sorted and paged by key, and the count per tendency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, tuple_

from app import clock
from app.config import SETTINGS
from app.db import Database
from app.models import Opinion, OpinionAmong
from app.models.enums import OpinionGroup, OpinionTendency
from app.services import units
from app.services.auth import Actor, Permission, require
from app.services.scope import unit_ids_wanted
from app.services.search import each_word_like

SORT_NAMES = ("noted_on", "unit", "topic", "tendency", "heard_at", "reported_up")


@dataclass(frozen=True)
class OpinionFilter:
    start: date | None = None
    end: date | None = None
    unit_id: int | None = None          # gathered by this unit or one under it
    tendency: OpinionTendency | None = None
    group: OpinionGroup | None = None
    document_id: int | None = None
    text: str = ""                      # the topic, without diacritics


@dataclass(frozen=True)
class OpinionListRow:
    id: int
    noted_on: date
    unit_name: str
    topic: str
    tendency: OpinionTendency
    groups: str                         # "nông dân; đoàn viên, thanh niên" (the labels, in the list's order)
    heard_at: str
    reported_up: bool
    sort_value: Any


def _groups() -> ColumnElement:
    return (select(func.coalesce(func.aggregate_strings(OpinionAmong.group, ","), ""))
            .where(OpinionAmong.opinion_id == Opinion.id).scalar_subquery())


def group_labels(codes: str) -> str:
    wanted = set(codes.split(",")) - {""}
    return "; ".join(group.label for group in OpinionGroup if group.value in wanted)


def conditions(session, actor: Actor, flt: OpinionFilter) -> list[ColumnElement]:
    found: list[ColumnElement] = [Opinion.deleted_at.is_(None)]
    wanted = unit_ids_wanted(session, actor, flt.unit_id)
    if wanted is not None:
        found.append(Opinion.unit_id.in_(sorted(wanted)))
    if flt.start:
        found.append(Opinion.noted_on >= flt.start)
    if flt.end:
        found.append(Opinion.noted_on <= flt.end)
    if flt.tendency:
        found.append(Opinion.tendency == flt.tendency)
    if flt.group:
        found.append(Opinion.id.in_(select(OpinionAmong.opinion_id).where(OpinionAmong.group == flt.group)))
    if flt.document_id:
        found.append(Opinion.document_id == flt.document_id)
    found += each_word_like(Opinion.topic_folded, flt.text)
    return found


def list_page(db: Database, actor: Actor, flt: OpinionFilter, *, sort: str = "noted_on", descending: bool = True,
              after: tuple[Any, int] | None = None, limit: int | None = None) -> list[OpinionListRow]:
    require(actor, Permission.VIEW_MEETINGS)
    names = units.names_subquery(clock.today())
    key = {"noted_on": Opinion.noted_on, "unit": names.c.name, "topic": Opinion.topic_folded,
           "tendency": Opinion.tendency, "heard_at": Opinion.heard_at, "reported_up": Opinion.reported_up}[sort]
    with db.session_scope() as session:
        query = (select(Opinion.id, Opinion.noted_on, names.c.name, Opinion.topic, Opinion.tendency, _groups(),
                        Opinion.heard_at, Opinion.reported_up, key)
                 .join(names, names.c.unit_id == Opinion.unit_id)
                 .where(and_(*conditions(session, actor, flt))))
        if after is not None:
            position = tuple_(key, Opinion.id)
            query = query.where(position < tuple_(*after) if descending else position > tuple_(*after))
        order = (key.desc(), Opinion.id.desc()) if descending else (key, Opinion.id)
        rows = session.execute(query.order_by(*order).limit(limit or SETTINGS.page_size))
        return [OpinionListRow(row_id, noted_on, unit_name, topic, OpinionTendency(tendency), group_labels(groups),
                               heard_at, bool(reported_up), sort_value)
                for row_id, noted_on, unit_name, topic, tendency, groups, heard_at, reported_up, sort_value in rows]


def count(db: Database, actor: Actor, flt: OpinionFilter) -> int:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Opinion).where(*conditions(session, actor, flt)))


def by_tendency(db: Database, actor: Actor, flt: OpinionFilter) -> dict[OpinionTendency, int]:
    """Entries of the filtered set per tendency, one grouped query."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        rows = session.execute(select(Opinion.tendency, func.count()).where(*conditions(session, actor, flt))
                               .group_by(Opinion.tendency))
        return {OpinionTendency(tendency): n for tendency, n in rows}
