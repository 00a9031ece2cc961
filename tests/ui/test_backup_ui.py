"""Backup and restore from the File menu, and the scheduled backup of an open window."""

from __future__ import annotations

import sqlite3

from app.services import backup
from app.ui.dialogs.backup import BackupDialog, RestoreDialog
from app.ui.main_window import MainWindow
from app.ui.qt import QLabel, QMessageBox
from app.ui.widgets.common import Context


def file_menu(window: MainWindow) -> list[str]:
    menu = window.menuBar().actions()[0].menu()
    return [action.text() for action in menu.actions() if action.text()]


def titles(path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT title FROM meeting ORDER BY id")]


def test_the_file_menu_offers_backup_to_its_roles_and_restore_to_the_admin(qtbot, db, clerk, admin, inspector):
    menus = {}
    for actor in (clerk, admin, inspector):
        window = MainWindow(Context(db, actor))
        qtbot.addWidget(window)
        menus[actor.username] = file_menu(window)
    assert "Sao lưu dữ liệu…" in menus["nhaplieu"] and "Khôi phục từ bản sao lưu…" not in menus["nhaplieu"]
    assert {"Sao lưu dữ liệu…", "Khôi phục từ bản sao lưu…"} <= set(menus["quantri"])
    assert "Sao lưu dữ liệu…" not in menus["kiemtra"]


def test_backup_with_a_passphrase_then_restore_it(qtbot, db, db_path, clerk, admin, tmp_path, monkeypatch):
    dialog = BackupDialog(Context(db, clerk))
    qtbot.addWidget(dialog)
    assert "sao-luu" in dialog.target.edit.text() and not dialog.passphrase.isEnabled()
    target = tmp_path / "ban.saoluu"
    dialog.target.edit.setText(str(target))
    dialog.encrypt.setChecked(True)
    dialog.passphrase.setText("mật khẩu dài")
    dialog.repeat.setText("mật khẩu khác")
    dialog._action = dialog._save_backup
    dialog._save()
    error = dialog.findChild(QLabel, "error_repeat")
    assert not error.isHidden() and "không giống nhau" in error.text() and not target.exists()
    dialog.repeat.setText("mật khẩu dài")
    dialog._save()
    assert target.exists() and dialog.made.encrypted
    before = titles(db_path)

    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE meeting SET title = 'sửa sau sao lưu'")
    window = MainWindow(Context(db, admin))
    qtbot.addWidget(window)
    restore = RestoreDialog(Context(db, admin), window)
    qtbot.addWidget(restore)
    restore.source.edit.setText(str(target))
    restore._describe()
    assert "(có mật khẩu)" in restore.summary.text() and restore.passphrase.isEnabled()
    shown = []
    monkeypatch.setattr("app.ui.widgets.common.show_error", lambda _parent, message, *_: shown.append(message))
    restore.passphrase.setText("sai rồi")
    restore._action = restore._restore
    restore._save()
    assert shown and "không đúng" in shown[0] and restore.restored is None
    assert titles(db_path)[0] == "sửa sau sao lưu"

    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *_: asked.append(text) or QMessageBox.StandardButton.No)
    restore.passphrase.setText("mật khẩu dài")
    restore._save()
    assert "Thay toàn bộ dữ liệu" in asked[0] and restore.restored is None
    assert titles(db_path)[0] == "sửa sau sao lưu"                # said no: nothing replaced

    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Yes)
    restore._save()
    info, kept = restore.restored
    assert titles(db_path) == before and kept.exists()
    with sqlite3.connect(db_path) as connection:
        trail = [row[0] for row in connection.execute("SELECT summary FROM audit_entry WHERE action = 'restore'")]
    assert trail == [f"Khôi phục từ bản sao lưu «ban.saoluu» lập lúc {info.made_at:%H:%M %d/%m/%Y} bởi quantri"]


def test_an_open_window_makes_the_scheduled_backup_when_due(qtbot, db, clerk):
    window = MainWindow(Context(db, clerk))
    qtbot.addWidget(window)
    folder = backup.auto_folder(db)
    with qtbot.waitSignal(window.scheduled_backup_done, timeout=20000) as made:
        window.scheduled_backup()
    assert made.args[0].startswith(str(folder)) and len(backup.automatic_backups(folder)) == 1
    window.scheduled_backup().join()                      # not due again for a day
    assert len(backup.automatic_backups(folder)) == 1
    assert backup.verify(backup.automatic_backups(folder)[0]).counts["meeting"] > 0
