"""Phản ánh, kiến nghị: the intake register, paged and sorted in SQL, with its filters; cases due within
a week and overdue ones stand out, and one button shows just them, soonest first."""

from __future__ import annotations

from datetime import date

from app import clock
from app.models.enums import CaseStatus, ReferenceList
from app.services import cases
from app.services.auth import Permission
from app.services.cases import listing as case_list
from app.services.cases import reference
from app.services.numbers import count_text, short_date
from app.ui import style
from app.ui.dialogs.case import CaseDialog
from app.ui.dialogs.case_keys import KeysDialog
from app.ui.operations import Background
from app.ui.pages.base import ListPage, counted, refill
from app.ui.qt import (
    QBrush,
    QColor,
    QComboBox,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import Column
from app.ui.widgets.common import Context, fill_units, optional_date, optional_date_edit

URGENCY_LABELS = {"": "Mọi thời hạn", case_list.DEADLINES: "Sắp đến hạn và quá hạn", case_list.OVERDUE: "Quá hạn",
                  case_list.DUE_SOON: "Sắp đến hạn (7 ngày)"}
BACKGROUND = {case_list.OVERDUE: QBrush(QColor(style.OVERDUE_BACKGROUND)), case_list.DUE_SOON: QBrush(QColor(style.SOON_BACKGROUND))}


def _due(row: case_list.CaseListRow) -> str:
    if row.due_on is None:
        return ""
    urgency, days = row.urgency(), (row.due_on - clock.today()).days
    if urgency == case_list.OVERDUE:
        return f"{short_date(row.due_on)} (quá {-days} ngày)"
    if urgency == case_list.DUE_SOON:
        return f"{short_date(row.due_on)} (còn {days} ngày)"
    return short_date(row.due_on)


class CasesPage(ListPage):
    title = "Phản ánh, kiến nghị"
    watches = ("case_file", "case_event", "unit", "unit_version", "reference_item", "holiday_exception")
    search_hint = "Tìm trong nội dung, tên người bị phản ánh (gõ không dấu cũng được)…"

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        actor = context.actor
        self.start = self.clock_date(lambda today: date(today.year, 1, 1), "— từ đầu —")
        self.end = optional_date_edit(None, "— đến nay —")
        self.end.dateChanged.connect(self._debounce.start)
        self.unit_filter = QComboBox()
        self.status_filter = QComboBox()
        self.status_filter.addItem("Mọi trạng thái", None)
        for status in CaseStatus:
            self.status_filter.addItem(status.label, status.value)
        self.kind_filter, self.channel_filter, self.body_filter = QComboBox(), QComboBox(), QComboBox()
        self.group_filter = QComboBox()
        self.group_filter.addItem("Mọi nhóm biểu hiện", "")
        for code, name in reference.SIGN_GROUPS.items():
            self.group_filter.addItem(name, code)
        self.urgency_filter = QComboBox()
        for value, label in URGENCY_LABELS.items():
            self.urgency_filter.addItem(label, value)
        self.reload_choices()
        self.deadlines_button = QPushButton("Sắp đến hạn / quá hạn")
        self._urgent = Background(self)   # the two counts read the whole register: off the GUI thread
        self.keys_button = QPushButton("Khóa danh tính…")
        self.keys_button.setVisible(actor.can(Permission.VIEW_IDENTITY))
        self.add_button = QPushButton("Tiếp nhận…")
        self.add_button.setShortcut(QKeySequence.StandardKey.New)
        self.add_button.setVisible(actor.can(Permission.RECEIVE_CASES))

        self.paged_table(
            [Column("Số vào sổ", lambda r: r.number, "number"),
             Column("Ngày nhận", lambda r: short_date(r.received_on), "received_on"),
             Column("Đơn vị tiếp nhận", lambda r: r.unit_name, "unit"),
             Column("Loại", lambda r: r.kind + (" (nặc danh)" if r.anonymous else ""), "kind"),
             Column("Người bị phản ánh", lambda r: ", ".join(p for p in (r.reported_name, r.reported_position) if p),
                    "reported"),
             Column("Nội dung", lambda r: r.summary),
             Column("Trạng thái", lambda r: r.status.label, "status"),
             Column("Cơ quan xử lý", lambda r: r.handling_body, "handling_body"),
             Column("Thời hạn", _due, "due_on")],
            [160, 82, 110, 100, 160, 290, 115, 130, 150], sort="received_on", descending=True,
            colour=lambda r: QBrush(QColor(style.OVERDUE)) if r.urgency() == case_list.OVERDUE else None,
            background=lambda r: BACKGROUND.get(r.urgency()))
        filters = (self.unit_filter, self.status_filter, self.kind_filter, self.channel_filter, self.group_filter,
                   self.body_filter, self.urgency_filter)
        for key, combo in zip(("unit", "status", "kind", "channel", "group", "body", "urgency"), filters, strict=True):
            self.state.remember(key, combo)

        first = QHBoxLayout()
        first.addWidget(self.search, 3)
        first.addWidget(QLabel("Nhận từ"))
        first.addWidget(self.start)
        first.addWidget(QLabel("đến"))
        first.addWidget(self.end)
        first.addWidget(self.unit_filter, 2)
        second = QHBoxLayout()
        for combo in filters[1:]:
            second.addWidget(combo, 1)
        third = QHBoxLayout()
        third.addWidget(self.totals, 1)
        self.notice = QLabel()
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        third.addWidget(self.notice)
        for button in (self.deadlines_button, self.keys_button, self.add_button):
            third.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addLayout(third)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)

        self.refresh_on(*filters)
        self.deadlines_button.clicked.connect(self.show_deadlines)
        self.keys_button.clicked.connect(self.open_keys)
        self.add_button.clicked.connect(self.add_case)
        self.refresh()

    def reload_choices(self) -> None:
        db, actor = self.context.db, self.context.actor
        refill(self.unit_filter, lambda combo: fill_units(combo, self.context.unit_tree(), first="Mọi đơn vị tiếp nhận",
                                                          active_only=False))
        for combo, which, first in ((self.kind_filter, ReferenceList.CASE_KIND, "Mọi loại"),
                                    (self.channel_filter, ReferenceList.CHANNEL, "Mọi kênh"),
                                    (self.body_filter, ReferenceList.HANDLING_BODY, "Mọi cơ quan xử lý")):
            def items_of(target: QComboBox, which=which, first=first) -> None:
                target.addItem(first, "")
                for row in reference.items(db, actor, which, with_retired=True):
                    target.addItem(row.name, row.code)

            refill(combo, items_of)

    def filter(self) -> case_list.CaseFilter:
        status = self.status_filter.currentData()
        return case_list.CaseFilter(
            start=optional_date(self.start), end=optional_date(self.end),
            status=CaseStatus(status) if status else None, channel=self.channel_filter.currentData(),
            kind=self.kind_filter.currentData(), sign_group=self.group_filter.currentData(),
            unit_id=self.unit_filter.currentData(), handling_body=self.body_filter.currentData(),
            urgency=self.urgency_filter.currentData(), text=self.search.text())

    def fetch(self, flt, sort: str, descending: bool, after, limit: int):
        return case_list.list_page(self.context.db, self.context.actor, flt, sort=sort, descending=descending,
                                   after=after, limit=limit)

    def count(self, flt) -> int:
        return case_list.count(self.context.db, self.context.actor, flt)

    def totals_text(self, total: int | None, figures) -> str:
        return counted(total, "vụ việc")

    def empty_text(self) -> str:
        return ("Không có vụ việc nào khớp với điều kiện đã chọn. Bấm «Tiếp nhận…» (Ctrl+N) để "
                "vào sổ một phản ánh, kiến nghị, hoặc bỏ bớt điều kiện lọc.")

    def refresh(self) -> None:
        super().refresh()
        self._urgent.ask(lambda: case_list.urgent_counts(self.context.db, self.context.actor), self._show_urgent)

    def _show_urgent(self, counts: tuple[int, int]) -> None:
        overdue, soon = counts
        self.deadlines_button.setText(f"Sắp đến hạn / quá hạn ({count_text(soon)} / {count_text(overdue)})")

    def open_row(self, row):
        return self.open_case(row.id)

    def show_deadlines(self) -> None:
        """Every case being verified that is due within the week or overdue, whenever received, soonest first."""
        for widget in (self.start, self.end, self.urgency_filter, self.status_filter):
            widget.blockSignals(True)
        self.start.setDate(self.start.minimumDate())
        self.end.setDate(self.end.minimumDate())
        self.status_filter.setCurrentIndex(0)
        self.urgency_filter.setCurrentIndex(self.urgency_filter.findData(case_list.DEADLINES))
        for widget in (self.start, self.end, self.urgency_filter, self.status_filter):
            widget.blockSignals(False)
        self.table.horizontalHeader().setSortIndicator(8, Qt.SortOrder.AscendingOrder)   # soonest first
        self.refresh()   # the rows, the count and the empty text all follow the filter just set

    def add_case(self) -> CaseDialog:
        dialog = CaseDialog(self.context, None, self)
        dialog.accepted.connect(lambda: self._received(dialog.saved_id))
        dialog.open()
        return dialog

    def _received(self, case_id: int | None) -> None:
        """The number the new case was given, said where the clerk looks (he writes it on the letter)."""
        self.refresh()
        if case_id is not None:
            number = cases.detail(self.context.db, self.context.actor, case_id).number
            self.notice.setText(f"Đã vào sổ: số <b>{number}</b>")

    def open_case(self, case_id: int) -> CaseDialog:
        dialog = CaseDialog(self.context, case_id, self)
        dialog.finished.connect(lambda _result: self.refresh())
        dialog.open()
        return dialog

    def open_keys(self) -> KeysDialog:
        dialog = KeysDialog(self.context, self)
        dialog.open()
        return dialog


