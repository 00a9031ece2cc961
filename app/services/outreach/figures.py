"""Figures of materials, press, loudspeakers and implementation for a period and a unit subtree.

The reports issue quotes them: "Phát hành 2.400 tờ gấp, 600 cuốn tài liệu hỏi - đáp; đăng 18 tin, bài;
hệ thống loa truyền thanh cơ sở phát 236 lượt với 1.180 phút."
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Distribution, Document, Material, RequiredUnit
from app.models.enums import MaterialKind, Measure
from app.services import units
from app.services.auth import Actor, Permission, require
from app.services.documents import coverage
from app.services.numbers import count_text
from app.services.outreach import broadcasts
from app.services.scope import unit_ids_wanted

# How a report names each kind when counting it ("2.400 tờ gấp", "600 cuốn tài liệu hỏi - đáp").
NOUNS = {MaterialKind.HANDBOOK: "cuốn tài liệu hỏi - đáp, đề cương", MaterialKind.BOOK: "cuốn sách",
         MaterialKind.BULLETIN: "bản tin", MaterialKind.LEAFLET: "tờ rơi", MaterialKind.FOLDER: "tờ gấp",
         MaterialKind.POSTER: "pa-nô, áp phích", MaterialKind.BANNER: "băng rôn, khẩu hiệu"}


@dataclass(frozen=True)
class KindFigure:
    kind: MaterialKind
    titles: int        # số loại
    quantity: int      # in the kind's measure


@dataclass(frozen=True)
class OutletFigure:
    outlet: str
    kind: MaterialKind
    quantity: int


@dataclass(frozen=True)
class UnitShare:
    unit_id: int
    unit_name: str
    quantity: int      # copies and items received


@dataclass(frozen=True)
class OutreachFigures:
    start: date
    end: date
    kinds: list[KindFigure]
    outlets: list[OutletFigure]
    airing: broadcasts.BroadcastTotals
    distribution: list[UnitShare]
    coverage: list[coverage.Coverage]

    def of(self, *measures: Measure) -> list[KindFigure]:
        return [figure for figure in self.kinds if figure.kind.measure in measures]

    def sentence(self) -> str:
        parts = []
        printed = [f"{count_text(f.quantity)} {NOUNS[f.kind]}" for f in self.of(Measure.COPIES, Measure.ITEMS)]
        if printed:
            parts.append("phát hành " + ", ".join(printed))
        articles = sum(f.quantity for f in self.of(Measure.ARTICLES))
        if articles:
            parts.append(f"đăng {count_text(articles)} tin, bài trên báo chí, trang thông tin điện tử, mạng xã hội")
        minutes = sum(f.quantity for f in self.of(Measure.MINUTES))
        if minutes:
            parts.append(f"phát sóng {count_text(minutes)} phút phóng sự, chương trình phát thanh - truyền hình")
        if self.airing.times:
            parts.append(f"hệ thống loa truyền thanh cơ sở phát {count_text(self.airing.times)} lượt với "
                         f"{count_text(self.airing.minutes)} phút")
        if not parts:
            return "Trong kỳ, chưa phát hành tài liệu, ấn phẩm, tin bài; hệ thống loa truyền thanh cơ sở chưa phát."
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + "."


def made_in(session: Session, wanted: set[int] | None, start: date, end: date) -> list[KindFigure]:
    """Materials issued in a period by the units wanted (None: all), by kind in the order kinds are listed."""
    made = select(Material.kind, func.count(), func.sum(Material.quantity)).where(
        Material.deleted_at.is_(None), Material.issued_on >= start, Material.issued_on <= end)
    if wanted is not None:
        made = made.where(Material.unit_id.in_(sorted(wanted)))
    order = {kind: index for index, kind in enumerate(MaterialKind)}
    return sorted((KindFigure(MaterialKind(kind), titles, int(quantity or 0))
                   for kind, titles, quantity in session.execute(made.group_by(Material.kind))),
                  key=lambda f: order[f.kind])


def printed(kinds: list[KindFigure]) -> int:
    """Copies and items issued: the headline's "tài liệu, ấn phẩm phát hành"."""
    return sum(f.quantity for f in kinds if f.kind.measure in (Measure.COPIES, Measure.ITEMS))


def articles(kinds: list[KindFigure]) -> int:
    return sum(f.quantity for f in kinds if f.kind.measure is Measure.ARTICLES)


def for_period(db: Database, actor: Actor, start: date, end: date, *, unit_id: int | None = None,
               max_documents: int = 20) -> OutreachFigures:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        wanted = unit_ids_wanted(session, actor, unit_id, end)
        by_outlet = select(Material.outlet, Material.kind, func.sum(Material.quantity)).where(
            Material.deleted_at.is_(None), Material.issued_on >= start, Material.issued_on <= end,
            Material.outlet != "")
        given = (select(Distribution.unit_id, func.sum(Distribution.quantity))
                 .join(Material, Material.id == Distribution.material_id)
                 .where(Material.deleted_at.is_(None), Distribution.given_on >= start, Distribution.given_on <= end))
        if wanted is not None:
            by_outlet = by_outlet.where(Material.unit_id.in_(sorted(wanted)))
            given = given.where(Distribution.unit_id.in_(sorted(wanted)))
        kinds = made_in(session, wanted, start, end)
        outlets = [OutletFigure(*row) for row in session.execute(
            by_outlet.group_by(Material.outlet, Material.kind).order_by(Material.outlet, Material.kind))]
        names = {node.id: node.name for node in units.nodes_on(session, end)}
        distribution = sorted((UnitShare(unit, names.get(unit, ""), quantity) for unit, quantity in
                               session.execute(given.group_by(Distribution.unit_id))), key=lambda s: s.unit_name)
        airing = broadcasts.totals(session, wanted, start, end)
        tracked = session.scalars(
            select(Document.id).where(Document.deleted_at.is_(None), Document.issued_on <= end,
                                      or_(Document.deadline.is_(None), Document.deadline >= start),
                                      Document.id.in_(select(RequiredUnit.document_id)))
            .order_by(Document.issued_on.desc(), Document.id.desc()).limit(max_documents)).all()
        covers = [coverage.coverage_in(session, actor, doc_id, as_of=end) for doc_id in tracked]
        return OutreachFigures(start, end, kinds, outlets, airing, distribution,
                               [cover for cover in covers if cover.lines])
