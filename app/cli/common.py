"""What every command shares: its database, who is acting (the password from the environment or a
prompt), and reading dates, units and documents as people type them."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import date, datetime

from app.db import Database, open_database
from app.dbfile import sqlite_path


class CliError(Exception):
    """Bad input on the command line: printed as one Vietnamese line, exit code 2."""


def ask_password(prompt: str, variable: str = "TUYENGIAO_PASSWORD") -> str:
    value = os.environ.get(variable)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CliError(f"Thiếu mật khẩu: đặt biến môi trường {variable} hoặc chạy trong cửa sổ lệnh để nhập.")
    return getpass.getpass(prompt)


def login(db: Database, args: argparse.Namespace, *, open_signing: bool = False):
    """The acting user; `open_signing` also opens the package-signing key with the same password."""
    from app.services import auth

    if not args.user:
        raise CliError("Thiếu --user: lệnh này cần tên đăng nhập.")
    password = ask_password(f"Mật khẩu của {args.user}: ")
    actor = auth.login(db, args.user, password)
    if open_signing:
        from app.services.exchange import signing

        signing.open_at_login(db, actor, password)
    return actor


def open_db(args: argparse.Namespace, *, create: bool = False) -> Database:
    """The database of --db. Only `demo` (and `migrate`, on its own) may create one: anywhere else a file
    that is not there is a typo, refused rather than answered from a new empty database."""
    path = sqlite_path(args.db)
    if not create and path is not None and not path.exists():
        raise CliError(f"Không có cơ sở dữ liệu «{path}»: hãy kiểm tra --db (tạo mới bằng lệnh demo hoặc migrate).")
    return open_database(args.db)


def parse_day(text: str) -> date:
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError as error:
        raise CliError(f"Ngày «{text}» không đúng dạng dd/mm/yyyy.") from error


def unit_id_of(db: Database, actor, code: str) -> int:
    from app.services import units

    for node in units.tree(db, actor):
        if node.code == code.upper():
            return node.id
    raise CliError(f"Không có đơn vị mã «{code}».")


def document_id_of(db: Database, actor, number: str) -> int:
    from app.services import documents
    from app.services.search import fold

    found = [row for row in documents.search(db, actor, number) if fold(row.number) == fold(number)]
    if len(found) != 1:
        raise CliError(f"Không có văn bản số «{number}»." if not found else
                       f"Có {len(found)} văn bản cùng số «{number}».")
    return found[0].id


def backup_passphrase(confirm: bool) -> str:
    from app.services import backup

    passphrase = ask_password("Mật khẩu của bản sao lưu: ", "TUYENGIAO_BACKUP_PASSWORD")
    if confirm:
        typed_twice = "TUYENGIAO_BACKUP_PASSWORD" not in os.environ
        backup.check_new_passphrase(passphrase, getpass.getpass("Nhập lại mật khẩu: ") if typed_twice else passphrase)
    return passphrase
