"""The report's statistical tables as an Excel workbook: one sheet per phụ lục table plus the
comparison, each under a title block like the PDF's header. Data cells hold values; total rows
hold SUM formulas over them, and rates in totals are formulas of those sums."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.reports import annex, charts, official
from app.reports.data import ReportData
from app.reports.paper import Paper
from app.reports.sentences import headline_rows
from app.reports.word import paper_of
from app.services.overview import month_label
from app.services.sheets import as_text

COUNT_FORMAT = "#,##0"
RATE_FORMAT = "[=1]0%;[=0]0%;0.00%"   # whole percentages without decimals: 100%, 0%
FONT = "Times New Roman"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def render(data: ReportData) -> bytes:
    book = _tables(paper_of(data))
    _comparison_sheet(book.create_sheet("So sánh"), data)
    if charts.titles(data):
        _charts_sheet(book.create_sheet("Biểu đồ"), data)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render_paper(paper: Paper) -> bytes:
    """A report's phụ lục tables, a sheet each."""
    buffer = io.BytesIO()
    _tables(paper).save(buffer)
    return buffer.getvalue()


def _tables(paper: Paper) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    for number, table in enumerate(paper.tables, start=1):
        _table_sheet(book.create_sheet(table.sheet), paper, number, table)
    return book


