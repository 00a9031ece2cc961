"""The mapping step of every import: the header row and, for each field, the file's column."""

from __future__ import annotations

from collections.abc import Callable

from app.services import columns
from app.services.columns import Field, Mapping
from app.services.sheets import Table
from app.ui.qt import QComboBox, QGridLayout, QGroupBox, QLabel, QSpinBox, QWidget, Signal


class ColumnMappingBox(QGroupBox):
    """Shows the guessed mapping; the user may move the header row or pick another column."""

    changed = Signal()

    def __init__(self, table: Table, fields: tuple[Field, ...], at: Callable[[Table, int], Mapping],
                 guess: Mapping, required: tuple[str, ...], title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.table, self._at = table, at
        self._header_rows = guess.header_rows
        self.header_line = QSpinBox(minimum=0, maximum=max(len(table.rows), 1))
        self.header_line.setValue(guess.header_line)
        self.header_line.setMaximumWidth(90)
        self.header_line.setToolTip("Dòng cuối cùng của phần tiêu đề bảng; dữ liệu bắt đầu ngay dưới dòng này.")
        self.columns: dict[str, QComboBox] = {}
        grid = QGridLayout(self)
        grid.addWidget(QLabel("Dòng tiêu đề"), 0, 0)
        grid.addWidget(self.header_line, 0, 1)
        for index, field in enumerate(fields, start=2):
            combo = QComboBox()
            combo.setMinimumWidth(220)
            self.columns[field.key] = combo
            label = f"{field.label} *" if field.key in required else field.label
            grid.addWidget(QLabel(label), index // 2, (index % 2) * 2)
            grid.addWidget(combo, index // 2, (index % 2) * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self._fill(guess)
        self.header_line.valueChanged.connect(self._header_moved)
        for combo in self.columns.values():
            combo.currentIndexChanged.connect(self.changed)

    def _fill(self, mapping: Mapping) -> None:
        titles = columns.column_titles(self.table, mapping)
        for key, combo in self.columns.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("(không có)", None)
            for column, title in enumerate(titles):
                combo.addItem(title, column)
            combo.setCurrentIndex(combo.findData(mapping.columns[key]) if key in mapping.columns else 0)
            combo.blockSignals(False)
        self._header_rows = mapping.header_rows

    def _header_moved(self, line: int) -> None:
        self._fill(self._at(self.table, line))
        self.changed.emit()

    def choose(self, key: str, column: int | None) -> None:
        """Point a field at a column (0-based), or at none."""
        combo = self.columns[key]
        combo.setCurrentIndex(0 if column is None else combo.findData(column))

    def mapping(self) -> Mapping:
        chosen = {key: combo.currentData() for key, combo in self.columns.items() if combo.currentData() is not None}
        return Mapping(self.header_line.value(), chosen, self._header_rows)
