"""An entry of public opinion: the topic, where and among whom it was heard, which way it leans, what
was said and done. It names no one: the note under the title says so, and the service refuses a phone or
identity number."""

from __future__ import annotations

from app.models.enums import OpinionGroup, OpinionTendency
from app.services import documents
from app.services.auth import Permission
from app.services.opinion import register
from app.services.scope import tree_in_scope
from app.ui.dialogs.record import RecordDialog
from app.ui.qt import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import (
    Context,
    date_edit,
    fill_documents,
    fill_units,
    select_data,
    select_document,
    to_date,
    to_qdate,
)
from app.ui.widgets.forms import FieldForm

GROUP_COLUMNS = 3


class GroupChecks(QWidget):
    """The groups an opinion runs among, as boxes to tick."""

    def __init__(self) -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        self.boxes = {group: QCheckBox(group.label) for group in OpinionGroup}
        for index, box in enumerate(self.boxes.values()):
            grid.addWidget(box, index // GROUP_COLUMNS, index % GROUP_COLUMNS)

    def chosen(self) -> list[OpinionGroup]:
        return [group for group, box in self.boxes.items() if box.isChecked()]

    def choose(self, groups: list[OpinionGroup]) -> None:
        for group, box in self.boxes.items():
            box.setChecked(group in groups)


class OpinionDialog(RecordDialog):
    def __init__(self, context: Context, opinion_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(context, parent, editable=context.actor.can(Permission.EDIT_MEETINGS), size=(820, 660),
                         title="Ghi ý kiến, dư luận" if opinion_id is None else "Ý kiến, dư luận")
        self.opinion_id = opinion_id
        self.version: int | None = None
        db, actor = context.db, context.actor
        self.form = FieldForm()
        self.unit = self.form.add("unit_id", "Đơn vị nắm bắt", QComboBox())
        fill_units(self.unit, tree_in_scope(db, actor))
        self.noted_on = self.form.add("noted_on", "Ngày nắm bắt", date_edit())
        self.noted_on.setMaximumWidth(160)
        self.topic = self.form.add("topic", "Vấn đề", QLineEdit(
            placeholderText="Giá phân bón tăng cao; việc sắp xếp thôn, tổ dân phố…"))
        self.heard_at = self.form.add("heard_at", "Nơi nắm bắt", QComboBox())
        self.heard_at.setEditable(True)
        self.heard_at.addItems(register.places_used(db, actor))
        self.heard_at.setCurrentText("")
        self.heard_at.lineEdit().setPlaceholderText("Họp chi bộ thôn, tiếp xúc cử tri, mạng xã hội…")
        self.tendency = self.form.add("tendency", "Chiều hướng", QComboBox())
        self.tendency.addItem("— chọn —", None)
        for tendency in OpinionTendency:
            self.tendency.addItem(tendency.label, tendency)
        self.groups = self.form.add("groups", "Trong đối tượng", GroupChecks())
        self.content = self.form.add("content", "Nội dung ý kiến", QPlainTextEdit(
            placeholderText="Tóm tắt điều cán bộ, Nhân dân nói, quan tâm; không ghi tên người phát biểu."))
        self.content.setFixedHeight(72)
        self.action = self.form.add("action", "Đã xử lý, báo cáo", QPlainTextEdit(
            placeholderText="Đã tuyên truyền, giải thích, đối thoại…; báo cáo cấp ủy, cơ quan nào."))
        self.action.setFixedHeight(56)
        self.reported_up = self.form.add("reported_up", "", QCheckBox("Đã báo cáo cấp trên"))
        self.document = self.form.add("document_id", "Liên quan văn bản", QComboBox())
        fill_documents(self.document, documents.search(db, actor, limit=500), first="— không —")
        note = QLabel("Sổ dư luận ghi vấn đề và nhóm đối tượng, không ghi họ tên, số điện thoại hay địa chỉ của ai. "
                      "Đơn, thư phản ánh về cán bộ, đảng viên vào sổ «Phản ánh, kiến nghị».")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")

        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        if opinion_id is not None:
            self._fill(register.get(db, actor, opinion_id))
        if not self.editable:
            self.read_only("Tài khoản của bạn chỉ xem sổ dư luận.")

    def _fill(self, detail: register.OpinionDetail) -> None:
        data = detail.data
        self.version = detail.version
        select_data(self.unit, data.unit_id)
        if self.unit.currentData() != data.unit_id:   # a unit since merged away: still shown
            self.unit.addItem(detail.unit_name, data.unit_id)
            select_data(self.unit, data.unit_id)
        self.noted_on.setDate(to_qdate(data.noted_on))
        self.topic.setText(data.topic)
        self.heard_at.setCurrentText(data.heard_at)
        select_data(self.tendency, data.tendency)
        self.groups.choose(data.groups)
        self.content.setPlainText(data.content)
        self.action.setPlainText(data.action)
        self.reported_up.setChecked(data.reported_up)
        select_document(self.context, self.document, data.document_id)
        self.setWindowTitle(data.topic)

    def data(self) -> register.OpinionInput:
        tendency = self.tendency.currentData()   # Qt hands enums back as plain strings
        return register.OpinionInput(
            unit_id=self.unit.currentData(), noted_on=to_date(self.noted_on.date()), topic=self.topic.text(),
            heard_at=self.heard_at.currentText(), tendency=OpinionTendency(tendency) if tendency else None,
            groups=self.groups.chosen(), content=self.content.toPlainText(), action=self.action.toPlainText(),
            reported_up=self.reported_up.isChecked(), document_id=self.document.currentData())

    def write(self) -> int:
        db, actor = self.context.db, self.context.actor
        if self.opinion_id is None:
            return register.create(db, actor, self.data())
        register.update(db, actor, self.opinion_id, self.data(), expected_version=self.version)
        return self.opinion_id
