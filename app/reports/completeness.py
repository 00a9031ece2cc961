"""Biểu tổng hợp tình hình gửi báo cáo: who has reported, printed under the office's header (PDF, the
Party's layout) and as a workbook; and the công văn đôn đốc to the offices whose report has not come."""

from __future__ import annotations

import io
from datetime import date, timedelta

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, Spacer, Table, TableStyle

from app.reports import official
from app.reports.official import HD36, Layout, Styles, escape
from app.services import completeness
from app.services.completeness import Completeness
from app.services.numbers import cited_date, count_text, percent_text, short_date
from app.services.profile import ProfileInput

KIND_CODE = "CV"
REPORT_BACK_DAYS = 5     # the letter asks for the missing reports by this many days after its date
LISTED_AT_MOST = 12      # beyond this, Kính gửi and the body point to a list on its own page
RATE_ROWS = (("Số đơn vị phải báo cáo", "expected"), ("Số đơn vị đã gửi", "received"),
             ("Trong đó gửi đúng hạn", "on_time"), ("Số báo cáo bị trả lại", "returned"),
             ("Số đơn vị chưa gửi", "missing"))


def title(matrix: Completeness) -> str:
    """«Báo cáo tháng 10 năm 2026», «Báo cáo từ tháng 9 năm 2026 đến tháng 10 năm 2026»."""
    periods = matrix.periods
    span = periods[0].label if len(periods) == 1 else f"từ {periods[0].label} đến {periods[-1].label}"
    return f"Báo cáo {span}"


def terms(matrix: Completeness) -> str:
    due = "; ".join(f"{period.label}: hạn {short_date(day)}" for period, day in zip(matrix.periods, matrix.due,
                                                                                       strict=True))
    return f"(Tính đến ngày {cited_date(matrix.as_of)}; {due})"


def cell_text(cell: completeness.Cell) -> str:
    """«Đúng hạn — số 05-BC/ĐU, nhận 18/10/2026»; a dash where nothing was owed."""
    if not cell.expected:
        return "–"
    if cell.report is None:
        return cell.label
    return f"{cell.label} — số {cell.report.number_text}, nhận {short_date(cell.first_received_on)}"


def rate_lines(matrix: Completeness) -> list[tuple[str, list[str]]]:
    lines = [(label, [count_text(getattr(rates, name)) for rates in matrix.rates]) for label, name in RATE_ROWS]
    lines.append(("Tỷ lệ báo cáo", [percent_text(rates.reporting_rate) for rates in matrix.rates]))
    lines.append(("Tỷ lệ đúng hạn", [percent_text(rates.on_time_rate) for rates in matrix.rates]))
    return lines


def render_pdf(matrix: Completeness, office: ProfileInput, made_on: date, layout: Layout = HD36) -> bytes:
    styles = Styles(layout)
    story = [official.header(layout, styles, office, number="", on=made_on), Spacer(1, 6 * mm),
             Paragraph("BIỂU TỔNG HỢP TÌNH HÌNH GỬI BÁO CÁO", styles.title),
             Paragraph(escape(title(matrix)), styles.summary),
             Paragraph(escape(terms(matrix)), styles.annex_note), Spacer(1, 4 * mm)]
    usable = (210 - layout.margins_mm[2] - layout.margins_mm[3]) * mm
    count = len(matrix.periods)
    widths = [10 * mm, 55 * mm] + [(usable - 65 * mm) / count] * count
    head = [Paragraph("TT", styles.cell_head), Paragraph("Đơn vị", styles.cell_head),
            *(Paragraph(escape(period.label[:1].upper() + period.label[1:]), styles.cell_head)
              for period in matrix.periods)]
    rows = [head]
    for number, line in enumerate(matrix.lines, start=1):
        rows.append([str(number), Paragraph(escape(line.name), styles.cell),
                     *(Paragraph(escape(cell_text(cell)), styles.cell) for cell in line.cells)])
    first_rate = len(rows)
    for label, values in rate_lines(matrix):
        rows.append(["", Paragraph(f"<b>{escape(label)}</b>", styles.cell),
                     *(Paragraph(f"<b>{value}</b>", styles.cell) for value in values)])
    style = [("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("FONT", (0, 1), (0, -1), styles.family, styles.cell.fontSize), ("ALIGN", (0, 1), (0, -1), "CENTER"),
             ("SPAN", (0, first_rate), (0, -1))]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle(style))
    story += [table, Spacer(1, 3 * mm),
              Paragraph(escape("Tỷ lệ báo cáo và tỷ lệ đúng hạn tính trên số đơn vị phải báo cáo; báo cáo bị trả lại "
                               "vẫn tính là đã gửi, đúng hạn hay muộn theo ngày nhận báo cáo đầu tiên của kỳ."),
                        styles.annex_note),
              Spacer(1, 6 * mm),
              Table([["", Paragraph("NGƯỜI LẬP BIỂU", styles.signature)]], colWidths=[85 * mm, usable - 85 * mm])]
    buffer = io.BytesIO()
    official.build(layout, styles, buffer, story, title=f"Tình hình gửi báo cáo {title(matrix)}")
    return buffer.getvalue()


