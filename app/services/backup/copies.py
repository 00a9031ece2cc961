"""Backups of a SQLite database: made while the app runs, checked, and restored.

A backup is SQLite's online backup of the live file (a consistent snapshot even while clerks keep
writing), packed by `format` with a summary for the person who restores it. Restoring checks every
byte first, keeps the database it replaces, then copies the backup in through the same online
backup, so an app that has the file open sees the restored data.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app import clock
from app.db import Database, open_database
from app.dbfile import HEAD_REVISION, DatabaseOpenError, inspect_sqlite_file, online_copy, sqlite_path
from app.services import audit, auth
from app.services.auth import Actor, Permission
from app.services.backup.format import BackupFileError, extract, read_header, write
from app.services.errors import ServiceError, ValidationError
from app.services.progress import QUIET, Progress
from app.services.safe_write import atomic_writer

SUFFIX = ".saoluu"
AUTO_PREFIX = "tu-dong-"
STAMP = "%Y%m%d-%H%M%S"
# What the summary counts, with the words a person reads before restoring.
COUNTED = {"unit": "đơn vị", "person": "người", "meeting": "hội nghị", "attendance": "lượt điểm danh",
           "document": "văn bản", "case_file": "vụ việc", "issued_report": "báo cáo đã ban hành",
           "stored_file": "tệp"}

STOPPED_BACKUP = "Đã dừng sao lưu; chưa tạo tệp sao lưu."
STOPPED_CHECK = "Đã dừng kiểm tra bản sao lưu."
STOPPED_RESTORE = "Đã dừng khôi phục; cơ sở dữ liệu vẫn như trước."

class BackupError(ServiceError):
    pass


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    made_by: str
    install_id: str
    revision: str
    encrypted: bool
    counts: dict[str, int]

    def summary(self) -> str:
        counted = ", ".join(f"{self.counts.get(table, 0):,} {words}".replace(",", ".")
                            for table, words in COUNTED.items())
        return (f"Bản sao lưu lúc {self.made_at:%H:%M ngày %d/%m/%Y} do {self.made_by} tạo"
                f"{' (có mật khẩu)' if self.encrypted else ''}: {counted}.")


def check_new_passphrase(passphrase: str, repeat: str) -> None:
    """A passphrase nobody can recover: long enough, and typed the same twice."""
    if len(passphrase) < 8:
        raise ValidationError.one("passphrase", "Mật khẩu của bản sao lưu cần ít nhất 8 ký tự.")
    if repeat != passphrase:
        raise ValidationError.one("repeat", "Hai lần nhập mật khẩu của bản sao lưu không giống nhau.")


def database_file(db: Database) -> Path:
    path = sqlite_path(db.url)
    if path is None:
        raise BackupError("Cơ sở dữ liệu dùng chung trên máy chủ PostgreSQL được sao lưu trên máy chủ "
                          "(pg_dump) bởi người quản trị máy chủ, không sao lưu từ phần mềm.")
    return path


@contextmanager
def _scratch(folder: Path) -> Iterator[Path]:
    """A temporary database file beside the others (same disk, never the system's shared temporary
    folder), removed afterwards with every file SQLite made beside it."""
    try:
        handle, name = tempfile.mkstemp(prefix=".sotuyengiao-", suffix=".tmp", dir=folder)
    except OSError as error:
        raise BackupError(f"Không ghi được tệp tạm vào thư mục «{folder}»: {error.strerror or error}.") from error
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        for extra in ("", "-journal", "-wal", "-shm"):
            Path(f"{path}{extra}").unlink(missing_ok=True)


def _counts(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (our names)
                for table in COUNTED}
    finally:
        connection.close()


def make(db: Database, actor: Actor | None, target: Path | str, passphrase: str | None = None,
         progress: Progress = QUIET) -> BackupInfo:
    """Write a backup of the open database to `target` (replaced whole or not at all: stopped, it
    leaves no file).

    `actor` is None only for the scheduled backup, which runs for whoever is logged in.
    """
    if actor is not None:
        auth.require(actor, Permission.BACKUP)
    source = database_file(db)
    target = Path(target)
    if target.resolve() == source:
        raise BackupError("Không thể ghi bản sao lưu đè lên chính cơ sở dữ liệu đang dùng.")
    made_at = clock.local_now().replace(microsecond=0)
    made_by = actor.username if actor else "(tự động)"
    with _scratch(target.parent if target.parent.is_dir() else source.parent) as snapshot:
        online_copy(source, snapshot, lambda done, total: progress.step(done, 2 * total, STOPPED_BACKUP))
        revision = inspect_sqlite_file(snapshot)
        facts = {"made_at": made_at.isoformat(), "made_by": made_by, "install_id": db.install_id,
                 "revision": revision, "counts": _counts(snapshot)}
        with atomic_writer(target) as stream:
            write(snapshot, stream, facts, passphrase,
                  lambda done, total: progress.step(total + done, 2 * total, STOPPED_BACKUP))
    if actor is not None:
        with db.session_scope() as session:
            audit.record(session, actor, "backup", "database", target.name,
                         f"Sao lưu cơ sở dữ liệu vào «{target}»{' (có mật khẩu)' if passphrase else ''}")
    return _info(target, facts, bool(passphrase))


def _info(path: Path, fields: dict, encrypted: bool) -> BackupInfo:
    try:
        return BackupInfo(path=path, made_at=datetime.fromisoformat(fields["made_at"]), made_by=fields["made_by"],
                          install_id=fields["install_id"], revision=fields["revision"], encrypted=encrypted,
                          counts=dict(fields["counts"]))
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(f"Phần đầu của bản sao lưu «{path.name}» bị hỏng.") from error


def peek(path: Path | str) -> BackupInfo:
    """What the header says (without the passphrase): enough to show before asking for it."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            header = read_header(handle, path.name)
    except BackupFileError as error:
        raise BackupError(str(error)) from error
    except OSError as error:
        raise BackupError(f"Không đọc được tệp «{path}»: {error.strerror or error}.") from error
    return _info(path, header.fields, header.encrypted)


