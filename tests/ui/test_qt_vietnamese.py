"""Qt's own dialogs speak Vietnamese: the buttons of a question, the file dialog, the edit menu."""

from __future__ import annotations

from app.ui.qt import QAbstractButton, QFileDialog, QLabel, QLineEdit, QMessageBox
from app.ui.qt_vietnamese import table

ENGLISH = {"Yes", "No", "OK", "Cancel", "Save", "Open", "Look in:", "File name:", "Files of type:", "Name", "Size",
           "Type", "Date Modified", "Copy", "Paste", "Undo", "Select All", "Delete"}


def _plain(text: str) -> str:
    return text.replace("&", "")


def test_a_question_is_answered_with_vietnamese_buttons(qtbot):
    box = QMessageBox(QMessageBox.Icon.Question, "Xác nhận", "Tiếp tục?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert sorted(_plain(button.text()) for button in box.buttons()) == ["Có", "Hủy", "Không"]


def test_the_file_dialog_and_the_edit_menu_have_no_english_word(qtbot):
    dialog = QFileDialog(None, "Lưu báo cáo")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    shown = [_plain(label.text()) for label in dialog.findChildren(QLabel) if label.isVisible()]
    shown += [_plain(button.text()) for button in dialog.findChildren(QAbstractButton) if button.isVisible()]
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    shown += [_plain(action.text()).split("\t")[0] for action in menu.actions() if action.text()]
    assert {"Tìm trong:", "Tên tệp:", "Loại tệp:", "Lưu", "Hủy", "Chép", "Dán"} <= set(shown)
    assert not ENGLISH & set(shown)


def test_every_entry_of_the_translation_file_is_filled_in():
    entries = table()
    assert len(entries) > 100 and all(text.strip() for text in entries.values())
    assert entries[("QPlatformTheme", "&Yes")] == "&Có"
