"""The login window: the first thing a user sees.

It may come up while the database is still being opened on a worker thread (a Future), so this
module imports neither SQLAlchemy nor the services until the user presses «Đăng nhập».
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import TYPE_CHECKING

from app.config import APP_TITLE
from app.dbfile import DatabaseOpenError
from app.services.errors import ServiceError
from app.ui import style
from app.ui.qt import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, Qt, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from app.db import Database
    from app.services.auth import Actor


class LoginDialog(QDialog):
    def __init__(self, database: Database | Future[Database], location: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.db: Database | None = None if isinstance(database, Future) else database
        self.actor: Actor | None = None
        self.setWindowTitle("Đăng nhập")   # Qt adds the application's name
        self.setMinimumWidth(380)
        title = QLabel(APP_TITLE.upper())
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 18pt; font-weight: bold; color: #a01818; padding: 6px;")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(style.ERROR_STYLE)
        form = QFormLayout()
        form.addRow("Tên đăng nhập", self.username)
        form.addRow("Mật khẩu", self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Đăng nhập")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)  # Enter logs in
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Thoát")
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        location = location or database.url.removeprefix("sqlite:///")
        where = QLabel(f"Cơ sở dữ liệu: {location}")
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
            if self.db is None:
                self.db = self.database.result()  # normally ready long before the user has typed
            from app.services import auth

            self.actor = auth.login(self.db, self.username.text(), self.password.text())
        except (ServiceError, DatabaseOpenError) as error:
            self.message.setText(str(error))
            self.password.clear()
            self.password.setFocus()
            return
        self._open_keys()
        self.accept()

    def _open_keys(self) -> None:
        """A key holder's password also opens the key to reporters' identities, and an exporting user's the
        package-signing key, for this session only."""
        from app.services.cases import keys as case_keys
        from app.services.exchange import signing

        try:
            case_keys.unlock(self.db, self.actor, self.password.text())
        except ServiceError:
            pass   # the cases page offers to open it again
        signing.open_at_login(self.db, self.actor, self.password.text())
