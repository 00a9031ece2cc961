"""What the record dialogs share (sessions, materials, documents, cases, people).

«Lưu (Ctrl+S)» and «Hủy» («Đóng» when the record is read-only); nothing is written until Save, then
one service call (`write`, one transaction); the service's refusal is shown where it belongs: each
field's message under its field (`show_errors`, which a dialog with tabs or grids widens), whatever
has no place here in a box. What was typed is never thrown away unasked: Esc, «Hủy» and closing the
window ask first when anything differs from what the dialog opened with.
"""

from __future__ import annotations

from app.ui.fit import within_screen
from app.ui.qt import (
    QAbstractButton,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QKeySequence,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QWidget,
)
from app.ui.widgets.common import Context, confirm
from app.ui.widgets.forms import FieldForm, run_action


class AsksBeforeDropping:
    """For a QDialog: Esc, «Hủy» and the window's close box ask before dropping what was typed, when anything
    differs from what the dialog showed when it opened (or last reloaded, `settled`)."""

    _opened_with: tuple | None = None

    def extra_state(self) -> tuple:
        """What the dialog holds beyond its fields (a roster, files added): compared to see a change."""
        return ()

    def entered(self) -> tuple:
        """Every value a user can change here: typed text, choices, ticks, lists' ticks, and `extra_state`.
        Search boxes (marked `search`) are not data."""
        values: list = []
        for widget in self.findChildren(QWidget):
            if widget.property("search"):
                continue
            if isinstance(widget, QLineEdit):
                values.append(widget.text())
            elif isinstance(widget, QPlainTextEdit):
                values.append(widget.toPlainText())
            elif isinstance(widget, QComboBox):
                values.append(widget.currentIndex())
            elif isinstance(widget, QAbstractButton) and widget.isCheckable():
                values.append(widget.isChecked())
            elif isinstance(widget, QListWidget):
                values.append(tuple(widget.item(row).checkState() for row in range(widget.count())))
            elif isinstance(widget, QTableWidget):   # a grid's typed cells (a distribution's notes)
                values.append(tuple(item.text() if (item := widget.item(row, column)) else ""
                                    for row in range(widget.rowCount()) for column in range(widget.columnCount())))
        return (tuple(values), self.extra_state())

    def has_unsaved(self) -> bool:
        return getattr(self, "editable", True) and self._opened_with is not None and self.entered() != self._opened_with

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._opened_with is None:
            self._opened_with = self.entered()

    def settled(self) -> None:
        """What the fields hold now is what is saved (the dialog reloaded after a write of its own)."""
        if self._opened_with is not None:
            self._opened_with = self.entered()

    def reject(self) -> None:
        """Esc, «Hủy» and the window's close box: ask before dropping what was typed."""
        if self.has_unsaved() and not confirm(self, "Những gì vừa nhập chưa được lưu. Bỏ đi, không lưu?", "Chưa lưu"):
            return
        super().reject()


class RecordDialog(AsksBeforeDropping, QDialog):
    def __init__(self, context: Context, parent: QWidget | None, *, title: str, editable: bool = True,
                 size: tuple[int, int] = (900, 640), save_text: str = "Lưu (Ctrl+S)",
                 cancel_text: str | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.editable = editable
        self.saved_id: int | None = None
        self.setWindowTitle(title)
        self.resize(*within_screen(*size))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(save_text)
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setVisible(editable)
        cancel = cancel_text or ("Hủy" if editable else "Đóng")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)


    # ---- what each dialog fills in ---------------------------------------------------------------
    form: FieldForm

    def write(self) -> int | None:
        """Create or update the record (one service call); its id."""
        raise NotImplementedError

    def clear_errors(self) -> None:
        self.form.clear_errors()

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Each message where it belongs; the ones with no place here are returned (shown in a box)."""
        return self.form.show_errors(errors)

    def read_only(self, why: str) -> None:
        """Shown, not editable (a record this user may see but not change): every field fixed, «Đóng» only."""
        self.editable = False
        self.save_button.setVisible(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng")
        for widget in self.findChildren(QWidget):
            if isinstance(widget, QLineEdit | QPlainTextEdit | QComboBox | QAbstractButton | QDateEdit | QSpinBox) \
                    and widget not in self.buttons.buttons():
                widget.setEnabled(False)
        self.setToolTip(why)
        self.setWindowTitle(f"{self.windowTitle()} (chỉ xem)")

    # ---- saving -------------------------------------------------------------------------------------
    def save(self) -> bool:
        self.clear_errors()
        saved: list[int | None] = []
        if not run_action(self.form, self, lambda: saved.append(self.write()), self.show_errors):
            return False
        self.saved_id = saved[0]
        self.accept()
        return True
