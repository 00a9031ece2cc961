"""Công văn đôn đốc: a letter to the units that have not yet disseminated a tracked document, drawn
in the same Party document layout as the report (number with "CV", trích yếu under it, Kính gửi)."""

from __future__ import annotations

import io
from datetime import date, timedelta

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from app.reports import official
from app.reports.official import HD36, Layout, Styles, escape
from app.reports.sentences import with_end_mark
from app.services.documents import coverage
from app.services.numbers import cited_date, short_date
from app.services.profile import ProfileInput

KIND_CODE = "CV"        # Công văn
LISTED_AT_MOST = 12     # beyond this, Kính gửi points to a list on its own page


def late_lines(cover: coverage.Coverage) -> list[coverage.CoverageLine]:
    """The units still to hold the session: past the deadline first, then those not yet due."""
    order = {coverage.OVERDUE: 0, coverage.NOT_YET: 1}
    return sorted((line for line in cover.lines if line.state in order), key=lambda line: order[line.state])


REPORT_BACK_DAYS = 10   # the letter asks for a report by this many days after its date
# A chi bộ directly under these is addressed itself; under any other đảng bộ, its Đảng ủy is.
TOP_LEVELS = ("đảng bộ tỉnh", "đảng bộ huyện", "đảng bộ quận", "đảng bộ thị xã", "đảng bộ thành phố")


def addressee(line: coverage.CoverageLine) -> str:
    """Who a late chi bộ's letter goes to: its commune's Party committee (Đảng ủy xã …), or the chi bộ
    itself when it sits directly under the district."""
    parent = line.parent_name
    if not parent.lower().startswith("đảng bộ ") or parent.lower().startswith(TOP_LEVELS):
        return line.unit_name
    return "Đảng ủy " + parent[len("Đảng bộ "):]


def plan_addressee(line: coverage.CoverageLine) -> str:
    """A đảng bộ's plan is issued by its Đảng ủy."""
    name = line.unit_name
    return "Đảng ủy " + name[len("Đảng bộ "):] if name.lower().startswith("đảng bộ ") else name


def chased(cover: coverage.Coverage) -> bool:
    """Anything to chase: a session still to hold, or a plan still to issue."""
    return bool(late_lines(cover) or cover.plans_missing())


def addressees(cover: coverage.Coverage) -> list[str]:
    """Those the letter goes to: the sessions' addressees, then the Party committees still owing a plan."""
    found = list(by_addressee(late_lines(cover)))
    return found + [name for name in map(plan_addressee, cover.plans_missing()) if name not in found]


def by_addressee(late: list[coverage.CoverageLine]) -> dict[str, list[coverage.CoverageLine]]:
    grouped: dict[str, list[coverage.CoverageLine]] = {}
    for line in late:
        grouped.setdefault(addressee(line), []).append(line)
    return grouped


def subject(cover: coverage.Coverage) -> str:
    doc = cover.document
    if not late_lines(cover):   # only plans are missing
        return f"V/v đôn đốc ban hành kế hoạch thực hiện {doc.kind.label} số {doc.number}"
    return f"V/v đôn đốc học tập, quán triệt {doc.kind.label} số {doc.number}"


def _plans_paragraphs(cover: coverage.Coverage, body_name: str, report_by: date) -> tuple[list[str], str]:
    """What the letter says of the plans still to issue: the facts, and the request's clause ("" when none)."""
    missing = cover.plans_missing()
    if not missing:
        return [], ""
    names = ", ".join(line.unit_name + (" (quá hạn)" if line.plan_state == coverage.OVERDUE else "")
                      for line in missing)
    facts = f"{cover.plan_sentence()} Các đơn vị chưa ban hành kế hoạch: {names}."
    return [facts], (f"các đơn vị chưa ban hành kế hoạch khẩn trương cụ thể hóa thành kế hoạch thực hiện, gửi về "
                     f"{body_name} trước ngày {cited_date(report_by)}")


