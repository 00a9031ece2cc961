"""`reports`: the reporting cycle seen from the office above: who has reported, the reports received,
approving or returning them, and the letter to those whose report has not come."""

from __future__ import annotations

import argparse

from app.cli.common import CliError, login, open_db, parse_day
from app.cli.registry import arg, command, group

REPORTS = group("reports", "báo cáo của cấp dưới: tình hình gửi, sổ báo cáo đã nhận, duyệt hoặc trả lại")
KINDS = ["thang", "quy", "6thang", "9thang", "nam"]


@command("completeness", "đơn vị nào đã gửi báo cáo: đúng hạn, muộn, bị trả lại, chưa gửi; tỷ lệ báo cáo và tỷ lệ "
                         "đúng hạn (in biểu PDF, Excel và công văn đôn đốc)",
         arg("--period", required=True, help="kỳ cuối: 2026-10 (tháng), 2026-4 (quý), 2026 (6 tháng, 9 tháng, năm)"),
         arg("--kind", default="thang", choices=KINDS, help="loại báo cáo (mặc định: thang)"),
         arg("--count", type=int, default=1, help="số kỳ liền nhau đến kỳ cuối, 1–6 (mặc định 1)"),
         arg("--date", help="ngày ghi trên biểu, công văn (dd/mm/yyyy; mặc định hôm nay)"),
         arg("--pdf", metavar="TỆP", help="lưu biểu tổng hợp (PDF)"),
         arg("--xlsx", metavar="TỆP", help="lưu biểu tổng hợp (Excel)"),
         arg("--letter", metavar="TỆP", help="lưu công văn đôn đốc các đơn vị chưa gửi báo cáo kỳ cuối (PDF)"),
         arg("--issue", action="store_true", help="với --letter: ban hành công văn (lãnh đạo; lấy số, lưu vào sổ)"),
         group=REPORTS)
def show_completeness(args: argparse.Namespace) -> None:
    from app import clock
    from app.reports import completeness as sheet
    from app.reports import output
    from app.services import completeness, profile
    from app.services.numbers import percent_text, short_date
    from app.services.period import Period

    if args.issue and not args.letter:
        raise CliError("--issue chỉ dùng cùng --letter.")
    db = open_db(args)
    actor = login(db, args)
    last = Period.parse(args.kind, args.period)
    matrix = completeness.completeness(db, actor, args.kind, completeness.periods_ending(args.kind, last, args.count))
    print(f"{matrix.kind_label} gửi {matrix.office_name} — tính đến {short_date(matrix.as_of)}")
    print("\t".join(["Mã", "Đơn vị", *(f"{p.label} (hạn {short_date(d)})" for p, d in zip(matrix.periods, matrix.due,
                                                                                          strict=True))]))
    for line in matrix.lines:
        print("\t".join([line.code, line.name, *(sheet.cell_text(cell) for cell in line.cells)]))
    for label, values in sheet.rate_lines(matrix):
        print("\t".join(["", label, *values]))
    made_on = parse_day(args.date) if args.date else clock.today()
    if not (args.pdf or args.xlsx or args.letter):
        return
    office = profile.for_actor(db, actor, made_on)
    if office is None:
        raise CliError("Chưa có thông tin cơ quan: hãy nhập ở trang «Thông tin cơ quan» trước.")
    if args.pdf:
        print(f"Đã lưu {output.save(args.pdf, sheet.render_pdf(matrix, office, made_on))}")
    if args.xlsx:
        print(f"Đã lưu {output.save(args.xlsx, sheet.render_xlsx(matrix, office, made_on))}")
    if args.letter:
        if not matrix.missing():
            raise CliError(f"Mọi đơn vị đã gửi báo cáo {last.label} (tỷ lệ {percent_text(matrix.rates[-1].reporting_rate)}): "
                           "không cần công văn đôn đốc.")
        if args.issue:
            content, row = sheet.issue_reminder(db, actor, matrix, office, made_on)
            print(f"Đã ban hành công văn số {row.number_text}")
        else:
            content = sheet.render_reminder(matrix, office, made_on)
        print(f"Đã lưu {output.save(args.letter, content)}")


@command("received", "sổ báo cáo đã nhận từ cấp dưới: số, đơn vị, kỳ, ngày nhận, tình trạng duyệt",
         arg("--kind", choices=KINDS, help="chỉ một loại kỳ (kèm --period)"),
         arg("--period", help="chỉ một kỳ: 2026-10 (tháng)…"),
         group=REPORTS)
def list_received(args: argparse.Namespace) -> None:
    from app.services import received
    from app.services.numbers import short_date
    from app.services.period import Period

    if bool(args.kind) != bool(args.period):
        raise CliError("--kind và --period đi cùng nhau (ví dụ --kind thang --period 2026-10).")
    db = open_db(args)
    actor = login(db, args)
    key = Period.parse(args.kind, args.period).key if args.period else None
    rows = received.register(db, actor, period_key=key)
    if not rows:
        print("Chưa nhận báo cáo nào của cấp dưới" + (" cho kỳ này." if key else "."))
    for row in rows:
        print("\t".join([row.number_text, row.office_name, row.period_label, f"ngày {short_date(row.made_on)}",
                         f"nhận {short_date(row.received_on)}", row.state]))


@command("decide", "duyệt hoặc trả lại một báo cáo đã nhận của cấp dưới (lãnh đạo; quyết định gửi xuống trong gói "
                   "trao đổi tiếp theo)",
         arg("number", help="số báo cáo, ví dụ 05-BC/ĐU"),
         arg("--office", required=True, help="mã đơn vị đã gửi báo cáo, ví dụ PHONGNIEN"),
         arg("--approve", action="store_true", help="duyệt"),
         arg("--return", dest="send_back", action="store_true", help="trả lại để đơn vị ban hành báo cáo sửa đổi"),
         arg("--comment", default="", help="nhận xét (bắt buộc khi trả lại)"),
         arg("--kind", choices=KINDS, help="loại kỳ (kèm --period), khi cùng số có ở hai nhiệm kỳ"),
         arg("--period", help="kỳ báo cáo, ví dụ 2026-10"),
         group=REPORTS)
def decide(args: argparse.Namespace) -> None:
    from app.services import received
    from app.services.period import Period

    if args.approve == args.send_back:
        raise CliError("Chọn một: --approve (duyệt) hoặc --return (trả lại, kèm --comment).")
    if bool(args.kind) != bool(args.period):
        raise CliError("--kind và --period đi cùng nhau (ví dụ --kind thang --period 2026-10).")
    db = open_db(args)
    actor = login(db, args)
    key = Period.parse(args.kind, args.period).key if args.period else None
    row = received.find(db, actor, args.number, args.office, key)
    decision = received.decide(db, actor, row.id, approved=args.approve, comment=args.comment)
    print(f"Báo cáo số {row.number_text} của {row.office_name}: {decision.text}. Quyết định được gửi xuống đơn vị "
          "trong gói trao đổi tiếp theo.")
