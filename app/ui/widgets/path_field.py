"""A file path typed or chosen with «Chọn…»."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.ui.qt import QHBoxLayout, QLineEdit, QPushButton, QWidget


class PathField(QWidget):
    def __init__(self, choose: Callable[[PathField], None]) -> None:
        super().__init__()
        self.edit = QLineEdit()
        button = QPushButton("Chọn…")
        button.clicked.connect(lambda: choose(self))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(button)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text) if text else None
