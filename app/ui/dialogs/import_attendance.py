"""Điểm danh từ tệp: check the columns, match each row to a member (by hand where needed), then apply.

Applying only fills the session dialog's roster; nothing is written until that session is saved.
"""

from __future__ import annotations

from app.services.errors import ServiceError
from app.services.meetings import RosterLine
from app.services.meetings import attendance_import as ai
from app.services.sheets import Table
from app.ui import style
from app.ui.fit import within_screen
from app.ui.qt import (
    QBrush,
    QCheckBox,
    QColor,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import Column, ListTableModel
from app.ui.widgets.column_mapping import ColumnMappingBox
from app.ui.widgets.common import Context, row_table

BACKGROUNDS = {ai.BAD: QBrush(QColor("#fde2e2")), ai.AMBIGUOUS: QBrush(QColor("#fff4c2")),
               ai.UNMATCHED: QBrush(QColor("#fff4c2"))}
GREY = QBrush(QColor(style.MUTED))


def _verdict(row: ai.AttendanceRow, preview: ai.AttendancePreview) -> str:
    state = row.state
    if state == ai.SKIPPED:
        return f"Bỏ qua: {row.skipped}"
    if state == ai.BAD:
        return " ".join(row.errors)
    if state == ai.MATCHED:
        how = "ghép tay" if row.by_hand else "tự ghép"
        unmarked = "" if row.presence else " · tệp không ghi điểm danh: giữ nguyên"
        return f"{preview.member_label(row.person_id)} ({how}){unmarked}"
    if state in (ai.GUEST, ai.LEFT_OUT):
        return ai.STATE_LABELS[state]
    return row.problem


class ImportAttendanceDialog(QDialog):
    def __init__(self, context: Context, table: Table, roster: list[RosterLine],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.table, self.roster = context, table, roster
        self.preview: ai.AttendancePreview | None = None
        self.result_lines: list[RosterLine] | None = None
        self._by_hand: dict[int, tuple[str, int | None]] = {}  # line -> choice, kept when the mapping changes
        self.setWindowTitle(f"Điểm danh từ tệp — {table.name}")
        self.resize(*within_screen(1100, 700))

        self.column_box = ColumnMappingBox(table, ai.FIELDS, ai.mapping_at, ai.guess_mapping(table), ("full_name",),
                                           "1. Cột trong tệp (đã tự nhận ra; sửa nếu sai)")
        self.only_waiting = QCheckBox("Chỉ hiện các dòng cần ghép tay hoặc có lỗi")
        columns = [
            Column("Dòng", lambda r: r.line, align_right=True),
            Column("Họ và tên (tệp)", lambda r: r.name or (r.cells[0] if r.skipped else "")),
            Column("Năm sinh", lambda r: r.birth_year, align_right=True),
            Column("Chi bộ (tệp)", lambda r: r.unit_text or r.group_unit),
            Column("Điểm danh", lambda r: r.presence.label if r.presence else ""),
            Column("Lý do", lambda r: r.reason),
            Column("Kết quả", lambda r: _verdict(r, self.preview)),
        ]
        self.model = ListTableModel(columns, background=lambda r: BACKGROUNDS.get(r.state),
                                    colour=lambda r: GREY if r.state in (ai.SKIPPED, ai.LEFT_OUT) else None,
                                    parent=self)
        self.view = row_table(self.model, [50, 190, 75, 150, 120, 120], single=True)
        self.summary = QLabel()

        self.person = QComboBox()
        self.person.setMinimumWidth(360)
        self.match_button = QPushButton("Ghép")
        self.guest_button = QPushButton("Thêm làm khách mời")
        self.leave_out_button = QPushButton("Bỏ qua dòng này")
        self.undo_button = QPushButton("Trả lại như tệp")
        by_hand = QHBoxLayout()
        by_hand.addWidget(QLabel("Dòng đang chọn là:"))
        by_hand.addWidget(self.person, 1)
        for button in (self.match_button, self.guest_button, self.leave_out_button, self.undo_button):
            by_hand.addWidget(button)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(style.ERROR_STYLE)
        self.apply_button = QPushButton("Áp dụng vào danh sách điểm danh")
        self.apply_button.setDefault(True)
        close = QPushButton("Đóng")
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Chưa ghi gì: sau khi áp dụng, xem lại danh sách rồi bấm «Lưu» của hội nghị."))
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(close)

        preview_box = QGroupBox("2. Xem trước và ghép tay các dòng tô vàng")
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.only_waiting)
        preview_layout.addWidget(self.view, 1)
        preview_layout.addWidget(self.summary)
        preview_layout.addLayout(by_hand)
        layout = QVBoxLayout(self)
        layout.addWidget(self.column_box)
        layout.addWidget(preview_box, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.column_box.changed.connect(self.recheck)
        self.only_waiting.toggled.connect(self._show_rows)
        self.view.selectionModel().selectionChanged.connect(self._row_chosen)
        self.match_button.clicked.connect(lambda: self.match_selected(self.person.currentData()))
        self.guest_button.clicked.connect(self.add_selected_as_guest)
        self.leave_out_button.clicked.connect(self.leave_selected_out)
        self.undo_button.clicked.connect(lambda: self._choose("undo"))
        self.apply_button.clicked.connect(self.apply)
        close.clicked.connect(self.reject)
        self.recheck()

    # ---- the preview ----
    def recheck(self) -> None:
        self.message.clear()
        try:
            self.preview = ai.check(self.context.actor, self.table, self.column_box.mapping(), self.roster)
        except ServiceError as error:
            self.preview = None
            self.message.setText(str(error))
        else:
            for line, (choice, person_id) in list(self._by_hand.items()):
                try:
                    self._do(line, choice, person_id)
                except (ServiceError, StopIteration):  # that row no longer reads the same: the choice goes
                    del self._by_hand[line]
        self._show_rows()

    def _show_rows(self) -> None:
        preview = self.preview
        rows = [] if preview is None else (
            [row for row in preview.rows if row.waiting or row.state == ai.BAD] if self.only_waiting.isChecked()
            else preview.rows)
        self.model.set_rows(rows)
        if preview is None:
            self.summary.clear()
        else:
            count = {state: len(preview.in_state(state)) for state in ai.STATE_LABELS}
            self.summary.setText(
                f"{count[ai.MATCHED]} dòng đã ghép · {len(preview.waiting)} dòng cần ghép tay (tô vàng) · "
                f"{count[ai.BAD]} dòng lỗi (tô đỏ, không nhập) · {count[ai.GUEST]} khách mời · "
                f"{count[ai.LEFT_OUT] + count[ai.SKIPPED]} dòng bỏ qua")
        self.apply_button.setEnabled(preview is not None and not preview.waiting
                                     and bool(preview.in_state(ai.MATCHED, ai.GUEST)))
        self._row_chosen()

    def selected_row(self) -> ai.AttendanceRow | None:
        chosen = self.view.selectionModel().selectedRows()
        return self.model.row_at(chosen[0].row()) if chosen else None

    def select_line(self, line: int) -> None:
        index = next(i for i in range(self.model.rowCount()) if self.model.row_at(i).line == line)
        self.view.selectRow(index)

    def _row_chosen(self) -> None:
        """The people the selected row may be: those who fit first, then everybody on the roster."""
        row, preview = self.selected_row(), self.preview
        self.person.clear()
        usable = row is not None and row.state not in (ai.SKIPPED, ai.BAD)
        for widget in (self.person, self.match_button, self.guest_button, self.leave_out_button, self.undo_button):
            widget.setEnabled(usable)
        if not usable:
            return
        first = [pid for pid in row.candidates if pid in preview.members]
        rest = sorted((pid for pid in preview.members if pid not in first),
                      key=lambda pid: preview.members[pid].full_name)
        for pid in first + rest:
            self.person.addItem(preview.member_label(pid), pid)
        if row.person_id is not None:
            self.person.setCurrentIndex(self.person.findData(row.person_id))

    # ---- by hand ----
    def _do(self, line: int, choice: str, person_id: int | None) -> None:
        if choice == "match":
            ai.match_by_hand(self.preview, line, person_id)
        elif choice == "guest":
            ai.add_as_guest(self.preview, line)
        elif choice == "left_out":
            ai.leave_out(self.preview, line)
        else:
            ai.undo(self.preview, line)

    def _choose(self, choice: str, person_id: int | None = None) -> None:
        row = self.selected_row()
        if row is None:
            return
        self.message.clear()
        try:
            self._do(row.line, choice, person_id)
        except ServiceError as error:
            self.message.setText(str(error))
            return
        if choice == "undo":
            self._by_hand.pop(row.line, None)
        else:
            self._by_hand[row.line] = (choice, person_id)
        line = row.line
        self._show_rows()
        if any(self.model.row_at(i).line == line for i in range(self.model.rowCount())):
            self.select_line(line)

    def match_selected(self, person_id: int | None) -> None:
        if person_id is not None:
            self._choose("match", person_id)

    def add_selected_as_guest(self) -> None:
        self._choose("guest")

    def leave_selected_out(self) -> None:
        self._choose("left_out")

    # ---- the result ----
    def apply(self) -> None:
        try:
            self.result_lines = ai.apply(self.preview, self.roster)
        except ServiceError as error:
            self.message.setText(str(error))
            return
        self.accept()
