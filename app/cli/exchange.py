"""`exchange`: partners' cards, packages out and in (reviewed, then applied in one transaction)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import (
    CliError,
    login,
    open_db,
    parse_day,
)
from app.cli.registry import arg, command, group

EXCHANGE = group("exchange", "trao đổi dữ liệu với cấp trên, cấp dưới bằng tệp")


@command("card", "lưu tệp khóa của cơ quan để gửi cho đối tác (quản trị viên)",
         arg("--out", required=True, metavar="TỆP", help="tệp khóa (.json)"),
         group=EXCHANGE)
def card(args: argparse.Namespace) -> None:
    """Our partner card (admin), to hand to the partner once; its fingerprint to read over the phone."""
    from app.services import exchange

    db = open_db(args)
    content, fingerprint = exchange.my_card(db, login(db, args))
    Path(args.out).write_bytes(content)
    print(f"Đã lưu tệp khóa vào {args.out}\nDấu khóa (đọc cho đối tác kiểm tra): {fingerprint}")


@command("add-partner", "nhận tệp khóa của đối tác (quản trị viên; kiểm tra dấu khóa qua điện thoại)",
         arg("card", help="tệp khóa của đối tác"),
         arg("--above", action="store_true", help="đối tác là cấp trên (huyện) của cơ quan này"),
         group=EXCHANGE)
def add_partner(args: argparse.Namespace) -> None:
    from app.services import exchange

    db = open_db(args)
    actor = login(db, args)
    card = exchange.read_card(Path(args.card).read_bytes(), Path(args.card).name)
    exchange.add_partner(db, actor, card, above=args.above)
    print(f"Đã thêm đối tác «{card.name}» ({'cấp trên' if args.above else 'cấp dưới'}), dấu khóa {card.fingerprint}")


@command("partners", "liệt kê đối tác và số gói đã gửi, đã nhận, đang giữ", group=EXCHANGE)
def partners(args: argparse.Namespace) -> None:
    from app.services import exchange

    db = open_db(args)
    for partner in exchange.partners(db, login(db, args)):
        waiting = f"\tđang giữ gói {', '.join(map(str, partner.held))}" if partner.held else ""
        print(f"{partner.name}\t{'cấp trên' if partner.above else 'cấp dưới'}\tđã gửi {partner.sent_seq} gói\t"
              f"đã nhận {partner.received_seq} gói{waiting}")


@command("export", "xuất gói gồm mọi thay đổi đối tác chưa nhận",
         arg("--to", required=True, help="tên đối tác (hoặc phần đầu của tên)"),
         arg("--out", required=True, metavar="TỆP", help="tệp gói (.goitd)"),
         arg("--unit", help="chỉ đơn vị này và các đơn vị trực thuộc"),
         arg("--from", dest="start", help="từ ngày (dd/mm/yyyy)"),
         arg("--to-date", dest="end", help="đến ngày (dd/mm/yyyy)"),
         group=EXCHANGE)
def export(args: argparse.Namespace) -> None:
    from app.services import exchange

    db = open_db(args)
    actor = login(db, args, open_signing=True)
    result = exchange.export(db, actor, exchange.find_partner(db, args.to), args.out,
                             start=parse_day(args.start) if args.start else None, end=parse_day(args.end) if args.end else None,
                             unit_code=args.unit)
    counts = ", ".join(f"{count} {table}" for table, count in result.counts.items()) or "không có bản ghi mới"
    print(f"Đã xuất gói số {result.seq} vào {result.path}: {counts}; {result.files} tệp.")


def _print_review(reviewed) -> None:
    print(reviewed.summary())
    for item in reviewed.items:
        if item.category != "same":
            print(f"{item.category}\t{item.kind_label}\t{item.title}\t{item.uid}")
            for what, mine, theirs in item.differences:
                print(f"\t{what}: của mình «{mine[:60]}» | của họ «{theirs[:60]}»")


@command("import", "xem trước một gói (mới, sửa, xóa, xung đột); --apply để nhập",
         arg("file", nargs="?", help="tệp gói (.goitd)"),
         arg("--held", metavar="ĐỐI-TÁC", help="nhập gói đang chờ tiếp theo của đối tác này"),
         arg("--apply", action="store_true", help="nhập (một giao dịch)"),
         arg("--keep-mine", action="append", metavar="UID", help="xung đột: giữ bản của mình"),
         arg("--take-theirs", action="append", metavar="UID", help="xung đột: lấy bản của đối tác"),
         arg("--all-mine", action="store_true", help="mọi xung đột còn lại: giữ bản của mình"),
         arg("--all-theirs", action="store_true", help="mọi xung đột còn lại: lấy bản của đối tác"),
         group=EXCHANGE)
def import_package(args: argparse.Namespace) -> None:
    """Review a package; with --apply write it, each conflict decided by --keep-mine/--take-theirs."""
    from app.services import exchange

    db = open_db(args)
    actor = login(db, args)
    if args.held:
        partner = exchange.find_partner(db, args.held)
        waiting = next(p for p in exchange.partners(db, actor) if p.install_id == partner)
        package = exchange.held_package(db, partner, waiting.received_seq + 1)
    elif args.file:
        package = exchange.open_package(db, args.file)
    else:
        raise CliError("Cần tệp gói, hoặc --held TÊN-ĐỐI-TÁC để nhập gói đang chờ.")
    reviewed = exchange.review(db, actor, package)
    _print_review(reviewed)
    if reviewed.status != "ready" or not args.apply:
        if reviewed.status == "ready":
            print("Chưa ghi gì: thêm --apply để nhập.")
        return
    decisions = {uid: exchange.MINE for uid in args.keep_mine or []}
    decisions |= {uid: exchange.THEIRS for uid in args.take_theirs or []}
    if args.all_mine or args.all_theirs:
        choice = exchange.MINE if args.all_mine else exchange.THEIRS
        decisions |= {item.uid: choice for item in reviewed.conflicts if item.uid not in decisions}
    result = exchange.apply(db, actor, reviewed, decisions)
    print("Đã nhập: " + ", ".join(f"{count} {exchange.CATEGORY_LABELS[c].lower()}" for c, count in result.counts.items()))
    if result.next_held:
        print(f"Gói số {result.next_held} đã đến trước và đang chờ: nhập bằng «exchange import --held …».")
