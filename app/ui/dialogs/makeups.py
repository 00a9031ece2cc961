"""Học bù: per document and unit, the members absent and not yet made up; record make-ups for them."""

from __future__ import annotations

from app.services import documents, meetings
from app.services.auth import Permission
from app.services.errors import ServiceError, ValidationError
from app.services.numbers import short_date
from app.services.scope import tree_in_scope
from app.ui import style
from app.ui.fit import narrow_combos, within_screen
from app.ui.qt import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from app.ui.tables import Column, ListTableModel
from app.ui.widgets.common import Context, date_edit, fill_units, row_table, to_date


class MakeupDialog(QDialog):
    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Học bù: đảng viên vắng chưa học bù")
        self.resize(*within_screen(960, 600))
        self.document = QComboBox()
        self.document.addItem("— chọn văn bản —", None)
        for row in documents.search(context.db, context.actor, limit=500):
            self.document.addItem(row.label[:120], row.id)
        self.unit = QComboBox()
        fill_units(self.unit, tree_in_scope(context.db, context.actor), first="Mọi đơn vị", active_only=False)
        self.model = ListTableModel([
            Column("Chi bộ", lambda r: r.unit_name), Column("Họ và tên", lambda r: r.full_name),
            Column("Năm sinh", lambda r: r.birth_year, align_right=True), Column("Buổi", lambda r: r.meeting_title),
            Column("Ngày", lambda r: short_date(r.held_on)), Column("Vắng", lambda r: r.presence.label),
            Column("Lý do", lambda r: r.reason)], parent=self)
        self.table = row_table(self.model, [170, 170, 70, 250, 80, 110])
        self.count = QLabel("Chọn một văn bản để xem ai còn phải học bù.")
        self.on = date_edit()
        self.how = QLineEdit(placeholderText="Hình thức: nghiên cứu tài liệu, viết thu hoạch…")
        self.at_session = QComboBox()
        self.at_session.setToolTip("Hoặc chọn buổi (đã tổ chức, cùng văn bản) mà đảng viên đã dự để học bù")
        self.at_session.setMinimumWidth(260)
        self.record_button = QPushButton("Ghi nhận học bù cho các dòng đã chọn")
        self.record_button.setEnabled(context.actor.can(Permission.EDIT_MEETINGS))
        self.error = QLabel()
        self.error.setStyleSheet(style.ERROR_STYLE)
        self.error.setWordWrap(True)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Văn bản"))
        filters.addWidget(self.document, 3)
        filters.addWidget(QLabel("Đơn vị"))
        filters.addWidget(self.unit, 2)
        record = QHBoxLayout()
        record.addWidget(QLabel("Ngày học bù"))
        record.addWidget(self.on)
        record.addWidget(self.how, 2)
        record.addWidget(QLabel("hoặc dự buổi"))
        record.addWidget(self.at_session, 2)
        record.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addLayout(record)
        layout.addWidget(self.error)
        self.document.currentIndexChanged.connect(self._fill_sessions)
        self.document.currentIndexChanged.connect(self.refresh)
        self.unit.currentIndexChanged.connect(self.refresh)
        self.at_session.currentIndexChanged.connect(self._session_chosen)
        self._fill_sessions()
        self.record_button.clicked.connect(self.record_selected)
        narrow_combos(self)   # long document titles: the lists open whole, the window fits a laptop

    def _fill_sessions(self) -> None:
        self.at_session.clear()
        self.at_session.addItem("(không — ghi theo ngày và hình thức)", None)
        document_id = self.document.currentData()
        if document_id is not None:
            for row in meetings.makeup_sessions(self.context.db, self.context.actor, document_id):
                self.at_session.addItem(row.label[:110], row.id)

    def _session_chosen(self) -> None:
        """A chosen session gives the date and the how; the fields for them step aside."""
        by_date = self.at_session.currentData() is None
        self.on.setEnabled(by_date)
        self.how.setEnabled(by_date)

    def refresh(self) -> None:
        document_id = self.document.currentData()
        rows = [] if document_id is None else meetings.absentees(self.context.db, self.context.actor, document_id,
                                                                 unit_id=self.unit.currentData())
        self.model.set_rows(rows)
        if document_id is not None:
            units_owing = len({row.unit_name for row in rows})
            self.count.setText(f"{len(rows)} lượt vắng chưa học bù, ở {units_owing} đơn vị." if rows
                               else "Không còn ai phải học bù văn bản này.")

    def record_selected(self) -> int:
        """A make-up for each selected line, each its own transaction (one refusal leaves the others done)."""
        self.error.clear()
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        done, refused = 0, []
        for row in rows:
            line = self.model.row_at(row)
            try:
                meetings.record_makeup(self.context.db, self.context.actor, line.attendance_id,
                                       on=to_date(self.on.date()), how=self.how.text() if self.how.isEnabled() else "",
                                       makeup_meeting_id=self.at_session.currentData())
                done += 1
            except ValidationError as error:
                refused.append(f"{line.full_name}: {error}")
            except ServiceError as error:
                refused.append(f"{line.full_name}: {error}")
        self.error.setText("\n".join(refused[:6]))
        self.refresh()
        return done
