"""A small dialog: a form, Save/Cancel, and the service's errors shown next to the fields."""

from __future__ import annotations

from collections.abc import Callable

from app.ui.qt import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget
from app.ui.widgets.forms import FieldForm, run_action


class FormDialog(QDialog):
    """Nothing is written until Save; then the action runs (one service call, one transaction)."""

    def __init__(self, title: str, parent: QWidget | None = None, *, intro: str = "", save_text: str = "Lưu",
                 width: int = 460) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(width)
        self.form = FieldForm()
        layout = QVBoxLayout(self)
        if intro:
            text = QLabel(intro)
            text.setWordWrap(True)
            layout.addWidget(text)
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(save_text)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._action: Callable[[], None] | None = None

    def add(self, name: str, label: str, widget: QWidget) -> QWidget:
        return self.form.add(name, label, widget)

    def run(self, action: Callable[[], None]) -> bool:
        self._action = action
        return self.exec() == QDialog.DialogCode.Accepted

    def _save(self) -> None:
        if run_action(self.form, self, self._action):
            self.accept()
