"""Thông tin cơ quan: each issuing office's profile (the install's own, and each commune Đảng ủy whose
clerks work here), edited as dated versions (old reports keep old names)."""

from __future__ import annotations

from datetime import date

from app.models.enums import UnitKind
from app.services import profile, units
from app.services.auth import Permission
from app.ui.pages.base import CurrentPage
from app.ui.qt import (
    QComboBox,
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
from app.ui.widgets.common import Context, select_data
from app.ui.widgets.forms import FieldForm, run_action
from app.ui.widgets.profile_form import ProfileFields


class OfficePage(CurrentPage):
    title = "Thông tin cơ quan"
    watches = ("office_profile",)

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        editable = context.actor.can(Permission.EDIT_PROFILE)
        self.office = QComboBox()
        self.office.setMinimumContentsLength(24)
        self.add_office = QPushButton("Thêm cơ quan…")
        self.add_office.setToolTip("Lập thông tin cho một đảng ủy xã có cán bộ làm việc trên máy chủ này: báo "
                                   "cáo, công văn của xã in dưới tên, số và người ký của xã.")
        self.add_office.setVisible(editable)
        self.schedule_button = QPushButton("Lịch báo cáo của cấp dưới…")
        self.schedule_button.setToolTip("Báo cáo định kỳ đơn vị cấp dưới phải gửi lên cơ quan, và hạn nộp")
        self.schedule_button.setVisible(editable)
        self.new_unit = QComboBox()   # only while a new office is being made
        self.new_unit_label = QLabel("Đơn vị của cơ quan mới:")
        self.versions = QListWidget()
        self.versions.setMaximumWidth(240)
        self.form = FieldForm()
        self.fields = ProfileFields(self.form)
        self.save_button = QPushButton("Lưu")
        self.save_button.setEnabled(editable)
        self.message = QLabel()
        self.message.setWordWrap(True)
        intro = QLabel("Mỗi cơ quan ban hành văn bản có thông tin riêng: huyện và từng đảng ủy xã có cán bộ làm "
                       "việc trên máy này. Mỗi lần thay đổi là một phiên bản áp dụng từ một ngày: báo cáo của kỳ "
                       "trước vẫn in theo tên gọi, người ký của kỳ đó. Lưu với ngày của phiên bản đang chọn để sửa "
                       "phiên bản đó; chọn ngày khác để tạo phiên bản mới.")
        intro.setWordWrap(True)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(intro)
        new_row = QHBoxLayout()
        new_row.addWidget(self.new_unit_label)
        new_row.addWidget(self.new_unit, 1)
        inner_layout.addLayout(new_row)
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
        side.addWidget(QLabel("Cơ quan"))
        side.addWidget(self.office)
        side.addWidget(self.add_office)
        side.addWidget(self.schedule_button)
        side.addWidget(QLabel("Các phiên bản"))
        side.addWidget(self.versions, 1)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setMaximumWidth(260)
        layout = QHBoxLayout(self)
        layout.addWidget(side_box)
        layout.addWidget(scroll, 1)
        self._making = False
        self._show_new_unit(False)
        self.versions.currentItemChanged.connect(self._show_version)
        self.office.currentIndexChanged.connect(lambda _index: self._office_chosen())
        self.add_office.clicked.connect(self.start_new_office)
        self.schedule_button.clicked.connect(self.show_schedule)
        self.save_button.clicked.connect(self.save)
        self.refresh()

    def show_schedule(self):
        from app.ui.dialogs.schedule import ScheduleDialog

        dialog = ScheduleDialog(self.context, self)
        dialog.open()
        return dialog

    def _show_new_unit(self, shown: bool) -> None:
        self.new_unit.setVisible(shown)
        self.new_unit_label.setVisible(shown)

    def refresh(self, select: date | None = None, office: int | None = None) -> None:
        wanted = office if office is not None else self.office.currentData()
        self.office.blockSignals(True)
        self.office.clear()
        for found in profile.offices(self.context.db):
            label = found.issuing_body + (" (cơ quan mình)" if found.own else f" — {found.unit_name}")
            self.office.addItem(label, found.unit_id)
        select_data(self.office, wanted)
        self.office.blockSignals(False)
        self._office_chosen(select)

    def _office_chosen(self, select: date | None = None) -> None:
        self._making = False
        self._show_new_unit(False)
        unit_id = self.office.currentData()
        self._all = profile.versions(self.context.db, unit_id) if unit_id is not None else []
        current = profile.in_force(self.context.db, unit_id=unit_id) if unit_id is not None else None
        wanted = select or (current.valid_from if current else None)
        self.versions.blockSignals(True)   # rebuilt whole; the chosen version is shown once, below
        self.versions.clear()
        for version in self._all:
            item = QListWidgetItem(f"Từ {version.valid_from:%d/%m/%Y} · nhiệm kỳ {version.term}")
            item.setData(Qt.ItemDataRole.UserRole, version.valid_from)
            self.versions.addItem(item)
            if version.valid_from == wanted:
                self.versions.setCurrentItem(item)
        self.versions.blockSignals(False)
        self._show_version()

    def _show_version(self) -> None:
        item = self.versions.currentItem()
        if item is None:
            return
        chosen = next((v for v in self._all if v.valid_from == item.data(Qt.ItemDataRole.UserRole)), None)
        if chosen is None:
            return
        self.fields.load(chosen)
        self.form.clear_errors()
        self.message.clear()

    def start_new_office(self) -> None:
        """A profile for a Đảng bộ that has none yet, started from the own office's current one."""
        taken = {self.office.itemData(index) for index in range(self.office.count())}
        self.new_unit.clear()
        for node in units.tree(self.context.db, self.context.actor):
            if node.active and node.kind in (UnitKind.DANG_BO, UnitKind.DANG_BO_CO_SO) and node.id not in taken:
                self.new_unit.addItem(f"{node.name} ({node.code})", node.id)
        if not self.new_unit.count():
            self.message.setText("Mọi đảng bộ đã có thông tin cơ quan.")
            return
        self._making = True
        self._show_new_unit(True)
        self.versions.blockSignals(True)
        self.versions.clear()
        self.versions.blockSignals(False)
        own = profile.in_force(self.context.db)
        if own is not None:
            self.fields.load(profile.ProfileInput(
                valid_from=own.valid_from, parent_body=own.parent_body, issuing_body="ĐẢNG ỦY XÃ ", issuing_code="ĐU",
                place_name="", unit_word="toàn xã", signer_authority="T/M ĐẢNG ỦY", signer_position="PHÓ BÍ THƯ",
                signer_name="", recipients="- Lưu VP ĐU.", term=own.term, attendance_target=own.attendance_target,
                heading_style=own.heading_style))
        self.form.clear_errors()
        self.message.setText("Chọn đơn vị, điền thông tin của đảng ủy đó rồi bấm «Lưu».")
        self.new_unit.setFocus()

    def save(self) -> None:
        data = self.fields.read()
        data.unit_id = self.new_unit.currentData() if self._making else self.office.currentData()
        if not run_action(self.form, self, lambda: profile.save(self.context.db, self.context.actor, data)):
            return
        self.refresh(select=data.valid_from, office=data.unit_id)
        self.message.setText(f"Đã lưu phiên bản áp dụng từ {data.valid_from:%d/%m/%Y}.")
