"""What the record dialogs share (sessions, materials, documents, cases, people).

«Lưu (Ctrl+S)» and «Hủy» («Đóng» when the record is read-only); nothing is written until Save, then
one service call (`write`, one transaction); the service's refusal is shown where it belongs: each
field's message under its field (`show_errors`, which a dialog with tabs or grids widens), whatever
has no place here in a box.
"""

from __future__ import annotations

from app.ui.fit import within_screen
from app.ui.qt import QDialog, QDialogButtonBox, QKeySequence, QWidget
from app.ui.widgets.common import Context
from app.ui.widgets.forms import FieldForm, run_action


class RecordDialog(QDialog):
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

    # ---- saving -------------------------------------------------------------------------------------
    def save(self) -> bool:
        self.clear_errors()
        saved: list[int | None] = []
        if not run_action(self.form, self, lambda: saved.append(self.write()), self.show_errors):
            return False
        self.saved_id = saved[0]
        self.accept()
        return True
