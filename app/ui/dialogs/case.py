"""A reported case: intake (who reported, about whom, what, which signs), the workflow's next steps for
this role, and the history. The reporter's identity is written here but read back only by a key holder
who asks for it (each look is audited)."""

from __future__ import annotations

from pathlib import Path

from app.models.enums import CaseStatus, CaseStep, Conclusion, ReferenceList
from app.services import cases, units
from app.services.auth import Permission
from app.services.cases import reference
from app.services.cases import workflow as case_workflow
from app.services.errors import ServiceError
from app.services.meetings import read_attachment
from app.services.numbers import short_date
from app.services.scope import tree_in_scope
from app.ui.dialogs.form_dialog import FormDialog
from app.ui.dialogs.record import RecordDialog
from app.ui.fit import scrolling
from app.ui.qt import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import Column, ListTableModel
from app.ui.widgets.common import (
    Context,
    date_edit,
    fill_units,
    row_table,
    select_data,
    show_error,
    to_date,
    to_qdate,
)
from app.ui.widgets.forms import FieldForm
from app.ui.widgets.sign_picker import SignPicker

PROTECTED = "(đã lưu, được bảo vệ)"
WARN = "color: #9a5b00;"


def fill_reference(combo: QComboBox, rows: list[reference.ReferenceRow], first: str = "— chọn —") -> None:
    combo.clear()
    combo.addItem(first, "")
    for row in rows:
        combo.addItem(row.label, row.code)


