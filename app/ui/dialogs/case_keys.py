"""The key that protects reporters' identities, for inspectors: open it, set it up (the recovery key is
shown once), grant it to another inspector, and exchange public keys with the district."""

from __future__ import annotations

from app.services.cases import keys as case_keys
from app.services.errors import ServiceError
from app.ui.dialogs.form_dialog import FormDialog
from app.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from app.ui.widgets.common import Context, confirm, show_error


def _password_field() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def ask_unlock(context: Context, parent: QWidget | None = None) -> FormDialog:
    dialog = FormDialog("Mở khóa danh tính người phản ánh", parent,
                        intro="Nhập mật khẩu đăng nhập của bạn để mở khóa bảo vệ danh tính.")
    password = dialog.add("password", "Mật khẩu", _password_field())

    def unlock() -> None:
        if not case_keys.unlock(context.db, context.actor, password.text()):
            raise ServiceError("Tài khoản của bạn chưa được cấp quyền xem danh tính: hãy nhờ người đang giữ khóa "
                               "cấp quyền.")

    dialog._action = unlock
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Mở khóa")
    return dialog


def ensure_unlocked(context: Context, parent: QWidget | None = None) -> bool:
    if case_keys.status(context.db, context.actor).unlocked:
        return True
    return ask_unlock(context, parent).exec() == QDialog.DialogCode.Accepted


