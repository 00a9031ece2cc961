"""The GUI as a clerk and an admin use it: real widgets, offscreen."""

from __future__ import annotations

from datetime import date

import pytest

from app.models.enums import MembershipStatus, UnitKind
from app.services import auth, people, profile, units
from app.services.search import fold
from app.ui.dialogs.form_dialog import FormDialog
from app.ui.dialogs.login import LoginDialog
from app.ui.dialogs.person import PersonDialog
from app.ui.dialogs.setup import SetupDialog
from app.ui.main_window import MainWindow
from app.ui.pages.office import OfficePage
from app.ui.pages.people import PeoplePage
from app.ui.pages.units import UnitsPage
from app.ui.qt import QLineEdit, Qt
from app.ui.widgets.common import Context, select_data
from tests.conftest import PASSWORDS
from tests.helpers import unit_by_code


def rows_of(page: PeoplePage) -> list[people.PersonRow]:
    return [page.model.row_at(i) for i in range(page.model.rowCount())]


@pytest.mark.parametrize("sort_column", [0, 1])
def test_the_people_model_keeps_qts_contract(qtmodeltester, db, admin, sort_column):
    page = PeoplePage(Context(db, admin))
    page.model.page_size = 25
    page.model.sort(sort_column, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(page.model, force_py=True)


def test_login_shows_the_reason_and_lets_the_right_password_in(qtbot, db):
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "nhaplieu")
    qtbot.keyClicks(dialog.password, "sai-roi")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "không đúng" in dialog.message.text() and dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, PASSWORDS["nhaplieu"])
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.actor.username == "nhaplieu"


def test_a_clerk_searches_without_diacritics_and_sees_only_their_units(qtbot, db, clerk, admin):
    page = PeoplePage(Context(db, clerk))
    qtbot.addWidget(page)
    everyone_in_scope = people.count(db, clerk, people.PeopleFilter())
    qtbot.waitUntil(lambda: page.totals.text() == f"{everyone_in_scope} người", timeout=2000)
    commune = unit_by_code(db, admin, "PHONGNIEN")
    scope = {n.name for n in units.tree(db, admin) if n.parent_id == commune.id}
    assert {row.unit_name for row in rows_of(page)} <= scope

    qtbot.keyClicks(page.search, "thi")
    qtbot.waitUntil(lambda: rows_of(page) and all("thi" in fold(r.full_name) for r in rows_of(page)))
    qtbot.waitUntil(lambda: not page.totals_waiting, timeout=2000)
    assert int(page.totals.text().split()[0].replace(".", "")) < everyone_in_scope

    page.search.clear()
    qtbot.keyClicks(page.search, "khong ai ten nay")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.empty_label.isVisibleTo(page) and "Không tìm thấy" in page.empty_label.text()


def test_status_filter_shows_only_that_status(qtbot, db, admin):
    page = PeoplePage(Context(db, admin))
    qtbot.addWidget(page)
    select_data(page.status_filter, MembershipStatus.EXEMPT)
    assert rows_of(page) and {r.status for r in rows_of(page)} == {MembershipStatus.EXEMPT}


def test_adding_a_person_shows_errors_in_place_and_saves_only_good_input(qtbot, db, clerk):
    before = people.count(db, clerk, people.PeopleFilter())
    dialog = PersonDialog(Context(db, clerk), None)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.birth_year, "19x5")
    dialog.save()
    assert "4 chữ số" in dialog.form.error_text("birth_year")
    dialog.birth_year.clear()
    qtbot.keyClicks(dialog.birth_year, "1985")
    dialog.save()
    assert "không được để trống" in dialog.form.error_text("full_name")
    assert people.count(db, clerk, people.PeopleFilter()) == before

    dialog.full_name.setText("Giàng Thị Mỷ")  # QTest types ASCII only; a clerk types through an IME
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    found = people.list_page(db, clerk, people.PeopleFilter("giang thi my"))
    assert [(r.full_name, r.birth_year) for r in found] == [("Giàng Thị Mỷ", 1985)]


def test_a_person_already_kept_is_offered_instead_of_added_twice(qtbot, db, clerk, monkeypatch):
    from app.ui.dialogs import person as person_dialog

    kept = people.list_page(db, clerk, people.PeopleFilter())[0]
    unit = next(n.id for n in units.tree(db, clerk) if n.name == kept.unit_name)
    before = people.count(db, clerk, people.PeopleFilter())
    answers = iter(["", person_dialog.OPEN_EXISTING])
    asked = []
    monkeypatch.setattr(PersonDialog, "ask_same", lambda self, message: asked.append(message) or next(answers))
    dialog = PersonDialog(Context(db, clerk), None)
    qtbot.addWidget(dialog)
    dialog.full_name.setText(kept.full_name)
    dialog.birth_year.setText(str(kept.birth_year))
    select_data(dialog.unit, unit)
    dialog.save()   # «Quay lại sửa»: the match is said under the name, nothing saved
    assert "Đã có đảng viên" in dialog.form.error_text("full_name") and dialog.result() != dialog.DialogCode.Accepted
    dialog.save()   # «Mở hồ sơ đã có»
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.existing_id == kept.id
    assert people.count(db, clerk, people.PeopleFilter()) == before and len(asked) == 2


