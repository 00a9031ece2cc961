"""The cases page: filters, a page sorted in SQL and paged by key, the count, and what is due or overdue.

Search covers the summary and the reported person, without diacritics; never the reporter, whose identity
is sealed and has no folded copy to search.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select, tuple_
from sqlalchemy.orm import aliased

from app import clock
from app.config import SETTINGS
from app.db import Database
from app.models import Case, CaseSign, ReferenceItem
from app.models.enums import CaseStatus
from app.services import units
from app.services.auth import Actor, Permission, require
from app.services.scope import unit_ids_wanted
from app.services.search import fold, like_pattern

OVERDUE, DUE_SOON, DEADLINES = "overdue", "due_soon", "deadlines"


@dataclass(frozen=True)
class CaseFilter:
    start: date | None = None           # received from
    end: date | None = None
    status: CaseStatus | None = None
    channel: str = ""                   # Danh mục codes
    kind: str = ""
    sign_group: str = ""                # TT, ĐĐ, TDB, TNLP
    unit_id: int | None = None          # received by this unit or one under it
    handling_body: str = ""
    urgency: str = ""                   # OVERDUE, DUE_SOON, or DEADLINES (both)
    text: str = ""                      # summary or reported person
    tree_on: date | None = None         # the day whose unit tree the subtree is taken from (today)


@dataclass(frozen=True)
class CaseListRow:
    id: int
    number: str
    received_on: date
    unit_name: str
    channel: str
    kind: str
    anonymous: bool
    reported_name: str
    reported_position: str
    summary: str
    status: CaseStatus
    handling_body: str
    due_on: date | None
    sort_value: Any

    def urgency(self, today: date | None = None) -> str:
        """OVERDUE or DUE_SOON while the case is being verified against its deadline, else ""."""
        today = today or clock.today()
        if self.status is not CaseStatus.VERIFYING or self.due_on is None:
            return ""
        if self.due_on < today:
            return OVERDUE
        return DUE_SOON if self.due_on <= today + timedelta(days=SETTINGS.case_due_soon_days) else ""


SORT_NAMES = ("received_on", "number", "unit", "kind", "reported", "status", "handling_body", "due_on")


def _sorts(names: Any, kind: Any, body: Any) -> dict[str, ColumnElement]:
    return {"received_on": Case.received_on, "number": Case.year * 100_000 + Case.seq,
            "unit": names.c.name, "kind": kind.name, "reported": Case.reported_name_folded,
            "status": Case.status, "handling_body": func.coalesce(body.name, ""),
            "due_on": func.coalesce(Case.due_on, date.max)}


def conditions(session, actor: Actor, flt: CaseFilter, *, today: date | None = None) -> list[ColumnElement]:
    """WHERE clauses of a filter, the actor's scope included; the figures use them too."""
    today = today or clock.today()
    found: list[ColumnElement] = [Case.deleted_at.is_(None)]
    wanted = unit_ids_wanted(session, actor, flt.unit_id, flt.tree_on)
    if wanted is not None:
        found.append(Case.receiving_unit_id.in_(sorted(wanted)))
    if flt.start:
        found.append(Case.received_on >= flt.start)
    if flt.end:
        found.append(Case.received_on <= flt.end)
    if flt.status:
        found.append(Case.status == flt.status)
    for column, code in ((Case.channel_id, flt.channel), (Case.kind_id, flt.kind),
                         (Case.handling_body_id, flt.handling_body)):
        if code:
            found.append(column.in_(select(ReferenceItem.id).where(ReferenceItem.code == code)))
    if flt.sign_group:
        found.append(exists().where(CaseSign.case_id == Case.id, CaseSign.sign_id.in_(
            select(ReferenceItem.id).where(ReferenceItem.grouping == flt.sign_group))))
    soon = today + timedelta(days=SETTINGS.case_due_soon_days)
    if flt.urgency:   # served by ix_case_file_status_due
        upper = {OVERDUE: today - timedelta(days=1), DUE_SOON: soon, DEADLINES: soon}[flt.urgency]
        found += [Case.status == CaseStatus.VERIFYING, Case.due_on <= upper]
        if flt.urgency == DUE_SOON:
            found.append(Case.due_on >= today)
    for word in fold(flt.text).split():
        pattern = like_pattern(word)
        found.append(or_(Case.summary_folded.like(pattern, escape="\\"),
                         Case.reported_name_folded.like(pattern, escape="\\")))
    return found


def list_page(db: Database, actor: Actor, flt: CaseFilter, *, sort: str = "received_on", descending: bool = True,
              after: tuple[Any, int] | None = None, limit: int | None = None) -> list[CaseListRow]:
    require(actor, Permission.VIEW_CASES)
    names = units.names_subquery(clock.today())
    channel, kind, body = aliased(ReferenceItem), aliased(ReferenceItem), aliased(ReferenceItem)
    key = _sorts(names, kind, body)[sort]
    with db.session_scope() as session:
        query = (select(Case.id, Case.number, Case.received_on, names.c.name, channel.name, kind.name, Case.anonymous,
                        Case.reported_name, Case.reported_position, Case.summary, Case.status,
                        func.coalesce(body.name, ""), Case.due_on, key)
                 .join(names, names.c.unit_id == Case.receiving_unit_id)
                 .join(channel, channel.id == Case.channel_id).join(kind, kind.id == Case.kind_id)
                 .outerjoin(body, body.id == Case.handling_body_id)
                 .where(and_(*conditions(session, actor, flt))))
        if after is not None:
            position = tuple_(key, Case.id)
            query = query.where(position < tuple_(*after) if descending else position > tuple_(*after))
        order = (key.desc(), Case.id.desc()) if descending else (key, Case.id)
        return [CaseListRow(*row) for row in session.execute(query.order_by(*order).limit(limit or SETTINGS.page_size))]


def count(db: Database, actor: Actor, flt: CaseFilter) -> int:
    require(actor, Permission.VIEW_CASES)
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Case).where(*conditions(session, actor, flt)))


def urgent_counts(db: Database, actor: Actor) -> tuple[int, int]:
    """(overdue, due soon) in the actor's scope: the page's "sắp đến hạn / quá hạn" button says them."""
    return count(db, actor, CaseFilter(urgency=OVERDUE)), count(db, actor, CaseFilter(urgency=DUE_SOON))
