"""Nhật ký thay đổi: who changed what and when, newest first, with each change's before and after."""

from __future__ import annotations

from datetime import timedelta

from app import clock
from app.services import audit_trail
from app.ui.pages.base import ListPage, counted, refill
from app.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import Column, PagedTableModel
from app.ui.widgets.common import Context, row_table, to_date


def _local_time(row: audit_trail.AuditRow) -> str:
    return f"{clock.to_local(row.at):%d/%m/%Y %H:%M:%S}"


class AuditPage(ListPage):
    title = "Nhật ký thay đổi"
    watches = ("audit_entry",)

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.user_filter = QComboBox()
        self.entity_filter = QComboBox()
        self.entity_filter.addItem("Mọi loại hồ sơ", None)
        for entity, label in audit_trail.ENTITY_LABELS.items():
            self.entity_filter.addItem(label, entity)
        self.reload_choices()
        self.use_dates = QCheckBox("Từ ngày")
        self.since = self.clock_date(lambda today: today - timedelta(days=30))
        self.until = self.clock_date(lambda today: today)

        self.model = PagedTableModel(
            [Column("Thời điểm", _local_time), Column("Người thực hiện", lambda r: r.username),
             Column("Việc", lambda r: r.action), Column("Loại hồ sơ", lambda r: r.entity_label),
             Column("Nội dung", lambda r: r.summary)],
            lambda _sort, _descending, after, limit: self.fetch(self.filter(), "at", True, after, limit),
            lambda r: (r.at, r.id), sort="at", parent=self)
        self.table = row_table(self.model, [150, 120, 120, 130], single=True)

        self.changes = QTableWidget(0, 3)
        self.changes.setHorizontalHeaderLabels(["Thông tin", "Trước", "Sau"])
        self.changes.verticalHeader().hide()
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.changes_title = QLabel("Chọn một dòng để xem nội dung thay đổi.")
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.changes_title)
        detail_layout.addWidget(self.changes, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        for key, widget in (("columns", self.table.horizontalHeader()), ("splitter", splitter),
                            ("user", self.user_filter), ("kind", self.entity_filter)):
            self.state.remember(key, widget)

        filters = QHBoxLayout()
        filters.addWidget(self.user_filter, 1)
        filters.addWidget(self.entity_filter, 1)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.since)
        filters.addWidget(QLabel("đến"))
        filters.addWidget(self.until)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.totals)

        self.refresh_on(self.user_filter, self.entity_filter, self.use_dates)
        self.table.selectionModel().currentRowChanged.connect(lambda current, _old: self.show_changes(current.row()))
        self.refresh()

    def reload_choices(self) -> None:
        def names(combo: QComboBox) -> None:
            combo.addItem("Mọi người dùng", None)
            for name in audit_trail.usernames(self.context.db, self.context.actor):
                combo.addItem(name, name)

        refill(self.user_filter, names)

    def filter(self) -> audit_trail.AuditFilter:
        dated = self.use_dates.isChecked()
        return audit_trail.AuditFilter(self.user_filter.currentData(), self.entity_filter.currentData(),
                                       to_date(self.since.date()) if dated else None,
                                       to_date(self.until.date()) if dated else None)

    def fetch(self, flt, _sort: str, _descending: bool, after, limit: int):
        return audit_trail.list_page(self.context.db, self.context.actor, flt, after=after, limit=limit)

    def count(self, flt) -> int:
        return audit_trail.count(self.context.db, self.context.actor, flt)

    def totals_text(self, total: int | None, figures) -> str:
        if total == 0:
            return "Không có thay đổi nào khớp với điều kiện lọc."
        return counted(total, "thay đổi", bold=False)

    def refresh(self) -> None:
        """Newest first; the trail's table stays, its detail cleared (nothing to open from an empty list)."""
        self.model.reload()
        self.show_totals(self.filter())
        self.show_changes(-1)

    def show_changes(self, row_index: int) -> None:
        if not 0 <= row_index < self.model.rowCount():
            self.changes_title.setText("Chọn một dòng để xem nội dung thay đổi.")
            self.changes.setRowCount(0)
            return
        row = self.model.row_at(row_index)
        changes = row.changes()
        self.changes_title.setText(f"{_local_time(row)} · {row.username} · {row.summary}"
                                   + ("" if changes else " (không có chi tiết trước/sau)"))
        self.changes.setRowCount(len(changes))
        for index, values in enumerate(changes):
            for column, value in enumerate(values):
                self.changes.setItem(index, column, QTableWidgetItem(value))
