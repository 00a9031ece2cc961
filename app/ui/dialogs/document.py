"""A document of the register: its record and attached text, what it implements, the office's
tracking (units, deadline, target), and, once saved, its chain, sessions and materials."""

from __future__ import annotations

import tempfile
from pathlib import Path

from app.models.enums import DocumentKind
from app.services import documents
from app.services.auth import Permission
from app.services.errors import ServiceError, ValidationError
from app.services.meetings import figures as meeting_figures
from app.services.meetings import listing as meeting_list
from app.services.meetings import read_attachment
from app.services.numbers import count_text, percent_text, short_date
from app.services.outreach import materials
from app.services.scope import tree_in_scope
from app.ui.dialogs.record import RecordDialog
from app.ui.qt import (
    QComboBox,
    QDesktopServices,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFont,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QUrl,
    QVBoxLayout,
    QWidget,
    Signal,
)
from app.ui.tables import Column, ListTableModel, PagedTableModel
from app.ui.widgets.common import (
    Context,
    date_edit,
    optional_date,
    optional_date_edit,
    row_table,
    select_data,
    show_error,
    to_date,
    to_qdate,
)
from app.ui.widgets.document_picker import DocumentPicker
from app.ui.widgets.forms import FieldForm
from app.ui.widgets.unit_checklist import UnitChecklist

TRACKING_FIELDS = ("deadline", "target", "required_unit_ids")


def _page(layout, *, top: bool = False) -> QWidget:
    """A tab holding the layout; `top` keeps a form at its natural height, the space left below."""
    page = QWidget()
    if top:
        column = QVBoxLayout(page)
        column.addLayout(layout)
        column.addStretch(1)
    else:
        page.setLayout(layout)
    return page


