"""How a page or dialog was left, kept per user: column widths and sort order, splitters, the filter
choices last made. Each page declares once what it keeps (`remember`), and it comes back at the next
login on that computer."""

from __future__ import annotations

from app.ui.qt import QCheckBox, QComboBox, QHeaderView, QSettings, QSplitter, QWidget


class ViewState:
    def __init__(self, username: str, name: str) -> None:
        self.prefix = f"nguoi-dung/{username}/{name}"
        self._kept: list[tuple[str, QWidget]] = []

    def remember(self, key: str, widget: QWidget) -> None:
        """Keep this widget's state under `key`; what was kept last time is put back now."""
        self._kept.append((key, widget))
        value = QSettings().value(f"{self.prefix}/{key}")
        if value is None:
            return
        if isinstance(widget, QHeaderView | QSplitter):
            widget.restoreState(value)
        elif isinstance(widget, QComboBox):
            index = widget.findText(str(value))
            if index >= 0:
                widget.setCurrentIndex(index)
        elif isinstance(widget, QCheckBox):
            widget.setChecked(str(value) == "1")

    def save(self) -> None:
        settings = QSettings()
        for key, widget in self._kept:
            if isinstance(widget, QHeaderView | QSplitter):
                value = widget.saveState()
            elif isinstance(widget, QComboBox):
                value = widget.currentText()
            else:
                value = "1" if widget.isChecked() else "0"
            settings.setValue(f"{self.prefix}/{key}", value)