def render_xlsx(matrix: Completeness, office: ProfileInput, made_on: date) -> bytes:
    """The same matrix for the office's own counting: one sheet of cells, the rates as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from app.services.sheets import appended_as_text

    book = Workbook()
    ws = book.active
    ws.title = "Tình hình gửi báo cáo"
    for text in (office.parent_body.upper(), office.issuing_body.upper(), "",
                 "BIỂU TỔNG HỢP TÌNH HÌNH GỬI BÁO CÁO", title(matrix), terms(matrix)):
        ws.append([text])
        appended_as_text(ws)
    ws.append([])
    columns = ["STT", "Đơn vị", "Mã đơn vị"]
    for period in matrix.periods:
        columns += [f"{period.label}: tình hình", "Số báo cáo", "Ngày nhận", "Hạn nộp"]
    ws.append(columns)
    header_row = ws.max_row
    for number, line in enumerate(matrix.lines, start=1):
        values = [number, line.name, line.code]
        for cell in line.cells:
            values += [cell.label if cell.expected else "không phải báo cáo",
                       cell.report.number_text if cell.report else None, cell.first_received_on, cell.due_on]
        ws.append(values)
        appended_as_text(ws)
    for label, name in (*RATE_ROWS, ("Tỷ lệ báo cáo", "reporting_rate"), ("Tỷ lệ đúng hạn", "on_time_rate")):
        values = [None, label, None]
        for rates in matrix.rates:
            value = getattr(rates, name)
            values += [value / 100 if name.endswith("rate") and value is not None else value, None, None, None]
        ws.append(values)
        if name.endswith("rate"):
            for c in ws[ws.max_row][3::4]:
                c.number_format = "0.00%"
        for c in ws[ws.max_row]:
            c.font = Font(bold=True)
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=header_row, max_row=ws.max_row):
        for c in row:
            c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if isinstance(c.value, date):
                c.number_format = "DD/MM/YYYY"
    for c in ws[header_row]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDE4EE")
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 6, 36, 14
    ws.freeze_panes = ws.cell(row=header_row + 1, column=4)
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# ---- the công văn đôn đốc ---------------------------------------------------------------------

def committee(unit_name: str) -> str:
    """Who a letter to an organisation goes to: a đảng bộ's Đảng ủy, or the chi bộ cơ sở itself."""
    if unit_name.lower().startswith("đảng bộ "):
        return "Đảng ủy " + unit_name[len("Đảng bộ "):]
    return unit_name


def reminder_subject(matrix: Completeness) -> str:
    return f"V/v đôn đốc gửi báo cáo {matrix.periods[-1].label}"


