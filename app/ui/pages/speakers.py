"""Báo cáo viên: the register of báo cáo viên and tuyên truyền viên, by name, level and unit, with how many
session lines name each; the session dialog picks from it."""

from __future__ import annotations

from app.models.enums import SpeakerLevel
from app.services import speakers
from app.services.auth import Permission
from app.services.numbers import count_text, short_date
from app.ui.dialogs.speaker import SpeakerDialog
from app.ui.pages.base import ListPage, refill
from app.ui.qt import QComboBox, QHBoxLayout, QKeySequence, QPushButton, QVBoxLayout, QWidget
from app.ui.tables import Column
from app.ui.widgets.common import Context, fill_units


class SpeakersPage(ListPage):
    title = "Báo cáo viên"
    watches = ("speaker", "meeting_presenter", "unit", "unit_version")
    search_hint = "Tìm theo tên báo cáo viên (gõ không dấu cũng được)…"
    has_figures = True

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.unit_filter, self.level_filter = QComboBox(), QComboBox()
        self.level_filter.addItem("Mọi cấp", None)
        for level in SpeakerLevel:
            self.level_filter.addItem(level.label, level)
        self.reload_choices()
        self.add_button = QPushButton("Thêm báo cáo viên")
        self.add_button.setShortcut(QKeySequence.StandardKey.New)
        self.add_button.setVisible(context.actor.can(Permission.EDIT_MEETINGS))
        self.paged_table(
            [Column("Họ và tên", lambda r: r.full_name, "name"),
             Column("Chức vụ", lambda r: r.title, "title"),
             Column("Đơn vị", lambda r: r.unit_name, "unit"),
             Column("Là", lambda r: r.role.label, "role"),
             Column("Cấp", lambda r: r.level.label, "level"),
             Column("Số lượt báo cáo", lambda r: count_text(r.appearances), "appearances", align_right=True),
             Column("Đã thôi từ", lambda r: short_date(r.stopped_on), "stopped_on")],
            [190, 300, 220, 130, 90, 110], sort="name", descending=False)
        for key, combo in (("unit", self.unit_filter), ("level", self.level_filter)):
            self.state.remember(key, combo)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.unit_filter, 2)
        filters.addWidget(self.level_filter, 1)
        filters.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.totals)
        self.refresh_on(self.unit_filter, self.level_filter)
        self.add_button.clicked.connect(self.add_speaker)
        self.refresh()

    def reload_choices(self) -> None:
        refill(self.unit_filter, lambda combo: fill_units(combo, self.context.unit_tree(), first="Mọi đơn vị",
                                                          active_only=False))

    def filter(self) -> speakers.SpeakerFilter:
        return speakers.SpeakerFilter(unit_id=self.unit_filter.currentData(), level=self.level_filter.currentData(),
                                      text=self.search.text())

    def fetch(self, flt, sort: str, descending: bool, after, limit: int):
        return speakers.list_page(self.context.db, self.context.actor, flt, sort=sort, descending=descending,
                                  after=after, limit=limit)

    def empty_text(self) -> str:
        return ("Chưa có báo cáo viên nào khớp với điều kiện đã chọn. Bấm «Thêm báo cáo viên» (Ctrl+N); khi nhập hội "
                "nghị, chọn báo cáo viên trong danh sách này.")

    def figures(self, flt) -> dict:
        return speakers.by_level(self.context.db, self.context.actor, flt)

    def totals_text(self, total, figures: dict | None) -> str:
        if figures is None:
            return "Đang tính tổng…"
        if not figures:
            return "Không có báo cáo viên nào."
        parts = [f"{level.label} {count_text(figures[level])}" for level in SpeakerLevel if figures.get(level)]
        return f"<b>{count_text(sum(figures.values()))}</b> báo cáo viên, tuyên truyền viên · " + ", ".join(parts) + "."

    def open_row(self, row):
        return self.open_speaker(row.id)

    def add_speaker(self) -> SpeakerDialog | None:
        return self.open_speaker(None)

    def open_speaker(self, speaker_id: int | None) -> SpeakerDialog | None:
        return self.open_record(lambda: SpeakerDialog(self.context, speaker_id, self))
