"""Việc đến hạn: what falls due this week in the user's scope, shown when the app opens (and from the
menu): reports owed up, reports from below not received, tracked documents' deadlines, cases to verify."""

from __future__ import annotations

from html import escape as escape_html

from app.services import due
from app.ui.qt import QDialog, QDialogButtonBox, QLabel, Qt, QVBoxLayout, QWidget
from app.ui.widgets.common import Context


def items_html(items: list[due.DueItem]) -> str:
    """The items under their headings, overdue ones in red."""
    if not items:
        return "Không có việc nào đến hạn trong tuần này."
    parts = []
    for heading in due.HEADINGS.values():
        mine = [item for item in items if item.heading == heading]
        if mine:
            lines = "".join(f"<li style='color:{'#b00020' if item.overdue else 'black'}'>{escape_html(item.text)}</li>"
                            for item in mine)
            parts.append(f"<p><b>{heading}</b></p><ul>{lines}</ul>")
    return "".join(parts)


class DueDialog(QDialog):
    def __init__(self, context: Context, items: list[due.DueItem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Việc đến hạn trong tuần")
        self.setMinimumWidth(560)
        self.items = items
        self.text = QLabel(items_html(items), wordWrap=True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Chào {context.actor.full_name}. Những việc đến hạn hoặc đã quá hạn trong phạm vi "
                                "của bạn:", wordWrap=True))
        layout.addWidget(self.text)
        layout.addWidget(buttons)