class RecoveryKeyDialog(QDialog):
    """Shown once: the recovery key, to be written down and kept in the office safe."""

    def __init__(self, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Khóa khôi phục")
        text = QLabel("Hãy chép khóa khôi phục dưới đây ra giấy và cất vào tủ hồ sơ mật của cơ quan. Khóa chỉ hiện "
                      "một lần; khi không còn ai giữ khóa, chỉ khóa này mở lại được danh tính người phản ánh.")
        text.setWordWrap(True)
        self.code = QLineEdit(code)
        self.code.setReadOnly(True)
        self.code.setStyleSheet("font: 14pt monospace;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Tôi đã chép lại")
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        for widget in (text, self.code, buttons):
            layout.addWidget(widget)


class KeysDialog(QDialog):
    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Khóa bảo vệ danh tính người phản ánh")
        self.resize(720, 520)
        self.state = QLabel(wordWrap=True)
        self.state.setTextFormat(Qt.TextFormat.RichText)
        self.setup_button, self.unlock_button = QPushButton("Khởi tạo khóa…"), QPushButton("Mở khóa…")
        self.lock_button = QPushButton("Khóa lại")
        self.recover_button = QPushButton("Dùng khóa khôi phục…")
        self.recover_button.setToolTip("Khi không còn ai giữ khóa: khóa khôi phục in ra lúc khởi tạo cấp lại quyền "
                                       "cho bạn")
        self.grantee = QComboBox()
        self.grant_button = QPushButton("Cấp quyền xem danh tính")
        self.revoke_button = QPushButton("Thu hồi quyền")
        self.public_key = QPlainTextEdit(readOnly=True)
        self.public_key.setFixedHeight(48)
        self.import_name = QLineEdit(placeholderText="Tên cơ quan, ví dụ Ban Tuyên giáo Tỉnh ủy")
        self.import_text = QLineEdit(placeholderText=f"{case_keys.KEY_PREFIX}…")
        self.import_button = QPushButton("Nhập khóa")
        self.waiting = QComboBox()
        self.confirm_button = QPushButton("Xác nhận dấu khóa…")
        self.confirm_button.setToolTip("Gọi cho cơ quan giữ khóa, nghe họ đọc dấu khóa rồi gõ lại: khóa chỉ được "
                                       "dùng sau bước này")
        top = QHBoxLayout()
        for button in (self.setup_button, self.unlock_button, self.lock_button, self.recover_button):
            top.addWidget(button)
        top.addStretch(1)
        grant = QHBoxLayout()
        grant.addWidget(QLabel("Cán bộ kiểm tra:"))
        grant.addWidget(self.grantee, 1)
        grant.addWidget(self.grant_button)
        grant.addWidget(self.revoke_button)
        imports = QHBoxLayout()
        imports.addWidget(self.import_name, 2)
        imports.addWidget(self.import_text, 3)
        imports.addWidget(self.import_button)
        waiting = QHBoxLayout()
        waiting.addWidget(QLabel("Khóa chờ xác nhận:"))
        waiting.addWidget(self.waiting, 1)
        waiting.addWidget(self.confirm_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(top)
        layout.addWidget(QLabel("<b>Cấp hoặc thu hồi quyền của cán bộ kiểm tra khác</b> (người được cấp cần đăng "
                                "nhập một lần trước)"))
        layout.addLayout(grant)
        layout.addWidget(QLabel("<b>Khóa công khai của cơ quan</b> (gửi cho cấp trên, đơn vị cấp dưới để mã hóa "
                                "danh tính gửi về đây)"))
        layout.addWidget(self.public_key)
        layout.addWidget(QLabel("<b>Nhập khóa công khai của cơ quan nhận chuyển</b> (dùng sau khi người giữ khóa đối "
                                "chiếu dấu khóa qua điện thoại và xác nhận)"))
        layout.addLayout(imports)
        layout.addLayout(waiting)
        layout.addStretch(1)
        layout.addWidget(close)
        self.setup_button.clicked.connect(self.set_up)
        self.unlock_button.clicked.connect(lambda: ask_unlock(context, self).exec() and self.refresh())
        self.lock_button.clicked.connect(self._lock)
        self.grant_button.clicked.connect(self.grant)
        self.revoke_button.clicked.connect(self.revoke)
        self.recover_button.clicked.connect(self.recover)
        self.import_button.clicked.connect(self.import_key)
        self.confirm_button.clicked.connect(self.confirm_key)
        self.refresh()

    def refresh(self) -> None:
        db, actor = self.context.db, self.context.actor
        status = case_keys.status(db, actor)
        keys = "".join(f"<br>· {k.name} — dấu <tt>{k.fingerprint}</tt> — {_key_state(k)}" for k in status.keys)
        if not status.office_key:
            text = "Cơ quan chưa có khóa bảo vệ danh tính. Khởi tạo khóa để ghi được danh tính người phản ánh."
        elif status.unlocked:
            text = "Khóa đang <b>mở</b>: bạn xem được danh tính người phản ánh (mỗi lần xem đều được ghi nhật ký)."
        elif status.granted:
            text = "Khóa đang <b>đóng</b>: nhập mật khẩu để mở."
        else:
            text = "Bạn <b>chưa được cấp quyền</b> xem danh tính: nhờ người đang giữ khóa cấp quyền."
        self.state.setText(text + ("<br><br>Các khóa công khai:" + keys if keys else ""))
        self.setup_button.setVisible(not status.office_key)
        self.unlock_button.setVisible(status.granted and not status.unlocked)
        self.lock_button.setVisible(status.unlocked)
        self.recover_button.setVisible(bool(status.office_key) and not status.unlocked)
        self.grantee.clear()
        for person in case_keys.inspectors(db, actor):
            if person.id != actor.user_id:
                note = " — đã có quyền" if person.granted else ("" if person.has_key_pair else " — chưa đăng nhập")
                self.grantee.addItem(f"{person.full_name} ({person.username}){note}", person.id)
        if not self.grantee.count():
            self.grantee.addItem("— chưa có cán bộ kiểm tra nào khác —", None)
        self.waiting.clear()
        for line in status.waiting:
            self.waiting.addItem(f"{line.name} — dấu {line.fingerprint}", line.id)
        if not self.waiting.count():
            self.waiting.addItem("— không có khóa nào chờ xác nhận —", None)
        for widget in (self.grantee, self.grant_button, self.revoke_button, self.waiting, self.confirm_button):
            widget.setEnabled(status.unlocked)
        try:
            self.public_key.setPlainText(case_keys.own_public_key_text(db, actor))
        except ServiceError:
            self.public_key.setPlainText("")

    def _lock(self) -> None:
        case_keys.lock(self.context.db, self.context.actor)
        self.refresh()

    def set_up(self) -> str | None:
        dialog = FormDialog("Khởi tạo khóa bảo vệ danh tính", self,
                            intro="Nhập mật khẩu đăng nhập của bạn: khóa của cơ quan sẽ được cấp cho bạn trước tiên.")
        password = dialog.add("password", "Mật khẩu", _password_field())
        name = dialog.add("name", "Tên cơ quan", QLineEdit("Ban Tuyên giáo"))
        codes: list[str] = []
        if not dialog.run(lambda: codes.append(case_keys.setup(self.context.db, self.context.actor, password.text(),
                                                               name=name.text()))):
            return None
        RecoveryKeyDialog(codes[0], self).exec()
        self.refresh()
        return codes[0]

    def grant(self) -> bool:
        user_id = self.grantee.currentData()
        if user_id is None:
            return False
        try:
            case_keys.grant(self.context.db, self.context.actor, user_id)
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self.refresh()
        return True

    def revoke(self) -> bool:
        """The chosen inspector no longer opens the key (audited); their grants are deleted."""
        user_id = self.grantee.currentData()
        if user_id is None or not confirm(self, f"Thu hồi quyền xem danh tính người phản ánh của "
                                                f"{self.grantee.currentText()}?"):
            return False
        try:
            case_keys.revoke(self.context.db, self.context.actor, user_id)
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self.refresh()
        return True

    def recover(self) -> bool:
        """The recovery key written down at set-up grants the key to this inspector again."""
        dialog = FormDialog("Dùng khóa khôi phục", self,
                            intro="Nhập khóa khôi phục (32 ký tự, in ra khi khởi tạo khóa và cất trong tủ của cơ "
                                  "quan) và mật khẩu đăng nhập của bạn: bạn được cấp lại quyền xem danh tính.",
                            save_text="Khôi phục quyền")
        code = dialog.add("recovery", "Khóa khôi phục", QLineEdit(placeholderText="XXXX-XXXX-XXXX-XXXX-…"))
        password = dialog.add("password", "Mật khẩu", _password_field())
        if not dialog.run(lambda: case_keys.recover(self.context.db, self.context.actor, code.text(), password.text())):
            return False
        self.refresh()
        return True

    def import_key(self) -> bool:
        try:
            case_keys.import_recipient(self.context.db, self.context.actor, self.import_name.text(),
                                       self.import_text.text())
        except ServiceError as error:
            show_error(self, str(error))
            return False
        self.import_name.clear()
        self.import_text.clear()
        self.refresh()
        return True

    def confirm_key(self) -> bool:
        """The key holder types the fingerprint the other body read out: from now on identities are sealed
        to that key too."""
        key_id = self.waiting.currentData()
        if key_id is None:
            return False
        dialog = FormDialog("Xác nhận khóa của cơ quan khác", self,
                            intro=f"Khóa: {self.waiting.currentText()}.<br>Gọi điện cho cơ quan đó, nghe họ đọc dấu "
                                  "khóa của họ và gõ lại dưới đây. Chỉ khi dấu khớp, danh tính người phản ánh ghi từ "
                                  "nay mới được mã hóa thêm cho khóa này.",
                            save_text="Xác nhận")
        typed = dialog.add("fingerprint", "Dấu khóa họ đọc", QLineEdit(placeholderText="XXXX XXXX XXXX XXXX XXXX"))
        if not dialog.run(lambda: case_keys.confirm(self.context.db, self.context.actor, key_id, typed.text())):
            return False
        self.refresh()
        return True


def _key_state(line: case_keys.KeyLine) -> str:
    if line.own:
        return "khóa của cơ quan"
    if line.confirmed:
        return f"đã xác nhận ({line.confirmed_by}), danh tính được mã hóa thêm cho khóa này"
    return "<b>chờ người giữ khóa xác nhận dấu</b>, chưa dùng"
