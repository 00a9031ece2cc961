"""The same report as a Word document (python-docx), so the office can finish the wording in Word
before signing: the same header table, sections, closing and phụ lục tables as the PDF, with the
layout profile's margins and sizes. Word lays the lines out itself; the words and numbers are ours."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app.reports import annex, official
from app.reports.data import ReportData
from app.reports.official import HD36, Layout
from app.reports.paper import Paper
from app.reports.pdf import attached_to, cell_text, number_text, summary
from app.reports.sentences import body, with_end_mark

FONT = "Times New Roman"   # Word's font; Liberation Serif has its metrics
CENTER, JUSTIFY, LEFT, RIGHT = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT,
                                WD_ALIGN_PARAGRAPH.RIGHT)


def render(data: ReportData, layout: Layout = HD36) -> bytes:
    return render_paper(paper_of(data), layout)


def paper_of(data: ReportData) -> Paper:
    return Paper(data.office, data.made_on, number_text(data), summary(data), body(data),
                 f"Số liệu công tác tuyên giáo {data.period.label}", attached_to(data), annex.tables(data),
                 data.period.label)


def render_paper(paper: Paper, layout: Layout = HD36) -> bytes:
    document = Document()
    _page(document, layout)
    _header(document, paper, layout)
    _title(document, paper, layout)
    for number, section in enumerate(paper.sections):
        _body_paragraph(document, layout, section.heading, bold=True)
        for index, part in enumerate(section.parts):
            last = number == len(paper.sections) - 1 and index == len(section.parts) - 1
            text = with_end_mark(part.text) if last else part.text
            _body_paragraph(document, layout, text, bold=part.subheading, italic=part.placeholder)
    _closing(document, paper, layout)
    _appendix(document, paper, layout)
    document.core_properties.title = f"Báo cáo {paper.summary}"
    document.core_properties.author = "Sổ Tuyên giáo"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(document, layout: Layout) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = layout.margins_mm
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
        Mm(top), Mm(bottom), Mm(left), Mm(right))
    section.header_distance = Mm(layout.page_number_top_mm)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(layout.body_size)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    # Page numbers from page 2: the first page's header stays empty.
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    _field(paragraph, "PAGE", layout.page_number_size)


def _field(paragraph, code: str, size: float) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(size)
    for kind, text in (("begin", None), (None, code), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText" if text == code else "w:t")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _run(paragraph, text: str, size: float, *, bold=False, italic=False, underline=False):
    run = paragraph.add_run(text)
    # Only what differs from the Normal style (which carries the font): a year's phụ lục has thousands of runs.
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if italic:
        run.font.italic = True
    if underline:
        run.font.underline = True
    return run


def _line(cell_or_doc, text: str, size: float, *, align=CENTER, bold=False, italic=False, underline=False, first=False):
    paragraph = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = Pt(0)
    _run(paragraph, text, size, bold=bold, italic=italic, underline=underline)
    return paragraph


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _fixed_widths(table, widths_mm) -> None:
    """Word and LibreOffice honour the grid's widths only with autofit off and every cell set."""
    table.autofit = False
    widths = [Mm(width) for width in widths_mm]
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    for row in table.rows:   # row by row: a column's cells are found by walking the whole table each time
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _two_columns(document, layout: Layout):
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _fixed_widths(table, layout.header_columns_mm)
    return table.rows[0].cells


def _header(document, paper: Paper, layout: Layout) -> None:
    office, size = paper.office, layout.header_size
    left, right = _two_columns(document, layout)
    _line(left, office.parent_body.upper(), size, first=True)
    _line(left, office.issuing_body.upper(), size, bold=True)
    _line(left, "*", size)
    _line(left, paper.number.replace(official.DRAFT_NUMBER, "     "), size)
    _line(right, official.PARTY, layout.party_size, bold=True, underline=True, first=True)
    _line(right, "", size)
    _line(right, official.date_line(office, paper.made_on), size, italic=True)


def _title(document, paper: Paper, layout: Layout) -> None:
    _line(document, "", layout.body_size)
    _line(document, "BÁO CÁO", layout.title_size, bold=True)
    _line(document, paper.summary, layout.summary_size, bold=True)
    _line(document, "-----", layout.header_size)
    _line(document, "", layout.body_size)


def _body_paragraph(document, layout: Layout, text: str, *, bold=False, italic=False) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = JUSTIFY
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Mm(layout.first_line_indent_mm)
    fmt.space_after = Pt(layout.body_after)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(layout.body_leading)
    _run(paragraph, text, layout.body_size, bold=bold, italic=italic)


def _closing(document, paper: Paper, layout: Layout) -> None:
    office = paper.office
    _line(document, "", layout.body_size)
    left, right = _two_columns(document, layout)
    _line(left, "Nơi nhận:", layout.recipients_title_size, align=LEFT, underline=True, first=True)
    for line in office.recipients.splitlines():
        if line.strip():
            _line(left, line, layout.recipients_size, align=LEFT)
    lines = [line for line in (office.signer_authority, office.signer_position) if line]
    for index, line in enumerate(lines):
        _line(right, line, layout.signature_size, bold=True, first=index == 0)
    for _ in range(4):
        _line(right, "", layout.signature_size)
    _line(right, office.signer_name, layout.signature_size, bold=True)


def _appendix(document, paper: Paper, layout: Layout) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    # The phụ lục runs on from the body's pages: its first page is numbered too (the section inherits
    # the body's header, and would otherwise take the empty first-page one).
    section.different_first_page_header_footer = False
    _line(document, "PHỤ LỤC", layout.title_size, bold=True)
    _line(document, paper.annex_heading, layout.summary_size, bold=True)
    _line(document, paper.attached.replace(official.DRAFT_NUMBER, "     "), layout.header_size, italic=True)
    size = layout.table_size - 1   # Word's cell margins are wider than the PDF's: one point less fits "100,00%"
    for number, table in enumerate(paper.tables, start=1):
        _line(document, "", size)
        _line(document, f"Biểu {number}. {table.title}", layout.body_size, align=LEFT, bold=True)
        rows = [[str(i), *(cell_text(v, c.kind, c) for v, c in zip(values, table.columns, strict=True))]
                for i, values in enumerate(table.rows, start=1)]
        total = ["", *(cell_text(v, c.kind, c) for v, c in zip(table.total(), table.columns, strict=True))]
        grid = document.add_table(rows=1, cols=len(table.columns) + 1)
        grid.style = "Table Grid"
        widths = [10, *(c.width for c in table.columns)]
        scale = min(1.0, (210 - sum(layout.margins_mm[2:])) / sum(widths))
        _fixed_widths(grid, [w * scale for w in widths])   # set first: each row added takes the grid's widths
        kinds = ["count", *(c.kind for c in table.columns)]
        for cell, title in zip(grid.rows[0].cells, ["TT", *(c.title for c in table.columns)], strict=True):
            _line(cell, title, size, bold=True, first=True)
        for values in [*rows, total]:
            cells = grid.add_row().cells
            for index, (cell, value) in enumerate(zip(cells, values, strict=True)):
                align = CENTER if index == 0 else LEFT if kinds[index] == "text" else RIGHT
                _line(cell, value, size, align=align, bold=values is total, first=True)
        if table.note and table.rows:
            _line(document, table.note, size, align=LEFT, italic=True)
