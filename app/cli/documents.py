"""`documents`: who has disseminated a tracked document, printed and chased."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import (
    CliError,
    document_id_of,
    login,
    open_db,
    parse_day,
    unit_id_of,
)
from app.cli.registry import arg, command, group

DOCUMENTS = group("documents", "sổ văn bản, theo dõi thực hiện")


@command("coverage", "tình hình học tập, quán triệt một văn bản theo từng đơn vị phải thực hiện "
                     "(phân cách bằng tab)",
         arg("number", help="số văn bản, ví dụ 118-KH/HU"),
         arg("--as-of", help="tính đến ngày (dd/mm/yyyy; mặc định hôm nay)"),
         arg("--date", help="ngày ghi trên biểu và công văn (dd/mm/yyyy; mặc định ngày tính đến, hoặc hôm nay)"),
         arg("--pdf", metavar="TỆP", help="lưu biểu in (PDF)"),
         arg("--xlsx", metavar="TỆP", help="lưu bảng tính Excel"),
         arg("--reminder", metavar="TỆP", help="lưu công văn đôn đốc các đơn vị chưa tổ chức (PDF)"),
         arg("--issue", action="store_true", help="ban hành công văn: lấy số trong sổ công văn và lưu lại (lãnh đạo)"),
         group=DOCUMENTS)
def coverage(args: argparse.Namespace) -> None:
    """Who has disseminated a tracked document: one line per required unit, then the report's sentence;
    --pdf and --xlsx save the printed sheet and the workbook."""

    from app.reports import coverage as report
    from app.services.documents import coverage
    from app.services.numbers import percent_text, short_date

    db = open_db(args)
    actor = login(db, args)
    as_of = parse_day(args.as_of) if args.as_of else None
    made_on = report.dated(as_of, parse_day(args.date) if args.date else None)
    sheet = report.build(db, actor, document_id_of(db, actor, args.number), as_of=as_of, made_on=made_on)
    for line in sheet.cover.lines:
        print("\t".join([line.unit_code, line.unit_name, line.parent_name, coverage.STATE_LABELS[line.state],
                         short_date(line.first_held_on), f"{line.attended}/{line.required}",
                         percent_text(line.rate) if line.required else "", line.plan_text]))
    print(sheet.sentences())
    if args.issue and not args.reminder:
        raise CliError("--issue đi cùng --reminder TỆP: công văn được ban hành rồi lưu vào tệp đó.")
    if args.reminder:
        from app.reports import output, reminder
        from app.services import profile

        office = profile.for_actor(db, actor, made_on)
        if office is None:
            raise CliError("Chưa có thông tin cơ quan: hãy nhập trước khi lập công văn.")
        if not reminder.chased(sheet.cover):
            raise CliError("Mọi đơn vị đã tổ chức và đã ban hành kế hoạch: không có đơn vị nào cần đôn đốc.")
        if args.issue:
            content, issued = reminder.issue(db, actor, sheet.cover, office, made_on)
            print(f"Đã ban hành công văn số {issued.number_text}.")
        else:
            content = reminder.render(sheet.cover, office, made_on)
        print(f"Đã lưu {output.save(args.reminder, content)}")
    for path, render in ((args.pdf, report.render_pdf), (args.xlsx, report.render_xlsx)):
        if path:
            try:
                render(sheet, Path(path))
            except OSError as error:
                raise CliError(f"Không ghi được tệp «{path}»: {error.strerror or error}.") from error
            print(f"Đã lưu {path}")


@command("plan", "ghi kế hoạch thực hiện của một đơn vị phải thực hiện văn bản (số, ngày)",
         arg("number", help="số văn bản được thực hiện, ví dụ 57-NQ/TW"),
         arg("--unit", required=True, help="mã đơn vị ban hành kế hoạch"),
         arg("--plan", required=True, help="số kế hoạch của đơn vị, ví dụ 15-KH/ĐU"),
         arg("--date", required=True, help="ngày ban hành kế hoạch (dd/mm/yyyy)"),
         arg("--summary", default="", help="trích yếu"),
         group=DOCUMENTS)
def plan(args: argparse.Namespace) -> None:
    from app.services.documents import plans

    db = open_db(args)
    actor = login(db, args)
    plans.create(db, actor, plans.PlanInput(document_id_of(db, actor, args.number), unit_id_of(db, actor, args.unit),
                                            args.plan, parse_day(args.date), args.summary))
    print(f"Đã ghi kế hoạch số {args.plan} của {args.unit.upper()} thực hiện {args.number}.")


@command("review", "báo cáo sơ kết, tổng kết thực hiện một văn bản (và các văn bản cụ thể hóa nó) đến một ngày",
         arg("number", help="số văn bản, ví dụ 54-KL/TW"),
         arg("--to", dest="end", required=True, help="tính đến ngày (dd/mm/yyyy)"),
         arg("--kind", default="so-ket", choices=["so-ket", "tong-ket"], help="sơ kết (mặc định) hay tổng kết"),
         arg("--unit", default="", help="mã đơn vị (mặc định: cả phạm vi của tài khoản)"),
         arg("--date", help="ngày báo cáo (dd/mm/yyyy; mặc định hôm nay)"),
         arg("--pdf", metavar="TỆP", help="lưu báo cáo (PDF, thể thức văn bản của Đảng)"),
         arg("--docx", metavar="TỆP", help="lưu bản Word để hoàn chỉnh câu chữ"),
         arg("--xlsx", metavar="TỆP", help="lưu các biểu số liệu (Excel)"),
         group=DOCUMENTS)
def review(args: argparse.Namespace) -> None:
    from app.reports import directive, output

    if not (args.pdf or args.docx or args.xlsx):
        raise CliError("Chưa chọn tệp kết quả: thêm --pdf, --docx hoặc --xlsx.")
    db = open_db(args)
    actor = login(db, args)
    report = directive.build(db, actor, document_id_of(db, actor, args.number), parse_day(args.end),
                             unit_id=unit_id_of(db, actor, args.unit) if args.unit else None,
                             made_on=parse_day(args.date) if args.date else None, kind=args.kind.replace("-", "_"))
    print(f"Báo cáo {report.summary[:1].lower() + report.summary[1:]}: {report.review.meetings} hội nghị, buổi; "
          f"{report.review.people.attended}/{report.review.people.required} đảng viên đã học tập, quán triệt.")
    for path, render in ((args.pdf, directive.render), (args.docx, directive.render_word),
                         (args.xlsx, directive.render_xlsx)):
        if path:
            print(f"Đã lưu {output.save(path, render(report))}")
