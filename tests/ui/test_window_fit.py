"""Everything fits a 1366×768 commune laptop (1366×728 above the taskbar), for every role: the main window,
each page without a sideways scroll bar, and the dialogs a role opens, with room for their title bar."""

from __future__ import annotations

import pytest

from app.ui.fit import SCREEN_HEIGHT, SCREEN_WIDTH, TITLE_BAR
from app.ui.main_window import MainWindow
from app.ui.qt import QScrollArea, QTableView
from app.ui.widgets.common import Context

ROLES = ["admin", "clerk", "leader", "inspector"]


@pytest.mark.parametrize("who", ROLES)
def test_the_main_window_and_every_page_fit_the_laptop_screen(qtbot, db, request, who):
    window = MainWindow(Context(db, request.getfixturevalue(who)))
    qtbot.addWidget(window)
    window.resize(SCREEN_WIDTH, SCREEN_HEIGHT - TITLE_BAR)
    window.show()
    hint = window.minimumSizeHint()
    assert hint.width() <= SCREEN_WIDTH and hint.height() <= SCREEN_HEIGHT - TITLE_BAR
    assert window.width() <= SCREEN_WIDTH and window.height() <= SCREEN_HEIGHT - TITLE_BAR
    for title, page in window.pages.items():
        window.show_page(title)
        qtbot.wait(1)
        area = window.stack.currentWidget()
        assert isinstance(area, QScrollArea) and area.widget() is page
        # Wide enough for the page: no control is reached by scrolling sideways at 1366 pixels.
        assert page.minimumSizeHint().width() <= area.viewport().width(), title
        assert not area.horizontalScrollBar().isVisible(), title
        table = getattr(page, "table", None)
        if isinstance(table, QTableView) and table.isVisible():   # every column on screen, the rate included
            assert not table.horizontalScrollBar().isVisible(), title


def _dialogs(db, actors):
    from app.ui.dialogs.backup import BackupDialog, RestoreDialog
    from app.ui.dialogs.broadcast_week import BroadcastWeekDialog
    from app.ui.dialogs.case import CaseDialog
    from app.ui.dialogs.case_keys import KeysDialog
    from app.ui.dialogs.document import DocumentDialog
    from app.ui.dialogs.exchange import AddPartnerDialog, CardDialog, ExportDialog
    from app.ui.dialogs.login import LoginDialog
    from app.ui.dialogs.makeups import MakeupDialog
    from app.ui.dialogs.manual import ManualDialog
    from app.ui.dialogs.material import MaterialDialog
    from app.ui.dialogs.meeting import MeetingDialog
    from app.ui.dialogs.person import PersonDialog
    from app.ui.dialogs.schedule import ScheduleDialog
    from app.ui.dialogs.setup import SetupDialog

    clerk, leader, admin, inspector = (Context(db, actors[name]) for name in ("clerk", "leader", "admin", "inspector"))
    return {"tiếp nhận phản ánh": lambda: CaseDialog(clerk), "hội nghị": lambda: MeetingDialog(clerk, None),
            "văn bản": lambda: DocumentDialog(leader), "tài liệu": lambda: MaterialDialog(clerk),
            "đảng viên": lambda: PersonDialog(clerk, None), "phát thanh": lambda: BroadcastWeekDialog(clerk),
            "học bù": lambda: MakeupDialog(clerk), "khóa danh tính": lambda: KeysDialog(inspector),
            "sao lưu": lambda: BackupDialog(admin), "khôi phục": lambda: RestoreDialog(admin),
            "thẻ đối tác": lambda: CardDialog(admin), "thêm đối tác": lambda: AddPartnerDialog(admin),
            "xuất gói": lambda: ExportDialog(clerk), "thiết lập": lambda: SetupDialog(db),
            "đăng nhập": lambda: LoginDialog(db), "hướng dẫn": lambda: ManualDialog(),
            "lịch báo cáo": lambda: ScheduleDialog(leader)}


def test_every_dialog_opens_within_the_laptop_screen(qtbot, db, admin, clerk, leader, inspector):
    actors = {"admin": admin, "clerk": clerk, "leader": leader, "inspector": inspector}
    for name, make in _dialogs(db, actors).items():
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        hint, size = dialog.minimumSizeHint(), dialog.size()
        assert hint.width() <= SCREEN_WIDTH and hint.height() <= SCREEN_HEIGHT - TITLE_BAR, (name, hint)
        assert size.width() <= SCREEN_WIDTH and size.height() <= SCREEN_HEIGHT - TITLE_BAR, (name, size)
        dialog.close()


def test_messages_under_fields_push_the_form_and_are_never_drawn_over_a_field(qtbot, empty_db, monkeypatch):
    from app.ui.dialogs.setup import SetupDialog
    from app.ui.qt import QApplication

    monkeypatch.setattr("app.ui.widgets.common.show_error", lambda *_a, **_k: None)
    dialog = SetupDialog(empty_db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save()   # everything empty: a message under nearly every field, «Nơi nhận» among them
    QApplication.processEvents()
    shown = [(name, label) for name, label in dialog.form._errors.items() if label.isVisible()]
    assert "recipients" in dict(shown) and len(shown) >= 8
    for name, label in shown:
        _box, field = dialog.form._boxes[name]
        assert label.geometry().top() >= field.geometry().bottom(), name          # under its field, not over it
        assert label.height() >= label.heightForWidth(label.width()), name        # all its lines shown
