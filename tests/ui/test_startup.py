"""Starting the app: the login window before the database is open, and the unexpected-error dialog."""

from __future__ import annotations

import logging
import sys
from concurrent.futures import Future
from pathlib import Path

import pytest

from app.dbfile import DatabaseOpenError
from app.ui import app as gui
from app.ui.qt import QMessageBox
from tests.conftest import PASSWORDS


def test_an_everyday_start_shows_the_login_while_the_database_opens_behind_it(qtbot, db_path):
    login = gui.first_login(str(db_path))
    qtbot.addWidget(login)
    assert isinstance(login.database, Future) and login.db is None
    login.username.setText("lanhdao")
    login.password.setText(PASSWORDS["lanhdao"])
    login.try_login()
    assert login.result() == login.DialogCode.Accepted
    assert login.actor.username == "lanhdao" and login.db.install_id
    login.db.close()


def test_a_foreign_file_given_as_the_database_is_refused_before_any_window(tmp_path):
    foreign = tmp_path / "so-sach.xlsx"
    foreign.write_bytes(b"PK\x03\x04 not a database")
    with pytest.raises(DatabaseOpenError, match="so-sach.xlsx"):
        gui.first_login(str(foreign))
    assert foreign.read_bytes() == b"PK\x03\x04 not a database"


def test_an_unexpected_error_is_logged_and_shown_in_vietnamese_with_the_log_path(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, title, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    log_path = gui.setup_logging()
    gui.install_error_dialog(log_path)
    try:
        raise ZeroDivisionError("chia cho không")
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert len(shown) == 1 and "lỗi không lường trước" in shown[0] and str(log_path) in shown[0]
    assert "ZeroDivisionError: chia cho không" in log_path.read_text(encoding="utf-8")


def test_a_portable_copy_keeps_its_data_and_window_settings_beside_the_program(tmp_path, monkeypatch):
    """A USB stick: with portable.txt beside the program, the database, logs and the window settings live in
    `data` beside it, not in the laptop's user folders (nor the registry)."""
    from app import config
    from app.ui.qt import QSettings

    stick = tmp_path / "USB" / "SoTuyenGiao"
    stick.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(stick / "SoTuyenGiao.exe"))
    monkeypatch.delenv("TUYENGIAO_DATA")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user"))   # the laptop's own folders, in the sandbox
    assert config.data_dir().is_relative_to(tmp_path / "user")   # an installed copy: the user's own folders   # an installed copy: the user's own folders
    (stick / config.PORTABLE_MARKER).write_text("")
    assert config.data_dir() == stick / "data"
    assert config.default_database() == stick / "data" / "sotuyengiao.sqlite"
    gui.make_application([])
    QSettings().setValue("thu", 1)
    assert Path(QSettings().fileName()).is_relative_to(stick / "data" / "settings")


def test_window_settings_follow_the_data_folder_that_tuyengiao_data_names(tmp_path, monkeypatch):
    from app.ui.qt import QSettings

    monkeypatch.setenv("TUYENGIAO_DATA", str(tmp_path / "du-lieu"))
    gui.make_application([])
    assert Path(QSettings().fileName()).is_relative_to(tmp_path / "du-lieu" / "settings")


def test_f1_opens_the_manual_in_vietnamese_with_the_offline_route(qtbot, db, admin):
    from app.ui.main_window import MainWindow
    from app.ui.qt import QKeySequence
    from app.ui.widgets.common import Context

    window = MainWindow(Context(db, admin))
    qtbot.addWidget(window)
    from app.ui.qt import QAction

    manual = next(action for action in window.findChildren(QAction) if action.text() == "Hướng dẫn sử dụng")
    assert manual.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)   # F1
    dialog = window.show_manual()
    qtbot.addWidget(dialog)
    text = dialog.text.toPlainText()
    for step in ("Cài đặt từ USB, không cần mạng", "Nâng cấp lên phiên bản mới", "Chuyển sang máy tính khác",
                 "portable.txt", "Windows 10 hoặc Windows 11, bản 64-bit"):
        assert step in text
    assert dialog.width() <= 1366 and dialog.height() <= 728


def test_login_builds_the_first_page_only_and_the_others_when_first_shown(qtbot, db, leader):
    """Over ten years each page's first read takes a moment: the window waits for the first page alone."""
    from app.ui.main_window import MainWindow
    from app.ui.widgets.common import Context

    window = MainWindow(Context(db, leader))
    qtbot.addWidget(window)
    assert [type(page).__name__ for page in window.pages.built()] == ["OverviewPage"]
    assert "Văn bản" in window.pages and "Người dùng" not in window.pages   # asking does not build
    window._fill_recent()                                                   # nor does the recent menu
    assert len(window.pages.built()) == 1
    shown = window.show_page("Văn bản")
    assert window.current_page() is shown and len(window.pages.built()) == 2
