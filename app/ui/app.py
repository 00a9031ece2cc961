"""Starting the GUI: fonts, logging, the error dialog, database, first-run setup, login, window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from logging.handlers import RotatingFileHandler
from pathlib import Path

from app.config import (
    APP_NAME,
    APP_TITLE,
    default_database,
    log_file,
    program_name,
    resources_dir,
    settings_dir,
)
from app.dbfile import DatabaseOpenError, ready_for_login, sqlite_path
from app.errors import database_failure
from app.ui.qt import QApplication, QFont, QFontDatabase, QIcon, QMessageBox, QSettings, QTimer

UI_FONT = "Liberation Sans"
READY_SIGNAL = "TUYENGIAO_SAY_READY"   # set: print «ready» once the login window takes input
log = logging.getLogger("tuyengiao")


def setup_logging() -> Path:
    """A rotating log in the data folder; it never receives a password or a reporter's identity."""
    path = log_file()
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def load_fonts(app: QApplication) -> None:
    """The bundled font, set explicitly: DejaVu clips stacked Vietnamese marks (ĐẢNG shows as ĐÁNG)."""
    for path in sorted((resources_dir() / "fonts").glob("*.ttf")):
        QFontDatabase.addApplicationFont(str(path))
    app.setFont(QFont(UI_FONT, 10))


def install_error_dialog(log_path: Path) -> None:
    def handle(kind, value, tb) -> None:
        log.error("Lỗi không lường trước:\n%s", "".join(traceback.format_exception(kind, value, tb)))
        meaning = database_failure(value)
        if meaning is not None:   # the database failed (damaged file, server gone), not the program
            QMessageBox.critical(None, APP_TITLE, str(meaning))
            return
        QMessageBox.critical(None, APP_TITLE, "Đã xảy ra lỗi không lường trước. Dữ liệu đã lưu không bị ảnh "
                                              "hưởng; thao tác đang làm dở có thể chưa được lưu.\n\n"
                                              f"Chi tiết đã được ghi vào tệp nhật ký:\n{log_path}")

    sys.excepthook = handle


def make_application(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_TITLE)
    # Window settings in an .ini file in the data folder (not the registry): they travel with it.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir()))
    load_fonts(app)
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "sotuyengiao.png")))
    from app.ui import qt_vietnamese
    from app.ui.operations import collect_on_the_gui_thread

    qt_vietnamese.install()

    collect_on_the_gui_thread(app)
    return app


def open_in_background(target: str) -> Future:
    """Open the database and import the services on a worker thread; the Future gives the Database."""

    def open_and_warm():
        from app.db import open_database
        from app.services import auth  # noqa: F401  (imported here so the login click does not wait)

        return open_database(target)

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mo-co-so-du-lieu")
    future = pool.submit(open_and_warm)
    pool.shutdown(wait=False)
    return future


def first_login(target: str):
    """The login window as soon as possible, or None when the user leaves first-run setup.

    An up-to-date file with accounts (the everyday case) shows the login window at once and opens
    the database behind it; a new file, an older one to upgrade, a server or a first start is opened
    here first. Raises DatabaseOpenError.
    """
    from app.ui.dialogs.login import LoginDialog

    path = sqlite_path(target)
    if path is not None and ready_for_login(path):
        return LoginDialog(open_in_background(target), location=str(path))
    from app.db import open_database
    from app.services import setup
    from app.ui.dialogs.setup import SetupDialog

    db = open_database(target)
    if setup.needs_setup(db) and not SetupDialog(db).exec():
        return None
    return LoginDialog(db)


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog=program_name())
    parser.add_argument("--db", default=str(default_database()))
    parser.add_argument("--render-first-page", nargs=2, metavar=("PDF", "PNG"), help=argparse.SUPPRESS)
    args, qt_args = parser.parse_known_args(argv)
    app = make_application(qt_args)
    if args.render_first_page:   # the installed copy checks it can preview and print (app/ui/self_check.py)
        from app.ui.self_check import render_first_page

        return render_first_page(*map(Path, args.render_first_page))
    install_error_dialog(setup_logging())
    try:
        login = first_login(args.db)
    except DatabaseOpenError as error:
        QMessageBox.critical(None, APP_TITLE, str(error))
        return 2
    if login is not None and os.environ.get(READY_SIGNAL):   # bench/bundle.py times the start to this moment
        QTimer.singleShot(0, lambda: print("ready", flush=True))
    while login is not None and login.exec():
        from app.ui.dialogs.login import LoginDialog
        from app.ui.main_window import MainWindow
        from app.ui.widgets.common import Context

        window = MainWindow(Context(login.db, login.actor))
        window.show()
        window.check_due()   # what falls due this week, once the window is up
        app.exec()
        if not window.logged_out:
            break
        login = LoginDialog(login.db)
    return 0
