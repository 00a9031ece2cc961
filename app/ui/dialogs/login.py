"""The login window: the first thing a user sees (it imports no report or ORM-heavy module)."""

from __future__ import annotations

from app.config import APP_TITLE
from app.db import Database
from app.services import auth
from app.services.errors import ServiceError
from app.ui.qt import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, Qt, QVBoxLayout, QWidget


class LoginDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor: auth.Actor | None = None
        self.setWindowTitle(f"{APP_TITLE} — Đăng nhập")
        self.setMinimumWidth(380)
        title = QLabel(APP_TITLE.upper())
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 18pt; font-weight: bold; color: #a01818; padding: 6px;")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow("Tên đăng nhập", self.username)
        form.addRow("Mật khẩu", self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đăng nhập")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)  # Enter logs in
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Thoát")
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        where = QLabel(f"Cơ sở dữ liệu: {db.url.removeprefix('sqlite:///')}")
        where.setStyleSheet("color: #666666; font-size: 8pt;")
        where.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        layout.addWidget(where)

    def try_login(self) -> None:
        try:
            self.actor = auth.login(self.db, self.username.text(), self.password.text())
        except ServiceError as error:
            self.message.setText(str(error))
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
