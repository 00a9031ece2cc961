"""Spreadsheets shaped like the ones communes keep (DOMAIN.md, "What real files look like")."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def cp1258(text: str) -> bytes:
    """How Excel on Vietnamese Windows saves text: letters with â ê ô ă ơ ư whole, tones as separate marks."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if not unicodedata.combining(ch):
            out.append(ch)
            continue
        base, *tones = out[-1]  # the letter so far, then any tone marks already set aside
        if ch in TONES:
            out[-1] += ch
        else:
            out[-1] = unicodedata.normalize("NFC", base + ch) + "".join(tones)
    return "".join(out).encode("cp1258")


def commune_roster(path: Path, existing: tuple[str, int]) -> Path:
    """Title rows, a two-row header (Năm sinh split into Nam / Nữ), column numbers, messy rows, totals."""
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "ĐẢNG BỘ XÃ PHONG NIÊN"
    sheet.merge_cells("A1:C1")
    sheet["A2"] = "DANH SÁCH ĐẢNG VIÊN NĂM 2026"
    sheet.merge_cells("A2:H2")
    header = ["STT", "Họ và tên", "Năm sinh", None, "Dân tộc", "Chức vụ", "Chi bộ", "Ghi chú"]
    for column, title in enumerate(header, 1):
        sheet.cell(4, column, title)
    sheet.cell(5, 3, "Nam")
    sheet.cell(5, 4, "Nữ")
    sheet.merge_cells("C4:D4")
    for letter in "ABEFGH":
        sheet.merge_cells(f"{letter}4:{letter}5")
    for column in range(1, 9):
        sheet.cell(6, column, f"({column})")
    rows = [
        [1, nfd("Nguyễn Văn Hùng"), 1968, None, "Kinh", "Bí thư chi bộ", "Thôn Tả Hà"],       # 7 good, NFD
        [2, "Lò Thị Mai", None, "12/03/1975", "Tày", None, "chi bộ thôn tả hà"],                # 8 good, text date
        [3, None, 1980, None, "Kinh", None, "Tả Hà"],                                           # 9 no name
        [4, "Vàng A Sử", 19755, None, "Mông", None, "Tả Hà"],                                   # 10 bad year
        [5, "Hoàng Văn Nam", 1970, None, "Kinh", None, "Thôn Sơn La"],                          # 11 unknown unit
        [6, "Nguyễn Văn Hùng", 1968, None, "Kinh", None, "Tả Hà"],                              # 12 twice in file
        [7, existing[0], existing[1], None, "Kinh", None, "Tả Hà"],                            # 13 already there
        [8, "Đỗ Thị Hạnh", None, datetime(1990, 5, 1), "Kinh", None, "Bắc Hà"],                 # 14 two Bắc Hà
    ]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, 1):
            sheet.cell(7 + offset, column, value)
    sheet["A15"] = "Tổng cộng: 8 đảng viên"
    sheet.merge_cells("A15:C15")
    sheet["E17"] = "Phong Niên, ngày 5 tháng 11 năm 2026"
    sheet["E18"] = "T/M CHI ỦY"
    book.save(path)
    return path


def attendance_sheet(path: Path, header: list[list[str | None]], rows: list[list], *,
                     title: str = "DANH SÁCH ĐIỂM DANH HỘI NGHỊ") -> Path:
    """An attendance list as exported: two title rows, a header of one or more rows, the rows, a totals line.

    A None in a header row under a title merges the title down; a None beside a title merges it across.
    """
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "ĐẢNG BỘ XÃ PHONG NIÊN"
    sheet["A2"] = title
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(header[0]))
    top = 4
    for offset, header_row in enumerate(header):
        for column, text in enumerate(header_row, 1):
            if text is not None:
                sheet.cell(top + offset, column, text)
    if len(header) == 2:  # merge what the second row leaves empty down, and split titles across
        for column, (upper, lower) in enumerate(zip(*header, strict=True), 1):
            if upper is not None and lower is None:
                sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
            elif upper is not None and column < len(header[0]) and header[0][column] is None:
                sheet.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + 1)
    first = top + len(header)
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, 1):
            sheet.cell(first + offset, column, value)
    sheet.cell(first + len(rows), 1, f"Tổng cộng: {len(rows)} người")
    sheet.cell(first + len(rows) + 2, 3, "Người lập biểu")
    book.save(path)
    return path


def attendance_csv(path: Path, header: list[str], rows: list[list], *, encode=cp1258) -> Path:
    """The same list saved by Excel on Vietnamese Windows as CSV: code page 1258, fields separated by `;`."""
    lines = [";".join(header), *(";".join("" if value is None else str(value) for value in row) for row in rows)]
    path.write_bytes(encode("\r\n".join(lines) + "\r\n"))
    return path
