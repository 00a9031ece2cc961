"""Add or edit a person; see and change their membership (transfer, exemption, death…)."""

from __future__ import annotations

from app.models.enums import Gender, MembershipStatus
from app.services import people
from app.services.auth import Permission
from app.services.errors import LooksLikeExisting, ValidationError
from app.services.scope import tree_in_scope
from app.ui.dialogs.record import AsksBeforeDropping
from app.ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import Context, date_edit, fill_units, select_data, to_date
from app.ui.widgets.forms import FieldForm, run_action

OPEN_EXISTING, SOMEONE_ELSE = "open", "someone else"


def _status_combo() -> QComboBox:
    combo = QComboBox()
    for status in MembershipStatus:
        combo.addItem(status.label, status)
    return combo


class PersonDialog(AsksBeforeDropping, QDialog):
    def __init__(self, context: Context, person_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.person_id = context, person_id
        self.changed = False
        self.existing_id: int | None = None   # the kept record the user chose to open instead
        self.detail = people.get(context.db, context.actor, person_id) if person_id else None
        self.setWindowTitle("Thông tin đảng viên" if person_id else "Thêm đảng viên")
        self.setMinimumWidth(560)
        nodes = tree_in_scope(context.db, context.actor)
        editable = self.editable = context.actor.can(Permission.EDIT_PEOPLE)

        self.full_name = QLineEdit()
        self.birth_year = QLineEdit(placeholderText="ví dụ 1985")
        self.birth_year.setMaxLength(4)
        self.gender = QComboBox()
        self.gender.addItem("—", None)
        for gender in Gender:
            self.gender.addItem(gender.label, gender)
        self.ethnicity = QLineEdit(placeholderText="Kinh, Tày, Dao, Mông…")
        self.position = QLineEdit(placeholderText="ví dụ Bí thư chi bộ")
        self.party_member = QCheckBox("Là đảng viên")
        self.party_member.setChecked(True)
        self.form = FieldForm()
        self.form.add("full_name", "Họ và tên", self.full_name)
        self.form.add("birth_year", "Năm sinh", self.birth_year)
        self.form.add("gender", "Giới tính", self.gender)
        self.form.add("ethnicity", "Dân tộc", self.ethnicity)
        self.form.add("position", "Chức vụ", self.position)
        self.form.add("party_member", "", self.party_member)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)

        self.unit = QComboBox()
        fill_units(self.unit, nodes, members_only=True)
        self.status = _status_combo()
        self.since = date_edit()
        self.note = QLineEdit(placeholderText="ví dụ: chuyển sinh hoạt theo Quyết định số …")
        if self.detail is None:
            self.form.add("unit_id", "Chi bộ sinh hoạt", self.unit)
            self.form.add("status", "Trạng thái", self.status)
            self.form.add("since", "Từ ngày", self.since)
        else:
            self._load(self.detail)
            layout.addWidget(self._membership_box(editable))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Lưu")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Đóng")
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(editable)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _load(self, detail: people.PersonDetail) -> None:
        data = detail.data
        self.full_name.setText(data.full_name)
        self.birth_year.setText(str(data.birth_year or ""))
        select_data(self.gender, data.gender)
        self.ethnicity.setText(data.ethnicity or "")
        self.position.setText(data.position or "")
        self.party_member.setChecked(data.party_member)

    def _membership_box(self, editable: bool) -> QGroupBox:
        box = QGroupBox("Quá trình sinh hoạt")
        self.history = QTableWidget(0, 4)
        self.history.setHorizontalHeaderLabels(["Chi bộ", "Trạng thái", "Từ ngày", "Đến ngày"])
        self.history.verticalHeader().hide()
        self.history.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._fill_history()
        self.change_form = FieldForm()
        self.change_form.add("unit_id", "Chi bộ mới", self.unit)
        self.change_form.add("status", "Trạng thái mới", self.status)
        self.change_form.add("since", "Từ ngày", self.since)
        self.change_form.add("note", "Ghi chú", self.note)
        select_data(self.unit, self.detail.current.unit_id)
        select_data(self.status, self.detail.current.status)
        self.change_button = QPushButton("Ghi thay đổi sinh hoạt")
        self.change_button.setEnabled(editable)
        self.change_button.clicked.connect(self.change_membership)
        column = QVBoxLayout(box)
        column.addWidget(self.history)
        column.addLayout(self.change_form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.change_button)
        column.addLayout(row)
        return box

    def _fill_history(self) -> None:
        rows = self.detail.memberships
        self.history.setRowCount(len(rows))
        for index, stretch in enumerate(rows):
            values = [stretch.unit_name, stretch.status.label, f"{stretch.valid_from:%d/%m/%Y}",
                      f"{stretch.valid_to:%d/%m/%Y}" if stretch.valid_to else ""]
            for column, value in enumerate(values):
                self.history.setItem(index, column, QTableWidgetItem(value))

    def _input(self) -> people.PersonInput:
        text = self.birth_year.text().strip()
        if text and not text.isdigit():
            raise ValidationError.one("birth_year", "Năm sinh phải là 4 chữ số, ví dụ 1985.")
        return people.PersonInput(self.full_name.text(), int(text) if text else None, self.gender.currentData(),
                                  self.ethnicity.text(), self.position.text(), self.party_member.isChecked())

    def save(self) -> None:
        def action() -> None:
            data = self._input()
            if self.detail is None:
                def add(someone_else: bool = False) -> int:
                    return people.create(self.context.db, self.context.actor, data, unit_id=self.unit.currentData(),
                                         status=self.status.currentData(), since=to_date(self.since.date()),
                                         someone_else=someone_else)
                try:
                    self.person_id = add()
                except LooksLikeExisting as same:
                    choice = self.ask_same(str(same))
                    if choice == SOMEONE_ELSE:
                        self.person_id = add(someone_else=True)
                    elif choice == OPEN_EXISTING:
                        self.existing_id = same.existing_id   # the page opens it once this dialog closes
                    else:
                        raise ValidationError.one("full_name", str(same)) from same
            else:
                people.update(self.context.db, self.context.actor, self.person_id, data,
                              expected_version=self.detail.version)

        if run_action(self.form, self, action):
            self.changed = True
            self.accept()

    def ask_same(self, message: str) -> str:
        """The person typed matches one already kept: open that one, add this one anyway, or go back."""
        box = QMessageBox(QMessageBox.Icon.Question, "Có thể đã có người này", message, parent=self)
        buttons = {box.addButton("Mở hồ sơ đã có", QMessageBox.ButtonRole.AcceptRole): OPEN_EXISTING,
                   box.addButton("Đây là người khác, vẫn thêm", QMessageBox.ButtonRole.YesRole): SOMEONE_ELSE,
                   box.addButton("Quay lại sửa", QMessageBox.ButtonRole.RejectRole): ""}
        box.exec()
        return buttons.get(box.clickedButton(), "")

    def change_membership(self) -> None:
        if not run_action(self.change_form, self, lambda: people.change_membership(
                self.context.db, self.context.actor, self.person_id, unit_id=self.unit.currentData(),
                status=self.status.currentData(), since=to_date(self.since.date()), note=self.note.text(),
                expected_version=self.detail.version)):
            return
        self.changed = True
        self.detail = people.get(self.context.db, self.context.actor, self.person_id)
        self._fill_history()
        self.note.clear()
        self.settled()   # the move is saved: nothing here is unsaved
