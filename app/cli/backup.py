"""`backup` and `restore`: a consistent copy while the app runs, and putting one back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app import clock
from app.cli.common import (
    CliError,
    backup_passphrase,
    login,
    open_db,
)
from app.cli.registry import arg, command
from app.db import DatabaseOpenError, open_database


@command("backup", "sao lưu cơ sở dữ liệu (được cả khi phần mềm đang mở)",
         arg("--to", metavar="TỆP", help="tệp sao lưu (.saoluu); mặc định trong thư mục sao-luu cạnh cơ sở dữ liệu"),
         arg("--passphrase", action="store_true",
             help="mã hóa bằng mật khẩu (lấy từ TUYENGIAO_BACKUP_PASSWORD hoặc hỏi khi chạy)"))
def backup(args: argparse.Namespace) -> None:
    """A consistent copy of the database while it is in use, optionally under a passphrase."""
    from app.services import backup

    db = open_db(args)
    actor = login(db, args)
    target = Path(args.to) if args.to else backup.auto_folder(db) / f"sotuyengiao-{clock.local_now():%Y%m%d-%H%M%S}.saoluu"
    target.parent.mkdir(parents=True, exist_ok=True)
    info = backup.make(db, actor, target, backup_passphrase(confirm=True) if args.passphrase else None)
    print(f"Đã sao lưu vào {target}\n{info.summary()}")
    db.close()


@command("restore", "khôi phục cơ sở dữ liệu từ bản sao lưu (quản trị viên; giữ lại tệp cũ)",
         arg("file", help="tệp sao lưu (.saoluu)"),
         arg("--yes", action="store_true", help="không hỏi lại trước khi thay thế"))
def restore(args: argparse.Namespace) -> None:
    """Replace the database with a backup, after checking it and asking; the replaced file is kept.

    An admin of the current database confirms who they are; when that database is missing or no
    longer opens (the usual reason to restore), there is nobody to ask and the file system decides.
    """
    from app.dbfile import sqlite_path
    from app.services import auth, backup

    path = sqlite_path(args.db)
    if path is None:
        raise CliError("Khôi phục chỉ dành cho tệp SQLite; máy chủ PostgreSQL được khôi phục trên máy chủ.")
    current = admin = None
    if path.exists():
        try:
            current = open_database(path)
        except DatabaseOpenError as error:
            print(f"Cơ sở dữ liệu hiện tại không mở được ({error}); sẽ được cất sang bên.")
    if current is not None:
        admin = login(current, args)
        auth.require(admin, auth.Permission.RESTORE)
        current.close()
    info = backup.peek(args.file)
    passphrase = backup_passphrase(confirm=False) if info.encrypted else None
    path.parent.mkdir(parents=True, exist_ok=True)
    info = backup.verify(args.file, passphrase, beside=path.parent)
    print(f"Bản sao lưu hợp lệ. {info.summary()}")
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("Thêm --yes để xác nhận thay thế cơ sở dữ liệu (không hỏi được khi chạy tự động).")
        if input(f"Thay thế {path} bằng bản sao lưu này? Gõ «co» để đồng ý: ").strip().lower() != "co":
            print("Đã hủy; không có gì thay đổi.")
            return
    info, kept = backup.restore(path, args.file, passphrase)
    db = open_database(path)   # an older backup is upgraded here, after its own copy is set aside
    backup.after_restore(db, admin, info)
    db.close()
    print(f"Đã khôi phục {path}." + (f" Cơ sở dữ liệu cũ được giữ tại {kept}." if kept else ""))