def paragraphs(cover: coverage.Coverage, office: ProfileInput, made_on: date) -> list[str]:
    doc = cover.document
    body_name = official.body_name(office.issuing_body)
    deadline = f", hoàn thành trước ngày {cited_date(cover.deadline)}" if cover.deadline else ""
    late = late_lines(cover)
    overdue = sum(line.state == coverage.OVERDUE for line in late)
    grouped = by_addressee(late)
    listed = [f"- {name}: " + ", ".join(line.unit_name + (" (quá hạn)" if line.state == coverage.OVERDUE else "")
                                        for line in lines) + ";" for name, lines in grouped.items()]
    if listed:
        listed[-1] = listed[-1][:-1] + "."
    report_by = made_on + timedelta(days=REPORT_BACK_DAYS)
    plan_facts, plan_request = _plans_paragraphs(cover, body_name, report_by)
    opening = (f"Thực hiện {doc.kind.label} số {doc.number}, ngày {cited_date(doc.issued_on)} của {doc.issuer} "
               f"về {doc.summary[:1].lower() + doc.summary[1:]}, {body_name} đã hướng dẫn các đảng bộ, chi bộ tổ chức "
               f"học tập, quán triệt{deadline}.")
    if not late:   # every session held: the letter chases the plans only
        return [opening, f"Tính đến ngày {cited_date(cover.as_of)}, {plan_facts[0][:1].lower() + plan_facts[0][1:]}",
                f"{body_name} đề nghị {plan_request}."]
    return [
        opening,
        f"Tính đến ngày {cited_date(cover.as_of)}, {cover.sentence()[:1].lower() + cover.sentence()[1:]}"
        + (f" Trong đó {overdue} chi bộ đã quá thời hạn." if overdue else "")
        + (" Các chi bộ chưa tổ chức:" if len(grouped) <= LISTED_AT_MOST else
           " Danh sách các chi bộ chưa tổ chức kèm theo công văn này."),
        *(listed if len(grouped) <= LISTED_AT_MOST else []),
        *plan_facts,
        f"{body_name} đề nghị các đảng ủy, chi bộ nêu trên khẩn trương tổ chức học tập, quán triệt "
        f"{doc.kind.label} số {doc.number} cho cán bộ, đảng viên; tổ chức học bù cho đảng viên vắng mặt"
        + (f"; {plan_request}" if plan_request else "")
        + f"; báo cáo kết quả về {body_name} trước ngày {cited_date(report_by)}.",
    ]


def render(cover: coverage.Coverage, office: ProfileInput, made_on: date, *, number: int | None = None,
           layout: Layout = HD36) -> bytes:
    styles = Styles(layout)
    late = late_lines(cover)
    story = [official.header(layout, styles, office, number=official.number_text(number, KIND_CODE,
                                                                                 office.issuing_code),
                             on=made_on, subject=subject(cover)), Spacer(1, 8 * mm)]
    grouped = by_addressee(late)
    listed = late if len(grouped) <= LISTED_AT_MOST else []
    to = addressees(cover) if listed or not late else ["Các đảng ủy, chi bộ có tên trong danh sách kèm theo"]
    story.append(official.addressed_to(styles, to, label_mm=40))
    story.append(Spacer(1, 6 * mm))
    texts = paragraphs(cover, office, made_on)
    for index, text in enumerate(texts):
        story.append(Paragraph(escape(with_end_mark(text) if index == len(texts) - 1 else text), styles.body))
    story.append(official.closing(layout, styles, official.as_letter(office)))
    if not listed and late:
        story += [PageBreak(), Paragraph("DANH SÁCH CÁC ĐƠN VỊ CHƯA TỔ CHỨC HỌC TẬP, QUÁN TRIỆT", styles.summary),
                  Paragraph(escape(f"(Kèm theo Công văn số "
                                   f"{official.number_text(number, KIND_CODE, office.issuing_code).removeprefix('Số ')}"
                                   f", ngày {short_date(made_on)})"), styles.annex_note), Spacer(1, 4 * mm)]
        rows = [[Paragraph(t, styles.cell_head) for t in ("TT", "Chi bộ", "Gửi", "Tình hình")]]
        rows += [[str(i), Paragraph(escape(line.unit_name), styles.cell), Paragraph(escape(addressee(line)), styles.cell),
                  Paragraph(coverage.STATE_LABELS[line.state], styles.cell)] for i, line in enumerate(late, start=1)]
        table = Table(rows, colWidths=[12 * mm, 63 * mm, 55 * mm, 35 * mm], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("FONT", (0, 1), (0, -1), styles.family, styles.cell.fontSize),
                                   ("ALIGN", (0, 1), (0, -1), "CENTER")]))
        story.append(table)
    buffer = io.BytesIO()
    official.build(layout, styles, buffer, story, title=subject(cover), subject=cover.document.number)
    return buffer.getvalue()


def issue(db, actor, cover: coverage.Coverage, office: ProfileInput, made_on: date):
    """The letter numbered in the office's công văn register (CV) and kept as issued; its PDF and row."""
    from app.services import report_register

    key = f"cv:{cover.document.number}:{cover.as_of.isoformat()}"[:40]
    rendered: list[bytes] = []

    def draw(number: int) -> bytes:
        rendered.append(render(cover, office, made_on, number=number))
        return rendered[-1]

    row = report_register.issue_letter(db, actor, kind_code=KIND_CODE, key=key, made_on=made_on,
                                       title=subject(cover), render=draw)
    return rendered[-1], row