class CaseDialog(RecordDialog):
    def __init__(self, context: Context, case_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(context, parent, size=(900, 680), cancel_text="Đóng",
                         title="Tiếp nhận phản ánh, kiến nghị" if case_id is None else "Vụ việc",
                         save_text="Vào sổ (Ctrl+S)" if case_id is None else "Lưu (Ctrl+S)")
        self.case_id = case_id
        db, actor = context.db, context.actor
        self.detail: cases.CaseDetail | None = None
        self.identity_shown = False
        self.reporter_fields_open = case_id is None   # a stored identity is written, never shown, unless asked
        self.new_files: list[tuple[str, bytes]] = []
        lists = {which: reference.items(db, actor, which) for which in ReferenceList}
        everywhere = units.tree(db, actor)   # the reported person may work anywhere
        in_scope = tree_in_scope(db, actor) if actor.limited_to_unit else everywhere

        self.form = FieldForm()
        self.received_on = self.form.add("received_on", "Ngày tiếp nhận", date_edit())
        self.unit = self.form.add("receiving_unit_id", "Đơn vị tiếp nhận", QComboBox())
        fill_units(self.unit, in_scope)
        self.channel = self.form.add("channel", "Kênh tiếp nhận", QComboBox())
        fill_reference(self.channel, lists[ReferenceList.CHANNEL])
        self.kind = self.form.add("kind", "Loại đơn, thư", QComboBox())
        fill_reference(self.kind, lists[ReferenceList.CASE_KIND])
        self.anonymous = self.form.add("anonymous", "", QCheckBox("Nặc danh (không rõ người phản ánh)"))
        self.reporter_name = self.form.add("reporter_name", "Người phản ánh: họ tên", QLineEdit())
        self.reporter_address = self.form.add("reporter_address", "Địa chỉ", QLineEdit())
        self.reporter_phone = self.form.add("reporter_phone", "Điện thoại", QLineEdit())
        self.identity_row = QHBoxLayout()
        self.identity_note = QLabel("Danh tính người phản ánh được mã hóa: chỉ cán bộ kiểm tra giữ khóa xem được.")
        self.identity_note.setStyleSheet("color: #555;")
        self.identity_note.setWordWrap(True)
        self.show_identity_button = QPushButton("Xem danh tính")
        self.replace_identity_button = QPushButton("Ghi lại danh tính")
        self.identity_row.addWidget(self.identity_note, 1)
        self.identity_row.addWidget(self.show_identity_button)
        self.identity_row.addWidget(self.replace_identity_button)
        self.form.addRow("", self.identity_row)
        self.reported_name = self.form.add("reported_name", "Người bị phản ánh", QLineEdit())
        self.reported_position = self.form.add("reported_position", "Chức vụ", QLineEdit())
        self.reported_unit = self.form.add("reported_unit_id", "Đơn vị công tác", QComboBox())
        fill_units(self.reported_unit, everywhere, first="— không ghi —", active_only=False)
        flags = QHBoxLayout()
        self.is_member = QCheckBox("Đảng viên")
        self.is_key_cadre = QCheckBox("Cán bộ chủ chốt")
        self.is_head = QCheckBox("Người đứng đầu")
        for box in (self.is_member, self.is_key_cadre, self.is_head):
            flags.addWidget(box)
        flags.addStretch(1)
        self.form.addRow("", flags)
        self.signs = self.form.add("signs", "Biểu hiện", SignPicker(lists[ReferenceList.SIGN]))
        self.summary = self.form.add("summary", "Tóm tắt nội dung", QPlainTextEdit())
        self.summary.setFixedHeight(70)
        self.warning = QLabel(styleSheet=WARN, wordWrap=True)
        self.warning.hide()
        self.form.addRow("", self.warning)
        self.files = QListWidget()
        self.files.setFixedHeight(60)
        self.add_file_button = QPushButton("Thêm tệp (bản quét đơn, ảnh)…")
        self.save_file_button = QPushButton("Lưu tệp ra…")
        file_box = QWidget()
        file_row = QHBoxLayout(file_box)
        file_row.setContentsMargins(0, 0, 0, 0)
        file_row.addWidget(self.files, 1)
        buttons_column = QVBoxLayout()
        buttons_column.addWidget(self.add_file_button)
        buttons_column.addWidget(self.save_file_button)
        buttons_column.addStretch(1)
        file_row.addLayout(buttons_column)
        self.form.add("attachments", "Tệp đính kèm", file_box)

        self.tabs = QTabWidget()
        intake = QWidget()
        QVBoxLayout(intake).addLayout(self.form)
        self.tabs.addTab(scrolling(intake), "Tiếp nhận")   # taller than a laptop screen: it scrolls
        self.handling = QWidget()
        self.handling_layout = QVBoxLayout(self.handling)
        self.state = QLabel(wordWrap=True)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.step_buttons = QHBoxLayout()
        self.handling_layout.addWidget(self.state)
        self.handling_layout.addLayout(self.step_buttons)
        self.handling_layout.addStretch(1)
        self.events = ListTableModel([
            Column("Ngày", lambda e: short_date(e.on)), Column("Người thực hiện", lambda e: e.username),
            Column("Bước", lambda e: e.step.label), Column("Nội dung", lambda e: e.detail),
            Column("Ghi chú", lambda e: e.note), Column("Lý do", lambda e: e.reason)], parent=self)
        self.history = row_table(self.events, [82, 90, 200, 380, 110])
        if case_id is not None:
            self.tabs.addTab(self.handling, "Xử lý")
            self.tabs.addTab(self.history, "Quá trình")

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

        self.anonymous.toggled.connect(self._anonymous_changed)
        self.summary.textChanged.connect(self._warn)
        self.reporter_name.textChanged.connect(self._warn)
        self.add_file_button.clicked.connect(self._choose_files)
        self.save_file_button.clicked.connect(self._save_file)
        self.show_identity_button.clicked.connect(self.show_identity)
        self.replace_identity_button.clicked.connect(self._replace_identity)
        self.reload()

    def extra_state(self) -> tuple:
        return tuple(name for name, _content in self.new_files)

    # ---- filling -------------------------------------------------------------------------------------
    def reload(self) -> None:
        actor = self.context.actor
        if self.case_id is not None:
            self.detail = cases.detail(self.context.db, actor, self.case_id)
            self._fill(self.detail)
        can_receive = actor.can(Permission.RECEIVE_CASES)
        editable = can_receive and (self.detail is None or (
            self.detail.status is not CaseStatus.CLOSED
            and (self.detail.status is CaseStatus.RECEIVED or actor.can(Permission.VIEW_IDENTITY))))
        self.editable = editable
        for widget in (self.received_on, self.unit, self.channel, self.kind, self.anonymous, self.reported_name,
                       self.reported_position, self.reported_unit, self.is_member, self.is_key_cadre, self.is_head,
                       self.signs, self.summary, self.add_file_button):
            widget.setEnabled(editable)
        self.save_button.setVisible(editable)
        stored = self.detail is not None and self.detail.has_identity
        holder = actor.can(Permission.VIEW_IDENTITY)
        self.show_identity_button.setVisible(stored and holder and not self.identity_shown)
        self.replace_identity_button.setVisible(stored and editable and not self.identity_shown)
        self.identity_note.setVisible(stored and not self.identity_shown)
        self.save_file_button.setVisible(holder and self.detail is not None and bool(self.detail.attachments))
        self._reporter_editable(editable and not stored or self.identity_shown)
        self.settled()   # reloaded from the register: nothing here is unsaved

    def _reporter_editable(self, on: bool) -> None:
        self.reporter_fields_open = on
        for edit in (self.reporter_name, self.reporter_address, self.reporter_phone):
            edit.setEnabled(on)
        self._anonymous_changed()

    def _fill(self, detail: cases.CaseDetail) -> None:
        data = detail.data
        self.setWindowTitle(f"Vụ việc số {detail.number} — {detail.status.label}")
        self.received_on.setDate(to_qdate(data.received_on))
        select_data(self.unit, data.receiving_unit_id)
        for combo, code in ((self.channel, data.channel), (self.kind, data.kind)):
            if combo.findData(code) < 0:   # retired since: still shown on the cases that carry it
                combo.addItem(f"{code} (ngừng dùng)", code)
            select_data(combo, code)
        self.anonymous.setChecked(data.anonymous)
        self.reported_name.setText(data.reported_name)
        self.reported_position.setText(data.reported_position)
        select_data(self.reported_unit, data.reported_unit_id)
        self.is_member.setChecked(data.reported_is_member)
        self.is_key_cadre.setChecked(data.reported_is_key_cadre)
        self.is_head.setChecked(data.reported_is_head)
        self.signs.set_codes(data.signs)
        self.summary.setPlainText(data.summary)
        self.files.clear()
        for line in detail.attachments:
            item = QListWidgetItem(f"{line.name or 'Tệp được bảo vệ'} ({line.size // 1024 + 1} KB, {line.added_by})")
            item.setData(Qt.ItemDataRole.UserRole, line.id)
            self.files.addItem(item)
        for name, content in self.new_files:
            self.files.addItem(f"{name} ({len(content) // 1024 + 1} KB, chưa lưu)")
        self.events.set_rows(detail.events)
        self.tabs.setTabText(2, f"Quá trình ({len(detail.events)})")
        self._fill_handling(detail)

    def _fill_handling(self, detail: cases.CaseDetail) -> None:
        lines = [f"<b>Trạng thái:</b> {detail.status.label}"]
        if detail.information_only:
            lines.append("Đơn tố cáo nặc danh: ghi nhận là thông tin, không giải quyết theo thủ tục tố cáo.")
        if detail.handling_body:
            lines.append(f"<b>Cơ quan {'nhận chuyển' if detail.regime and not detail.due_on else 'xác minh'}:</b> "
                         f"{detail.handling_body}")
        if detail.due_on:
            extended = f" (đã gia hạn {detail.extensions} lần)" if detail.extensions else ""
            lines.append(f"<b>Thụ lý:</b> {short_date(detail.accepted_on)} · <b>Thời hạn:</b> "
                         f"{short_date(detail.due_on)}{extended} — {detail.regime.label.lower()}")
        if detail.conclusion:
            lines.append(f"<b>Kết luận:</b> {detail.conclusion.label}")
        if detail.action:
            lines.append(f"<b>Hình thức xử lý:</b> {detail.action}")
        if detail.told_on:
            lines.append(f"<b>Đã thông tin kết quả:</b> ngày {short_date(detail.told_on)}, {detail.told_how}")
        if detail.duplicate_of:
            lines.append(f"<b>Trùng vụ việc:</b> {detail.duplicate_of}")
        self.state.setText("<br>".join(lines))
        while self.step_buttons.count():
            widget = self.step_buttons.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        allowed = case_workflow.steps_allowed(self.context.actor.role, detail.status, anonymous=detail.data.anonymous)
        for step in allowed:
            button = QPushButton(step.label + "…")
            button.setObjectName(f"step_{step.value}")
            button.clicked.connect(lambda _=False, s=step: self.take_step(s))
            self.step_buttons.addWidget(button)
        if not allowed:
            self.step_buttons.addWidget(QLabel("Vai trò của bạn không có bước nào để làm tiếp với vụ việc này."))
        self.step_buttons.addStretch(1)

    # ---- intake ------------------------------------------------------------------------------------------
    def _anonymous_changed(self) -> None:
        """Left editable either way: a name typed into an anonymous case is refused with its reason."""
        empty = ("(để trống: đơn nặc danh)" if self.anonymous.isChecked() else "") if self.reporter_fields_open \
            else PROTECTED
        for edit in (self.reporter_name, self.reporter_address, self.reporter_phone):
            edit.setPlaceholderText(empty)
        self._warn()

    def _replace_identity(self) -> None:
        self.identity_shown = True
        self.reload_identity(cases.Reporter())

    def reload_identity(self, reporter: cases.Reporter) -> None:
        self.reporter_name.setText(reporter.name)
        self.reporter_address.setText(reporter.address)
        self.reporter_phone.setText(reporter.phone)
        self.show_identity_button.hide()
        self.replace_identity_button.hide()
        self.identity_note.hide()
        self._reporter_editable(self.editable)

    def show_identity(self) -> bool:
        """Decrypt and show the reporter (audited); a locked key asks for the password first."""
        from app.ui.dialogs.case_keys import ensure_unlocked

        if not ensure_unlocked(self.context, self):
            return False
        try:
            detail = cases.detail(self.context.db, self.context.actor, self.case_id, with_identity=True)
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self.identity_shown = True
        self.detail = detail
        self.reload_identity(detail.data.reporter or cases.Reporter())
        self._fill(detail)
        self.save_file_button.setVisible(bool(detail.attachments))
        return True

    def _reporter(self) -> cases.Reporter | None:
        if not self.reporter_fields_open:
            return None
        return cases.Reporter(self.reporter_name.text(), self.reporter_address.text(), self.reporter_phone.text())

    def data(self) -> cases.CaseInput:
        return cases.CaseInput(
            received_on=to_date(self.received_on.date()), receiving_unit_id=self.unit.currentData(),
            channel=self.channel.currentData() or "", kind=self.kind.currentData() or "",
            anonymous=self.anonymous.isChecked(), reported_name=self.reported_name.text(),
            summary=self.summary.toPlainText(), reported_position=self.reported_position.text(),
            reported_unit_id=self.reported_unit.currentData(), reported_is_member=self.is_member.isChecked(),
            reported_is_key_cadre=self.is_key_cadre.isChecked(), reported_is_head=self.is_head.isChecked(),
            signs=self.signs.codes(), reporter=self._reporter(), attachments=list(self.new_files))

    def _warn(self) -> None:
        found = cases.warnings(self.data())
        self.warning.setText(" ".join(found))
        self.warning.setVisible(bool(found))

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Chọn bản quét đơn, ảnh", "",
                                                "Ảnh, PDF (*.jpg *.jpeg *.png *.pdf);;Mọi tệp (*)")
        for path in paths:
            self.attach(Path(path))

    def attach(self, path: Path) -> bool:
        try:
            line = read_attachment(path)
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self.new_files.append((line.name, line.data))
        self.files.addItem(f"{line.name} ({line.size // 1024 + 1} KB, chưa lưu)")
        return True

    def _save_file(self) -> Path | None:
        item = self.files.currentItem() or self.files.item(0)
        attachment_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        if attachment_id is None:
            return None
        try:
            name, content = cases.attachment(self.context.db, self.context.actor, attachment_id)
        except ServiceError as error:
            show_error(self, str(error))
            return None
        path, _ = QFileDialog.getSaveFileName(self, "Lưu tệp đính kèm", name)
        if not path:
            return None
        Path(path).write_bytes(content)
        return Path(path)

    def save(self) -> bool:
        """What the clerk may have missed is asked first (a name in the summary of an anonymous case)."""
        found = cases.warnings(self.data())
        if found and QMessageBox.question(self, "Kiểm tra trước khi lưu", " ".join(found) + "\n\nVẫn lưu?") \
                != QMessageBox.StandardButton.Yes:
            return False
        return super().save()

    def write(self) -> int:
        db, actor = self.context.db, self.context.actor
        if self.case_id is None:
            self.case_id = cases.receive(db, actor, self.data())
        else:
            cases.update(db, actor, self.case_id, self.data(), expected_version=self.detail.version)
        return self.case_id

    # ---- the workflow --------------------------------------------------------------------------------
    def take_step(self, step: CaseStep) -> StepDialog:
        dialog = StepDialog(self.context, self.detail, step, self)
        dialog.accepted.connect(self._after_step)
        dialog.open()
        return dialog

    def _after_step(self) -> None:
        self.new_files = []
        self.detail = cases.detail(self.context.db, self.context.actor, self.case_id)
        self._fill(self.detail)
        self.reload()


