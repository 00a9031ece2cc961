"""Attendance from a file, in the session dialog: preview, rows matched by hand, applied, then saved."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app import clock
from app.models import Meeting
from app.models.enums import Presence
from app.services import meetings, people
from app.ui.dialogs.import_attendance import ImportAttendanceDialog
from app.ui.pages.meetings import MeetingsPage
from app.ui.widgets.common import Context, select_data, to_qdate
from tests.helpers import unit_by_code
from tests.sheets_factory import attendance_sheet

DAY = clock.today() - timedelta(days=3)
HEADER = [["STT", "Họ và tên", "Năm sinh", "Điểm danh", "Lý do vắng"]]


def meeting_count(db) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Meeting))


def test_a_clerk_takes_attendance_from_a_file_matching_two_rows_by_hand(qtbot, db, clerk, tmp_path):
    unit = unit_by_code(db, clerk, "PHONGNIEN-01")
    for year in (1971, 1972):  # two members the file cannot tell apart: it gives no year for them
        people.create(db, clerk, people.PersonInput("Lương Văn Đôi", year), unit_id=unit.id, since=date(2020, 1, 1))
    roster = meetings.expected_roster(db, clerk, [unit.id], DAY)
    others = [line for line in roster if line.full_name != "Lương Văn Đôi"]
    rows = [[n, line.full_name, line.birth_year, "Vắng" if n == 1 else "x", "Ốm" if n == 1 else None]
            for n, line in enumerate(others, 1)]
    rows += [[len(rows) + 1, "Lương Văn Đôi", None, "x", None], [len(rows) + 2, "Ma Thị Lạ", 1999, "x", None]]
    path = attendance_sheet(tmp_path / "diem-danh.xlsx", HEADER, rows)

    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.add_meeting()
    dialog.title_edit.setText("Sinh hoạt chi bộ: quán triệt Kết luận 54-KL/TW")
    dialog.held_on.setDate(to_qdate(DAY))
    select_data(dialog.unit, unit.id)
    before = meeting_count(db)

    importer = dialog.import_attendance(path)
    assert isinstance(importer, ImportAttendanceDialog)
    assert importer.column_box.columns["presence"].currentText() == "D — Điểm danh"
    assert "cần ghép tay (tô vàng)" in importer.summary.text()
    assert not importer.apply_button.isEnabled()
    importer.only_waiting.setChecked(True)
    assert importer.model.rowCount() == 2
    namesake, stranger = (importer.model.row_at(i) for i in range(2))

    importer.select_line(namesake.line)
    assert importer.person.count() == len(roster)
    assert importer.person.itemText(0).startswith("Lương Văn Đôi (1971)")  # who fits comes first
    importer.match_selected(importer.person.itemData(1))
    importer.select_line(stranger.line)
    importer.add_selected_as_guest()
    assert importer.apply_button.isEnabled()
    importer.apply_button.click()
    assert meeting_count(db) == before                       # applying writes nothing

    marks = {line.name: line for line in dialog.roster.lines}
    assert marks[others[0].full_name].presence is Presence.EXCUSED and marks[others[0].full_name].reason == "Ốm"
    assert marks["Ma Thị Lạ"].is_guest
    assert [line.presence for line in dialog.roster.lines if line.full_name == "Lương Văn Đôi"] == [
        None, Presence.PRESENT]  # 1971 left unmarked, 1972 matched by hand
    assert "bấm «Lưu» để ghi" in dialog.roster_note.text()

    for index, line in enumerate(dialog.roster.lines):
        if line.presence is None:
            dialog.roster.mark([index], Presence.UNEXCUSED)
    assert dialog.save()
    saved = meetings.get(db, clerk, dialog.saved_id).data.roster
    assert sum(line.presence is Presence.PRESENT for line in saved) == len(others) - 1 + 1 + 1
    assert [line.guest_name for line in saved if line.is_guest] == ["Ma Thị Lạ"]


def test_a_file_that_is_not_a_spreadsheet_is_refused_by_name(qtbot, db, clerk, tmp_path, monkeypatch):
    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.add_meeting()
    shown = []
    monkeypatch.setattr("app.ui.dialogs.meeting.show_error", lambda _parent, message: shown.append(message))
    (tmp_path / "diem-danh.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert dialog.import_attendance(tmp_path / "diem-danh.xls") is None
    assert "Excel 97–2003 (.xls)" in shown[0] and "diem-danh.xls" in shown[0]
