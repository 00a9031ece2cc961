"""Importing a session's attendance from files shaped like the ones other software and communes export."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.models import Meeting
from app.models.enums import Presence
from app.services import meetings, people, sheets
from app.services.errors import PermissionDenied, ValidationError
from app.services.meetings import RosterLine
from app.services.meetings import attendance_import as ai
from app.services.meetings import figures as meeting_figures
from tests.helpers import unit_by_code
from tests.meeting_factory import HELD_ON
from tests.sheets_factory import attendance_csv, attendance_sheet, nfd

HEADER = [["STT", "Họ và tên", "Năm sinh", "Chi bộ", "Điểm danh", "Lý do vắng"]]
FIRST_ROW = 5  # two title rows, a blank row, the header on row 4


def meeting_count(db) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Meeting))


@pytest.fixture
def commune(db, clerk):
    """A commune session expecting two chi bộ, with three namesakes: two born 1970 (one in each), one 1985."""
    home, other = (unit_by_code(db, clerk, code) for code in ("PHONGNIEN-01", "PHONGNIEN-02"))
    since = date(2020, 1, 1)
    for unit, year in ((home, 1970), (other, 1970), (home, 1985)):
        people.create(db, clerk, people.PersonInput("Trần Văn Trùng", year), unit_id=unit.id, since=since)
    roster = meetings.expected_roster(db, clerk, [home.id, other.id], HELD_ON)
    return unit_by_code(db, clerk, "PHONGNIEN"), [home.id, other.id], roster


def namesake(roster: list[RosterLine], year: int, unit_name: str | None = None) -> RosterLine:
    return next(line for line in roster if line.full_name == "Trần Văn Trùng" and line.birth_year == year
                and (unit_name is None or line.unit_name == unit_name))


def only_ones(roster: list[RosterLine], count: int) -> list[RosterLine]:
    """Members nobody else on the roster shares a name with."""
    names = [line.full_name for line in roster]
    return [line for line in roster if names.count(line.full_name) == 1][:count]


def preview_of(clerk, path, roster) -> ai.AttendancePreview:
    table = sheets.read_table(path)
    return ai.check(clerk, table, ai.guess_mapping(table), roster)


def test_an_exported_list_is_matched_by_name_birth_year_and_chi_bo(db, clerk, tmp_path, commune):
    _, _, roster = commune
    a, b, c, d, e = only_ones(roster, 5)
    home_name = a.unit_name
    other_name = next(line.unit_name for line in roster if line.unit_name != home_name)
    rows = [
        [1, nfd(a.full_name), a.birth_year, home_name, "Có mặt", None],                # matched, text in NFD
        [2, b.full_name.upper(), b.birth_year, None, "x", None],                        # capitals, a tick
        [3, c.full_name, c.birth_year, None, "VCLD", "Ốm"],                             # excused with reason
        [4, d.full_name, d.birth_year, None, "Vắng", None],                             # absent, no reason
        [5, e.full_name, e.birth_year, None, "vắng", "Đi công tác"],                    # absent with a reason
        [6, "Trần Văn Trùng", 1985, None, "Có mặt", None],                              # the year tells
        [7, "Trần Văn Trùng", 1970, "Chi bộ " + other_name.removeprefix("Chi bộ "), "CM", None],  # the chi bộ tells
        [8, "Trần Văn Trùng", None, None, "Có mặt", None],                              # three fit
        [9, "Lý Văn Khách", 1990, "Hội Cựu chiến binh", "Có mặt", None],                # nobody: a guest
        [10, a.full_name, a.birth_year, None, "đi muộn", None],                         # unreadable mark
        [11, a.full_name, a.birth_year, None, "Có mặt", None],                          # the same person again
    ]
    preview = preview_of(clerk, attendance_sheet(tmp_path / "diem-danh.xlsx", HEADER, rows), roster)

    states = {row.line - FIRST_ROW + 1: row.state for row in preview.rows if row.state != ai.SKIPPED}
    assert states == {1: ai.MATCHED, 2: ai.MATCHED, 3: ai.MATCHED, 4: ai.MATCHED, 5: ai.MATCHED, 6: ai.MATCHED,
                      7: ai.MATCHED, 8: ai.AMBIGUOUS, 9: ai.UNMATCHED, 10: ai.BAD, 11: ai.BAD}
    by_number = {row.line - FIRST_ROW + 1: row for row in preview.rows}
    assert [by_number[n].person_id for n in (1, 2, 3, 4, 5)] == [x.person_id for x in (a, b, c, d, e)]
    assert [by_number[n].presence for n in (1, 2, 3, 4, 5)] == [Presence.PRESENT, Presence.PRESENT, Presence.EXCUSED,
                                                               Presence.UNEXCUSED, Presence.EXCUSED]
    assert by_number[6].person_id == namesake(roster, 1985).person_id
    assert by_number[7].person_id == namesake(roster, 1970, other_name).person_id
    assert len(by_number[8].candidates) == 3 and "3 người cùng họ tên" in by_number[8].problem
    assert "Không có ai tên «Lý Văn Khách»" in by_number[9].problem
    assert by_number[10].errors == [f"«Điểm danh» (cột E): «đi muộn» không rõ; hãy ghi một trong: {ai.PRESENCE_WORDS}."]
    assert by_number[11].errors == [f"Trùng người với dòng {FIRST_ROW} ({a.full_name})."]
    assert preview.rows[-1].skipped.startswith("dòng tổng cộng")

    with pytest.raises(ValidationError, match=r"Còn 2 dòng chưa ghép \(dòng 12, 13\)"):
        ai.apply(preview, roster)
    ai.match_by_hand(preview, by_number[8].line, namesake(roster, 1970, home_name).person_id)
    ai.add_as_guest(preview, by_number[9].line)
    marked = ai.apply(preview, roster)

    by_person = {line.person_id: line for line in marked if not line.is_guest}
    assert by_person[c.person_id].presence is Presence.EXCUSED and by_person[c.person_id].reason == "Ốm"
    assert by_person[e.person_id].reason == "Đi công tác"
    assert all(by_person[n.person_id].presence is Presence.PRESENT for n in (a, b))
    assert all(line.presence is Presence.PRESENT for line in marked if line.full_name == "Trần Văn Trùng")
    (guest,) = [line for line in marked if line.is_guest]
    assert (guest.guest_name, guest.guest_note, guest.presence) == ("Lý Văn Khách", "sinh năm 1990, Hội Cựu chiến binh",
                                                                    Presence.PRESENT)
    named = {x.person_id for x in (a, b, c, d, e)} | {line.person_id for line in roster
                                                       if line.full_name == "Trần Văn Trùng"}
    assert all(line.presence is None for line in marked if not line.is_guest and line.person_id not in named)
    assert len(marked) == len(roster) + 1


def test_nothing_is_written_until_the_session_is_saved_and_then_the_figures_count_the_file(db, clerk, tmp_path,
                                                                                          commune):
    unit, unit_ids, roster = commune
    rows = [[n, line.full_name, line.birth_year, line.unit_name, "Vắng" if n % 4 == 0 else "Có mặt",
             "Ốm" if n % 8 == 0 else None] for n, line in enumerate(roster, 1)]
    before = meeting_count(db)
    preview = preview_of(clerk, attendance_sheet(tmp_path / "ca-xa.xlsx", HEADER, rows), roster)
    marked = ai.apply(preview, roster)
    assert meeting_count(db) == before

    data = meetings.MeetingInput(unit_id=unit.id, held_on=HELD_ON, title="Hội nghị quán triệt toàn xã",
                                 unit_ids=unit_ids, roster=marked)
    figures = meeting_figures.for_meeting(db, clerk, meetings.create(db, clerk, data))
    absent = [n for n in range(1, len(roster) + 1) if n % 4 == 0]
    assert (figures.expected, figures.present) == (len(roster), len(roster) - len(absent))
    assert (figures.excused, figures.unexcused) == (sum(n % 8 == 0 for n in absent), sum(n % 8 != 0 for n in absent))


def test_tick_columns_under_a_two_row_header_are_recognised(db, clerk, tmp_path, commune):
    _, _, roster = commune
    a, b, c, d = only_ones(roster, 4)
    header = [["TT", "Họ và tên", "Năm sinh", "Có mặt", "Vắng", None, "Ghi chú"],
              [None, None, None, None, "Có lý do", "Không lý do", None]]
    rows = [[1, a.full_name, a.birth_year, "x", None, None, None],
            [2, b.full_name, b.birth_year, None, "x", None, "Đi viện"],
            [3, c.full_name, c.birth_year, None, None, "x", None],
            [4, d.full_name, d.birth_year, "x", "x", None, None]]
    table = sheets.read_table(attendance_sheet(tmp_path / "phan-mem.xlsx", header, rows))
    mapping = ai.guess_mapping(table)
    assert (mapping.header_line, mapping.header_rows) == (5, 2)
    assert mapping.columns == {"full_name": 1, "birth": 2, "present_mark": 3, "excused_mark": 4,
                               "unexcused_mark": 5, "reason": 6}
    preview = ai.check(clerk, table, mapping, roster)
    read = [(row.presence, row.reason) for row in preview.rows[:3]]
    assert read == [(Presence.PRESENT, ""), (Presence.EXCUSED, "Đi viện"), (Presence.UNEXCUSED, "")]
    assert preview.rows[3].errors == ["Đánh dấu ở nhiều cột cùng lúc: «Cột «Có mặt»» (cột D), "
                                      "«Cột «Vắng có lý do»» (cột E); mỗi người chỉ một."]


def test_a_csv_saved_by_vietnamese_excel_is_read_in_nfc(db, clerk, tmp_path, commune):
    _, _, roster = commune
    a, b = only_ones(roster, 2)
    path = attendance_csv(tmp_path / "diem-danh.csv", ["Họ tên", "Ngày sinh", "Tình trạng", "Lý do"],
                          [[a.full_name, f"01/01/{a.birth_year}", "Có mặt", None],
                           [b.full_name, b.birth_year, "Vắng có lý do", "Đi làm ăn xa"]])
    preview = preview_of(clerk, path, roster)
    assert [(row.state, row.person_id, row.presence) for row in preview.rows] == [
        (ai.MATCHED, a.person_id, Presence.PRESENT), (ai.MATCHED, b.person_id, Presence.EXCUSED)]
    assert preview.rows[1].reason == "Đi làm ăn xa"


@pytest.mark.parametrize(("cells", "message"), [
    (["Vò Thþ Mai", 1975, "Có mặt"], "«Họ và tên» (cột B): chữ được gõ bằng phông cũ (TCVN3/VNI)"),
    (["Lò Thị Mai", 19755, "Có mặt"], "«Năm sinh / ngày sinh» (cột C): «19755» không đọc được"),
    ([None, 1975, "Có mặt"], "Thiếu «Họ và tên» (cột B)."),
])
def test_each_unreadable_row_names_its_column(db, clerk, tmp_path, commune, cells, message):
    _, _, roster = commune
    header = [["STT", "Họ và tên", "Năm sinh", "Điểm danh"]]
    preview = preview_of(clerk, attendance_sheet(tmp_path / "loi.xlsx", header, [[1, *cells]]), roster)
    (row,) = preview.in_state(ai.BAD)
    assert message in " ".join(row.errors)


def test_a_file_without_a_name_or_a_mark_column_is_refused_naming_it(db, clerk, tmp_path, commune):
    _, _, roster = commune
    no_marks = sheets.read_table(attendance_sheet(tmp_path / "a.xlsx", [["STT", "Họ và tên", "Năm sinh"]],
                                                  [[1, roster[0].full_name, 1970]]))
    with pytest.raises(ValidationError, match="không có cột điểm danh") as caught:
        ai.check(clerk, no_marks, ai.guess_mapping(no_marks), roster)
    assert "presence" in caught.value.errors
    numbers = sheets.read_table(attendance_csv(tmp_path / "b.csv", ["1", "2"], [[3, 4]]))
    with pytest.raises(ValidationError, match="Họ và tên"):
        ai.check(clerk, numbers, ai.guess_mapping(numbers), roster)


def test_matching_by_hand_keeps_one_row_per_person_and_only_roster_members(db, clerk, tmp_path, commune):
    _, _, roster = commune
    a, b = only_ones(roster, 2)
    rows = [[1, a.full_name, a.birth_year, None, "Có mặt", None], [2, "Nguyễn Không Rõ", 1980, None, "Có mặt", None]]
    preview = preview_of(clerk, attendance_sheet(tmp_path / "tay.xlsx", HEADER, rows), roster)
    stranger = preview.rows[1].line
    with pytest.raises(ValidationError, match=f"đã được ghép với dòng {FIRST_ROW}"):
        ai.match_by_hand(preview, stranger, a.person_id)
    with pytest.raises(ValidationError, match="không có trong danh sách dự kiến"):
        ai.match_by_hand(preview, stranger, 10**9)
    ai.match_by_hand(preview, stranger, b.person_id)
    assert preview.rows[1].state == ai.MATCHED
    ai.leave_out(preview, stranger)
    assert ai.apply(preview, roster)[1].presence is None  # b: the row left out marks nobody
    ai.undo(preview, stranger)
    assert preview.rows[1].state == ai.UNMATCHED


def test_only_those_who_may_edit_sessions_import(db, leader, tmp_path, commune):
    _, _, roster = commune
    table = sheets.read_table(attendance_sheet(tmp_path / "x.xlsx", HEADER, [[1, "A", 1970, None, "x", None]]))
    with pytest.raises(PermissionDenied):
        ai.check(leader, table, ai.guess_mapping(table), roster)


def test_tone_marks_count_and_a_near_name_is_offered_never_taken(db, clerk, tmp_path, commune):
    _, _, roster = commune
    other_tone = {"à": "á", "á": "à", "ì": "í", "í": "ì", "ò": "ó", "ó": "ò", "ù": "ú", "ú": "ù", "ả": "ã",
                  "ã": "ả", "ạ": "á", "ệ": "ế", "ế": "ệ", "ề": "ể", "ồ": "ố", "ố": "ồ", "ờ": "ớ", "ớ": "ờ",
                  "ừ": "ứ", "ứ": "ừ", "ị": "í", "ọ": "ó", "ụ": "ú", "ộ": "ố", "ợ": "ớ", "ự": "ứ"}
    a = next(line for line in only_ones(roster, 200) if any(ch in other_tone for ch in line.full_name))
    index = next(i for i, ch in enumerate(a.full_name) if ch in other_tone)
    near = a.full_name[:index] + other_tone[a.full_name[index]] + a.full_name[index + 1:]
    rows = [[1, near, a.birth_year, None, "Có mặt", None]]
    preview = preview_of(clerk, attendance_sheet(tmp_path / "dau.xlsx", HEADER, rows), roster)
    (row,) = [row for row in preview.rows if row.state != ai.SKIPPED]
    assert row.state == ai.UNMATCHED and row.candidates == [a.person_id]
    assert "khác dấu" in row.problem and f"«{a.full_name}»" in row.problem


def test_a_mark_saving_would_refuse_is_found_at_preview_and_named_by_the_files_row(db, clerk, tmp_path, commune):
    from dataclasses import replace as changed

    _, _, roster = commune
    a, b = only_ones(roster, 2)
    roster = [changed(line, presence=Presence.UNEXCUSED, made_up_on=HELD_ON) if line is a else line
              for line in roster]   # already recorded as absent and made up
    rows = [[1, a.full_name, a.birth_year, None, "Có mặt", None], [2, b.full_name, b.birth_year, None, "VCLD", None]]
    preview = preview_of(clerk, attendance_sheet(tmp_path / "bu.xlsx", HEADER, rows), roster)
    first, second = [row for row in preview.rows if row.state != ai.SKIPPED]
    assert first.state == ai.BAD and "đã được ghi học bù" in first.errors[0]
    assert second.state == ai.BAD and "không ghi lý do" in second.errors[0]
    assert "Dòng" not in first.errors[0]   # the preview puts the file's row in front, not a roster number
