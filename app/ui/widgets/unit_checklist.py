"""Units of the office's tree, indented, each with a tick box; quick choices for every chi bộ or
every đảng bộ directly under the top."""

from __future__ import annotations

from app.services import units
from app.services.units import UnitNode
from app.ui.qt import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)


class UnitChecklist(QWidget):
    changed = Signal()

    def __init__(self, nodes: list[UnitNode], *, editable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editable = editable
        self.list = QListWidget()
        self.summary = QLabel()
        buttons = QHBoxLayout()
        for text, pick in (("Mọi chi bộ", lambda n: n.kind.holds_members),
                           ("Các đảng bộ, chi bộ cấp dưới trực tiếp", lambda n: self._depth[n.id] == 1),
                           ("Bỏ chọn hết", lambda n: False)):
            button = QPushButton(text)
            button.setEnabled(editable)
            button.clicked.connect(lambda _checked=False, pick=pick: self.set_ids(
                [n.id for n in self.nodes.values() if n.active and pick(n)]))
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.summary)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.list, 1)
        column.addLayout(buttons)
        self.list.itemChanged.connect(self._changed)
        self.set_nodes(nodes)

    def set_nodes(self, nodes: list[UnitNode]) -> None:
        """Offer these units (the tree of another day), keeping the ticks of those still offered."""
        chosen = set(self.ids())
        self.nodes = {node.id: node for node in nodes}
        self.list.blockSignals(True)
        self.list.clear()
        depth: dict[int, int] = {}
        names = units.distinct_names(nodes)   # two villages, one name: told apart
        for node in nodes:
            depth[node.id] = depth[node.parent_id] + 1 if node.parent_id in depth else 0
            item = QListWidgetItem("    " * depth[node.id] + names[node.id])
            item.setData(Qt.ItemDataRole.UserRole, node.id)
            flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags if self.editable else flags & ~Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Checked if node.id in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self._depth = depth
        self.list.blockSignals(False)
        self._changed()

    def _items(self):
        return (self.list.item(row) for row in range(self.list.count()))

    def set_ids(self, unit_ids: list[int]) -> None:
        wanted = set(unit_ids)
        self.list.blockSignals(True)
        for item in self._items():
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self._changed()

    def ids(self) -> list[int]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self._items()
                if item.checkState() == Qt.CheckState.Checked]

    def _changed(self, _item=None) -> None:
        chosen = self.ids()
        self.summary.setText(f"Đã chọn <b>{len(chosen)}</b> đơn vị" if chosen else "Chưa chọn đơn vị nào")
        self.changed.emit()
