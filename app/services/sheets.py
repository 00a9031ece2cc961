"""Reading a spreadsheet or CSV file the way its author saw it: rows of cells, merged cells filled.

Commune files are .xlsx made in Excel, or CSV saved by Excel on Vietnamese Windows (code page 1258,
fields separated by `;`). Nothing here knows what the columns mean; people_import.py and meetings/attendance_import.py do.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from app.config import SETTINGS
from app.services.errors import ValidationError
from app.services.search import clean

Cell = str | int | float | date | datetime | None


@dataclass(frozen=True)
class Table:
    name: str               # the file's name, for messages
    rows: list[list[Cell]]  # rows[i] is the file's row i + 1, as Excel numbers it

    @cached_property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def cell(self, line: int, column: int) -> Cell:
        row = self.rows[line - 1]
        return row[column] if column < len(row) else None


def cell_text(value: Cell) -> str:
    """A cell as the user reads it: dates dd/mm/yyyy, 1975.0 as 1975, text in NFC."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return clean(str(value))


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how Excel names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# A cell whose text begins so is taken for a formula by spreadsheet programs (CSV injection): what the
# app writes from people's data never does so, and names beginning so are refused where they come in.
FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: Cell) -> Cell:
    """A value for a CSV file: text that a spreadsheet would take for a formula gets a leading «'»."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_LEADS) else value


def as_text(cell) -> None:
    """An openpyxl cell holding people's text is stored as text, never as the formula openpyxl makes of «=…»."""
    if isinstance(cell.value, str) and cell.data_type == "f":
        cell.data_type = "s"


def appended_as_text(sheet) -> None:
    """The row just appended to a worksheet: each of its cells stored as text where it is text."""
    for cell in sheet[sheet.max_row]:
        as_text(cell)


def read_table(path: Path) -> Table:
    """The first sheet with data of an .xlsx, or a CSV file; a ValidationError on "file" otherwise."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError.one("file", f"Không tìm thấy tệp «{path}».")
    if path.stat().st_size > SETTINGS.file_max_bytes:
        raise ValidationError.one("file", f"Tệp «{path.name}» lớn quá {SETTINGS.file_max_bytes // 1_000_000} MB.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return Table(path.name, _xlsx_rows(path))
    if suffix in (".csv", ".txt"):
        return Table(path.name, _csv_rows(path.name, path.read_bytes()))
    if suffix == ".xls":
        raise ValidationError.one("file", f"Tệp «{path.name}» là định dạng Excel 97–2003 (.xls): hãy mở bằng Excel "
                                          "và lưu lại dưới dạng .xlsx rồi chọn lại.")
    raise ValidationError.one("file", f"Tệp «{path.name}» không phải bảng tính .xlsx hay .csv.")


def _xlsx_rows(path: Path) -> list[list[Cell]]:
    from openpyxl import load_workbook  # not on the way to the first window
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, data_only=True)  # a formula gives the value Excel last computed
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ValidationError.one("file", f"Không đọc được tệp «{path.name}»: tệp hỏng hoặc không phải .xlsx.") \
            from error
    sheets = [workbook.active, *workbook.worksheets]
    sheet = next((s for s in sheets if s is not None and s.max_row > 1), workbook.worksheets[0])
    rows = [list(row) for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, min_col=1,
                                                 max_col=sheet.max_column, values_only=True)]
    # A merged cell holds its value in the top-left corner only; every cell it covers shows it.
    for merged in sheet.merged_cells.ranges:
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for line in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                rows[line - 1][column - 1] = value
    return rows


def _csv_rows(name: str, raw: bytes) -> list[list[Cell]]:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text (*.txt)": UTF-16 with a BOM, fields separated by tabs.
        raw = raw.decode("utf-16").encode("utf-8")
    if b"\x00" in raw[:20_000]:
        raise ValidationError.one("file", f"Tệp «{name}» không phải văn bản CSV (có ký tự nhị phân): hãy mở bằng "
                                          "Excel rồi lưu lại dạng .xlsx hoặc CSV.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Vietnamese Windows saves "CSV" in code page 1258 (tones as combining marks: clean() composes them).
        text = raw.decode("cp1258", errors="replace")
    sample = text[:20_000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:  # too few rows to tell: the Vietnamese Excel default unless commas dominate
        delimiter = ";" if sample.count(";") >= sample.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
