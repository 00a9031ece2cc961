"""Hội nghị: sessions paged and sorted in SQL, filtered by period, unit, kind, form and document,
with the figures of the filtered set under the table."""

from __future__ import annotations

from datetime import date

from app import clock
from app.models.enums import MeetingForm, MeetingKind, MeetingStatus
from app.services import documents, meetings
from app.services.auth import Permission
from app.services.errors import ServiceError
from app.services.meetings import figures as meeting_figures
from app.services.meetings import listing as meeting_list
from app.services.numbers import count_text, percent_text, rate_text
from app.services.scope import tree_in_scope
from app.ui.dialogs.copy_meeting import CopyMeetingDialog
from app.ui.dialogs.makeups import MakeupDialog
from app.ui.dialogs.meeting import MeetingDialog
from app.ui.qt import (
    QBrush,
    QColor,
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
    show_error,
    to_date,
)

GREY = QBrush(QColor("#777777"))
UNDER_TARGET = QBrush(QColor("#fde2e1"))


class MeetingsPage(QWidget):
    title = "Hội nghị"

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        actor, db = context.actor, context.db
        self.target = float(meeting_figures.attendance_target(db))
        self.search = QLineEdit(placeholderText="Tìm theo tên hội nghị (gõ không dấu cũng được)…")
        self.search.setClearButtonEnabled(True)
        today = clock.today()
        self.start, self.end = date_edit(date(today.year, 1, 1)), date_edit(date(today.year, 12, 31))
        self.unit_filter, self.kind_filter, self.form_filter = QComboBox(), QComboBox(), QComboBox()
        self.document_filter = QComboBox()
        self.kind_filter.addItem("Mọi loại", None)
        for kind in MeetingKind:
            self.kind_filter.addItem(kind.label, kind)
        self.form_filter.addItem("Mọi hình thức", None)
        for form in MeetingForm:
            self.form_filter.addItem(form.label, form)
        self.document_filter.addItem("Mọi văn bản", None)
        for row in documents.search(db, actor, limit=500):
            self.document_filter.addItem(f"{row.number} — {row.summary[:60]}", row.id)
        fill_units(self.unit_filter, tree_in_scope(db, actor), first="Mọi đơn vị", active_only=False)

        editable = actor.can(Permission.EDIT_MEETINGS)
        self.add_button = QPushButton("Thêm hội nghị")
        self.add_button.setShortcut(QKeySequence.StandardKey.New)
        self.copy_button = QPushButton("Nhân bản cho nhiều đơn vị…")
        self.makeup_button = QPushButton("Học bù…")
        self.makeup_button.setToolTip("Đảng viên vắng chưa học bù, theo văn bản và đơn vị")
        self.delete_button = QPushButton("Xóa")
        self.delete_button.setShortcut(QKeySequence.StandardKey.Delete)
        for button in (self.add_button, self.copy_button, self.delete_button):
            button.setVisible(editable)
        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        self.model = PagedTableModel(
            [Column("Ngày", lambda r: f"{r.held_on:%d/%m/%Y}", "held_on"),
             Column("Đơn vị", lambda r: r.unit_name, "unit"),
             Column("Tên hội nghị", lambda r: r.title, "title"),
             Column("Loại", lambda r: r.kind.label, "kind"),
             Column("Hình thức", lambda r: r.form.label, "form"),
             Column("Văn bản", lambda r: r.documents, "documents"),
             Column("Đảng viên dự", self._participants, "present", align_right=True),
             Column("Quần chúng", lambda r: count_text(r.crowd) if r.crowd else "", "crowd", align_right=True),
             Column("Tỷ lệ", self._rate, "rate", align_right=True)],
            self._fetch, lambda r: (r.sort_value, r.id), sort="held_on", descending=True,
            colour=lambda r: GREY if r.status is not MeetingStatus.HELD else None, background=self._background,
            parent=self)
        self.table = row_table(self.model, [82, 190, 300, 120, 80, 100, 130, 80, 70], single=True, stretch_last=False)
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
        second.addWidget(self.form_filter, 1)
        second.addWidget(self.document_filter, 2)
        second.addStretch(1)
        for button in (self.add_button, self.copy_button, self.makeup_button, self.delete_button):
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
        for combo in (self.unit_filter, self.kind_filter, self.form_filter, self.document_filter):
            combo.currentIndexChanged.connect(self.refresh)
        self.start.dateChanged.connect(self._debounce.start)
        self.end.dateChanged.connect(self._debounce.start)
        self.add_button.clicked.connect(self.add_meeting)
        self.copy_button.clicked.connect(self.copy_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.makeup_button.clicked.connect(self.show_makeups)
        self.table.doubleClicked.connect(lambda index: self.open_meeting(self.model.row_at(index.row()).id))
        self.table.activated.connect(lambda index: self.open_meeting(self.model.row_at(index.row()).id))
        self.refresh()

    # ---- the table --------------------------------------------------------------------------------
    def _participants(self, row) -> str:
        if not row.expected:
            return ""
        if row.status is not MeetingStatus.HELD:
            return f"–/{count_text(row.expected)}"
        made_up = f" (+{count_text(row.made_up)} học bù)" if row.made_up else ""
        return f"{count_text(row.present)}/{count_text(row.expected)}{made_up}"

    def _rate(self, row) -> str:
        return percent_text(row.rate) if row.expected and row.status is MeetingStatus.HELD else ""

    def _background(self, row):
        held = row.status is MeetingStatus.HELD
        return UNDER_TARGET if held and row.rate is not None and row.rate < self.target else None

    def filter(self) -> meeting_list.MeetingFilter:
        return meeting_list.MeetingFilter(
            start=to_date(self.start.date()), end=to_date(self.end.date()), unit_id=self.unit_filter.currentData(),
            kind=self.kind_filter.currentData(), form=self.form_filter.currentData(),
            document_id=self.document_filter.currentData(), text=self.search.text())

    def _fetch(self, sort: str, descending: bool, after, limit: int):
        return meeting_list.list_page(self.context.db, self.context.actor, self.filter(), sort=sort,
                                      descending=descending, after=after, limit=limit)

    def refresh(self) -> None:
        flt = self.filter()
        self.model.reload()
        total = self._total = meeting_list.count(self.context.db, self.context.actor, flt)
        self.totals.setText(f"<b>{count_text(total)}</b> buổi · đang tính số liệu…")
        # The figures of a district's year take a moment more than the first page: show the page first.
        self._totals_timer.start()
        empty = total == 0
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        if empty:
            self.empty_label.setText("Chưa có hội nghị nào trong khoảng thời gian và điều kiện đã chọn. "
                                     "Bấm «Thêm hội nghị» (Ctrl+N) để nhập, hoặc mở rộng khoảng thời gian.")

    def show_totals(self) -> None:
        figures = meeting_figures.for_period(self.context.db, self.context.actor, self.filter())
        self.totals.setText(self._totals_text(self._total, figures))

    def _totals_text(self, total: int, figures: meeting_figures.Turnout) -> str:
        parts = [f"<b>{count_text(total)}</b> buổi (đã tổ chức {count_text(figures.meetings)})"]
        if figures.expected:
            rate = rate_text(figures.attended, figures.expected, "lượt đảng viên")
            colour = "#b00020" if figures.below_target else "#1b5e20"
            parts.append(f"<span style='color:{colour}'>{rate}</span>")
            parts.append(f"{count_text(figures.people)} người")
            parts.append(f"vắng có lý do {count_text(figures.excused)}, không lý do {count_text(figures.unexcused)}, "
                         f"học bù {count_text(figures.made_up)}")
        if figures.guests:
            parts.append(f"khách mời {count_text(figures.guests)}")
        crowd = figures.crowd
        if crowd.total:
            parts.append(f"quần chúng {count_text(crowd.total)} (nữ {count_text(crowd.women)}, "
                         f"dân tộc thiểu số {count_text(crowd.minority)})")
        parts.append(f"chỉ tiêu {percent_text(float(figures.target), 0)}")
        return " · ".join(parts)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()).id if index.isValid() else None

    # ---- actions ----------------------------------------------------------------------------------
    def add_meeting(self) -> MeetingDialog:
        dialog = MeetingDialog(self.context, None, self)
        dialog.finished.connect(lambda result: result and self.refresh())
        dialog.open()
        return dialog

    def open_meeting(self, meeting_id: int) -> MeetingDialog | None:
        try:
            dialog = MeetingDialog(self.context, meeting_id, self)
        except ServiceError as error:
            show_error(self, str(error))
            return None
        dialog.finished.connect(lambda result: result and self.refresh())
        dialog.open()
        return dialog

    def copy_selected(self) -> CopyMeetingDialog | None:
        meeting_id = self.selected_id()
        if meeting_id is None:
            show_error(self, "Hãy chọn một hội nghị trong bảng để nhân bản.")
            return None
        dialog = CopyMeetingDialog(self.context, meeting_id, self)
        dialog.finished.connect(lambda result: result and self.refresh())
        dialog.open()
        return dialog

    def show_makeups(self) -> MakeupDialog:
        dialog = MakeupDialog(self.context, self)
        dialog.finished.connect(lambda _result: self.refresh())
        dialog.open()
        return dialog

    def delete_selected(self) -> None:
        meeting_id, db, actor = self.selected_id(), self.context.db, self.context.actor
        if meeting_id is not None and delete_confirmed(
                self, lambda: meetings.get(db, actor, meeting_id),
                lambda detail: f"Xóa «{detail.data.title}» ngày {detail.data.held_on:%d/%m/%Y}?\n"
                               "Việc xóa được ghi vào nhật ký thay đổi.",
                lambda version: meetings.delete(db, actor, meeting_id, expected_version=version)):
            self.refresh()
