"""Trợ giúp › Hướng dẫn sử dụng: the manual in Vietnamese (resources/manual), the same text the README links."""

from __future__ import annotations

from app.config import resources_dir
from app.ui.fit import within_screen
from app.ui.qt import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

MANUAL = resources_dir() / "manual" / "huong-dan-su-dung.md"


class ManualDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hướng dẫn sử dụng")
        self.resize(*within_screen(900, 680))
        self.text = QTextBrowser(openExternalLinks=False)
        self.text.setMarkdown(MANUAL.read_text(encoding="utf-8"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
