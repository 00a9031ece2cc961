"""A material (tài liệu, ấn phẩm, tin bài): the record in its kind's measure, the documents it was
made for, and the copies handed to units with the stock left; saved whole, in one transaction."""

from __future__ import annotations

from datetime import date

from app.models.enums import MaterialKind
from app.services.auth import Permission
from app.services.numbers import count_text
from app.services.outreach import materials
from app.services.scope import tree_in_scope
from app.ui import style
from app.ui.dialogs.document import DocumentDialog
from app.ui.dialogs.record import RecordDialog
from app.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import Context, date_edit, fill_units, select_data, to_date, to_qdate
from app.ui.widgets.document_picker import DocumentPicker
from app.ui.widgets.forms import FieldForm

UNIT, QUANTITY, GIVEN_ON, NOTE = range(4)


class MaterialDialog(RecordDialog):
    def __init__(self, context: Context, material_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(context, parent, editable=context.actor.can(Permission.EDIT_DOCUMENTS), size=(860, 720),
                         title="Thêm tài liệu, ấn phẩm, tin bài" if material_id is None else "Tài liệu, ấn phẩm, tin bài")
        self.material_id = material_id
        self.version: int | None = None
        self.nodes = tree_in_scope(context.db, context.actor)

        self.form = FieldForm()
        self.kind = self.form.add("kind", "Loại", QComboBox())
        self.kind.addItem("— chọn —", None)
        for kind in MaterialKind:
            self.kind.addItem(f"{kind.label} (tính bằng {kind.measure.label})", kind)
        self.title_edit = self.form.add("title", "Tên, tiêu đề", QLineEdit(
            placeholderText="Tờ gấp «Tăng cường phòng, chống tham nhũng, tiêu cực»"))
        self.unit = self.form.add("unit_id", "Đơn vị thực hiện", QComboBox())
        fill_units(self.unit, self.nodes)
        self.outlet = self.form.add("outlet", "Nơi đăng, phát", QComboBox())
        self.outlet.setEditable(True)
        self.outlet.addItems(materials.outlets_used(context.db, context.actor))
        self.outlet.setCurrentText("")
        self.outlet.lineEdit().setPlaceholderText("Báo Lào Cai, Đài Phát thanh - Truyền hình tỉnh…")
        self.issued_on = self.form.add("issued_on", "Ngày phát hành, đăng", date_edit())
        self.quantity = self.form.add("quantity", "Số lượng", QSpinBox(minimum=0, maximum=10_000_000))
        self.quantity.setGroupSeparatorShown(True)
        self.documents = self.form.add("document_ids", "Tuyên truyền văn bản", DocumentPicker(
            context, editable=self.editable, height=48, register_new=DocumentDialog.register_new(context)))
        self.notes = self.form.add("notes", "Ghi chú", QPlainTextEdit())
        self.notes.setFixedHeight(40)

        self.grid = QTableWidget(0, 4)
        self.grid.setHorizontalHeaderLabels(["Đơn vị nhận", "Số lượng", "Ngày cấp", "Ghi chú"])
        self.grid.verticalHeader().setDefaultSectionSize(28)
        for column, width in enumerate((280, 100, 120)):
            self.grid.setColumnWidth(column, width)
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_row_button, self.remove_row_button = QPushButton("Thêm dòng cấp phát"), QPushButton("Bỏ dòng")
        self.stock = QLabel()
        self.grid_errors = QLabel(styleSheet=style.ERROR_STYLE, wordWrap=True)
        self.grid_errors.hide()
        self.distribution_box = QWidget()
        box = QVBoxLayout(self.distribution_box)
        box.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>Cấp phát cho đơn vị</b>")
        row = QHBoxLayout()
        row.addWidget(title)
        row.addStretch(1)
        row.addWidget(self.stock)
        box.addLayout(row)
        box.addWidget(self.grid, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_row_button)
        buttons.addWidget(self.remove_row_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        box.addWidget(self.grid_errors)
        self.no_distribution = QLabel()
        self.no_distribution.setStyleSheet("color: #555;")

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.distribution_box, 100)
        layout.addWidget(self.no_distribution)
        layout.addStretch(1)   # takes the room when there is nothing to hand out
        layout.addWidget(self.buttons)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.quantity.valueChanged.connect(self._show_stock)
        self.add_row_button.clicked.connect(lambda: self.add_row())
        self.remove_row_button.clicked.connect(lambda: self.grid.removeRow(self.grid.currentRow()))
        self.grid.model().rowsRemoved.connect(self._show_stock)
        for widget in (self.add_row_button, self.remove_row_button, self.grid, self.kind, self.unit, self.outlet,
                       self.issued_on, self.quantity):
            widget.setEnabled(self.editable)
        if material_id is not None:
            self._fill(materials.get(context.db, context.actor, material_id))
        self._kind_changed()

    # ---- the record ------------------------------------------------------------------------------
    def current_kind(self) -> MaterialKind | None:
        value = self.kind.currentData()   # Qt hands enums back as plain strings
        return MaterialKind(value) if value else None

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        self.quantity.setSuffix(f" {kind.measure.label}" if kind else "")
        self.outlet.setEnabled(self.editable and kind is not None and kind.has_outlet)
        handed_out = kind is None or kind.measure.distributed
        self.distribution_box.setVisible(handed_out)
        self.no_distribution.setVisible(not handed_out)
        if not handed_out:
            self.no_distribution.setText(f"{kind.label} được đăng, phát; không cấp phát cho đơn vị.")
        self._show_stock()

    def _fill(self, detail: materials.MaterialDetail) -> None:
        data = detail.data
        self.version = detail.version
        select_data(self.kind, data.kind)
        self.title_edit.setText(data.title)
        select_data(self.unit, data.unit_id)
        self.outlet.setCurrentText(data.outlet)
        self.issued_on.setDate(to_qdate(data.issued_on))
        self.quantity.setValue(data.quantity)
        self.documents.set_ids(data.document_ids)
        self.notes.setPlainText(data.notes)
        for line in data.distribution:
            self.add_row(line)
        self.setWindowTitle(data.title)
        if not detail.editable:   # handed down by an office above: read here, edited there
            if self.unit.currentData() != data.unit_id:
                self.unit.addItem(detail.unit_name, data.unit_id)
                select_data(self.unit, data.unit_id)
            self.read_only(f"Tài liệu do {detail.unit_name} phát hành, cấp cho đơn vị của bạn: chỉ xem, không sửa.")

    # ---- distribution ----------------------------------------------------------------------------
    def add_row(self, line: materials.DistributionLine | None = None) -> int:
        row = self.grid.rowCount()
        self.grid.insertRow(row)
        unit = QComboBox()
        fill_units(unit, self.nodes, first="— chọn đơn vị —")
        quantity = QSpinBox(minimum=0, maximum=10_000_000)
        quantity.setGroupSeparatorShown(True)
        given_on = date_edit(line.given_on if line else to_date(self.issued_on.date()))
        if line is not None:
            select_data(unit, line.unit_id)
            if line.unit_id is not None and unit.currentData() != line.unit_id:   # a unit outside this tree
                unit.addItem(line.unit_name or "Đơn vị khác", line.unit_id)
                select_data(unit, line.unit_id)
            quantity.setValue(line.quantity or 0)
        self.grid.setCellWidget(row, UNIT, unit)
        self.grid.setCellWidget(row, QUANTITY, quantity)
        self.grid.setCellWidget(row, GIVEN_ON, given_on)
        self.grid.setItem(row, NOTE, QTableWidgetItem(line.note if line else ""))
        quantity.valueChanged.connect(self._show_stock)
        self._show_stock()
        return row

    def set_row(self, row: int, unit_id: int, quantity: int, given_on: date | None = None) -> None:
        select_data(self.grid.cellWidget(row, UNIT), unit_id)
        self.grid.cellWidget(row, QUANTITY).setValue(quantity)
        if given_on is not None:
            self.grid.cellWidget(row, GIVEN_ON).setDate(to_qdate(given_on))

    def distribution(self) -> list[materials.DistributionLine]:
        lines = []
        for row in range(self.grid.rowCount()):
            note = self.grid.item(row, NOTE)
            lines.append(materials.DistributionLine(
                self.grid.cellWidget(row, UNIT).currentData(), self.grid.cellWidget(row, QUANTITY).value(),
                to_date(self.grid.cellWidget(row, GIVEN_ON).date()), note.text() if note else ""))
        return lines

    def _show_stock(self) -> None:
        kind = self.current_kind()
        if kind is None:
            self.stock.clear()
            return
        given = sum(line.quantity or 0 for line in self.distribution())
        left = self.quantity.value() - given
        measure = kind.measure.label
        self.stock.setText(f"Đã cấp {count_text(given)} {measure} · còn {count_text(left)} {measure}"
                           if left >= 0 else f"Cấp vượt {count_text(-left)} {measure}")
        self.stock.setStyleSheet("" if left >= 0 else style.ERROR_STYLE)

    # ---- saving ----------------------------------------------------------------------------------
    def data(self) -> materials.MaterialInput:
        kind = self.current_kind()
        handed_out = kind is None or kind.measure.distributed
        return materials.MaterialInput(
            kind=kind, title=self.title_edit.text(), unit_id=self.unit.currentData(),
            issued_on=to_date(self.issued_on.date()), quantity=self.quantity.value(),
            outlet=self.outlet.currentText() if kind is not None and kind.has_outlet else "",
            notes=self.notes.toPlainText(), document_ids=self.documents.ids(),
            distribution=self.distribution() if handed_out else [])

    def write(self) -> int:
        db, actor = self.context.db, self.context.actor
        if self.material_id is None:
            return materials.create(db, actor, self.data())
        materials.update(db, actor, self.material_id, self.data(), expected_version=self.version)
        return self.material_id

    def clear_errors(self) -> None:
        self.form.clear_errors()
        self.grid_errors.hide()

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """The distribution's messages under its grid, the others under their fields."""
        grid = [message for key, message in errors.items() if key.startswith("distribution")]
        if grid:
            self.grid_errors.setText("\n".join(grid))
            self.grid_errors.show()
        return self.form.show_errors({k: v for k, v in errors.items() if not k.startswith("distribution")})
