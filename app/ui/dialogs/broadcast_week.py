"""Nhật ký truyền thanh: a station's week in one grid, one line per content, one column per day with
the number of airings; saved whole, in one transaction."""

from __future__ import annotations

from datetime import timedelta

from app.models.enums import UnitKind
from app.services import documents
from app.services.auth import Permission
from app.services.errors import ServiceError, ValidationError
from app.services.numbers import count_text, short_date
from app.services.outreach import broadcasts
from app.services.scope import tree_in_scope
from app.ui import style
from app.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequence,
    QLabel,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import Context, date_edit, fill_units, select_data, show_error, to_date, to_qdate

CONTENT, DOCUMENT, MINUTES = range(3)
FIRST_DAY = 3


def _number_item(value: int | None) -> QTableWidgetItem:
    """A cell edited with a spin box (an int in the edit role), right-aligned."""
    item = QTableWidgetItem()
    item.setData(Qt.ItemDataRole.EditRole, value or 0)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class BroadcastWeekDialog(QDialog):
    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.editable = context.actor.can(Permission.EDIT_DOCUMENTS)
        self.week: broadcasts.Week | None = None
        self.setWindowTitle("Nhật ký truyền thanh cơ sở")
        self.resize(1100, 560)
        self.station = QComboBox()
        nodes = tree_in_scope(context.db, context.actor)
        communes = [node for node in nodes if node.kind is UnitKind.DANG_BO_CO_SO]   # each runs a station
        fill_units(self.station, communes or [node for node in nodes if not node.kind.holds_members])
        self.day = date_edit()
        self.previous, self.next = QPushButton("← Tuần trước"), QPushButton("Tuần sau →")
        self.heading = QLabel()
        self.documents = [(row.id, row.number) for row in documents.search(context.db, context.actor, limit=300)]
        self.grid = QTableWidget(0, FIRST_DAY + 7)
        self.grid.verticalHeader().setDefaultSectionSize(28)
        for column, width in ((CONTENT, 330), (DOCUMENT, 130), (MINUTES, 80)):
            self.grid.setColumnWidth(column, width)
        for offset in range(7):
            self.grid.setColumnWidth(FIRST_DAY + offset, 62)
        self.grid.horizontalHeader().setSectionResizeMode(CONTENT, QHeaderView.ResizeMode.Stretch)
        self.add_row_button, self.remove_row_button = QPushButton("Thêm dòng"), QPushButton("Bỏ dòng")
        self.totals = QLabel()
        self.errors = QLabel(styleSheet=style.ERROR_STYLE, wordWrap=True)
        self.errors.hide()
        hint = QLabel("Mỗi dòng một nội dung phát; ghi số lượt phát vào cột của từng ngày. Dòng để trống được bỏ qua.")
        hint.setStyleSheet("color: #555;")

        top = QHBoxLayout()
        top.addWidget(QLabel("Đài truyền thanh"))
        top.addWidget(self.station, 2)
        top.addWidget(QLabel("Tuần có ngày"))
        top.addWidget(self.day)
        top.addWidget(self.previous)
        top.addWidget(self.next)
        top.addStretch(1)
        rows = QHBoxLayout()
        rows.addWidget(self.add_row_button)
        rows.addWidget(self.remove_row_button)
        rows.addStretch(1)
        rows.addWidget(self.totals)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Lưu tuần (Ctrl+S)")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setVisible(self.editable)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        self.saved = QLabel()
        self.saved.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.heading)
        layout.addWidget(self.grid, 1)
        layout.addLayout(rows)
        layout.addWidget(hint)
        layout.addWidget(self.errors)
        bottom = QHBoxLayout()
        bottom.addWidget(self.saved, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.station.currentIndexChanged.connect(self.load)
        self.day.dateChanged.connect(self.load)
        self.previous.clicked.connect(lambda: self._move(-7))
        self.next.clicked.connect(lambda: self._move(7))
        self.add_row_button.clicked.connect(lambda: self.add_line())
        self.remove_row_button.clicked.connect(lambda: self.grid.removeRow(self.grid.currentRow()))
        self.grid.itemChanged.connect(self._show_totals)
        self.grid.model().rowsRemoved.connect(self._show_totals)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for widget in (self.add_row_button, self.remove_row_button):
            widget.setEnabled(self.editable)
        self.load()

    def _move(self, days: int) -> None:
        self.day.setDate(to_qdate(to_date(self.day.date()) + timedelta(days=days)))

    def load(self) -> None:
        """The station's week as saved, with a few empty lines to fill."""
        unit_id = self.station.currentData()
        if unit_id is None:
            return
        try:
            self.week = broadcasts.week(self.context.db, self.context.actor, unit_id, to_date(self.day.date()))
        except ServiceError as error:
            show_error(self, str(error))
            return
        monday = self.week.monday
        self.heading.setText(f"<b>Tuần từ {short_date(monday)} đến {short_date(monday + timedelta(days=6))}</b>")
        self.grid.setHorizontalHeaderLabels(["Nội dung phát", "Văn bản", "Phút/lượt"] + [
            f"{name}\n{day:%d/%m}" for name, day in zip(broadcasts.DAYS, self.week.days, strict=True)])
        self.grid.blockSignals(True)
        self.grid.setRowCount(0)
        for line in self.week.lines:
            self.add_line(line)
        for _ in range(2 if self.editable else 0):
            self.add_line()
        self.grid.blockSignals(False)
        self.errors.hide()
        self._show_totals()

    def add_line(self, line: broadcasts.WeekLine | None = None) -> int:
        row = self.grid.rowCount()
        self.grid.insertRow(row)
        self.grid.setItem(row, CONTENT, QTableWidgetItem(line.content if line else ""))
        document = QComboBox()
        document.addItem("—", None)
        for doc_id, number in self.documents:
            document.addItem(number, doc_id)
        if line is not None and line.document_id:
            select_data(document, line.document_id)
        self.grid.setCellWidget(row, DOCUMENT, document)
        self.grid.setItem(row, MINUTES, _number_item(line.minutes_each if line else None))
        for offset in range(7):
            self.grid.setItem(row, FIRST_DAY + offset, _number_item(line.times[offset] if line else 0))
        return row

    def set_line(self, row: int, content: str, minutes_each: int, times: list[int], document_id: int | None = None):
        """Type a line as a clerk would (tests and paste)."""
        self.grid.item(row, CONTENT).setText(content)
        self.grid.item(row, MINUTES).setData(Qt.ItemDataRole.EditRole, minutes_each)
        for offset, value in enumerate(times):
            self.grid.item(row, FIRST_DAY + offset).setData(Qt.ItemDataRole.EditRole, value)
        select_data(self.grid.cellWidget(row, DOCUMENT), document_id)

    def lines(self) -> list[broadcasts.WeekLine]:
        def number(row: int, column: int) -> int:
            item = self.grid.item(row, column)
            return int(item.data(Qt.ItemDataRole.EditRole) or 0) if item else 0

        found = []
        for row in range(self.grid.rowCount()):
            content = self.grid.item(row, CONTENT)
            found.append(broadcasts.WeekLine(
                content.text() if content else "", number(row, MINUTES) or None,
                [number(row, FIRST_DAY + offset) for offset in range(7)],
                self.grid.cellWidget(row, DOCUMENT).currentData()))
        return found

    def _show_totals(self) -> None:
        lines = self.lines()
        times = sum(sum(max(0, t) for t in line.times) for line in lines)
        minutes = sum(sum(max(0, t) for t in line.times) * (line.minutes_each or 0) for line in lines)
        self.totals.setText(f"Cộng tuần: <b>{count_text(times)}</b> lượt, <b>{count_text(minutes)}</b> phút")

    def save(self) -> bool:
        self.errors.hide()
        week = self.week
        try:
            saved = broadcasts.save_week(self.context.db, self.context.actor,
                                         broadcasts.Week(week.unit_id, week.monday, self.lines(), week.stamp))
        except ValidationError as error:
            self.errors.setText("\n".join(error.errors.values()))
            self.errors.show()
            return False
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self.load()
        self.saved.setText(f"Đã lưu {count_text(saved)} lượt phát của tuần {short_date(week.monday)}.")
        return True
