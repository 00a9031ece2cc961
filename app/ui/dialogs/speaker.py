"""A báo cáo viên or tuyên truyền viên in the register: name, title, unit, role, level; and since when
they no longer present."""

from __future__ import annotations

from collections.abc import Callable

from app.models.enums import SpeakerLevel, SpeakerRole
from app.services import speakers
from app.services.auth import Permission
from app.services.scope import tree_in_scope
from app.ui.dialogs.record import RecordDialog
from app.ui.qt import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget
from app.ui.widgets.common import Context, date_edit, fill_units, select_data, to_date, to_qdate
from app.ui.widgets.forms import FieldForm


class SpeakerDialog(RecordDialog):
    def __init__(self, context: Context, speaker_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(context, parent, editable=context.actor.can(Permission.EDIT_MEETINGS), size=(640, 320),
                         title="Thêm báo cáo viên" if speaker_id is None else "Báo cáo viên")
        self.speaker_id = speaker_id
        self.version: int | None = None
        self.form = FieldForm()
        self.full_name = self.form.add("full_name", "Họ và tên", QLineEdit())
        self.title_edit = self.form.add("title", "Chức vụ", QLineEdit(
            placeholderText="Phó Trưởng Ban Tuyên giáo Huyện ủy…"))
        self.unit = self.form.add("unit_id", "Đơn vị công tác", QComboBox())
        nodes = tree_in_scope(context.db, context.actor)
        fill_units(self.unit, nodes)
        mine = {node.id for node in nodes}
        self.role = self.form.add("role", "Là", QComboBox())
        for role in SpeakerRole:
            self.role.addItem(role.label, role)
        self.level = self.form.add("level", "Cấp", QComboBox())
        self.level.addItem("— chọn —", None)
        for level in SpeakerLevel:
            self.level.addItem(level.label, level)
        stopped = QWidget()
        row = QHBoxLayout(stopped)
        row.setContentsMargins(0, 0, 0, 0)
        self.stopped = QCheckBox("Đã thôi, từ ngày")
        self.stopped_on = date_edit()
        self.stopped_on.setEnabled(False)
        row.addWidget(self.stopped)
        row.addWidget(self.stopped_on)
        row.addStretch(1)
        self.form.add("stopped_on", "", stopped)
        self.stopped.toggled.connect(lambda on: self.stopped_on.setEnabled(on and self.editable))
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        if speaker_id is not None:
            data, self.version = speakers.get(context.db, context.actor, speaker_id)
            self.full_name.setText(data.full_name)
            self.title_edit.setText(data.title)
            select_data(self.unit, data.unit_id)
            if self.unit.currentData() != data.unit_id:   # merged away, or above the clerk: shown as it is
                self.unit.addItem(speakers.unit_name(context.db, context.actor, speaker_id), data.unit_id)
                select_data(self.unit, data.unit_id)
            if data.unit_id not in mine:
                self.read_only("Báo cáo viên của đơn vị khác: chỉ xem; đơn vị đó sửa.")
            select_data(self.role, data.role)
            select_data(self.level, data.level)
            if data.stopped_on is not None:
                self.stopped.setChecked(True)
                self.stopped_on.setDate(to_qdate(data.stopped_on))
            self.setWindowTitle(data.full_name)
        if not self.editable:
            self.read_only("Tài khoản của bạn chỉ xem danh sách báo cáo viên.")

    def data(self) -> speakers.SpeakerInput:
        role, level = self.role.currentData(), self.level.currentData()
        return speakers.SpeakerInput(
            self.full_name.text(), self.title_edit.text(), self.unit.currentData(),
            SpeakerRole(role) if role else None, SpeakerLevel(level) if level else None,
            to_date(self.stopped_on.date()) if self.stopped.isChecked() else None)

    def write(self) -> int:
        db, actor = self.context.db, self.context.actor
        if self.speaker_id is None:
            return speakers.create(db, actor, self.data())
        speakers.update(db, actor, self.speaker_id, self.data(), expected_version=self.version)
        return self.speaker_id

    @staticmethod
    def register_new(context: Context) -> Callable[[QWidget], int | None] | None:
        """For a picker: a new entry from its own dialog (None: the user may not add one)."""
        if not context.actor.can(Permission.EDIT_MEETINGS):
            return None

        def enter(parent: QWidget) -> int | None:
            dialog = SpeakerDialog(context, None, parent)
            return dialog.saved_id if dialog.exec() else None
        return enter
