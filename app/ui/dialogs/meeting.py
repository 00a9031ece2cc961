"""The session dialog: the record, its roster, crowds and attachments; saved whole, in one transaction."""

from __future__ import annotations

import tempfile
from datetime import time
from pathlib import Path

from app.models.enums import AudienceGroup, MeetingForm, MeetingKind, MeetingStatus, Presence
from app.services import meetings, sheets, units
from app.services.auth import Permission
from app.services.errors import ServiceError, ValidationError
from app.services.meetings import CrowdLine, FileLine, MeetingInput, RosterLine
from app.services.scope import tree_in_scope
from app.services.search import fold
from app.ui import operations, style
from app.ui.dialogs.document import DocumentDialog
from app.ui.dialogs.import_attendance import ImportAttendanceDialog
from app.ui.dialogs.record import RecordDialog
from app.ui.dialogs.speaker import SpeakerDialog
from app.ui.qt import (
    QComboBox,
    QDesktopServices,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    Qt,
    QTabWidget,
    QTime,
    QTimeEdit,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import (
    Context,
    confirm,
    date_edit,
    fill_units,
    select_data,
    show_error,
    to_date,
    to_qdate,
)
from app.ui.widgets.document_picker import DocumentPicker
from app.ui.widgets.forms import FieldForm
from app.ui.widgets.roster import RosterModel, RosterView
from app.ui.widgets.speaker_picker import SpeakerPicker

NO_TIME = QTime(0, 0)


def _time_edit(value: time | None) -> QTimeEdit:
    edit = QTimeEdit()
    edit.setDisplayFormat("HH:mm")
    edit.setMinimumTime(NO_TIME)
    edit.setSpecialValueText("--:--")          # 00:00 stands for "not given"
    edit.setTime(QTime(value.hour, value.minute) if value else NO_TIME)
    return edit


def _time_of(edit: QTimeEdit) -> time | None:
    value = edit.time()
    return None if value == NO_TIME else time(value.hour(), value.minute())


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(style.ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class MeetingDialog(RecordDialog):
    def __init__(self, context: Context, meeting_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(context, parent, editable=context.actor.can(Permission.EDIT_MEETINGS), size=(960, 720),
                         title="Thêm hội nghị, buổi sinh hoạt" if meeting_id is None else "Hội nghị, buổi sinh hoạt")
        self.meeting_id = meeting_id
        self.version: int | None = None
        self._loading = True

        self.tabs = QTabWidget()
        self.tabs.addTab(self._general_tab(), "Thông tin chung")
        self.tabs.addTab(self._roster_tab(), "Điểm danh")
        self.tabs.addTab(self._crowd_tab(), "Quần chúng")
        self.tabs.addTab(self._files_tab(), "Tệp đính kèm")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

        if meeting_id is None:
            self._fill_new()
        else:
            self._fill(meetings.get(context.db, context.actor, meeting_id))
        self._loading = False
        self._refresh_roster()

    # ---- tabs ---------------------------------------------------------------------------------
    def _general_tab(self) -> QWidget:
        self.form = FieldForm()
        self.title_edit = self.form.add("title", "Tên hội nghị", QLineEdit(placeholderText="Hội nghị học tập, quán triệt…"))
        self.held_on = self.form.add("held_on", "Ngày tổ chức", date_edit())
        times = QWidget()
        row = QHBoxLayout(times)
        row.setContentsMargins(0, 0, 0, 0)
        self.starts_at, self.ends_at = _time_edit(None), _time_edit(None)
        row.addWidget(QLabel("từ"))
        row.addWidget(self.starts_at)
        row.addWidget(QLabel("đến"))
        row.addWidget(self.ends_at)
        row.addStretch(1)
        self.form.add("ends_at", "Thời gian", times)
        self.unit = self.form.add("unit_id", "Đơn vị tổ chức", QComboBox())
        self.member_units = self.form.add("unit_ids", "Chi bộ dự họp", QListWidget())
        self.member_units.setFixedHeight(96)
        self.member_units.setToolTip("Đảng viên đang sinh hoạt ở các chi bộ được đánh dấu là người phải dự.")
        self.kind = self.form.add("kind", "Loại", QComboBox())
        for kind in MeetingKind:
            self.kind.addItem(kind.label, kind)
        form_row = QWidget()
        row = QHBoxLayout(form_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.form_combo = QComboBox()
        for form in MeetingForm:
            self.form_combo.addItem(form.label, form)
        self.bridge_points = QSpinBox(minimum=0, maximum=9999)
        self.bridge_points.setSpecialValueText("—")
        row.addWidget(self.form_combo)
        row.addWidget(QLabel("Số điểm cầu"))
        row.addWidget(self.bridge_points)
        row.addStretch(1)
        self.form.add("bridge_points", "Hình thức", form_row)
        self.place = self.form.add("place", "Địa điểm", QLineEdit())
        self.chair = self.form.add("chair", "Chủ trì", QLineEdit())
        self.presenters = self.form.add("presenters", "Báo cáo viên", SpeakerPicker(
            self.context, editable=self.editable, register_new=SpeakerDialog.register_new(self.context)))
        self.documents = self.form.add("document_ids", "Văn bản phổ biến",
                                       DocumentPicker(self.context, editable=self.editable,
                                                      register_new=DocumentDialog.register_new(self.context)))
        self.audience = self.form.add("audience", "Thành phần", QLineEdit(placeholderText="Đảng viên chi bộ; Nhân dân thôn…"))
        self.status = self.form.add("status", "Trạng thái", QComboBox())
        for status in MeetingStatus:
            self.status.addItem(status.label, status)
        self.notes = self.form.add("notes", "Ghi chú", QPlainTextEdit())
        self.notes.setFixedHeight(46)

        fill_units(self.unit, tree_in_scope(self.context.db, self.context.actor))
        self.held_on.dateChanged.connect(self._units_changed)
        self.unit.currentIndexChanged.connect(self._units_changed)
        self.member_units.itemChanged.connect(lambda _item: self._refresh_roster())
        self.form_combo.currentIndexChanged.connect(self._form_changed)
        page = QWidget()
        page.setLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        return scroll

    def _roster_tab(self) -> QWidget:
        self.roster = RosterModel(self)
        self.roster.editable = self.editable
        self.roster_view = RosterView(self.roster)
        self.roster_summary = QLabel()
        self.roster_errors = _error_label()
        hint = QLabel("Phím trong danh sách: gõ tên để tìm (không cần dấu) · 1 Có mặt, 3 Vắng không lý do (rồi "
                      "sang người sau) · 2 Vắng có lý do: gõ lý do, Enter · Cách: đổi lần lượt · F2: ghi lý do của "
                      "người đang chọn · Esc: thôi sửa lý do")
        hint.setStyleSheet("color: #555;")
        hint.setWordWrap(True)
        self.all_present_button = QPushButton("Tất cả có mặt")
        self.guest_name = QLineEdit(placeholderText="Họ tên khách mời")
        self.guest_note = QLineEdit(placeholderText="Đơn vị, chức vụ")
        add_guest = QPushButton("Thêm khách mời")
        remove = QPushButton("Bỏ dòng")
        self.import_button = QPushButton("Điểm danh từ tệp…")
        self.import_button.setToolTip("Lấy điểm danh từ tệp .xlsx/.csv do phần mềm khác hoặc xã xuất ra")
        self.import_button.clicked.connect(self._ask_for_attendance_file)
        self.roster_note = QLabel()
        self.roster_note.setWordWrap(True)
        for widget in (self.all_present_button, add_guest, remove, self.guest_name, self.guest_note,
                       self.import_button):
            widget.setEnabled(self.editable)
        self.all_present_button.clicked.connect(self.roster.all_present)
        add_guest.clicked.connect(self.add_guest)
        remove.clicked.connect(self.remove_line)
        self.print_button = QPushButton("In danh sách ký tên… (Ctrl+P)")
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.clicked.connect(self._ask_where_to_print)
        self.printed = QLabel()
        self.roster.marksChanged.connect(lambda: self.roster_summary.setText(self.roster.summary()))
        tools = QHBoxLayout()
        tools.addWidget(self.all_present_button)
        tools.addWidget(self.import_button)
        tools.addStretch(1)
        tools.addWidget(self.guest_name, 2)
        tools.addWidget(self.guest_note, 2)
        tools.addWidget(add_guest)
        tools.addWidget(remove)
        printing = QHBoxLayout()
        printing.addWidget(self.print_button)
        printing.addWidget(self.printed, 1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(hint)
        layout.addWidget(self.roster_view, 1)
        layout.addWidget(self.roster_summary)
        layout.addWidget(self.roster_note)
        layout.addWidget(self.roster_errors)
        layout.addLayout(tools)
        layout.addLayout(printing)
        return page

    def _crowd_tab(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout()
        for column, title in enumerate(["Nhóm", "Tổng số", "Trong đó nữ", "Dân tộc thiểu số"]):
            grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        self.crowd_boxes: dict[AudienceGroup, tuple[QSpinBox, QSpinBox, QSpinBox]] = {}
        for row, group in enumerate(AudienceGroup, start=1):
            grid.addWidget(QLabel(group.label), row, 0)
            boxes = tuple(QSpinBox(minimum=0, maximum=1_000_000) for _ in range(3))
            for column, box in enumerate(boxes, start=1):
                box.setEnabled(self.editable)
                grid.addWidget(box, row, column)
            self.crowd_boxes[group] = boxes
        self.crowd_errors = _error_label()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Quần chúng được đếm, không ghi tên: tổng số, số nữ, số người dân tộc thiểu số."))
        layout.addLayout(grid)
        layout.addWidget(self.crowd_errors)
        layout.addStretch(1)
        return page

    def _files_tab(self) -> QWidget:
        page = QWidget()
        self.files = QListWidget()
        self.files_errors = _error_label()
        add, open_, remove = QPushButton("Thêm tệp…"), QPushButton("Mở"), QPushButton("Bỏ")
        add.setEnabled(self.editable)
        remove.setEnabled(self.editable)
        add.clicked.connect(self._ask_for_file)
        open_.clicked.connect(lambda: self.open_file(self.files.currentRow()))
        remove.clicked.connect(lambda: self.files.takeItem(self.files.currentRow()))
        self.files.itemDoubleClicked.connect(lambda item: self.open_file(self.files.row(item)))
        buttons = QHBoxLayout()
        for button in (add, open_, remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Biên bản, ảnh hội nghị… được lưu trong cơ sở dữ liệu, đi cùng bản sao lưu."))
        layout.addWidget(self.files, 1)
        layout.addWidget(self.files_errors)
        layout.addLayout(buttons)
        return page

    # ---- filling --------------------------------------------------------------------------------
    def _fill_new(self) -> None:
        select_data(self.unit, self.context.actor.unit_id)
        self.status.setCurrentIndex(self.status.findData(MeetingStatus.HELD))
        self._units_changed()
        self._form_changed()

    def _fill(self, detail: meetings.MeetingDetail) -> None:
        data = detail.data
        self.version = detail.version
        self.title_edit.setText(data.title)
        self.held_on.setDate(to_qdate(data.held_on))
        self.starts_at.setTime(QTime(data.starts_at.hour, data.starts_at.minute) if data.starts_at else NO_TIME)
        self.ends_at.setTime(QTime(data.ends_at.hour, data.ends_at.minute) if data.ends_at else NO_TIME)
        if self.unit.findData(data.unit_id) < 0:   # a unit since merged away still shows its own sessions
            nodes = units.tree(self.context.db, self.context.actor, data.held_on)
            self.unit.addItem(next((n.name for n in nodes if n.id == data.unit_id), "?"), data.unit_id)
        select_data(self.unit, data.unit_id)
        self._fill_member_units(data.unit_ids)
        select_data(self.kind, data.kind)
        select_data(self.form_combo, data.form)
        self.bridge_points.setValue(data.bridge_points or 0)
        self.place.setText(data.place)
        self.chair.setText(data.chair)
        self.audience.setText(data.audience)
        select_data(self.status, data.status)
        self.notes.setPlainText(data.notes)
        self.presenters.set_lines(data.presenters)
        self.documents.set_ids(data.document_ids)
        for line in data.crowds:
            for box, value in zip(self.crowd_boxes[line.kind], (line.total, line.women, line.minority), strict=True):
                box.setValue(value)
        for line in data.files:
            self._add_file_item(line)
        self.roster.set_lines(data.roster)
        self._form_changed()
        self.setWindowTitle(f"{data.title} — {data.held_on:%d/%m/%Y}")

    def _fill_member_units(self, checked: list[int] | None = None) -> None:
        """Under a đảng bộ, the chi bộ to choose from; a chi bộ's own session needs no choice."""
        self.member_units.blockSignals(True)
        self.member_units.clear()
        unit_id, on = self.unit.currentData(), to_date(self.held_on.date())
        choices = meetings.member_unit_choices(self.context.db, self.context.actor, unit_id, on) if unit_id else []
        for node in choices:
            item = QListWidgetItem(f"{node.name}  ({node.code})")   # two villages may share a name
            item.setData(Qt.ItemDataRole.UserRole, node.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if checked and node.id in checked else Qt.CheckState.Unchecked)
            self.member_units.addItem(item)
        holds_members = not choices and bool(meetings.units_for(self.context.db, self.context.actor, unit_id, on)
                                             if unit_id else False)
        self.member_units.setVisible(not holds_members)
        self.form.labelForField(self.member_units.parentWidget()).setVisible(not holds_members)
        self.member_units.blockSignals(False)

    def chosen_units(self) -> list[int]:
        unit_id = self.unit.currentData()
        if unit_id is None:
            return []
        if self.member_units.count() == 0:
            return meetings.units_for(self.context.db, self.context.actor, unit_id, to_date(self.held_on.date()))
        return [self.member_units.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.member_units.count())
                if self.member_units.item(row).checkState() == Qt.CheckState.Checked]

    def _units_changed(self) -> None:
        if self._loading and self.meeting_id is not None:
            return
        self._fill_member_units(self.chosen_units() if self.member_units.count() else None)
        self._refresh_roster()

    def _refresh_roster(self) -> None:
        """Expected members for the date and units, keeping marks already made."""
        if self._loading:
            return
        unit_ids, on = self.chosen_units(), to_date(self.held_on.date())
        try:
            expected = meetings.expected_roster(self.context.db, self.context.actor, unit_ids, on)
        except ServiceError as error:
            self.roster_errors.setText(str(error))
            self.roster_errors.show()
            return
        self.roster.set_lines(meetings.merge_roster(self.roster.lines, expected))
        self.tabs.setTabText(1, f"Điểm danh ({len(self.roster.lines)})")

    def _form_changed(self) -> None:
        form = self.form_combo.currentData()   # Qt hands enums back as plain strings
        self.bridge_points.setEnabled(self.editable and form is not None and MeetingForm(form).has_bridge_points)

    # ---- documents, guests, files -----------------------------------------------------------------
    def add_guest(self) -> None:
        name = self.guest_name.text().strip()
        if not name:
            self.guest_name.setFocus()
            return
        member = next((row for row, line in enumerate(self.roster.lines)
                       if not line.is_guest and fold(line.full_name) == fold(name)), None)
        if member is not None:   # a member typed as a guest would be counted twice and his absence kept
            line = self.roster.lines[member]
            if confirm(self, f"«{line.full_name}» là đảng viên có trong danh sách ({line.unit_name}). Đánh dấu "
                             "đồng chí có mặt, thay vì thêm thành khách mời?", "Đã có trong danh sách"):
                self.roster.mark([member], Presence.PRESENT)
                self.roster_view.go_to(member)
                self.guest_name.clear()
                self.guest_note.clear()
                return
        row = self.roster.add_guest(RosterLine(guest_name=name, guest_note=self.guest_note.text().strip()))
        self.roster_view.go_to(row)
        self.guest_name.clear()
        self.guest_note.clear()

    def remove_line(self) -> None:
        """Guests, and members no longer in the unit, can be taken off; expected members cannot."""
        for row in reversed(self.roster_view.selected_rows()):
            line = self.roster.lines[row]
            if line.is_guest or not line.expected:
                self.roster.remove(row)

    def _ask_for_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp đính kèm", str(Path.home()),
                                              "Ảnh, văn bản (*.pdf *.jpg *.jpeg *.png *.doc *.docx);;Mọi tệp (*)")
        if path:
            self.attach(Path(path))

    def attach(self, path: Path) -> bool:
        self.files_errors.hide()
        try:
            line = meetings.read_attachment(path)
        except ValidationError as error:
            self.files_errors.setText(str(error))
            self.files_errors.show()
            return False
        self._add_file_item(line)
        return True

    def _add_file_item(self, line: FileLine) -> None:
        item = QListWidgetItem(f"{line.name}  ({max(1, line.size // 1024)} KB)")
        item.setData(Qt.ItemDataRole.UserRole, line)
        self.files.addItem(item)

    def file_lines(self) -> list[FileLine]:
        return [self.files.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.files.count())]

    def open_file(self, row: int) -> Path | None:
        """Write the attachment to a temporary file and open it with the system's viewer."""
        if not 0 <= row < self.files.count():
            return None
        line: FileLine = self.files.item(row).data(Qt.ItemDataRole.UserRole)
        try:
            data = line.data if line.data is not None else meetings.file_bytes(
                self.context.db, self.context.actor, self.meeting_id, line.sha256)
        except ServiceError as error:
            show_error(self, str(error))
            return None
        folder = Path(tempfile.mkdtemp(prefix="sotuyengiao-"))
        target = folder / line.name
        target.write_bytes(data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        return target

    def _ask_for_attendance_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp điểm danh", str(Path.home()),
                                              "Bảng tính (*.xlsx *.xlsm *.csv *.txt);;Mọi tệp (*)")
        if path:
            self.import_attendance(Path(path))

    def import_attendance(self, path: Path) -> ImportAttendanceDialog | None:
        """The file's marks, once matched and checked in their own dialog, fill the roster (not yet saved)."""
        self.roster_note.clear()
        try:
            table = operations.run(self, f"Đang đọc tệp {path.name}…", lambda _progress: sheets.read_table(path))
        except ServiceError as error:   # unreadable, or stopped
            show_error(self, str(error))
            return None
        dialog = ImportAttendanceDialog(self.context, table, list(self.roster.lines), self)
        dialog.accepted.connect(lambda: self._attendance_imported(dialog))
        dialog.open()
        return dialog

    def _attendance_imported(self, dialog: ImportAttendanceDialog) -> None:
        self.roster.set_lines(dialog.result_lines)
        self.tabs.setTabText(1, f"Điểm danh ({len(self.roster.lines)})")
        self.tabs.setCurrentIndex(1)
        self.roster_note.setText(f"Đã lấy điểm danh từ tệp «{dialog.table.name}». Xem lại rồi bấm «Lưu» để ghi.")

    def _ask_where_to_print(self) -> None:
        name = f"danh-sach-ky-ten-{to_date(self.held_on.date()):%Y-%m-%d}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Lưu danh sách ký tên", str(Path.home() / name), "PDF (*.pdf)")
        if path:
            self.print_sign_in(Path(path))

    def print_sign_in(self, path: Path) -> bool:
        """The sign-in sheet of the session as it stands in the dialog (saved or not), as a PDF."""
        from app.reports import signin  # ReportLab loads only when something is printed

        try:
            signin.render(signin.build(self.context.db, self.context.actor, self.data()), path)
        except (ServiceError, OSError) as error:
            show_error(self, f"Không lưu được danh sách ký tên: {error}")
            return False
        self.printed.setText(f"Đã lưu: {path}")
        return True

    # ---- saving -----------------------------------------------------------------------------------
    def extra_state(self) -> tuple:
        return tuple(self.roster.lines)

    def data(self) -> MeetingInput:
        crowds = [CrowdLine(group, *(box.value() for box in boxes)) for group, boxes in self.crowd_boxes.items()]
        return MeetingInput(
            unit_id=self.unit.currentData(), held_on=to_date(self.held_on.date()), title=self.title_edit.text(),
            kind=self.kind.currentData(), form=self.form_combo.currentData(), status=self.status.currentData(),
            starts_at=_time_of(self.starts_at), ends_at=_time_of(self.ends_at),
            bridge_points=self.bridge_points.value() or None, place=self.place.text(), chair=self.chair.text(),
            audience=self.audience.text(), notes=self.notes.toPlainText(), unit_ids=self.chosen_units(),
            document_ids=self.documents.ids(), presenters=self.presenters.lines(), roster=list(self.roster.lines), crowds=crowds,
            files=self.file_lines())

    def write(self) -> int:
        db, actor = self.context.db, self.context.actor
        if self.meeting_id is None:
            return meetings.create(db, actor, self.data())
        meetings.update(db, actor, self.meeting_id, self.data(), expected_version=self.version)
        return self.meeting_id

    def clear_errors(self) -> None:
        self.form.clear_errors()
        for label in (self.roster_errors, self.crowd_errors, self.files_errors):
            label.clear()
            label.hide()
        self.roster.set_errors({})

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """Each message where it belongs; the first tab with one comes to the front."""
        roster = {k: v for k, v in errors.items() if k.startswith("roster")}
        crowd = [v for k, v in errors.items() if k.startswith("crowd.")]
        files = [v for k, v in errors.items() if k == "files"]
        rest = {k: v for k, v in errors.items() if not k.startswith(("roster", "crowd.")) and k != "files"}
        unplaced = self.form.show_errors(rest)
        for label, messages in ((self.roster_errors, list(roster.values())), (self.crowd_errors, crowd),
                                (self.files_errors, files)):
            if messages:
                label.setText("\n".join(messages[:8]) + ("\n…" if len(messages) > 8 else ""))
                label.show()
        self.roster.set_errors({int(k.split(".")[1]) - 1: v for k, v in roster.items() if "." in k})
        first_tab = 0 if rest else 1 if roster else 2 if crowd else 3 if files else 0
        self.tabs.setCurrentIndex(first_tab)
        return unplaced

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        # Enter saves from the form; inside the roster it belongs to the table.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.roster_view.hasFocus():
            return
        super().keyPressEvent(event)
