"""Importing people from a commune's spreadsheet: guess the columns, check every row, write in one go.

`guess_mapping` finds the header row (below title rows, over one or two rows) and the columns;
`check` reads the file and the database and returns a preview with each row's problems in
Vietnamese; `commit` checks again inside its transaction and writes every good row or nothing.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.models import Membership, Person
from app.models.enums import Gender, MembershipStatus
from app.services import audit, columns, people, units
from app.services.auth import Actor, Permission, require
from app.services.columns import Field, Mapping
from app.services.errors import Conflict, ValidationError
from app.services.progress import QUIET, Progress
from app.services.scope import scope_unit_ids
from app.services.search import fold
from app.services.sheets import Cell, Table, appended_as_text, cell_text, column_letter, csv_text, writable

FIELDS = (
    columns.NAME, columns.BIRTH, columns.BIRTH_MALE, columns.BIRTH_FEMALE,
    Field("gender", "Giới tính", ("gioi tinh", "nam/nu", "nam nu", "gioi")),
    Field("ethnicity", "Dân tộc", ("dan toc",)),
    Field("position", "Chức vụ", ("chuc vu", "chuc vu nghe nghiep", "nghe nghiep", "chuc danh", "chuc vu dang")),
    columns.UNIT,
    Field("status", "Trạng thái", ("trang thai", "tinh trang", "tinh trang sinh hoat", "trang thai sinh hoat")),
    Field("since", "Sinh hoạt từ ngày", ("sinh hoat tu ngay", "ngay chuyen den", "ngay bat dau sinh hoat")),
    Field("admitted", "Ngày vào Đảng", ("ngay vao dang", "nam vao dang", "ngay ket nap", "ngay ket nap dang",
                                        "ngay vao dang chinh thuc")),
)
# Điều lệ Đảng, Điều 1: a Vietnamese citizen is admitted from the age of eighteen.
ADMISSION_AGE = 18
FIELD_LABELS = {f.key: f.label for f in FIELDS}
FLUSH_EVERY = 250

_GENDERS = {"nam": Gender.MALE, "m": Gender.MALE, "male": Gender.MALE,
            "nu": Gender.FEMALE, "f": Gender.FEMALE, "female": Gender.FEMALE}
_STATUSES = {fold(s.label): s for s in MembershipStatus} | {
    "": MembershipStatus.ACTIVE, "dang sh": MembershipStatus.ACTIVE, "sinh hoat": MembershipStatus.ACTIVE,
    "mien sh": MembershipStatus.EXEMPT, "mien": MembershipStatus.EXEMPT, "mien shd": MembershipStatus.EXEMPT,
    "chuyen di": MembershipStatus.TRANSFERRED_OUT, "da chuyen": MembershipStatus.TRANSFERRED_OUT,
    "chuyen sinh hoat": MembershipStatus.TRANSFERRED_OUT, "da mat": MembershipStatus.DECEASED,
    "da tu tran": MembershipStatus.DECEASED}


@dataclass(frozen=True)
class ImportOptions:
    since: date                          # membership start for rows without their own date
    default_unit_id: int | None = None   # a file for one chi bộ: the unit of rows that name none


@dataclass
class ImportRow:
    line: int                        # the row number the user sees in Excel
    cells: list[str]                 # the row as read, for the preview and the file of bad rows
    person: people.PersonInput | None = None
    unit_id: int | None = None
    unit_name: str = ""
    status: MembershipStatus = MembershipStatus.ACTIVE
    since: date | None = None
    errors: list[str] = field(default_factory=list)
    skipped: str = ""                # why this row is not a person (a totals row, a group title…)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.skipped


@dataclass
class ImportPreview:
    table: Table
    mapping: Mapping
    options: ImportOptions
    titles: list[str]                # one per column: "C — Họ và tên"
    rows: list[ImportRow]

    @property
    def good(self) -> list[ImportRow]:
        return [row for row in self.rows if row.ok]

    @property
    def bad(self) -> list[ImportRow]:
        return [row for row in self.rows if row.errors]

    @property
    def skipped(self) -> list[ImportRow]:
        return [row for row in self.rows if row.skipped]


# ---- the header ------------------------------------------------------------------------------

def guess_mapping(table: Table) -> Mapping:
    return columns.guess_mapping(table, FIELDS)


def mapping_at(table: Table, header_line: int) -> Mapping:
    return columns.mapping_at(table, header_line, FIELDS)


_QUALIFIER = re.compile(r"\s*[(),;–—]\s*|\s+-\s+")   # what a file writes between a name and its commune


class _UnitFinder:
    """Units the actor may import into, found by name ("Chi bộ thôn 1" or "Thôn 1") or code."""

    def __init__(self, session: Session, actor: Actor, on: date) -> None:
        scope = scope_unit_ids(session, actor, on)
        nodes = units.nodes_on(session, on)
        told_apart = units.distinct_names(nodes)   # «Chi bộ thôn Cóc (xã Phong Niên)» where two share a name
        self.names: dict[int, str] = {}
        self.codes: dict[int, str] = {}
        self.parents: dict[int, str] = {}
        self.by_key: dict[str, set[int]] = {}
        names = {node.id: node.name for node in nodes}
        for node in nodes:
            if scope is not None and node.id not in scope:
                continue
            self.names[node.id], self.codes[node.id] = told_apart[node.id], node.code
            self.parents[node.id] = names.get(node.parent_id, "")
            for key in {*columns.unit_keys(node.name), *columns.unit_keys(told_apart[node.id]), node.code.lower()}:
                self.by_key.setdefault(key, set()).add(node.id)

    def find(self, text: str) -> set[int]:
        """The units a file's text names; a name two units share may say whose it is after it:
        «Thôn Cóc (Phong Niên)», «Thôn Cóc - xã Phong Niên», «Thôn Cóc, Phong Niên»."""
        found = self._by_name(text)
        if len(found) != 1:
            name, *qualifiers = _QUALIFIER.split(text)
            qualifier = " ".join(part for part in qualifiers if part.strip())
            if qualifier:
                wanted = set(columns.unit_keys(qualifier))
                named = {unit_id for unit_id in self._by_name(name)
                         if wanted & {*columns.unit_keys(self.parents[unit_id]), self.codes[unit_id].lower()}}
                found = named or found
        return found

    def _by_name(self, text: str) -> set[int]:
        for key in columns.unit_keys(text):
            if key in self.by_key:
                return self.by_key[key]
        return set()

    def choices(self, found: set[int]) -> str:
        """Same-named units as a clerk tells them apart: «Chi bộ thôn Cóc (xã Phong Niên)» (mã PHONGNIEN-03)."""
        return "; ".join(sorted(self.names[unit_id] if self.codes[unit_id] in self.names[unit_id]
                                else f"{self.names[unit_id]} (mã {self.codes[unit_id]})" for unit_id in found))


def _existing(session: Session, names: set[str]) -> dict[tuple[str, int | None], str]:
    """People already on a roll (active or exempt), by folded name and birth year -> "name, unit"."""
    current_units = units.in_force(clock.today()).subquery()
    found: dict[tuple[str, int | None], str] = {}
    ordered = sorted(names)
    for start in range(0, len(ordered), 500):
        query = (select(Person.name_folded, Person.birth_year, Person.full_name, current_units.c.name)
                 .join(Membership, (Membership.person_id == Person.id) & Membership.valid_to.is_(None))
                 .join(current_units, current_units.c.id == Membership.unit_id)
                 .where(Person.name_folded.in_(ordered[start:start + 500]), Person.deleted_at.is_(None),
                        Membership.status.in_((MembershipStatus.ACTIVE, MembershipStatus.EXEMPT))))
        for folded, year, full_name, unit_name in session.execute(query):
            found.setdefault((folded, year), f"{full_name}{f', sinh năm {year}' if year else ''}, {unit_name}")
    return found


# ---- checking ----------------------------------------------------------------------------------

def check(db: Database, actor: Actor, table: Table, mapping: Mapping, options: ImportOptions) -> ImportPreview:
    """Every row read and checked; nothing written."""
    require(actor, Permission.EDIT_PEOPLE)
    with db.session_scope() as session:
        return _check(session, actor, table, mapping, options)


def _check(session: Session, actor: Actor, table: Table, mapping: Mapping, options: ImportOptions) -> ImportPreview:
    if "full_name" not in mapping.columns:
        raise ValidationError.one("full_name", "Hãy chọn cột «Họ và tên».")
    if options.since > clock.today():
        raise ValidationError.one("since", "Ngày bắt đầu sinh hoạt không được ở tương lai.")
    finder = _UnitFinder(session, actor, options.since)
    if options.default_unit_id is not None and options.default_unit_id not in finder.names:
        raise ValidationError.one("default_unit_id", "Chi bộ chung đã chọn nằm ngoài phạm vi của bạn.")
    titles = columns.column_titles(table, mapping)
    rows: list[ImportRow] = []
    group_unit: int | None = None
    for line in range(mapping.header_line + 1, len(table.rows) + 1):
        row = ImportRow(line, [cell_text(table.cell(line, c)) for c in range(table.width)])
        texts = [text for text in row.cells if text]
        if not texts:
            continue
        values = {key: table.cell(line, column) for key, column in mapping.columns.items()}
        name_text = cell_text(values["full_name"])
        ending = columns.end_of_table(texts[0], name_text)
        if ending:
            rows.append(_skip(row, ending))
            break
        if columns.is_column_numbers(texts):
            rows.append(_skip(row, "dòng đánh số cột"))
            continue
        if len(set(texts)) == 1:  # one text alone, maybe merged across the row: a group title?
            found = finder.find(columns.without_numbering(texts[0]))
            if len(found) == 1:
                group_unit = next(iter(found))
                rows.append(_skip(row, f"tiêu đề nhóm: các dòng dưới thuộc {finder.names[group_unit]}"))
                continue
            if len(texts) > 1 or not name_text:
                rows.append(_skip(row, "dòng tiêu đề, không có họ tên"))
                continue
        _read_row(session, row, values, titles, mapping, options, finder, group_unit)
        rows.append(row)
    _mark_duplicates(session, rows)
    return ImportPreview(table, mapping, options, titles, rows)


def _skip(row: ImportRow, reason: str) -> ImportRow:
    row.skipped = reason
    return row


def _read_row(session: Session, row: ImportRow, values: dict[str, Cell], titles: list[str], mapping: Mapping,
              options: ImportOptions, finder: _UnitFinder, group_unit: int | None) -> None:
    def where(key: str) -> str:
        return columns.where(FIELDS, mapping, key)

    errors = row.errors
    legacy = columns.legacy_text(values, where)
    if legacy:
        errors.append(legacy)
        return
    name = cell_text(values["full_name"])
    if not name:
        errors.append(f"Thiếu {where('full_name')}.")

    birth = columns.birth_of(values, where)
    errors.extend(birth.errors)
    birth_year, gender, birth_where = birth.year, birth.gender, birth.source
    gender_text = cell_text(values.get("gender"))
    if gender_text:
        if fold(gender_text) not in _GENDERS:
            errors.append(f"{where('gender')}: «{gender_text}» không rõ; hãy ghi Nam hoặc Nữ.")
        elif gender is not None and _GENDERS[fold(gender_text)] is not gender:
            errors.append(f"{where('gender')}: «{gender_text}» khác với cột ghi năm sinh.")
        else:
            gender = _GENDERS[fold(gender_text)]

    status_text = cell_text(values.get("status"))
    if fold(status_text) in _STATUSES:
        row.status = _STATUSES[fold(status_text)]
    else:
        labels = ", ".join(s.label for s in MembershipStatus)
        errors.append(f"{where('status')}: «{status_text}» không rõ; hãy ghi một trong: {labels}.")

    row.since = options.since
    since_text = cell_text(values.get("since"))
    if since_text:
        try:
            row.since = columns.date_of(values["since"])
        except ValueError:
            errors.append(f"{where('since')}: «{since_text}» không phải ngày dd/mm/yyyy.")
        else:
            if row.since > clock.today():
                errors.append(f"{where('since')}: {row.since:%d/%m/%Y} ở tương lai.")

    _check_admission_age(row, values, birth_year, birth_where, where, errors)

    unit_text = cell_text(values.get("unit"))
    if unit_text:
        found = finder.find(unit_text)
        if not found:
            errors.append(f"{where('unit')}: không tìm thấy «{unit_text}» trong phạm vi của bạn.")
        elif len(found) > 1:
            errors.append(f"{where('unit')}: có {len(found)} đơn vị cùng tên «{unit_text}»: {finder.choices(found)}. "
                          "Hãy ghi một trong các tên trên, hoặc mã đơn vị.")
        else:
            row.unit_id = next(iter(found))
    else:
        row.unit_id = group_unit or options.default_unit_id
        if row.unit_id is None:
            missing = f"Thiếu {where('unit')}" if "unit" in mapping.columns else "Thiếu chi bộ"
            errors.append(f"{missing}: hãy ghi chi bộ hoặc chọn một chi bộ chung cho cả tệp.")
    if row.unit_id is not None:
        row.unit_name = finder.names[row.unit_id]
        unit_errors: dict[str, str] = {}
        people.check_member_unit(session, row.unit_id, row.since or options.since, unit_errors)
        errors.extend(f"{row.unit_name}: {message}" for message in unit_errors.values())

    data = people.PersonInput(name, birth_year, gender, cell_text(values.get("ethnicity")) or None,
                              cell_text(values.get("position")) or None)
    try:
        row.person = people.validate(data)
    except ValidationError as error:
        for key, message in error.errors.items():
            if key == "birth_year":
                errors.append(birth_where + message[0].lower() + message[1:])
            elif key != "full_name" or name:  # a missing name is reported above, with its column
                errors.append(message)


def _check_admission_age(row: ImportRow, values: dict[str, Cell], birth_year: int | None, birth_where: str,
                         where, errors: list[str]) -> None:
    """A party member admitted, or already in a chi bộ, before eighteen is a mistake in the file."""
    if birth_year is None:
        return
    admitted_text = cell_text(values.get("admitted"))
    if admitted_text:
        try:
            year = columns.year_of(values["admitted"])
            what = f"vào Đảng năm {year}"
        except ValueError:
            errors.append(f"{where('admitted')}: «{admitted_text}» không phải ngày dd/mm/yyyy hay năm.")
            return
    elif row.since is not None:
        year, what = row.since.year, f"sinh hoạt đảng từ năm {row.since.year}"
    else:
        return
    if year - birth_year < ADMISSION_AGE:
        errors.append(f"{birth_where}sinh năm {birth_year} mà {what}: chưa đủ {ADMISSION_AGE} tuổi (Điều lệ Đảng chỉ "
                      f"kết nạp người từ đủ {ADMISSION_AGE} tuổi).")


def _mark_duplicates(session: Session, rows: list[ImportRow]) -> None:
    candidates = [row for row in rows if row.person is not None and not row.skipped]
    existing = _existing(session, {fold(row.person.full_name) for row in candidates})
    first_line: dict[tuple[str, int | None], int] = {}
    for row in candidates:
        key = (fold(row.person.full_name), row.person.birth_year)
        if key in first_line:
            same = "cùng họ tên và năm sinh" if key[1] else "cùng họ tên, không ghi năm sinh"
            row.errors.append(f"Trùng với dòng {first_line[key]} ({same}).")
        else:
            first_line[key] = row.line
        if key in existing:
            row.errors.append(f"Đã có trong danh sách: {existing[key]}.")


STOPPED = "Đã dừng nhập; chưa ghi người nào."

# ---- writing -----------------------------------------------------------------------------------

def commit(db: Database, actor: Actor, preview: ImportPreview, *, progress: Progress = QUIET) -> int:
    """All the good rows of the preview in one transaction; checked again first, so nothing slips in."""
    require(actor, Permission.EDIT_PEOPLE)
    with db.session_scope() as session:
        fresh = _check(session, actor, preview.table, preview.mapping, preview.options)
        good = fresh.good
        if [row.line for row in good] != [row.line for row in preview.good]:
            raise Conflict("Danh sách đảng viên vừa thay đổi từ lúc xem trước; hãy xem trước lại rồi nhập.")
        if not good:
            raise ValidationError.one("file", "Không có dòng hợp lệ nào để nhập.")
        added = []
        # Every check reads before the first write, so the file is locked against other writers only while
        # the rows are written (a few seconds for 20,000), not while they are checked.
        with session.no_autoflush:
            for done, row in enumerate(good, 1):
                progress.check(STOPPED)
                added.append(people.new_person(session, db, actor, row.person, unit_id=row.unit_id,
                                               status=row.status, since=row.since))
                if done % FLUSH_EVERY == 0 or done == len(good):
                    progress.step(done, len(good), STOPPED)
        session.flush()  # batched INSERTs
        people.record_added(session, actor, added)
        audit.record(session, actor, "nhập tệp", "person", "", f"Nhập {len(good)} người từ tệp "
                     f"{preview.table.name}", after={"file": preview.table.name, "added": len(good),
                                                    "rejected": len(fresh.bad)})
        return len(good)


def save_rejected(preview: ImportPreview, path: Path) -> int:
    """The bad rows as they were, each with its problems, to fix and import again (.xlsx or .csv)."""
    path = Path(path)
    # The original headers, so that the fixed file is recognised when imported again.
    header = ["Dòng trong tệp gốc", *(" ".join(words) for words in columns.header_texts(preview.table, preview.mapping)),
              "Lỗi"]
    rows = [[row.line, *row.cells, "; ".join(row.errors)] for row in preview.bad]
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(header)
            writer.writerows([[csv_text(value) for value in row] for row in rows])
        return len(rows)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Dòng lỗi"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([writable(value) for value in row])
        appended_as_text(sheet)
    sheet.freeze_panes = "B2"
    for index, title in enumerate(header):
        sheet.column_dimensions[column_letter(index)].width = min(60, max(10, len(title) + 2))
    sheet.column_dimensions[column_letter(len(header) - 1)].width = 80
    for (cell,) in sheet.iter_rows(min_row=2, min_col=len(header), max_col=len(header)):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(path)
    return len(rows)
