"""Người dùng: accounts, roles, a clerk's unit, password resets (administrators only)."""

from __future__ import annotations

from app.models.enums import Role
from app.services import units, users
from app.ui.dialogs.form_dialog import FormDialog
from app.ui.pages.base import CurrentPage
from app.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import Context, fill_units, select_data


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class UsersPage(CurrentPage):
    title = "Người dùng"
    watches = ("app_user", "unit", "unit_version")

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["Tên đăng nhập", "Họ và tên", "Vai trò", "Đơn vị được giao",
                                              "Trạng thái"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        add, edit, reset = QPushButton("Thêm tài khoản"), QPushButton("Sửa"), QPushButton("Đặt lại mật khẩu")
        add.clicked.connect(lambda: self.edit_user(None))
        edit.clicked.connect(lambda: self.edit_user(self.selected()))
        reset.clicked.connect(self.reset_password)
        self.table.doubleClicked.connect(lambda _index: self.edit_user(self.selected()))
        buttons = QHBoxLayout()
        for button in (add, edit, reset):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        self.rows = users.list_users(self.context.db, self.context.actor)
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            state = "Đang khóa" if row.locked else ("Hoạt động" if row.active else "Vô hiệu hóa")
            for column, value in enumerate([row.username, row.full_name, row.role.label, row.unit_code or "—", state]):
                self.table.setItem(index, column, QTableWidgetItem(value))

    def selected(self) -> users.UserRow | None:
        index = self.table.currentRow()
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def edit_user(self, row: users.UserRow | None) -> None:
        if row is None and self.sender() is not None and self.sender().text() == "Sửa":
            return
        dialog = FormDialog("Sửa tài khoản" if row else "Thêm tài khoản", self)
        username, full_name, role, unit = QLineEdit(), QLineEdit(), QComboBox(), QComboBox()
        active, password = QCheckBox("Đang hoạt động"), _password_field()
        for option in Role:
            role.addItem(option.label, option)
        fill_units(unit, units.tree(self.context.db, self.context.actor), first="— (toàn bộ)")
        dialog.add("username", "Tên đăng nhập", username)
        dialog.add("full_name", "Họ và tên", full_name)
        dialog.add("role", "Vai trò", role)
        dialog.add("unit_id", "Đơn vị được giao", unit)
        if row:
            username.setText(row.username)
            full_name.setText(row.full_name)
            select_data(role, row.role)
            select_data(unit, row.unit_id)
            active.setChecked(row.active)
            dialog.add("active", "", active)
        else:
            role.setCurrentIndex(role.findData(Role.CLERK))
            dialog.add("password", "Mật khẩu", password)

        def save() -> None:
            data = users.UserInput(username.text(), full_name.text(), role.currentData(), unit.currentData(),
                                   active.isChecked() if row else True)
            if row:
                users.update(self.context.db, self.context.actor, row.id, data)
            else:
                users.create(self.context.db, self.context.actor, data, password.text())

        if dialog.run(save):
            self.refresh()

    def reset_password(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = FormDialog("Đặt lại mật khẩu", self, intro=f"Mật khẩu mới cho «{row.username}» (tài khoản cũng "
                                                            "được mở khóa).")
        password = dialog.add("password", "Mật khẩu mới", _password_field())
        if dialog.run(lambda: users.reset_password(self.context.db, self.context.actor, row.id, password.text())):
            self.refresh()