def test_a_transfer_from_the_dialog_appears_in_the_history(qtbot, db, clerk, admin):
    first, second = unit_by_code(db, admin, "PHONGNIEN-01"), unit_by_code(db, admin, "PHONGNIEN-02")
    person_id = people.create(db, clerk, people.PersonInput("Vàng A Sính", 1990), unit_id=first.id,
                              since=date(2021, 1, 1))
    dialog = PersonDialog(Context(db, clerk), person_id)
    qtbot.addWidget(dialog)
    assert dialog.history.rowCount() == 1
    select_data(dialog.unit, second.id)
    dialog.change_membership()
    assert dialog.history.rowCount() == 2 and dialog.changed
    assert dialog.history.item(1, 0).text() == second.name


def test_menus_and_pages_follow_the_role(qtbot, db, clerk, admin):
    clerk_window = MainWindow(Context(db, clerk))
    qtbot.addWidget(clerk_window)
    assert list(clerk_window.pages) == ["Tổng quan", "Hội nghị", "Văn bản", "Tài liệu, tin bài", "Phản ánh, kiến nghị",
                                       "Dư luận xã hội", "Mô hình, điển hình", "Báo cáo viên", "Báo cáo định kỳ",
                                       "Đảng viên", "Đơn vị", "Thông tin cơ quan", "Trao đổi dữ liệu"]
    assert not clerk_window.pages["Đơn vị"].buttons["rename"].isEnabled()
    assert not clerk_window.pages["Thông tin cơ quan"].save_button.isEnabled()
    admin_window = MainWindow(Context(db, admin))
    qtbot.addWidget(admin_window)
    assert "Người dùng" in admin_window.pages
    assert "Phản ánh, kiến nghị" not in admin_window.pages   # the administrator is not trusted with cases
    assert "Báo cáo định kỳ" not in admin_window.pages       # … nor with reports, which quote them
    assert admin_window.show_page("Người dùng").table.rowCount() == 4


def test_each_page_has_its_key_listed_under_help_and_titles_do_not_repeat_the_app(qtbot, db, clerk):
    from app.config import APP_TITLE

    window = MainWindow(Context(db, clerk))
    qtbot.addWidget(window)
    pages_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Trang")
    actions = pages_menu.actions()
    assert [a.text() for a in actions] == list(window.pages)
    assert len(actions) == 13   # the tenth page is Ctrl+0, the ones after it are reached from the menu only
    assert [a.shortcut().toString() for a in actions] == [f"Ctrl+{n % 10}" for n in range(1, 11)] + ["", "", ""]
    actions[4].trigger()   # Ctrl+5 (offscreen, key events never reach Qt's shortcut map)
    assert window.current_page() is window.pages["Phản ánh, kiến nghị"]
    actions[9].trigger()
    assert window.current_page() is window.pages["Đảng viên"]
    actions[12].trigger()
    assert window.current_page() is window.pages["Trao đổi dữ liệu"]
    listed = window.shortcuts_text()
    assert "Ctrl+5: Phản ánh, kiến nghị" in listed and "Ctrl+0: Đảng viên" in listed and "F2: ghi lý do" in listed
    assert APP_TITLE not in window.windowTitle() and clerk.full_name in window.windowTitle()   # Qt adds the app


def test_the_units_page_shows_the_tree_of_the_chosen_date(qtbot, db, admin):
    page = UnitsPage(Context(db, admin))
    qtbot.addWidget(page)

    def top_names() -> list[str]:
        root = page.tree.topLevelItem(0)
        return [root.child(i).text(0) for i in range(root.childCount())]

    assert "Đảng bộ thị trấn Xuân Quang" in top_names()
    page.on_date.setDate(page.on_date.date().fromString("01/06/2019", "dd/MM/yyyy"))
    assert "Đảng bộ xã Xuân Quang" in top_names() and "Đảng bộ thị trấn Xuân Quang" not in top_names()


