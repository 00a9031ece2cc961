"""First start on an empty database: the administrator, the office's root unit and profile."""

from __future__ import annotations

from datetime import date

from app import clock
from app.models.enums import UnitKind
from app.services import profile, setup, users
from app.services.errors import ServiceError, ValidationError
from app.ui.fit import within_screen
from app.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import date_edit, show_error, to_date
from app.ui.widgets.forms import FieldForm
from app.ui.widgets.profile_form import ProfileFields


class SetupDialog(QDialog):
    def __init__(self, db, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = None
        self.setWindowTitle("Thiết lập lần đầu")
        self.resize(*within_screen(640, 720))
        intro = QLabel("Cơ sở dữ liệu còn trống. Hãy tạo tài khoản quản trị và nhập thông tin cơ quan; "
                       "các thông tin này sửa được về sau trong mục «Thông tin cơ quan».")
        intro.setWordWrap(True)
        self.form = FieldForm()
        self.username, self.full_name = QLineEdit("quantri"), QLineEdit()
        self.password, self.repeat = QLineEdit(), QLineEdit()
        for field in (self.password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.add("username", "Tên đăng nhập quản trị", self.username)
        self.form.add("full_name", "Họ và tên", self.full_name)
        self.form.add("password", "Mật khẩu", self.password)
        self.form.add("repeat", "Nhập lại mật khẩu", self.repeat)
        self.root_code, self.root_name, self.root_kind = QLineEdit(), QLineEdit(), QComboBox()
        self.root_name.setPlaceholderText("Đảng bộ huyện … / Đảng bộ xã …")
        self.root_code.setPlaceholderText("ví dụ BAOTHANG")
        for kind in (UnitKind.DANG_BO, UnitKind.DANG_BO_CO_SO):
            self.root_kind.addItem(kind.label, kind)
        self.form.add("name", "Đảng bộ (đơn vị gốc)", self.root_name)
        self.form.add("code", "Mã đảng bộ", self.root_code)
        self.form.add("kind", "Loại", self.root_kind)
        self.since = self.form.add("since", "Dữ liệu bắt đầu từ ngày", date_edit(setup.records_start(clock.today())))
        self.since.setToolTip("Ngày sớm nhất của các hội nghị, tài liệu sẽ nhập (kể cả số liệu cũ): các đơn vị "
                              "được coi là có từ ngày này.")
        self.profile = ProfileFields(self.form)
        self.profile.set_valid_from(date(clock.today().year, 1, 1))
        self.profile.widgets["attendance_target"].setText("95")
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(intro)
        inner_layout.addLayout(self.form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Bắt đầu sử dụng")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Thoát")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)

    def save(self) -> None:
        self.form.clear_errors()
        try:
            if self.password.text() != self.repeat.text():
                raise ValidationError.one("repeat", "Hai lần nhập mật khẩu không khớp.")
            office: profile.ProfileInput = self.profile.read()
            self.actor = setup.initialize(
                self.db, admin=users.UserInput(self.username.text(), self.full_name.text(), None),
                password=self.password.text(), office=office,
                root=setup.RootUnitInput(self.root_code.text(), self.root_name.text(), self.root_kind.currentData(),
                                         to_date(self.since.date())))
        except ValidationError as error:
            rest = self.form.show_errors(error.errors)
            if rest:
                show_error(self, "\n".join(rest))
            return
        except ServiceError as error:
            show_error(self, str(error))
            return
        self.accept()
