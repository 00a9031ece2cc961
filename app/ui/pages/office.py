"""Thông tin cơ quan: the office profile, edited as dated versions (old reports keep old names)."""

from __future__ import annotations

from datetime import date

from app.services import profile
from app.services.auth import Permission
from app.ui.pages.base import CurrentPage
from app.ui.qt import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import Context
from app.ui.widgets.forms import FieldForm, run_action
from app.ui.widgets.profile_form import ProfileFields


class OfficePage(CurrentPage):
    title = "Thông tin cơ quan"
    watches = ("office_profile",)

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.versions = QListWidget()
        self.versions.setMaximumWidth(240)
        self.form = FieldForm()
        self.fields = ProfileFields(self.form)
        self.save_button = QPushButton("Lưu")
        self.save_button.setEnabled(context.actor.can(Permission.EDIT_PROFILE))
        self.message = QLabel()
        intro = QLabel("Mỗi lần thay đổi là một phiên bản áp dụng từ một ngày: báo cáo của kỳ trước vẫn in "
                       "theo tên gọi, người ký của kỳ đó. Lưu với ngày của phiên bản đang chọn để sửa phiên bản "
                       "đó; chọn ngày khác để tạo phiên bản mới.")
        intro.setWordWrap(True)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(intro)
        inner_layout.addLayout(self.form)
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.save_button)
        inner_layout.addLayout(row)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        side = QVBoxLayout()
        side.addWidget(QLabel("Các phiên bản"))
        side.addWidget(self.versions, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(side)
        layout.addWidget(scroll, 1)
        self.versions.currentItemChanged.connect(self._show_version)
        self.save_button.clicked.connect(self.save)
        self.refresh()

    def refresh(self, select: date | None = None) -> None:
        self._all = profile.versions(self.context.db)
        self.versions.clear()
        current = profile.in_force(self.context.db)
        for version in self._all:
            item = QListWidgetItem(f"Từ {version.valid_from:%d/%m/%Y} · nhiệm kỳ {version.term}")
            item.setData(Qt.ItemDataRole.UserRole, version.valid_from)
            self.versions.addItem(item)
            wanted = select or (current.valid_from if current else None)
            if version.valid_from == wanted:
                self.versions.setCurrentItem(item)

    def _show_version(self) -> None:
        item = self.versions.currentItem()
        if item is None:
            return
        chosen = next(v for v in self._all if v.valid_from == item.data(Qt.ItemDataRole.UserRole))
        self.fields.load(chosen)
        self.form.clear_errors()
        self.message.clear()

    def save(self) -> None:
        data = self.fields.read()
        if not run_action(self.form, self, lambda: profile.save(self.context.db, self.context.actor, data)):
            return
        self.refresh(select=data.valid_from)
        self.message.setText(f"Đã lưu phiên bản áp dụng từ {data.valid_from:%d/%m/%Y}.")
