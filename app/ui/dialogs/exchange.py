"""Exchange by file: our card, a partner's card, a package out, and a package in (reviewed first)."""

from __future__ import annotations

from pathlib import Path

from app import clock
from app.services import exchange, units
from app.services.errors import ValidationError
from app.services.exchange.package import SUFFIX
from app.services.safe_write import save
from app.ui import operations
from app.ui.dialogs.form_dialog import FormDialog
from app.ui.qt import QCheckBox, QComboBox, QFileDialog, QFont, QLabel, Qt, QWidget
from app.ui.widgets.common import Context, fill_units, optional_date, optional_date_edit, select_data
from app.ui.widgets.path_field import PathField

PACKAGES = f"Gói trao đổi Sổ Tuyên giáo (*{SUFFIX})"
CARDS = "Tệp khóa đối tác (*.json)"


def exchange_folder(context: Context) -> Path:
    """Where packages are offered by default: beside the database (a USB stick is chosen with «Chọn…»)."""
    from app.dbfile import sqlite_path

    path = sqlite_path(context.db.url)
    return path.parent / "trao-doi" if path else Path.home()


def _fingerprint_label(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSize(font.pointSize() + 3)
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class CardDialog(FormDialog):
    """Our card, saved for the partner; its fingerprint read to them over the phone."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Tệp khóa của cơ quan", parent,
                         intro="Gửi tệp khóa này cho đối tác (USB, thư điện tử) một lần. Khi đối tác nhận tệp, hãy "
                               "gọi điện đọc dấu khóa dưới đây để họ đối chiếu: trùng khớp thì tệp đúng là của cơ "
                               "quan mình.",
                         save_text="Lưu tệp khóa", width=620)
        self.context = context
        self.content, fingerprint = exchange.my_card(context.db, context.actor)
        self.fingerprint = self.add("fingerprint", "Dấu khóa", _fingerprint_label(fingerprint))
        self.target = self.add("target", "Lưu vào", PathField(self._choose))
        self.target.edit.setText(str(exchange_folder(context) / "tep-khoa-co-quan.json"))

    def _choose(self, field: PathField) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu tệp khóa", field.edit.text(), CARDS)
        if path:
            field.edit.setText(path)

    def _save_card(self) -> None:
        target = self.target.path()
        if target is None:
            raise ValidationError.one("target", "Chưa chọn nơi lưu tệp khóa.")
        target.parent.mkdir(parents=True, exist_ok=True)
        save(target, self.content)

    def run_card(self) -> bool:
        return self.run(self._save_card)


class AddPartnerDialog(FormDialog):
    """A partner's card, taken once its fingerprint has been checked with them by phone."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Thêm đối tác trao đổi", parent,
                         intro="Chọn tệp khóa đối tác gửi đến, rồi gọi điện cho họ: họ đọc dấu khóa, mình đối chiếu "
                               "với dấu khóa hiện dưới đây. Chỉ thêm khi hai dấu khóa trùng khớp.",
                         save_text="Thêm đối tác", width=620)
        self.context = context
        self.source = self.add("card", "Tệp khóa", PathField(self._choose))
        self.source.edit.editingFinished.connect(self._describe)
        self.partner_name = self.add("name", "Đối tác", QLabel("— chưa chọn tệp —"))
        self.fingerprint = self.add("fingerprint", "Dấu khóa", _fingerprint_label(""))
        self.level = self.add("level", "Đối tác là", QComboBox())
        self.level.addItem("Cấp dưới (gửi số liệu lên cơ quan mình)", False)
        self.level.addItem("Cấp trên (cơ quan mình báo cáo lên)", True)
        self.checked = self.add("checked", "", QCheckBox("Đã gọi điện đối chiếu: dấu khóa trùng khớp"))
        self.card: exchange.PartnerCard | None = None

    def _choose(self, field: PathField) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn tệp khóa của đối tác", str(exchange_folder(self.context)),
                                              CARDS)
        if path:
            field.edit.setText(path)
            self._describe()

    def _read(self) -> exchange.PartnerCard:
        path = self.source.path()
        if path is None:
            raise ValidationError.one("card", "Chưa chọn tệp khóa của đối tác.")
        try:
            content = path.read_bytes()
        except OSError as error:
            raise ValidationError.one("card", f"Không đọc được tệp «{path.name}»: {error.strerror or error}.") \
                from error
        return exchange.read_card(content, path.name)

    def _describe(self) -> None:
        self.form.clear_errors()
        self.card = None
        try:
            self.card = self._read()
        except ValidationError as error:
            self.form.show_errors(error.errors)
        known = self.card is not None
        self.partner_name.setText(f"{self.card.name} (mã {self.card.unit_code or '—'})" if known else "— không đọc "
                                                                                                     "được —")
        self.fingerprint.setText(self.card.fingerprint if known else "")

    def _add(self) -> None:
        card = self._read()
        if not self.checked.isChecked():
            raise ValidationError.one("checked", "Hãy gọi điện đối chiếu dấu khóa với đối tác trước khi thêm.")
        exchange.add_partner(self.context.db, self.context.actor, card, above=self.level.currentData())
        self.card = card

    def run_add(self) -> bool:
        return self.run(self._add)


