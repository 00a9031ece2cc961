"""Đảng viên: the paged list with search, unit and status filters, and the person dialog."""

from __future__ import annotations

from pathlib import Path

from app.models.enums import MembershipStatus
from app.services import people, sheets, units
from app.services.auth import Permission
from app.services.errors import ServiceError
from app.services.numbers import count_text
from app.ui import operations, style
from app.ui.dialogs.import_people import ImportPeopleDialog
from app.ui.dialogs.person import PersonDialog
from app.ui.pages.base import ListPage, counted, refill
from app.ui.qt import (
    QBrush,
    QColor,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QKeySequence,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import Column
from app.ui.widgets.common import Context, fill_units, show_error

GREY = QBrush(QColor(style.MUTED))


class PeoplePage(ListPage):
    title = "Đảng viên"
    watches = ("person", "membership", "unit", "unit_version")
    search_hint = "Tìm theo họ tên (gõ không dấu cũng được)…"

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.unit_filter = QComboBox()
        self.status_filter = QComboBox()
        self.status_filter.addItem("Mọi trạng thái", None)
        for status in MembershipStatus:
            self.status_filter.addItem(status.label, status)
        self.reload_choices()
        self.add_button = QPushButton("Thêm đảng viên")
        self.add_button.setShortcut(QKeySequence.StandardKey.New)
        self.add_button.setEnabled(context.actor.can(Permission.EDIT_PEOPLE))
        self.import_button = QPushButton("Nhập từ tệp…")
        self.import_button.setToolTip("Nhập danh sách từ bảng tính .xlsx hoặc tệp .csv của xã, chi bộ")
        self.import_button.setVisible(context.actor.can(Permission.EDIT_PEOPLE))

        self.paged_table(
            [Column("Họ và tên", lambda r: r.full_name, "name"),
             Column("Năm sinh", lambda r: r.birth_year, "birth_year", align_right=True),
             Column("Giới tính", lambda r: r.gender.label if r.gender else ""),
             Column("Dân tộc", lambda r: r.ethnicity),
             Column("Chức vụ", lambda r: r.position),
             Column("Chi bộ", lambda r: self.unit_label(r.unit_id, r.unit_name)),
             Column("Trạng thái", lambda r: r.status.label, "status")],
            [210, 80, 80, 90, 190, 230, 130], sort="name",
            colour=lambda r: GREY if r.status is not MembershipStatus.ACTIVE else None)
        for key, combo in (("unit", self.unit_filter), ("status", self.status_filter)):
            self.state.remember(key, combo)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.unit_filter, 2)
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.add_button)
        filters.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label, 1)
        layout.addWidget(self.totals)

        self.refresh_on(self.unit_filter, self.status_filter)
        self.add_button.clicked.connect(self.add_person)
        self.import_button.clicked.connect(self._ask_for_file)
        self.refresh()

    def reload_choices(self) -> None:
        db, actor = self.context.db, self.context.actor
        refill(self.unit_filter, lambda combo: fill_units(combo, units.tree(db, actor), first="Mọi đơn vị",
                                                          active_only=False))

    def filter(self) -> people.PeopleFilter:
        return people.PeopleFilter(self.search.text(), self.unit_filter.currentData(), self.status_filter.currentData())

    def fetch(self, flt, sort: str, descending: bool, after, limit: int):
        return people.list_page(self.context.db, self.context.actor, flt, sort=sort, descending=descending,
                                after=after, limit=limit)

    def count(self, flt) -> int:
        return people.count(self.context.db, self.context.actor, flt)

    def totals_text(self, total: int | None, figures) -> str:
        return counted(total, "người", bold=False)

    def empty_text(self) -> str:
        if self.filter() == people.PeopleFilter():
            return "Chưa có đảng viên nào. Bấm «Thêm đảng viên» (Ctrl+N) để nhập người đầu tiên."
        return "Không tìm thấy ai khớp với điều kiện lọc. Hãy thử từ khóa khác hoặc chọn «Mọi đơn vị»."

    def open_row(self, row) -> None:
        self.open_person(row.id)

    def add_person(self) -> None:
        dialog = PersonDialog(self.context, None, self)
        if dialog.exec():
            self.refresh()
            if dialog.existing_id is not None:   # the person was already kept: show that record
                self.open_person(dialog.existing_id)

    def _ask_for_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp danh sách đảng viên", str(Path.home()),
                                              "Bảng tính (*.xlsx *.xlsm *.csv);;Mọi tệp (*)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> ImportPeopleDialog | None:
        """Read the file, then the mapping and preview dialog; the page shows what was added."""
        try:
            table = operations.run(self, f"Đang đọc tệp {path.name}…", lambda _progress: sheets.read_table(path))
        except ServiceError as error:
            show_error(self, str(error))
            return None
        dialog = ImportPeopleDialog(self.context, table, self)
        dialog.finished.connect(lambda _result: self._imported(dialog))
        dialog.open()
        return dialog

    def _imported(self, dialog: ImportPeopleDialog) -> None:
        if dialog.added:
            self.refresh()
            self.totals_note = f" · vừa nhập {count_text(dialog.added)} người từ tệp {dialog.table.name}"
            self.totals.setText(self.totals.text() + self.totals_note)

    def open_person(self, person_id: int) -> None:
        dialog = PersonDialog(self.context, person_id, self)
        dialog.exec()
        if dialog.changed:
            self.refresh()
