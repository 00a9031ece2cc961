"""Tình hình thực hiện: per required unit, whether it disseminated the document, when, with what person rate."""

from __future__ import annotations

from pathlib import Path

from app import clock
from app.services.auth import Permission
from app.services.documents import coverage
from app.services.errors import ServiceError
from app.services.numbers import percent_text, short_date
from app.ui import style
from app.ui.dialogs.plan import PlanDialog
from app.ui.qt import (
    QBrush,
    QColor,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import Column, ListTableModel
from app.ui.widgets.common import Context, date_edit, row_table, show_error, to_date

STATE_BRUSHES = {coverage.LATE: QBrush(QColor("#fff4c2")), coverage.OVERDUE: QBrush(QColor("#fde2e1")),
                 coverage.NOT_YET: QBrush(QColor("#eef2f7"))}
UNDER_TARGET = QBrush(QColor(style.ERROR))


class CoverageDialog(QDialog):
    def __init__(self, context: Context, document_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.document_id = context, document_id
        self.cover: coverage.Coverage | None = None
        self.resize(1080, 620)
        self.as_of = date_edit(clock.today())
        # The date the sheet and the letter carry: the day counted to, until the clerk sets another.
        self.made_on = date_edit(clock.today())
        self.made_on.setToolTip("Ngày ghi trên biểu và công văn đôn đốc")
        self.made_on_chosen = False
        self.made_on.editingFinished.connect(lambda: setattr(self, "made_on_chosen", True))
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.sentence = QLabel()
        self.sentence.setWordWrap(True)
        self.sentence.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.model = ListTableModel([
            Column("Đơn vị", lambda r: r.unit_name),
            Column("Trực thuộc", lambda r: r.parent_name),
            Column("Tình hình", lambda r: coverage.STATE_LABELS[r.state]),
            Column("Buổi đầu tiên", lambda r: f"{short_date(r.first_held_on)} — {r.first_title}" if r.done else ""),
            Column("Số buổi", lambda r: r.meetings or "", align_right=True),
            Column("Đảng viên dự", lambda r: f"{r.attended}/{r.required}" if r.required else "", align_right=True),
            Column("Tỷ lệ", lambda r: percent_text(r.rate) if r.required else "", align_right=True),
            Column("Kế hoạch của đơn vị", lambda r: r.plan_text),
        ], background=lambda r: STATE_BRUSHES.get(r.state), colour=lambda r: UNDER_TARGET if r.below_target else None,
            parent=self)
        self.table = row_table(self.model, [190, 150, 130, 230, 55, 90, 60])
        close = QPushButton("Đóng")
        close.clicked.connect(self.accept)
        self.pdf_button, self.xlsx_button = QPushButton("In biểu (PDF)…"), QPushButton("Xuất Excel…")
        self.pdf_button.clicked.connect(lambda: self._ask_where_to_save("pdf"))
        self.xlsx_button.clicked.connect(lambda: self._ask_where_to_save("xlsx"))
        self.reminder_button = QPushButton("Công văn đôn đốc…")
        self.reminder_button.setToolTip("Công văn gửi các đơn vị chưa tổ chức học tập, quán triệt (bản PDF, số để trống)")
        self.reminder_button.clicked.connect(self._ask_where_to_save_reminder)
        self.issue_button = QPushButton("Ban hành công văn…")
        self.issue_button.setToolTip("Lấy số trong sổ công văn (CV), lưu bản đã ban hành và bản PDF")
        self.issue_button.setVisible(context.actor.can(Permission.ISSUE_REPORTS))
        self.issue_button.clicked.connect(lambda: self._ask_where_to_save_reminder(issue=True))
        self.plan_button = QPushButton("Ghi kế hoạch của đơn vị…")
        self.plan_button.setToolTip("Số, ngày kế hoạch thực hiện do đơn vị đang chọn ban hành")
        self.plan_button.setVisible(context.actor.can(Permission.EDIT_DOCUMENTS))
        self.plan_button.clicked.connect(lambda: self.record_plan())
        self.saved = QLabel()
        self.saved.setStyleSheet("color: #555;")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel("Tính đến ngày"))
        top.addWidget(self.as_of)
        top.addWidget(QLabel("Ngày ký"))
        top.addWidget(self.made_on)
        legend = QLabel("Vàng: tổ chức sau thời hạn · Hồng: quá hạn chưa tổ chức · Chữ đỏ: dưới chỉ tiêu tham dự")
        legend.setStyleSheet("color: #555;")
        bottom = QHBoxLayout()
        bottom.addWidget(legend, 1)
        for button in (self.plan_button, self.reminder_button, self.issue_button, self.pdf_button, self.xlsx_button,
                       close):
            bottom.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sentence)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.saved)
        self.as_of.dateChanged.connect(self._follow_as_of)
        self.as_of.dateChanged.connect(self.refresh)
        self.refresh()

    def record_plan(self, row: int | None = None) -> PlanDialog | None:
        """The selected unit's plan: a new one, or the one it has."""
        index = self.table.currentIndex().row() if row is None else row
        if self.cover is None or not 0 <= index < len(self.cover.lines):
            show_error(self, "Hãy chọn một đơn vị trong bảng.")
            return None
        line = self.cover.lines[index]
        dialog = PlanDialog(self.context, self.document_id, line, self)
        dialog.accepted.connect(self.refresh)
        dialog.open()
        return dialog

    def _follow_as_of(self) -> None:
        if not self.made_on_chosen:
            self.made_on.setDate(self.as_of.date())

    def document_date(self):
        """The date to print, checked against the day counted to (a ServiceError when before it)."""
        from app.reports import coverage as report

        return report.dated(to_date(self.as_of.date()), to_date(self.made_on.date()))

    def refresh(self) -> None:
        try:
            self.cover = coverage.for_document(self.context.db, self.context.actor, self.document_id,
                                               as_of=to_date(self.as_of.date()))
        except ServiceError as error:
            show_error(self, str(error))
            return
        cover = self.cover
        self.setWindowTitle(f"Tình hình thực hiện {cover.document.number}")
        deadline = f"thời hạn {short_date(cover.deadline)}" if cover.deadline else "không đặt thời hạn"
        self.heading.setText(f"<b>{cover.document.kind.label} số {cover.document.number}</b> — "
                             f"{cover.document.summary}<br>{deadline} · chỉ tiêu tham dự "
                             f"{percent_text(float(cover.target))}")
        late, overdue = cover.count(coverage.LATE), cover.count(coverage.OVERDUE)
        self.sentence.setText(f"{cover.sentence()} Tổ chức muộn: {late}; quá hạn chưa tổ chức: {overdue}; "
                              f"dưới chỉ tiêu: {cover.below_target}. {cover.plan_sentence()}".strip())
        self.model.set_rows(cover.lines)

    def _ask_where_to_save(self, suffix: str) -> None:
        name = f"tinh-hinh-thuc-hien-{self.cover.document.number.replace('/', '-')}.{suffix}"
        kinds = "PDF (*.pdf)" if suffix == "pdf" else "Bảng tính Excel (*.xlsx)"
        path, _ = QFileDialog.getSaveFileName(self, "Lưu biểu tình hình thực hiện", str(Path.home() / name), kinds)
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> bool:
        """The view as it stands (its day) printed to PDF or exported to .xlsx, by the file's suffix."""
        from app.reports import coverage as report  # ReportLab and openpyxl load only when asked

        try:
            sheet = report.build(self.context.db, self.context.actor, self.document_id,
                                 as_of=to_date(self.as_of.date()), made_on=self.document_date())
            (report.render_xlsx if path.suffix.lower() == ".xlsx" else report.render_pdf)(sheet, path)
        except (ServiceError, OSError) as error:
            show_error(self, f"Không lưu được biểu: {error}")
            return False
        self.saved.setText(f"Đã lưu: {path}")
        return True

    def _ask_where_to_save_reminder(self, issue: bool = False) -> None:
        name = f"cong-van-don-doc-{self.cover.document.number.replace('/', '-')}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Lưu công văn đôn đốc", str(Path.home() / name), "PDF (*.pdf)")
        if path:
            self.save_reminder(Path(path), issue=issue)

    def save_reminder(self, path: Path, *, issue: bool = False) -> bool:
        """A công văn đôn đốc to the units not yet done, as of the view's day, dated as the date box says."""
        from app.reports import output, reminder
        from app.services import profile

        try:
            made_on = self.document_date()
            office = profile.for_actor(self.context.db, self.context.actor, made_on)
        except ServiceError as error:
            show_error(self, str(error))
            return False
        if office is None:
            show_error(self, "Chưa có thông tin cơ quan: hãy nhập ở trang «Thông tin cơ quan».")
            return False
        if not reminder.chased(self.cover):
            show_error(self, "Mọi đơn vị đã tổ chức và đã ban hành kế hoạch: không có đơn vị nào cần đôn đốc.")
            return False
        try:
            if issue:
                content, issued = reminder.issue(self.context.db, self.context.actor, self.cover, office, made_on)
            else:
                content, issued = reminder.render(self.cover, office, made_on), None
            output.save(path, content)
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self.saved.setText(f"Đã ban hành công văn số {issued.number_text}; đã lưu: {path}" if issued
                           else f"Đã lưu: {path}")
        return True
