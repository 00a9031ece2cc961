"""Lịch báo cáo: which reports the offices under this one owe it, and by when; adjusted in one «Lưu»."""

from __future__ import annotations

from app.services import schedule
from app.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import Context
from app.ui.widgets.forms import run_action

MONTHS_AFTER = ["tháng cuối kỳ", "tháng sau kỳ", "2 tháng sau kỳ"]


class ScheduleDialog(QDialog):
    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Lịch báo cáo của cấp dưới")
        self.setMinimumWidth(540)   # the explanation reads in three lines, not seven
        intro = QLabel("Các báo cáo định kỳ đơn vị cấp dưới phải gửi lên cơ quan, và hạn nộp: ngày nào của tháng "
                       "cuối kỳ (hoặc tháng sau kỳ). Mặc định: báo cáo tháng, quý, 6 tháng, 9 tháng trước ngày 20 tháng "
                       "cuối kỳ; báo cáo năm trước ngày 15/12.")
        intro.setWordWrap(True)
        grid = QGridLayout()
        self.days: dict[str, QSpinBox] = {}
        self.after: dict[str, QComboBox] = {}
        for row, duty in enumerate(schedule.duties(context.db, context.actor)):
            day = QSpinBox(minimum=1, maximum=schedule.LAST_DAY, prefix="ngày ")
            day.setValue(duty.due_day)
            month = QComboBox()
            month.addItems(MONTHS_AFTER)
            month.setCurrentIndex(duty.months_after)
            grid.addWidget(QLabel(duty.label), row, 0)
            grid.addWidget(day, row, 1)
            grid.addWidget(month, row, 2)
            self.days[duty.kind], self.after[duty.kind] = day, month
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Lưu")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.buttons)

    def save(self) -> bool:
        wanted = [schedule.Duty(kind, self.days[kind].value(), self.after[kind].currentIndex()) for kind in self.days]
        if not run_action(None, self, lambda: schedule.set_duties(self.context.db, self.context.actor, wanted),
                          place=lambda errors: list(errors.values())):   # no fields of its own: one box says it
            return False
        self.accept()
        return True