def _title_block(ws: Worksheet, paper: Paper, width: int, title: str) -> int:
    """The header of the PDF in cells; returns the next free row."""
    office = paper.office
    left = max(2, width // 2)
    cells = [(1, 1, office.parent_body.upper(), False, False), (2, 1, office.issuing_body.upper(), True, False),
             (3, 1, paper.number, False, False),
             (1, left + 1, official.PARTY, True, False),
             (2, left + 1, official.date_line(office, paper.made_on), False, True)]
    for row, column, text, bold, italic in cells:
        last = left if column == 1 else width
        ws.merge_cells(start_row=row, start_column=column, end_row=row, end_column=last)
        cell = ws.cell(row, column, text)
        as_text(cell)
        cell.font = Font(name=FONT, size=12, bold=bold, italic=italic)
        cell.alignment = Alignment(horizontal="center")
    for row, text, font in ((5, "PHỤ LỤC", Font(name=FONT, size=14, bold=True)),
                            (6, title, Font(name=FONT, size=13, bold=True)),
                            (7, paper.attached, Font(name=FONT, size=12, italic=True))):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        cell = ws.cell(row, 1, text)
        as_text(cell)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    return 9


def _table_sheet(ws: Worksheet, paper: Paper, number: int, table: annex.AnnexTable) -> None:
    width = len(table.columns) + 1
    head = _title_block(ws, paper, width, f"Biểu {number}. {table.title} {paper.period_label}".rstrip())
    ws.append([])
    for index, title in enumerate(["TT", *(c.title for c in table.columns)], start=1):
        ws.cell(head, index, title)
    first = head + 1
    for offset, values in enumerate(table.rows):
        row = first + offset
        ws.cell(row, 1, offset + 1)
        for index, value in enumerate(values, start=2):
            as_text(ws.cell(row, index, value))   # a unit or document named «=…» stays a name
    last = first + len(table.rows) - 1
    total = last + 1
    ws.cell(total, 2, "Tổng cộng")
    for index, column in enumerate(table.columns, start=2):
        letter = get_column_letter(index)
        if column.kind == "count":
            ws.cell(total, index, f"=SUM({letter}{first}:{letter}{last})" if table.rows else 0)
        elif column.rate_of:
            part, whole = (get_column_letter(i + 2) for i in column.rate_of)
            ws.cell(total, index, f'=IF({whole}{total}=0,"",{part}{total}/{whole}{total})')
    _style_table(ws, table, head, total)
    for index, column in enumerate(table.columns, start=2):   # rates under the attendance target in red
        for offset, values in enumerate(table.rows):
            if column.below(values[index - 2]):
                ws.cell(first + offset, index).font = Font(name=FONT, size=12, color="B00020")
    if table.note and table.rows:
        as_text(ws.cell(total + 1, 2, table.note))
        ws.cell(total + 1, 2).font = Font(name=FONT, size=11, italic=True)
    _print_setup(ws, head, landscape=width > 6)


def _style_table(ws: Worksheet, table: annex.AnnexTable, head: int, total: int) -> None:
    kinds = ["count", *(c.kind for c in table.columns)]
    for row in ws.iter_rows(min_row=head, max_row=total, max_col=len(kinds)):
        for cell, kind in zip(row, kinds, strict=True):
            cell.border = BOX
            cell.font = Font(name=FONT, size=12, bold=cell.row in (head, total))
            if cell.row == head:
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
                cell.fill = PatternFill("solid", fgColor="DDE4EE")
            elif kind == "text":
                cell.alignment = Alignment(vertical="center", wrap_text=True)
            else:
                cell.number_format = RATE_FORMAT if kind == "rate" else COUNT_FORMAT
                cell.alignment = Alignment(horizontal="center" if cell.column == 1 else "right", vertical="center")
    ws.column_dimensions["A"].width = 6
    for index, column in enumerate(table.columns, start=2):
        longest = max((len(str(row[index - 2] or "")) for row in table.rows), default=0)
        wide = min(60, longest + 2) if column.kind == "text" else 0   # a name on one line, up to a point
        ws.column_dimensions[get_column_letter(index)].width = max(10, column.width * 0.6, wide)
    ws.row_dimensions[head].height = 48
    ws.freeze_panes = ws.cell(head + 1, 3)


def _print_setup(ws: Worksheet, head: int, *, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{head}:{head}"
    ws.page_margins.left, ws.page_margins.right = 30 / 25.4, 15 / 25.4
    ws.page_margins.top = ws.page_margins.bottom = 20 / 25.4


def _comparison_sheet(ws: Worksheet, data: ReportData) -> None:
    head = _title_block(ws, paper_of(data), 5, f"So sánh kết quả {data.period.label} với lũy kế và cùng kỳ")
    ws.append([])
    before = data.year_before.period
    titles = ["Chỉ tiêu", data.period.label, "Lũy kế từ đầu năm", f"Cùng kỳ năm {before.start.year}",
              "Tăng (+), giảm (−) so với cùng kỳ"]
    for index, title in enumerate(titles, start=1):
        ws.cell(head, index, title)
    for offset, (label, now, ytd, last) in enumerate(headline_rows(data), start=1):
        row = head + offset
        for index, value in enumerate((label, now, ytd if ytd is not None else now, last), start=1):
            ws.cell(row, index, value)
        ws.cell(row, 5, f"=B{row}-D{row}")
    last_row = head + len(headline_rows(data))
    for row in ws.iter_rows(min_row=head, max_row=last_row, max_col=5):
        for cell in row:
            cell.border = BOX
            cell.font = Font(name=FONT, size=12, bold=cell.row == head)
            cell.alignment = Alignment(horizontal="center" if cell.row == head else None, vertical="center",
                                       wrap_text=True)
            if cell.row > head and cell.column > 1:
                cell.number_format = '+#,##0;−#,##0;0' if cell.column == 5 else COUNT_FORMAT
    for letter, width in zip("ABCDE", (44, 18, 18, 18, 20), strict=True):
        ws.column_dimensions[letter].width = width
    _print_setup(ws, head, landscape=False)


def _charts_sheet(ws: Worksheet, data: ReportData) -> None:
    """The phụ lục's charts as Excel charts over the figures they draw, written beside them."""
    head = _title_block(ws, paper_of(data), 6, f"Biểu đồ số liệu công tác tuyên giáo {data.period.label}")
    row = head
    if charts.has_rate(data):
        ws.cell(row, 1, "Tháng")
        ws.cell(row, 2, "Tỷ lệ tham dự (lượt)")
        ws.cell(row, 3, "Chỉ tiêu")
        for offset, month in enumerate(data.months, start=1):
            ws.cell(row + offset, 1, month_label(month.period))
            as_text(ws.cell(row + offset, 1))
            ws.cell(row + offset, 2, month.rate / 100 if month.rate is not None else None)
            ws.cell(row + offset, 3, float(data.months_target) / 100)
            for column in (2, 3):
                ws.cell(row + offset, column).number_format = RATE_FORMAT
        chart = LineChart()
        chart.title = f"Biểu đồ 1. {charts.RATE_TITLE}"
        chart.y_axis.number_format = "0%"
        chart.y_axis.title = "Tỷ lệ"
        chart.height, chart.width = 8, 18
        last = row + len(data.months)
        chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=row, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=row + 1, max_row=last))
        chart.series[1].graphicalProperties.line.dashStyle = "dash"
        ws.add_chart(chart, f"E{row}")
        row = last + 12
    for number, bars in enumerate(charts.bar_sets(data), start=1 + charts.has_rate(data)):
        row = _bars(ws, row, f"Biểu đồ {number}. {bars.title}", bars.heading,
                    [(label, value / 100 if bars.percent else value) for label, value in zip(bars.labels, bars.values,
                                                                                            strict=True)],
                    ("+0%;-0%;0%" if bars.heading.startswith("Tăng") else "0%") if bars.percent else COUNT_FORMAT)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 14
    ws.column_dimensions["C"].width = 12


def _bars(ws: Worksheet, row: int, title: str, heading: str, values: list[tuple[str, float]], number_format: str) -> int:
    """A bar chart beside the figures it draws, written from `row`; returns the row after it."""
    ws.cell(row, 1, "Nội dung")
    ws.cell(row, 2, heading)
    for offset, (label, value) in enumerate(values, start=1):
        ws.cell(row + offset, 1, label)
        ws.cell(row + offset, 2, value).number_format = number_format
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.legend = None
    chart.height, chart.width = 6 + 0.5 * len(values), 18
    last = row + len(values)
    chart.add_data(Reference(ws, min_col=2, min_row=row, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=row + 1, max_row=last))
    ws.add_chart(chart, f"E{row}")
    return last + max(12, len(values) + 8)
