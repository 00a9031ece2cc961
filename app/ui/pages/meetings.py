"""Hội nghị: sessions paged and sorted in SQL, filtered by period, unit, kind, form and document,
with the figures of the filtered set under the table."""

from __future__ import annotations

from datetime import date

from app.models.enums import MeetingForm, MeetingKind, MeetingStatus
from app.services import documents, meetings
from app.services.auth import Permission
from app.services.errors import ServiceError
from app.services.meetings import figures as meeting_figures
from app.services.meetings import listing as meeting_list
from app.services.numbers import count_text, percent_text, rate_text
from app.ui import style
from app.ui.dialogs.copy_meeting import CopyMeetingDialog
from app.ui.dialogs.makeups import MakeupDialog
from app.ui.dialogs.meeting import MeetingDialog
from app.ui.pages.base import ListPage, counted, refill
from app.ui.qt import (
    QBrush,
    QColor,
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
    show_error,
    to_date,
)

GREY = QBrush(QColor(style.MUTED))
UNDER_TARGET = QBrush(QColor(style.UNDER_TARGET_BACKGROUND))


class MeetingsPage(ListPage):
    title = "Hội nghị"
    watches = ("meeting", "unit", "unit_version", "document", "office_profile")
    search_hint = "Tìm theo tên hội nghị (gõ không dấu cũng được)…"
    has_figures = True

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        actor = context.actor
        self.start = self.clock_date(lambda today: date(today.year, 1, 1))
        self.end = self.clock_date(lambda today: date(today.year, 12, 31))
        self.unit_filter, self.kind_filter, self.form_filter = QComboBox(), QComboBox(), QComboBox()
        self.document_filter = QComboBox()
        self.kind_filter.addItem("Mọi loại", None)
        for kind in MeetingKind:
            self.kind_filter.addItem(kind.label, kind)
        self.form_filter.addItem("Mọi hình thức", None)
        for form in MeetingForm:
            self.form_filter.addItem(form.label, form)
        self.reload_choices()

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

        self.paged_table(
            [Column("Ngày", lambda r: f"{r.held_on:%d/%m/%Y}", "held_on"),
             Column("Đơn vị", lambda r: self.unit_label(r.unit_id, r.unit_name), "unit"),
             Column("Tên hội nghị", lambda r: r.title, "title"),
             Column("Loại", lambda r: r.kind.label, "kind"),
             Column("Hình thức", lambda r: r.form.label, "form"),
             Column("Văn bản", lambda r: r.documents, "documents"),
             Column("Đảng viên dự", self._participants, "present", align_right=True),
             Column("Quần chúng", lambda r: count_text(r.crowd) if r.crowd else "", "crowd", align_right=True),
             Column("Tỷ lệ", self._rate, "rate", align_right=True)],
            [82, 190, 300, 120, 80, 100, 130, 80, 70], sort="held_on", descending=True,
            colour=lambda r: GREY if r.status is not MeetingStatus.HELD else None, background=self._background)
        for key, combo in (("unit", self.unit_filter), ("kind", self.kind_filter), ("form", self.form_filter),
                           ("document", self.document_filter)):
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

        self.refresh_on(self.unit_filter, self.kind_filter, self.form_filter, self.document_filter)
        self.add_button.clicked.connect(self.add_meeting)
        self.copy_button.clicked.connect(self.copy_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.makeup_button.clicked.connect(self.show_makeups)
        self.refresh()

    def reload_choices(self) -> None:
        db, actor = self.context.db, self.context.actor
        self.target = float(meeting_figures.attendance_target(db))
        refill(self.unit_filter, lambda combo: fill_units(combo, self.context.unit_tree(), first="Mọi đơn vị",
                                                          active_only=False))
        refill(self.document_filter, lambda combo: fill_documents(combo, documents.search(db, actor, limit=500)))

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

    def fetch(self, flt, sort: str, descending: bool, after, limit: int):
        return meeting_list.list_page(self.context.db, self.context.actor, flt, sort=sort, descending=descending,
                                      after=after, limit=limit)

    def count(self, flt) -> int:
        return meeting_list.count(self.context.db, self.context.actor, flt)

    def empty_text(self) -> str:
        return ("Chưa có hội nghị nào trong khoảng thời gian và điều kiện đã chọn. "
                "Bấm «Thêm hội nghị» (Ctrl+N) để nhập, hoặc mở rộng khoảng thời gian.")

    def figures(self, flt) -> meeting_figures.Turnout:
        return meeting_figures.for_period(self.context.db, self.context.actor, flt)

    def totals_text(self, total: int | None, figures: meeting_figures.Turnout | None) -> str:
        if figures is None:
            return f"{counted(total, 'buổi')} · đang tính số liệu…"
        parts = [f"{counted(total, 'buổi')} (đã tổ chức {count_text(figures.meetings)})"]
        if figures.expected:
            rate = rate_text(figures.attended, figures.expected, "lượt đảng viên")
            colour = style.ERROR if figures.below_target else style.GOOD
            parts.append(f"<span style='color:{colour}'>{rate}</span>")
            parts.append(f"{count_text(figures.people)} người")
            parts.append(f"vắng có lý do {count_text(figures.excused)}, không lý do {count_text(figures.unexcused)}, "
                         f"học bù {count_text(figures.made_up)}")
        if figures.made_up_earlier:
            parts.append(f"học bù cho buổi kỳ trước {count_text(figures.made_up_earlier)}")
        if figures.guests:
            parts.append(f"khách mời {count_text(figures.guests)}")
        crowd = figures.crowd
        if crowd.total:
            parts.append(f"quần chúng {count_text(crowd.total)} (nữ {count_text(crowd.women)}, "
                         f"dân tộc thiểu số {count_text(crowd.minority)})")
        parts.append(f"chỉ tiêu {percent_text(float(figures.target), 0)}")
        return " · ".join(parts)

    # ---- actions ----------------------------------------------------------------------------------
    def add_meeting(self) -> MeetingDialog:
        dialog = MeetingDialog(self.context, None, self)
        dialog.finished.connect(lambda result: result and self.refresh())
        dialog.open()
        return dialog

    def open_row(self, row):
        return self.open_meeting(row.id)

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