class DocumentDialog(RecordDialog):
    meeting_wanted = Signal(int)   # a session in the tracking tab was opened: the page shows it

    def __init__(self, context: Context, parent: QWidget | None = None, *, document_id: int | None = None) -> None:
        super().__init__(context, parent, editable=context.actor.can(Permission.EDIT_DOCUMENTS),
                         title="Vào sổ văn bản" if document_id is None else "Văn bản")
        self.document_id = document_id
        self.version: int | None = None
        self._file: tuple[str, bytes | None, str | None] = ("", None, None)   # name, new bytes, stored sha256

        self.tabs = QTabWidget()
        self.tabs.addTab(self._record_tab(), "Văn bản")
        self.tabs.addTab(self._tracking_tab(), "Theo dõi thực hiện")
        self.coverage_button = self.buttons.addButton("Tình hình thực hiện…", QDialogButtonBox.ButtonRole.ActionRole)
        self.coverage_button.setVisible(document_id is not None)
        self.coverage_button.clicked.connect(self.show_coverage)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        if document_id is not None:
            self._fill(documents.get(context.db, context.actor, document_id))
            self.tabs.addTab(self._chain_tab(), "Chuỗi văn bản")
            self.tabs.addTab(*self._sessions_tab())
            self.tabs.addTab(*self._materials_tab())
        self._show_file()

    # ---- the record and its tracking -------------------------------------------------------------
    def _record_tab(self) -> QWidget:
        self.form = FieldForm()
        self.number = self.form.add("number", "Số, ký hiệu", QLineEdit(placeholderText="54-KL/TW"))
        self.kind = self.form.add("kind", "Loại văn bản", QComboBox())
        self.kind.addItem("— chọn —", None)
        for kind in DocumentKind:
            self.kind.addItem(f"{kind.label} ({kind.value})", kind)
        self.issuer = self.form.add("issuer", "Cơ quan ban hành", QLineEdit(placeholderText="Ban Bí thư"))
        self.issued_on = self.form.add("issued_on", "Ngày ban hành", date_edit())
        self.summary = self.form.add("summary", "Trích yếu", QPlainTextEdit())
        self.summary.setFixedHeight(64)
        self.implements = self.form.add("implements_ids", "Thực hiện văn bản",
                                        DocumentPicker(self.context, editable=self.editable, height=56,
                                                       placeholder="Văn bản cấp trên mà văn bản này triển khai…",
                                                       register_new=self.register_new(self.context)))
        self.implements.setToolTip("Ví dụ Kế hoạch 234-KH/TU thực hiện Kết luận 54-KL/TW.")
        self.file_label = QLabel()
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_file, self.open_file_button = QPushButton("Chọn tệp…"), QPushButton("Mở")
        self.drop_file = QPushButton("Bỏ tệp")
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.file_label, 1)
        for button in (self.choose_file, self.open_file_button, self.drop_file):
            row.addWidget(button)
        self.choose_file.setEnabled(self.editable)
        self.drop_file.setEnabled(self.editable)
        self.form.add("file", "Tệp văn bản", box)
        self.number.textChanged.connect(self._kind_from_number)
        self.choose_file.clicked.connect(self._ask_for_file)
        self.open_file_button.clicked.connect(self.open_file)
        self.drop_file.clicked.connect(lambda: self._set_file("", None, None))
        return _page(self.form, top=True)

    def _tracking_tab(self) -> QWidget:
        self.tracking_form = FieldForm()
        intro = QLabel("Đặt các đơn vị phải tổ chức học tập, quán triệt văn bản này, thời hạn và chỉ tiêu tham dự "
                       "riêng (nếu có). Văn bản không chọn đơn vị nào thì không theo dõi thực hiện.")
        intro.setWordWrap(True)
        self.tracking_form.addRow(intro)
        self.deadline = self.tracking_form.add("deadline", "Thời hạn hoàn thành", optional_date_edit(None))
        office_target = meeting_figures.attendance_target(self.context.db)
        self.target = self.tracking_form.add("target", "Chỉ tiêu tham dự (%)", QLineEdit(
            placeholderText=f"để trống: theo chỉ tiêu chung của cơ quan ({percent_text(float(office_target), 0)})"))
        self.required_units = self.tracking_form.add("required_unit_ids", "Đơn vị phải thực hiện",
                                                     UnitChecklist(self._units_to_offer(), editable=self.editable))
        self.required_units.list.setMinimumHeight(300)
        for widget in (self.deadline, self.target):
            widget.setEnabled(self.editable)
        self.deadline.dateChanged.connect(self._tracking_day_changed)
        self.issued_on.dateChanged.connect(self._tracking_day_changed)
        return _page(self.tracking_form)

    def _units_to_offer(self) -> list:
        self._day = documents.tracking_day(to_date(self.issued_on.date()), optional_date(self.deadline))
        return tree_in_scope(self.context.db, self.context.actor, self._day)

    def _tracking_day_changed(self) -> None:
        """Units merge and split: the tree offered is the one of the deadline."""
        if documents.tracking_day(to_date(self.issued_on.date()), optional_date(self.deadline)) != self._day:
            self.required_units.set_nodes(self._units_to_offer())

    def _kind_from_number(self, text: str) -> None:
        kind = documents.kind_of_number(text)
        if kind is not None:
            select_data(self.kind, kind)

    def _fill(self, detail: documents.DocumentDetail) -> None:
        data = detail.data
        self.version = detail.version
        self.number.setText(data.number)
        select_data(self.kind, data.kind)
        self.issuer.setText(data.issuer)
        self.issued_on.setDate(to_qdate(data.issued_on))
        self.summary.setPlainText(data.summary)
        self.implements.set_ids(data.implements_ids)
        self._file = (data.file_name, None, data.file_sha256)
        self._file_size = detail.file_size
        if data.deadline:
            self.deadline.setDate(to_qdate(data.deadline))
        self.target.setText("" if data.target is None else f"{data.target.normalize():f}".replace(".", ","))
        self.required_units.set_ids(data.required_unit_ids)
        self.setWindowTitle(f"{data.kind.label} số {data.number} ngày {short_date(data.issued_on)}")
        for widget in (self.number, self.issuer, self.summary):
            widget.setReadOnly(not self.editable)
        self.kind.setEnabled(self.editable)
        self.issued_on.setEnabled(self.editable)

    # ---- the attached text -----------------------------------------------------------------------
    def _set_file(self, name: str, data: bytes | None, sha256: str | None) -> None:
        self._file = (name, data, sha256)
        self._file_size = len(data) if data is not None else 0
        self._show_file()

    def _show_file(self) -> None:
        name, data, sha256 = self._file
        has = data is not None or sha256 is not None
        size = getattr(self, "_file_size", 0)
        self.file_label.setText(f"{name}  ({max(1, size // 1024)} KB)" if has else "Chưa đính kèm tệp")
        self.open_file_button.setEnabled(has)
        self.drop_file.setEnabled(self.editable and has)

    def _ask_for_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp văn bản", str(Path.home()),
                                              "Văn bản (*.pdf *.doc *.docx *.jpg *.jpeg *.png);;Mọi tệp (*)")
        if path:
            self.attach(Path(path))

    def attach(self, path: Path) -> bool:
        self.form.clear_errors()
        try:
            line = read_attachment(path)
        except ValidationError as error:
            self.form.show_errors({"file": str(error)})
            return False
        self._set_file(line.name, line.data, None)
        return True

    def open_file(self) -> Path | None:
        """Write the text to a temporary file and open it with the system's viewer."""
        name, data, _sha256 = self._file
        try:
            if data is None:
                name, data = documents.file_bytes(self.context.db, self.context.actor, self.document_id)
        except ServiceError as error:
            show_error(self, str(error))
            return None
        target = Path(tempfile.mkdtemp(prefix="sotuyengiao-")) / name
        target.write_bytes(data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
        return target

    # ---- what a saved document is part of -------------------------------------------------------
    def _chain_tab(self) -> QWidget:
        self.chain = QTreeWidget()
        self.chain.setHeaderLabels(["Văn bản", "Ngày", "Trích yếu"])
        self.chain.setColumnWidth(0, 300)
        self.chain.setColumnWidth(1, 90)
        parents: list[QTreeWidgetItem] = []
        for line in documents.chain(self.context.db, self.context.actor, self.document_id):
            doc = line.document
            item = QTreeWidgetItem([f"{doc.kind.label} {doc.number}", short_date(doc.issued_on), doc.summary])
            item.setToolTip(2, doc.summary)
            if line.is_this:
                font = QFont()
                font.setBold(True)
                for column in range(3):
                    item.setFont(column, font)
            del parents[line.depth:]
            (parents[-1].addChild(item) if parents else self.chain.addTopLevelItem(item))
            parents.append(item)
        self.chain.expandAll()
        hint = QLabel("Văn bản cấp trên ở trên, các văn bản triển khai thực hiện nó ở dưới; văn bản đang xem in đậm.")
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout()
        layout.addWidget(hint)
        layout.addWidget(self.chain, 1)
        return _page(layout)

    def _sessions_tab(self) -> tuple[QWidget, str]:
        flt = meeting_list.MeetingFilter(document_id=self.document_id)
        self.sessions = PagedTableModel(
            [Column("Ngày", lambda r: short_date(r.held_on), "held_on"),
             Column("Đơn vị", lambda r: r.unit_name, "unit"),
             Column("Tên hội nghị", lambda r: r.title, "title"),
             Column("Đảng viên dự", lambda r: f"{r.present + r.made_up}/{r.expected}" if r.expected else "",
                    "present", align_right=True)],
            lambda sort, desc, after, limit: meeting_list.list_page(
                self.context.db, self.context.actor, flt, sort=sort, descending=desc, after=after, limit=limit),
            lambda r: (r.sort_value, r.id), sort="held_on", descending=False, parent=self)
        self.sessions.reload()
        self.sessions_table = row_table(self.sessions, [90, 220, 380], single=True)
        self.sessions_table.doubleClicked.connect(
            lambda index: self._open_meeting(self.sessions.row_at(index.row()).id))
        total = meeting_list.count(self.context.db, self.context.actor, flt)
        label = QLabel(f"{count_text(total)} hội nghị, buổi sinh hoạt đã phổ biến văn bản này trong phạm vi của bạn."
                       if total else "Chưa có hội nghị nào phổ biến văn bản này.")
        layout = QVBoxLayout()
        layout.addWidget(label)
        layout.addWidget(self.sessions_table, 1)
        return _page(layout), f"Hội nghị đã phổ biến ({count_text(total)})"

    def _open_meeting(self, meeting_id: int) -> None:
        self.meeting_wanted.emit(meeting_id)

    @staticmethod
    def register_new(context: Context):
        """What a document picker calls to enter a new document: this dialog, answering its new id."""
        return lambda parent: DocumentDialog(context, parent).ask()

    def _materials_tab(self) -> tuple[QWidget, str]:
        rows = materials.for_document(self.context.db, self.context.actor, self.document_id)
        self.materials = ListTableModel(
            [Column("Ngày", lambda r: short_date(r[1])),
             Column("Loại", lambda r: r[2].label),
             Column("Tên tài liệu, tin bài", lambda r: r[3]),
             Column("Số lượng", lambda r: materials.measure_text(r[2], r[4]), align_right=True)], parent=self)
        self.materials.set_rows(rows)
        self.materials_table = row_table(self.materials, [90, 130, 430])
        layout = QVBoxLayout()
        layout.addWidget(QLabel("Tài liệu, ấn phẩm, tin bài làm ra để tuyên truyền văn bản này."
                                if rows else "Chưa có tài liệu, tin bài nào gắn với văn bản này."))
        layout.addWidget(self.materials_table, 1)
        return _page(layout), f"Tài liệu, tin bài ({len(rows)})"

    def show_coverage(self):
        from app.ui.dialogs.coverage import CoverageDialog

        dialog = CoverageDialog(self.context, self.document_id, self)
        dialog.open()
        return dialog

    # ---- saving ----------------------------------------------------------------------------------
    def data(self) -> documents.DocumentInput:
        name, data, sha256 = self._file
        return documents.DocumentInput(
            self.kind.currentData(), self.number.text(), self.issuer.text(), to_date(self.issued_on.date()),
            self.summary.toPlainText(), implements_ids=self.implements.ids(), file_name=name, file_sha256=sha256,
            file_data=data, deadline=optional_date(self.deadline), target=self.target.text(),
            required_unit_ids=self.required_units.ids())

    def write(self) -> int:
        db, actor = self.context.db, self.context.actor
        if self.document_id is None:
            return documents.create(db, actor, self.data())
        documents.update(db, actor, self.document_id, self.data(), expected_version=self.version)
        return self.document_id

    def clear_errors(self) -> None:
        self.form.clear_errors()
        self.tracking_form.clear_errors()

    def show_errors(self, errors: dict[str, str]) -> list[str]:
        """The record's messages on its tab, the tracking ones on theirs (brought forward if only they)."""
        tracking = {k: v for k, v in errors.items() if k in TRACKING_FIELDS}
        rest = self.form.show_errors({k: v for k, v in errors.items() if k not in TRACKING_FIELDS})
        self.tracking_form.show_errors(tracking)
        self.tabs.setCurrentIndex(1 if tracking and len(tracking) == len(errors) else 0)
        return rest

    def ask(self) -> int | None:
        """The saved document's id, or None when cancelled."""
        return self.saved_id if self.exec() == QDialog.DialogCode.Accepted else None