def test_a_unit_form_shows_the_services_errors_in_place(qtbot, db, admin):
    commune = unit_by_code(db, admin, "PHONGNIEN")
    dialog = FormDialog("Thêm đơn vị")
    qtbot.addWidget(dialog)
    code, name = dialog.add("code", "Mã", QLineEdit("PHONGNIEN")), dialog.add("name", "Tên", QLineEdit())
    dialog._action = lambda: units.create(db, admin, code=code.text(), name=name.text(), kind=UnitKind.CHI_BO,
                                          parent_id=commune.id, valid_from=date(2026, 1, 1))
    dialog._save()
    assert "đã được dùng" in dialog.form.error_text("code")
    assert "không được để trống" in dialog.form.error_text("name")


def test_the_office_page_saves_a_new_version(qtbot, db, leader):
    page = OfficePage(Context(db, leader))
    qtbot.addWidget(page)
    assert page.fields.widgets["term"].text() == "2025-2030"
    page.fields.widgets["signer_name"].setText("Lê Văn Ký")
    page.fields.set_valid_from(date(2026, 9, 1))
    page.save()
    assert page.versions.count() == 4 and "01/09/2026" in page.message.text()
    assert profile.in_force(db, date(2026, 9, 1)).signer_name == "Lê Văn Ký"
    page.fields.widgets["term"].setText("sai")
    page.save()
    assert "2025-2030" in page.form.error_text("term")


def test_the_office_page_keeps_each_communes_office_apart_and_adds_one(qtbot, db, leader):
    from sqlalchemy import text

    page = OfficePage(Context(db, leader))
    qtbot.addWidget(page)
    offices = [page.office.itemText(i) for i in range(page.office.count())]
    assert offices[0] == "BAN TUYÊN GIÁO (cơ quan mình)" and len(offices) == 3
    assert page.fields.widgets["attendance_target"].text() == "95"
    select_data(page.office, unit_by_code(db, leader, "PHONGNIEN").id)
    assert page.fields.widgets["issuing_body"].text() == "ĐẢNG ỦY XÃ PHONG NIÊN"
    assert page.fields.widgets["signer_authority"].text() == "T/M ĐẢNG ỦY"
    xuan_quang = unit_by_code(db, leader, "XUANQUANG").id
    with db.session_scope() as session:   # as if Xuân Quang had no office yet
        session.execute(text("DELETE FROM office_profile WHERE unit_id = :unit"), {"unit": xuan_quang})
    page.refresh()
    page.start_new_office()
    assert page.new_unit.isVisibleTo(page) and page.new_unit.findData(xuan_quang) >= 0
    select_data(page.new_unit, xuan_quang)
    for name, value in {"issuing_body": "Đảng ủy thị trấn Xuân Quang", "place_name": "Xuân Quang",
                        "signer_name": "Hoàng Thị Duyên", "unit_word": "toàn thị trấn"}.items():
        page.fields.widgets[name].setText(value)
    page.save()
    assert page.office.currentData() == xuan_quang and not page.new_unit.isVisibleTo(page)
    assert profile.in_force(db, unit_id=xuan_quang).issuing_body == "ĐẢNG ỦY THỊ TRẤN XUÂN QUANG"
    assert profile.in_force(db).issuing_body == "BAN TUYÊN GIÁO"   # the district's own is untouched


def test_first_run_setup_creates_the_admin_and_the_office(qtbot, empty_db):
    dialog = SetupDialog(empty_db)
    qtbot.addWidget(dialog)
    dialog.full_name.setText("Hà Thị Mai")
    dialog.password.setText("mat-khau-xa")
    dialog.repeat.setText("mat-khau-khac")
    dialog.save()
    assert "không khớp" in dialog.form.error_text("repeat")
    dialog.repeat.setText("mat-khau-xa")
    values = {"parent_body": "Đảng bộ tỉnh Lào Cai", "issuing_body": "Đảng ủy xã Phong Niên",
              "issuing_code": "DUXPN", "place_name": "Phong Niên", "unit_word": "toàn xã",
              "signer_position": "Bí thư", "signer_name": "Lò Văn Sính", "term": "2025-2030"}
    for name, value in values.items():
        dialog.profile.widgets[name].setText(value)
    dialog.profile.widgets["recipients"].setPlainText("- Lưu VP Đảng ủy.")
    dialog.root_name.setText("Đảng bộ xã Phong Niên")
    dialog.root_code.setText("PHONGNIEN")
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert auth.login(empty_db, "quantri", "mat-khau-xa").full_name == "Hà Thị Mai"
    assert profile.in_force(empty_db).issuing_body == "ĐẢNG ỦY XÃ PHONG NIÊN"


