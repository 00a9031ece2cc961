"""What a spreadsheet's columns mean: find the header under the title rows, read years and dates.

Shared by every import (people, attendance). Each import lists its own `Field`s; the header is the
row among the first ones that names the most of them (over one row, or two when a column such as
"Năm sinh" is split into Nam / Nữ underneath).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from app.models.enums import Gender
from app.services.search import fold
from app.services.sheets import Cell, Table, cell_text, column_letter

HEADER_SEARCH_LINES = 30

_PARENTHESES = re.compile(r"\([^)]*\)")
_NOT_WORD = re.compile(r"[^a-z0-9/ ]+")
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_MONTH_YEAR_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
# Latin-1 letters Vietnamese uses; any other character of that block means a TCVN3 or VNI font.
_VIETNAMESE_LATIN1 = set("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý«»°")
_COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
# "Tổng cộng: 45", or a cell that is just "Cộng" (not a person called Tống Văn Công).
_TOTALS = re.compile(r"^(tong cong|tong so)\b|^(tong|cong)\s*:?$")
_FOOTER = re.compile(r"^(nguoi lap|t/m|tm |bi thu|xac nhan|ghi chu)|\bngay .* thang .* nam\b")
_NUMBERING = re.compile(r"^([ivxlc]+|\d+|[a-z])[.)\-]\s*", re.IGNORECASE)
_UNIT_WORD = re.compile(r"^(chi bo|dang bo)\s+")
_PLACE_WORD = re.compile(r"^(thon|ban|bon|xom|ap|khu|to dan pho|to)\s+")


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    aliases: tuple[str, ...]  # header texts of real files, folded (see header_key)


# The columns that say who a row is about, in every file communes keep.
NAME = Field("full_name", "Họ và tên", ("ho va ten", "ho ten", "ho va ten dang vien", "ten dang vien",
                                        "ho va ten khai sinh"))
BIRTH = Field("birth", "Năm sinh / ngày sinh", ("nam sinh", "ngay sinh", "ngay thang nam sinh", "sinh ngay",
                                                "nam sinh ngay sinh"))
# The old paper form: a "Năm sinh" column split into Nam and Nữ, the year written under one of them.
BIRTH_MALE = Field("birth_male", "Năm sinh (nam)", ("nam sinh nam", "ngay sinh nam", "ngay thang nam sinh nam"))
BIRTH_FEMALE = Field("birth_female", "Năm sinh (nữ)", ("nam sinh nu", "ngay sinh nu", "ngay thang nam sinh nu"))
UNIT = Field("unit", "Chi bộ", ("chi bo", "ten chi bo", "chi bo sinh hoat", "sinh hoat tai chi bo", "thuoc chi bo",
                                "don vi", "don vi sinh hoat"))
BIRTH_FIELDS = ((BIRTH.key, None), (BIRTH_MALE.key, Gender.MALE), (BIRTH_FEMALE.key, Gender.FEMALE))


@dataclass
class Mapping:
    header_line: int                 # the header's last row; data starts below it (0: no header)
    columns: dict[str, int]          # field key -> column index, 0-based
    header_rows: int = 1


# ---- the header ------------------------------------------------------------------------------

def header_key(value: Cell) -> str:
    """"Ngày, tháng, năm sinh (dd/mm/yyyy):" -> "ngay thang nam sinh"."""
    text = _PARENTHESES.sub(" ", fold(cell_text(value)))
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _column_labels(table: Table, line: int, header_rows: int) -> list[str]:
    labels = []
    for column in range(table.width):
        top = header_key(table.cell(line, column))
        sub = header_key(table.cell(line + 1, column)) if header_rows == 2 else ""
        labels.append(top if sub in ("", top) else f"{top} {sub}".strip())
    return labels


def _match_columns(table: Table, line: int, header_rows: int, fields: tuple[Field, ...]) -> dict[str, int]:
    field_of_alias = {alias: f.key for f in fields for alias in f.aliases}
    columns: dict[str, int] = {}
    tops = _column_labels(table, line, 1)
    for column, label in enumerate(_column_labels(table, line, header_rows)):
        key = field_of_alias.get(label) or field_of_alias.get(tops[column])
        if key and key not in columns:
            columns[key] = column
    if BIRTH_MALE.key in columns or BIRTH_FEMALE.key in columns:
        columns.pop(BIRTH.key, None)
    return columns


def guess_mapping(table: Table, fields: tuple[Field, ...]) -> Mapping:
    """The header among the first rows that names the most known columns (with Họ và tên)."""
    best: tuple[int, int, int, dict[str, int]] | None = None
    for line in range(1, min(len(table.rows), HEADER_SEARCH_LINES) + 1):
        for header_rows in (1, 2):
            if line + header_rows - 1 > len(table.rows):
                continue
            columns = _match_columns(table, line, header_rows, fields)
            if NAME.key in columns and (best is None or len(columns) > best[0]):
                best = (len(columns), line, header_rows, columns)
    if best is None:
        return Mapping(0, {})
    _, line, header_rows, columns = best
    return Mapping(line + header_rows - 1, columns, header_rows)


def mapping_at(table: Table, header_line: int, fields: tuple[Field, ...]) -> Mapping:
    """The columns recognised when the user says the header ends on this row (over one or two rows)."""
    if not 1 <= header_line <= len(table.rows):
        return Mapping(0, {})
    one = _match_columns(table, header_line, 1, fields)
    two = _match_columns(table, header_line - 1, 2, fields) if header_line > 1 else {}
    return Mapping(header_line, two, 2) if len(two) > len(one) else Mapping(header_line, one, 1)


def header_texts(table: Table, mapping: Mapping) -> list[list[str]]:
    """Each column's header as written, one text per header row (merged cells counted once)."""
    first = max(mapping.header_line - mapping.header_rows + 1, 1)
    texts = []
    for column in range(table.width):
        words: list[str] = []
        for line in range(first, mapping.header_line + 1):
            text = cell_text(table.cell(line, column))
            if text and text not in words:
                words.append(text)
        texts.append(words)
    return texts


