"""`schedule`: the reports the offices under this one owe it, and by when."""

from __future__ import annotations

import argparse

from app.cli.common import login, open_db
from app.cli.registry import arg, command, group

SCHEDULE = group("schedule", "lịch báo cáo: đơn vị cấp dưới phải gửi báo cáo nào, hạn nộp")


@command("list", "các báo cáo đơn vị cấp dưới phải gửi lên cơ quan này, và hạn nộp", group=SCHEDULE)
def list_duties(args: argparse.Namespace) -> None:
    from app.services import schedule

    db = open_db(args)
    for duty in schedule.duties(db, login(db, args)):
        print(f"{duty.kind}\t{duty.label}\t{duty.rule_text}\t{'đã điều chỉnh' if duty.adjusted else 'mặc định'}")


@command("set", "đổi hạn nộp một loại báo cáo (người giữ thông tin cơ quan)",
         arg("kind", choices=["thang", "quy", "6thang", "9thang", "nam"], help="loại báo cáo"),
         arg("--due-day", type=int, required=True, help="ngày trong tháng, 1–28"),
         arg("--months-after", type=int, default=0, help="0: tháng cuối kỳ (mặc định), 1: tháng sau kỳ…"),
         group=SCHEDULE)
def set_duty(args: argparse.Namespace) -> None:
    from app.services import schedule

    db = open_db(args)
    duty = schedule.set_duty(db, login(db, args), args.kind, args.due_day, args.months_after)
    print(f"{duty.label}: hạn nộp {duty.rule_text}.")
