"""Scheduled backups while the app is open: one when the last is old enough, the newest few kept."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from app import clock
from app.config import SETTINGS
from app.db import Database
from app.dbfile import sqlite_path
from app.services.backup.copies import AUTO_PREFIX, STAMP, SUFFIX, database_file, make

# ---- the schedule ------------------------------------------------------------------------------

def auto_folder(db: Database) -> Path:
    """Scheduled backups live beside the database, in «sao-luu»."""
    return database_file(db).parent / "sao-luu"


def automatic_backups(folder: Path) -> list[Path]:
    """The scheduled backups in a folder, newest first (their names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{AUTO_PREFIX}*{SUFFIX}"), reverse=True)


def made_at(path: Path) -> datetime | None:
    try:
        return datetime.strptime(path.name.removeprefix(AUTO_PREFIX).removesuffix(SUFFIX), STAMP)
    except ValueError:
        return None


def is_due(folder: Path, now: datetime, every: timedelta | None = None) -> bool:
    every = every or timedelta(hours=SETTINGS.backup_every_hours)
    latest = next((made for made in map(made_at, automatic_backups(folder)) if made), None)
    return latest is None or now - latest >= every


def backup_if_due(db: Database, now: datetime | None = None, folder: Path | None = None) -> Path | None:
    """The scheduled backup: made when the last one is old enough, then only the newest few are kept."""
    if sqlite_path(db.url) is None:
        return None
    now = now or clock.local_now()
    folder = folder or auto_folder(db)
    if not is_due(folder, now):
        return None
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{AUTO_PREFIX}{now:{STAMP}}{SUFFIX}"
    make(db, None, target)
    for old in automatic_backups(folder)[SETTINGS.backup_keep:]:
        old.unlink(missing_ok=True)
    return target
