"""A good example (mô hình, điển hình): what and whose it is, how it was recognised, the document it
serves, and the units that took it up; saved whole, in one transaction."""

from __future__ import annotations

from app.models.enums import Commendation, ExemplarKind
from app.services import documents
from app.services.auth import Permission
from app.services.exemplars import register
from app.services.scope import tree_in_scope
from app.ui import style
from app.ui.dialogs.record import RecordDialog
from app.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
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

UNIT, SINCE, NOTE = range(3)


class ExemplarDialog(RecordDialog):
    def __init__(self, context: Context, exemplar_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(context, parent, editable=context.actor.can(Permission.EDIT_MEETINGS), size=(860, 680),
                         title="Thêm mô hình, điển hình" if exemplar_id is None else "Mô hình, điển hình")
        self.exemplar_id = exemplar_id
        self.version: int | None = None
        db, actor = context.db, context.actor
        self.nodes = tree_in_scope(db, actor)
        self.form = FieldForm()
        self.kind = self.form.add("kind", "Loại", QComboBox())
        self.kind.addItem("— chọn —", None)
        for kind in ExemplarKind:
            self.kind.addItem(kind.label, kind)
        self.title_edit = self.form.add("title", "Tên", QLineEdit(
            placeholderText="Mô hình «Dân vận khéo»…; Tập thể Chi bộ thôn…; Đồng chí…, Bí thư Chi bộ…"))
        self.unit = self.form.add("unit_id", "Đơn vị", QComboBox())
        fill_units(self.unit, self.nodes)
        self.recognised_on = self.form.add("recognised_on", "Ngày công nhận, khen", date_edit())
        self.recognised_on.setMaximumWidth(160)
        self.commendation = self.form.add("commendation", "Hình thức", QComboBox())
        self.commendation.addItem("— chọn —", None)
        for level in Commendation:
            self.commendation.addItem(level.label, level)
        self.awarded_by = self.form.add("awarded_by", "Cấp khen", QLineEdit(
            placeholderText="Ban Thường vụ Huyện ủy, Ủy ban nhân dân tỉnh…"))
        self.document = self.form.add("document_id", "Thực hiện văn bản", QComboBox())
        fill_documents(self.document, documents.search(db, actor, limit=500), first="— không —")
        self.description = self.form.add("description", "Nội dung, kết quả", QPlainTextEdit())
        self.description.setFixedHeight(56)

        self.grid = QTableWidget(0, 3)
        self.grid.setHorizontalHeaderLabels(["Đơn vị nhân rộng", "Từ ngày", "Ghi chú"])
        self.grid.verticalHeader().setDefaultSectionSize(28)
        self.grid.setColumnWidth(UNIT, 320)
        self.grid.setColumnWidth(SINCE, 130)
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_row_button, self.remove_row_button = QPushButton("Thêm đơn vị nhân rộng"), QPushButton("Bỏ dòng")
        self.grid_errors = QLabel(styleSheet=style.ERROR_STYLE, wordWrap=True)
        self.grid_errors.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_row_button)
        buttons.addWidget(self.remove_row_button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(QLabel("<b>Nhân rộng: các đơn vị đã áp dụng</b>"))
        layout.addWidget(self.grid, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.grid_errors)
        layout.addWidget(self.buttons)

        self.commendation.currentIndexChanged.connect(self._commendation_changed)
        self.add_row_button.clicked.connect(lambda: self.add_row())
        self.remove_row_button.clicked.connect(lambda: self.grid.removeRow(self.grid.currentRow()))
        if exemplar_id is not None:
            self._fill(register.get(db, actor, exemplar_id))
        self._commendation_changed()
        if not self.editable:
            self.read_only("Tài khoản của bạn chỉ xem sổ mô hình, điển hình.")

    def _commendation_changed(self) -> None:
        value = self.commendation.currentData()
        self.awarded_by.setEnabled(self.editable and value != Commendation.NOTED)

    def _fill(self, detail: register.ExemplarDetail) -> None:
        data = detail.data
        self.version = detail.version
        select_data(self.kind, data.kind)
        self.title_edit.setText(data.title)
        select_data(self.unit, data.unit_id)
        if self.unit.currentData() != data.unit_id:   # a unit since merged away: still shown
            self.unit.addItem(detail.unit_name, data.unit_id)
            select_data(self.unit, data.unit_id)
        self.recognised_on.setDate(to_qdate(data.recognised_on))
        select_data(self.commendation, data.commendation)
        self.awarded_by.setText(data.awarded_by)
        select_document(self.context, self.document, data.document_id)
        self.description.setPlainText(data.description)
        for line in data.spread:
            self.add_row(line)
        self.setWindowTitle(data.title)

    def add_row(self, line: register.SpreadLine | None = None) -> int:
        row = self.grid.rowCount()
        self.grid.insertRow(row)
        unit = QComboBox()
        fill_units(unit, self.nodes, first="— chọn đơn vị —")
        if line is not None:
            select_data(unit, line.unit_id)
            if line.unit_id is not None and unit.currentData() != line.unit_id:   # outside this tree now
                unit.addItem(line.unit_name or "Đơn vị khác", line.unit_id)
                select_data(unit, line.unit_id)
        self.grid.setCellWidget(row, UNIT, unit)
        self.grid.setCellWidget(row, SINCE, date_edit(line.since if line else None))
        self.grid.setItem(row, NOTE, QTableWidgetItem(line.note if line else ""))
        return row

    def set_row(self, row: int, unit_id: int, since=None) -> None:
        select_data(self.grid.cellWidget(row, UNIT), unit_id)
        if since is not None:
            self.grid.cellWidget(row, SINCE).setDate(to_qdate(since))

    def spread(self) -> list[register.SpreadLine]:
        lines = []
        for row in range(self.grid.rowCount()):
            note = self.grid.item(row, NOTE)
            lines.append(register.SpreadLine(self.grid.cellWidget(row, UNIT).currentData(),
                                             to_date(self.grid.cellWidget(row, SINCE).date()),
                                             note.text() if note else ""))
        return lines

    def data(self) -> register.ExemplarInput:
        kind, level = self.kind.currentData(), self.commendation.currentData()   # Qt hands enums back as strings
        return register.ExemplarInput(
            kind=ExemplarKind(kind) if kind else None, title=self.title_edit.text(), unit_id=self.unit.currentData(),
            recognised_on=to_date(self.recognised_on.date()), commendation=Commendation(level) if level else None,
            awarded_by=self.awarded_by.text() if level != Commendation.NOTED else "",
            description=self.description.toPlainText(), document_id=self.document.currentData(), spread=self.spread())

    def write(self) -> int:
        db, actor = self.context.db, self.context.actor
        if self.exemplar_id is None:
            return register.create(db, actor, self.data())
        register.update(db, actor, self.exemplar_id, self.data(), expected_version=self.version)
        return self.exemplar_id

    def clear_errors(self) -> None:
        self.form.clear_errors()
        self.grid_errors.hide()

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """The spread's messages under its grid, the others under their fields."""
        grid = [message for key, message in errors.items() if key.startswith("spread")]
        if grid:
            self.grid_errors.setText("\n".join(grid))
            self.grid_errors.show()
        return self.form.show_errors({k: v for k, v in errors.items() if not k.startswith("spread")})
