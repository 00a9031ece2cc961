"""Reading a spreadsheet or CSV file the way its author saw it: rows of cells, merged cells filled.

Commune files are .xlsx made in Excel, or CSV saved by Excel on Vietnamese Windows (code page 1258,
fields separated by `;`). Nothing here knows what the columns mean; people_import.py and meetings/attendance_import.py do.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from app.config import SETTINGS
from app.services.errors import ValidationError
from app.services.numbers import count_text
from app.services.search import clean

MB = 1024 * 1024

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


def writable(value: Cell) -> Cell:
    """A value a workbook can hold: the control characters a damaged file brought in are dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


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
        raise ValidationError.one("file", f"Tệp «{path.name}» lớn quá {SETTINGS.file_max_bytes // MB} MB.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return Table(path.name, _xlsx_rows(path))
    if suffix in (".csv", ".txt"):
        return Table(path.name, _csv_rows(path.name, path.read_bytes()))
    if suffix == ".xls":
        raise ValidationError.one("file", f"Tệp «{path.name}» là định dạng Excel 97–2003 (.xls): hãy mở bằng Excel "
                                          "và lưu lại dưới dạng .xlsx rồi chọn lại.")
    raise ValidationError.one("file", f"Tệp «{path.name}» không phải bảng tính .xlsx hay .csv.")


def _too_big(name: str, rows: int, columns: int) -> ValidationError:
    return ValidationError.one("file", f"Tệp «{name}» có {count_text(rows)} dòng × {count_text(columns)} cột: vượt "
                                       f"giới hạn {count_text(SETTINGS.sheet_max_rows)} dòng và "
                                       f"{count_text(SETTINGS.sheet_max_columns)} cột của một bảng nhập; hãy chia nhỏ "
                                       "tệp hoặc xóa các ô thừa ở xa.")


def _check_unpacked_size(path: Path) -> None:
    """A few KB of .xlsx may unpack to gigabytes (a zip bomb): refused from the zip's own table."""
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError,
            NotImplementedError) as error:   # a damaged table may claim a zip version nobody made
        raise ValidationError.one("file", f"Không đọc được tệp «{path.name}»: tệp hỏng hoặc không phải .xlsx.") \
            from error
    if unpacked > SETTINGS.sheet_max_unpacked_bytes:
        raise ValidationError.one("file", f"Tệp «{path.name}» giải nén ra {count_text(unpacked // MB)} MB, vượt giới "
                                          f"hạn {count_text(SETTINGS.sheet_max_unpacked_bytes // MB)} MB của một bảng "
                                          "nhập.")


def _xlsx_rows(path: Path) -> list[list[Cell]]:
    from openpyxl import load_workbook  # not on the way to the first window

    _check_unpacked_size(path)
    try:
        workbook = load_workbook(path, data_only=True)  # a formula gives the value Excel last computed
        sheets = [workbook.active, *workbook.worksheets]
        sheet = next((s for s in sheets if s is not None and s.max_row > 1), workbook.worksheets[0])
        formulas = _formulas(path, sheet.title)
    except Exception as error:   # openpyxl fails on damaged sheet XML in many ways, each a file problem
        raise ValidationError.one("file", f"Không đọc được tệp «{path.name}»: tệp hỏng hoặc không phải .xlsx.") \
            from error
    if sheet.max_row > SETTINGS.sheet_max_rows or sheet.max_column > SETTINGS.sheet_max_columns:
        raise _too_big(path.name, sheet.max_row, sheet.max_column)
    rows = [list(row) for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, min_col=1,
                                                 max_col=sheet.max_column, values_only=True)]
    # A formula nobody computed (the file was written by a program, not saved by Excel) has no value: it
    # is read as its text, «=…», so that the row is refused for what it is rather than for a missing cell.
    for (line, column), text in formulas.items():
        if line <= len(rows) and column <= len(rows[line - 1]) and rows[line - 1][column - 1] is None:
            rows[line - 1][column - 1] = text
    # A merged cell holds its value in the top-left corner only; every cell it covers shows it (within
    # the cells that exist: a damaged file may merge far beyond them).
    for merged in sheet.merged_cells.ranges:
        if merged.min_row > len(rows) or merged.min_col > len(rows[0]):
            continue
        value = rows[merged.min_row - 1][merged.min_col - 1]
        for line in range(merged.min_row, min(merged.max_row, len(rows)) + 1):
            for column in range(merged.min_col, min(merged.max_col, len(rows[line - 1])) + 1):
                rows[line - 1][column - 1] = value
    return rows


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")


def _formulas(path: Path, title: str) -> dict[tuple[int, int], str]:
    """(row, column) -> «=…» of the sheet's formula cells; read a second time only when it has any."""
    from openpyxl import load_workbook

    with zipfile.ZipFile(path) as archive:
        if not any(_FORMULA_TAG.search(archive.read(name)) for name in archive.namelist()
                   if name.startswith("xl/worksheets/")):
            return {}
    sheet = load_workbook(path, data_only=False)[title]
    return {(cell.row, cell.column): str(cell.value) for row in sheet.iter_rows() for cell in row
            if cell.data_type == "f"}


def _csv_rows(name: str, raw: bytes) -> list[list[Cell]]:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text (*.txt)": UTF-16 with a BOM, fields separated by tabs.
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as error:
            raise ValidationError.one("file", f"Tệp «{name}» ghi dạng Unicode (UTF-16) nhưng bị cắt cụt hoặc hỏng.") \
                from error
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
    rows: list[list[Cell]] = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if len(rows) >= SETTINGS.sheet_max_rows or len(row) > SETTINGS.sheet_max_columns:
                raise _too_big(name, max(len(rows) + 1, reader.line_num), len(row))
            rows.append(row)
    except csv.Error as error:   # a cell longer than the csv module's limit, a stray NUL…
        raise ValidationError.one("file", f"Tệp «{name}», dòng {reader.line_num}: một ô dài quá "
                                          f"{count_text(csv.field_size_limit())} ký tự hoặc có ký tự lạ; hãy kiểm tra "
                                          "lại tệp.") from error
    return rows