def _unpack(path: Path, target: Path, passphrase: str | None, progress: Progress) -> BackupInfo:
    """Extract and check a backup into `target`: every byte, then the database inside it."""
    info = peek(path)
    try:
        header = extract(path, target, passphrase, lambda done, total: progress.step(done, total, STOPPED_CHECK))
        inspect_sqlite_file(target)
        connection = sqlite3.connect(target)
        try:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            connection.close()
    except BackupFileError as error:
        raise BackupError(str(error)) from error
    except (DatabaseOpenError, sqlite3.DatabaseError) as error:
        raise BackupError(f"Bản sao lưu «{path.name}» không chứa cơ sở dữ liệu dùng được: {error}") from error
    if verdict != "ok":
        raise BackupError(f"Cơ sở dữ liệu trong bản sao lưu «{path.name}» bị hỏng ({verdict}).")
    return _info(path, header.fields, info.encrypted)


def verify(path: Path | str, passphrase: str | None = None, progress: Progress = QUIET, *,
           beside: Path | None = None) -> BackupInfo:
    """Check a backup completely (passphrase, every chunk, the hash, the database inside). The database is
    unpacked for the check in `beside` (the database's folder, before a restore), else the backup's own."""
    path = Path(path)
    with _scratch(Path(beside) if beside else path.resolve().parent) as target:
        return _unpack(path, target, passphrase, progress)


def _keep_replaced(current: Path, stamp: str) -> Path | None:
    """Set the database about to be replaced aside: copied if it still reads, else moved."""
    if not current.exists():
        return None
    kept = current.with_name(f"{current.stem}.truoc-khoi-phuc-{stamp}{current.suffix}")
    try:
        online_copy(current, kept)
    except sqlite3.DatabaseError:
        kept.unlink(missing_ok=True)
        for extra in ("", "-wal", "-shm"):
            part = Path(f"{current}{extra}")
            if part.exists():
                os.replace(part, Path(f"{kept}{extra}"))
    return kept


def restore(database: Path | str, backup: Path | str, passphrase: str | None = None,
            progress: Progress = QUIET) -> tuple[BackupInfo, Path | None]:
    """Replace the database with the backup's; returns the backup's facts and where the old one went.

    Nothing is touched until the backup has passed every check. Callers ask the person first. Stopped
    while checking, nothing is replaced; stopped while copying in, SQLite leaves the database as it was.
    """
    database, backup = Path(database).resolve(), Path(backup)
    database.parent.mkdir(parents=True, exist_ok=True)
    with _scratch(database.parent) as unpacked:
        info = _unpack(backup, unpacked, passphrase, progress)
        progress.check(STOPPED_RESTORE)
        kept = _keep_replaced(database, clock.local_now().strftime(STAMP))
        online_copy(unpacked, database, lambda done, total: progress.step(done, total, STOPPED_RESTORE))
    return info, kept


def after_restore(db: Database, actor: Actor | None, info: BackupInfo) -> None:
    """Bring an older backup up to this app's schema, and say in its own trail that it was restored.

    The entry names the person without linking their account: it belongs to the replaced database.
    """
    if info.revision != HEAD_REVISION:
        open_database(database_file(db)).close()   # sets its own copy aside, then upgrades
    by = f" bởi {actor.username}" if actor else ""
    with db.session_scope() as session:
        audit.record(session, None, "restore", "database", info.path.name,
                     f"Khôi phục từ bản sao lưu «{info.path.name}» lập lúc {info.made_at:%H:%M %d/%m/%Y}{by}")
