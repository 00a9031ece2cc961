"""The sessions page and dialog as a clerk uses them: keyboard marking, errors in place, conflicts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.models import Meeting
from app.models.enums import AudienceGroup, DocumentKind, Presence
from app.services import meetings, people
from app.ui.dialogs import meeting as meeting_dialog
from app.ui.pages.meetings import MeetingsPage
from app.ui.qt import QKeySequence, Qt
from app.ui.widgets.common import Context, select_data, to_qdate
from app.ui.widgets.roster import RosterModel
from tests.helpers import unit_by_code
from tests.meeting_factory import session_input

DAY = clock.today() - timedelta(days=2)
GIVEN = ("Ánh Bảo Cảnh Diệp Đoan Giao Hậu Khải Lạc Mẫn Ngân Oanh Phúc Quế Sang Tâm Uyên Vượng Xuyến Yên Bích Châu "
         "Duyên Hằng Kiều Luyến Nhàn Phấn Quyên Sâm Thoa Ước Vĩnh Xoan Lựu Đào Sen Cúc").split()


@pytest.fixture
def forty(db, clerk):
    """PHONGNIEN-01 grown to exactly 40 members on DAY (the demo gives it about ten)."""
    unit = unit_by_code(db, clerk, "PHONGNIEN-01")
    have = len(meetings.expected_roster(db, clerk, [unit.id], DAY))
    for given in GIVEN[-(40 - have):]:
        people.create(db, clerk, people.PersonInput(f"Hoàng Thị {given}", 1980),
                      unit_id=unit.id, since=date(2025, 1, 1))
    assert len(meetings.expected_roster(db, clerk, [unit.id], DAY)) == 40
    return unit


def page_rows(page):
    return [page.model.row_at(i) for i in range(page.model.rowCount())]


@pytest.mark.parametrize("sort_column", [0, 2, 8])
def test_the_sessions_model_keeps_qts_contract(qtmodeltester, db, admin, sort_column):
    page = MeetingsPage(Context(db, admin))
    page.start.setDate(to_qdate(date(2015, 1, 1)))
    page.refresh()
    page.model.page_size = 30
    page.model.sort(sort_column, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(page.model, force_py=True)


def test_the_roster_model_keeps_qts_contract(qtmodeltester, db, clerk):
    model = RosterModel()
    model.set_lines(session_input(db, clerk, "PHONGNIEN-01").roster)
    qtmodeltester.check(model, force_py=True)


def test_a_clerk_enters_a_40_person_session_from_the_keyboard_and_finds_it_again(qtbot, db, clerk, forty):
    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.add_meeting()
    dialog.title_edit.setText("Học tập, quán triệt Nghị quyết 57-NQ/TW về chuyển đổi số")   # keyClicks types ASCII only
    dialog.held_on.setDate(to_qdate(DAY))
    select_data(dialog.unit, forty.id)
    dialog.chair.setText("Bí thư chi bộ")
    assert dialog.tabs.tabText(1) == "Điểm danh (40)"

    dialog.tabs.setCurrentIndex(1)
    view = dialog.roster_view
    view.setFocus()
    view.go_to(0)
    for _ in range(40):                       # Space marks present, Down goes on
        qtbot.keyClick(view, Qt.Key.Key_Space)
        qtbot.keyClick(view, Qt.Key.Key_Down)
    assert dialog.roster.summary().startswith("Có mặt 40/40")
    qtbot.keyClicks(view, "xoan")             # type a name without marks: jump to it
    qtbot.wait(int(view.SEARCH_PAUSE * 1000) + 50)
    absent = dialog.roster.lines[view.currentIndex().row()]
    assert absent.full_name == "Hoàng Thị Xoan"
    qtbot.keyClick(view, Qt.Key.Key_3)        # vắng không lý do
    view.go_to(3)
    qtbot.keyClick(view, Qt.Key.Key_Space)    # Có mặt -> Vắng có lý do, then F2 for the reason
    view.setCurrentIndex(dialog.roster.index(3, 5))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.focusWidget()
    editor.setText("Ốm nằm viện")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    dialog.guest_name.setText("Đại diện Đoàn Thanh niên xã")
    dialog.add_guest()
    assert dialog.roster.summary() == "Có mặt 38/40 · vắng có lý do 1 · vắng không lý do 1 · khách mời 1"

    # Offscreen, QTest's key events never reach Qt's shortcut map: check the binding, then press the button.
    assert dialog.save_button.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved_id is not None
    with db.session_scope() as session:
        saved = session.get(Meeting, dialog.saved_id)
        assert (saved.expected_count, saved.present_count, saved.excused_count, saved.unexcused_count,
                saved.guest_count) == (40, 38, 1, 1, 1)
    detail = meetings.get(db, clerk, dialog.saved_id).data
    reasons = {line.full_name: line.reason for line in detail.roster if line.presence is Presence.EXCUSED}
    assert list(reasons.values()) == ["Ốm nằm viện"]

    qtbot.keyClicks(page.search, "quan triet nghi quyet 57")
    qtbot.waitUntil(lambda: [r.id for r in page_rows(page)] == [dialog.saved_id], timeout=3000)
    qtbot.waitUntil(lambda: "38/40 lượt đảng viên, đạt 95%" in page.totals.text(), timeout=3000)


def test_bad_counts_are_shown_on_their_tab_and_nothing_is_saved(qtbot, db, clerk):
    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.add_meeting()
    dialog.title_edit.setText("Tuyên truyền tới Nhân dân")
    select_data(dialog.unit, unit_by_code(db, clerk, "PHONGNIEN-01").id)
    dialog.held_on.setDate(to_qdate(DAY))
    dialog.roster.all_present()
    total, women, _minority = dialog.crowd_boxes[AudienceGroup.PEOPLE]
    total.setValue(10)
    women.setValue(14)
    with db.session_scope() as session:
        before = len(session.scalars(select(Meeting.id)).all())
    assert not dialog.save()
    assert dialog.tabs.currentIndex() == 2
    assert "số nữ (14) lớn hơn tổng số (10)" in dialog.crowd_errors.text() and dialog.crowd_errors.isVisibleTo(dialog)
    with db.session_scope() as session:
        assert len(session.scalars(select(Meeting.id)).all()) == before


def test_unmarked_members_are_named_on_the_roster_tab(qtbot, db, clerk):
    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.add_meeting()
    dialog.title_edit.setText("Sinh hoạt chuyên đề")
    select_data(dialog.unit, unit_by_code(db, clerk, "PHONGNIEN-02").id)
    dialog.held_on.setDate(to_qdate(DAY))
    assert not dialog.save()
    assert dialog.tabs.currentIndex() == 1 and "chưa điểm danh" in dialog.roster_errors.text()


def test_a_second_clerk_saving_a_stale_session_is_told_who_changed_it(qtbot, db, clerk, admin, monkeypatch):
    meeting_id = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=DAY))
    told = []
    monkeypatch.setattr("app.ui.widgets.common.show_error", lambda _parent, message: told.append(message))
    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    mine = page.open_meeting(meeting_id)
    theirs = MeetingsPage(Context(db, admin)).open_meeting(meeting_id)
    theirs.title_edit.setText("Tên do quản trị sửa")
    assert theirs.save()
    mine.title_edit.setText("Tên do cán bộ sửa")
    assert not mine.save()
    assert "quantri" in told[0] and "chưa được lưu" in told[0]
    assert meetings.get(db, clerk, meeting_id).data.title == "Tên do quản trị sửa"


def test_copying_a_session_for_several_units_from_the_page(qtbot, db, clerk):
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=DAY, title="Quán triệt Chỉ thị 35"))
    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    page.search.setText("chi thi 35")
    page.refresh()
    page.table.selectRow(0)
    dialog = page.copy_selected()
    targets = [unit_by_code(db, clerk, code).id for code in ("PHONGNIEN-02", "PHONGNIEN-03")]
    dialog.check(targets)
    dialog.create()
    assert len(dialog.created) == 2
    qtbot.waitUntil(lambda: len(page_rows(page)) == 3, timeout=3000)


def test_an_attachment_is_added_saved_and_opened_again(qtbot, db, clerk, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(meeting_dialog.QDesktopServices, "openUrl", lambda url: opened.append(url))
    meeting_id = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=DAY))
    scan = tmp_path / "bien-ban.pdf"
    scan.write_bytes(b"%PDF-1.4 bien ban")
    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.open_meeting(meeting_id)
    assert not dialog.attach(tmp_path / "khong-co.pdf")
    assert "khong-co.pdf" in dialog.files_errors.text()
    assert dialog.attach(scan)
    assert dialog.save()
    again = page.open_meeting(meeting_id)
    path = again.open_file(0)
    assert path.read_bytes() == b"%PDF-1.4 bien ban" and opened


def test_the_sign_in_sheet_lists_the_expected_members_before_the_session(qtbot, db, clerk, tmp_path):
    from pypdf import PdfReader

    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.add_meeting()
    dialog.title_edit.setText("Học tập, quán triệt Nghị quyết số 57-NQ/TW")
    select_data(dialog.unit, unit_by_code(db, clerk, "PHONGNIEN-02").id)
    dialog.held_on.setDate(to_qdate(clock.today() + timedelta(days=7)))
    select_data(dialog.status, "planned")
    dialog.place.setText("Nhà văn hóa thôn Đồng Tâm")
    target = tmp_path / "ky-ten.pdf"
    assert dialog.print_sign_in(target)
    text = " ".join(p.extract_text() for p in PdfReader(target).pages)
    names = [line.full_name for line in dialog.roster.lines]
    assert names and all(name in text for name in names)
    assert "DANH SÁCH KÝ TÊN THAM DỰ" in text and "Nghị quyết số 57-NQ/TW" in text
    assert f"{clock.today() + timedelta(days=7):%d/%m/%Y}" in text and "Nhà văn hóa thôn Đồng Tâm" in text
    assert f"Tổng số đảng viên phải dự: {len(names)} đồng chí" in text
    assert str(len(names) + 8) in text      # eight blank rows for guests, numbered on
    import pdfplumber

    with pdfplumber.open(target) as document:   # the official layout: 30 mm on the left, the rule's header sizes
        words = document.pages[0].extract_words(extra_attrs=["size"])
        assert min(word["x0"] for word in words) == pytest.approx(30 * 72 / 25.4, abs=1.5)
        size = {word["text"]: round(word["size"]) for word in words if word["top"] < 90}
        assert size["BỘ"] == 14 and size["CỘNG"] == 15
        for number, later in enumerate(document.pages[1:], start=2):   # numbered from page 2
            assert later.extract_words()[0]["text"] == str(number)


def test_the_make_up_view_lists_absentees_and_records_a_make_up(qtbot, db, clerk):
    from app.services import documents

    doc = documents.create(db, clerk, documents.DocumentInput(DocumentKind.HD, "07-HD/BTGHU",
                                                              "Ban Tuyên giáo Huyện ủy", DAY, "Hướng dẫn tuyên truyền"))
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=DAY, document_ids=[doc],
                                             marks={0: Presence.UNEXCUSED, 1: Presence.EXCUSED}))
    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.show_makeups()
    select_data(dialog.document, doc)
    assert dialog.model.rowCount() == 2 and "2 lượt vắng chưa học bù, ở 1 đơn vị" in dialog.count.text()
    dialog.how.setText("Nghiên cứu tài liệu, viết thu hoạch")
    dialog.on.setDate(to_qdate(clock.today()))
    dialog.table.selectRow(0)
    assert dialog.record_selected() == 1
    assert dialog.model.rowCount() == 1


def test_a_make_up_can_be_the_later_session_the_member_attended(qtbot, db, clerk):
    from app.services import documents

    doc = documents.create(db, clerk, documents.DocumentInput(DocumentKind.HD, "08-HD/BTGHU",
                                                              "Ban Tuyên giáo Huyện ủy", DAY, "Hướng dẫn học tập"))
    missed = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=DAY, document_ids=[doc],
                                                      marks={0: Presence.UNEXCUSED}))
    later = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-02", held_on=DAY + timedelta(days=1),
                                                     title="Buổi học bù của xã", document_ids=[doc]))
    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.show_makeups()
    select_data(dialog.document, doc)
    assert [dialog.at_session.itemData(i) for i in range(dialog.at_session.count())] == [None, later, missed]
    select_data(dialog.at_session, later)
    assert not dialog.how.isEnabled() and not dialog.on.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.record_selected() == 1
    assert dialog.model.rowCount() == 0 and "Không còn ai phải học bù" in dialog.count.text()
    line = next(line for line in meetings.get(db, clerk, missed).data.roster if line.made_up_on)
    assert line.made_up_meeting_id == later and "Buổi học bù của xã" in line.made_up_how


def test_a_roster_typed_from_the_keyboard_changes_only_the_marks_aimed_at(qtbot, db, clerk, forty, monkeypatch):
    """Every member marked with 1, 2 (and its reason) or 3, reasons typed with spaces in them, a name searched
    with a space: each mark lands on its member, and Esc on the changed dialog asks before dropping it."""
    from app.models.enums import Presence
    from app.ui.qt import QMessageBox

    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.add_meeting()
    select_data(dialog.unit, forty.id)
    dialog.tabs.setCurrentIndex(1)
    view = dialog.roster_view
    view.setFocus()
    view.go_to(0)
    wanted = {}
    for row in range(40):
        assert view.currentIndex().row() == row   # each key moved on to the next member
        if row % 5 == 2:
            qtbot.keyClick(view, Qt.Key.Key_2)     # excused: its reason opens at once
            editor = view.focusWidget()
            qtbot.keyClicks(editor, f"om nam vien {row}")
            qtbot.keyClick(editor, Qt.Key.Key_Return)
            qtbot.wait(5)                          # Qt closes the editor on the next turn of the event loop
            wanted[row] = (Presence.EXCUSED, f"om nam vien {row}")
        elif row % 9 == 4:
            qtbot.keyClick(view, Qt.Key.Key_3)
            wanted[row] = (Presence.UNEXCUSED, "")
        else:
            qtbot.keyClick(view, Qt.Key.Key_1)
            wanted[row] = (Presence.PRESENT, "")
    marks = [(line.presence, line.reason) for line in dialog.roster.lines]
    assert marks == [wanted[row] for row in range(40)]
    # A name with a space in it is searched for; the space marks nobody.
    qtbot.wait(int(view.SEARCH_PAUSE * 1000) + 50)
    qtbot.keyClicks(view, "thi xoan")
    assert dialog.roster.lines[view.currentIndex().row()].full_name == "Hoàng Thị Xoan"
    assert [(line.presence, line.reason) for line in dialog.roster.lines] == marks
    # F2 writes the reason of the member in front, even with another cell current; Esc in it keeps the old one.
    view.setCurrentIndex(dialog.roster.index(2, 1))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.keyClicks(view.focusWidget(), " them")
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Escape)
    qtbot.wait(5)
    assert dialog.roster.lines[2].reason == "om nam vien 2" and dialog.isVisible()
    # Esc on the dialog asks before throwing the roster away.
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, title, *_a, **_k: asked.append(title)
                        or QMessageBox.StandardButton.No)
    dialog.reject()
    assert asked == ["Chưa lưu"] and dialog.isVisible()
    assert [(line.presence, line.reason) for line in dialog.roster.lines] == marks


def test_an_unchanged_dialog_closes_without_asking(qtbot, db, clerk):
    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.add_meeting()
    dialog.reject()   # the autouse guard fails the test on any question
    assert not dialog.isVisible()


def test_a_session_opened_twice_has_one_dialog_brought_forward(qtbot, db, clerk):
    from app.ui.dialogs.meeting import MeetingDialog

    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    page.show()
    index = page.model.index(0, 2)
    page.table.activated.emit(index)   # a double click, and the activation that follows it
    page.table.activated.emit(index)
    open_dialogs = [w for w in page.findChildren(MeetingDialog) if w.isVisible()]
    assert len(open_dialogs) == 1
    qtbot.addWidget(open_dialogs[0])
    open_dialogs[0].reject()
    page.table.activated.emit(index)   # closed: the next activation opens it again
    assert sum(w.isVisible() for w in page.findChildren(MeetingDialog)) == 1


def test_a_guest_typed_with_a_members_name_is_offered_as_that_member(qtbot, db, clerk, monkeypatch):
    from app.models.enums import Presence
    from app.ui.qt import QMessageBox

    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.add_meeting()
    select_data(dialog.unit, unit_by_code(db, clerk, "PHONGNIEN-01").id)
    member = dialog.roster.lines[2]
    dialog.roster.mark([2], Presence.UNEXCUSED)
    lines = len(dialog.roster.lines)
    answers = iter([QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No])
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: next(answers))
    dialog.guest_name.setText(member.full_name.upper())   # typed another way: still the member
    dialog.add_guest()
    assert len(dialog.roster.lines) == lines and dialog.roster.lines[2].presence is Presence.PRESENT
    dialog.guest_name.setText(member.full_name)           # «Không»: a namesake from elsewhere, added as a guest
    dialog.add_guest()
    assert len(dialog.roster.lines) == lines + 1 and dialog.roster.lines[-1].is_guest


def test_the_sessions_list_exports_as_shown_every_row_with_its_filters_named(qtbot, db, clerk, tmp_path):
    import openpyxl

    from app.models.enums import MeetingKind

    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    page.model.page_size = 50   # fewer than the list holds: every row must still go out
    page.start.setDate(to_qdate(date(2015, 1, 1)))
    select_data(page.kind_filter, MeetingKind.STUDY)
    page.refresh()
    expected = page.count(page.filter())
    assert expected > page.model.rowCount()
    written = page.export_xlsx(tmp_path / "hoi-nghi.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "hoi-nghi.xlsx").active
    assert written == expected and sheet.max_row == 5 + expected
    assert sheet["A1"].value == "HỘI NGHỊ"
    assert "từ ngày 01/01/2015" in sheet["A2"].value and MeetingKind.STUDY.label in sheet["A2"].value
    assert [cell.value for cell in sheet[5]] == [column.title for column in page.model.columns]
    first = page.model.row_at(0)
    assert [cell.value or "" for cell in sheet[6]] == page.model.shown_values(first)
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$5:$5"
