"""Pages are current when shown: what was written on another page appears in their lists and filter
choices, their dates follow the calendar, and each user finds the columns and filters as left."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from app.models import Base
from app.models.enums import DocumentKind, UnitKind
from app.services import documents, people, units
from app.ui.main_window import MainWindow
from app.ui.pages import base
from app.ui.pages.meetings import MeetingsPage
from app.ui.pages.people import PeoplePage
from app.ui.widgets.common import Context, select_data, to_date
from tests.helpers import unit_by_code

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def texts(combo) -> list[str]:
    return [combo.itemText(i).strip() for i in range(combo.count())]


def test_a_unit_and_a_document_added_elsewhere_appear_when_the_page_is_shown(qtbot, db, admin, clerk, leader):
    window = MainWindow(Context(db, leader))
    qtbot.addWidget(window)
    window.show()
    sessions = window.show_page("Hội nghị")
    window.show_page("Đơn vị")              # the sessions page is hidden while things are added elsewhere
    commune = unit_by_code(db, leader, "PHONGNIEN")
    units.create(db, admin, code="PHONGNIEN-99", name="Chi bộ thôn Mới Lập", kind=UnitKind.CHI_BO,
                 parent_id=commune.id, valid_from=date(2026, 1, 1))
    documents.create(db, clerk, documents.DocumentInput(DocumentKind.HD, "09-HD/BTGHU", "Ban Tuyên giáo Huyện ủy",
                                                        date(2026, 11, 20), "Hướng dẫn tuyên truyền mới"))
    assert "Chi bộ thôn Mới Lập" not in texts(sessions.unit_filter)
    select_data(sessions.kind_filter, sessions.kind_filter.itemData(1))   # a choice the reload must keep
    window.show_page("Hội nghị")
    assert "Chi bộ thôn Mới Lập" in texts(sessions.unit_filter)
    assert any(text.startswith("09-HD/BTGHU") for text in texts(sessions.document_filter))
    assert sessions.kind_filter.currentIndex() == 1


def test_a_person_added_from_a_dialog_elsewhere_is_in_the_people_list_when_shown(qtbot, db, clerk):
    page = PeoplePage(Context(db, clerk))
    qtbot.addWidget(page)
    before = page.model.rowCount()
    page.search.setText("Lù Văn Mới")
    page.refresh()
    assert page.model.rowCount() == 0
    people.create(db, clerk, people.PersonInput("Lù Văn Mới", 1990), unit_id=unit_by_code(db, clerk, "PHONGNIEN-01").id,
                  since=date(2026, 1, 1))
    page.show()
    assert page.model.rowCount() == 1 and before > 0


def test_the_dates_follow_the_calendar_unless_the_user_chose_them(qtbot, db, clerk, frozen_clock):
    frozen_clock.move_to(datetime(2026, 12, 31, 16, 0, tzinfo=VIETNAM))
    page = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(page)
    assert (to_date(page.start.date()), to_date(page.end.date())) == (date(2026, 1, 1), date(2026, 12, 31))
    page.show()
    page.hide()
    frozen_clock.move_to(datetime(2027, 1, 2, 8, 30, tzinfo=VIETNAM))   # the laptop stayed on over New Year
    page.show()
    assert (to_date(page.start.date()), to_date(page.end.date())) == (date(2027, 1, 1), date(2027, 12, 31))
    page.hide()
    page.start.setDate(page.start.date().addMonths(6))   # the clerk's own choice stays
    frozen_clock.move_to(datetime(2028, 1, 3, 8, 30, tzinfo=VIETNAM))
    page.show()
    assert to_date(page.start.date()) == date(2027, 7, 1) and to_date(page.end.date()) == date(2028, 12, 31)


def test_columns_and_filters_come_back_for_the_same_user_only(qtbot, db, clerk, leader):
    first = MeetingsPage(Context(db, leader))
    qtbot.addWidget(first)
    first.show()
    first.table.horizontalHeader().resizeSection(2, 420)
    select_data(first.form_filter, first.form_filter.itemData(2))
    first.hide()
    again = MeetingsPage(Context(db, leader))
    qtbot.addWidget(again)
    assert again.table.horizontalHeader().sectionSize(2) == 420
    assert again.form_filter.currentIndex() == 2
    other = MeetingsPage(Context(db, clerk))
    qtbot.addWidget(other)
    assert other.table.horizontalHeader().sectionSize(2) != 420 and other.form_filter.currentIndex() == 0


def test_every_table_a_page_watches_exists():
    pages = base.ListPage.__subclasses__() + base.CurrentPage.__subclasses__()
    assert len(pages) >= 10   # every page of the main window but the reports page (it watches the unit tree)
    for page in pages:
        assert page.watches and set(page.watches) <= set(Base.metadata.tables), page.__name__


def test_anyone_changes_their_own_password_from_the_file_menu(qtbot, db, clerk):
    from app.services import auth
    from app.ui.dialogs.form_dialog import FormDialog
    from app.ui.qt import QApplication, QDialogButtonBox, QLineEdit, QTimer
    from tests.conftest import PASSWORDS

    window = MainWindow(Context(db, clerk))
    qtbot.addWidget(window)
    action = next(a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "Đổi mật khẩu…")
    typed: list[str] = []

    def type_passwords(old: str, new: str, repeat: str) -> None:
        form = next(w for w in QApplication.topLevelWidgets() if isinstance(w, FormDialog) and w.isVisible())
        for field, text in zip(form.findChildren(QLineEdit), (old, new, repeat), strict=True):
            field.setText(text)
        form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        typed.append(form.form.error_text("repeat") or "ok")
        if form.isVisible():
            form.reject()

    QTimer.singleShot(100, lambda: type_passwords(PASSWORDS["nhaplieu"], "mat-khau-moi-2026", "mat-khau-khac"))
    action.trigger()
    assert typed == ["Hai lần nhập mật khẩu mới không giống nhau."]
    QTimer.singleShot(100, lambda: type_passwords(PASSWORDS["nhaplieu"], "mat-khau-moi-2026", "mat-khau-moi-2026"))
    action.trigger()
    assert typed[-1] == "ok" and auth.login(db, "nhaplieu", "mat-khau-moi-2026").username == "nhaplieu"


@pytest.mark.parametrize("username", ["quantri", "nhaplieu", "lanhdao", "kiemtra"])
def test_every_page_of_every_role_comes_up_and_goes_away_cleanly(qtbot, db, username):
    """Shown in turn (each showing brings the page up to date) and left: no error from any of them."""
    from app.services import auth
    from tests.conftest import PASSWORDS

    window = MainWindow(Context(db, auth.login(db, username, PASSWORDS[username])))
    qtbot.addWidget(window)
    window.show()
    for title in window.pages:
        assert window.show_page(title).isVisible()
    admin = auth.login(db, "quantri", PASSWORDS["quantri"])
    top = next(node for node in units.tree(db, admin) if node.parent_id is None)
    units.create(db, admin, code="MOI", name="Đảng bộ xã Mới", kind=UnitKind.DANG_BO, parent_id=top.id,
                 valid_from=date(2026, 1, 1))
    for title in window.pages:                 # again, with a unit written meanwhile
        assert window.show_page(title).isVisible()
    window.close()
