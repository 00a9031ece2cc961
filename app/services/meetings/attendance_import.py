"""Attendance from a file that other party software or a commune spreadsheet exported.

Each row is matched to the session's roster by name, then birth year, then chi bộ (text folded,
NFC). A row that fits nobody, or several people, waits until the clerk matches it by hand, adds it
as a guest or leaves it out. `apply` returns the roster with the file's marks; the session dialog
shows it, and nothing is written until the session itself is saved (where it is checked again).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from app.models.enums import Presence
from app.services import columns
from app.services.auth import Actor, Permission, require
from app.services.columns import BIRTH, BIRTH_FEMALE, BIRTH_MALE, NAME, UNIT, Field, Mapping
from app.services.errors import ValidationError
from app.services.meetings import RosterLine
from app.services.numbers import short_date
from app.services.search import clean, fold
from app.services.sheets import Cell, Table, cell_text

FIELDS = (
    NAME, BIRTH, BIRTH_MALE, BIRTH_FEMALE, UNIT,
    Field("presence", "Điểm danh", ("diem danh", "ket qua diem danh", "tham du", "tinh hinh tham du", "tinh trang",
                                    "tinh trang tham du", "co mat/vang", "co mat vang", "trang thai")),
    # Forms with one column per mark, ticked with an x.
    Field("present_mark", "Cột «Có mặt»", ("co mat", "tham du co mat", "du")),
    Field("excused_mark", "Cột «Vắng có lý do»", ("vang co ly do", "vang co phep", "co ly do", "co phep",
                                                  "tham du vang co ly do")),
    Field("unexcused_mark", "Cột «Vắng không lý do»", ("vang khong ly do", "vang khong phep", "khong ly do",
                                                      "khong phep", "tham du vang khong ly do")),
    Field("absent_mark", "Cột «Vắng»", ("vang", "vang mat", "tham du vang")),
    Field("reason", "Lý do vắng", ("ly do vang", "ly do", "ly do vang mat", "ghi chu")),
)
MARK_COLUMNS = {"present_mark": Presence.PRESENT, "excused_mark": Presence.EXCUSED,
                "unexcused_mark": Presence.UNEXCUSED, "absent_mark": None}
PRESENCE_KEYS = ("presence", *MARK_COLUMNS)
NEAR_MISSES = 5

_NOT_WORD = re.compile(r"[^a-z0-9✓√ ]+")
_PRESENT = {"co mat", "co", "cm", "x", "1", "tham du", "du", "✓", "√", "dat"}
_EXCUSED = {"vang co ly do", "vang co phep", "co ly do", "co phep", "vcld", "vcp", "vang co ld", "vang cld"}
_UNEXCUSED = {"vang khong ly do", "vang khong phep", "khong ly do", "khong phep", "vkld", "vkp", "kp", "vang kld"}
_ABSENT = {"vang", "v", "vang mat", "0"}   # excused when the row gives a reason, else unexcused
_NOT_TICKED = {"", "0", "-", "khong"}
PRESENCE_WORDS = "Có mặt (x, CM), Vắng có lý do (VCLD, có phép), Vắng không lý do (VKLD), Vắng"

# What became of a row.
SKIPPED, BAD, MATCHED, GUEST, LEFT_OUT, AMBIGUOUS, UNMATCHED = (
    "skipped", "bad", "matched", "guest", "left_out", "ambiguous", "unmatched")
STATE_LABELS = {SKIPPED: "Bỏ qua", BAD: "Lỗi", MATCHED: "Đã ghép", GUEST: "Khách mời", LEFT_OUT: "Không nhập",
                AMBIGUOUS: "Nhiều người trùng", UNMATCHED: "Không tìm thấy"}


@dataclass
class AttendanceRow:
    line: int                        # the row number the user sees in Excel
    cells: list[str]
    name: str = ""
    birth_year: int | None = None
    unit_text: str = ""
    group_unit: str = ""             # the group title above the row ("Chi bộ thôn 2"), if any
    presence: Presence | None = None
    reason: str = ""
    errors: list[str] = field(default_factory=list)
    skipped: str = ""
    person_id: int | None = None     # the roster member this row is about
    candidates: list[int] = field(default_factory=list)  # who it may be, when not matched
    problem: str = ""                # why it was not matched by itself
    unresolved: str = UNMATCHED      # AMBIGUOUS when several members fit
    by_hand: bool = False
    as_guest: bool = False
    left_out: bool = False

    @property
    def state(self) -> str:
        if self.skipped:
            return SKIPPED
        if self.errors:
            return BAD
        if self.left_out:
            return LEFT_OUT
        if self.as_guest:
            return GUEST
        if self.person_id is not None:
            return MATCHED
        return self.unresolved

    @property
    def waiting(self) -> bool:
        return self.state in (AMBIGUOUS, UNMATCHED)


@dataclass
class AttendancePreview:
    table: Table
    mapping: Mapping
    rows: list[AttendanceRow]
    members: dict[int, RosterLine]   # the roster members rows can be matched to, by person

    def in_state(self, *states: str) -> list[AttendanceRow]:
        return [row for row in self.rows if row.state in states]

    @property
    def waiting(self) -> list[AttendanceRow]:
        return [row for row in self.rows if row.waiting]

    def row(self, line: int) -> AttendanceRow:
        return next(row for row in self.rows if row.line == line)

    def member_label(self, person_id: int) -> str:
        line = self.members[person_id]
        year = f" ({line.birth_year})" if line.birth_year else ""
        return f"{line.full_name}{year} — {line.unit_name}"


def guess_mapping(table: Table) -> Mapping:
    return columns.guess_mapping(table, FIELDS)


def mapping_at(table: Table, header_line: int) -> Mapping:
    return columns.mapping_at(table, header_line, FIELDS)


# ---- reading rows ----------------------------------------------------------------------------

def _word_key(text: str) -> str:
    """"Vắng (có lý do)" -> "vang co ly do"."""
    return " ".join(_NOT_WORD.sub(" ", fold(text)).split())


def _presence_of(text: str, reason: str) -> Presence | None:
    key = _word_key(text)
    if key in _PRESENT or key == _word_key(Presence.PRESENT.label):
        return Presence.PRESENT
    if key in _EXCUSED or key == _word_key(Presence.EXCUSED.label):
        return Presence.EXCUSED
    if key in _UNEXCUSED or key == _word_key(Presence.UNEXCUSED.label):
        return Presence.UNEXCUSED
    if key in _ABSENT:
        return Presence.EXCUSED if reason else Presence.UNEXCUSED
    raise ValueError


def _read_presence(row: AttendanceRow, values: dict[str, Cell], where) -> None:
    row.reason = cell_text(values.get("reason"))
    text = cell_text(values.get("presence"))
    if text:
        try:
            row.presence = _presence_of(text, row.reason)
        except ValueError:
            row.errors.append(f"{where('presence')}: «{text}» không rõ; hãy ghi một trong: {PRESENCE_WORDS}.")
            return
    ticked = [key for key in MARK_COLUMNS if _word_key(cell_text(values.get(key))) not in _NOT_TICKED]
    if len(ticked) > 1 or (ticked and text):
        names = ", ".join(where(key) for key in (["presence"] if text else []) + ticked)
        row.errors.append(f"Đánh dấu ở nhiều cột cùng lúc: {names}; mỗi người chỉ một.")
        return
    if ticked:
        row.presence = MARK_COLUMNS[ticked[0]] or (Presence.EXCUSED if row.reason else Presence.UNEXCUSED)
    if row.presence is Presence.PRESENT:
        row.reason = ""  # a note beside a present member is not a reason for absence


def _read_row(row: AttendanceRow, values: dict[str, Cell], mapping: Mapping) -> None:
    def where(key: str) -> str:
        return columns.where(FIELDS, mapping, key)

    legacy = columns.legacy_text(values, where)
    if legacy:
        row.errors.append(legacy)
        return
    row.name = cell_text(values[NAME.key])
    if not row.name:
        row.errors.append(f"Thiếu {where(NAME.key)}.")
    birth = columns.birth_of(values, where)
    row.errors.extend(birth.errors)
    if birth.year is not None and not 1900 <= birth.year <= 2100:
        row.errors.append(f"{birth.source}năm sinh không hợp lý.")
    else:
        row.birth_year = birth.year
    row.unit_text = cell_text(values.get(UNIT.key))
    _read_presence(row, values, where)


# ---- matching --------------------------------------------------------------------------------

def _unit_fits(unit_text: str, unit_name: str) -> bool:
    return bool(set(columns.unit_keys(unit_text)) & set(columns.unit_keys(unit_name)))


def _spelled(name: str) -> str:
    """A name as written, tone marks and all ("Bính" is not "Bình"), whatever its case or Unicode form."""
    return clean(name).casefold()


class _Names:
    """The roster's members by their name as spelled, and by the name without marks for near matches."""

    def __init__(self, members: Iterable[RosterLine]) -> None:
        self.spelled: dict[str, list[RosterLine]] = defaultdict(list)
        self.folded: dict[str, list[RosterLine]] = defaultdict(list)
        for line in members:
            self.spelled[_spelled(line.full_name)].append(line)
            self.folded[fold(line.full_name)].append(line)


