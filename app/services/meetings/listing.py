"""The sessions page: one filter shared with the figures, a page sorted in SQL and paged by key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, cast, func, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.types import Float

from app import clock
from app.config import SETTINGS
from app.db import Database
from app.models import Document, Meeting, MeetingDocument
from app.models.enums import MeetingForm, MeetingKind, MeetingStatus
from app.services import units
from app.services.auth import Actor, Permission, require
from app.services.numbers import ratio
from app.services.scope import unit_ids_wanted
from app.services.search import each_word_like


@dataclass(frozen=True)
class MeetingFilter:
    start: date | None = None
    end: date | None = None
    unit_id: int | None = None          # this unit and its subtree
    kind: MeetingKind | None = None
    form: MeetingForm | None = None
    document_id: int | None = None
    status: MeetingStatus | None = None
    text: str = ""
    tree_on: date | None = None         # the day whose unit tree the subtree is taken from (today)


@dataclass(frozen=True)
class MeetingRow:
    id: int
    held_on: date
    unit_name: str
    title: str
    kind: MeetingKind
    form: MeetingForm
    status: MeetingStatus
    documents: str
    expected: int
    present: int
    made_up: int
    guests: int
    crowd: int
    unit_id: int              # to tell apart two units of one name (units.distinct_names)
    sort_value: Any

    @property
    def rate(self) -> float | None:
        return ratio(self.present + self.made_up, self.expected)


def conditions(session: Session, actor: Actor, flt: MeetingFilter, *, with_period: bool = True) -> list[ColumnElement]:
    """WHERE clauses of a filter, the actor's scope included; the figures use them too."""
    found: list[ColumnElement] = [Meeting.deleted_at.is_(None)]
    wanted = unit_ids_wanted(session, actor, flt.unit_id, flt.tree_on)
    if wanted is not None:
        found.append(Meeting.unit_id.in_(sorted(wanted)))
    if with_period and flt.start:
        found.append(Meeting.held_on >= flt.start)
    if with_period and flt.end:
        found.append(Meeting.held_on <= flt.end)
    if flt.kind:
        found.append(Meeting.kind == flt.kind)
    if flt.form:
        found.append(Meeting.form == flt.form)
    if flt.status:
        found.append(Meeting.status == flt.status)
    if flt.document_id:
        found.append(Meeting.id.in_(select(MeetingDocument.meeting_id)
                                    .where(MeetingDocument.document_id == flt.document_id)))
    found += each_word_like(Meeting.title_folded, flt.text)
    return found


def _document_numbers() -> ColumnElement:
    """The numbers of a session's documents, "54-KL/TW; 234-KH/TU" (computed for the rows shown only)."""
    return (select(func.coalesce(func.aggregate_strings(Document.number, "; "), ""))
            .join(MeetingDocument, MeetingDocument.document_id == Document.id)
            .where(MeetingDocument.meeting_id == Meeting.id)
            .scalar_subquery())


def _sorts(names: Any) -> dict[str, ColumnElement]:
    rate = (cast(Meeting.present_count + Meeting.made_up_count, Float)
            / func.nullif(Meeting.expected_count, 0))
    return {
        "held_on": Meeting.held_on,
        "unit": names.c.name,
        "title": Meeting.title_folded,
        "kind": Meeting.kind,
        "form": Meeting.form,
        "status": Meeting.status,
        "documents": _document_numbers(),
        "present": Meeting.present_count,
        "crowd": Meeting.crowd_total,
        "rate": func.coalesce(rate, -1.0),   # no roster sorts below 0%, and key paging never meets a NULL
    }


SORT_NAMES = ("held_on", "unit", "title", "kind", "form", "status", "documents", "present", "crowd", "rate")


def _page_query(session: Session, actor: Actor, flt: MeetingFilter, sort: str) -> tuple[Select, ColumnElement]:
    names = units.names_subquery(clock.today())
    key = _sorts(names)[sort]
    query = (select(Meeting.id, Meeting.held_on, names.c.name, Meeting.title, Meeting.kind, Meeting.form,
                    Meeting.status, _document_numbers(), Meeting.expected_count, Meeting.present_count,
                    Meeting.made_up_count, Meeting.guest_count, Meeting.crowd_total, Meeting.unit_id, key)
             .join(names, names.c.unit_id == Meeting.unit_id)
             .where(and_(*conditions(session, actor, flt))))
    return query, key


def list_page(db: Database, actor: Actor, flt: MeetingFilter, *, sort: str = "held_on", descending: bool = True,
              after: tuple[Any, int] | None = None, limit: int | None = None) -> list[MeetingRow]:
    """One page, sorted in SQL; `after` is the (sort value, id) of the last row already shown."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        query, key = _page_query(session, actor, flt, sort)
        if after is not None:
            position = tuple_(key, Meeting.id)
            query = query.where(position < tuple_(*after) if descending else position > tuple_(*after))
        order = (key.desc(), Meeting.id.desc()) if descending else (key, Meeting.id)
        rows = session.execute(query.order_by(*order).limit(limit or SETTINGS.page_size))
        return [MeetingRow(*row) for row in rows]


def count(db: Database, actor: Actor, flt: MeetingFilter) -> int:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Meeting).where(*conditions(session, actor, flt)))
