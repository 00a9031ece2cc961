"""`opinion`: the register of public opinion (tình hình tư tưởng, dư luận xã hội) and section I drafted from it."""

from __future__ import annotations

import argparse

from app.cli.common import CliError, document_id_of, login, open_db, parse_day, unit_id_of
from app.cli.registry import arg, command, group
from app.models.enums import OpinionGroup, OpinionTendency

OPINION = group("opinion", "sổ theo dõi dư luận xã hội; dự thảo phần I của báo cáo")


def _groups(text: str) -> list[OpinionGroup]:
    codes = [code.strip() for code in text.split(",") if code.strip()]
    known = {group.value: group for group in OpinionGroup}
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise CliError(f"Đối tượng «{', '.join(unknown)}» không có; chọn trong: {', '.join(known)}.")
    return [known[code] for code in codes]


@command("add", "ghi một ý kiến, dư luận (không ghi tên người phát biểu)",
         arg("--unit", required=True, help="mã đơn vị nắm bắt, ví dụ PHONGNIEN"),
         arg("--date", required=True, help="ngày nắm bắt, dd/mm/yyyy"),
         arg("--topic", required=True, help="vấn đề được quan tâm"),
         arg("--heard-at", required=True, help="nơi nắm bắt: họp chi bộ, tiếp xúc cử tri, mạng xã hội…"),
         arg("--tendency", required=True, choices=[t.value for t in OpinionTendency],
             help="positive: tích cực, mixed: trái chiều, worrying: đáng lo ngại"),
         arg("--groups", required=True, help="đối tượng, cách nhau dấu phẩy: " + ", ".join(g.value for g in OpinionGroup)),
         arg("--content", required=True, help="tóm tắt ý kiến"),
         arg("--action", default="", help="đã xử lý, báo cáo thế nào"),
         arg("--reported-up", action="store_true", help="đã báo cáo cấp trên"),
         arg("--document", default="", help="số văn bản liên quan, ví dụ 54-KL/TW"),
         group=OPINION)
def add(args: argparse.Namespace) -> None:
    from app.services.opinion import register

    db = open_db(args)
    actor = login(db, args)
    data = register.OpinionInput(
        unit_id=unit_id_of(db, actor, args.unit), noted_on=parse_day(args.date), topic=args.topic,
        heard_at=args.heard_at, tendency=OpinionTendency(args.tendency), groups=_groups(args.groups),
        content=args.content, action=args.action, reported_up=args.reported_up,
        document_id=document_id_of(db, actor, args.document) if args.document else None)
    opinion_id = register.create(db, actor, data)
    print(f"Đã ghi ý kiến, dư luận số {opinion_id}: «{register.get(db, actor, opinion_id).data.topic}».")


@command("list", "các ý kiến, dư luận trong một khoảng thời gian",
         arg("--from", dest="start", default="", help="từ ngày, dd/mm/yyyy"), arg("--to", dest="end", default="", help="đến ngày, dd/mm/yyyy"),
         arg("--unit", default="", help="mã đơn vị (gồm các đơn vị trực thuộc)"),
         arg("--tendency", default=None, choices=[t.value for t in OpinionTendency]),
         group=OPINION)
def list_entries(args: argparse.Namespace) -> None:
    from app.services.opinion import listing

    db = open_db(args)
    actor = login(db, args)
    flt = listing.OpinionFilter(start=parse_day(args.start) if args.start else None,
                                end=parse_day(args.end) if args.end else None,
                                unit_id=unit_id_of(db, actor, args.unit) if args.unit else None,
                                tendency=OpinionTendency(args.tendency) if args.tendency else None)
    after = None
    while rows := listing.list_page(db, actor, flt, after=after):   # page by page: a district's ten years
        for row in rows:
            print(f"{row.noted_on:%d/%m/%Y}\t{row.unit_name}\t{row.tendency.label}\t{row.topic}\t{row.groups}\t"
                  f"{row.heard_at}")
        after = (rows[-1].sort_value, rows[-1].id)
    print(f"Cộng: {listing.count(db, actor, flt)} ý kiến, dư luận.")


@command("draft", "dự thảo phần I «Tình hình tư tưởng, dư luận xã hội» của một kỳ báo cáo",
         arg("--kind", default="thang", choices=["thang", "quy", "6thang", "9thang", "nam", "khoang"]),
         arg("--period", required=True, help="2026-10 (tháng), 2026-4 (quý), 2026 (năm) hoặc ngày bắt đầu"),
         arg("--end", default="", help="ngày kết thúc (kỳ «khoang»)"),
         arg("--unit", default="", help="mã đơn vị (mặc định: cả phạm vi của tài khoản)"),
         group=OPINION)
def draft(args: argparse.Namespace) -> None:
    from app.services.opinion import section
    from app.services.period import Period

    db = open_db(args)
    actor = login(db, args)
    period = Period.parse(args.kind, args.period, end=args.end)
    text = section.draft(db, actor, period, unit_id_of(db, actor, args.unit) if args.unit else None)
    print(text or f"Không có ý kiến, dư luận nào trong {period.label}.")
