"""Nhập đảng viên từ tệp: check the guessed columns, look at every row's verdict, then import.

Nothing is written until «Nhập … người»; then all good rows go in one transaction on a worker thread.
"""

from __future__ import annotations

from pathlib import Path

from app import clock
from app.services import people_import as importing
from app.services.errors import ServiceError, ValidationError
from app.services.scope import tree_in_scope
from app.services.sheets import Table
from app.ui import operations, style
from app.ui.qt import (
    QBrush,
    QCheckBox,
    QColor,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import Column, ListTableModel
from app.ui.widgets.column_mapping import ColumnMappingBox
from app.ui.widgets.common import Context, date_edit, fill_units, row_table, to_date

BAD = QBrush(QColor("#fde2e2"))
SKIPPED = QBrush(QColor(style.MUTED))


def _verdict(row: importing.ImportRow) -> str:
    if row.skipped:
        return f"Bỏ qua: {row.skipped}"
    return " ".join(row.errors) if row.errors else "Hợp lệ"


PREVIEW_COLUMNS = [
    Column("Dòng", lambda r: r.line, align_right=True),
    Column("Họ và tên", lambda r: r.person.full_name if r.person else ""),
    Column("Năm sinh", lambda r: r.person.birth_year if r.person else None, align_right=True),
    Column("Giới tính", lambda r: r.person.gender.label if r.person and r.person.gender else ""),
    Column("Dân tộc", lambda r: r.person.ethnicity if r.person else ""),
    Column("Chi bộ", lambda r: r.unit_name if not r.skipped else ""),
    Column("Kết quả", _verdict),
]


class ImportPeopleDialog(QDialog):
    def __init__(self, context: Context, table: Table, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.table = context, table
        self.preview: importing.ImportPreview | None = None
        self.added = 0
        self.setWindowTitle(f"Nhập đảng viên từ tệp — {table.name}")
        self.resize(1050, 680)
        guess = importing.guess_mapping(table)

        self.column_box = ColumnMappingBox(table, importing.FIELDS, importing.mapping_at, guess, ("full_name",),
                                           "1. Cột trong tệp (đã tự nhận ra; sửa nếu sai)")
        self.header_line, self.columns = self.column_box.header_line, self.column_box.columns

        self.default_unit = QComboBox()
        fill_units(self.default_unit, tree_in_scope(context.db, context.actor), members_only=True,
                   first="(không có — lấy theo cột Chi bộ)")
        self.since = date_edit(clock.today())
        options_box = QGroupBox("2. Chi bộ và ngày")
        options = QHBoxLayout(options_box)
        options.addWidget(QLabel("Chi bộ chung cho dòng không ghi chi bộ"))
        options.addWidget(self.default_unit, 1)
        options.addSpacing(16)
        options.addWidget(QLabel("Sinh hoạt từ ngày"))
        options.addWidget(self.since)

        self.only_bad = QCheckBox("Chỉ hiện các dòng lỗi")
        self.model = ListTableModel(PREVIEW_COLUMNS, background=lambda r: BAD if r.errors else None,
                                    colour=lambda r: SKIPPED if r.skipped else None, parent=self)
        self.view = row_table(self.model, [50, 190, 75, 70, 80, 190])
        self.summary = QLabel()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(style.ERROR_STYLE)

        self.save_bad = QPushButton("Lưu các dòng lỗi ra tệp…")
        self.import_button = QPushButton("Nhập")
        self.import_button.setDefault(True)
        close = QPushButton("Đóng")
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_bad)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(close)

        preview_box = QGroupBox("3. Xem trước: chưa ghi gì cho đến khi bấm «Nhập»")
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addWidget(self.only_bad)
        preview_layout.addWidget(self.view, 1)
        preview_layout.addWidget(self.summary)
        layout = QVBoxLayout(self)
        layout.addWidget(self.column_box)
        layout.addWidget(options_box)
        layout.addWidget(preview_box, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.column_box.changed.connect(self.recheck)
        self.default_unit.currentIndexChanged.connect(self.recheck)
        self.since.dateChanged.connect(self.recheck)
        self.only_bad.toggled.connect(self._show_rows)
        self.save_bad.clicked.connect(self._ask_where_to_save)
        self.import_button.clicked.connect(self.run_import)
        close.clicked.connect(self.reject)
        self.recheck()

    # ---- mapping ----
    def mapping(self) -> importing.Mapping:
        return self.column_box.mapping()

    def options(self) -> importing.ImportOptions:
        return importing.ImportOptions(to_date(self.since.date()), self.default_unit.currentData())

    # ---- preview ----
    def recheck(self) -> None:
        self.message.clear()
        try:
            table, mapping, options = self.table, self.mapping(), self.options()
            self.preview = operations.run(self, "Đang kiểm tra từng dòng…", lambda _progress: importing.check(
                self.context.db, self.context.actor, table, mapping, options))
        except ServiceError as error:
            self.preview = None
            self.message.setText(str(error))
        self._show_rows()

    def _show_rows(self) -> None:
        preview = self.preview
        rows = [] if preview is None else preview.bad if self.only_bad.isChecked() else preview.rows
        self.model.set_rows(rows)
        good = len(preview.good) if preview else 0
        bad = len(preview.bad) if preview else 0
        skipped = len(preview.skipped) if preview else 0
        self.summary.setText(f"{good} dòng hợp lệ · {bad} dòng lỗi (tô đỏ, sẽ không nhập) · {skipped} dòng bỏ qua")
        self.import_button.setText(f"Nhập {good} người")
        self.import_button.setEnabled(good > 0)
        self.save_bad.setEnabled(bad > 0)

    # ---- actions ----
    def _ask_where_to_save(self) -> None:
        suggested = str(Path.home() / f"{Path(self.table.name).stem}-dong-loi.xlsx")
        path, _ = QFileDialog.getSaveFileName(self, "Lưu các dòng lỗi", suggested, "Bảng tính (*.xlsx);;CSV (*.csv)")
        if path:
            self.save_bad_rows(Path(path))

    def save_bad_rows(self, path: Path) -> None:
        try:
            count = importing.save_rejected(self.preview, path)
        except OSError as error:
            self.message.setText(f"Không lưu được tệp «{path.name}»: {error.strerror}.")
            return
        self.summary.setText(f"Đã lưu {count} dòng lỗi vào {path}: sửa trong Excel rồi nhập lại tệp đó.")

    def run_import(self) -> None:
        if self.preview is None or not self.preview.good:
            return
        preview = self.preview
        try:
            self.added = operations.run(
                self, f"Đang nhập {len(preview.good)} người…",
                lambda progress: importing.commit(self.context.db, self.context.actor, preview, progress=progress))
        except ValidationError as error:
            self.message.setText(str(error))
            return
        except ServiceError as error:  # changed meanwhile, stopped, or refused: nothing was written
            self.recheck()
            self.message.setText(str(error))
            return
        self.accept()
