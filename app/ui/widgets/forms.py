"""A form whose fields show the service's ValidationError messages in place, in red."""

from __future__ import annotations

from app.ui.qt import QFormLayout, QLabel, QVBoxLayout, QWidget


class FieldForm(QFormLayout):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._errors: dict[str, QLabel] = {}
        self.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)

    def add(self, name: str, label: str, widget: QWidget) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"error_{name}")
        error.setStyleSheet("color: #b00020;")
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self._errors[name] = error
        self.addRow(label, box)
        return widget

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Show each message under its field; return the messages that have no field here."""
        self.clear_errors()
        unplaced = []
        for name, message in errors.items():
            if name in self._errors:
                self._errors[name].setText(message)
                self._errors[name].show()
            else:
                unplaced.append(message)
        return unplaced

    def clear_errors(self) -> None:
        for label in self._errors.values():
            label.clear()
            label.hide()

    def error_text(self, name: str) -> str:
        return self._errors[name].text()
