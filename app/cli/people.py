"""`people`: members listed and imported from a commune's spreadsheet."""

from __future__ import annotations

import argparse
from pathlib import Path

from app import clock
from app.cli.common import (
    CliError,
    login,
    open_db,
    parse_day,
    unit_id_of,
)
from app.cli.registry import arg, command, group

PEOPLE = group("people", "đảng viên")


@command("list", "in danh sách đảng viên (phân cách bằng tab)",
         arg("--unit", help="mã đơn vị (gồm cả các đơn vị trực thuộc)"),
         arg("--search", help="tìm theo tên, không phân biệt dấu"),
         arg("--status", choices=["active", "exempt", "transferred_out", "deceased"]),
         group=PEOPLE)
def list_people(args: argparse.Namespace) -> None:
    from app.models.enums import MembershipStatus
    from app.services import people

    db = open_db(args)
    actor = login(db, args)
    status = {s.value: s for s in MembershipStatus}[args.status] if args.status else None
    flt = people.PeopleFilter(args.search or "", unit_id_of(db, actor, args.unit) if args.unit else None, status)
    after = None
    while True:
        page = people.list_page(db, actor, flt, after=after, limit=1000)
        for row in page:
            print("\t".join([row.full_name, str(row.birth_year or ""), row.unit_name, row.status.label]))
        if len(page) < 1000:
            break
        after = (page[-1].sort_value, page[-1].id)


@command("import", "nhập đảng viên từ tệp .xlsx hoặc .csv (xem trước; --apply để ghi)",
         arg("file", help="tệp .xlsx hoặc .csv"),
         arg("--unit", help="mã chi bộ chung cho các dòng không ghi chi bộ"),
         arg("--since", help="sinh hoạt từ ngày (dd/mm/yyyy), mặc định hôm nay"),
         arg("--header-line", type=int, help="số dòng tiêu đề, nếu đoán sai"),
         arg("--column", action="append", metavar="TRƯỜNG=CỘT", help="chỉ định cột, ví dụ full_name=B (lặp lại được)"),
         arg("--bad-rows", metavar="TỆP", help="lưu các dòng lỗi vào tệp .xlsx hoặc .csv để sửa"),
         arg("--apply", action="store_true", help="ghi các dòng hợp lệ (không có thì chỉ xem trước)"),
         group=PEOPLE)
def import_people(args: argparse.Namespace) -> None:
    """Check a file and print each bad row; with --apply, write the good rows in one transaction."""
    from openpyxl.utils import column_index_from_string

    from app.services import columns, sheets
    from app.services import people_import as importing

    db = open_db(args)
    actor = login(db, args)
    table = sheets.read_table(Path(args.file))
    mapping = importing.guess_mapping(table)
    if args.header_line is not None:
        mapping = importing.Mapping(args.header_line, mapping.columns if args.header_line == mapping.header_line
                                    else {})
    for choice in args.column or []:
        key, _, letter = choice.partition("=")
        if key not in importing.FIELD_LABELS or not letter.strip().isalpha():
            raise CliError(f"--column «{choice}» không hợp lệ: dạng TRƯỜNG=CỘT, ví dụ full_name=B; trường là một "
                           f"trong {', '.join(importing.FIELD_LABELS)}.")
        mapping.columns[key] = column_index_from_string(letter.strip().upper()) - 1
    options = importing.ImportOptions(parse_day(args.since) if args.since else clock.today(),
                                      unit_id_of(db, actor, args.unit) if args.unit else None)
    preview = importing.check(db, actor, table, mapping, options)
    titles = columns.column_titles(table, mapping)
    print(f"Tệp {table.name}: tiêu đề ở dòng {mapping.header_line}.")
    for key, column in mapping.columns.items():
        print(f"  {importing.FIELD_LABELS[key]} <- {titles[column]}")
    for row in preview.bad:
        print(f"Dòng {row.line}: {' '.join(row.errors)}")
    print(f"{len(preview.good)} dòng hợp lệ, {len(preview.bad)} dòng lỗi, {len(preview.skipped)} dòng bỏ qua.")
    if args.bad_rows and preview.bad:
        importing.save_rejected(preview, Path(args.bad_rows))
        print(f"Đã lưu các dòng lỗi vào {args.bad_rows}.")
    if not args.apply:
        print("Chưa ghi gì: thêm --apply để nhập các dòng hợp lệ.")
        return
    print(f"Đã nhập {importing.commit(db, actor, preview)} người.")
