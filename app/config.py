"""Where things live, and every tunable value declared once with its type and default."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "SoTuyenGiao"
APP_TITLE = "Sổ Tuyên giáo"


def resources_dir() -> Path:
    """resources/ beside the package, or inside the PyInstaller folder when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


PORTABLE_MARKER = "portable.txt"   # beside the program: keep everything beside it (a USB stick)


def program_dir() -> Path:
    """The folder the program runs from: the installed folder when frozen, the project otherwise."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parent.parent


def program_name() -> str:
    """The program as the user called it, for --help: «tuyengiao-cli» or «SoTuyenGiao» when installed,
    «tuyengiao» from the entry point, «python -m app» from the source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).stem
    called = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python -m app" if called in ("", "__main__.py", "-c", "-m") else Path(called).stem


def is_portable() -> bool:
    return (program_dir() / PORTABLE_MARKER).is_file()


def data_dir() -> Path:
    """The data folder (database, logs, backups, window settings): TUYENGIAO_DATA if set; `data` beside
    the program in portable mode; otherwise the user's own data folder."""
    override = os.environ.get("TUYENGIAO_DATA")
    if override:
        path = Path(override)
    elif is_portable():
        path = program_dir() / "data"
    else:
        from platformdirs import user_data_path

        path = user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_dir() -> Path:
    """Where the window settings are kept (column widths, filters, recent records): in the data folder,
    so a portable copy or TUYENGIAO_DATA takes them along, not the registry."""
    return data_dir() / "settings"


def default_database() -> Path:
    return data_dir() / "sotuyengiao.sqlite"


def log_file() -> Path:
    logs = data_dir() / "logs"
    logs.mkdir(exist_ok=True)
    return logs / "sotuyengiao.log"


@dataclass(frozen=True)
class Settings:
    """Values an office may one day want to change; the code reads them only from here."""

    # Wrong passwords: free tries, then a growing wait, then the account locks for a while.
    login_free_attempts: int = 3
    login_lock_after: int = 8
    login_lock_minutes: int = 15
    login_max_wait_seconds: int = 60
    # Stored files (scans, photos, attached documents).
    file_max_bytes: int = 25 * 1024 * 1024
    # A spreadsheet or CSV read for import: bigger ones are refused at once, naming the limit, before
    # they can fill the memory of an old laptop.
    sheet_max_rows: int = 100_000
    sheet_max_columns: int = 200
    sheet_max_unpacked_bytes: int = 60 * 1024 * 1024
    # A writer waits this long for another to finish (a 20,000-row import holds the file for 15–20 s on
    # an old laptop) before it gives up, saying so, with the person's input kept.
    database_busy_seconds: int = 45
    # Rows fetched per page by paged tables.
    page_size: int = 200
    # Attendance target used when the office profile has none.
    default_attendance_target: float = 95.0
    # Reported cases: handled by a State body, calendar days from acceptance, extended by 30 (twice when
    # especially complex); handled by the Party at cơ sở, working days, extended once (DOMAIN.md).
    state_days: int = 30
    state_extension_days: int = 30
    state_max_extensions: int = 2
    party_working_days: int = 90
    party_extension_days: int = 30
    party_max_extensions: int = 1
    # A case due within this many days stands out in the list.
    case_due_soon_days: int = 7
    # A key holder's open key locks itself after this long without use.
    identity_idle_minutes: int = 10
    # Scheduled backups: one when the newest is this old, the newest few kept.
    backup_every_hours: int = 24
    backup_keep: int = 10


SETTINGS = Settings()
