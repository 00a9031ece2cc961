"""`users`: accounts (admins only)."""

from __future__ import annotations

import argparse

from app.cli.common import (
    ask_password,
    login,
    open_db,
    unit_id_of,
)
from app.cli.registry import arg, command, group

USERS = group("users", "tài khoản người dùng")


@command("list", "liệt kê tài khoản (quản trị viên)", group=USERS)
def list_users(args: argparse.Namespace) -> None:
    from app.services import users

    db = open_db(args)
    actor = login(db, args)
    for row in users.list_users(db, actor):
        state = "khóa" if row.locked else ("hoạt động" if row.active else "vô hiệu")
        print("\t".join([row.username, row.full_name, row.role.label, row.unit_code or "", state]))


@command("add", "thêm tài khoản (mật khẩu mới lấy từ TUYENGIAO_NEW_PASSWORD hoặc hỏi)",
         arg("--username", required=True, help="tên đăng nhập mới"),
         arg("--full-name", required=True, help="họ và tên"),
         arg("--role", required=True, choices=["admin", "clerk", "leader", "inspector"],
             help="vai trò: admin (quản trị), clerk (nhập liệu), leader (lãnh đạo), inspector (kiểm tra)"),
         arg("--unit", help="mã đơn vị được giao (bắt buộc với clerk)"),
         group=USERS)
def add_user(args: argparse.Namespace) -> None:
    from app.models.enums import Role
    from app.services import users

    db = open_db(args)
    actor = login(db, args)
    role = {r.value: r for r in Role}[args.role]
    unit_id = unit_id_of(db, actor, args.unit) if args.unit else None
    password = ask_password(f"Mật khẩu cho tài khoản mới {args.username}: ", "TUYENGIAO_NEW_PASSWORD")
    users.create(db, actor, users.UserInput(args.username, args.full_name, role, unit_id), password)
    print(f"Đã tạo tài khoản {args.username}.")
