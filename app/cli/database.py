"""Setting up a database: its schema and the demo district."""

from __future__ import annotations

import argparse

from app.cli.common import (
    login,
    open_db,
)
from app.cli.registry import arg, command
from app.db import Database, make_engine, open_database, server_revision, to_url


@command("migrate", "tạo hoặc nâng cấp cấu trúc cơ sở dữ liệu (máy chủ: chỉ quản trị viên)")
def migrate(args: argparse.Namespace) -> None:
    """Create or upgrade the schema; on a server with data, only an admin may."""
    from app.services import auth

    url = to_url(args.db)
    if url.startswith("sqlite"):
        db = open_database(url)
    else:
        engine = make_engine(url)
        try:
            revision = server_revision(engine)
            if revision is not None:
                auth.require(login(Database(engine), args), auth.Permission.MIGRATE)
        finally:
            engine.dispose()
        db = open_database(url, migrate_server=True)
    print(f"Cơ sở dữ liệu đã ở phiên bản cấu trúc mới nhất: {db.url}")
    db.close()


@command("demo", "tạo cơ sở dữ liệu mẫu (một huyện giả định) vào một tệp mới",
         arg("--scale", choices=["tiny", "small", "large"], default="small",
             help="quy mô: tiny (kiểm thử), small (~3.000 người), large (~100.000 người)"),
         arg("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu)"))
def demo(args: argparse.Namespace) -> None:
    from app import demo

    db = open_db(args, create=True)
    counts = demo.build(db, args.scale, args.seed)
    print(f"Đã tạo dữ liệu mẫu ({args.scale}): {counts['units']} đơn vị, {counts['people']} người, "
          f"{counts['users']} tài khoản.")
    db.close()
