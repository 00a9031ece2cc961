"""Backing up the open database, and restoring one after checking it and asking."""

from __future__ import annotations

from pathlib import Path

from app import clock
from app.services import backup
from app.services.errors import ServiceError, ValidationError
from app.ui import operations
from app.ui.dialogs.form_dialog import FormDialog
from app.ui.qt import QCheckBox, QFileDialog, QLabel, QLineEdit, QWidget
from app.ui.widgets.common import Context, confirm
from app.ui.widgets.path_field import PathField

KINDS = f"Bản sao lưu Sổ Tuyên giáo (*{backup.SUFFIX})"


def _secret() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class BackupDialog(FormDialog):
    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Sao lưu dữ liệu", parent,
                         intro="Tạo một bản sao đầy đủ của cơ sở dữ liệu (kể cả tệp đính kèm), được cả khi người "
                               "khác đang nhập liệu. Nên cất bản sao lưu ra USB hoặc máy khác.",
                         save_text="Sao lưu", width=620)
        self.context = context
        folder = backup.auto_folder(context.db)
        self.target = self.add("target", "Lưu vào", PathField(self._choose))
        self.target.edit.setText(str(folder / f"sotuyengiao-{clock.local_now():%Y%m%d-%H%M}{backup.SUFFIX}"))
        self.encrypt = self.add("encrypt", "", QCheckBox("Đặt mật khẩu cho bản sao lưu (mất mật khẩu là mất bản "
                                                         "sao lưu)"))
        self.passphrase = self.add("passphrase", "Mật khẩu", _secret())
        self.repeat = self.add("repeat", "Nhập lại mật khẩu", _secret())
        self.encrypt.toggled.connect(self._show_secrets)
        self._show_secrets(False)
        self.made: backup.BackupInfo | None = None

    def _show_secrets(self, on: bool) -> None:
        self.passphrase.setEnabled(on)
        self.repeat.setEnabled(on)

    def _choose(self, field: PathField) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Lưu bản sao lưu", field.edit.text(), KINDS)
        if path:
            field.edit.setText(path if path.endswith(backup.SUFFIX) else path + backup.SUFFIX)

    def _save_backup(self) -> None:
        target = self.target.path()
        if target is None:
            raise ValidationError.one("target", "Chưa chọn nơi lưu bản sao lưu.")
        passphrase = None
        if self.encrypt.isChecked():
            passphrase = self.passphrase.text()
            backup.check_new_passphrase(passphrase, self.repeat.text())
        target.parent.mkdir(parents=True, exist_ok=True)
        self.made = operations.run(self, "Đang sao lưu…", lambda progress: backup.make(
            self.context.db, self.context.actor, target, passphrase, progress))

    def run_backup(self) -> bool:
        return self.run(self._save_backup)


class RestoreDialog(FormDialog):
    """Choose a backup, read what it holds, give its passphrase; the replacement is asked once more."""

    def __init__(self, context: Context, parent: QWidget | None = None) -> None:
        super().__init__("Khôi phục từ bản sao lưu", parent,
                         intro="Toàn bộ dữ liệu hiện tại sẽ được thay bằng dữ liệu trong bản sao lưu. Cơ sở dữ liệu "
                               "hiện tại được giữ lại thành một tệp riêng. Sau khi khôi phục, mọi người đăng nhập lại.",
                         save_text="Khôi phục…", width=620)
        self.context = context
        self.source = self.add("source", "Bản sao lưu", PathField(self._choose))
        self.source.edit.editingFinished.connect(self._describe)
        self.summary = self.add("summary", "Nội dung", QLabel("— chưa chọn —"))
        self.summary.setWordWrap(True)
        self.passphrase = self.add("passphrase", "Mật khẩu", _secret())
        self.passphrase.setEnabled(False)
        self.restored: tuple[backup.BackupInfo, Path | None] | None = None

    def _choose(self, field: PathField) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Chọn bản sao lưu", str(backup.auto_folder(self.context.db)), KINDS)
        if path:
            field.edit.setText(path)
            self._describe()

    def _describe(self) -> None:
        self.form.clear_errors()
        path = self.source.path()
        if path is None:
            return
        try:
            info = backup.peek(path)
        except ServiceError as error:
            self.form.show_errors({"source": str(error)})
            self.summary.setText("— không đọc được —")
            self.passphrase.setEnabled(False)
            return
        self.summary.setText(info.summary())
        self.passphrase.setEnabled(info.encrypted)

    def _restore(self) -> None:
        path = self.source.path()
        if path is None:
            raise ValidationError.one("source", "Chưa chọn bản sao lưu.")
        passphrase = self.passphrase.text() if self.passphrase.isEnabled() else None
        database = backup.database_file(self.context.db)
        info = operations.run(self, "Đang kiểm tra bản sao lưu…",
                              lambda progress: backup.verify(path, passphrase, progress, beside=database.parent))
        if not confirm(self, f"{info.summary()}\n\nThay toàn bộ dữ liệu hiện tại bằng bản sao lưu này? Cơ sở dữ "
                             "liệu hiện tại được giữ lại thành một tệp riêng.", "Khôi phục dữ liệu"):
            return   # nothing replaced; `restored` stays None
        self.restored = operations.run(self, "Đang khôi phục…",
                                       lambda progress: backup.restore(database, path, passphrase, progress))
        backup.after_restore(self.context.db, self.context.actor, self.restored[0])

    def run_restore(self) -> tuple[backup.BackupInfo, Path | None] | None:
        self.run(self._restore)
        return self.restored


def backup_now(context: Context, parent: QWidget) -> backup.BackupInfo | None:
    dialog = BackupDialog(context, parent)
    return dialog.made if dialog.run_backup() else None
