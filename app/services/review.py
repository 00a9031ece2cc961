"""A report on one directive over time (báo cáo sơ kết, tổng kết): what was done to carry out a document
and the plans implementing it, from its issue to a chosen day, in the scope of a unit. Every figure is an
SQL aggregate over the records that name the document or one of its implementing plans, but for the
citizens' reports of the period, which KL 54 and QĐ 99 ask to be counted whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.models import (
    Broadcast,
    Document,
    DocumentLink,
    Exemplar,
    ExemplarSpread,
    Material,
    MaterialDocument,
    Meeting,
    MeetingDocument,
    RequiredUnit,
    Unit,
)
from app.models.enums import Commendation, ExemplarKind, MaterialKind
from app.services import documents, profile, rollup, units
from app.services.auth import Actor, Permission, require
from app.services.cases import figures as case_figures
from app.services.documents import coverage
from app.services.errors import NotFound, ValidationError
from app.services.meetings import figures as meeting_figures
from app.services.meetings.listing import MeetingFilter
from app.services.numbers import short_date
from app.services.outreach.broadcasts import BroadcastTotals
from app.services.outreach.figures import KindFigure, OutreachFigures
from app.services.scope import unit_ids_wanted


@dataclass(frozen=True)
class YearLine:
    year: int
    meetings: int
    present: int                 # lượt đảng viên: present, and made up since
    crowd: int                   # lượt quần chúng


@dataclass(frozen=True)
class UnitLine:
    name: str
    meetings: int
    present: int
    crowd: int


@dataclass(frozen=True)
class ExampleLine:
    kind: ExemplarKind
    title: str
    unit_name: str
    commendation: Commendation
    awarded_by: str


@dataclass(frozen=True)
class Review:
    document: documents.DocumentRow
    chain: list[documents.DocumentRow]          # the plans and guidance implementing it, oldest first
    end: date
    scope_name: str
    by_year: list[YearLine]
    by_unit: list[UnitLine]
    people: meeting_figures.DocumentTurnout     # X/Y đảng viên over the whole chain
    coverage: list[coverage.Coverage]           # each tracked document of the chain: sessions and plans by unit
    outreach: OutreachFigures                   # materials made for the chain and loudspeaker airings of it
    cases: case_figures.CaseFigures
    examples: list[ExampleLine]
    spread_units: int                           # units that took the chain's examples up
    root: int | None = None                     # the scope's unit (None: the whole office)
    whole: bool = True                          # the scope is the whole office

    @property
    def start(self) -> date:
        return self.document.issued_on

    @property
    def ids(self) -> list[int]:
        return [self.document.id, *(row.id for row in self.chain)]

    @property
    def meetings(self) -> int:
        return sum(line.meetings for line in self.by_year)


def chain_ids(session: Session, document_id: int, end: date | None = None) -> list[int]:
    """The document and every document implementing it, at any depth (a plan implementing two counts once):
    those still in the register, issued by `end` (a plan made later did not carry it down yet)."""
    found, frontier = [document_id], [document_id]
    while frontier:
        below = select(DocumentLink.document_id).join(Document, Document.id == DocumentLink.document_id).where(
            DocumentLink.implements_id.in_(frontier), Document.deleted_at.is_(None))
        if end is not None:
            below = below.where(Document.issued_on <= end)
        frontier = [doc for doc in dict.fromkeys(session.scalars(below)) if doc not in found]
        found += frontier
    return found


def office_leads(db: Database, unit_id: int | None, on: date) -> bool:
    """The scope's unit has an office of its own: a report on it speaks in that office's words ("toàn xã")."""
    with db.session_scope() as session:
        return profile.office_unit(session, unit_id, on) == unit_id


def scope_code(db: Database, actor: Actor, unit_id: int | None, on: date) -> str:
    """The code a report's draft is filed under: its scope's unit, or "" for the whole office (a clerk's own
    unit when he names none, so the dialog and the command line read the same draft)."""
    with db.session_scope() as session:
        root, _name, whole, _rows = rollup.scope(session, actor, unit_id, on)
        return "" if whole or root is None else session.scalar(select(Unit.code).where(Unit.id == root))


def _check(document: documents.DocumentRow | None, end: date | None, today: date) -> None:
    if document is None:
        raise NotFound("Không tìm thấy văn bản này (có thể đã bị xóa).")
    if end is None:
        raise ValidationError.one("end", "Hãy nhập ngày tính đến của báo cáo.")
    if end < document.issued_on:
        raise ValidationError.one("end", f"Ngày tính đến ({short_date(end)}) trước ngày ban hành {document.number} "
                                         f"({short_date(document.issued_on)}): hãy chọn ngày từ "
                                         f"{short_date(document.issued_on)} trở đi.")
    if end > today:
        raise ValidationError.one("end", "Ngày tính đến không được ở tương lai.")


def review(db: Database, actor: Actor, document_id: int, end: date | None, *, unit_id: int | None = None) -> Review:
    """Everything the report on one directive counts, from the document's issue to `end`, in the subtree of
    `unit_id` (the actor's scope at most)."""
    require(actor, Permission.MAKE_REPORTS)
    with db.session_scope() as session:
        found = documents.rows_by_id(session, [document_id])
        _check(found[0] if found else None, end, clock.today())
        document = found[0]
        ids = chain_ids(session, document_id, end)
        chain = sorted(documents.rows_by_id(session, ids[1:]), key=lambda row: (row.issued_on, row.id))
        root, scope_name, whole, rows_of = rollup.scope(session, actor, unit_id, end)
        flt = MeetingFilter(start=document.issued_on, end=end, unit_id=root, tree_on=end)
        on_chain = Meeting.id.in_(select(MeetingDocument.meeting_id).where(MeetingDocument.document_id.in_(ids)))
        held = [meeting_figures.held_in(session, actor, flt), on_chain]
        year = func.extract("year", Meeting.held_on)
        turnout = func.sum(Meeting.present_count + Meeting.made_up_count)   # present, and made up since (DOMAIN.md)
        held_in_year = {int(y): (n, int(present or 0), int(crowd or 0)) for y, n, present, crowd in session.execute(
            select(year, func.count(), turnout, func.sum(Meeting.crowd_total)).where(*held).group_by(year))}
        by_year = [YearLine(y, *held_in_year.get(y, (0, 0, 0)))            # a year without sessions says so too
                   for y in range(document.issued_on.year, end.year + 1)]
        by_unit = {unit: meeting_figures.UnitTurnout(n, 0, 0, int(present or 0), 0, int(crowd or 0))
                   for unit, n, present, crowd in session.execute(
                       select(Meeting.unit_id, func.count(), turnout,
                              func.sum(Meeting.crowd_total)).where(*held).group_by(Meeting.unit_id))}
        unit_lines = [UnitLine(label, sums.meetings, sums.present, sums.crowd)
                      for _node, label, sums in rollup.by_row(by_unit, rows_of, document.issued_on)]
        people = meeting_figures.documents_in(session, actor, ids, end=end, unit_id=root)
        tracked = list(dict.fromkeys(session.scalars(select(RequiredUnit.document_id)
                                                     .where(RequiredUnit.document_id.in_(ids)))))
        tracked.sort(key=ids.index)
        wanted = unit_ids_wanted(session, actor, root, end)
        covers = [coverage.coverage_in(session, actor, doc, as_of=end, within=wanted) for doc in tracked]
        mine = (lambda column: column.in_(sorted(wanted))) if wanted is not None else (lambda column: True)
        order = {kind: index for index, kind in enumerate(MaterialKind)}
        kinds = sorted((KindFigure(MaterialKind(kind), n, int(quantity or 0)) for kind, n, quantity in session.execute(
            select(Material.kind, func.count(), func.sum(Material.quantity))
            .where(Material.deleted_at.is_(None), Material.issued_on.between(document.issued_on, end),
                   Material.id.in_(select(MaterialDocument.material_id).where(MaterialDocument.document_id.in_(ids))),
                   mine(Material.unit_id))
            .group_by(Material.kind))), key=lambda figure: order[figure.kind])
        times, minutes = session.execute(
            select(func.coalesce(func.sum(Broadcast.times), 0), func.coalesce(func.sum(Broadcast.minutes), 0))
            .where(Broadcast.deleted_at.is_(None), Broadcast.document_id.in_(ids),
                   Broadcast.aired_on.between(document.issued_on, end), mine(Broadcast.unit_id))).one()
        outreach = OutreachFigures(document.issued_on, end, kinds, [], BroadcastTotals(int(times), int(minutes)), [],
                                   [])
        names = units.names_subquery(end)
        examples = [ExampleLine(ExemplarKind(kind), title, name or "", Commendation(level), by)
                    for kind, title, name, level, by in session.execute(
                        select(Exemplar.kind, Exemplar.title, names.c.name, Exemplar.commendation, Exemplar.awarded_by)
                        .outerjoin(names, names.c.unit_id == Exemplar.unit_id)
                        .where(Exemplar.deleted_at.is_(None), Exemplar.document_id.in_(ids),
                               Exemplar.recognised_on.between(document.issued_on, end), mine(Exemplar.unit_id))
                        .order_by(Exemplar.recognised_on, Exemplar.id))]
        spread = session.scalar(
            select(func.count(func.distinct(ExemplarSpread.unit_id))).join(Exemplar)
            .where(Exemplar.deleted_at.is_(None), Exemplar.document_id.in_(ids),
                   ExemplarSpread.since.between(document.issued_on, end), mine(ExemplarSpread.unit_id)))
    cases = case_figures.figures(db, actor, start=document.issued_on, end=end, unit_id=root)
    return Review(document, chain, end, scope_name, by_year, unit_lines, people, covers, outreach, cases, examples,
                  int(spread or 0), root, whole)
