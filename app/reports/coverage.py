"""Biểu tình hình học tập, quán triệt một văn bản: the coverage view printed (PDF, A4 landscape,
under the office's header) and exported (.xlsx), one row per required unit and a total row."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from app import clock
from app.db import Database
from app.reports import official
from app.services import profile
from app.services.auth import Actor
from app.services.documents import coverage
from app.services.errors import ValidationError
from app.services.numbers import cited_date, count_text, long_date, percent_text, ratio, short_date
from app.services.profile import ProfileInput
from app.services.sheets import appended_as_text, as_text

HEADERS = ("STT", "Đơn vị", "Tình hình", "Kế hoạch của\nđơn vị (số, ngày)", "Ngày tổ chức\n(buổi đầu)", "Số buổi",
           "Đảng viên\ndự / phải dự", "Tỷ lệ", "Ghi chú")
ROWS_PER_TABLE = 500  # a district's chi bộ in one table; beyond, tables of this size (one huge table costs more than linearly)


@dataclass(frozen=True)
class CoverageSheet:
    parent_body: str        # HUYỆN ỦY BẢO THẮNG
    issuing_body: str       # BAN TUYÊN GIÁO
    place_name: str
    made_on: date
    cover: coverage.Coverage
    office: ProfileInput | None = None   # the profile in force on `made_on`, for the official header

    @property
    def title(self) -> str:
        doc = self.cover.document
        issuer = f" của {doc.issuer}" if doc.issuer else ""
        return f"{doc.kind.label} số {doc.number}, ngày {cited_date(doc.issued_on)}{issuer}"

    @property
    def terms(self) -> str:
        cover = self.cover
        deadline = f"thời hạn {cited_date(cover.deadline)}" if cover.deadline else "không đặt thời hạn"
        return (f"(Tính đến ngày {cited_date(cover.as_of)}; {deadline}; chỉ tiêu tham dự "
                f"{percent_text(float(cover.target))})")

    def cells(self, number: int, line: coverage.CoverageLine) -> list[str]:
        return [str(number), line.unit_name, line.parent_name, coverage.STATE_LABELS[line.state],
                short_date(line.first_held_on), str(line.meetings or ""),
                f"{count_text(line.attended)}/{count_text(line.required)}" if line.required else "",
                percent_text(line.rate) if line.required else "", "Dưới chỉ tiêu" if line.below_target else "",
                line.plan_text]

    def total(self) -> list[str]:
        lines = self.cover.lines
        attended, required = sum(line.attended for line in lines), sum(line.required for line in lines)
        plans = (f"{self.cover.plans_done}/{self.cover.plans_expected} đã ban hành"
                 if self.cover.plans_expected else "")
        return ["", "Tổng cộng", "", f"{self.cover.done}/{len(lines)} đã tổ chức", "",
                count_text(sum(line.meetings for line in lines)),
                f"{count_text(attended)}/{count_text(required)}" if required else "",
                percent_text(ratio(attended, required)) if required else "",
                f"{self.cover.below_target} dưới chỉ tiêu" if self.cover.below_target else "", plans]

    def sentences(self) -> str:
        """What the sheet says above its table: the sessions held, then the plans issued."""
        return " ".join(filter(None, (self.cover.sentence(), self.cover.plan_sentence())))


def dated(as_of: date | None, made_on: date | None) -> date:
    """The date a coverage sheet or reminder letter carries: the one given, else the day it is counted to
    (a sheet as of a past day is dated that day), else today; never before the day it counts to."""
    made_on = made_on or as_of or clock.today()
    if as_of and made_on < as_of:
        raise ValidationError.one("made_on", f"Ngày ghi trên văn bản ({short_date(made_on)}) trước ngày tính đến "
                                             f"({short_date(as_of)}): hãy chọn ngày từ {short_date(as_of)} trở đi.")
    return made_on


def build(db: Database, actor: Actor, document_id: int, *, as_of: date | None = None,
          made_on: date | None = None) -> CoverageSheet:
    made_on = dated(as_of, made_on)
    cover = coverage.for_document(db, actor, document_id, as_of=as_of)
    office = profile.for_actor(db, actor, made_on)   # a clerk's sheet under his commune's Đảng ủy
    return CoverageSheet(office.parent_body if office else "", office.issuing_body if office else "",
                         office.place_name if office else "", made_on, cover, office)


def render_pdf(sheet: CoverageSheet, path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from app.reports.fonts import register

    family = register()
    base = ParagraphStyle("base", fontName=family, fontSize=13, leading=17)
    centre = ParagraphStyle("centre", parent=base, alignment=TA_CENTER)
    cell = ParagraphStyle("cell", parent=base, fontSize=11.5, leading=13.5)
    head = ParagraphStyle("head", parent=cell, alignment=TA_CENTER, fontName=f"{family}-Bold")
    if sheet.office is not None:   # the header at the rule's sizes, as on the report, across the landscape page
        layout = replace(official.HD36, header_columns_mm=(110, 142))
        header = official.header(layout, official.Styles(layout), sheet.office, number="", on=sheet.made_on)
    else:
        where = f"{sheet.place_name}, " if sheet.place_name else ""
        header = Table([[Paragraph(f"{sheet.parent_body.upper()}<br/><b>{sheet.issuing_body.upper()}</b><br/>*", centre),
                         Paragraph("<b><u>ĐẢNG CỘNG SẢN VIỆT NAM</u></b><br/><br/>"
                                   f"<i>{where}{long_date(sheet.made_on)}</i>", centre)]],
                       colWidths=[95 * mm, 130 * mm])
        header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story = [header, Spacer(1, 6 * mm),
             Paragraph("<b>BIỂU TÌNH HÌNH HỌC TẬP, QUÁN TRIỆT</b>",
                       ParagraphStyle("h", parent=centre, fontSize=15, leading=19)),
             Paragraph(f"<b>{sheet.title}</b>", centre), Paragraph(f"<i>{sheet.terms}</i>", centre),
             Spacer(1, 4 * mm),
             Paragraph(sheet.sentences(), ParagraphStyle("body", parent=base, alignment=TA_JUSTIFY,
                                                         firstLineIndent=10 * mm)),
             Spacer(1, 3 * mm)]
    widths = [12 * mm, 62 * mm, 36 * mm, 35 * mm, 24 * mm, 14 * mm, 28 * mm, 20 * mm, 28 * mm]
    red = colors.HexColor("#b00020")
    rows, styles, parent = [], [], None    # the units under a heading row for each đảng bộ
    for number, line in enumerate(sheet.cover.lines, start=1):
        if line.parent_name != parent:
            parent = line.parent_name
            rows.append(["", Paragraph(f"<b>{parent}</b>", cell), "", "", "", "", "", "", ""])
            styles.append([("SPAN", (1, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7"))])
        state = coverage.STATE_LABELS[line.state]
        if line.state in (coverage.OVERDUE, coverage.LATE):
            state = f'<font color="#b00020">{state}</font>'
        values = sheet.cells(number, line)
        plan = values[9].replace(", ", "<br/>", 1) if line.plan else values[9]
        if line.plan_state in (coverage.OVERDUE, coverage.LATE):
            plan = f'<font color="#b00020">{plan}</font>'
        rows.append([values[0], Paragraph(line.unit_name, cell), Paragraph(state, cell), Paragraph(plan, cell),
                     *values[4:8], Paragraph(values[8], cell)])
        styles.append([("TEXTCOLOR", (7, 0), (7, 0), red)] if line.below_target else [])
    total = sheet.total()
    rows.append(["", Paragraph("<b>Tổng cộng</b>", cell), Paragraph(f"<b>{total[3]}</b>", cell),
                 Paragraph(f"<b>{total[9]}</b>", cell), "", *total[5:8], Paragraph(f"<b>{total[8]}</b>", cell)])
    styles.append([("FONT", (0, 0), (-1, 0), f"{family}-Bold", 11.5)])
    for start in range(0, len(rows), ROWS_PER_TABLE):
        body = [[Paragraph(text.replace("\n", "<br/>"), head) for text in HEADERS], *rows[start:start + ROWS_PER_TABLE]]
        style = [("FONT", (0, 1), (-1, -1), family, 11.5), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("ALIGN", (0, 1), (0, -1), "CENTER"),
                 ("ALIGN", (4, 1), (4, -1), "CENTER"), ("ALIGN", (5, 1), (7, -1), "RIGHT")]
        for offset, extra in enumerate(styles[start:start + ROWS_PER_TABLE], start=1):
            style += [(name, (a[0], offset), (b[0], offset), *rest) for name, a, b, *rest in extra]
        table = Table(body, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle(style))
        story.append(table)
    story += [Spacer(1, 8 * mm),
              Table([["", Paragraph("<b>NGƯỜI LẬP BIỂU</b>", centre)]], colWidths=[150 * mm, 95 * mm])]

    def page_number(canvas, document) -> None:   # from page 2, centred at the top
        canvas.setFont(family, 13)
        canvas.drawCentredString(document.pagesize[0] / 2, document.pagesize[1] - 10 * mm, str(document.page))

    document = SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=20 * mm, rightMargin=15 * mm,
                                 topMargin=18 * mm, bottomMargin=15 * mm, invariant=1, author="Sổ Tuyên giáo",
                                 title=f"Tình hình thực hiện {sheet.cover.document.number}")
    document.build(story, onLaterPages=page_number)


def render_xlsx(sheet: CoverageSheet, path: Path) -> None:
    """The same table for the office's own figures: numbers as numbers, dates as dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    book = Workbook()
    ws = book.active
    ws.title = "Tình hình thực hiện"
    cover = sheet.cover
    # The official title block, as on the printed sheet: the office on the left, the Party on the right.
    where = f"{sheet.place_name}, " if sheet.place_name else ""
    block = ((1, "A", "D", sheet.parent_body.upper(), False, False), (2, "A", "D", sheet.issuing_body.upper(), True, False),
             (3, "A", "D", "*", False, False), (1, "G", "L", "ĐẢNG CỘNG SẢN VIỆT NAM", True, False),
             (2, "G", "L", f"{where}{long_date(sheet.made_on)}", False, True))
    for row, start, end, text, bold, italic in block:
        ws.merge_cells(f"{start}{row}:{end}{row}")
        cell = ws[f"{start}{row}"]
        cell.value = text
        as_text(cell)
        cell.font = Font(bold=bold, italic=italic, size=13, underline="single" if text.startswith("ĐẢNG CỘNG") else None)
        cell.alignment = Alignment(horizontal="center")
    ws.append([])
    for line in (f"BIỂU TÌNH HÌNH HỌC TẬP, QUÁN TRIỆT {sheet.title.upper()}", sheet.terms, sheet.sentences()):
        ws.append([line])
        appended_as_text(ws)
    title_row = ws.max_row - 2
    ws.append([])
    columns = ("STT", "Đơn vị", "Mã đơn vị", "Trực thuộc", "Tình hình", "Ngày tổ chức (buổi đầu)", "Tên buổi đầu", "Số buổi",
               "Đảng viên dự", "Đảng viên phải dự", "Tỷ lệ", "Dưới chỉ tiêu", "Kế hoạch của đơn vị (số)",
               "Ngày ban hành kế hoạch", "Tình hình kế hoạch")
    ws.append(columns)
    header_row = ws.max_row
    for number, line in enumerate(cover.lines, start=1):
        ws.append([number, line.unit_name, line.unit_code, line.parent_name, coverage.STATE_LABELS[line.state],
                   line.first_held_on,
                   line.first_title or None, line.meetings, line.attended if line.required else None,
                   line.required or None, line.rate / 100 if line.rate is not None and line.done else None,
                   "x" if line.below_target else None, line.plan.number if line.plan else None,
                   line.plan.issued_on if line.plan else None,
                   coverage.PLAN_LABELS[line.plan_state] if line.plan_state else None])
        appended_as_text(ws)   # names and titles written by people stay text
    first, last = header_row + 1, ws.max_row
    ws.append([None, "Tổng cộng", None, None, f"{cover.done}/{len(cover.lines)} đã tổ chức", None, None,
               f"=SUM(H{first}:H{last})" if cover.lines else 0, f"=SUM(I{first}:I{last})" if cover.lines else 0,
               f"=SUM(J{first}:J{last})" if cover.lines else 0,
               f"=IF(J{last + 1}=0,\"\",I{last + 1}/J{last + 1})", cover.below_target or None,
               f"=COUNTA(M{first}:M{last})" if cover.lines else 0, None,
               f"{cover.plans_done}/{cover.plans_expected} đã ban hành" if cover.plans_expected else None])
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=header_row, max_row=ws.max_row):
        for c in row:
            c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            c.alignment = Alignment(vertical="center", wrap_text=c.row == header_row)
    for c in ws[header_row]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDE4EE")
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for c in ws[ws.max_row]:
        c.font = Font(bold=True)
    for c in ws["F"][first - 1:]:
        c.number_format = "DD/MM/YYYY"
    for c in ws["K"][first - 1:]:
        c.number_format = "0.00%"
    for c in ws["N"][first - 1:]:
        c.number_format = "DD/MM/YYYY"
    ws.cell(title_row, 1).font = Font(bold=True, size=13)
    for column, width in zip("ABCDEFGHIJKLMNO", (6, 34, 14, 26, 20, 14, 44, 9, 12, 12, 9, 10, 16, 14, 20), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = ws.cell(row=first, column=3)
    # Ready to print: A4 landscape, one page wide, the column titles on every page.
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_margins.left, ws.page_margins.right = 30 / 25.4, 15 / 25.4
    ws.page_margins.top = ws.page_margins.bottom = 20 / 25.4
    book.save(path)
