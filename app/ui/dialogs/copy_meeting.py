"""Nhân bản cho nhiều đơn vị: tick the units, one session each, in one action."""

from __future__ import annotations

from app.services import meetings
from app.services.errors import ServiceError, ValidationError
from app.services.scope import tree_in_scope
from app.ui import style
from app.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import Context, show_error


class CopyMeetingDialog(QDialog):
    def __init__(self, context: Context, meeting_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context, self.meeting_id = context, meeting_id
        self.created: list[int] = []
        source = meetings.get(context.db, context.actor, meeting_id).data
        self.setWindowTitle("Nhân bản cho nhiều đơn vị")
        self.resize(520, 520)
        intro = QLabel(f"Tạo một buổi «{source.title}» ngày {source.held_on:%d/%m/%Y} cho mỗi đơn vị được đánh dấu; "
                       "mỗi buổi có danh sách đảng viên của đơn vị đó, chưa điểm danh.")
        intro.setWordWrap(True)
        self.units = QListWidget()
        for node in tree_in_scope(context.db, context.actor, source.held_on):
            if node.id == source.unit_id or not node.active:
                continue
            item = QListWidgetItem(node.name)
            item.setData(Qt.ItemDataRole.UserRole, node.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.units.addItem(item)
        self.error = QLabel()
        self.error.setStyleSheet(style.ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Tạo các buổi")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.units, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def check(self, unit_ids: list[int]) -> None:
        for row in range(self.units.count()):
            item = self.units.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in unit_ids:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen(self) -> list[int]:
        return [self.units.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.units.count())
                if self.units.item(row).checkState() == Qt.CheckState.Checked]

    def create(self) -> None:
        try:
            self.created = meetings.copy_for_units(self.context.db, self.context.actor, self.meeting_id, self.chosen())
        except ValidationError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        except ServiceError as error:
            show_error(self, str(error))
            return
        self.accept()
