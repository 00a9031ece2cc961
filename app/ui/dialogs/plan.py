"""A required unit's own plan implementing a tracked document: its number, day and summary."""

from __future__ import annotations

from app.services.auth import Permission
from app.services.documents import coverage, plans
from app.ui.dialogs.record import RecordDialog
from app.ui.qt import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget
from app.ui.widgets.common import Context, date_edit, delete_confirmed, to_date, to_qdate
from app.ui.widgets.forms import FieldForm


class PlanDialog(RecordDialog):
    def __init__(self, context: Context, document_id: int, line: coverage.CoverageLine,
                 parent: QWidget | None = None) -> None:
        super().__init__(context, parent, editable=context.actor.can(Permission.EDIT_DOCUMENTS), size=(620, 260),
                         title=f"Kế hoạch thực hiện của {line.unit_name}")
        self.document_id, self.unit_id, self.plan = document_id, line.unit_id, line.plan
        self.form = FieldForm()
        self.form.add("unit_id", "Đơn vị", QLabel(line.unit_name))
        self.number = self.form.add("number", "Số kế hoạch", QLineEdit(placeholderText="15-KH/ĐU"))
        self.issued_on = self.form.add("issued_on", "Ngày ban hành", date_edit())
        self.issued_on.setMaximumWidth(160)
        self.summary = self.form.add("summary", "Trích yếu", QLineEdit(placeholderText="Thực hiện Kết luận số 54-KL/TW…"))
        self.delete_button = QPushButton("Xóa kế hoạch")
        self.delete_button.setVisible(self.editable and line.plan is not None)
        self.buttons.addButton(self.delete_button, self.buttons.ButtonRole.DestructiveRole)
        self.delete_button.clicked.connect(self.delete)
        if line.plan is not None:
            self.number.setText(line.plan.number)
            self.issued_on.setDate(to_qdate(line.plan.issued_on))
            self.summary.setText(line.plan.summary)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        if not self.editable:
            self.read_only("Tài khoản của bạn chỉ xem kế hoạch của đơn vị.")

    def data(self) -> plans.PlanInput:
        return plans.PlanInput(self.document_id, self.unit_id, self.number.text(), to_date(self.issued_on.date()),
                               self.summary.text())

    def write(self) -> int:
        db, actor = self.context.db, self.context.actor
        if self.plan is None:
            return plans.create(db, actor, self.data())
        plans.update(db, actor, self.plan.id, self.data(), expected_version=self.plan.version)
        return self.plan.id

    def delete(self) -> bool:
        db, actor, plan = self.context.db, self.context.actor, self.plan
        if plan is None or not delete_confirmed(self, lambda: plan, lambda found: f"Xóa kế hoạch số {found.number}?",
                                                lambda _version: plans.delete(db, actor, plan.id,
                                                                              expected_version=plan.version)):
            return False
        self.settled()
        self.accept()
        return True