def test_every_list_exports_its_rows_to_a_workbook(qtbot, db, leader, tmp_path):
    import openpyxl

    window = MainWindow(Context(db, leader))
    qtbot.addWidget(window)
    lists = [(title, page) for title, page in window.pages.items() if hasattr(page, "export_xlsx")]
    assert {"Hội nghị", "Văn bản", "Tài liệu, tin bài", "Phản ánh, kiến nghị", "Đảng viên"} <= dict(lists).keys()
    for number, (title, page) in enumerate(lists):
        page.refresh()
        written = page.export_xlsx(tmp_path / f"{number}.xlsx")
        counted = page.count(page.filter())
        sheet = openpyxl.load_workbook(tmp_path / f"{number}.xlsx").active
        assert written == sheet.max_row - 5 and (counted is None or written == counted), title
        assert sheet["A1"].value == title.upper()


def test_the_unit_tree_finds_a_unit_by_a_word_of_its_name_or_its_code(qtbot, db, admin):
    page = UnitsPage(Context(db, admin))
    qtbot.addWidget(page)
    page.search.setText("coc sam")   # no tone marks typed
    assert page.selected().name == "Chi bộ thôn Cốc Sâm"

    def shown(item):
        rows = [] if item.isHidden() else [item.text(0)]
        for index in range(item.childCount()):
            rows += shown(item.child(index))
        return rows

    visible = [name for index in range(page.tree.topLevelItemCount()) for name in shown(page.tree.topLevelItem(index))]
    assert visible == ["Đảng bộ huyện Bảo Thắng", "Đảng bộ xã Phong Niên", "Chi bộ thôn Cốc Sâm"]
    page.search.setText("giaphu-0")   # by code: every chi bộ of the former Gia Phú
    assert page.selected().code.startswith("GIAPHU-0")
    page.search.clear()
    assert not any(page.tree.topLevelItem(0).child(index).isHidden() for index in range(4))


def test_records_opened_lately_are_offered_again_newest_first(qtbot, db, clerk):
    from app.ui.dialogs.meeting import MeetingDialog

    window = MainWindow(Context(db, clerk))
    qtbot.addWidget(window)
    page = window.show_page("Hội nghị")
    first, second = page.model.row_at(0), page.model.row_at(1)
    for row in (first, second):
        dialog = page.open_once(row)
        qtbot.addWidget(dialog)
        dialog.reject()
    window._fill_recent()
    labels = [action.text() for action in window.recent_menu.actions()]
    assert labels[0].startswith(f"Hội nghị: {second.held_on:%d/%m/%Y}") and len(labels) == 2
    again = window.open_recent("Hội nghị", first.id, "x")
    qtbot.addWidget(again)
    assert isinstance(again, MeetingDialog) and again.meeting_id == first.id


def test_esc_on_a_person_half_typed_asks_before_dropping_it(qtbot, db, clerk, monkeypatch):
    from app.ui.qt import QMessageBox

    dialog = PersonDialog(Context(db, clerk), None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.full_name.setText("Giàng Thị Mỷ")
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, title, *_a, **_k: asked.append(title)
                        or QMessageBox.StandardButton.No)
    dialog.reject()
    assert asked == ["Chưa lưu"] and dialog.isVisible() and dialog.full_name.text() == "Giàng Thị Mỷ"


def test_lists_tell_apart_units_that_share_a_name(qtbot, db, admin):
    from app.services import units as unit_service

    page = PeoplePage(Context(db, admin))
    qtbot.addWidget(page)
    nodes = unit_service.tree(db, admin)
    shared = {node.name for node in nodes if sum(other.name == node.name for other in nodes) > 1
              and node.kind.holds_members}
    assert shared
    page.model.page_size = 5000
    page.refresh()
    shown = {page.model.data(page.model.index(row, 5)) for row in range(page.model.rowCount())}
    assert not shown & shared                        # a shared name never stands alone in the list
    assert any(name.startswith(tuple(shared)) for name in shown)


def test_the_office_page_adjusts_the_schedule_of_reports_owed_in_one_save(qtbot, db, leader, clerk):
    from app.services import schedule
    from app.ui.pages.office import OfficePage

    page = OfficePage(Context(db, leader))
    qtbot.addWidget(page)
    dialog = page.show_schedule()
    qtbot.addWidget(dialog)
    assert [dialog.days[kind].value() for kind in schedule.KINDS] == [20, 20, 20, 20, 15]
    dialog.days["thang"].setValue(5)
    dialog.after["thang"].setCurrentIndex(1)
    assert dialog.save()
    saved = {duty.kind: duty for duty in schedule.duties(db, leader)}
    assert saved["thang"].rule_text == "ngày 5 tháng sau kỳ" and saved["thang"].adjusted
    assert not saved["quy"].adjusted   # unchanged rows are not written
    clerks = OfficePage(Context(db, clerk))
    qtbot.addWidget(clerks)
    assert clerks.schedule_button.isHidden()   # the clerk keeps no profile, nor its schedule
