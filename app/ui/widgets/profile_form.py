"""The office profile's fields, shared by the first-run setup and the settings page."""

from __future__ import annotations

from datetime import date

from app.models.enums import HeadingStyle
from app.services import profile
from app.ui.qt import QComboBox, QLineEdit, QPlainTextEdit, QWidget
from app.ui.widgets.common import date_edit, select_data, to_date, to_qdate
from app.ui.widgets.forms import FieldForm

HINTS = {
    "parent_body": "HUYỆN ỦY BẢO THẮNG hoặc ĐẢNG ỦY XÃ …", "issuing_body": "BAN TUYÊN GIÁO",
    "issuing_code": "BTGHU", "place_name": "Bảo Thắng", "unit_word": "toàn huyện / toàn xã / toàn Đảng bộ",
    "signer_authority": "K/T TRƯỞNG BAN (để trống nếu Trưởng ban ký)", "signer_position": "PHÓ TRƯỞNG BAN",
    "signer_name": "Nguyễn Văn A", "term": "2025-2030", "attendance_target": "95",
}


class ProfileFields:
    """Adds one widget per profile field to a FieldForm and reads them back."""

    def __init__(self, form: FieldForm) -> None:
        self.widgets: dict[str, QWidget] = {}
        for name in profile.FIELDS:
            if name == "unit_id":   # which office: chosen by the page, not typed
                continue
            if name == "valid_from":
                widget = date_edit()
            elif name == "recipients":
                widget = QPlainTextEdit()
                widget.setPlaceholderText("- Ban Tuyên giáo Tỉnh ủy (b/c),\n- Thường trực Huyện ủy (b/c),\n"
                                          "- Lưu VT BTGHU.")
                widget.setFixedHeight(96)
            elif name == "heading_style":
                widget = QComboBox()
                for style in HeadingStyle:
                    widget.addItem(style.label, style)
            else:
                widget = QLineEdit(placeholderText=HINTS.get(name, ""))
            widget.setObjectName(name)
            self.widgets[name] = form.add(name, profile.LABELS[name], widget)

    def load(self, data: profile.ProfileInput) -> None:
        for name, widget in self.widgets.items():
            value = getattr(data, name)
            if name == "valid_from":
                widget.setDate(to_qdate(value))
            elif name == "recipients":
                widget.setPlainText(value)
            elif name == "heading_style":
                select_data(widget, value)
            elif name == "attendance_target":   # 95, 97,5: as a person writes a percentage
                widget.setText(format(value.normalize(), "f").replace(".", ","))
            else:
                widget.setText(str(value))

    def read(self) -> profile.ProfileInput:
        values = {}
        for name, widget in self.widgets.items():
            if name == "valid_from":
                values[name] = to_date(widget.date())
            elif name == "recipients":
                values[name] = widget.toPlainText()
            elif name == "heading_style":
                values[name] = widget.currentData()
            else:
                values[name] = widget.text()
        return profile.ProfileInput(**values)

    def set_valid_from(self, value: date) -> None:
        self.widgets["valid_from"].setDate(to_qdate(value))
