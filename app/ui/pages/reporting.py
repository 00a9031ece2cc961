"""Tình hình báo cáo: which offices below have sent their periodic report (on time, late, returned, not
yet), at the reporting and on-time rates; printed as a table and a workbook, with a letter to those still
owing. Beside it, the register of reports received, where a leader approves one or returns it."""

from __future__ import annotations

from pathlib import Path

from app import clock
from app.reports.completeness import cell_text
from app.services import completeness, profile, received, report_register
from app.services.auth import Permission
from app.services.errors import ServiceError
from app.services.numbers import percent_text, short_date
from app.services.period import Period
from app.ui.pages.base import ClockDefault, CurrentPage
from app.ui.qt import (
    QBrush,
    QColor,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import Context, confirm, show_error
from app.ui.widgets.forms import run_action

KINDS = [("thang", "Báo cáo tháng"), ("quy", "Báo cáo quý"), ("6thang", "Báo cáo 6 tháng"),
         ("9thang", "Báo cáo 9 tháng"), ("nam", "Báo cáo năm")]
COLOURS = {completeness.ON_TIME: "#dff0d8", completeness.LATE: "#fcf3cf", completeness.RETURNED: "#fde2cf",
           completeness.MISSING: "#f8d7da", completeness.NOT_DUE: "#ffffff", completeness.NOT_OWED: "#eeeeee"}
RECEIVED_COLUMNS = ["Số", "Đơn vị", "Kỳ báo cáo", "Ngày báo cáo", "Ngày nhận", "Người ký", "Tình trạng"]


class ReportingPage(CurrentPage):
    title = "Tình hình báo cáo"
    watches = ("issued_report", "report_decision", "report_receipt", "report_duty", "unit", "unit_version")

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.kind = QComboBox()
        for value, label in KINDS:
            self.kind.addItem(label, value)
        self.year = QSpinBox(minimum=2000, maximum=2100)
        self.part = QSpinBox()
        self.count = QSpinBox(minimum=1, maximum=completeness.MAX_PERIODS, suffix=" kỳ")
        self.count.setValue(3)
        self.count.setToolTip("Số kỳ liền nhau xem cùng lúc, đến kỳ đã chọn")
        # Last month's reports by default: the ones being chased now.
        self.clock_defaults = [ClockDefault(self.year.value, self.year.setValue, lambda today: _last_month(today)[0]),
                               ClockDefault(self.part.value, self.part.setValue, lambda today: _last_month(today)[1])]
        self.matrix_table = QTableWidget(0, 0)
        self.matrix_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.matrix_table.verticalHeader().setVisible(False)
        self.rates = QLabel(wordWrap=True)
        self.rates.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty = QLabel(wordWrap=True)
        self.buttons = {key: QPushButton(text) for key, text in (
            ("pdf", "Lưu biểu PDF…"), ("xlsx", "Lưu Excel…"), ("letter", "Công văn đôn đốc…"))}
        self.received_table = QTableWidget(0, len(RECEIVED_COLUMNS))
        self.received_table.setHorizontalHeaderLabels(RECEIVED_COLUMNS)
        self.received_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.received_table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.received_table.horizontalHeader().setStretchLastSection(True)
        self.received_table.verticalHeader().setVisible(False)
        self.received_empty = QLabel("Chưa nhận báo cáo nào của cấp dưới. Báo cáo đơn vị cấp dưới ban hành đến cùng gói "
                                     "trao đổi dữ liệu (trang «Trao đổi dữ liệu»).", wordWrap=True)
        self.received_buttons = {key: QPushButton(text) for key, text in (
            ("save", "Lưu bản báo cáo (PDF)…"), ("approve", "Duyệt"), ("return", "Trả lại…"))}
        can_decide = context.actor.can(Permission.ISSUE_REPORTS)
        for key in ("approve", "return"):
            self.received_buttons[key].setVisible(can_decide)
        self.received_buttons["return"].setToolTip("Trả lại để đơn vị sửa và ban hành báo cáo sửa đổi: ghi rõ cần sửa gì")
        self.matrix: completeness.Completeness | None = None
        self.received_rows: list[received.ReceivedRow] = []
        self._build_layout()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for spin in (self.year, self.part, self.count):
            spin.valueChanged.connect(self.refresh)
        self.buttons["pdf"].clicked.connect(lambda: self._ask_save("pdf"))
        self.buttons["xlsx"].clicked.connect(lambda: self._ask_save("xlsx"))
        self.buttons["letter"].clicked.connect(self._ask_letter)
        self.received_buttons["save"].clicked.connect(self._ask_save_received)
        self.received_buttons["approve"].clicked.connect(self._approve)
        self.received_buttons["return"].clicked.connect(self._ask_return)
        self._kind_changed()

    def _build_layout(self) -> None:
        choose = QHBoxLayout()
        for widget in (QLabel("Loại"), self.kind, QLabel("Năm"), self.year, self.part, self.count):
            choose.addWidget(widget)
        choose.addStretch(1)
        for key in ("pdf", "xlsx", "letter"):
            choose.addWidget(self.buttons[key])
        matrix_tab = QWidget()
        matrix_layout = QVBoxLayout(matrix_tab)
        matrix_layout.addWidget(self.empty)
        matrix_layout.addWidget(self.matrix_table, 1)
        matrix_layout.addWidget(self.rates)
        received_tab = QWidget()
        received_layout = QVBoxLayout(received_tab)
        received_layout.addWidget(self.received_empty)
        received_layout.addWidget(self.received_table, 1)
        row = QHBoxLayout()
        for key in ("save", "approve", "return"):
            row.addWidget(self.received_buttons[key])
        row.addStretch(1)
        received_layout.addLayout(row)
        self.tabs = QTabWidget()
        self.tabs.addTab(matrix_tab, "Đơn vị đã gửi, chưa gửi")
        self.tabs.addTab(received_tab, "Sổ báo cáo đã nhận")
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.tabs, 1)

    # ---- the period chosen -------------------------------------------------------------------------
    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.part.blockSignals(True)
        self.part.setVisible(kind in ("thang", "quy"))
        self.part.setRange(1, 12 if kind == "thang" else 4)
        self.part.setPrefix("Tháng " if kind == "thang" else "Quý ")
        self.part.blockSignals(False)
        self.refresh()

    def last_period(self) -> Period:
        kind, year, part = self.kind.currentData(), self.year.value(), self.part.value()
        return Period.parse(kind, f"{year}-{part}" if kind in ("thang", "quy") else str(year))

    # ---- reading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        kind = self.kind.currentData()
        try:
            periods = completeness.periods_ending(kind, self.last_period(), self.count.value())
            self.matrix = completeness.completeness(self.context.db, self.context.actor, kind, periods)
            self.received_rows = received.register(self.context.db, self.context.actor)
        except ServiceError as error:
            self.matrix, self.received_rows = None, []
            self.empty.setText(str(error))
        self._show_matrix()
        self._show_received()

    def _show_matrix(self) -> None:
        matrix = self.matrix
        table = self.matrix_table
        lines = matrix.lines if matrix else ()
        table.setRowCount(len(lines))
        periods = matrix.periods if matrix else ()
        table.setColumnCount(1 + len(periods))
        table.setHorizontalHeaderLabels(["Đơn vị", *(f"{p.label[:1].upper()}{p.label[1:]}\n(hạn {short_date(d)})"
                                                     for p, d in zip(periods, matrix.due if matrix else (), strict=True))])
        for row, line in enumerate(lines):
            table.setItem(row, 0, QTableWidgetItem(line.name))
            for column, cell in enumerate(line.cells, start=1):
                item = QTableWidgetItem(cell_text(cell))
                item.setBackground(QBrush(QColor(COLOURS[cell.state])))
                if cell.report is not None:
                    item.setToolTip(f"Báo cáo số {cell.report.number_text} ngày {short_date(cell.report.made_on)}, "
                                    f"nhận {short_date(cell.report.received_on)}: {cell.report.state}")
                table.setItem(row, column, item)
        table.resizeColumnsToContents()
        table.setColumnWidth(0, min(table.columnWidth(0), 300))
        has_lines = bool(lines)
        table.setVisible(has_lines)
        for key in ("pdf", "xlsx"):
            self.buttons[key].setEnabled(has_lines)
        self.buttons["letter"].setEnabled(bool(matrix and matrix.missing()))
        self.empty.setVisible(not has_lines)
        if matrix is not None and not has_lines:
            self.empty.setText(f"Không có đơn vị cấp dưới nào phải gửi báo cáo bằng văn bản cho {matrix.office_name} "
                               "(chỉ các đảng bộ, chi bộ cơ sở trực thuộc gửi báo cáo định kỳ).")
        if matrix is None or not has_lines:
            self.rates.setText("")
            return
        said = []
        for period, rates in zip(matrix.periods, matrix.rates, strict=True):
            said.append(f"<b>{period.label}</b>: đã gửi {rates.received}/{rates.expected} đơn vị — tỷ lệ báo cáo "
                        f"{percent_text(rates.reporting_rate)}, đúng hạn {rates.on_time} — tỷ lệ đúng hạn "
                        f"{percent_text(rates.on_time_rate)}" + (f"; {rates.returned} bị trả lại" if rates.returned else ""))
        self.rates.setText("<br/>".join(said) + "<br/><i>Tỷ lệ tính trên số đơn vị phải báo cáo; báo cáo bị trả lại vẫn "
                           "tính là đã gửi.</i>")

    def _show_received(self) -> None:
        rows = self.received_rows
        table = self.received_table
        table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            values = [row.number_text, row.office_name, row.period_label, short_date(row.made_on),
                      short_date(row.received_on), row.signer, row.state]
            for column, value in enumerate(values):
                table.setItem(index, column, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        table.setVisible(bool(rows))
        self.received_empty.setVisible(not rows)
        for button in self.received_buttons.values():
            button.setEnabled(bool(rows))

    def selected_received(self) -> received.ReceivedRow | None:
        index = self.received_table.currentRow()
        if not 0 <= index < len(self.received_rows):
            show_error(self, "Hãy chọn một báo cáo trong sổ.")
            return None
        return self.received_rows[index]

    # ---- deciding ----------------------------------------------------------------------------------
    def _approve(self) -> bool:
        row = self.selected_received()
        if row is None or not confirm(self, f"Duyệt báo cáo số {row.number_text} của {row.office_name} "
                                            f"({row.period_label})? Quyết định được gửi xuống đơn vị trong gói trao đổi "
                                            "tiếp theo."):
            return False
        return self.decide(row, approved=True)

    def _ask_return(self) -> bool:
        row = self.selected_received()
        if row is None:
            return False
        comment, ok = QInputDialog.getMultiLineText(self, "Trả lại báo cáo",
                                                    f"Trả lại báo cáo số {row.number_text} của {row.office_name}: "
                                                    "ghi rõ cần sửa, bổ sung những gì.")
        return ok and self.decide(row, approved=False, comment=comment)

    def decide(self, row: received.ReceivedRow, *, approved: bool, comment: str = "") -> bool:
        done = run_action(None, self, lambda: received.decide(self.context.db, self.context.actor, row.id,
                                                              approved=approved, comment=comment),
                          place=lambda errors: list(errors.values()))
        if done:
            self.refresh()
        return done

    # ---- printing ----------------------------------------------------------------------------------
    def _office(self):
        office = profile.for_actor(self.context.db, self.context.actor, clock.today())
        if office is None:
            show_error(self, "Chưa có thông tin cơ quan: hãy nhập ở trang «Thông tin cơ quan» trước.")
        return office

    def _ask_save(self, suffix: str) -> None:
        if self.matrix is None:
            return
        name = f"tinh-hinh-bao-cao-{self.matrix.periods[-1].key.replace(':', '-')}.{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, "Lưu biểu tình hình gửi báo cáo", str(Path.home() / name),
                                              "PDF (*.pdf)" if suffix == "pdf" else "Bảng tính Excel (*.xlsx)")
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> bool:
        from app.reports import completeness as sheet
        from app.reports import output

        office = self._office()
        if office is None or self.matrix is None:
            return False
        render = sheet.render_xlsx if path.suffix.lower() == ".xlsx" else sheet.render_pdf
        output.save(path, render(self.matrix, office, clock.today()))
        return True

    def _ask_letter(self) -> None:
        if self.matrix is None or not self.matrix.missing():
            return
        issue = self.context.actor.can(Permission.ISSUE_REPORTS) and confirm(
            self, "Ban hành công văn đôn đốc (lấy số công văn, lưu vào sổ)? Chọn «Không» để chỉ lưu bản chưa có số.")
        path, _ = QFileDialog.getSaveFileName(self, "Lưu công văn đôn đốc", str(Path.home() / "cong-van-don-doc.pdf"),
                                              "PDF (*.pdf)")
        if path:
            self.save_letter(Path(path), issue=issue)

    def save_letter(self, path: Path, *, issue: bool) -> bool:
        from app.reports import completeness as sheet
        from app.reports import output

        office = self._office()
        if office is None or self.matrix is None:
            return False
        made_on = clock.today()
        try:
            content = (sheet.issue_reminder(self.context.db, self.context.actor, self.matrix, office, made_on)[0]
                       if issue else sheet.render_reminder(self.matrix, office, made_on))
        except ServiceError as error:
            show_error(self, str(error))
            return False
        output.save(path, content)
        return True

    def _ask_save_received(self) -> None:
        row = self.selected_received()
        if row is None:
            return
        name = f"bao-cao-{row.number_text.replace('/', '-')}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Lưu bản báo cáo đã nhận", str(Path.home() / name), "PDF (*.pdf)")
        if path:
            self.save_received(row, Path(path))

    def save_received(self, row: received.ReceivedRow, path: Path) -> None:
        from app.reports import output

        output.save(path, report_register.issued_pdf(self.context.db, self.context.actor, row.id))


def _last_month(today) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