class StepDialog(FormDialog):
    """One step of the workflow with what it needs (a handling body, a conclusion, a reason…)."""

    def __init__(self, context: Context, detail: cases.CaseDetail, step: CaseStep, parent: QWidget | None = None):
        super().__init__(f"{step.label} — vụ việc {detail.number}", parent)
        self.context, self.detail, self.step = context, detail, step
        db, actor = context.db, context.actor
        self.on = self.add("on", "Ngày", date_edit())
        self.body = self.conclusion = self.action = self.told_how = self.duplicate_of = None
        if step in (CaseStep.ASSIGN, CaseStep.FORWARD):
            self.body = self.add("handling_body", "Cơ quan xác minh" if step is CaseStep.ASSIGN else "Chuyển đến",
                                 QComboBox())
            fill_reference(self.body, reference.items(db, actor, ReferenceList.HANDLING_BODY))
        if step is CaseStep.CONCLUDE:
            self.conclusion = self.add("conclusion", "Kết luận", QComboBox())
            self.conclusion.addItem("— chọn —", None)
            for value in Conclusion:
                self.conclusion.addItem(value.label, value.value)
        if step is CaseStep.ACT:
            self.action = self.add("action", "Hình thức xử lý", QComboBox())
            fill_reference(self.action, reference.items(db, actor, ReferenceList.ACTION))
        if step is CaseStep.TELL:
            self.told_how = self.add("told_how", "Cách thông tin", QLineEdit(
                placeholderText="Văn bản trả lời, gặp trực tiếp, điện thoại…"))
        if step is CaseStep.DUPLICATE:
            self.duplicate_of = self.add("duplicate_of", "Trùng vụ việc số", QLineEdit(
                placeholderText="0003/2026/BAOTHANG"))
        self.note = self.add("note", "Ghi chú", QLineEdit())
        self.reason = self.add("reason", "Lý do" + (" (bắt buộc)" if step in (CaseStep.EXTEND, CaseStep.REOPEN)
                                                    else ""), QLineEdit())
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(step.label)
        self._action = self.run_step

    def step_input(self) -> case_workflow.StepInput:
        return case_workflow.StepInput(
            on=to_date(self.on.date()), note=self.note.text(), reason=self.reason.text(),
            handling_body=self.body.currentData() if self.body else "",
            conclusion=Conclusion(self.conclusion.currentData()) if self.conclusion and self.conclusion.currentData()
            else None,
            action=self.action.currentData() if self.action else "",
            told_how=self.told_how.text() if self.told_how else "",
            duplicate_of=self.duplicate_of.text() if self.duplicate_of else "")

    def run_step(self) -> None:
        case_workflow.advance(self.context.db, self.context.actor, self.detail.id, self.step, self.step_input(),
                              expected_version=self.detail.version)


