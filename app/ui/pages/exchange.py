"""Trao đổi dữ liệu: partners known by their cards, packages out and in (reviewed before anything is written).

The administrator sets partners up once; clerks carry the packages."""

from __future__ import annotations

from pathlib import Path

from app.services import exchange
from app.services.auth import Permission
from app.services.errors import ServiceError
from app.ui import operations
from app.ui.dialogs.exchange import PACKAGES, AddPartnerDialog, CardDialog, ExportDialog, exchange_folder
from app.ui.dialogs.exchange_review import ReviewDialog
from app.ui.pages.base import CurrentPage
from app.ui.qt import QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from app.ui.tables import Column, ListTableModel
from app.ui.widgets.common import Context, row_table, show_error


def _waiting(partner: exchange.PartnerView) -> str:
    return ", ".join(f"số {seq}" for seq in partner.held) or "—"


class ExchangePage(CurrentPage):
    title = "Trao đổi dữ liệu"
    watches = ("exchange_partner", "exchange_held", "unit", "unit_version")

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        intro = QLabel("Xã, phường không có mạng gửi số liệu lên huyện bằng tệp gói (USB); huyện gửi xuống đơn vị, "
                       "văn bản, danh mục và khóa của cơ quan. Mỗi gói được ký và kiểm tra khi nhập; dữ liệu chỉ "
                       "được ghi sau khi xem trước và bấm nhập.")
        intro.setWordWrap(True)
        self.model = ListTableModel([
            Column("Đối tác", lambda p: p.name), Column("Cấp", lambda p: p.level),
            Column("Đã gửi (gói)", lambda p: p.sent_seq, align_right=True),
            Column("Đã nhận (gói)", lambda p: p.received_seq, align_right=True),
            Column("Gói đến sớm, đang chờ", _waiting), Column("Dấu khóa", lambda p: p.fingerprint)], parent=self)
        self.table = row_table(self.model, [330, 80, 90, 100, 170], single=True)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        actions = []
        if context.actor.can(Permission.EXCHANGE):
            actions += [("Xuất gói…", self.export_package), ("Nhập gói…", self.import_package),
                        ("Nhập gói đang chờ", self.import_held)]
        if context.actor.can(Permission.MANAGE_PARTNERS):
            actions += [("Tệp khóa của cơ quan…", self.show_card), ("Thêm đối tác…", self.add_partner)]
        for label, action in actions:
            button = QPushButton(label)
            button.clicked.connect(lambda _checked=False, act=action: act())
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.refresh()

    def refresh(self) -> None:
        rows = exchange.partners(self.context.db, self.context.actor)
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.empty.setText("Chưa có đối tác trao đổi. Quản trị viên gửi «Tệp khóa của cơ quan» cho đối tác và "
                           "«Thêm đối tác…» bằng tệp khóa của họ (một lần, đối chiếu dấu khóa qua điện thoại).")
        if rows and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def selected(self) -> exchange.PartnerView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def show_card(self) -> None:
        dialog = CardDialog(self.context, self)
        if dialog.run_card():
            self.status.setText(f"Đã lưu tệp khóa vào {dialog.target.path()}. Dấu khóa: {dialog.fingerprint.text()}")

    def add_partner(self) -> None:
        dialog = AddPartnerDialog(self.context, self)
        if dialog.run_add():
            self.status.setText(f"Đã thêm đối tác «{dialog.card.name}».")
            self.refresh()

    def export_package(self) -> None:
        made = ExportDialog(self.context, self.selected(), self).run_export()
        if made is None:
            return
        records = sum(made.counts.values())
        self.status.setText(f"Đã xuất gói số {made.seq} vào {made.path}: {records} bản ghi, {made.files} tệp "
                            "đính kèm." if records else f"Đã xuất gói số {made.seq} vào {made.path}: không có thay "
                                                        "đổi mới (gói vẫn cần gửi để đối tác biết).")
        self.refresh()

    def import_package(self, path: Path | None = None) -> ReviewDialog | None:
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Chọn gói trao đổi", str(exchange_folder(self.context)),
                                                    PACKAGES)
            if not chosen:
                return None
            path = Path(chosen)
        return self._review(lambda: exchange.open_package(self.context.db, path))

    def import_held(self) -> ReviewDialog | None:
        partner = self.selected()
        if partner is None or not partner.held:
            show_error(self, "Đối tác đang chọn không có gói nào đang chờ.")
            return None
        wanted = partner.received_seq + 1
        if partner.held[0] != wanted:
            show_error(self, f"Gói số {partner.held[0]} của «{partner.name}» đang chờ gói số {wanted}: hãy nhập gói "
                             f"số {wanted} trước (bấm «Nhập gói…»).")
            return None
        return self._review(lambda: exchange.held_package(self.context.db, partner.install_id, wanted))

    def _review(self, open_package) -> ReviewDialog | None:
        """Check and review off the GUI thread, show the review; the dialog applies when asked."""
        try:
            reviewed = operations.run(self, "Đang kiểm tra gói…", lambda progress: exchange.review(
                self.context.db, self.context.actor, open_package(), progress))
        except ServiceError as error:
            show_error(self, str(error))
            return None
        dialog = ReviewDialog(self.context, reviewed, self)
        dialog.exec()
        if dialog.applied is not None:
            counts = ", ".join(f"{count} {exchange.CATEGORY_LABELS[category].lower()}"
                               for category, count in dialog.applied.counts.items() if count)
            text = f"Đã nhập gói số {reviewed.package.seq} của «{reviewed.package.source_name}»: {counts or 'không có thay đổi'}."
            if dialog.applied.next_held:
                text += f" Gói số {dialog.applied.next_held} đã đến trước, đang chờ: bấm «Nhập gói đang chờ»."
            self.status.setText(text)
        elif reviewed.status != "ready":
            self.status.setText(reviewed.summary())
        self.refresh()
        return dialog
