"""Starting the app: the login window before the database is open, and the unexpected-error dialog."""

from __future__ import annotations

import logging
import sys
from concurrent.futures import Future

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
