"""Báo cáo: the periodic report. Choose the period and scope, write sections I, III, IV (and V, the
models) kept as a draft, preview every page, print, save PDF / Excel / Word, and issue it (a leader):
it takes its number and is kept in the register, from which it reprints byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from app.services import drafts, report_register, units
from app.services.auth import Permission
from app.services.errors import ServiceError, ValidationError
from app.services.scope import tree_in_scope
from app.ui import operations, qt
from app.ui.fit import scrolling
from app.ui.pages.base import ChangeWatch, ClockDefault, following_date, refill
from app.ui.qt import (
    QAction,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QKeySequence,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import Context, confirm, date_edit, fill_units, show_error, to_date
from app.ui.widgets.forms import run_action

if TYPE_CHECKING:
    from app.reports.data import ReportData
    from app.services.progress import Progress

KINDS = [("thang", "Tháng"), ("quy", "Quý"), ("6thang", "6 tháng đầu năm"), ("9thang", "9 tháng đầu năm"),
         ("nam", "Năm"), ("khoang", "Khoảng thời gian")]
SECTIONS = [("situation", "I- Tình hình tư tưởng, dư luận xã hội"), ("models", "II.5- Biểu dương, nhân rộng mô hình "
             "(không bắt buộc)"), ("assessment", "III- Đánh giá chung (ưu điểm; hạn chế, nguyên nhân)"),
            ("tasks", "IV- Nhiệm vụ trọng tâm kỳ tới"), ("proposals", "V- Đề xuất, kiến nghị (không bắt buộc)")]
AUTOSAVE_MS = 2000   # the draft is kept this long after the typing stops
SUFFIXES = {"pdf": "PDF (*.pdf)", "xlsx": "Bảng tính Excel (*.xlsx)", "docx": "Văn bản Word (*.docx)"}


class ReportsPage(QWidget):
    title = "Báo cáo định kỳ"

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.kind = QComboBox()
        for value, label in KINDS:
            self.kind.addItem(label, value)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.part = QSpinBox()                       # the month or the quarter
        self.part.setRange(1, 12)
        self.start, self.end, self.made_on = date_edit(), date_edit(), date_edit()
        # This month's report by default, dated today: moved on when the page is shown on a later day.
        self.clock_defaults = [ClockDefault(self.year.value, self.year.setValue, lambda today: today.year),
                               ClockDefault(self.part.value, self.part.setValue, lambda today: today.month),
                               following_date(self.start, lambda today: today.replace(day=1)),
                               following_date(self.end, lambda today: today),
                               following_date(self.made_on, lambda today: today)]
        self.scope = QComboBox()
        self.units_written = ChangeWatch(context.db, ("unit", "unit_version"))
        # The register's states move with a reopening, or a decision from above arriving in a package.
        self.register_written = ChangeWatch(context.db, ("issued_report", "report_decision", "period_reopening"))
        self._fill_scope()
        self.made_on.setMaximumWidth(160)
        self.scope.setMaximumWidth(520)
        self.texts = {name: QPlainTextEdit() for name, _label in SECTIONS}
        self.draft_version = 0
        # What is typed is kept as the draft of the period and scope it was typed for, a moment after the
        # typing stops, before another period is shown, and at logout: a power cut loses seconds at most.
        self._draft_key: tuple[str, str] | None = None
        self._unsaved = False
        self._loading = False
        self._held: dict[tuple[str, str], dict[str, str]] = {}   # typed, not yet saved (a conflict), per draft
        self._drafted: dict[str, str] = {}   # the sections shown as the registers drafted them
        self._autosave = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self._autosave.timeout.connect(self.keep_draft)
        for edit in self.texts.values():
            edit.textChanged.connect(self._typed)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.pdf_bytes: bytes = b""
        self.buttons = {key: QPushButton(text) for key, text in (
            ("preview", "Xem trước"), ("save_draft", "Lưu bản nháp"), ("print", "In…"), ("pdf", "Lưu PDF…"),
            ("xlsx", "Lưu Excel…"), ("docx", "Lưu Word…"), ("issue", "Ban hành (lấy số)…"))}
        self.buttons["issue"].setVisible(context.actor.can(Permission.ISSUE_REPORTS))
        self.register_table = QTableWidget(0, 5)
        self.register_table.setHorizontalHeaderLabels(["Số", "Ngày", "Trích yếu", "Người ban hành", "Tình trạng"])
        self.register_table.horizontalHeader().setStretchLastSection(True)
        self.register_table.setColumnWidth(2, 380)
        self.register_table.setWordWrap(True)
        self.reprint_button = QPushButton("Lưu bản đã ban hành (PDF)…")
        self.reopen_button = QPushButton("Mở lại kỳ…")
        self.reopen_button.setToolTip("Kỳ đã ban hành báo cáo bị khóa: không thêm, sửa, xóa số liệu trong kỳ. Lãnh đạo "
                                      "mở lại (ghi lý do) để sửa, rồi ban hành báo cáo sửa đổi.")
        self.reopen_button.setVisible(context.actor.can(Permission.ISSUE_REPORTS))
        self.register_empty = QLabel("Chưa có báo cáo nào được ban hành. Viết đủ phần I, III, IV, bấm «Xem trước» "
                                     "để soát lại, rồi «Ban hành (lấy số)» (lãnh đạo).")
        self.register_empty.setWordWrap(True)
        self._build_layout()
        self.kind.currentIndexChanged.connect(self._period_fields)
        for widget in (self.kind, self.scope):
            widget.currentIndexChanged.connect(self.load_draft)
        for spin in (self.year, self.part):
            spin.valueChanged.connect(self.load_draft)
        for edit in (self.start, self.end):   # a chosen range has its own draft too
            edit.dateChanged.connect(self.load_draft)
        self.buttons["preview"].clicked.connect(self.preview)
        self.buttons["save_draft"].clicked.connect(self.save_draft)
        self.buttons["print"].clicked.connect(self.print_report)
        for suffix in SUFFIXES:
            self.buttons[suffix].clicked.connect(lambda _=False, s=suffix: self._ask_where_to_save(s))
        self.buttons["issue"].clicked.connect(self.issue)
        self.reprint_button.clicked.connect(self._ask_reprint)
        self.reopen_button.clicked.connect(self._ask_reopen)
        self._period_fields()
        self.load_register()

    def _fill_scope(self) -> None:
        actor = self.context.actor
        refill(self.scope, lambda combo: fill_units(combo, tree_in_scope(self.context.db, actor),
                                                    first=None if actor.limited_to_unit else "Toàn bộ (cả đơn vị)"))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Current when shown: the period follows the calendar (unless chosen), the scope the unit tree."""
        super().showEvent(event)
        for field in self.clock_defaults:
            field.follow()
        if self.units_written.moved():
            self._fill_scope()
        if self.register_written.moved():
            self.load_register()

    def _build_layout(self) -> None:
        choose = QFormLayout()
        period_row = QHBoxLayout()
        for widget in (self.kind, QLabel("Năm"), self.year, self.part, self.start, self.end):
            period_row.addWidget(widget)
        period_row.addStretch(1)
        choose.addRow("Kỳ báo cáo", period_row)
        choose.addRow("Phạm vi", self.scope)
        choose.addRow("Ngày báo cáo", self.made_on)
        self.with_charts = QCheckBox("Kèm biểu đồ ở phụ lục (tỷ lệ tham dự 12 tháng, hội nghị theo loại)")
        choose.addRow("", self.with_charts)
        writing = QWidget()
        written = QFormLayout(writing)
        for name, label in SECTIONS:
            self.texts[name].setPlaceholderText("Mỗi đoạn một dòng.")
            self.texts[name].setMinimumHeight(70)
            written.addRow(QLabel(label))
            written.addRow(self.texts[name])
        self.tabs = QTabWidget()
        self.tabs.addTab(scrolling(writing), "Phần viết")   # five sections: they scroll on a laptop screen
        self.viewer_tab = QWidget()
        self.viewer_layout = QVBoxLayout(self.viewer_tab)
        self.viewer_layout.addWidget(QLabel("Bấm «Xem trước» để dựng báo cáo."))
        self.tabs.addTab(self.viewer_tab, "Xem trước")
        registry = QWidget()
        registry_layout = QVBoxLayout(registry)
        registry_layout.addWidget(self.register_empty)
        registry_layout.addWidget(self.register_table)
        register_buttons = QHBoxLayout()
        register_buttons.addWidget(self.reprint_button)
        register_buttons.addWidget(self.reopen_button)
        register_buttons.addStretch(1)
        registry_layout.addLayout(register_buttons)
        self.tabs.addTab(registry, "Sổ báo cáo đã ban hành")
        actions = QHBoxLayout()
        for key in ("save_draft", "preview", "print", "pdf", "xlsx", "docx", "issue"):
            actions.addWidget(self.buttons[key])
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(self.tabs, 1)

    # -- the period and scope chosen --------------------------------------------------------------
    def _period_fields(self) -> None:
        kind = self.kind.currentData()
        self.part.setVisible(kind in ("thang", "quy"))
        self.part.setRange(1, 12 if kind == "thang" else 4)
        self.part.setPrefix("Tháng " if kind == "thang" else "Quý ")
        self.year.setVisible(kind != "khoang")
        self.start.setVisible(kind == "khoang")
        self.end.setVisible(kind == "khoang")
        self.load_draft()

    def period(self):
        from app.services.period import Period

        kind, year, part = self.kind.currentData(), self.year.value(), self.part.value()
        if kind == "khoang":
            return Period.between(to_date(self.start.date()), to_date(self.end.date()))
        text = {"thang": f"{year}-{part}", "quy": f"{year}-{part}"}.get(kind, str(year))
        return Period.parse(kind, text)

    def unit_code(self) -> str:
        unit_id = self.scope.currentData()
        if unit_id is None:
            return ""
        return next((n.code for n in units.tree(self.context.db, self.context.actor) if n.id == unit_id), "")

    def written(self):
        from app.reports.data import Written

        return Written(**{name: edit.toPlainText() for name, edit in self.texts.items()})

    # -- the draft -------------------------------------------------------------------------------
    def load_draft(self) -> None:
        self.keep_draft()   # what was typed for the period shown until now is kept first
        if self._unsaved and self._draft_key is not None:   # it could not be: held here until it can
            self._held[self._draft_key] = self.written().as_dict()
        try:
            key = (self.period().key, self.unit_code())
            saved = report_register.draft(self.context.db, self.context.actor, *key)
            held = self._held.get(key)
            written, drafted = (held, []) if held is not None else drafts.filled(
                self.context.db, self.context.actor, self.period(), self.scope.currentData(), saved.written)
        except ServiceError:
            return
        self._draft_key, self.draft_version = key, saved.version
        self._held.pop(key, None)
        self._drafted = {name: written[name] for name in drafted}
        self._loading = True
        for name, edit in self.texts.items():
            edit.setPlainText(written.get(name, ""))
        self._loading = False
        self._unsaved = held is not None
        if held is not None:
            self.status.setText("Phần viết chưa lưu được (bản nháp vừa được người khác lưu): hãy xem lại rồi bấm "
                                "«Lưu bản nháp».")
            return
        status = f"Bản nháp do {saved.updated_by} lưu." if saved.version else "Chưa có bản nháp cho kỳ này."
        if drafted:   # the leader reads it before it goes out under his signature
            status += " " + " ".join(f"Phần «{dict(SECTIONS)[name]}» được dự thảo từ {drafts.SOURCES[name]}: "
                                     "hãy soát lại, sửa cho phù hợp." for name in drafted)
        self.status.setText(status)

    def kept_sections(self) -> dict[str, str]:
        """What the draft keeps: every section but those still as the registers drafted them, which are drafted
        again next time (from the entries added since) until the leader edits them."""
        return {name: text for name, text in self.written().as_dict().items()
                if self._drafted.get(name) != text}

    def _typed(self) -> None:
        if not self._loading:
            self._unsaved = True
            self._autosave.start()

    def keep_draft(self) -> None:
        """Save what was typed, quietly, as the draft of the period and scope it was typed for."""
        self._autosave.stop()
        if not self._unsaved or self._draft_key is None or not self.context.actor.can(Permission.MAKE_REPORTS):
            return
        try:
            self.draft_version = report_register.save_draft(self.context.db, self.context.actor, *self._draft_key,
                                                            self.kept_sections(), version=self.draft_version)
        except ServiceError as error:   # told on the page, not in a box that would stop the typing
            self.status.setText(f"Chưa tự lưu được bản nháp: {error}")
            return
        self._unsaved = False
        self.status.setText("Đã tự lưu bản nháp phần viết.")

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.keep_draft()   # another page, or the window closing at logout
        super().hideEvent(event)

    def save_draft(self) -> bool:
        self._autosave.stop()
        try:
            self.draft_version = report_register.save_draft(
                self.context.db, self.context.actor, self.period().key, self.unit_code(), self.kept_sections(),
                version=self.draft_version)
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self._unsaved = False
        self.status.setText("Đã lưu bản nháp phần viết.")
        return True

    # -- building and showing ----------------------------------------------------------------------
    def _figures(self) -> Callable[[Progress], ReportData]:
        """The report's figures as chosen on the page now, to gather off the GUI thread."""
        from app.reports import data

        period, unit_id, written = self.period(), self.scope.currentData(), self.written()
        made_on, with_charts = to_date(self.made_on.date()), self.with_charts.isChecked()
        return lambda progress: data.build(self.context.db, self.context.actor, period, unit_id=unit_id,
                                           made_on=made_on, written=written, progress=progress,
                                           with_charts=with_charts)

    def build(self, render: Callable[[ReportData], bytes] | None = None) -> tuple[ReportData, bytes | None]:
        """The report's figures and, if asked, its rendering: off the GUI thread, «Dừng» stopping between
        steps."""
        figures = self._figures()

        def work(progress: Progress) -> tuple[ReportData, bytes | None]:
            report = figures(progress)
            progress.check("Đã dừng lập báo cáo.")
            return report, render(report) if render else None

        return operations.run(self, "Đang tổng hợp số liệu báo cáo…", work)

    def preview(self) -> bool:
        from app.reports import pdf

        try:
            self.report, content = self.build(pdf.render)
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self.show_pdf(content)
        return True

    def zoom(self, step: int) -> None:
        """Zoom the preview in (1) or out (-1) by a quarter, or back to a whole page (0) as it prints."""
        if step == 0:
            self.viewer.setZoomMode(qt.QPdfView.ZoomMode.FitInView)
            return
        now = self.viewer.zoomFactor() if self.viewer.zoomMode() == qt.QPdfView.ZoomMode.Custom else 1.0
        self.viewer.setZoomMode(qt.QPdfView.ZoomMode.Custom)
        self.viewer.setZoomFactor(min(4.0, max(0.25, now * (1.25 if step > 0 else 0.8))))

    def show_pdf(self, content: bytes) -> None:
        """Every page in the app (QtPdf), from the bytes: what prints is what was shown."""
        self.pdf_bytes = content
        if not hasattr(self, "document"):
            self.document = qt.QPdfDocument(self)
            self.viewer = qt.QPdfView(self)
            self.viewer.setPageMode(qt.QPdfView.PageMode.MultiPage)
            self.viewer.setZoomMode(qt.QPdfView.ZoomMode.FitInView)   # a whole page at a time, as it prints
            self.viewer.setDocument(self.document)
            while self.viewer_layout.count():   # the hint shown before the first preview goes at once
                hint = self.viewer_layout.takeAt(0).widget()
                hint.hide()
                hint.deleteLater()
            zoom_row = QHBoxLayout()
            for text, tip, step in (("−", "Thu nhỏ (Ctrl+-)", -1), ("+", "Phóng to (Ctrl++)", 1),
                                    ("Vừa trang", "Cả trang vừa khung xem", 0)):
                button = QPushButton(text)
                button.setToolTip(tip)
                button.clicked.connect(lambda _checked=False, step=step: self.zoom(step))
                zoom_row.addWidget(button)
            zoom_row.addStretch(1)
            for keys, step in ((QKeySequence.StandardKey.ZoomIn, 1), (QKeySequence.StandardKey.ZoomOut, -1)):
                action = QAction(self.viewer_tab)
                action.setShortcut(keys)
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                action.triggered.connect(lambda _checked=False, step=step: self.zoom(step))
                self.viewer_tab.addAction(action)
            self.viewer_layout.addLayout(zoom_row)
            self.viewer_layout.addWidget(self.viewer)
        self.document.close()
        self.buffer = qt.QBuffer(self)
        self.buffer.setData(qt.QByteArray(content))
        self.buffer.open(qt.QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self.buffer)
        self.tabs.setCurrentWidget(self.viewer_tab)
        self.status.setText(f"Báo cáo có {self.document.pageCount()} trang.")

    def print_report(self) -> None:
        if not self.pdf_bytes and not self.preview():
            return
        printer = qt.QPrinter(qt.QPrinter.PrinterMode.HighResolution)
        if qt.QPrintDialog(printer, self).exec():
            print_pages(self.document, printer)

    def _ask_where_to_save(self, suffix: str) -> None:
        try:
            period = self.period()
        except ServiceError as error:   # a range ending before it starts: say so before asking for a file
            show_error(self, str(error))
            return
        name = f"bao-cao-{period.key.replace(':', '-')}.{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, "Lưu báo cáo", str(Path.home() / name), SUFFIXES[suffix])
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> bool:
        """The report as it is now (draft number) in the format the suffix names."""
        from importlib import import_module

        from app.reports import output

        module = {".pdf": "pdf", ".xlsx": "xlsx", ".docx": "word"}.get(path.suffix.lower(), "pdf")
        try:
            _report, content = self.build(import_module(f"app.reports.{module}").render)
            output.save(path, content)
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self.status.setText(f"Đã lưu {path}.")
        return True

    # -- issuing and the register --------------------------------------------------------------------
    def issue(self) -> bool:
        if not confirm(self, "Ban hành báo cáo: báo cáo nhận số tiếp theo và được lưu nguyên bản vào sổ; sau khi "
                             "ban hành không sửa được (đính chính là một báo cáo mới). Tiếp tục?"):
            return False
        unit_code, draft_version = self.unit_code(), self.draft_version
        # Issuing saves the written sections as the draft: a quiet autosave meanwhile would bump the
        # draft's version under the issue, which then refuses it as changed elsewhere.
        self._autosave.stop()
        if not self._issue(unit_code, draft_version):
            if self._unsaved:
                self._autosave.start()
            return False
        self._unsaved = False
        return True

    def _issue(self, unit_code: str, draft_version: int) -> bool:
        from app.reports import issuing

        def work(figures: Callable[[Progress], ReportData], progress: Progress, correction: bool):
            report = figures(progress)
            progress.check("Đã dừng; báo cáo chưa được ban hành.")   # the last point to stop: numbering follows
            return (report, *issuing.issue(self.context.db, self.context.actor, report, unit_code,
                                           draft_version=draft_version, correction=correction))

        try:
            figures = self._figures()
            try:
                report, row, content = operations.run(self, "Đang ban hành báo cáo…",
                                                      lambda progress: work(figures, progress, False))
            except report_register.CorrectionNeeded as asked:   # the period was issued: a correction, if meant
                if not confirm(self, f"{asked} Ban hành báo cáo sửa đổi?", "Báo cáo sửa đổi"):
                    return False
                report, row, content = operations.run(self, "Đang ban hành báo cáo sửa đổi…",
                                                      lambda progress: work(figures, progress, True))
        except ValidationError as error:
            show_error(self, "Chưa ban hành được: " + " ".join(error.errors.values()))
            return False
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self.report = replace(report, number=row.number)
        self.draft_version = report_register.draft(self.context.db, self.context.actor, report.period.key,
                                                   self.unit_code()).version
        self.show_pdf(content)
        self.load_register()
        self.status.setText(f"Đã ban hành báo cáo số {row.number_text}.")
        return True

    def load_register(self) -> None:
        rows = report_register.register(self.context.db, self.context.actor)
        self.issued = rows
        self.register_empty.setVisible(not rows)
        self.reprint_button.setEnabled(bool(rows))
        self.reopen_button.setEnabled(bool(rows))
        self.register_table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            for column, value in enumerate((row.number_text, f"{row.made_on:%d/%m/%Y}", row.title, row.issued_by,
                                            row.state)):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.register_table.setItem(index, column, item)
        self.register_table.resizeRowsToContents()   # a return's comment is read whole, on two or three lines

    def _ask_reopen(self) -> bool:
        index = self.register_table.currentRow()
        if index < 0:
            show_error(self, "Hãy chọn trong sổ báo cáo có kỳ cần mở lại.")
            return False
        row = self.issued[index]
        reason, given = QInputDialog.getText(
            self, "Mở lại kỳ báo cáo", f"Mở lại kỳ của báo cáo số {row.number_text} để sửa số liệu. Lý do (được ghi "
                                       "vào nhật ký; sau khi sửa, ban hành báo cáo sửa đổi):")
        if not given:
            return False
        return self.reopen(row.id, reason)

    def reopen(self, report_id: int, reason: str) -> bool:
        if not run_action(None, self, lambda: report_register.reopen(self.context.db, self.context.actor, report_id,
                                                                      reason),
                          place=lambda errors: list(errors.values())):   # the reason is asked in a box: said in one
            return False
        self.load_register()
        self.status.setText("Đã mở lại kỳ báo cáo; sau khi sửa số liệu, ban hành báo cáo sửa đổi.")
        return True

    def _ask_reprint(self) -> None:
        index = self.register_table.currentRow()
        if index < 0:
            show_error(self, "Hãy chọn một báo cáo trong sổ.")
            return
        row = self.issued[index]
        name = f"bao-cao-so-{row.number:02d}-{row.kind_code}-{row.issuing_code}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Lưu bản đã ban hành", str(Path.home() / name), SUFFIXES["pdf"])
        if path:
            self.reprint(row.id, Path(path))

    def reprint(self, report_id: int, path: Path) -> bool:
        from app.reports import output

        try:
            content = report_register.issued_pdf(self.context.db, self.context.actor, report_id)
            output.save(path, content)
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self.show_pdf(content)
        return True


def print_pages(document, printer) -> None:
    """Each page of the PDF drawn at the printer's resolution, one sheet per page."""
    painter = qt.QPainter(printer)
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            target = printer.pageRect(qt.QPrinter.Unit.DevicePixel).toRect()
            image = document.render(page, target.size())
            painter.drawImage(target.topLeft(), image)
    finally:
        painter.end()
