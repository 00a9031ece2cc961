"""Đảng viên: the paged list with search, unit and status filters, and the person dialog."""

from __future__ import annotations

from pathlib import Path

from app.models.enums import MembershipStatus
from app.services import people, sheets, units
from app.services.auth import Permission
from app.services.errors import ServiceError
from app.services.numbers import count_text
from app.ui.dialogs.import_people import ImportPeopleDialog
from app.ui.dialogs.person import PersonDialog
from app.ui.qt import (
    QBrush,
    QColor,
    QComboBox,
    QFileDialog,
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
from app.ui.widgets.common import Context, fill_units, row_table, show_error

GREY = QBrush(QColor("#777777"))


class PeoplePage(QWidget):
    title = "Đảng viên"

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.search = QLineEdit(placeholderText="Tìm theo họ tên (gõ không dấu cũng được)…")
        self.search.setClearButtonEnabled(True)
        self.unit_filter = QComboBox()
        self.status_filter = QComboBox()
        self.status_filter.addItem("Mọi trạng thái", None)
        for status in MembershipStatus:
            self.status_filter.addItem(status.label, status)
        self.add_button = QPushButton("Thêm đảng viên")
        self.add_button.setShortcut(QKeySequence.StandardKey.New)
        self.add_button.setEnabled(context.actor.can(Permission.EDIT_PEOPLE))
        self.import_button = QPushButton("Nhập từ tệp…")
        self.import_button.setToolTip("Nhập danh sách từ bảng tính .xlsx hoặc tệp .csv của xã, chi bộ")
        self.import_button.setVisible(context.actor.can(Permission.EDIT_PEOPLE))
        self.count_label = QLabel()
        self.empty_label = QLabel()
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)

        self.model = PagedTableModel(
            [Column("Họ và tên", lambda r: r.full_name, "name"),
             Column("Năm sinh", lambda r: r.birth_year, "birth_year", align_right=True),
             Column("Giới tính", lambda r: r.gender.label if r.gender else ""),
             Column("Dân tộc", lambda r: r.ethnicity),
             Column("Chức vụ", lambda r: r.position),
             Column("Chi bộ", lambda r: r.unit_name),
             Column("Trạng thái", lambda r: r.status.label, "status")],
            self._fetch, lambda r: (r.sort_value, r.id),
            colour=lambda r: GREY if r.status is not MembershipStatus.ACTIVE else None, parent=self)
        # Fixed row height: never ResizeToContents on big models.
        self.table = row_table(self.model, [210, 80, 80, 90, 190, 230, 130], single=True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)

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
        layout.addWidget(self.count_label)

        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.unit_filter.currentIndexChanged.connect(self.refresh)
        self.status_filter.currentIndexChanged.connect(self.refresh)
        self.add_button.clicked.connect(self.add_person)
        self.import_button.clicked.connect(self._ask_for_file)
        self.table.doubleClicked.connect(lambda index: self.open_person(self.model.row_at(index.row()).id))
        self.table.activated.connect(lambda index: self.open_person(self.model.row_at(index.row()).id))

        self._loading = True
        fill_units(self.unit_filter, units.tree(context.db, context.actor), first="Mọi đơn vị", active_only=False)
        self._loading = False
        self.refresh()

    def filter(self) -> people.PeopleFilter:
        return people.PeopleFilter(self.search.text(), self.unit_filter.currentData(), self.status_filter.currentData())

    def _fetch(self, sort: str, descending: bool, after, limit: int):
        return people.list_page(self.context.db, self.context.actor, self.filter(), sort=sort,
                                descending=descending, after=after, limit=limit)

    def refresh(self) -> None:
        if self._loading:
            return
        self.model.reload()
        total = people.count(self.context.db, self.context.actor, self.filter())
        self.count_label.setText(f"{count_text(total)} người")
        empty = total == 0
        self.table.setVisible(not empty)
        self.empty_label.setVisible(empty)
        if empty:
            if self.filter() == people.PeopleFilter():
                self.empty_label.setText("Chưa có đảng viên nào. Bấm «Thêm đảng viên» (Ctrl+N) để nhập người đầu tiên.")
            else:
                self.empty_label.setText("Không tìm thấy ai khớp với điều kiện lọc. Hãy thử từ khóa khác "
                                         "hoặc chọn «Mọi đơn vị».")

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def add_person(self) -> None:
        dialog = PersonDialog(self.context, None, self)
        if dialog.exec():
            self.refresh()

    def _ask_for_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp danh sách đảng viên", str(Path.home()),
                                              "Bảng tính (*.xlsx *.xlsm *.csv);;Mọi tệp (*)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> ImportPeopleDialog | None:
        """Read the file, then the mapping and preview dialog; the page shows what was added."""
        try:
            table = sheets.read_table(path)
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
            self.count_label.setText(f"{self.count_label.text()} · vừa nhập {count_text(dialog.added)} người "
                                     f"từ tệp {dialog.table.name}")

    def open_person(self, person_id: int) -> None:
        dialog = PersonDialog(self.context, person_id, self)
        dialog.exec()
        if dialog.changed:
            self.refresh()