def _match(row: AttendanceRow, names: _Names) -> None:
    same_name = names.spelled.get(_spelled(row.name), [])
    if not same_name:
        near = names.folded.get(fold(row.name), [])
        if near:   # the same letters with other tone marks: offered, never taken by itself
            row.candidates = [line.person_id for line in near]
            listed = ", ".join(f"«{line.full_name}»" for line in near)
            row.problem = (f"Không có ai tên đúng «{row.name}»; gần giống {listed} (khác dấu): hãy chọn đúng người "
                           "nếu là một.")
        else:
            row.problem = f"Không có ai tên «{row.name}» trong danh sách dự kiến của hội nghị."
        return
    fits = [line for line in same_name if row.birth_year is None or line.birth_year in (None, row.birth_year)]
    if not fits:
        years = ", ".join(str(line.birth_year) for line in same_name)
        row.candidates = [line.person_id for line in same_name]
        row.problem = f"Không khớp năm sinh: trong danh sách «{row.name}» sinh năm {years}, tệp ghi {row.birth_year}."
        return
    unit_text = row.unit_text or row.group_unit
    if unit_text:
        in_unit = [line for line in fits if _unit_fits(unit_text, line.unit_name)]
        if not in_unit:
            units_named = ", ".join(sorted({line.unit_name for line in fits}))
            row.candidates = [line.person_id for line in fits]
            row.problem = f"Không khớp chi bộ: «{row.name}» ở {units_named}, tệp ghi «{unit_text}»."
            return
        fits = in_unit
    if len(fits) > 1:
        row.candidates, row.unresolved = [line.person_id for line in fits], AMBIGUOUS
        row.problem = f"Có {len(fits)} người cùng họ tên «{row.name}»" + \
            ("" if row.birth_year else " và tệp không ghi năm sinh") + ": hãy chọn đúng người."
        return
    row.person_id = fits[0].person_id


