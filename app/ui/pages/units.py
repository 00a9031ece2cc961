"""Đơn vị: the unit tree on any date, with its history; add, rename, move, deactivate, delete."""

from __future__ import annotations

from datetime import date

from app.models.enums import UnitKind
from app.services import units
from app.services.auth import Permission
from app.services.errors import ServiceError
from app.services.search import fold
from app.ui.dialogs.form_dialog import FormDialog
from app.ui.pages.base import CurrentPage, following_date
from app.ui.qt import (
    QBrush,
    QColor,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import Context, confirm, date_edit, fill_units, show_error, to_date

ROLE_ID = Qt.ItemDataRole.UserRole


class UnitsPage(CurrentPage):
    title = "Đơn vị"
    watches = ("unit", "unit_version", "membership")

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.on_date = date_edit()
        self.clock_defaults.append(following_date(self.on_date, lambda today: today))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Tên đơn vị", "Mã", "Loại", "Trạng thái"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        for column, width in ((1, 130), (2, 120), (3, 130)):
            self.tree.header().resizeSection(column, width)
        self.history = QTableWidget(0, 3)
        self.history.setHorizontalHeaderLabels(["Từ ngày", "Tên", "Thuộc"])
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.history.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        self.buttons = {}
        actions = QHBoxLayout()
        for key, text, handler in (("add", "Thêm đơn vị trực thuộc", self.add_unit), ("rename", "Đổi tên", self.rename),
                                   ("refound", "Sửa ngày thành lập", self.refound),
                                   ("move", "Chuyển cấp trên", self.move), ("deactivate", "Ngừng hoạt động",
                                                                           self.deactivate),
                                   ("delete", "Xóa", self.delete)):
            button = QPushButton(text)
            button.clicked.connect(handler)
            button.setEnabled(False)
            actions.addWidget(button)
            self.buttons[key] = button
        actions.addStretch(1)

        self.search = QLineEdit(placeholderText="Tìm đơn vị theo tên hoặc mã (gõ không dấu cũng được)…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.filter_tree)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(QLabel("Cây đơn vị tại ngày"))
        top.addWidget(self.on_date)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        self.history_title = QLabel("Chọn một đơn vị để xem quá trình đổi tên, chuyển cấp trên.")
        self.history_title.setWordWrap(True)
        side_layout.addWidget(self.history_title)
        side_layout.addWidget(self.history, 1)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(side)
        splitter.setSizes([640, 360])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(splitter, 1)

        self.on_date.dateChanged.connect(self.refresh)
        self.tree.currentItemChanged.connect(self._selected)
        self.refresh()

    @property
    def day(self) -> date:
        return to_date(self.on_date.date())

    def refresh(self) -> None:
        keep = self.selected_id()
        self.tree.clear()
        self.nodes = units.tree(self.context.db, self.context.actor, self.day)
        items: dict[int, QTreeWidgetItem] = {}
        grey = QBrush(QColor("#888888"))
        for node in self.nodes:
            state = "Đang hoạt động" if node.active or node.deactivated_on > self.day else \
                f"Ngừng từ {node.deactivated_on:%d/%m/%Y}"
            item = QTreeWidgetItem([node.name, node.code, node.kind.label, state])
            item.setData(0, ROLE_ID, node.id)
            if not node.active:
                for column in range(4):
                    item.setForeground(column, grey)
            parent = items.get(node.parent_id)
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            items[node.id] = item
        for item in items.values():
            item.setExpanded(item.parent() is None or item.childCount() < 30 and item.parent().parent() is None)
        if keep in items:
            self.tree.setCurrentItem(items[keep])
        elif self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        if not self.nodes:
            self.history_title.setText("Chưa có đơn vị nào vào ngày này.")
        self.filter_tree()

    def filter_tree(self) -> None:
        """Only the units whose name or code has every word typed, with the units above them; the first found
        is chosen."""
        words = fold(self.search.text()).split()
        first = None

        def show(item: QTreeWidgetItem) -> bool:
            nonlocal first
            found = all(word in fold(f"{item.text(0)} {item.text(1)}") for word in words)
            if found and words and first is None:
                first = item
            below = [show(item.child(index)) for index in range(item.childCount())]
            visible = found or any(below)
            item.setHidden(not visible)
            if words and visible:
                item.setExpanded(True)
            return visible

        for index in range(self.tree.topLevelItemCount()):
            show(self.tree.topLevelItem(index))
        if first is not None:
            self.tree.setCurrentItem(first)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_id(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, ROLE_ID) if item else None

    def selected(self) -> units.UnitNode | None:
        return next((n for n in self.nodes if n.id == self.selected_id()), None)

    def _selected(self) -> None:
        node = self.selected()
        can_edit = self.context.actor.can(Permission.EDIT_UNITS) and node is not None
        for key, button in self.buttons.items():
            button.setEnabled(can_edit and (key != "add" or not node.kind.holds_members))
        if node is None:
            return
        rows = units.history(self.context.db, self.context.actor, node.id)
        self.history_title.setText(f"Quá trình của «{node.name}» ({node.code})")
        self.history.setRowCount(len(rows))
        for index, row in enumerate(rows):
            for column, value in enumerate([f"{row.valid_from:%d/%m/%Y}", row.name, row.parent_name or "—"]):
                self.history.setItem(index, column, QTableWidgetItem(value))

    def _run(self, dialog: FormDialog, action) -> None:
        if dialog.run(action):
            self.refresh()

    def add_unit(self) -> None:
        parent = self.selected()
        dialog = FormDialog("Thêm đơn vị", self, intro=f"Đơn vị trực thuộc «{parent.name}».")
        # A new unit dates from its parent's founding by default: an office entering its past finds it there.
        founded = min(row.valid_from for row in units.history(self.context.db, self.context.actor, parent.id))
        code, name, kind, since = QLineEdit(), QLineEdit(), QComboBox(), date_edit(founded)
        for option in UnitKind:
            kind.addItem(option.label, option)
        kind.setCurrentIndex(kind.findData(UnitKind.CHI_BO))
        dialog.add("code", "Mã đơn vị", code)
        dialog.add("name", "Tên đơn vị", name)
        dialog.add("kind", "Loại", kind)
        dialog.add("valid_from", "Thành lập từ ngày", since)
        self._run(dialog, lambda: units.create(self.context.db, self.context.actor, code=code.text(), name=name.text(),
                                               kind=kind.currentData(), parent_id=parent.id,
                                               valid_from=to_date(since.date())))

    def rename(self) -> None:
        node = self.selected()
        dialog = FormDialog("Đổi tên đơn vị", self, intro="Tên cũ vẫn được dùng cho các báo cáo trước ngày đổi tên.")
        name, since = QLineEdit(node.name), date_edit()
        dialog.add("name", "Tên mới", name)
        dialog.add("valid_from", "Áp dụng từ ngày", since)
        self._run(dialog, lambda: units.rename(self.context.db, self.context.actor, node.id, name.text(),
                                               to_date(since.date())))

    def refound(self) -> None:
        node = self.selected()
        founded = min(row.valid_from for row in units.history(self.context.db, self.context.actor, node.id))
        dialog = FormDialog("Sửa ngày thành lập", self, intro=f"«{node.name}» có trong phần mềm từ {founded:%d/%m/%Y}. "
                                                              "Lùi ngày này để nhập hội nghị, số liệu của những năm trước.")
        since = date_edit(founded)
        dialog.add("valid_from", "Thành lập từ ngày", since)
        self._run(dialog, lambda: units.refound(self.context.db, self.context.actor, node.id, to_date(since.date())))

    def move(self) -> None:
        node = self.selected()
        dialog = FormDialog("Chuyển cấp trên", self, intro=f"Chuyển «{node.name}» sang đơn vị cấp trên khác "
                                                           "(ví dụ khi sáp nhập xã).")
        parent, since = QComboBox(), date_edit()
        fill_units(parent, [n for n in self.nodes if not n.kind.holds_members])
        dialog.add("parent_id", "Cấp trên mới", parent)
        dialog.add("valid_from", "Áp dụng từ ngày", since)
        self._run(dialog, lambda: units.move(self.context.db, self.context.actor, node.id, parent.currentData(),
                                             to_date(since.date())))

    def deactivate(self) -> None:
        node = self.selected()
        if not node.active:
            if confirm(self, f"Cho «{node.name}» hoạt động trở lại?"):
                self._act(lambda: units.reactivate(self.context.db, self.context.actor, node.id))
            return
        dialog = FormDialog("Ngừng hoạt động", self, intro=f"«{node.name}» ngừng hoạt động; dữ liệu cũ được giữ "
                                                           "nguyên và vẫn có trong báo cáo các kỳ trước.")
        since = date_edit()
        dialog.add("unit", "Từ ngày", since)
        self._run(dialog, lambda: units.deactivate(self.context.db, self.context.actor, node.id, to_date(since.date())))

    def delete(self) -> None:
        node = self.selected()
        if confirm(self, f"Xóa hẳn đơn vị «{node.name}»? Chỉ xóa được đơn vị nhập nhầm, chưa có dữ liệu."):
            self._act(lambda: units.delete(self.context.db, self.context.actor, node.id))

    def _act(self, action) -> None:
        try:
            action()
        except ServiceError as error:
            show_error(self, str(error))
        self.refresh()
