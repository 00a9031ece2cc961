"""Tài liệu, tin bài: materials paged and sorted in SQL, filtered by period, unit, kind and document,
with what was produced and handed out per kind; the loudspeaker log opens from here."""

from __future__ import annotations

from datetime import date

from app.models.enums import MaterialKind
from app.services import documents
from app.services.auth import Permission
from app.services.numbers import count_text, short_date
from app.services.outreach import listing as material_list
from app.services.outreach import materials
from app.ui.dialogs.broadcast_week import BroadcastWeekDialog
from app.ui.dialogs.material import MaterialDialog
from app.ui.pages.base import ListPage, refill
from app.ui.qt import (
    QComboBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import Column
from app.ui.widgets.common import (
    Context,
    delete_confirmed,
    fill_documents,
    fill_units,
    to_date,
)


def _given(row: material_list.MaterialListRow) -> str:
    return count_text(row.distributed) if row.kind.measure.distributed else ""


def _stock(row: material_list.MaterialListRow) -> str:
    return count_text(row.stock) if row.kind.measure.distributed else ""


class MaterialsPage(ListPage):
    title = "Tài liệu, tin bài"
    watches = ("material", "material_distribution", "unit", "unit_version", "document")
    search_hint = "Tìm theo tên tài liệu, tiêu đề tin bài (gõ không dấu cũng được)…"
    has_figures = True

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.start = self.clock_date(lambda today: date(today.year, 1, 1))
        self.end = self.clock_date(lambda today: date(today.year, 12, 31))
        self.unit_filter, self.kind_filter, self.document_filter = QComboBox(), QComboBox(), QComboBox()
        self.kind_filter.addItem("Mọi loại", None)
        for kind in MaterialKind:
            self.kind_filter.addItem(kind.label, kind)
        self.reload_choices()
        editable = context.actor.can(Permission.EDIT_DOCUMENTS)
        self.add_button = QPushButton("Thêm tài liệu, tin bài")
        self.add_button.setShortcut(QKeySequence.StandardKey.New)
        self.delete_button = QPushButton("Xóa")
        self.log_button = QPushButton("Nhật ký truyền thanh…")
        for button in (self.add_button, self.delete_button):
            button.setVisible(editable)

        self.paged_table(
            [Column("Ngày", lambda r: short_date(r.issued_on), "issued_on"),
             Column("Loại", lambda r: r.kind.label, "kind"),
             Column("Tên, tiêu đề", lambda r: r.title, "title"),
             Column("Đơn vị thực hiện", lambda r: r.unit_name, "unit"),
             Column("Nơi đăng, phát", lambda r: r.outlet, "outlet"),
             Column("Số lượng", lambda r: materials.measure_text(r.kind, r.quantity), "quantity", align_right=True),
             Column("Đã cấp", _given, "distributed", align_right=True),
             Column("Còn", _stock, "stock", align_right=True),
             Column("Văn bản", lambda r: r.documents, "documents")],
            [82, 150, 320, 170, 170, 100, 70, 70], sort="issued_on", descending=True)
        for key, combo in (("unit", self.unit_filter), ("kind", self.kind_filter), ("document", self.document_filter)):
            self.state.remember(key, combo)

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

        self.refresh_on(self.unit_filter, self.kind_filter, self.document_filter)
        self.add_button.clicked.connect(self.add_material)
        self.delete_button.clicked.connect(self.delete_selected)
        self.log_button.clicked.connect(self.open_log)
        self.refresh()

    def reload_choices(self) -> None:
        db, actor = self.context.db, self.context.actor
        refill(self.unit_filter, lambda combo: fill_units(combo, self.context.unit_tree(), first="Mọi đơn vị",
                                                          active_only=False))
        refill(self.document_filter, lambda combo: fill_documents(combo, documents.search(db, actor, limit=500)))

    def filter(self) -> material_list.MaterialFilter:
        return material_list.MaterialFilter(
            start=to_date(self.start.date()), end=to_date(self.end.date()), unit_id=self.unit_filter.currentData(),
            kind=self.kind_filter.currentData(), document_id=self.document_filter.currentData(),
            text=self.search.text())

    def fetch(self, flt, sort: str, descending: bool, after, limit: int):
        return material_list.list_page(self.context.db, self.context.actor, flt, sort=sort, descending=descending,
                                       after=after, limit=limit)

    def empty_text(self) -> str:
        return ("Không có tài liệu, tin bài nào khớp với điều kiện đã chọn. Bấm «Thêm tài liệu, tin bài» (Ctrl+N) để "
                "thêm, hoặc bỏ bớt điều kiện lọc.")

    def figures(self, flt) -> dict:
        return material_list.totals(self.context.db, self.context.actor, flt)

    def totals_text(self, total, figures: dict | None) -> str:
        """What was produced and handed out per kind."""
        if figures is None:
            return "Đang tính tổng…"
        if not figures:
            return "Không có tài liệu, tin bài nào."
        parts = []
        for kind in MaterialKind:
            if kind in figures:
                _, quantity, given = figures[kind]
                part = f"{kind.label}: {materials.measure_text(kind, quantity)}"
                parts.append(part + (f" (đã cấp {count_text(given)})" if kind.measure.distributed else ""))
        return (f"<b>{count_text(sum(n for n, _, _ in figures.values()))}</b> tài liệu, tin bài · "
                + "; ".join(parts) + ".")

    def open_row(self, row):
        return self.open_material(row.id)

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