def column_titles(table: Table, mapping: Mapping) -> list[str]:
    """"C — Năm sinh / Nam" for each column, as the mapping step shows them."""
    return [f"{column_letter(column)} — {' / '.join(words)}" if words else column_letter(column)
            for column, words in enumerate(header_texts(table, mapping))]


def where(fields: tuple[Field, ...], mapping: Mapping, key: str) -> str:
    """"«Năm sinh / ngày sinh» (cột C)": how a message names a column."""
    label = next(f.label for f in fields if f.key == key)
    return f"«{label}» (cột {column_letter(mapping.columns[key])})"


# ---- rows that are not data ------------------------------------------------------------------

def end_of_table(first_text: str, name_text: str) -> str:
    """Why the table ends at this row (a totals row, the signatures below it), or ""."""
    if _TOTALS.match(fold(first_text)):
        return "dòng tổng cộng (bỏ qua, và cả phần cuối bảng)"
    if _FOOTER.search(fold(name_text) or fold(first_text)):
        return "phần ký tên cuối bảng (bỏ qua từ đây)"
    return ""


def is_column_numbers(texts: list[str]) -> bool:
    """The row "(1) (2) (3) …" printed under many headers."""
    return len(texts) >= 3 and all(_COLUMN_NUMBER.match(text) for text in texts)


def without_numbering(text: str) -> str:
    """"II. Chi bộ thôn 2" -> "Chi bộ thôn 2"."""
    return _NUMBERING.sub("", text)


def unit_keys(name: str) -> list[str]:
    """"Chi bộ thôn Tả Hà" -> ["chi bo thon ta ha", "thon ta ha", "ta ha"]: files write any of them."""
    keys = [fold(name)]
    keys.append(_UNIT_WORD.sub("", keys[0]))
    keys.append(_PLACE_WORD.sub("", keys[-1]))
    return list(dict.fromkeys(key for key in keys if key))


# ---- values ----------------------------------------------------------------------------------

def date_of(value: Cell) -> date:
    """A date cell, or text dd/mm/yyyy (also with - or .). A bare number is not taken for a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE_TEXT.match(cell_text(value))
    if not match:
        raise ValueError
    day, month, year = (int(part) for part in match.groups())
    return date(year, month, day)


def year_of(value: Cell) -> int:
    """A year (1975, "1975", 1975.0), or the year of a date written any of the ways above."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer() \
            and 1000 <= value <= 2999:
        return int(value)
    text = cell_text(value)
    if text.isdigit() and len(text) == 4:
        return int(text)
    match = _MONTH_YEAR_TEXT.match(text)
    if match and 1 <= int(match.group(1)) <= 12:
        return int(match.group(2))
    return date_of(value).year


def looks_legacy(text: str) -> bool:
    """Text typed in an old TCVN3 or VNI font, which shows as Latin-1 gibberish in Unicode."""
    return any("\u00a1" <= ch <= "\u00ff" and ch not in _VIETNAMESE_LATIN1 for ch in text)


def legacy_text(values: dict[str, Cell], column_name) -> str:
    """The message for a row typed in an old font, naming the first such column ("" when none)."""
    for key, value in values.items():
        if isinstance(value, str) and looks_legacy(value):
            return (f"{column_name(key)}: chữ được gõ bằng phông cũ (TCVN3/VNI): hãy chuyển sang Unicode "
                    "(ví dụ Unikey → Công cụ chuyển mã) rồi nhập lại.")
    return ""


@dataclass
class Birth:
    year: int | None = None
    gender: Gender | None = None   # known when the year sits under Nam or Nữ
    source: str = ""               # "«Năm sinh» (cột C): «1975»: ", to put before a message about the year
    errors: tuple[str, ...] = ()


def birth_of(values: dict[str, Cell], column_name) -> Birth:
    """The birth year of a row, from one "Năm sinh" column or from Nam / Nữ columns."""
    birth, errors = Birth(), []
    for key, sex in BIRTH_FIELDS:
        text = cell_text(values.get(key))
        if not text:
            continue
        if birth.year is not None:
            errors.append("Năm sinh được ghi ở cả cột Nam và cột Nữ.")
            break
        try:
            birth = Birth(year_of(values[key]), sex, f"{column_name(key)}: «{text}»: ")
        except ValueError:
            errors.append(f"{column_name(key)}: «{text}» không đọc được; hãy ghi năm (1975) hoặc ngày dd/mm/yyyy.")
    birth.errors = tuple(errors)
    return birth
