"""Dư luận xã hội: the register of public opinion, filtered by period, unit, tendency and group, paged in
SQL, with the count per tendency; section I of the report is drafted from it."""

from __future__ import annotations

from datetime import date

from app.models.enums import OpinionGroup, OpinionTendency
from app.services.auth import Permission
from app.services.numbers import count_text, short_date
from app.services.opinion import listing, register
from app.ui.dialogs.opinion import OpinionDialog
from app.ui.pages.base import ListPage, refill
from app.ui.qt import QComboBox, QHBoxLayout, QKeySequence, QLabel, QPushButton, QVBoxLayout, QWidget
from app.ui.tables import Column
from app.ui.widgets.common import Context, delete_confirmed, fill_units, to_date


class OpinionPage(ListPage):
    title = "Dư luận xã hội"
    watches = ("opinion", "opinion_group", "unit", "unit_version")
    search_hint = "Tìm theo vấn đề (gõ không dấu cũng được)…"
    has_figures = True

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.start = self.clock_date(lambda today: date(today.year, 1, 1))
        self.end = self.clock_date(lambda today: date(today.year, 12, 31))
        self.unit_filter, self.tendency_filter, self.group_filter = QComboBox(), QComboBox(), QComboBox()
        self.tendency_filter.addItem("Mọi chiều hướng", None)
        for tendency in OpinionTendency:
            self.tendency_filter.addItem(tendency.label, tendency)
        self.group_filter.addItem("Mọi đối tượng", None)
        for group in OpinionGroup:
            self.group_filter.addItem(group.label, group)
        self.reload_choices()
        editable = context.actor.can(Permission.EDIT_MEETINGS)
        self.add_button = QPushButton("Ghi ý kiến, dư luận")
        self.add_button.setShortcut(QKeySequence.StandardKey.New)
        self.delete_button = QPushButton("Xóa")
        for button in (self.add_button, self.delete_button):
            button.setVisible(editable)

        self.paged_table(
            [Column("Ngày", lambda r: short_date(r.noted_on), "noted_on"),
             Column("Đơn vị", lambda r: r.unit_name, "unit"),
             Column("Vấn đề", lambda r: r.topic, "topic"),
             Column("Chiều hướng", lambda r: r.tendency.label, "tendency"),
             Column("Đối tượng", lambda r: r.groups),
             Column("Nơi nắm bắt", lambda r: r.heard_at, "heard_at"),
             Column("Báo cáo lên", lambda r: "Đã báo cáo" if r.reported_up else "", "reported_up")],
            [82, 190, 360, 100, 220, 170], sort="noted_on", descending=True)
        for key, combo in (("unit", self.unit_filter), ("tendency", self.tendency_filter),
                           ("group", self.group_filter)):
            self.state.remember(key, combo)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel("Từ"))
        filters.addWidget(self.start)
        filters.addWidget(QLabel("đến"))
        filters.addWidget(self.end)
        filters.addWidget(self.unit_filter, 2)
        second = QHBoxLayout()
        second.addWidget(self.tendency_filter, 1)
        second.addWidget(self.group_filter, 1)
        second.addStretch(1)
        for button in (self.delete_button, self.add_button):
            second.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(second)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.totals)

        self.refresh_on(self.unit_filter, self.tendency_filter, self.group_filter)
        self.add_button.clicked.connect(self.add_opinion)
        self.delete_button.clicked.connect(self.delete_selected)
        self.refresh()

    def reload_choices(self) -> None:
        refill(self.unit_filter, lambda combo: fill_units(combo, self.context.unit_tree(), first="Mọi đơn vị",
                                                          active_only=False))

    def filter(self) -> listing.OpinionFilter:
        return listing.OpinionFilter(
            start=to_date(self.start.date()), end=to_date(self.end.date()), unit_id=self.unit_filter.currentData(),
            tendency=self.tendency_filter.currentData(), group=self.group_filter.currentData(),
            text=self.search.text())

    def fetch(self, flt, sort: str, descending: bool, after, limit: int):
        return listing.list_page(self.context.db, self.context.actor, flt, sort=sort, descending=descending,
                                 after=after, limit=limit)

    def empty_text(self) -> str:
        return ("Chưa có ý kiến, dư luận nào khớp với điều kiện đã chọn. Bấm «Ghi ý kiến, dư luận» (Ctrl+N) để ghi "
                "điều cán bộ, Nhân dân quan tâm, hoặc bỏ bớt điều kiện lọc. Phần I của báo cáo định kỳ được dự thảo "
                "từ sổ này.")

    def figures(self, flt) -> dict:
        return listing.by_tendency(self.context.db, self.context.actor, flt)

    def totals_text(self, total, figures: dict | None) -> str:
        if figures is None:
            return "Đang tính tổng…"
        if not figures:
            return "Không có ý kiến, dư luận nào."
        parts = [f"{tendency.label.lower()} {count_text(figures[tendency])}"
                 for tendency in OpinionTendency if figures.get(tendency)]
        return f"<b>{count_text(sum(figures.values()))}</b> ý kiến, dư luận · " + ", ".join(parts) + "."

    def open_row(self, row):
        return self.open_opinion(row.id)

    def add_opinion(self) -> OpinionDialog | None:
        return self.open_record(lambda: OpinionDialog(self.context, None, self))

    def open_opinion(self, opinion_id: int) -> OpinionDialog | None:
        return self.open_record(lambda: OpinionDialog(self.context, opinion_id, self))

    def delete_selected(self) -> bool:
        opinion_id, db, actor = self.selected_id(), self.context.db, self.context.actor
        if opinion_id is None or not delete_confirmed(
                self, lambda: register.get(db, actor, opinion_id),
                lambda detail: f"Xóa ý kiến «{detail.data.topic}»?",
                lambda version: register.delete(db, actor, opinion_id, expected_version=version)):
            return False
        self.refresh()
        return True
