"""Danh mục: the lists cases are described with, and the office's holiday exceptions, edited by an admin.
An entry in use can only be retired (it stays on the cases that carry it)."""

from __future__ import annotations

from datetime import date

from app.models.enums import ReferenceList, Regime
from app.services.cases import reference
from app.services.errors import ServiceError
from app.services.numbers import count_text, short_date
from app.ui.dialogs.form_dialog import FormDialog
from app.ui.pages.base import ClockDefault, CurrentPage
from app.ui.qt import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import Column, ListTableModel
from app.ui.widgets.common import (
    Context,
    date_edit,
    delete_confirmed,
    row_table,
    select_data,
    show_error,
    to_date,
)

HOLIDAYS = "holidays"


class ReferencePage(CurrentPage):
    title = "Danh mục"
    watches = ("reference_item", "holiday_exception", "case_file")

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.which = QComboBox()
        for which in ReferenceList:
            self.which.addItem(which.label, which.value)
        self.which.addItem("Ngày nghỉ, ngày làm bù (tính thời hạn)", HOLIDAYS)
        self.year = QSpinBox(minimum=2015, maximum=2100)
        self.clock_defaults.append(ClockDefault(self.year.value, self.year.setValue, lambda today: today.year))
        self.year_label = QLabel("Năm")
        self.add_button, self.edit_button = QPushButton("Thêm…"), QPushButton("Sửa…")
        self.retire_button, self.delete_button = QPushButton("Ngừng dùng / dùng lại"), QPushButton("Xóa")
        self.note = QLabel(wordWrap=True)
        self.note.setStyleSheet("color: #555;")
        self.items = ListTableModel([
            Column("Mã", lambda r: r.code), Column("Tên", lambda r: r.name),
            Column("Nhóm / chế độ", lambda r: reference.SIGN_GROUPS.get(r.grouping, "") or (r.regime.label if r.regime
                                                                                          else "")),
            Column("Số vụ việc dùng", lambda r: count_text(r.uses), align_right=True),
            Column("Trạng thái", lambda r: "Ngừng dùng" if r.retired else "Đang dùng")], parent=self)
        self.days = ListTableModel([
            Column("Ngày", lambda r: short_date(r.day)), Column("Là", lambda r: "Ngày làm việc" if r.working
                                                                else "Ngày nghỉ"),
            Column("Ghi chú", lambda r: r.note), Column("Theo lịch nghỉ lễ", lambda r: r.library_name)], parent=self)
        self.table = row_table(self.items, [80, 560, 220, 110], single=True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Danh mục"))
        top.addWidget(self.which, 2)
        top.addWidget(self.year_label)
        top.addWidget(self.year)
        top.addStretch(1)
        for button in (self.add_button, self.edit_button, self.retire_button, self.delete_button):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self.which.currentIndexChanged.connect(self.refresh)
        self.year.valueChanged.connect(self.refresh)
        self.add_button.clicked.connect(lambda: self.edit(None))
        self.edit_button.clicked.connect(lambda: self.edit(self.selected()))
        self.table.activated.connect(lambda _index: self.edit(self.selected()))
        self.retire_button.clicked.connect(self.toggle_retired)
        self.delete_button.clicked.connect(self.delete_selected)
        self.refresh()

    def list_name(self) -> ReferenceList | None:
        value = self.which.currentData()
        return None if value == HOLIDAYS else ReferenceList(value)

    def refresh(self) -> None:
        which, db, actor = self.list_name(), self.context.db, self.context.actor
        holidays = which is None
        self.year.setVisible(holidays)
        self.year_label.setVisible(holidays)
        self.edit_button.setVisible(not holidays)
        self.retire_button.setVisible(not holidays)
        model, widths = (self.days, [90, 140, 420]) if holidays else (self.items, [80, 560, 220, 110])
        if self.table.model() is not model:
            self.table.setModel(model)
            for column, width in enumerate(widths):
                self.table.horizontalHeader().resizeSection(column, width)
        if holidays:
            self.days.set_rows(reference.holidays(db, actor, self.year.value()))
            self.note.setText("Lễ, Tết (cả Tết Nguyên Đán theo âm lịch) đã có sẵn theo lịch nghỉ lễ của Việt Nam. Ở đây "
                              "chỉ ghi các ngày Chính phủ cho nghỉ bù hoặc làm bù trong năm.")
        else:
            self.items.set_rows(reference.items(db, actor, which, with_retired=True, with_uses=True))
            self.note.setText("Mã đã dùng cho vụ việc không đổi và không xóa được, chỉ ngừng dùng: vụ việc cũ vẫn giữ "
                              "mục này, vụ việc mới không chọn được nữa.")

    def selected(self):
        index = self.table.currentIndex()
        return self.table.model().row_at(index.row()) if index.isValid() else None

    def edit(self, row) -> bool:
        which = self.list_name()
        if which is None:
            return self._edit_day()
        dialog = FormDialog(f"{which.label}: {'sửa' if row else 'thêm'}", self)
        code = dialog.add("code", "Mã", QLineEdit(row.code if row else ""))
        name = dialog.add("name", "Tên", QLineEdit(row.name if row else ""))
        group = regime = None
        if which is ReferenceList.SIGN:
            group = dialog.add("grouping", "Nhóm", QComboBox())
            for key, label in reference.SIGN_GROUPS.items():
                group.addItem(f"{key} — {label}", key)
            select_data(group, row.grouping if row else "ĐĐ")
        if which is ReferenceList.HANDLING_BODY:
            regime = dialog.add("regime", "Chế độ thời hạn", QComboBox())
            for value in Regime:
                regime.addItem(value.label, value.value)
            select_data(regime, row.regime.value if row and row.regime else Regime.PARTY.value)
        saved = dialog.run(lambda: reference.save(
            self.context.db, self.context.actor, which, row.id if row else None,
            reference.ReferenceInput(code.text(), name.text(), group.currentData() if group else "",
                                     Regime(regime.currentData()) if regime else None)))
        if saved:
            self.refresh()
        return saved

    def _edit_day(self) -> bool:
        dialog = FormDialog("Ngày nghỉ bù, ngày làm bù", self)
        day = dialog.add("day", "Ngày", date_edit(date(self.year.value(), 1, 1)))
        working = dialog.add("working", "", QCheckBox("Là ngày làm việc (làm bù), không phải ngày nghỉ"))
        note = dialog.add("note", "Ghi chú", QLineEdit())
        saved = dialog.run(lambda: reference.save_holiday(self.context.db, self.context.actor, to_date(day.date()),
                                                          working.isChecked(), note.text()))
        if saved:
            self.refresh()
        return saved

    def toggle_retired(self) -> bool:
        row = self.selected()
        if row is None or self.list_name() is None:
            return False
        try:
            reference.set_retired(self.context.db, self.context.actor, row.id, not row.retired)
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self.refresh()
        return True

    def delete_selected(self) -> bool:
        row, db, actor = self.selected(), self.context.db, self.context.actor
        if row is None:
            return False
        if self.list_name() is None:
            done = delete_confirmed(self, lambda: _Versioned(row), lambda r: f"Bỏ điều chỉnh ngày {short_date(row.day)}?",
                                    lambda _version: reference.delete_holiday(db, actor, row.day))
        else:
            done = delete_confirmed(self, lambda: _Versioned(row), lambda r: f"Xóa mục {row.code} — {row.name}?",
                                    lambda _version: reference.delete(db, actor, row.id))
        if done:
            self.refresh()
        return done


class _Versioned:
    """Danh mục rows carry no version: the delete flow's record stand-in."""

    version = 0

    def __init__(self, row) -> None:
        self.row = row
