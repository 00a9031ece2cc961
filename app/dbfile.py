"""A SQLite file checked with the standard library alone.

The login window comes up before SQLAlchemy and Alembic are imported (they take most of a second on
an old laptop), so the checks that decide whether a file may be opened live here, read-only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from app import clock

# PRAGMA application_id marks a SQLite file as ours ("STG1"); set by the first revision.
APPLICATION_ID = 0x53544731
SQLITE_HEADER = b"SQLite format 3\x00"
# Every Alembic revision, oldest first, read from the file names of app/migrations/versions (each named
# after its revision: 0007_exchange.py), so a new revision is known without a list to keep; a test
# checks the names against Alembic's own chain.
MIGRATION_VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
SCHEMA_REVISIONS = tuple(sorted(path.name[:4] for path in MIGRATION_VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py")))
HEAD_REVISION = SCHEMA_REVISIONS[-1]


class DatabaseOpenError(Exception):
    """A database that cannot be opened as it is; the message is for the user, in Vietnamese."""


def sqlite_path(target: str | Path) -> Path | None:
    """The file behind a path or a sqlite:/// URL; None for a server URL."""
    text = str(target)
    if text.startswith("sqlite:///"):
        text = text.removeprefix("sqlite:///")
    elif "://" in text:
        return None
    return Path(text).expanduser().resolve()


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def inspect_sqlite_file(path: Path) -> str:
    """The file's schema revision, after checking read-only that it is one of ours and not newer."""
    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise DatabaseOpenError(f"Tệp «{path.name}» không phải là cơ sở dữ liệu SQLite; tệp được giữ nguyên.")
    try:
        connection = _read_only(path.resolve())
        try:
            (application_id,) = connection.execute("PRAGMA application_id").fetchone()
            if application_id != APPLICATION_ID:
                raise DatabaseOpenError(
                    f"Tệp «{path.name}» là cơ sở dữ liệu của phần mềm khác, không phải của Sổ Tuyên giáo; "
                    "tệp được giữ nguyên.")
            rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise DatabaseOpenError(f"Tệp «{path.name}» bị hỏng hoặc không đọc được ({error}); tệp được giữ nguyên.") \
            from error
    if len(rows) != 1:
        raise DatabaseOpenError(f"Tệp «{path.name}» không có phiên bản cấu trúc hợp lệ; tệp được giữ nguyên.")
    revision = rows[0][0]
    if revision not in SCHEMA_REVISIONS:
        raise DatabaseOpenError(
            f"Tệp «{path.name}» được tạo bởi phiên bản Sổ Tuyên giáo mới hơn phiên bản đang chạy. "
            "Hãy cập nhật phần mềm; tệp được giữ nguyên.")
    return revision


def ready_for_login(path: Path) -> bool:
    """True when the file is ours, up to date and has accounts: the login window can come first.

    Anything else (a new file, an older one to upgrade, a first start) goes the slow, careful way.
    """
    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        if inspect_sqlite_file(path) != HEAD_REVISION:
            return False
        connection = _read_only(path)
        try:
            return connection.execute("SELECT EXISTS (SELECT 1 FROM app_user)").fetchone()[0] == 1
        finally:
            connection.close()
    except (DatabaseOpenError, sqlite3.Error):
        return False


def backup_before_upgrade(path: Path, revision: str) -> Path:
    """A consistent copy (SQLite's online backup) next to the file, before any schema change."""
    stamp = clock.local_now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.truoc-nang-cap-{revision}-{stamp}{path.suffix}")
    online_copy(path, target)
    return target


COPY_PAGES = 1024   # pages an online copy takes between two words of progress


def online_copy(source: Path, target: Path, step: Callable[[int, int], None] | None = None) -> None:
    """SQLite's online backup: a snapshot consistent even while others write. `step(done, total)` is
    told the pages copied while pages are left; if it raises, the copy stops and SQLite leaves `target`
    as it was (after the last step the copy is whole and committed, so it is not asked then)."""
    def told(_status: int, left: int, total: int) -> None:
        if left:
            step(total - left, total)

    reader = sqlite3.connect(source)
    writer = sqlite3.connect(target)
    try:
        if step is None:
            reader.backup(writer)
        else:
            reader.backup(writer, pages=COPY_PAGES, progress=told)
    finally:
        writer.close()
        reader.close()
