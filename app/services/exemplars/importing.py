"""Importing good examples from a workbook the office already keeps: find the header, read every row, and
write all of them in one transaction or none (each problem named by its row and column).

Columns (in any order, named as offices name them): Loại, Tên, Đơn vị (mã hoặc tên), Ngày công nhận,
Hình thức, Cấp khen, Văn bản (số), Nội dung. Blank rows are passed over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.models.enums import Commendation, ExemplarKind
from app.services import closed_periods, columns
from app.services.auth import Actor, Permission, require
from app.services.columns import Field, Mapping
from app.services.documents.register import search as find_documents
from app.services.errors import PermissionDenied, ValidationError
from app.services.exemplars import register
from app.services.numbers import count_text
from app.services.scope import tree_in_scope
from app.services.search import fold
from app.services.sheets import Table, cell_text, column_letter, read_table

KIND = Field("kind", "Loại", ("loai", "loai mo hinh", "phan loai"))
TITLE = Field("title", "Tên", ("ten", "ten mo hinh", "ten mo hinh dien hinh", "mo hinh dien hinh",
                               "ten tap the ca nhan", "ten mo hinh tap the ca nhan"))
UNIT = Field("unit", "Đơn vị", ("don vi", "ma don vi", "don vi co mo hinh", "chi bo dang bo"))
DAY = Field("recognised_on", "Ngày công nhận", ("ngay cong nhan", "ngay khen", "ngay khen thuong", "ngay"))
LEVEL = Field("commendation", "Hình thức", ("hinh thuc", "hinh thuc khen", "hinh thuc khen thuong"))
BY = Field("awarded_by", "Cấp khen", ("cap khen", "co quan khen", "noi khen", "cap khen thuong"))
DOCUMENT = Field("document", "Văn bản", ("van ban", "so van ban", "thuc hien van ban"))
DESCRIPTION = Field("description", "Nội dung", ("noi dung", "ket qua", "noi dung ket qua"))
FIELDS = (KIND, TITLE, UNIT, DAY, LEVEL, BY, DOCUMENT, DESCRIPTION)
NEEDED = (KIND, TITLE, UNIT, DAY, LEVEL)
KINDS = {fold(kind.label): kind for kind in ExemplarKind} | {
    "mo hinh": ExemplarKind.MODEL, "tap the": ExemplarKind.COLLECTIVE, "ca nhan": ExemplarKind.PERSON}
LEVELS = {fold(level.label): level for level in Commendation} | {
    "phat hien": Commendation.NOTED, "theo doi": Commendation.NOTED, "chua khen": Commendation.NOTED}


@dataclass
class Preview:
    name: str
    rows: list[tuple[int, register.ExemplarInput]]   # (the row as Excel numbers it, what it holds)
    problems: list[str]                               # "Dòng 5, cột C (Đơn vị): …"


def _header(table: Table) -> Mapping:
    for line in range(1, min(len(table.rows), columns.HEADER_SEARCH_LINES) + 1):
        mapping = columns.mapping_at(table, line, FIELDS)
        if all(field.key in mapping.columns for field in NEEDED):
            return mapping
    raise ValidationError.one("file", "Không tìm thấy dòng tiêu đề có đủ các cột: "
                                      + ", ".join(field.label for field in NEEDED) + ".")


def _read(session: Session, db: Database, actor: Actor, table: Table, today: date) -> Preview:
    mapping = _header(table)
    nodes = tree_in_scope(db, actor, today)
    by_code = {node.code.upper(): node.id for node in nodes}
    by_name: dict[str, list] = {}
    for node in nodes:
        by_name.setdefault(fold(node.name), []).append(node)
    labels = {field.key: field.label for field in FIELDS}
    rows, problems = [], []
    for line in range(mapping.header_line + 1, len(table.rows) + 1):
        cells = {key: table.cell(line, column) for key, column in mapping.columns.items()}
        texts = {key: cell_text(value) for key, value in cells.items()}
        if not any(texts.values()):
            continue

        def where(key: str, line: int = line) -> str:
            return f"Dòng {line}, cột {column_letter(mapping.columns[key])} ({labels[key]})"

        found: dict[str, str] = {}   # column → its problem, the first one said
        named = by_name.get(fold(texts["unit"]), [])
        unit_id = by_code.get(texts["unit"].upper()) or (named[0].id if len(named) == 1 else None)
        if len(named) > 1 and unit_id is None:   # two villages of one name: the code tells them apart
            found["unit"] = (f"{where('unit')}: có {len(named)} đơn vị tên «{texts['unit']}»; hãy ghi mã đơn vị ("
                             + ", ".join(node.code for node in named) + ").")
        elif texts["unit"] and unit_id is None:
            found["unit"] = f"{where('unit')}: không có đơn vị «{texts['unit']}» trong phạm vi của bạn."
        try:
            day = columns.date_of(cells["recognised_on"]) if texts["recognised_on"] else None
        except ValueError:
            day = None
            found["recognised_on"] = (f"{where('recognised_on')}: «{texts['recognised_on']}» không phải ngày "
                                      "dd/mm/yyyy.")
        document_id = None
        number = texts.get("document", "")
        if number:
            matches = [row for row in find_documents(db, actor, number) if fold(row.number) == fold(number)]
            if len(matches) == 1:
                document_id = matches[0].id
            else:
                found["document"] = f"{where('document')}: không có văn bản số «{number}» trong sổ văn bản."
        data = register.ExemplarInput(
            kind=KINDS.get(fold(texts["kind"])), title=texts["title"], unit_id=unit_id, recognised_on=day,
            commendation=LEVELS.get(fold(texts["commendation"])), awarded_by=texts.get("awarded_by", ""),
            description=texts.get("description", ""), document_id=document_id)
        try:
            data = register.validate(session, actor, data, today)
            closed_periods.require_open(session, data.unit_id, data.recognised_on, field="recognised_on")
        except PermissionDenied as error:   # a unit of his today that was not his on that day
            found.setdefault("unit", f"{where('unit')}: {error}")
        except ValidationError as error:
            for key, message in error.errors.items():
                column = {"unit_id": "unit", "document_id": "document"}.get(key, key)
                place = where(column) if column in mapping.columns else f"Dòng {line}"
                found.setdefault(column, f"{place}: {message}")
        if found:
            problems += found.values()
        else:
            rows.append((line, data))
    if not rows and not problems:
        problems.append(f"Tệp «{table.name}» không có dòng dữ liệu nào dưới dòng tiêu đề.")
    return Preview(table.name, rows, problems)


def check(db: Database, actor: Actor, path: Path, *, today: date | None = None) -> Preview:
    """What the file holds, row by row; nothing is written."""
    require(actor, Permission.EDIT_MEETINGS)
    table = read_table(path)
    with db.session_scope() as session:
        return _read(session, db, actor, table, today or clock.today())


def commit(db: Database, actor: Actor, preview: Preview) -> int:
    """Write every row in one transaction, checked again inside it; the count written."""
    require(actor, Permission.EDIT_MEETINGS)
    if preview.problems:
        raise ValidationError.one("file", f"Tệp «{preview.name}» còn {count_text(len(preview.problems))} lỗi: "
                                          "chưa ghi dòng nào.")
    today = clock.today()
    with db.session_scope() as session:
        for line, data in preview.rows:
            try:
                register.create_in(session, db, actor, register.validate(session, actor, data, today))
            except ValidationError as error:
                raise ValidationError.one("file", f"Dòng {line}: " + " ".join(error.errors.values())) from None
        return len(preview.rows)