def reminder_paragraphs(matrix: Completeness, office: ProfileInput, made_on: date) -> list[str]:
    period, due, rates = matrix.periods[-1], matrix.due[-1], matrix.rates[-1]
    body = official.body_name(office.issuing_body)
    missing = matrix.missing()
    overdue = made_on > due
    names = (": " + ", ".join(committee(line.name) for line in missing) if len(missing) <= LISTED_AT_MOST
             else " (danh sách kèm theo)")
    return [
        f"Theo lịch báo cáo, các đảng bộ, chi bộ cơ sở gửi báo cáo {period.label} về {body} chậm nhất ngày "
        f"{cited_date(due)}.",
        f"Tính đến ngày {cited_date(made_on)}, {body} đã nhận báo cáo của {count_text(rates.received)}/"
        f"{count_text(rates.expected)} đơn vị (đạt {percent_text(rates.reporting_rate)}), trong đó "
        f"{count_text(rates.on_time)} đơn vị gửi đúng hạn. Còn {count_text(len(missing))} đơn vị chưa gửi báo cáo"
        + (" dù đã quá hạn" if overdue else "") + f"{names}.",
        f"{body} đề nghị các đơn vị nêu trên khẩn trương hoàn thành, gửi báo cáo về {body} chậm nhất ngày "
        f"{cited_date(made_on + timedelta(days=REPORT_BACK_DAYS))} (qua gói trao đổi dữ liệu của phần mềm Sổ Tuyên "
        "giáo hoặc văn bản giấy).",
    ]


def render_reminder(matrix: Completeness, office: ProfileInput, made_on: date, *, number: int | None = None,
                    layout: Layout = HD36) -> bytes:
    styles = Styles(layout)
    missing = matrix.missing()
    story = [official.header(layout, styles, office, number=official.number_text(number, KIND_CODE,
                                                                                 office.issuing_code),
                             on=made_on, subject=reminder_subject(matrix)), Spacer(1, 8 * mm)]
    listed = len(missing) <= LISTED_AT_MOST
    addressees = ([committee(line.name) for line in missing] if listed
                  else ["Các đảng ủy, chi bộ cơ sở có tên trong danh sách kèm theo"])
    story.append(official.addressed_to(styles, addressees))
    story.append(Spacer(1, 6 * mm))
    story += [Paragraph(escape(text), styles.body) for text in reminder_paragraphs(matrix, office, made_on)]
    story.append(official.closing(layout, styles, official.as_letter(office)))
    if not listed:
        number_shown = official.number_text(number, KIND_CODE, office.issuing_code).removeprefix("Số ")
        story += [PageBreak(), Paragraph("DANH SÁCH CÁC ĐƠN VỊ CHƯA GỬI BÁO CÁO", styles.summary),
                  Paragraph(escape(f"(Kèm theo Công văn số {number_shown}, ngày {short_date(made_on)})"),
                            styles.annex_note), Spacer(1, 4 * mm)]
        rows = [[Paragraph(text, styles.cell_head) for text in ("TT", "Đơn vị", "Gửi", "Tình hình")]]
        rows += [[str(index), Paragraph(escape(line.name), styles.cell), Paragraph(escape(committee(line.name)),
                                                                                    styles.cell),
                  Paragraph(escape(line.cells[-1].label), styles.cell)] for index, line in enumerate(missing, start=1)]
        table = Table(rows, colWidths=[12 * mm, 60 * mm, 55 * mm, 38 * mm], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("FONT", (0, 1), (0, -1), styles.family, styles.cell.fontSize),
                                   ("ALIGN", (0, 1), (0, -1), "CENTER")]))
        story.append(table)
    buffer = io.BytesIO()
    official.build(layout, styles, buffer, story, title=reminder_subject(matrix))
    return buffer.getvalue()


def issue_reminder(db, actor, matrix: Completeness, office: ProfileInput, made_on: date):
    """The letter numbered in the office's công văn register and kept as issued: its PDF and register row."""
    from app.services import report_register

    drawn: list[bytes] = []

    def draw(number: int) -> bytes:
        drawn.append(render_reminder(matrix, office, made_on, number=number))
        return drawn[-1]

    row = report_register.issue_letter(db, actor, kind_code=KIND_CODE, key=f"dondocbc:{matrix.periods[-1].key}"[:40],
                                       made_on=made_on, title=reminder_subject(matrix), render=draw)
    return drawn[-1], row