def _roster_conflict(row: AttendanceRow, member: RosterLine) -> str:
    """What saving this row's mark would refuse (meetings/roster.py), said of the file's row."""
    if row.presence is Presence.PRESENT and member.made_up_on is not None:
        return (f"{member.full_name} đã được ghi học bù ngày {short_date(member.made_up_on)} "
                "(tức là vắng buổi này), tệp lại ghi có mặt: hãy sửa tệp, hoặc xóa phần học bù trước.")
    if row.presence is Presence.EXCUSED and not row.reason:
        return f"{member.full_name} vắng có lý do nhưng tệp không ghi lý do."
    return ""


def _mark_twice_matched(rows: list[AttendanceRow], members: dict[int, RosterLine]) -> None:
    first_line: dict[int, int] = {}
    for row in rows:
        if row.person_id is None or row.state != MATCHED:
            continue
        if row.person_id in first_line:
            row.errors.append(f"Trùng người với dòng {first_line[row.person_id]} "
                              f"({members[row.person_id].full_name}).")
            row.person_id = None
        else:
            first_line[row.person_id] = row.line


def check(actor: Actor, table: Table, mapping: Mapping, roster: list[RosterLine]) -> AttendancePreview:
    """Every row read and matched against the roster's members; nothing changed, nothing written."""
    require(actor, Permission.EDIT_MEETINGS)
    if NAME.key not in mapping.columns:
        raise ValidationError.one(NAME.key, "Hãy chọn cột «Họ và tên».")
    if not any(key in mapping.columns for key in PRESENCE_KEYS):
        raise ValidationError.one("presence", "Tệp không có cột điểm danh: hãy chọn cột «Điểm danh» "
                                              "(hoặc các cột Có mặt / Vắng).")
    members = {line.person_id: line for line in roster
               if line.person_id is not None and not line.is_guest and line.expected}
    names = _Names(members.values())
    rows: list[AttendanceRow] = []
    group_unit = ""
    for line in range(mapping.header_line + 1, len(table.rows) + 1):
        row = AttendanceRow(line, [cell_text(table.cell(line, c)) for c in range(table.width)])
        texts = [text for text in row.cells if text]
        if not texts:
            continue
        values = {key: table.cell(line, column) for key, column in mapping.columns.items()}
        name_text = cell_text(values[NAME.key])
        ending = columns.end_of_table(texts[0], name_text)
        if ending:
            row.skipped = ending
            rows.append(row)
            break
        if columns.is_column_numbers(texts):
            row.skipped = "dòng đánh số cột"
            rows.append(row)
            continue
        if len(set(texts)) == 1 and (len(texts) > 1 or not name_text
                                     or any(_unit_fits(texts[0], m.unit_name) for m in members.values())):
            title = columns.without_numbering(texts[0])
            if any(_unit_fits(title, m.unit_name) for m in members.values()):
                group_unit = title
                row.skipped = f"tiêu đề nhóm: các dòng dưới thuộc «{title}»"
            else:
                row.skipped = "dòng tiêu đề, không có họ tên"
            rows.append(row)
            continue
        row.group_unit = group_unit
        _read_row(row, values, mapping)
        if not row.errors:
            _match(row, names)
        rows.append(row)
    _mark_twice_matched(rows, members)
    for row in rows:   # everything apply would refuse is found now, named by the file's row
        conflict = _roster_conflict(row, members[row.person_id]) if row.state == MATCHED else ""
        if conflict:
            row.errors.append(conflict)
            row.person_id = None
    return AttendancePreview(table, mapping, rows, members)


