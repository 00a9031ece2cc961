"""The report on one directive (báo cáo sơ kết, tổng kết thực hiện …): the document and the plans
implementing it, from its issue to a chosen day, in the Party document layout, with its statistical
tables in a phụ lục. The figures are the review's (services/documents/review.py); the parts people write
(assessment, tasks, proposals) are kept as a draft like the periodic report's.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer

from app import clock
from app.db import Database
from app.reports import annex, official, word, xlsx
from app.reports.official import HD36, Layout, Styles, escape
from app.reports.paper import Paper
from app.reports.pdf import annex_table
from app.reports.sentences import Part, Section, heading, with_end_mark, written
from app.services import profile, report_register
from app.services import review as reviews
from app.services.auth import Actor
from app.services.errors import ValidationError
from app.services.numbers import cited_date, count_text, percent_text, ratio, short_date
from app.services.profile import ProfileInput

KIND_CODE = "BC"
LEADS = {"so_ket": "Sơ kết", "tong_ket": "Tổng kết"}
MAX_EXAMPLES = 15


@dataclass(frozen=True)
class Written:
    """The parts people write."""

    assessment: str = ""     # III- Đánh giá chung (ưu điểm; hạn chế, nguyên nhân)
    tasks: str = ""          # IV- Phương hướng, nhiệm vụ thời gian tới
    proposals: str = ""      # V- Đề xuất, kiến nghị (optional)

    FIELDS = ("assessment", "tasks", "proposals")

    @classmethod
    def of(cls, saved: dict[str, str]) -> Written:
        return cls(**{name: saved.get(name, "") for name in cls.FIELDS})

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.FIELDS}


@dataclass(frozen=True)
class DirectiveReport:
    review: reviews.Review
    office: ProfileInput
    made_on: date
    kind: str = "so_ket"
    written: Written = field(default_factory=Written)
    number: int | None = None

    @property
    def document(self):
        return self.review.document

    def cited(self, row=None) -> str:
        """"Kết luận số 54-KL/TW, ngày 02/02/2023 của Bộ Chính trị"."""
        row = row or self.document
        issuer = f" của {row.issuer}" if row.issuer else ""
        return f"{row.kind.label} số {row.number}, ngày {cited_date(row.issued_on)}{issuer}"

    @property
    def summary(self) -> str:
        """The line under BÁO CÁO: "Sơ kết 3 năm thực hiện Kết luận số 54-KL/TW, ngày … của Bộ Chính trị"."""
        issued, end = self.document.issued_on, self.review.end
        years = end.year - issued.year - ((end.month, end.day) < (issued.month, issued.day))   # whole years gone by
        span = f" {years} năm" if years >= 1 else ""
        return f"{LEADS[self.kind]}{span} thực hiện {self.cited()}"

    leads_scope: bool = True      # the office issuing it leads the scope: its own unit word ("toàn huyện")

    @property
    def area_word(self) -> str:
        return self.office.unit_word if self.leads_scope else f"toàn {self.review.scope_name}"


def draft_key(document_id: int, end: date) -> str:
    """Where the written parts are kept: one draft per document and day (the register's period key); two
    documents may share a number (two communes' 01-KH/ĐU), never an id."""
    return f"sk:{document_id}:{end:%Y%m%d}"


def build(db: Database, actor: Actor, document_id: int, end: date | None, *, unit_id: int | None = None,
          made_on: date | None = None, kind: str = "so_ket", written: Written | None = None,
          number: int | None = None) -> DirectiveReport:
    """The report; its written parts are `written`, or else the draft kept for the document, day and scope."""
    if kind not in LEADS:
        raise ValidationError.one("kind", "Hãy chọn: báo cáo sơ kết hay tổng kết.")
    found = reviews.review(db, actor, document_id, end, unit_id=unit_id)
    if written is None:
        code = reviews.scope_code(db, actor, unit_id, found.end)
        written = Written.of(report_register.draft(db, actor, draft_key(document_id, found.end), code).written)
    made_on = made_on or clock.today()
    if made_on < found.end:
        raise ValidationError.one("made_on", f"Ngày báo cáo ({short_date(made_on)}) trước ngày tính đến "
                                             f"({short_date(found.end)}).")
    office = profile.for_actor(db, actor, made_on, unit_id)
    if office is None:
        raise ValidationError.one("office", "Chưa có thông tin cơ quan (tên, ký hiệu, người ký, nơi nhận): hãy nhập "
                                            "ở trang «Thông tin cơ quan».")
    leads = found.whole or reviews.office_leads(db, found.root, found.end)
    return DirectiveReport(found, office, made_on, kind, written, number, leads)


# ---- the words ------------------------------------------------------------------------------------

def leadership(report: DirectiveReport) -> list[str]:
    """I: the plans and guidance that carried the document down, as the seeds cite them."""
    chain = report.review.chain
    if not chain:
        return [f"Sau khi {report.cited()} được ban hành, {report.area_word} tổ chức quán triệt, triển khai thực hiện."]
    listed = "; ".join(f"{report.cited(row)} về {row.summary[:1].lower() + row.summary[1:]}" for row in chain)
    return [f"Thực hiện {report.cited()}, các cấp ủy đã cụ thể hóa bằng {count_text(len(chain))} văn bản: {listed}."]


def study(report: DirectiveReport) -> list[str]:
    r = report.review
    span = f"Từ ngày {cited_date(r.start)} đến ngày {cited_date(r.end)}"
    if not r.meetings:
        return [f"{span}, chưa tổ chức hội nghị, buổi học tập, quán triệt, tuyên truyền {report.document.number}."]
    present, crowd = sum(y.present for y in r.by_year), sum(y.crowd for y in r.by_year)
    tail = [f"{count_text(present)} lượt đảng viên"] if present else []
    tail += [f"{count_text(crowd)} lượt quần chúng"] if crowd else []
    text = (f"{span}, {report.area_word} tổ chức {count_text(r.meetings)} hội nghị, buổi học tập, quán triệt, tuyên "
            f"truyền {report.document.kind.label} số {report.document.number} và các văn bản thực hiện"
            + (f", với {' và '.join(tail)} tham dự." if tail else "."))
    people = r.people
    found = [text]
    if people.required and not people.attended:   # a zero is worded, never stated as a result
        found.append(f"Chưa có đảng viên nào trong {count_text(people.required)} đảng viên được học tập, quán triệt.")
    elif people.required:
        made_up = f" (kể cả {count_text(people.made_up)} đảng viên học bù)" if people.made_up else ""
        found.append(f"Có {count_text(people.attended)}/{count_text(people.required)} đảng viên đã được học tập, "
                     f"quán triệt, đạt {percent_text(ratio(people.attended, people.required))}{made_up}.")
    found += [cover.sentence() for cover in r.coverage]
    if len(r.by_year) > 1:
        years = []
        for y in r.by_year:
            turnout = [f"{count_text(y.present)} lượt đảng viên"] if y.present else []
            turnout += [f"{count_text(y.crowd)} lượt quần chúng"] if y.crowd else []
            years.append(f"năm {y.year} chưa tổ chức" if not y.meetings else
                         f"năm {y.year} tổ chức {count_text(y.meetings)} hội nghị, buổi"
                         + (f" ({', '.join(turnout)})" if turnout else ""))
        found.append("Theo từng năm: " + "; ".join(years) + ".")
    return found


def plans(report: DirectiveReport) -> list[str]:
    """2: the plans of the units that must issue one (a chi bộ studies the document and issues none)."""
    found = [f"{cover.plan_sentence()[:-1]} ({cover.document.kind.label} số {cover.document.number})."
             for cover in report.review.coverage if cover.plans_expected]
    return found or ["Chưa giao đảng bộ, cơ quan, đơn vị trực thuộc ban hành kế hoạch thực hiện riêng để theo dõi."]


def outreach(report: DirectiveReport) -> list[str]:
    text = report.review.outreach.sentence().removeprefix("Trong kỳ, ")
    return [text[:1].upper() + text[1:]]


def cases(report: DirectiveReport) -> list[str]:
    c = report.review.cases
    if not c.received:
        return ["Chưa tiếp nhận ý kiến phản ánh, kiến nghị của Nhân dân về cán bộ, đảng viên."]
    handled = [f"đã giải quyết {count_text(c.resolved)}"] if c.resolved else []
    handled += [f"đang giải quyết {count_text(c.in_progress)}"] if c.in_progress else []
    found = [f"Tiếp nhận {count_text(c.received)} ý kiến phản ánh, kiến nghị của Nhân dân về cán bộ, đảng viên; "
             + (", ".join(handled) if handled else "chưa giải quyết xong vụ việc nào") + "."]
    groups = [line for line in c.by_sign_group if line.count]
    if groups:
        top = max(c.by_sign, key=lambda line: line.count)
        found.append("Theo nhóm biểu hiện: " + "; ".join(f"{line.name[:1].lower() + line.name[1:]} "
                                                         f"{count_text(line.count)} ý kiến" for line in groups)
                     + f". Biểu hiện được phản ánh nhiều nhất: «{top.name}» ({count_text(top.count)} ý kiến).")
    return found


def examples(report: DirectiveReport) -> list[str]:
    r = report.review
    if not r.examples and not r.spread_units:
        return ["Chưa có mô hình, điển hình tiên tiến gắn với việc thực hiện được công nhận, biểu dương."]
    found = []
    if r.examples:
        named = "; ".join(f"{item.title} ("
                          + (f"{item.unit_name}, " if item.unit_name and item.unit_name not in item.title else "")
                          + item.commendation.label.lower()
                          + (f" của {item.awarded_by}" if item.commendation.commended else "") + ")"
                          for item in r.examples[:MAX_EXAMPLES])
        more = len(r.examples) - MAX_EXAMPLES
        found.append(f"Phát hiện, biểu dương, khen thưởng {count_text(len(r.examples))} mô hình, tập thể, cá nhân "
                     f"điển hình: {named}" + (f" và {count_text(more)} mô hình, điển hình khác." if more > 0 else "."))
    if r.spread_units:
        found.append(f"Các mô hình được nhân rộng tại {count_text(r.spread_units)} đơn vị.")
    return found


def body(report: DirectiveReport) -> list[Section]:
    style, w = report.office.heading_style, report.written
    results = [Part("1. Công tác học tập, quán triệt", subheading=True), *[Part(t) for t in study(report)],
               Part("2. Cụ thể hóa thành chương trình, kế hoạch", subheading=True), *[Part(t) for t in plans(report)],
               Part("3. Công tác tuyên truyền", subheading=True), *[Part(t) for t in outreach(report)],
               Part("4. Tiếp nhận, giải quyết phản ánh, kiến nghị của Nhân dân", subheading=True),
               *[Part(t) for t in cases(report)],
               Part("5. Biểu dương, nhân rộng mô hình, điển hình", subheading=True), *[Part(t) for t in examples(report)]]
    sections = [Section(heading(style, 1, "Công tác lãnh đạo, chỉ đạo, triển khai thực hiện"),
                        [Part(t) for t in leadership(report)]),
                Section(heading(style, 2, "Kết quả thực hiện"), results),
                Section(heading(style, 3, "Đánh giá chung"), written(w.assessment)),
                Section(heading(style, 4, "Phương hướng, nhiệm vụ thời gian tới"), written(w.tasks))]
    if w.proposals.strip():
        sections.append(Section(heading(style, 5, "Đề xuất, kiến nghị"), written(w.proposals)))
    return sections


def tables(report: DirectiveReport) -> list[annex.AnnexTable]:
    r = report.review
    by_year = annex.AnnexTable("Theo năm", "Kết quả học tập, quán triệt, tuyên truyền theo năm",
                               [annex.Column("Năm", "text", 30), annex.Column("Hội nghị, buổi", width=30),
                                annex.Column("Lượt đảng viên", width=35), annex.Column("Lượt quần chúng", width=35)],
                               [[str(y.year), y.meetings, y.present, y.crowd] for y in r.by_year])
    by_unit = annex.AnnexTable("Theo đơn vị", "Kết quả học tập, quán triệt, tuyên truyền theo đơn vị",
                               [annex.Column("Đơn vị", "text", 75), annex.Column("Hội nghị, buổi", width=25),
                                annex.Column("Lượt đảng viên", width=30), annex.Column("Lượt quần chúng", width=30)],
                               [[line.name, line.meetings, line.present, line.crowd] for line in r.by_unit])
    signs = annex.AnnexTable("Theo biểu hiện", "Ý kiến phản ánh, kiến nghị theo biểu hiện suy thoái",
                             [annex.Column("Mã", "text", 18), annex.Column("Biểu hiện", "text", 115),
                              annex.Column("Số ý kiến", width=22)],
                             [[line.code, line.name, line.count] for line in r.cases.by_sign if line.count],
                             source_note="Một ý kiến có thể nêu nhiều biểu hiện: cột cộng có thể lớn hơn số ý kiến "
                                         "tiếp nhận.")
    return [by_year, by_unit, signs]


# ---- the copies: PDF, Word, workbook --------------------------------------------------------------

def number_text(report: DirectiveReport) -> str:
    return official.number_text(report.number, KIND_CODE, report.office.issuing_code)


def paper(report: DirectiveReport) -> Paper:
    attached = (f"(Kèm theo Báo cáo số {number_text(report).removeprefix('Số ')}, ngày {short_date(report.made_on)} "
                f"của {official.body_name(report.office.issuing_body)})")
    return Paper(report.office, report.made_on, number_text(report), report.summary, body(report),
                 f"Số liệu thực hiện {report.document.kind.label} số {report.document.number}", attached,
                 tables(report), f"đến ngày {cited_date(report.review.end)}")


def render_word(report: DirectiveReport, layout: Layout = HD36) -> bytes:
    return word.render_paper(paper(report), layout)


def render_xlsx(report: DirectiveReport) -> bytes:
    return xlsx.render_paper(paper(report))


def render(report: DirectiveReport, layout: Layout = HD36) -> bytes:
    styles, printed = Styles(layout), paper(report)
    story = [official.header(layout, styles, report.office, number=printed.number, on=report.made_on),
             Spacer(1, 8 * mm), Paragraph("BÁO CÁO", styles.title), Paragraph(escape(report.summary), styles.summary),
             Paragraph("-----", styles.header), Spacer(1, 4 * mm)]
    sections = printed.sections
    for number, section in enumerate(sections):
        story.append(Paragraph(escape(section.heading), styles.heading))
        for index, part in enumerate(section.parts):
            last = number == len(sections) - 1 and index == len(section.parts) - 1
            text = escape(with_end_mark(part.text) if last else part.text)
            style = styles.heading if part.subheading else styles.placeholder if part.placeholder else styles.body
            story.append(Paragraph(text, style))
    story.append(official.closing(layout, styles, report.office))
    story += [PageBreak(), Paragraph("PHỤ LỤC", styles.title), Paragraph(escape(printed.annex_heading), styles.annex_title),
              Paragraph(escape(printed.attached), styles.annex_note), Spacer(1, 4 * mm)]
    for number, table in enumerate(printed.tables, start=1):
        story.append(Paragraph(escape(f"Biểu {number}. {table.title}"), styles.table_title))
        story.append(annex_table(table, styles, 165 * mm))
        if table.note and table.rows:
            story.append(Paragraph(f"<i>{escape(table.note)}</i>", styles.cell))
    buffer = io.BytesIO()
    official.build(layout, styles, buffer, story, title=f"Báo cáo {report.summary}",
                   subject=report.review.scope_name)
    return buffer.getvalue()
