"""The periodic report as a PDF in the Party document format (official.py draws the layout)."""

from __future__ import annotations

import io

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from app.reports import annex, charts, official
from app.reports.data import ReportData
from app.reports.official import HD36, Layout, Styles, escape
from app.reports.sentences import body, with_end_mark
from app.services.numbers import count_text, percent_text, short_date

KIND_CODE = "BC"   # Báo cáo


def summary(data: ReportData) -> str:
    """The line under BÁO CÁO: "kết quả công tác tuyên giáo tháng 11 năm 2026"."""
    return f"kết quả công tác tuyên giáo {data.period.label}"


def number_text(data: ReportData) -> str:
    return official.number_text(data.number, KIND_CODE, data.office.issuing_code)


def attached_to(data: ReportData) -> str:
    """"(Kèm theo Báo cáo số 15-BC/BTGHU, ngày 05/12/2026 của Ban Tuyên giáo)"."""
    number = number_text(data).removeprefix("Số ")
    return (f"(Kèm theo Báo cáo số {number}, ngày {short_date(data.made_on)} của "
            f"{official.body_name(data.office.issuing_body)})")


def render(data: ReportData, layout: Layout = HD36) -> bytes:
    """The whole report, phụ lục included, as PDF bytes (the same data gives the same bytes)."""
    styles = Styles(layout)
    story = [official.header(layout, styles, data.office, number=number_text(data), on=data.made_on),
             Spacer(1, 8 * mm), Paragraph("BÁO CÁO", styles.title), Paragraph(escape(summary(data)), styles.summary),
             Paragraph("-----", styles.header), Spacer(1, 4 * mm)]
    sections = body(data)
    for number, section in enumerate(sections):
        story.append(Paragraph(escape(section.heading), styles.heading))
        for index, part in enumerate(section.parts):
            last = number == len(sections) - 1 and index == len(section.parts) - 1
            text = escape(with_end_mark(part.text) if last else part.text)
            style = styles.heading if part.subheading else styles.placeholder if part.placeholder else styles.body
            story.append(Paragraph(text, style))
    story.append(official.closing(layout, styles, data.office))
    story += appendix(data, styles)
    buffer = io.BytesIO()
    official.build(layout, styles, buffer, story, title=f"Báo cáo {summary(data)}", subject=data.scope_name)
    return buffer.getvalue()


def appendix(data: ReportData, styles: Styles) -> list:
    """The phụ lục on its own page: title, the "Kèm theo" line, one table per figure set."""
    story = [PageBreak(), Paragraph("PHỤ LỤC", styles.title),
             Paragraph(escape(f"Số liệu công tác tuyên giáo {data.period.label}"), styles.annex_title),
             Paragraph(escape(attached_to(data)), styles.annex_note), Spacer(1, 4 * mm)]
    usable = 165 * mm
    for number, table in enumerate(annex.tables(data), start=1):
        story.append(Paragraph(escape(f"Biểu {number}. {table.title}"), styles.table_title))
        story.append(annex_table(table, styles, usable))
        if table.note and table.rows:
            story.append(Paragraph(f"<i>{escape(table.note)}</i>", styles.cell))
    for number, (title, drawing) in enumerate(charts.drawings(data, styles.family), start=1):
        story.append(KeepTogether([Paragraph(escape(f"Biểu đồ {number}. {title}"), styles.table_title), drawing]))
    return story


def cell_text(value, kind: str, column: annex.Column | None = None) -> str:
    """A value as printed; a rate under the attendance target carries "*" (the table's note says why)."""
    if value is None:
        return "–" if kind == "rate" else ""
    if kind == "count":
        return count_text(value)
    if kind == "rate":
        return percent_text(100 * value) + ("*" if column is not None and column.below(value) else "")
    return str(value)


def annex_table(table: annex.AnnexTable, styles: Styles, usable: float) -> Table:
    """A phụ lục table: TT, the columns, a total row; scaled to the usable width."""
    widths = [10 * mm] + [column.width * mm for column in table.columns]
    scale = min(1.0, usable / sum(widths))
    head = [Paragraph("TT", styles.cell_head)] + [Paragraph(escape(c.title), styles.cell_head) for c in table.columns]
    rows = [head]
    for number, values in enumerate(table.rows, start=1):
        rows.append([str(number)] + [Paragraph(escape(cell_text(v, c.kind)), styles.cell) if c.kind == "text"
                                     else cell_text(v, c.kind, c) for v, c in zip(values, table.columns, strict=True)])
    if not table.rows:
        rows.append(["", Paragraph("<i>Không có số liệu trong kỳ.</i>", styles.cell)] + [""] * (len(table.columns) - 1))
    total = table.total()
    rows.append([""] + [Paragraph(f"<b>{escape(cell_text(v, c.kind))}</b>", styles.cell_head) if c.kind == "text"
                        else cell_text(v, c.kind, c) for v, c in zip(total, table.columns, strict=True)])
    style = [("FONT", (0, 1), (-1, -1), styles.family, styles.cell.fontSize),
             ("FONT", (0, -1), (-1, -1), styles.bold, styles.cell.fontSize),
             ("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("ALIGN", (0, 1), (0, -1), "CENTER")]
    for index, column in enumerate(table.columns, start=1):
        if column.kind != "text":
            style.append(("ALIGN", (index, 1), (index, -1), "RIGHT"))
    if not table.rows:
        style.append(("SPAN", (1, 1), (-1, 1)))
    result = Table(rows, colWidths=[w * scale for w in widths], repeatRows=1)
    result.setStyle(TableStyle(style))
    return result
