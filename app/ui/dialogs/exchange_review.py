"""A package's review: what it would change, each conflict side by side with a person's decision.
Nothing is written until «Nhập vào cơ sở dữ liệu»; then all of it in one transaction."""

from __future__ import annotations

from datetime import datetime

from app import clock
from app.services import exchange
from app.services.errors import ServiceError
from app.ui import operations
from app.ui.qt import (
    QAbstractItemView,
    QBrush,
    QColor,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import Column, ListTableModel
from app.ui.widgets.common import Context, row_table, show_error

CHOICES = [("— chọn —", None), ("Giữ của mình", exchange.MINE), ("Lấy của họ", exchange.THEIRS)]
CATEGORY_COLOURS = {exchange.NEW: "#1b5e20", exchange.CHANGED: "#0d47a1", exchange.DELETED: "#8e2424",
                    exchange.CONFLICT: "#b45309", exchange.SAME: "#666666"}


def _made(manifest: dict) -> str:
    return f"{clock.to_local(datetime.fromisoformat(manifest['made_at'])):%d/%m/%Y %H:%M}"


class ReviewDialog(QDialog):
    def __init__(self, context: Context, reviewed: exchange.Review, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.reviewed = context, reviewed
        self.applied: exchange.ApplyResult | None = None
        self.choices: dict[str, QComboBox] = {}
        self.setWindowTitle("Xem trước gói trao đổi")
        self.resize(980, 620)
        layout = QVBoxLayout(self)
        summary = QLabel(reviewed.summary())
        summary.setWordWrap(True)
        summary.setStyleSheet("font-weight: bold")
        manifest = reviewed.package.manifest
        files = len(reviewed.package.files)
        layout.addWidget(summary)
        layout.addWidget(QLabel(f"Lập lúc {_made(manifest)} bởi {manifest.get('made_by', '?')}; "
                                f"{sum(manifest.get('counts', {}).values())} bản ghi, {files} tệp đính kèm. "
                                "Chữ ký và mã kiểm tra của gói đã được xác minh."))
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("Nhập vào cơ sở dữ liệu", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Đóng", QDialogButtonBox.ButtonRole.RejectRole)
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        self.tabs = QTabWidget()
        if reviewed.status == "ready":
            self.tabs.addTab(self._changes(), f"Thay đổi ({len(reviewed.items) - reviewed.count(exchange.SAME)})")
            if reviewed.conflicts:
                self.tabs.addTab(self._conflicts(), f"Xung đột ({len(reviewed.conflicts)})")
                self.tabs.setCurrentIndex(1)
            layout.addWidget(self.tabs, 1)
        else:
            self.apply_button.hide()
            layout.addStretch(1)
        layout.addWidget(buttons)

    def _changes(self) -> QWidget:
        def colour(item: exchange.Item) -> QBrush:
            return QBrush(QColor(CATEGORY_COLOURS[item.category]))

        model = ListTableModel([Column("Thay đổi", lambda item: exchange.CATEGORY_LABELS[item.category]),
                                Column("Loại", lambda item: item.kind_label),
                                Column("Bản ghi", lambda item: item.title)], colour=colour, parent=self)
        shown = [item for item in self.reviewed.items if item.category != exchange.SAME]
        model.set_rows(shown)
        self.changes_table = row_table(model, [90, 170])
        page = QWidget()
        box = QVBoxLayout(page)
        if not shown:
            box.addWidget(QLabel("Gói không có thay đổi nào so với dữ liệu đang có."))
        same = self.reviewed.count(exchange.SAME)
        if same:
            box.addWidget(QLabel(f"{same} bản ghi trong gói đã có sẵn với nội dung giống hệt (không hiện ở đây)."))
        box.addWidget(self.changes_table, 1)
        return page

    def _conflicts(self) -> QWidget:
        source = self.reviewed.package.source_name
        table = QTableWidget(0, 5)
        table.setHorizontalHeaderLabels(["Bản ghi", "Nội dung khác nhau", "Của mình", "Của đối tác", "Quyết định"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        for column, width in enumerate([230, 160, 215, 215]):   # fixed now, so rows fit their wrapped text
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        row = 0
        for number, item in enumerate(self.reviewed.conflicts):
            # One row per differing field; the record and its decision on the first, groups shaded in turn.
            lines = item.differences or [("(nội dung)", "", "")]
            shade = QBrush(QColor("#f3f6fa" if number % 2 else "#ffffff"))
            table.setRowCount(row + len(lines))
            for offset, line in enumerate(lines):
                cells = (f"{item.kind_label}: {item.title}" if offset == 0 else "", *line, "")
                for column, text in enumerate(cells):
                    cell = QTableWidgetItem(text)
                    cell.setBackground(shade)
                    table.setItem(row + offset, column, cell)
            choice = QComboBox()
            for label, value in CHOICES:
                choice.addItem(label, value)
            table.setCellWidget(row, 4, choice)
            self.choices[item.uid] = choice
            row += len(lines)
        table.resizeRowsToContents()
        self.conflict_table = table
        keep_all, take_all = QPushButton("Giữ tất cả của mình"), QPushButton("Lấy tất cả của đối tác")
        keep_all.clicked.connect(lambda: self.decide_all(exchange.MINE))
        take_all.clicked.connect(lambda: self.decide_all(exchange.THEIRS))
        row_buttons = QHBoxLayout()
        note = QLabel(f"Cả cơ quan mình và «{source}» đã sửa các bản ghi này kể từ lần trao đổi trước. Chọn giữ "
                      "bản của mình hay lấy bản của đối tác cho từng bản ghi; quyết định được ghi vào nhật ký và gửi "
                      "lại cho đối tác.")
        note.setWordWrap(True)
        row_buttons.addWidget(keep_all)
        row_buttons.addWidget(take_all)
        row_buttons.addStretch(1)
        page = QWidget()
        box = QVBoxLayout(page)
        box.addWidget(note)
        box.addLayout(row_buttons)
        box.addWidget(table, 1)
        return page

    def decide(self, uid: str, choice: str) -> None:
        combo = self.choices[uid]
        combo.setCurrentIndex(combo.findData(choice))

    def decide_all(self, choice: str) -> None:
        for uid in self.choices:
            self.decide(uid, choice)

    def decisions(self) -> dict[str, str]:
        return {uid: combo.currentData() for uid, combo in self.choices.items() if combo.currentData()}

    def apply(self) -> None:
        decisions = self.decisions()
        try:
            self.applied = operations.run(self, "Đang nhập gói…", lambda progress: exchange.apply(
                self.context.db, self.context.actor, self.reviewed, decisions, progress))
        except ServiceError as error:
            show_error(self, str(error))
            return
        self.accept()
