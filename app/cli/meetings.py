"""`meetings`: sessions listed with their figures, one shown, attendance taken from a file."""

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

MEETINGS = group("meetings", "hội nghị, buổi sinh hoạt, tuyên truyền")


@command("list", "in danh sách hội nghị, mới nhất trước (phân cách bằng tab)",
         arg("--from", dest="start", help="từ ngày (dd/mm/yyyy)"),
         arg("--to", dest="end", help="đến ngày (dd/mm/yyyy)"),
         arg("--unit", help="mã đơn vị tổ chức (gồm cả các đơn vị trực thuộc)"),
         arg("--document", help="số văn bản được quán triệt, ví dụ 54-KL/TW"),
         arg("--search", help="tìm trong tên hội nghị, không phân biệt dấu"),
         arg("--totals", action="store_true", help="chỉ in số liệu tổng hợp của các hội nghị lọc được"),
         group=MEETINGS)
def list_meetings(args: argparse.Namespace) -> None:
    """Sessions of the filter, newest first, tab-separated; --totals prints the figures of the whole set."""
    from app.services.meetings import figures as meeting_figures
    from app.services.meetings import listing as meeting_list
    from app.services.numbers import count_text, percent_text

    db = open_db(args)
    actor = login(db, args)
    flt = meeting_list.MeetingFilter(
        start=parse_day(args.start) if args.start else None, end=parse_day(args.end) if args.end else None,
        unit_id=unit_id_of(db, actor, args.unit) if args.unit else None,
        document_id=document_id_of(db, actor, args.document) if args.document else None, text=args.search or "")
    if args.totals:
        t = meeting_figures.for_period(db, actor, flt)
        print(f"Số hội nghị: {count_text(t.meetings)}\nLượt dự kiến: {count_text(t.expected)}\n"
              f"Có mặt: {count_text(t.present)}\nVắng có lý do: {count_text(t.excused)}\n"
              f"Vắng không lý do: {count_text(t.unexcused)}\nHọc bù: {count_text(t.made_up)}\n"
              f"Học bù cho buổi kỳ trước: {count_text(t.made_up_earlier)}\n"
              f"Tỷ lệ lượt: {percent_text(t.rate)}\nSố người dự (không trùng): {count_text(t.people)}\n"
              f"Khách mời: {count_text(t.guests)}\nQuần chúng: {count_text(t.crowd.total)} (nữ "
              f"{count_text(t.crowd.women)}, dân tộc thiểu số {count_text(t.crowd.minority)})")
        return
    after = None
    while True:
        page = meeting_list.list_page(db, actor, flt, after=after, limit=1000)
        for row in page:
            print("\t".join([str(row.id), f"{row.held_on:%d/%m/%Y}", row.unit_name, row.title, row.kind.label,
                             row.form.label, row.status.label, row.documents or "", str(row.expected),
                             str(row.present + row.made_up), percent_text(row.rate)]))
        if len(page) < 1000:
            break
        after = (page[-1].sort_value, page[-1].id)


@command("show", "in một hội nghị và danh sách điểm danh",
         arg("id", type=int, help="số hội nghị (cột đầu của meetings list)"),
         group=MEETINGS)
def show_meeting(args: argparse.Namespace) -> None:
    """One session: its fields, then its roster, one line per person."""
    from app.services import documents, meetings, units

    db = open_db(args)
    actor = login(db, args)
    data = meetings.get(db, actor, args.id).data
    names = {node.id: node.name for node in units.tree(db, actor)}
    print(f"{data.title}\nNgày: {data.held_on:%d/%m/%Y}\nĐơn vị: {names.get(data.unit_id, '')}\n"
          f"Loại: {data.kind.label} · Hình thức: {data.form.label} · Trạng thái: {data.status.label}")
    if data.document_ids:
        print("Văn bản: " + "; ".join(documents.row(db, actor, doc_id).label for doc_id in data.document_ids))
    for number, line in enumerate(data.roster, 1):
        who = f"{line.name} (khách mời)" if line.is_guest else line.name
        mark = line.presence.label if line.presence else "Chưa điểm danh"
        print("\t".join([str(number), who, str(line.birth_year or ""), line.unit_name or line.guest_note, mark,
                         line.reason]))


@command("import-attendance", "lấy điểm danh của một hội nghị từ tệp .xlsx/.csv (xem trước; --apply để ghi)",
         arg("id", type=int, help="số hội nghị"),
         arg("file", help="tệp .xlsx hoặc .csv"),
         arg("--guests", action="store_true", help="ghi người không có trong danh sách là khách mời"),
         arg("--apply", action="store_true", help="ghi điểm danh (không có thì chỉ xem trước)"),
         group=MEETINGS)
def import_attendance(args: argparse.Namespace) -> None:
    """Attendance of a session from a file: preview; with --apply, save the marks (rows must all match)."""
    from app.services import meetings, sheets
    from app.services.meetings import attendance_import as ai

    db = open_db(args)
    actor = login(db, args)
    detail = meetings.get(db, actor, args.id)
    table = sheets.read_table(Path(args.file))
    preview = ai.check(actor, table, ai.guess_mapping(table), detail.data.roster)
    if args.guests:   # before anything is said, so the preview tells what --apply will do
        for row in preview.in_state(ai.UNMATCHED):
            if not row.candidates:   # nobody near: an outsider; a near match still waits for a person
                ai.add_as_guest(preview, row.line)
    for row in preview.rows:
        if row.state == ai.BAD:
            print(f"Dòng {row.line}: {' '.join(row.errors)}")
        elif row.waiting:
            print(f"Dòng {row.line}: {row.problem}")
        elif row.state == ai.GUEST:
            print(f"Dòng {row.line}: «{row.name}» không có trong danh sách, được ghi là khách mời.")
    matched = preview.in_state(ai.MATCHED)
    print(f"{len(matched)} dòng ghép được, {len(preview.in_state(ai.GUEST))} khách mời, {len(preview.waiting)} dòng "
          f"cần ghép tay, {len(preview.in_state(ai.BAD))} dòng lỗi.")
    if not args.apply:
        print("Chưa ghi gì: thêm --apply để ghi điểm danh vào hội nghị.")
        return
    if preview.in_state(ai.BAD):
        raise CliError("Còn dòng lỗi (xem trên): hãy sửa tệp rồi chạy lại; chưa ghi gì.")
    if preview.waiting:
        raise CliError("Còn dòng chưa ghép: hãy ghép tay trong giao diện (Hội nghị → Điểm danh từ tệp…), sửa tệp, "
                       "hoặc thêm --guests để ghi người không có trong danh sách là khách mời.")
    data = detail.data
    data.roster = ai.apply(preview, data.roster)
    meetings.update(db, actor, args.id, data, expected_version=detail.version)
    print(f"Đã ghi điểm danh của {len(matched)} người vào hội nghị số {args.id}.")
