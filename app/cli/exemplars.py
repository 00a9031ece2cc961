"""`models`: the register of good examples and commendations (mô hình, điển hình) and section II.5 drafted from it."""

from __future__ import annotations

import argparse

from app.cli.common import CliError, document_id_of, login, open_db, parse_day, unit_id_of
from app.cli.registry import arg, command, group
from app.models.enums import Commendation, ExemplarKind

MODELS = group("models", "sổ mô hình, điển hình tiên tiến, biểu dương, khen thưởng; dự thảo mục II.5 của báo cáo")


@command("add", "thêm một mô hình, tập thể hoặc cá nhân điển hình",
         arg("--kind", required=True, choices=[k.value for k in ExemplarKind],
             help="model: mô hình, collective: tập thể, person: cá nhân"),
         arg("--title", required=True, help="tên mô hình, tập thể, cá nhân"),
         arg("--unit", required=True, help="mã đơn vị"),
         arg("--date", required=True, help="ngày công nhận, khen thưởng (dd/mm/yyyy)"),
         arg("--commendation", required=True, choices=[c.value for c in Commendation],
             help="noted: phát hiện, praise: biểu dương, certificate: giấy khen, merit: bằng khen, flag: cờ thi đua, "
                  "order: huân chương"),
         arg("--awarded-by", default="", help="cấp khen: Ban Thường vụ Huyện ủy, UBND tỉnh…"),
         arg("--document", default="", help="số văn bản thực hiện, ví dụ 54-KL/TW"),
         arg("--spread", default="", help="đơn vị nhân rộng: MÃ:dd/mm/yyyy, cách nhau dấu phẩy"),
         group=MODELS)
def add(args: argparse.Namespace) -> None:
    from app.services.exemplars import register

    db = open_db(args)
    actor = login(db, args)
    spread = []
    for item in filter(None, (part.strip() for part in args.spread.split(","))):
        code, _, day = item.partition(":")
        if not day:
            raise CliError(f"--spread «{item}»: ghi MÃ_ĐƠN_VỊ:dd/mm/yyyy.")
        spread.append(register.SpreadLine(unit_id_of(db, actor, code), parse_day(day)))
    data = register.ExemplarInput(
        kind=ExemplarKind(args.kind), title=args.title, unit_id=unit_id_of(db, actor, args.unit),
        recognised_on=parse_day(args.date), commendation=Commendation(args.commendation), awarded_by=args.awarded_by,
        document_id=document_id_of(db, actor, args.document) if args.document else None, spread=spread)
    exemplar_id = register.create(db, actor, data)
    print(f"Đã thêm số {exemplar_id}: «{register.get(db, actor, exemplar_id).data.title}».")


@command("list", "các mô hình, điển hình được công nhận trong một khoảng thời gian",
         arg("--from", dest="start", default="", help="từ ngày, dd/mm/yyyy"),
         arg("--to", dest="end", default="", help="đến ngày, dd/mm/yyyy"),
         arg("--unit", default="", help="mã đơn vị (gồm các đơn vị trực thuộc)"),
         arg("--kind", default=None, choices=[k.value for k in ExemplarKind]),
         group=MODELS)
def list_examples(args: argparse.Namespace) -> None:
    from app.services.exemplars import listing

    db = open_db(args)
    actor = login(db, args)
    flt = listing.ExemplarFilter(start=parse_day(args.start) if args.start else None,
                                 end=parse_day(args.end) if args.end else None,
                                 unit_id=unit_id_of(db, actor, args.unit) if args.unit else None,
                                 kind=ExemplarKind(args.kind) if args.kind else None)
    after = None
    while rows := listing.list_page(db, actor, flt, after=after):   # page by page: a district's ten years
        for row in rows:
            print(f"{row.recognised_on:%d/%m/%Y}\t{row.kind.label}\t{row.title}\t{row.unit_name}\t"
                  f"{row.commendation.label}\t{row.awarded_by}\t{row.spread}")
        after = (rows[-1].sort_value, rows[-1].id)
    print(f"Cộng: {listing.count(db, actor, flt)} mô hình, điển hình.")


@command("import", "nhập mô hình, điển hình từ tệp .xlsx/.csv: xem trước, --apply để ghi (tất cả hoặc không dòng nào)",
         arg("file", help="tệp bảng tính có các cột Loại, Tên, Đơn vị, Ngày công nhận, Hình thức…"),
         arg("--apply", action="store_true", help="ghi vào sổ (không có: chỉ kiểm tra)"),
         group=MODELS)
def import_file(args: argparse.Namespace) -> None:
    from app.services.exemplars import importing

    db = open_db(args)
    actor = login(db, args)
    preview = importing.check(db, actor, args.file)
    for problem in preview.problems:
        print(problem)
    if preview.problems:
        raise CliError(f"Tệp có {len(preview.problems)} lỗi: chưa ghi dòng nào.")
    if args.apply:
        print(f"Đã ghi {importing.commit(db, actor, preview)} mô hình, điển hình.")
    else:
        print(f"Tệp có {len(preview.rows)} mô hình, điển hình hợp lệ; thêm --apply để ghi.")


@command("draft", "dự thảo mục II.5 «Biểu dương, nhân rộng mô hình» của một kỳ báo cáo",
         arg("--kind", default="thang", choices=["thang", "quy", "6thang", "9thang", "nam", "khoang"]),
         arg("--period", required=True, help="2026-10 (tháng), 2026-4 (quý), 2026 (năm) hoặc ngày bắt đầu"),
         arg("--end", default="", help="ngày kết thúc (kỳ «khoang»)"),
         arg("--unit", default="", help="mã đơn vị (mặc định: cả phạm vi của tài khoản)"),
         group=MODELS)
def draft(args: argparse.Namespace) -> None:
    from app.services.exemplars import section
    from app.services.period import Period

    db = open_db(args)
    actor = login(db, args)
    period = Period.parse(args.kind, args.period, end=args.end)
    text = section.draft(db, actor, period, unit_id_of(db, actor, args.unit) if args.unit else None)
    print(text or f"Không có mô hình, điển hình nào được công nhận, nhân rộng trong {period.label}.")