# ---- by hand -----------------------------------------------------------------------------------

def _choosable(preview: AttendancePreview, line: int) -> AttendanceRow:
    row = preview.row(line)
    if row.state in (SKIPPED, BAD):
        raise ValidationError.one("line", f"Dòng {line} không phải một người đọc được từ tệp; không ghép được.")
    return row


def match_by_hand(preview: AttendancePreview, line: int, person_id: int) -> None:
    """The clerk says who row `line` is; one person is matched by one row only."""
    row = _choosable(preview, line)
    if person_id not in preview.members:
        raise ValidationError.one("person_id", "Người này không có trong danh sách dự kiến của hội nghị.")
    taken = next((other for other in preview.rows
                  if other is not row and other.state == MATCHED and other.person_id == person_id), None)
    if taken is not None:
        raise ValidationError.one("person_id", f"{preview.members[person_id].full_name} đã được ghép với dòng "
                                               f"{taken.line}; hãy bỏ ghép dòng đó trước.")
    row.person_id, row.by_hand, row.as_guest, row.left_out = person_id, True, False, False


def add_as_guest(preview: AttendancePreview, line: int) -> None:
    """Someone from outside the units: listed as a guest under the file's name."""
    row = _choosable(preview, line)
    row.person_id, row.by_hand, row.as_guest, row.left_out = None, True, True, False


def leave_out(preview: AttendancePreview, line: int) -> None:
    row = _choosable(preview, line)
    row.person_id, row.by_hand, row.as_guest, row.left_out = None, True, False, True


def undo(preview: AttendancePreview, line: int) -> None:
    """Back to what the file alone says (matched again by itself when it can be)."""
    row = _choosable(preview, line)
    row.person_id, row.candidates, row.problem, row.unresolved = None, [], "", UNMATCHED
    row.by_hand = row.as_guest = row.left_out = False
    taken = {other.person_id for other in preview.rows if other is not row and other.state == MATCHED}
    _match(row, _Names(preview.members.values()))
    if row.person_id in taken:
        row.candidates, row.person_id = [row.person_id], None
        row.problem = "Không ghép tự động: người này đã được ghép với dòng khác."


# ---- the result --------------------------------------------------------------------------------

def _guest_note(row: AttendanceRow) -> str:
    parts = [f"sinh năm {row.birth_year}" if row.birth_year else "", row.unit_text]
    return ", ".join(part for part in parts if part)


def apply(preview: AttendancePreview, roster: list[RosterLine]) -> list[RosterLine]:
    """The roster with the file's marks; members the file does not mention keep theirs."""
    waiting = preview.waiting
    if waiting:
        lines = ", ".join(str(row.line) for row in waiting[:10])
        raise ValidationError.one("rows", f"Còn {len(waiting)} dòng chưa ghép (dòng {lines}): hãy chọn đúng người, "
                                          "thêm làm khách mời hoặc bỏ qua dòng đó.")
    conflicts = [f"Dòng {row.line}: {text}" for row in preview.in_state(MATCHED)
                 if (text := _roster_conflict(row, preview.members[row.person_id]))]
    if conflicts:   # a row matched by hand after the preview
        raise ValidationError.one("rows", " ".join(conflicts[:5]))
    marks = {row.person_id: row for row in preview.in_state(MATCHED) if row.presence is not None}
    result = []
    for line in roster:
        row = marks.get(line.person_id) if not line.is_guest else None
        result.append(line if row is None else replace(line, presence=row.presence, reason=row.reason))
    guests = {fold(line.guest_name): index for index, line in enumerate(result) if line.is_guest}
    for row in preview.in_state(GUEST):
        presence = row.presence or Presence.PRESENT  # a guest in an attendance file came
        if fold(row.name) in guests:
            index = guests[fold(row.name)]
            result[index] = replace(result[index], presence=presence, reason=row.reason)
        else:
            result.append(RosterLine(is_guest=True, guest_name=row.name, guest_note=_guest_note(row),
                                     presence=presence, reason=row.reason))
    return result
