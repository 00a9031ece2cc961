"""A session's báo cáo viên, chosen from the register with a searchable combo (or entered in it anew); a
name written before the register stays as it was written."""

from __future__ import annotations

from collections.abc import Callable

from app.services import speakers
from app.services.meetings import PresenterLine
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

TEXT_ONLY = " (ghi tay, chưa có trong danh sách báo cáo viên)"


class SpeakerPicker(QWidget):
    def __init__(self, context: Context, *, editable: bool = True, height: int = 48,
                 register_new: Callable[[QWidget], int | None] | None = None, parent: QWidget | None = None) -> None:
        """`register_new(parent)` enters a new báo cáo viên in the register and returns its id."""
        super().__init__(parent)
        self.context, self.register_new = context, register_new
        self.list = QListWidget()
        self.list.setFixedHeight(height)
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(30)
        self.combo.lineEdit().setPlaceholderText("Chọn báo cáo viên trong danh sách (gõ tên để tìm)…")
        self.combo.lineEdit().setProperty("search", True)   # finding a name is not data
        self.add_button, self.remove_button = QPushButton("Thêm"), QPushButton("Bỏ")
        self.new_button = QPushButton("Báo cáo viên mới…")
        pick = QHBoxLayout()
        for widget in (self.combo, self.add_button, self.remove_button, self.new_button):
            pick.addWidget(widget, 3 if widget is self.combo else 0)
            widget.setEnabled(editable)
        self.new_button.setVisible(register_new is not None)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.list)
        column.addLayout(pick)
        self.rows: dict[int, speakers.SpeakerRow] = {}
        self.refill()
        self.add_button.clicked.connect(lambda: self.add_speaker(self.combo.currentData()))
        self.remove_button.clicked.connect(lambda: self.list.takeItem(self.list.currentRow()))
        self.new_button.clicked.connect(self.new_speaker)

    def refill(self) -> None:
        self.rows = {row.id: row for row in speakers.choices(self.context.db, self.context.actor)}
        self.combo.clear()
        for row in self.rows.values():
            self.combo.addItem(row.label, row.id)
        self.combo.setCurrentIndex(-1)

    def _append(self, line: PresenterLine) -> None:
        label = f"{line.name} — {line.title}" if line.title else line.name
        item = QListWidgetItem(label if line.speaker_id is not None else label + TEXT_ONLY)
        item.setData(Qt.ItemDataRole.UserRole, line)
        self.list.addItem(item)

    def add_speaker(self, speaker_id: int | None) -> None:
        if speaker_id is None or speaker_id in [line.speaker_id for line in self.lines()]:
            return
        row = self.rows[speaker_id]
        self._append(PresenterLine(row.full_name, row.title, row.id))

    def set_lines(self, lines: list[PresenterLine]) -> None:
        self.list.clear()
        for line in lines:
            self._append(line)

    def lines(self) -> list[PresenterLine]:
        return [self.list.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.list.count())]

    def new_speaker(self) -> None:
        created = self.register_new(self.window()) if self.register_new else None
        if created is not None:
            self.refill()
            self.add_speaker(created)
