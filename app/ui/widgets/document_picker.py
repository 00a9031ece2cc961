"""A short list of documents from the register, chosen with a searchable combo (or entered anew)."""

from __future__ import annotations

from collections.abc import Callable

from app.services import documents
from app.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import Context


class DocumentPicker(QWidget):
    def __init__(self, context: Context, *, editable: bool = True, height: int = 64,
                 placeholder: str = "Chọn văn bản trong sổ…", parent: QWidget | None = None,
                 register_new: Callable[[QWidget], int | None] | None = None) -> None:
        """`register_new(parent)` enters a new document in the register and returns its id (the
        document dialog, handed in by whoever holds the picker: a widget knows no dialog)."""
        super().__init__(parent)
        self.context, self.register_new = context, register_new
        self.list = QListWidget()
        self.list.setFixedHeight(height)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Long summaries must not widen the dialog: the combo keeps a modest width and elides.
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(30)
        self.combo.lineEdit().setPlaceholderText(placeholder)
        self.add_button, self.remove_button = QPushButton("Thêm"), QPushButton("Bỏ")
        self.new_button = QPushButton("Vào sổ văn bản mới…")
        pick = QHBoxLayout()
        for widget in (self.combo, self.add_button, self.remove_button, self.new_button):
            pick.addWidget(widget, 3 if widget is self.combo else 0)
            widget.setEnabled(editable)
        self.new_button.setVisible(register_new is not None)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.list)
        column.addLayout(pick)
        self.refill()
        self.add_button.clicked.connect(lambda: self.add(self.combo.currentData()))
        self.remove_button.clicked.connect(lambda: self.list.takeItem(self.list.currentRow()))
        self.new_button.clicked.connect(self.new_document)

    def refill(self) -> None:
        self.combo.clear()
        for row in documents.search(self.context.db, self.context.actor, limit=500):
            self.combo.addItem(row.label, row.id)
        self.combo.setCurrentIndex(-1)

    def add(self, document_id: int | None) -> None:
        if document_id is None or document_id in self.ids():
            return
        row = documents.row(self.context.db, self.context.actor, document_id)
        item = QListWidgetItem(row.label)
        item.setData(Qt.ItemDataRole.UserRole, document_id)
        self.list.addItem(item)

    def set_ids(self, document_ids: list[int]) -> None:
        self.list.clear()
        for document_id in document_ids:
            self.add(document_id)

    def ids(self) -> list[int]:
        return [self.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.list.count())]

    def new_document(self) -> None:
        created = self.register_new(self.window()) if self.register_new else None
        if created is not None:
            self.refill()
            self.add(created)
