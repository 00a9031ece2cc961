"""Văn bản: the register paged and sorted in SQL, filtered by period, kind and unit, with the
implementation view of each tracked document."""

from __future__ import annotations

from datetime import date

from app.models.enums import DocumentKind
from app.services import documents
from app.services.auth import Permission
from app.services.documents import listing as document_list
from app.services.numbers import count_text, short_date
from app.ui.dialogs.coverage import CoverageDialog
from app.ui.dialogs.directive_report import DirectiveReportDialog
from app.ui.dialogs.document import DocumentDialog
from app.ui.dialogs.meeting import MeetingDialog
from app.ui.operations import Background
from app.ui.pages.base import ListPage, counted, refill
from app.ui.qt import (
    QCheckBox,
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
    date_edit,
    delete_confirmed,
    fill_units,
    show_error,
    to_date,
)


class DocumentsPage(ListPage):
    title = "Văn bản"
    watches = ("document", "document_unit", "meeting", "unit", "unit_version")
    search_hint = "Tìm theo số, ký hiệu hoặc trích yếu (gõ không dấu cũng được)…"

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        # The two counts of the rows shown, read off the GUI thread (they read every session's link).
        self._counts: dict[int, tuple[int, int]] = {}
        self._counts_asked = 0   # answers asked before the list was last reloaded are dropped
        self._counting_rows = Background(self)
        self.start = date_edit(date(2010, 1, 1))
        self.start.dateChanged.connect(self._debounce.start)
        self.end = self.clock_date(lambda today: today)
        self.kind_filter, self.unit_filter = QComboBox(), QComboBox()
        self.kind_filter.addItem("Mọi loại", None)
        for kind in DocumentKind:
            self.kind_filter.addItem(f"{kind.label} ({kind.value})", kind)
        self.reload_choices()
        self.tracked_only = QCheckBox("Chỉ văn bản đang theo dõi thực hiện")
        self.add_button = QPushButton("Vào sổ văn bản")
        self.add_button.setShortcut(QKeySequence.StandardKey.New)
        self.add_button.setVisible(context.actor.can(Permission.EDIT_DOCUMENTS))
        self.open_button = QPushButton("Mở văn bản")
        self.delete_button = QPushButton("Xóa")
        self.delete_button.setVisible(context.actor.can(Permission.EDIT_DOCUMENTS))
        self.coverage_button = QPushButton("Tình hình thực hiện…")
        self.review_button = QPushButton("Sơ kết, tổng kết…")
        self.review_button.setToolTip("Báo cáo sơ kết, tổng kết thực hiện văn bản đang chọn (PDF, Word, Excel)")
        self.review_button.setVisible(context.actor.can(Permission.MAKE_REPORTS))

        self.paged_table(
            [Column("Số, ký hiệu", lambda r: r.number, "number"),
             Column("Loại", lambda r: r.kind.label, "kind"),
             Column("Ngày ban hành", lambda r: short_date(r.issued_on), "issued_on"),
             Column("Cơ quan ban hành", lambda r: r.issuer, "issuer"),
             Column("Trích yếu", lambda r: r.summary, "summary"),
             Column("Thời hạn", lambda r: short_date(r.deadline) if r.deadline else "", "deadline"),
             Column("Phải thực hiện", lambda r: self._count_text(r, "required"), "required", align_right=True),
             Column("Hội nghị", lambda r: self._count_text(r, "sessions"), "sessions", align_right=True)],
            [105, 80, 112, 170, 360, 80, 105], sort="issued_on", descending=True)
        self.model.modelReset.connect(self._forget_counts)   # the list asked again: counts may have moved
        self.model.rowsInserted.connect(self._ask_counts)
        for key, widget in (("kind", self.kind_filter), ("unit", self.unit_filter), ("tracked", self.tracked_only)):
            self.state.remember(key, widget)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel("Ban hành từ"))
        filters.addWidget(self.start)
        filters.addWidget(QLabel("đến"))
        filters.addWidget(self.end)
        second = QHBoxLayout()
        second.addWidget(self.kind_filter, 1)
        second.addWidget(self.unit_filter, 2)
        second.addWidget(self.tracked_only)
        second.addStretch(1)
        for button in (self.open_button, self.coverage_button, self.review_button, self.delete_button,
                       self.add_button):
            second.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.totals)

        self.refresh_on(self.kind_filter, self.unit_filter, self.tracked_only)
        self.add_button.clicked.connect(self.add_document)
        self.coverage_button.clicked.connect(self.show_coverage)
        self.review_button.clicked.connect(self.show_review)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.refresh()

    def reload_choices(self) -> None:
        refill(self.unit_filter, lambda combo: fill_units(combo, self.context.unit_tree(),
                                                          first="Đơn vị phải thực hiện: mọi đơn vị",
                                                          active_only=False))

    def filter(self) -> document_list.DocumentFilter:
        return document_list.DocumentFilter(
            start=to_date(self.start.date()), end=to_date(self.end.date()), kind=self.kind_filter.currentData(),
            unit_id=self.unit_filter.currentData(), text=self.search.text(), tracked_only=self.tracked_only.isChecked())

    def fetch(self, flt, sort: str, descending: bool, after, limit: int):
        return document_list.list_page(self.context.db, self.context.actor, flt, sort=sort, descending=descending,
                                       after=after, limit=limit, with_counts=False)

    def _count_text(self, row: document_list.DocumentListRow, name: str) -> str:
        value = getattr(row, name)   # read with the row when the list is sorted on it
        if value is None:
            found = self._counts.get(row.id)
            if found is None:
                return "…"
            value = found[0 if name == "required" else 1]
        return count_text(value) if value else ""

    def _forget_counts(self) -> None:
        self._counts = {}
        self._counts_asked += 1

    def _ask_counts(self, *_inserted) -> None:
        """The counts of every row shown that has none yet (one question covers those asked before)."""
        rows = [self.model.row_at(index) for index in range(self.model.rowCount())]
        missing = [row.id for row in rows if None in (row.required, row.sessions) and row.id not in self._counts]
        if missing:
            db, actor, asked = self.context.db, self.context.actor, self._counts_asked
            self._counting_rows.ask(lambda: document_list.counts(db, actor, missing),
                                    lambda found: self._show_counts(found, asked))

    def _show_counts(self, found: dict[int, tuple[int, int]], asked: int) -> None:
        if asked != self._counts_asked:
            return
        self._counts.update(found)
        columns = self.model.columnCount()
        self.model.dataChanged.emit(self.model.index(0, columns - 2),
                                    self.model.index(self.model.rowCount() - 1, columns - 1))

    def export_rows(self):
        """Every row with its counts (read here, a thousand at a time: the export already runs at length)."""
        from dataclasses import replace
        from itertools import islice

        rows = self.model.every_row()
        while chunk := list(islice(rows, 1000)):
            found = document_list.counts(self.context.db, self.context.actor, [row.id for row in chunk])
            yield from (replace(row, required=found[row.id][0], sessions=found[row.id][1]) for row in chunk)

    def count(self, flt) -> int:
        return document_list.count(self.context.db, self.context.actor, flt)

    def totals_text(self, total: int | None, figures) -> str:
        return counted(total, "văn bản")

    def empty_text(self) -> str:
        return ("Không có văn bản nào khớp với điều kiện đã chọn. Bấm «Vào sổ văn bản» (Ctrl+N) "
                "để thêm, hoặc bỏ bớt điều kiện lọc.")

    def open_row(self, row):
        return self.open_document(row.id)

    def add_document(self) -> None:
        if DocumentDialog(self.context, self).ask() is not None:
            self.refresh()

    def open_document(self, document_id: int) -> DocumentDialog:
        dialog = DocumentDialog(self.context, self, document_id=document_id)
        dialog.accepted.connect(self.refresh)
        dialog.meeting_wanted.connect(lambda meeting_id: MeetingDialog(self.context, meeting_id, dialog).open())
        dialog.open()
        return dialog

    def open_selected(self) -> DocumentDialog | None:
        document_id = self.selected_id()
        if document_id is None:
            show_error(self, "Hãy chọn một văn bản trong bảng.")
            return None
        return self.open_document(document_id)

    def delete_selected(self) -> bool:
        document_id, db, actor = self.selected_id(), self.context.db, self.context.actor
        if document_id is None or not delete_confirmed(
                self, lambda: documents.get(db, actor, document_id),
                lambda detail: f"Xóa văn bản {detail.data.number} khỏi sổ?",
                lambda version: documents.delete(db, actor, document_id, expected_version=version)):
            return False
        self.refresh()
        return True

    def show_coverage(self) -> CoverageDialog | None:
        document_id = self.selected_id()
        if document_id is None:
            show_error(self, "Hãy chọn một văn bản trong bảng để xem tình hình thực hiện.")
            return None
        dialog = CoverageDialog(self.context, document_id, self)
        dialog.open()
        return dialog

    def show_review(self) -> DirectiveReportDialog | None:
        document_id = self.selected_id()
        if document_id is None:
            show_error(self, "Hãy chọn một văn bản trong bảng để lập báo cáo sơ kết, tổng kết.")
            return None
        dialog = DirectiveReportDialog(self.context, document_id, self)
        dialog.open()
        return dialog
