"""Báo cáo sơ kết, tổng kết thực hiện một văn bản: the day it runs to, its scope and kind, the parts people
write (kept as a draft per document, day and scope), and the PDF, Word and workbook copies, drawn off the
GUI thread."""

from __future__ import annotations

from pathlib import Path

from app import clock
from app.services import report_register
from app.services.auth import Permission
from app.services.errors import ServiceError, ValidationError
from app.services.scope import tree_in_scope
from app.ui import operations
from app.ui.qt import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import Context, date_edit, fill_units, show_error, to_date

SECTIONS = [("assessment", "III- Đánh giá chung (ưu điểm; hạn chế, nguyên nhân)"),
            ("tasks", "IV- Phương hướng, nhiệm vụ thời gian tới"),
            ("proposals", "V- Đề xuất, kiến nghị (không bắt buộc)")]
SUFFIXES = {"pdf": "PDF (*.pdf)", "docx": "Văn bản Word (*.docx)", "xlsx": "Bảng tính Excel (*.xlsx)"}


class DirectiveReportDialog(QDialog):
    def __init__(self, context: Context, document_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from app.services import documents

        self.context, self.document_id = context, document_id
        self.document = documents.row(context.db, context.actor, document_id)
        self.setWindowTitle(f"Báo cáo sơ kết, tổng kết thực hiện {self.document.number}")
        self.resize(900, 640)
        heading = QLabel(f"<b>{self.document.kind.label} số {self.document.number}</b> ngày "
                         f"{self.document.issued_on:%d/%m/%Y} — {self.document.summary}<br>Số liệu tính từ ngày ban "
                         "hành văn bản, gồm cả các kế hoạch, hướng dẫn cụ thể hóa văn bản.")
        heading.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.addItem("Sơ kết", "so_ket")
        self.kind.addItem("Tổng kết", "tong_ket")
        self.end, self.made_on = date_edit(clock.today()), date_edit(clock.today())
        self.scope = QComboBox()
        fill_units(self.scope, tree_in_scope(context.db, context.actor),
                   first=None if context.actor.limited_to_unit else "Toàn bộ (cả đơn vị)")
        choices = QGridLayout()
        for row, column, label, widget in ((0, 0, "Loại báo cáo", self.kind), (0, 2, "Tính đến ngày", self.end),
                                           (1, 0, "Phạm vi", self.scope), (1, 2, "Ngày báo cáo", self.made_on)):
            choices.addWidget(QLabel(label), row, column)
            choices.addWidget(widget, row, column + 1)
        self.texts = {name: QPlainTextEdit() for name, _label in SECTIONS}
        for edit in self.texts.values():
            edit.setPlaceholderText("Mỗi đoạn một dòng.")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = {key: QPushButton(text) for key, text in (
            ("save", "Lưu bản nháp"), ("pdf", "Lưu PDF…"), ("docx", "Lưu Word…"), ("xlsx", "Lưu Excel…"))}
        close = QPushButton("Đóng")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(choices)
        for name, label in SECTIONS:
            layout.addWidget(QLabel(label))
            layout.addWidget(self.texts[name], 1)
        layout.addWidget(self.status)
        row = QHBoxLayout()
        row.addStretch(1)
        for button in (*self.buttons.values(), close):
            row.addWidget(button)
        layout.addLayout(row)
        self.version: int = 0
        self._key: tuple[str, str] | None = None
        self._loaded: dict[str, str] = {}
        self.buttons["save"].clicked.connect(lambda: self.save_draft())
        for suffix in SUFFIXES:
            self.buttons[suffix].clicked.connect(lambda _checked=False, suffix=suffix: self._ask_where(suffix))
        close.clicked.connect(self.accept)
        self.end.dateChanged.connect(self.load_draft)
        self.scope.currentIndexChanged.connect(self.load_draft)
        self.buttons["save"].setEnabled(context.actor.can(Permission.MAKE_REPORTS))
        self.load_draft()

    # ---- the written parts ------------------------------------------------------------------------
    def draft_key(self) -> tuple[str, str]:
        from app.reports.directive import draft_key
        from app.services import review

        end = to_date(self.end.date())
        return (draft_key(self.document_id, end),
                review.scope_code(self.context.db, self.context.actor, self.scope.currentData(), end))

    def load_draft(self) -> None:
        """The draft of the day and scope now chosen; what was typed for the ones before is kept first."""
        self.keep_draft()
        try:
            key = self.draft_key()
            saved = report_register.draft(self.context.db, self.context.actor, *key)
        except ServiceError as error:
            self.status.setText(str(error))
            return
        self._key, self.version = key, saved.version
        self._loaded = {name: saved.written.get(name, "") for name in self.texts}
        for name, edit in self.texts.items():
            edit.setPlainText(self._loaded[name])
        self.status.setText(f"Bản nháp do {saved.updated_by} lưu." if saved.version else
                            "Chưa có bản nháp cho ngày tính đến và phạm vi này.")

    def written(self):
        from app.reports.directive import Written

        return Written(**{name: edit.toPlainText() for name, edit in self.texts.items()})

    def typed(self) -> bool:
        return self._key is not None and self.written().as_dict() != self._loaded

    def keep_draft(self) -> None:
        """Save what was typed for the draft shown, quietly (a refusal is told on the dialog)."""
        if self.typed() and self.context.actor.can(Permission.MAKE_REPORTS):
            self.save_draft(quiet=True)

    def save_draft(self, quiet: bool = False) -> bool:
        try:
            self.version = report_register.save_draft(self.context.db, self.context.actor, *self._key,
                                                      self.written().as_dict(), version=self.version)
        except ServiceError as error:
            if quiet:
                self.status.setText(f"Chưa lưu được bản nháp: {error}")
            else:
                show_error(self, str(error))
            return False
        self._loaded = self.written().as_dict()
        self.status.setText("Đã lưu bản nháp phần viết.")
        return True

    def done(self, result: int) -> None:   # closed by «Đóng», Esc or the window's cross: the text is kept
        self.keep_draft()
        super().done(result)

    # ---- the copies -------------------------------------------------------------------------------
    def _ask_where(self, suffix: str) -> None:
        name = f"so-ket-{self.document.number.replace('/', '-')}.{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, "Lưu báo cáo", name, SUFFIXES[suffix])
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> bool:
        """The report as it stands, in the format the suffix names (the written parts as typed)."""
        from app.reports import directive, output

        render = {".docx": directive.render_word, ".xlsx": directive.render_xlsx}.get(path.suffix.lower(),
                                                                                      directive.render)
        db, actor = self.context.db, self.context.actor
        end, made_on, kind, written = (to_date(self.end.date()), to_date(self.made_on.date()), self.kind.currentData(),
                                       self.written())
        unit_id = self.scope.currentData()

        def work(_progress) -> bytes:
            report = directive.build(db, actor, self.document_id, end, unit_id=unit_id, made_on=made_on, kind=kind,
                                     written=written)
            return render(report)

        try:
            output.save(path, operations.run(self, "Đang lập báo cáo…", work))
        except ValidationError as error:
            show_error(self, " ".join(error.errors.values()))
            return False
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self.status.setText(f"Đã lưu {path}.")
        return True
