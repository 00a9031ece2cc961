"""ReportData: every figure a periodic report quotes, for a period and a unit subtree.

Built from the services' figure functions alone (no SQL of its own: each figure is defined once, in
the services, and the sessions page, the command line and the exchange ask the same functions), with
the acting user's scope applied, the unit tree and the office profile in force on the period's end.
The renderers (pdf, xlsx, docx) read this and nothing else, so their numbers cannot disagree.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.models.enums import MeetingKind
from app.services import documents, overview, profile, received, rollup
from app.services.auth import Actor, Permission, require
from app.services.cases import figures as case_figures
from app.services.errors import ValidationError
from app.services.headline import Headline, headline
from app.services.meetings import figures as meeting_figures
from app.services.meetings.listing import MeetingFilter
from app.services.numbers import cited_date, ratio, short_date
from app.services.outreach import figures as outreach_figures
from app.services.period import Period
from app.services.progress import QUIET, Progress
from app.services.scope import unit_ids_wanted

MAX_DOCUMENTS = 5   # documents named in "học tập, quán triệt": the most studied of the period
STOPPED = "Đã dừng lập báo cáo."



@dataclass(frozen=True)
class Written:
    """The parts people write, kept with the draft and the issued report."""

    situation: str = ""      # I- Tình hình tư tưởng, dư luận xã hội
    models: str = ""         # II- … biểu dương, nhân rộng mô hình (optional)
    assessment: str = ""     # III- Đánh giá chung
    tasks: str = ""          # IV- Nhiệm vụ trọng tâm
    proposals: str = ""      # V- Đề xuất, kiến nghị (optional)

    FIELDS = ("situation", "models", "assessment", "tasks", "proposals")

    @classmethod
    def of(cls, saved: dict[str, str]) -> Written:
        return cls(**{name: saved.get(name, "") for name in cls.FIELDS})

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.FIELDS}


@dataclass(frozen=True)
class UnitLine:
    """Phụ lục, biểu 1: one direct subunit of the scope with everything under it."""

    code: str
    name: str
    meetings: int
    study_meetings: int
    expected: int
    attended: int          # lượt: present at its held sessions plus make-ups for them by the period's end
    made_up: int
    crowd: int             # lượt quần chúng (every audience group but party members)

    @property
    def rate(self) -> float | None:
        return ratio(self.attended, self.expected)


@dataclass(frozen=True)
class FormLine:
    """Phụ lục, biểu 2: held sessions by kind."""

    kind: MeetingKind
    meetings: int
    remote: int            # trực tuyến or kết hợp
    present: int           # party members present on the day
    crowd: int


@dataclass(frozen=True)
class DocumentLine:
    """A document studied in the period, with its person figure (DOMAIN.md: the one reports quote)."""

    document: documents.DocumentRow
    meetings: int          # học tập, quán triệt sessions on it in the period
    people: meeting_figures.DocumentTurnout   # required, who attended or made up, who made up, by the period's end

    @property
    def required(self) -> int:
        return self.people.required

    @property
    def attended(self) -> int:
        return self.people.attended

    @property
    def made_up(self) -> int:
        return self.people.made_up

    @property
    def rate(self) -> float | None:
        return self.people.rate

    @property
    def title(self) -> str:
        """"Kết luận số 54-KL/TW, ngày 09/5/2023 của Ban Bí thư"."""
        doc = self.document
        issuer = f" của {doc.issuer}" if doc.issuer else ""
        return f"{doc.kind.label} số {doc.number}, ngày {cited_date(doc.issued_on)}{issuer}"


@dataclass
class ReportData:
    period: Period
    made_on: date
    office: profile.ProfileInput
    scope_name: str                    # Đảng bộ huyện Bảo Thắng
    area_word: str                     # toàn huyện / toàn Đảng bộ xã Phong Niên
    turnout: meeting_figures.Turnout   # every held session
    study: meeting_figures.Turnout     # học tập, quán triệt sessions
    documents: list[DocumentLine]
    forms: list[FormLine]
    units: list[UnitLine]
    presenters: meeting_figures.Presenters
    outreach: outreach_figures.OutreachFigures
    cases: case_figures.CaseFigures
    current: Headline
    year_to_date: Headline | None
    year_before: Headline
    written: Written = field(default_factory=Written)
    number: int | None = None          # None: a draft, printed with a blank number
    # Offices below with nothing of the period in this install, counted from the report they sent up
    # (their annex rows are marked so): (row name, the report's figures).
    from_below: tuple[tuple[str, received.FromBelow], ...] = ()
    # The charts of the phụ lục, when asked for: twelve months to the period's end, and the target.
    months: tuple[overview.MonthRate, ...] = ()
    months_target: Decimal = Decimal(0)

    @property
    def quiet(self) -> bool:
        """Nothing at all happened in the period."""
        c = self.current
        return not (c.meetings or c.copies or c.articles or c.airings or c.cases
                    or any(f.quantity for f in self.outreach.kinds))


STEPS = 6   # how many times `build` tells its progress


def build(db: Database, actor: Actor, period: Period, *, unit_id: int | None = None, made_on: date | None = None,
          written: Written | None = None, number: int | None = None, progress: Progress = QUIET,
          with_charts: bool = False) -> ReportData:
    """Everything the report says; `unit_id` limits it to that unit's subtree (the actor's scope at most);
    `with_charts` adds the twelve months the phụ lục's charts draw. It only reads, so a stop (Cancelled)
    between its steps leaves nothing behind."""
    require(actor, Permission.MAKE_REPORTS)
    made_on = made_on or clock.today()
    if made_on < period.start:
        raise ValidationError.one("made_on", f"Ngày báo cáo ({short_date(made_on)}) trước ngày bắt đầu kỳ báo cáo "
                                             f"({short_date(period.start)}): hãy chọn ngày từ "
                                             f"{short_date(period.start)} trở đi.")
    with db.session_scope() as session:
        root, scope_name, whole, rows_of = rollup.scope(session, actor, unit_id, period.end)
        # Issued by the office leading the scope: a commune's report by its Đảng ủy, never by the district.
        office = (profile.issuer_in(session, actor, period.end, root)
                  or profile.issuer_in(session, actor, made_on, root))
        if office is None:
            raise ValidationError.one("office", "Chưa có thông tin cơ quan (tên, ký hiệu, người ký, nơi nhận) áp dụng "
                                                f"cho kỳ báo cáo: hãy nhập ở trang «Thông tin cơ quan» từ ngày "
                                                f"{short_date(period.end)} trở về trước.")
        wanted = unit_ids_wanted(session, actor, root, period.end)
        leads_scope = whole or profile.office_unit(session, root, period.end) == root
        area_word = office.unit_word if leads_scope else f"toàn {scope_name}"
        flt = MeetingFilter(start=period.start, end=period.end, unit_id=root, tree_on=period.end)
        progress.step(0, STEPS, STOPPED)
        turnout = meeting_figures.period_in(session, actor, flt)
        study = meeting_figures.period_in(session, actor, replace(flt, kind=MeetingKind.STUDY))
        progress.step(1, STEPS, STOPPED)
        document_lines = _documents(session, actor, flt, root)
        progress.step(2, STEPS, STOPPED)
        by_kind = meeting_figures.by_kind(session, actor, flt)
        form_lines = [FormLine(kind, *astuple(by_kind.get(kind, meeting_figures.KindTurnout()))) for kind in MeetingKind]
        unit_lines = _units(meeting_figures.by_unit(session, actor, flt), rows_of, period.start)
        unit_lines, from_below = _from_below(session, unit_lines, rows_of, period)
        presenters = meeting_figures.presenters_in(session, actor, flt)
        progress.step(3, STEPS, STOPPED)
        earlier = [headline(session, actor, p, root) for p in (period.year_to_date(), period.year_before()) if p]
    progress.step(4, STEPS, STOPPED)
    outreach = outreach_figures.for_period(db, actor, period.start, period.end, unit_id=root)
    if wanted is not None:   # coverage is per required unit: keep the subtree's lines
        outreach = replace(outreach, coverage=[replace(c, lines=[line for line in c.lines if line.unit_id in wanted])
                                               for c in outreach.coverage])
        outreach = replace(outreach, coverage=[c for c in outreach.coverage if c.lines])
    progress.step(5, STEPS, STOPPED)
    cases = case_figures.figures(db, actor, start=period.start, end=period.end, unit_id=root)
    current = Headline(period, turnout.meetings, turnout.attended, turnout.crowd.total,
                       outreach_figures.printed(outreach.kinds), outreach_figures.articles(outreach.kinds),
                       outreach.airing.times, cases.received, cases.resolved)
    year_to_date = earlier[0] if len(earlier) == 2 else None
    months, target = overview.attendance_by_month(db, actor, period, root) if with_charts else ([], Decimal(0))
    return ReportData(period, made_on, office, scope_name, area_word, turnout, study, document_lines, form_lines,
                      unit_lines, presenters, outreach, cases, current, year_to_date, earlier[-1],
                      written or Written(), number, from_below, tuple(months), target)


def _documents(session: Session, actor: Actor, flt: MeetingFilter, root: int | None) -> list[DocumentLine]:
    studied = meeting_figures.studied_documents(session, actor, flt, limit=MAX_DOCUMENTS)
    rows = {row.id: row for row in documents.rows_by_id(session, [doc for doc, _n in studied])}
    return [DocumentLine(rows[document_id], meetings,
                         meeting_figures.document_in(session, actor, document_id, end=flt.end, unit_id=root))
            for document_id, meetings in studied]


def _units(by_unit: dict[int, meeting_figures.UnitTurnout], rows_of, start: date) -> list[UnitLine]:
    return [UnitLine(node.code, label, s.meetings, s.study_meetings, s.expected, s.attended, s.made_up, s.crowd)
            for node, label, s in rollup.by_row(by_unit, rows_of, start)]


RECEIVED_MARK = " (**)"


def _from_below(session: Session, lines: list[UnitLine], rows_of, period: Period):
    """Annex rows of offices below with nothing of the period here take the figures of the report they sent
    up for the same period, if it came and was not returned; marked, and listed for the report to say so."""
    rows, _row_of = rows_of
    by_code = {line.code: line for line in lines}
    empty = {node.id: node.code for node, _label in rows[1:]   # the scope's own row is never another office's
             if node.code in by_code and not (by_code[node.code].meetings or by_code[node.code].expected
                                              or by_code[node.code].crowd)}
    came = {empty[unit_id]: found for unit_id, found in received.figures_for(session, list(empty), period.key).items()}
    replaced, used = [], []
    for line in lines:
        found = came.get(line.code)
        if found is None:
            replaced.append(line)
            continue
        f = found.figures
        replaced.append(UnitLine(line.code, line.name + RECEIVED_MARK, f["meetings"], f["study_meetings"],
                                 f["expected"], f["attended"], f["made_up"], f["crowd"]))
        used.append((line.name, found))
    return replaced, tuple(used)
