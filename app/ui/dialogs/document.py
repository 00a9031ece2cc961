"""Vào sổ một văn bản (number, kind, issuer, date, summary), e.g. from the session dialog."""

from __future__ import annotations

from app.models.enums import DocumentKind
from app.services import documents
from app.ui.dialogs.form_dialog import FormDialog
from app.ui.qt import QComboBox, QLineEdit, QPlainTextEdit, QWidget
from app.ui.widgets.common import Context, date_edit, select_data, to_date


class DocumentDialog(FormDialog):
    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Vào sổ văn bản", parent, intro="Văn bản được phổ biến, quán triệt (ví dụ Kết luận 54-KL/TW).")
        self.context = context
        self.created_id: int | None = None
        self.number = self.add("number", "Số, ký hiệu", QLineEdit(placeholderText="54-KL/TW"))
        self.kind = self.add("kind", "Loại văn bản", QComboBox())
        self.kind.addItem("— chọn —", None)
        for kind in DocumentKind:
            self.kind.addItem(f"{kind.label} ({kind.value})", kind)
        self.issuer = self.add("issuer", "Cơ quan ban hành", QLineEdit(placeholderText="Ban Bí thư"))
        self.issued_on = self.add("issued_on", "Ngày ban hành", date_edit())
        self.summary = self.add("summary", "Trích yếu", QPlainTextEdit())
        self.summary.setFixedHeight(70)
        self.number.textChanged.connect(self._kind_from_number)

    def _kind_from_number(self, text: str) -> None:
        kind = documents.kind_of_number(text)
        if kind is not None:
            select_data(self.kind, kind)

    def data(self) -> documents.DocumentInput:
        return documents.DocumentInput(self.kind.currentData(), self.number.text(), self.issuer.text(),
                                       to_date(self.issued_on.date()), self.summary.toPlainText())

    def _create(self) -> None:
        self.created_id = documents.create(self.context.db, self.context.actor, self.data())

    def ask(self) -> int | None:
        """The new document's id, or None when cancelled."""
        return self.created_id if self.run(self._create) else None
