"""Tài liệu, tin bài: materials paged and sorted in SQL, filtered by period, unit, kind and document,
with what was produced and handed out per kind; the loudspeaker log opens from here."""

from __future__ import annotations

from datetime import date

from app import clock
from app.models.enums import MaterialKind
from app.services import documents
from app.services.auth import Permission
from app.services.numbers import count_text, short_date
from app.services.outreach import listing as material_list
from app.services.outreach import materials
from app.services.scope import tree_in_scope
from app.ui.dialogs.broadcast_week import BroadcastWeekDialog
from app.ui.dialogs.material import MaterialDialog
from app.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import Column, PagedTableModel
from app.ui.widgets.common import (
    Context,
    date_edit,
    delete_confirmed,
    fill_units,
    row_table,
    to_date,
)


def _given(row: material_list.MaterialListRow) -> str:
    return count_text(row.distributed) if row.kind.measure.distributed else ""


def _stock(row: material_list.MaterialListRow) -> str:
    return count_text(row.stock) if row.kind.measure.distributed else ""


class MaterialsPage(QWidget):
    title = "Tài liệu, tin bài"

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        db, actor = context.db, context.actor
        self.search = QLineEdit(placeholderText="Tìm theo tên tài liệu, tiêu đề tin bài (gõ không dấu cũng được)…")
        self.search.setClearButtonEnabled(True)
        today = clock.today()
        self.start, self.end = date_edit(date(today.year, 1, 1)), date_edit(date(today.year, 12, 31))
        self.unit_filter, self.kind_filter, self.document_filter = QComboBox(), QComboBox(), QComboBox()
        fill_units(self.unit_filter, tree_in_scope(db, actor), first="Mọi đơn vị", active_only=False)
        self.kind_filter.addItem("Mọi loại", None)
        for kind in MaterialKind:
            self.kind_filter.addItem(kind.label, kind)
        self.document_filter.addItem("Mọi văn bản", None)
        for row in documents.search(db, actor, limit=500):
            self.document_filter.addItem(f"{row.number} — {row.summary[:60]}", row.id)
        editable = actor.can(Permission.EDIT_DOCUMENTS)
        self.add_button = QPushButton("Thêm tài liệu, tin bài")
        self.add_button.setShortcut(QKeySequence.StandardKey.New)
        self.delete_button = QPushButton("Xóa")
        self.log_button = QPushButton("Nhật ký truyền thanh…")
        for button in (self.add_button, self.delete_button):
            button.setVisible(editable)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        self.model = PagedTableModel(
            [Column("Ngày", lambda r: short_date(r.issued_on), "issued_on"),
             Column("Loại", lambda r: r.kind.label, "kind"),
             Column("Tên, tiêu đề", lambda r: r.title, "title"),
             Column("Đơn vị thực hiện", lambda r: r.unit_name, "unit"),
             Column("Nơi đăng, phát", lambda r: r.outlet, "outlet"),
             Column("Số lượng", lambda r: materials.measure_text(r.kind, r.quantity), "quantity", align_right=True),
             Column("Đã cấp", _given, "distributed", align_right=True),
             Column("Còn", _stock, "stock", align_right=True),
             Column("Văn bản", lambda r: r.documents, "documents")],
            self._fetch, lambda r: (r.sort_value, r.id), sort="issued_on", descending=True, parent=self)
        self.table = row_table(self.model, [82, 150, 320, 170, 170, 100, 70, 70], single=True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.setSortingEnabled(True)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel("Từ"))
        filters.addWidget(self.start)
        filters.addWidget(QLabel("đến"))
        filters.addWidget(self.end)
        filters.addWidget(self.unit_filter, 2)
        second = QHBoxLayout()
        second.addWidget(self.kind_filter, 1)
        second.addWidget(self.document_filter, 2)
        second.addStretch(1)
        for button in (self.log_button, self.delete_button, self.add_button):
            second.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.totals)

        self._totals_timer = QTimer(self, singleShot=True, interval=0)
        self._totals_timer.timeout.connect(self.show_totals)
        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.start.dateChanged.connect(self._debounce.start)
        self.end.dateChanged.connect(self._debounce.start)
        for combo in (self.unit_filter, self.kind_filter, self.document_filter):
            combo.currentIndexChanged.connect(self.refresh)
        self.add_button.clicked.connect(self.add_material)
        self.delete_button.clicked.connect(self.delete_selected)
        self.log_button.clicked.connect(self.open_log)
        self.table.activated.connect(lambda index: self.open_material(self.model.row_at(index.row()).id))
        self.refresh()

    def filter(self) -> material_list.MaterialFilter:
        return material_list.MaterialFilter(
            start=to_date(self.start.date()), end=to_date(self.end.date()), unit_id=self.unit_filter.currentData(),
            kind=self.kind_filter.currentData(), document_id=self.document_filter.currentData(),
            text=self.search.text())

    def _fetch(self, sort: str, descending: bool, after, limit: int):
        return material_list.list_page(self.context.db, self.context.actor, self.filter(), sort=sort,
                                       descending=descending, after=after, limit=limit)

    def refresh(self) -> None:
        """The first page now; the totals of the whole filtered set right after it is shown."""
        self.model.reload()
        empty = self.model.rowCount() == 0
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        if empty:
            self.empty_label.setText("Không có tài liệu, tin bài nào khớp với điều kiện đã chọn. Bấm «Thêm tài liệu, "
                                     "tin bài» (Ctrl+N) để thêm, hoặc bỏ bớt điều kiện lọc.")
        self.totals.setText("Đang tính tổng…")
        self._totals_timer.start()

    def show_totals(self) -> None:
        totals = material_list.totals(self.context.db, self.context.actor, self.filter())
        if not totals:
            self.totals.setText("Không có tài liệu, tin bài nào.")
            return
        parts = []
        for kind in MaterialKind:
            if kind in totals:
                _, quantity, given = totals[kind]
                part = f"{kind.label}: {materials.measure_text(kind, quantity)}"
                parts.append(part + (f" (đã cấp {count_text(given)})" if kind.measure.distributed else ""))
        self.totals.setText(f"<b>{count_text(sum(n for n, _, _ in totals.values()))}</b> tài liệu, tin bài · "
                            + "; ".join(parts) + ".")

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()).id if index.isValid() else None

    def add_material(self) -> MaterialDialog:
        dialog = MaterialDialog(self.context, None, self)
        dialog.accepted.connect(self.refresh)
        dialog.open()
        return dialog

    def open_material(self, material_id: int) -> MaterialDialog:
        dialog = MaterialDialog(self.context, material_id, self)
        dialog.accepted.connect(self.refresh)
        dialog.open()
        return dialog

    def delete_selected(self) -> bool:
        material_id, db, actor = self.selected_id(), self.context.db, self.context.actor
        if material_id is None or not delete_confirmed(
                self, lambda: materials.get(db, actor, material_id),
                lambda detail: f"Xóa «{detail.data.title}»?",
                lambda version: materials.delete(db, actor, material_id, expected_version=version)):
            return False
        self.refresh()
        return True

    def open_log(self) -> BroadcastWeekDialog:
        dialog = BroadcastWeekDialog(self.context, self)
        dialog.open()
        return dialog
