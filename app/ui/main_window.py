"""The main window: a left navigation of the areas that exist, one page each."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping

from app.config import APP_TITLE
from app.services.auth import Permission
from app.ui.fit import narrow_combos, scrolling, within_screen
from app.ui.pages.audit import AuditPage
from app.ui.pages.cases import CasesPage
from app.ui.pages.documents import DocumentsPage
from app.ui.pages.exchange import ExchangePage
from app.ui.pages.exemplars import ExemplarsPage
from app.ui.pages.materials import MaterialsPage
from app.ui.pages.meetings import MeetingsPage
from app.ui.pages.office import OfficePage
from app.ui.pages.opinion import OpinionPage
from app.ui.pages.overview import OverviewPage
from app.ui.pages.people import PeoplePage
from app.ui.pages.reference import ReferencePage
from app.ui.pages.reporting import ReportingPage
from app.ui.pages.reports import ReportsPage
from app.ui.pages.speakers import SpeakersPage
from app.ui.pages.units import UnitsPage
from app.ui.pages.users import UsersPage
from app.ui.qt import (
    QAction,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSettings,
    QStackedWidget,
    QTimer,
    QWidget,
    Signal,
)
from app.ui.widgets.common import Context

# (page class, who may see it: a permission, any of several, or everyone).
PAGES = [
    (OverviewPage, None),   # each role's own first page
    (MeetingsPage, Permission.VIEW_MEETINGS),
    (DocumentsPage, Permission.VIEW_MEETINGS),
    (MaterialsPage, Permission.VIEW_MEETINGS),
    (CasesPage, Permission.VIEW_CASES),
    (OpinionPage, Permission.VIEW_MEETINGS),
    (ExemplarsPage, Permission.VIEW_MEETINGS),
    (SpeakersPage, Permission.VIEW_MEETINGS),
    (ReportsPage, Permission.MAKE_REPORTS),
    (ReportingPage, Permission.ISSUE_REPORTS),   # the leader chases, approves and returns
    (PeoplePage, Permission.VIEW_PEOPLE),
    (UnitsPage, None),
    (OfficePage, None),
    (UsersPage, Permission.MANAGE_USERS),
    (ReferencePage, Permission.EDIT_REFERENCE),
    (ExchangePage, (Permission.EXCHANGE, Permission.MANAGE_PARTNERS)),
    (AuditPage, Permission.VIEW_AUDIT),
]


class Pages(Mapping):
    """The pages a user may open, by title, each built the first time it is shown or asked for: a login
    waits for the first page only (over ten years of data each page's first read takes a moment)."""

    def __init__(self, context: Context, stack: QStackedWidget) -> None:
        self.context, self.stack = context, stack
        self._classes: dict[str, type] = {}
        self._built: dict[str, QWidget] = {}
        for page_class, permission in PAGES:
            wanted = permission if isinstance(permission, tuple) else (permission,)
            if permission is None or any(context.actor.can(one) for one in wanted):
                self._classes[page_class.title] = page_class
                stack.addWidget(QWidget())   # a place kept until the page is built

    def __getitem__(self, title: str) -> QWidget:
        if title not in self._built:
            page = self._classes[title](self.context)
            narrow_combos(page)
            index = list(self._classes).index(title)
            kept = self.stack.widget(index)
            self.stack.insertWidget(index, scrolling(page))   # fits a 1366×728 screen whatever the page
            self.stack.removeWidget(kept)
            kept.deleteLater()
            self._built[title] = page
        return self._built[title]

    def __iter__(self) -> Iterator[str]:
        return iter(self._classes)

    def __contains__(self, title: object) -> bool:   # Mapping's own would build the page to find out
        return title in self._classes

    def __len__(self) -> int:
        return len(self._classes)

    def built(self) -> list[QWidget]:
        """The pages built so far (those to save state of, or to keep current)."""
        return list(self._built.values())


class MainWindow(QMainWindow):
    scheduled_backup_done = Signal(str)

    def __init__(self, context: Context) -> None:
        super().__init__()
        self.context = context
        self.logged_out = False
        # Qt adds the application's name to every window title: not repeated here.
        self.setWindowTitle(f"{context.actor.full_name} ({context.actor.role.label})")
        self.navigation = QListWidget()
        self.navigation.setFixedWidth(190)
        self.navigation.setObjectName("navigation")
        self.stack = QStackedWidget()
        self.pages = Pages(context, self.stack)
        for title in self.pages:
            self.navigation.addItem(title)
        self.navigation.currentRowChanged.connect(self._show_row)
        self.navigation.setCurrentRow(0)
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self._menus()
        self._start_scheduled_backups()
        where = context.db.url.removeprefix("sqlite:///")
        self.statusBar().addPermanentWidget(QLabel(f"{context.actor.username} · {where}"))
        self.resize(*within_screen(1180, 720))
        self._restore()

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&Tệp")
        search = QAction("Tìm kiếm", self, shortcut=QKeySequence.StandardKey.Find)
        search.triggered.connect(self.focus_search)
        logout = QAction("Đăng xuất", self)
        logout.triggered.connect(self.logout)
        quit_action = QAction("Thoát", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(search)
        self.recent_menu = file_menu.addMenu("Mở gần đây")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        export = QAction("Xuất danh sách ra Excel…", self, shortcut=QKeySequence("Ctrl+E"))
        export.triggered.connect(self.export_list)
        file_menu.addAction(export)
        file_menu.addAction("Việc đến hạn trong tuần…", lambda: self.check_due(always=True))
        file_menu.addAction("Đổi mật khẩu…", self.change_password)
        if self.context.actor.can(Permission.BACKUP):
            file_menu.addAction("Sao lưu dữ liệu…", self.backup_now)
        if self.context.actor.can(Permission.RESTORE):
            file_menu.addAction("Khôi phục từ bản sao lưu…", self.restore_backup)
        file_menu.addSeparator()
        for action in (logout, quit_action):
            file_menu.addAction(action)
        pages_menu = self.menuBar().addMenu("&Trang")
        for number, title in enumerate(self.pages, start=1):   # Ctrl+1… : each page from the keyboard
            action = QAction(title, self)
            if number <= 10:   # Ctrl+0 for the tenth
                action.setShortcut(QKeySequence(f"Ctrl+{number % 10}"))
            action.triggered.connect(lambda _checked=False, title=title: self.show_page(title))
            pages_menu.addAction(action)
        help_menu = self.menuBar().addMenu("Trợ &giúp")
        manual = QAction("Hướng dẫn sử dụng", self, shortcut=QKeySequence.StandardKey.HelpContents)
        manual.triggered.connect(self.show_manual)
        help_menu.addAction(manual)
        keys = QAction("Phím tắt", self)
        keys.triggered.connect(lambda: QMessageBox.information(self, "Phím tắt", self.shortcuts_text()))
        help_menu.addAction(keys)
        about = QAction("Giới thiệu", self)
        about.triggered.connect(lambda: QMessageBox.about(
            self, APP_TITLE, f"<b>{APP_TITLE}</b><br>Quản lý công tác tuyên truyền, học tập quán triệt, "
                             "tài liệu và phản ánh của Nhân dân."))
        help_menu.addAction(about)

    def show_manual(self):
        from app.ui.dialogs.manual import ManualDialog

        dialog = ManualDialog(self)
        dialog.show()
        return dialog

    def _fill_recent(self) -> None:
        from app.ui import recent

        self.recent_menu.clear()
        opened = [entry for entry in recent.entries(self.context.actor.username) if entry[0] in self.pages]
        for page, record_id, label in opened:
            action = self.recent_menu.addAction(f"{page}: {label}")
            action.triggered.connect(lambda _checked=False, page=page, record_id=record_id, label=label:
                                     self.open_recent(page, record_id, label))
        if not opened:
            self.recent_menu.addAction("(chưa mở hồ sơ nào)").setEnabled(False)

    def open_recent(self, page_title: str, record_id: int, label: str = ""):
        """Show the page and open the record again (brought forward if it is still open)."""
        from types import SimpleNamespace

        from app.services.errors import ServiceError
        from app.ui.widgets.common import show_error

        page = self.show_page(page_title)
        try:
            return page.open_once(SimpleNamespace(id=record_id), label)
        except ServiceError as error:   # deleted since, or no longer in this user's scope
            show_error(self, str(error))
            return None

    def export_list(self) -> None:
        """The list in front of the user, as shown and filtered, every row, to a print-ready workbook."""
        from pathlib import Path

        from app.services.errors import ServiceError
        from app.ui.qt import QFileDialog
        from app.ui.widgets.common import show_error

        page = self.current_page()
        if not hasattr(page, "export_xlsx"):
            show_error(self, "Trang này không có danh sách để xuất; hãy mở một trang danh sách (hội nghị, văn bản…).")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Xuất danh sách", str(Path.home() / f"{page.title}.xlsx"),
                                              "Bảng tính Excel (*.xlsx)")
        if not path:
            return
        try:
            written = page.export_xlsx(Path(path))
        except ServiceError as error:
            show_error(self, str(error))
            return
        self.statusBar().showMessage(f"Đã xuất {written} dòng vào {path}", 15000)

    def shortcuts_text(self) -> str:
        """The keys of the window and of the pages, as the Trợ giúp menu lists them."""
        pages = [f"Ctrl+{number % 10}: {title}" for number, title in enumerate(self.pages, start=1) if number <= 10]
        common = ["Ctrl+F: tìm trong trang đang mở", "Ctrl+E: xuất danh sách đang xem ra Excel", "Ctrl+N: thêm mới (hội nghị, đảng viên, vụ việc…)",
                  "Ctrl+S: lưu hộp thoại đang mở", "Enter hoặc nhấp đúp: mở dòng đang chọn",
                  "Esc: đóng hộp thoại (hỏi trước nếu có thay đổi chưa lưu)", "Ctrl+Q: thoát",
                  "Trong danh sách điểm danh: gõ tên để tìm · 1 Có mặt · 2 Vắng có lý do · 3 Vắng không lý do · "
                  "Cách: đổi lần lượt · F2: ghi lý do"]
        return "\n".join([*pages, "", *common])

    def change_password(self) -> bool:
        """The logged-in user's own password (the key to reporters' identities follows it)."""
        from app.services import users
        from app.ui.dialogs.form_dialog import FormDialog
        from app.ui.qt import QLineEdit

        dialog = FormDialog("Đổi mật khẩu", self, save_text="Đổi mật khẩu")
        fields = {}
        for name, label in (("old_password", "Mật khẩu hiện tại"), ("new_password", "Mật khẩu mới"),
                            ("repeat", "Nhập lại mật khẩu mới")):
            fields[name] = dialog.add(name, label, QLineEdit(echoMode=QLineEdit.EchoMode.Password))
        changed = dialog.run(lambda: users.change_own_password(
            self.context.db, self.context.actor, *(fields[name].text() for name in fields)))
        if changed:
            self.statusBar().showMessage("Đã đổi mật khẩu.", 10000)
        return changed

    def backup_now(self) -> None:
        from app.ui.dialogs.backup import backup_now

        made = backup_now(self.context, self)
        if made is not None:
            self.statusBar().showMessage(f"Đã sao lưu vào {made.path}", 15000)

    def restore_backup(self) -> None:
        """After a restore everyone logs in again: the accounts are the backup's now."""
        from app.ui.dialogs.backup import RestoreDialog

        if RestoreDialog(self.context, self).run_restore() is not None:
            self.logout()

    def _start_scheduled_backups(self) -> None:
        """A backup when the last scheduled one is a day old, checked soon after login and then hourly."""
        self._backup_timer = QTimer(self)
        self._backup_timer.setInterval(60 * 60 * 1000)
        self._backup_timer.timeout.connect(self.scheduled_backup)
        self._backup_timer.start()
        self._first_backup = QTimer(self, singleShot=True, interval=60 * 1000)   # dies with the window
        self._first_backup.timeout.connect(self.scheduled_backup)
        self._first_backup.start()
        self.scheduled_backup_done.connect(
            lambda path: self.statusBar().showMessage(f"Đã tự động sao lưu vào {path}", 15000))

    def scheduled_backup(self) -> threading.Thread:
        """Off the GUI thread, so a large database never freezes the window; a failure is logged."""
        def work() -> None:
            from app.services import backup

            try:
                made = backup.backup_if_due(self.context.db)
            except Exception:   # a full disk must not stop the clerk's work; the log says why
                logging.getLogger(__name__).exception("sao lưu tự động không thành công")
                return
            if made is not None:
                self.scheduled_backup_done.emit(str(made))

        worker = threading.Thread(target=work, name="sao-luu-tu-dong", daemon=True)
        worker.start()
        return worker

    def _show_row(self, row: int) -> None:
        self.pages[list(self.pages)[row]]   # built the first time it is shown
        self.stack.setCurrentIndex(row)

    def current_page(self) -> QWidget:
        return self.pages[list(self.pages)[self.stack.currentIndex()]]

    def check_due(self, *, always: bool = False) -> None:
        """What falls due this week, read off the GUI thread (the window is usable meanwhile), then shown in a
        window of its own: at login only when there is something, from the menu always."""
        from app.services import due
        from app.ui.operations import Background

        if not hasattr(self, "_due_reader"):
            self._due_reader = Background(self)
        context = self.context
        self._due_reader.ask(lambda: due.this_week(context.db, context.actor),
                             lambda items: self._show_due(items, always),
                             lambda failure: self.statusBar().showMessage(f"Chưa đọc được việc đến hạn: {failure}",
                                                                          15000))

    def _show_due(self, items, always: bool) -> None:
        from app.ui.dialogs.due import DueDialog

        if not items and not always:
            return
        self.due_dialog = DueDialog(self.context, items, self)
        self.due_dialog.show()

    def show_page(self, title: str) -> QWidget:
        index = list(self.pages).index(title)
        self.navigation.setCurrentRow(index)
        return self.pages[title]

    def focus_search(self) -> None:
        page = self.current_page()
        if hasattr(page, "focus_search"):
            page.focus_search()

    def logout(self) -> None:
        self.logged_out = True
        self.close()

    def _restore(self) -> None:
        settings = QSettings()
        geometry = settings.value(f"nguoi-dung/{self.context.actor.username}/cua-so/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = settings.value(f"nguoi-dung/{self.context.actor.username}/cua-so/state")
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        from app.services.cases import keys as case_keys
        from app.services.exchange import signing

        case_keys.lock(self.context.db, self.context.actor)   # the opened keys never outlive the session
        signing.close(self.context.db, self.context.actor)
        settings = QSettings()
        settings.setValue(f"nguoi-dung/{self.context.actor.username}/cua-so/geometry", self.saveGeometry())
        settings.setValue(f"nguoi-dung/{self.context.actor.username}/cua-so/state", self.saveState())
        super().closeEvent(event)