class ExportDialog(FormDialog):
    """Everything the partner has not received yet, optionally cut to a unit and a period."""

    def __init__(self, context: Context, partner: exchange.PartnerView | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Xuất gói trao đổi", parent,
                         intro="Gói gồm mọi thay đổi đối tác chưa nhận (kể cả tệp đính kèm và bản ghi đã xóa), được "
                               "ký bằng khóa của cơ quan. Mang tệp gói đến đối tác (USB) để họ nhập.",
                         save_text="Xuất gói", width=640)
        self.context = context
        self.partners = exchange.partners(context.db, context.actor)
        self.partner = self.add("partner", "Gửi cho", QComboBox())
        for option in self.partners:
            self.partner.addItem(f"{option.name} ({option.level.lower()})", option.install_id)
        if partner is not None:
            select_data(self.partner, partner.install_id)
        nodes = units.tree(context.db, context.actor)
        self.codes = {node.id: node.code for node in nodes}
        self.unit = self.add("unit", "Chỉ đơn vị", QComboBox())
        fill_units(self.unit, nodes, first="— mọi đơn vị của đối tác —", active_only=False)
        self.start = self.add("start", "Từ ngày", optional_date_edit(None))
        self.end = self.add("end", "Đến ngày", optional_date_edit(None))
        self.target = self.add("target", "Lưu vào", PathField(self._choose))
        self.partner.currentIndexChanged.connect(self._suggest_name)
        self._suggest_name()
        self.made: exchange.ExportResult | None = None

    def _suggest_name(self) -> None:
        chosen = next((p for p in self.partners if p.install_id == self.partner.currentData()), None)
        if chosen is None:
            return
        name = f"goi-gui-{(chosen.unit_code or 'doi-tac').lower()}-{clock.local_now():%Y%m%d-%H%M}{SUFFIX}"
        folder = self.target.path().parent if self.target.path() else exchange_folder(self.context)
        self.target.edit.setText(str(folder / name))

    def _choose(self, field: PathField) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu gói trao đổi", field.edit.text(), PACKAGES)
        if path:
            field.edit.setText(path if path.endswith(SUFFIX) else path + SUFFIX)

    def _export(self) -> None:
        partner, target = self.partner.currentData(), self.target.path()
        if partner is None:
            raise ValidationError.one("partner", "Chưa có đối tác trao đổi; quản trị viên thêm đối tác trước.")
        if target is None:
            raise ValidationError.one("target", "Chưa chọn nơi lưu gói.")
        start, end = optional_date(self.start), optional_date(self.end)
        if start and end and start > end:
            raise ValidationError.one("end", "«Đến ngày» phải sau «Từ ngày».")
        unit_code = self.codes.get(self.unit.currentData())
        target.parent.mkdir(parents=True, exist_ok=True)
        self.made = operations.run(self, "Đang xuất gói…", lambda progress: exchange.export(
            self.context.db, self.context.actor, partner, target, start=start, end=end, unit_code=unit_code,
            progress=progress))

    def run_export(self) -> exchange.ExportResult | None:
        return self.made if self.run(self._export) else None
