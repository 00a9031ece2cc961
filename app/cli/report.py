"""`report`: the periodic report as PDF (the Party's format), workbook and Word copy; issued by a leader."""

from __future__ import annotations

import argparse

from app.cli.common import (
    CliError,
    login,
    open_db,
    parse_day,
    unit_id_of,
)
from app.cli.registry import arg, command


@command("report", "báo cáo kết quả công tác tuyên giáo theo kỳ (PDF theo thể thức văn bản của Đảng, "
                   "Excel, Word)",
         arg("--kind", required=True, choices=["thang", "quy", "6thang", "9thang", "nam", "khoang"],
             help="loại kỳ: tháng, quý, 6 tháng, 9 tháng, năm, hoặc khoảng ngày"),
         arg("--period", required=True,
             help="kỳ: 2026-11 (tháng), 2026-4 (quý), 2026 (6 tháng, 9 tháng, năm), 2026-11-01 (khoảng: "
                  "ngày đầu, kèm --end)"),
         arg("--end", help="ngày cuối của khoảng (yyyy-mm-dd), với --kind khoang"),
         arg("--unit", help="mã đơn vị: chỉ báo cáo đơn vị này và các đơn vị trực thuộc"),
         arg("--date", help="ngày ghi trên báo cáo (dd/mm/yyyy; mặc định hôm nay)"),
         arg("--pdf", metavar="TỆP", help="lưu báo cáo PDF"),
         arg("--xlsx", metavar="TỆP", help="lưu các biểu số liệu (Excel)"),
         arg("--docx", metavar="TỆP", help="lưu bản Word để hoàn thiện câu chữ"),
         arg("--charts", action="store_true",
             help="kèm biểu đồ ở phụ lục (PDF) và trang «Biểu đồ» (Excel): tỷ lệ tham dự 12 tháng so với chỉ "
                  "tiêu, hội nghị theo loại; phần nội dung báo cáo không đổi"),
         arg("--issue", action="store_true",
             help="ban hành: lấy số tiếp theo và lưu bản PDF vào sổ báo cáo (lãnh đạo; cần đủ phần I, III, "
                  "IV trong bản nháp); ban hành khóa kỳ báo cáo: không thêm, sửa, xóa số liệu trong kỳ được nữa"),
         arg("--correction", action="store_true",
             help="với --issue: kỳ này đã ban hành, đây là báo cáo sửa đổi thay thế báo cáo trước"))
def report(args: argparse.Namespace) -> None:
    """The periodic report for a period and a unit subtree, as PDF, Excel and Word files; with
    --issue (a leader), numbered and kept in the register."""
    from dataclasses import replace
    from importlib import import_module

    from app.reports import data, issuing, output
    from app.services.period import Period

    if not (args.pdf or args.xlsx or args.docx):
        raise CliError("Chưa chọn tệp kết quả: thêm --pdf, --xlsx hoặc --docx.")
    db = open_db(args)
    actor = login(db, args)
    period = Period.parse(args.kind, args.period, end=args.end or "")
    unit_code = args.unit.upper() if args.unit else ""
    unit_id = unit_id_of(db, actor, args.unit) if args.unit else None
    written, draft_version = issuing.load_written(db, actor, period.key, unit_code, unit_id)
    report = data.build(db, actor, period, unit_id=unit_id,
                        made_on=parse_day(args.date) if args.date else None, written=written,
                        with_charts=args.charts)
    drawn = {}
    if args.correction and not args.issue:
        raise CliError("--correction chỉ dùng cùng --issue.")
    if args.issue:
        row, drawn["pdf"] = issuing.issue(db, actor, report, unit_code, draft_version=draft_version,
                                          correction=args.correction)
        report = replace(report, number=row.number)
        print(f"Đã ban hành báo cáo số {row.number_text}")
    for path, module in ((args.pdf, "pdf"), (args.xlsx, "xlsx"), (args.docx, "word")):
        if path:
            content = drawn.get(module) or import_module(f"app.reports.{module}").render(report)
            print(f"Đã lưu {output.save(path, content)}")


@command("reopen", "mở lại kỳ báo cáo đã khóa khi ban hành (lãnh đạo; phải ghi lý do, được ghi nhật ký)",
         arg("number", help="số báo cáo đã ban hành, ví dụ 01-BC/BTGHU"),
         arg("--reason", required=True, help="lý do mở lại, ví dụ: bổ sung hội nghị nhập thiếu"))
def reopen(args: argparse.Namespace) -> None:
    """Open again the period an issued report closed; it closes again when a correction is issued."""
    from app.services import report_register

    db = open_db(args)
    actor = login(db, args)
    wanted = args.number.strip().upper()
    row = next((row for row in report_register.register(db, actor, limit=100_000) if row.number_text.upper() == wanted),
               None)
    if row is None:
        raise CliError(f"Không có báo cáo số «{args.number}» trong sổ báo cáo đã ban hành.")
    report_register.reopen(db, actor, row.id, args.reason)
    print(f"Đã mở lại kỳ của báo cáo số {row.number_text}. Sau khi sửa số liệu, ban hành báo cáo sửa đổi "
          "(report … --issue --correction).")
