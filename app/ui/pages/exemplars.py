"""Mô hình, điển hình: the register of good examples, filtered by period, unit, kind, commendation and
document, paged in SQL, with the count per kind; imported from a workbook; section II.5 of the report is
drafted from it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.models.enums import Commendation, ExemplarKind
from app.services import documents
from app.services.auth import Permission
from app.services.exemplars import importing, listing, register
from app.services.numbers import count_text, short_date
from app.ui.dialogs.exemplar import ExemplarDialog
from app.ui.pages.base import ListPage, refill
from app.ui.qt import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import Column
from app.ui.widgets.common import Context, delete_confirmed, fill_documents, fill_units, show_error, to_date
from app.ui.widgets.forms import run_action


def _all_messages(errors: dict[str, str]) -> list[str]:
    return list(errors.values())   # a page has no fields: every message goes in the box


class ExemplarsPage(ListPage):
    title = "Mô hình, điển hình"
    watches = ("exemplar", "exemplar_spread", "unit", "unit_version", "document")
    search_hint = "Tìm theo tên mô hình, tập thể, cá nhân (gõ không dấu cũng được)…"
    has_figures = True

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.start = self.clock_date(lambda today: date(today.year, 1, 1))
        self.end = self.clock_date(lambda today: date(today.year, 12, 31))
        self.unit_filter, self.kind_filter = QComboBox(), QComboBox()
        self.commendation_filter, self.document_filter = QComboBox(), QComboBox()
        self.kind_filter.addItem("Mọi loại", None)
        for kind in ExemplarKind:
            self.kind_filter.addItem(kind.label, kind)
        self.commendation_filter.addItem("Mọi hình thức", None)
        for level in Commendation:
            self.commendation_filter.addItem(level.label, level)
        self.reload_choices()
        editable = context.actor.can(Permission.EDIT_MEETINGS)
        self.add_button = QPushButton("Thêm mô hình, điển hình")
        self.add_button.setShortcut(QKeySequence.StandardKey.New)
        self.import_button = QPushButton("Nhập từ Excel…")
        self.delete_button = QPushButton("Xóa")
        for button in (self.add_button, self.import_button, self.delete_button):
            button.setVisible(editable)

        self.paged_table(
            [Column("Ngày", lambda r: short_date(r.recognised_on), "recognised_on"),
             Column("Loại", lambda r: r.kind.label, "kind"),
             Column("Tên", lambda r: r.title, "title"),
             Column("Đơn vị", lambda r: r.unit_name, "unit"),
             Column("Hình thức", lambda r: r.commendation.label, "commendation"),
             Column("Cấp khen", lambda r: r.awarded_by, "awarded_by"),
             Column("Nhân rộng", lambda r: f"{count_text(r.spread)} đơn vị" if r.spread else "", "spread",
                    align_right=True),
             Column("Văn bản", lambda r: r.document, "document")],
            [82, 130, 360, 190, 120, 170, 90], sort="recognised_on", descending=True)
        for key, combo in (("unit", self.unit_filter), ("kind", self.kind_filter),
                           ("commendation", self.commendation_filter), ("document", self.document_filter)):
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
        second.addWidget(self.commendation_filter, 1)
        second.addWidget(self.document_filter, 2)
        second.addStretch(1)
        for button in (self.import_button, self.delete_button, self.add_button):
            second.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.totals)

        self.refresh_on(self.unit_filter, self.kind_filter, self.commendation_filter, self.document_filter)
        self.add_button.clicked.connect(self.add_exemplar)
        self.import_button.clicked.connect(lambda: self.import_file())
        self.delete_button.clicked.connect(self.delete_selected)
        self.refresh()

    def reload_choices(self) -> None:
        db, actor = self.context.db, self.context.actor
        refill(self.unit_filter, lambda combo: fill_units(combo, self.context.unit_tree(), first="Mọi đơn vị",
                                                          active_only=False))
        refill(self.document_filter, lambda combo: fill_documents(combo, documents.search(db, actor, limit=500)))

    def filter(self) -> listing.ExemplarFilter:
        return listing.ExemplarFilter(
            start=to_date(self.start.date()), end=to_date(self.end.date()), unit_id=self.unit_filter.currentData(),
            kind=self.kind_filter.currentData(), commendation=self.commendation_filter.currentData(),
            document_id=self.document_filter.currentData(), text=self.search.text())

    def fetch(self, flt, sort: str, descending: bool, after, limit: int):
        return listing.list_page(self.context.db, self.context.actor, flt, sort=sort, descending=descending,
                                 after=after, limit=limit)

    def empty_text(self) -> str:
        return ("Chưa có mô hình, điển hình nào khớp với điều kiện đã chọn. Bấm «Thêm mô hình, điển hình» (Ctrl+N) "
                "hoặc «Nhập từ Excel…», hoặc bỏ bớt điều kiện lọc. Mục «Biểu dương, nhân rộng mô hình» của báo cáo "
                "được dự thảo từ sổ này.")

    def figures(self, flt) -> dict:
        return listing.by_kind(self.context.db, self.context.actor, flt)

    def totals_text(self, total, figures: dict | None) -> str:
        if figures is None:
            return "Đang tính tổng…"
        if not figures:
            return "Không có mô hình, điển hình nào."
        parts = [f"{kind.label.lower()} {count_text(figures[kind][0])}" for kind in ExemplarKind if kind in figures]
        commended = sum(praised for _n, praised in figures.values())
        return (f"<b>{count_text(sum(n for n, _p in figures.values()))}</b> mô hình, điển hình · "
                + ", ".join(parts) + f" · đã biểu dương, khen thưởng {count_text(commended)}.")

    def open_row(self, row):
        return self.open_exemplar(row.id)

    def add_exemplar(self) -> ExemplarDialog | None:
        return self.open_record(lambda: ExemplarDialog(self.context, None, self))

    def open_exemplar(self, exemplar_id: int) -> ExemplarDialog | None:
        return self.open_record(lambda: ExemplarDialog(self.context, exemplar_id, self))

    def delete_selected(self) -> bool:
        exemplar_id, db, actor = self.selected_id(), self.context.db, self.context.actor
        if exemplar_id is None or not delete_confirmed(
                self, lambda: register.get(db, actor, exemplar_id),
                lambda detail: f"Xóa «{detail.data.title}»?",
                lambda version: register.delete(db, actor, exemplar_id, expected_version=version)):
            return False
        self.refresh()
        return True

    def import_file(self, path: Path | None = None) -> int:
        """Read a workbook, show what it holds (or every bad row), then write it all on a yes; the count written."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Nhập mô hình, điển hình từ tệp", "",
                                                    "Bảng tính (*.xlsx *.csv)")
            if not chosen:
                return 0
            path = Path(chosen)
        db, actor = self.context.db, self.context.actor
        read: list[importing.Preview] = []
        if not run_action(None, self, lambda: read.append(importing.check(db, actor, path)), _all_messages):
            return 0
        preview = read[0]
        if preview.problems:
            show_error(self, f"Tệp «{path.name}» chưa nhập được (không dòng nào được ghi):\n"
                       + "\n".join(preview.problems[:20])
                       + (f"\n… và {len(preview.problems) - 20} lỗi khác." if len(preview.problems) > 20 else ""))
            return 0
        asked = QMessageBox.question(self, "Nhập mô hình, điển hình",
                                     f"Tệp «{path.name}» có {count_text(len(preview.rows))} mô hình, điển hình hợp lệ. "
                                     "Ghi tất cả vào sổ?")
        if asked != QMessageBox.StandardButton.Yes:
            return 0
        written: list[int] = []
        if not run_action(None, self, lambda: written.append(importing.commit(db, actor, preview)), _all_messages):
            return 0
        self.refresh()
        return written[0]
