"""Any list as it is shown, to .xlsx: a title, the filters that made it, the columns, every row, print-ready.

The rows come in pages from the same service call the list pages with, so ten years of sessions are written
without holding them all; people's text stays text (a name beginning with «=» is never a formula).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from app.services.numbers import short_date
from app.services.safe_write import atomic_writer
from app.services.sheets import as_text, writable

TITLE_ROWS = 4   # title, filters, made on, a blank row


def write(path: Path, title: str, filters: list[str], headers: list[str], widths: list[int],
          rows: Iterable[list], made_at: datetime) -> int:
    """Write the list; the number of rows written."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31].replace("/", "-") or "Danh sách"
    last = get_column_letter(len(headers))
    sheet["A1"] = title.upper()
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = "Điều kiện lọc: " + ("; ".join(filters) if filters else "không lọc (tất cả)")
    sheet["A2"].font = Font(italic=True)
    sheet["A3"] = f"Xuất ngày {short_date(made_at.date())} lúc {made_at:%H:%M}"
    for row in (1, 2, 3):
        sheet.merge_cells(f"A{row}:{last}{row}")
        sheet[f"A{row}"].alignment = Alignment(wrap_text=True, vertical="top")
        as_text(sheet[f"A{row}"])
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_row = TITLE_ROWS + 1
    for column, (name, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = sheet.cell(header_row, column, name)
        cell.font, cell.border = Font(bold=True), box
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = max(6, round(width / 7))
    written = 0
    for values in rows:
        written += 1
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(header_row + written, column, writable(value))
            cell.border = box
            as_text(cell)
    # Print-ready: A4 landscape, one page wide, the column titles on every page.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    with atomic_writer(path) as stream:
        book.save(stream)
    return written
