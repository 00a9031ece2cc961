"""The signs (biểu hiện) of a case: a checkable list of the Danh mục with a search box over code and text."""

from __future__ import annotations

from app.services.cases.reference import SIGN_GROUPS, ReferenceRow
from app.services.search import fold
from app.ui.qt import QLabel, QLineEdit, QListWidget, QListWidgetItem, Qt, QVBoxLayout, QWidget


class SignPicker(QWidget):
    def __init__(self, rows: list[ReferenceRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(placeholderText="Tìm biểu hiện theo mã hoặc nội dung (gõ không dấu cũng được)…")
        self.search.setClearButtonEnabled(True)
        self.search.setProperty("search", True)   # finds a sign; not part of the record
        self.list = QListWidget()
        self.list.setFixedHeight(130)
        self.chosen = QLabel()
        self.chosen.setStyleSheet("color: #555;")
        self.chosen.setWordWrap(True)
        for row in rows:
            item = QListWidgetItem(f"{row.code} — {row.name}")
            item.setToolTip(f"{SIGN_GROUPS.get(row.grouping, '')}: {row.name}")
            item.setData(Qt.ItemDataRole.UserRole, row.code)
            item.setData(Qt.ItemDataRole.UserRole + 1, fold(f"{row.code} {row.name}"))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(self.chosen)
        self.search.textChanged.connect(self._filter)
        self.list.itemChanged.connect(self._show_chosen)
        self._show_chosen()

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def _filter(self, text: str) -> None:
        words = fold(text).split()
        for item in self._items():
            haystack = item.data(Qt.ItemDataRole.UserRole + 1)
            item.setHidden(not all(word in haystack for word in words))

    def _show_chosen(self, *_args) -> None:
        codes = self.codes()
        self.chosen.setText("Đã chọn: " + ", ".join(codes) if codes else "Chưa chọn biểu hiện nào.")

    def codes(self) -> list[str]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self._items()
                if item.checkState() == Qt.CheckState.Checked]

    def set_codes(self, codes: list[str]) -> None:
        """Checks these; a retired code an old case still carries is added so it stays visible."""
        wanted = set(codes)
        for item in self._items():
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted
                               else Qt.CheckState.Unchecked)
        for code in sorted(wanted - {item.data(Qt.ItemDataRole.UserRole) for item in self._items()}):
            item = QListWidgetItem(f"{code} (ngừng dùng)")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setData(Qt.ItemDataRole.UserRole + 1, fold(code))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self._show_chosen()
