"""The documents page: filters, a page sorted in SQL and paged by key, and the count of the filtered set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, null, or_, select, tuple_

from app.config import SETTINGS
from app.db import Database
from app.models import Document, Meeting, MeetingDocument, RequiredUnit
from app.models.enums import DocumentKind, MeetingStatus
from app.services.auth import Actor, Permission, require
from app.services.scope import scope_unit_ids, unit_ids_wanted
from app.services.search import fold, like_pattern


@dataclass(frozen=True)
class DocumentFilter:
    start: date | None = None          # issued from
    end: date | None = None
    kind: DocumentKind | None = None
    unit_id: int | None = None         # documents this unit or a unit under it must disseminate
    text: str = ""                     # number or summary, without diacritics
    tracked_only: bool = False         # only documents with required units


@dataclass(frozen=True)
class DocumentListRow:
    id: int
    kind: DocumentKind
    number: str
    issuer: str
    issued_on: date
    summary: str
    deadline: date | None
    required: int | None               # units that must disseminate it (None: not read yet)
    sessions: int | None               # held sessions that disseminated it
    sort_value: Any


def _required_count(scope: set[int] | None) -> ColumnElement:
    """Required units the actor can see: a commune's clerk counts the chi bộ of the commune."""
    query = select(func.count()).where(RequiredUnit.document_id == Document.id)
    if scope is not None:
        query = query.where(RequiredUnit.unit_id.in_(sorted(scope)))
    return query.scalar_subquery()


def _session_count(scope: set[int] | None) -> ColumnElement:
    """Held sessions on the document organised within the actor's scope."""
    held = (Meeting.status == MeetingStatus.HELD) & Meeting.deleted_at.is_(None)
    if scope is None:
        query = (select(func.count()).select_from(MeetingDocument)
                 .join(Meeting, Meeting.id == MeetingDocument.meeting_id)
                 .where(MeetingDocument.document_id == Document.id, held))
    else:   # the scope's sessions first (by unit): a commune's few hundred, not the district's links
        query = (select(func.count()).select_from(MeetingDocument)
                 .where(MeetingDocument.document_id == Document.id,
                        MeetingDocument.meeting_id.in_(select(Meeting.id).where(
                            held, Meeting.unit_id.in_(sorted(scope))))))
    return query.scalar_subquery()


SORTS = {   # each takes the actor's scope (None: everything)
    "issued_on": lambda _scope: Document.issued_on,
    "number": lambda _scope: Document.number_folded,
    "kind": lambda _scope: Document.kind,
    "issuer": lambda _scope: Document.issuer,
    "summary": lambda _scope: Document.summary_folded,
    "deadline": lambda _scope: func.coalesce(Document.deadline, date(1, 1, 1)),  # never NULL: key paging compares it
    "required": _required_count,
    "sessions": _session_count,
}
SORT_NAMES = tuple(SORTS)


def conditions(session, actor: Actor, flt: DocumentFilter) -> list[ColumnElement]:
    found: list[ColumnElement] = [Document.deleted_at.is_(None)]
    if flt.start:
        found.append(Document.issued_on >= flt.start)
    if flt.end:
        found.append(Document.issued_on <= flt.end)
    if flt.kind:
        found.append(Document.kind == flt.kind)
    if flt.unit_id:
        wanted = unit_ids_wanted(session, actor, flt.unit_id)
        found.append(Document.id.in_(select(RequiredUnit.document_id)
                                     .where(RequiredUnit.unit_id.in_(sorted(wanted or ())))))
    if flt.tracked_only:
        found.append(Document.id.in_(select(RequiredUnit.document_id)))
    for word in fold(flt.text).split():
        pattern = like_pattern(word)
        found.append(or_(Document.number_folded.like(pattern, escape="\\"),
                         Document.summary_folded.like(pattern, escape="\\")))
    return found


def list_page(db: Database, actor: Actor, flt: DocumentFilter, *, sort: str = "issued_on", descending: bool = True,
              after: tuple[Any, int] | None = None, limit: int | None = None,
              with_counts: bool = True) -> list[DocumentListRow]:
    """One page sorted in SQL. Without `with_counts` the two counts are None (the page asks `counts` for
    them off the GUI thread: over ten years they read every session's link), unless sorted on."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        scope = scope_unit_ids(session, actor)
        key = SORTS[sort](scope)
        counts = {"required": _required_count(scope).label("required"),
                  "sessions": _session_count(scope).label("sessions")}
        if not with_counts:
            counts = {name: column if name == sort else null().label(name) for name, column in counts.items()}
        # A count sorted on is ordered by its own column (and is its own sort value), so SQL works it out
        # once per document, not two or three times.
        ordered = counts.get(sort, key)
        query = (select(Document.id, Document.kind, Document.number, Document.issuer, Document.issued_on,
                        Document.summary, Document.deadline, *counts.values(),
                        *(() if sort in counts else (key,)))
                 .where(and_(*conditions(session, actor, flt))))
        if after is not None:
            position = tuple_(key, Document.id)
            query = query.where(position < tuple_(*after) if descending else position > tuple_(*after))
        order = (ordered.desc(), Document.id.desc()) if descending else (ordered, Document.id)
        rows = session.execute(query.order_by(*order).limit(limit or SETTINGS.page_size))
        if sort in counts:
            return [DocumentListRow(*row, row._mapping[sort]) for row in rows]
        return [DocumentListRow(*row) for row in rows]


def counts(db: Database, actor: Actor, document_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(required units, held sessions) of each document, as the list shows them for this actor."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        scope = scope_unit_ids(session, actor)
        query = (select(Document.id, _required_count(scope), _session_count(scope))
                 .where(Document.id.in_(document_ids)))
        return {document_id: (required, sessions) for document_id, required, sessions in session.execute(query)}


def count(db: Database, actor: Actor, flt: DocumentFilter) -> int:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Document).where(*conditions(session, actor, flt)))
