"""Headless commands on the same services as the GUI: `python -m app <lệnh> …`.

Each command takes --db and --user (password from TUYENGIAO_PASSWORD or a prompt) and exits
non-zero with a one-line Vietnamese message on bad input.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from app import clock
from app.config import APP_TITLE, default_database
from app.db import Database, DatabaseOpenError, make_engine, open_database, server_revision, to_url

EXIT_BAD_INPUT = 2
# Stored values of CaseStatus, written here so the parser needs no model import at start-up.
CASE_STATUSES = ["received", "competent", "not_competent", "verifying", "forwarded", "concluded", "acted", "told",
                 "closed"]


class CliError(Exception):
    pass


def _password(prompt: str, variable: str = "TUYENGIAO_PASSWORD") -> str:
    value = os.environ.get(variable)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CliError(f"Thiếu mật khẩu: đặt biến môi trường {variable} hoặc chạy trong cửa sổ lệnh để nhập.")
    return getpass.getpass(prompt)


def _login(db: Database, args: argparse.Namespace):
    from app.services import auth

    if not args.user:
        raise CliError("Thiếu --user: lệnh này cần tên đăng nhập.")
    return auth.login(db, args.user, _password(f"Mật khẩu của {args.user}: "))


def _open(args: argparse.Namespace) -> Database:
    return open_database(args.db)


def cmd_migrate(args: argparse.Namespace) -> None:
    """Create or upgrade the schema; on a server with data, only an admin may."""
    from app.services import auth

    url = to_url(args.db)
    if url.startswith("sqlite"):
        db = open_database(url)
    else:
        engine = make_engine(url)
        try:
            revision = server_revision(engine)
            if revision is not None:
                auth.require(_login(Database(engine), args), auth.Permission.MIGRATE)
        finally:
            engine.dispose()
        db = open_database(url, migrate_server=True)
    print(f"Cơ sở dữ liệu đã ở phiên bản cấu trúc mới nhất: {db.url}")
    db.close()


def cmd_demo(args: argparse.Namespace) -> None:
    from app.services import demo

    db = _open(args)
    counts = demo.build(db, args.scale, args.seed)
    print(f"Đã tạo dữ liệu mẫu ({args.scale}): {counts['units']} đơn vị, {counts['people']} người, "
          f"{counts['users']} tài khoản.")
    db.close()


def cmd_users_list(args: argparse.Namespace) -> None:
    from app.services import users

    db = _open(args)
    actor = _login(db, args)
    for row in users.list_users(db, actor):
        state = "khóa" if row.locked else ("hoạt động" if row.active else "vô hiệu")
        print("\t".join([row.username, row.full_name, row.role.label, row.unit_code or "", state]))


def cmd_users_add(args: argparse.Namespace) -> None:
    from app.models.enums import Role
    from app.services import users

    db = _open(args)
    actor = _login(db, args)
    role = {r.value: r for r in Role}[args.role]
    unit_id = _unit_id(db, actor, args.unit) if args.unit else None
    password = _password(f"Mật khẩu cho tài khoản mới {args.username}: ", "TUYENGIAO_NEW_PASSWORD")
    users.create(db, actor, users.UserInput(args.username, args.full_name, role, unit_id), password)
    print(f"Đã tạo tài khoản {args.username}.")


def _unit_id(db: Database, actor, code: str) -> int:
    from app.services import units

    for node in units.tree(db, actor):
        if node.code == code.upper():
            return node.id
    raise CliError(f"Không có đơn vị mã «{code}».")


def cmd_people_list(args: argparse.Namespace) -> None:
    from app.models.enums import MembershipStatus
    from app.services import people

    db = _open(args)
    actor = _login(db, args)
    status = {s.value: s for s in MembershipStatus}[args.status] if args.status else None
    flt = people.PeopleFilter(args.search or "", _unit_id(db, actor, args.unit) if args.unit else None, status)
    after = None
    while True:
        page = people.list_page(db, actor, flt, after=after, limit=1000)
        for row in page:
            print("\t".join([row.full_name, str(row.birth_year or ""), row.unit_name, row.status.label]))
        if len(page) < 1000:
            break
        after = (page[-1].sort_value, page[-1].id)


def _day(text: str) -> date:
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError as error:
        raise CliError(f"Ngày «{text}» không đúng dạng dd/mm/yyyy.") from error


def cmd_people_import(args: argparse.Namespace) -> None:
    """Check a file and print each bad row; with --apply, write the good rows in one transaction."""
    from openpyxl.utils import column_index_from_string

    from app.services import columns, importing, sheets

    db = _open(args)
    actor = _login(db, args)
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
    options = importing.ImportOptions(_day(args.since) if args.since else clock.today(),
                                      _unit_id(db, actor, args.unit) if args.unit else None)
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


def _document_id(db: Database, actor, number: str) -> int:
    from app.services import documents
    from app.services.search import fold

    found = [row for row in documents.search(db, actor, number) if fold(row.number) == fold(number)]
    if len(found) != 1:
        raise CliError(f"Không có văn bản số «{number}»." if not found else
                       f"Có {len(found)} văn bản cùng số «{number}».")
    return found[0].id


def cmd_meetings_list(args: argparse.Namespace) -> None:
    """Sessions of the filter, newest first, tab-separated; --totals prints the figures of the whole set."""
    from app.services import meeting_figures, meeting_list
    from app.services.numbers import count_text, percent_text

    db = _open(args)
    actor = _login(db, args)
    flt = meeting_list.MeetingFilter(
        start=_day(args.start) if args.start else None, end=_day(args.end) if args.end else None,
        unit_id=_unit_id(db, actor, args.unit) if args.unit else None,
        document_id=_document_id(db, actor, args.document) if args.document else None, text=args.search or "")
    if args.totals:
        t = meeting_figures.for_period(db, actor, flt)
        print(f"Số hội nghị: {count_text(t.meetings)}\nLượt dự kiến: {count_text(t.expected)}\n"
              f"Có mặt: {count_text(t.present)}\nVắng có lý do: {count_text(t.excused)}\n"
              f"Vắng không lý do: {count_text(t.unexcused)}\nHọc bù: {count_text(t.made_up)}\n"
              f"Tỷ lệ lượt: {percent_text(t.rate)}\nSố người dự (không trùng): {count_text(t.people)}\n"
              f"Khách mời: {count_text(t.guests)}\nQuần chúng: {count_text(t.crowd_total.total)} (nữ "
              f"{count_text(t.crowd_total.women)}, dân tộc thiểu số {count_text(t.crowd_total.minority)})")
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


def cmd_meetings_show(args: argparse.Namespace) -> None:
    """One session: its fields, then its roster, one line per person."""
    from app.services import documents, meetings, units

    db = _open(args)
    actor = _login(db, args)
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


def cmd_meetings_import(args: argparse.Namespace) -> None:
    """Attendance of a session from a file: preview; with --apply, save the marks (rows must all match)."""
    from app.services import attendance_import as ai
    from app.services import meetings, sheets

    db = _open(args)
    actor = _login(db, args)
    detail = meetings.get(db, actor, args.id)
    table = sheets.read_table(Path(args.file))
    preview = ai.check(actor, table, ai.guess_mapping(table), detail.data.roster)
    for row in preview.rows:
        if row.state == ai.BAD:
            print(f"Dòng {row.line}: {' '.join(row.errors)}")
        elif row.waiting:
            print(f"Dòng {row.line}: {row.problem}")
    matched = preview.in_state(ai.MATCHED)
    print(f"{len(matched)} dòng ghép được, {len(preview.waiting)} dòng cần ghép tay, "
          f"{len(preview.in_state(ai.BAD))} dòng lỗi.")
    if not args.apply:
        print("Chưa ghi gì: thêm --apply để ghi điểm danh vào hội nghị.")
        return
    if args.guests:
        for row in preview.in_state(ai.UNMATCHED):
            ai.add_as_guest(preview, row.line)
    if preview.waiting:
        raise CliError("Còn dòng chưa ghép: hãy ghép tay trong giao diện (Hội nghị → Điểm danh từ tệp…), sửa tệp, "
                       "hoặc thêm --guests để ghi người không có trong danh sách là khách mời.")
    data = detail.data
    data.roster = ai.apply(preview, data.roster)
    meetings.update(db, actor, args.id, data, expected_version=detail.version)
    print(f"Đã ghi điểm danh của {len(matched)} người vào hội nghị số {args.id}.")


def cmd_documents_coverage(args: argparse.Namespace) -> None:
    """Who has disseminated a tracked document: one line per required unit, then the report's sentence;
    --pdf and --xlsx save the printed sheet and the workbook."""
    from pathlib import Path

    from app.reports import coverage as report
    from app.services import coverage
    from app.services.numbers import percent_text, short_date

    db = _open(args)
    actor = _login(db, args)
    sheet = report.build(db, actor, _document_id(db, actor, args.number),
                         as_of=_day(args.as_of) if args.as_of else None)
    for line in sheet.cover.lines:
        print("\t".join([line.unit_code, line.unit_name, line.parent_name, coverage.STATE_LABELS[line.state],
                         short_date(line.first_held_on), f"{line.attended}/{line.required}",
                         percent_text(line.rate) if line.required else ""]))
    print(sheet.cover.sentence())
    if args.reminder:
        from app.reports import output, reminder
        from app.services import profile

        office = profile.in_force(db, clock.today())
        if office is None:
            raise CliError("Chưa có thông tin cơ quan: hãy nhập trước khi lập công văn.")
        print(f"Đã lưu {output.save(args.reminder, reminder.render(sheet.cover, office, clock.today()))}")
    for path, render in ((args.pdf, report.render_pdf), (args.xlsx, report.render_xlsx)):
        if path:
            try:
                render(sheet, Path(path))
            except OSError as error:
                raise CliError(f"Không ghi được tệp «{path}»: {error.strerror or error}.") from error
            print(f"Đã lưu {path}")


def _case_filter(db: Database, actor, args: argparse.Namespace):
    from app.models.enums import CaseStatus
    from app.services import case_list

    urgency = case_list.OVERDUE if args.overdue else case_list.DUE_SOON if args.due_soon else ""
    return case_list.CaseFilter(start=_day(args.start) if args.start else None,
                                end=_day(args.end) if args.end else None,
                                status=CaseStatus(args.status) if args.status else None,
                                unit_id=_unit_id(db, actor, args.unit) if args.unit else None,
                                urgency=urgency, text=args.search or "")


def cmd_cases_list(args: argparse.Namespace) -> None:
    """Reported cases of the filter, newest first, tab-separated; never the reporter."""
    from app.services import case_list
    from app.services.numbers import short_date

    db = _open(args)
    actor = _login(db, args)
    flt, after = _case_filter(db, actor, args), None
    marks = {case_list.OVERDUE: "QUÁ HẠN", case_list.DUE_SOON: "sắp đến hạn"}
    while True:
        page = case_list.list_page(db, actor, flt, after=after, limit=1000)
        for row in page:
            print("\t".join([row.number, short_date(row.received_on), row.unit_name, row.kind,
                             "nặc danh" if row.anonymous else "có tên", row.reported_name, row.status.label,
                             row.handling_body, short_date(row.due_on), marks.get(row.urgency(), "")]))
        if len(page) < 1000:
            break
        after = (page[-1].sort_value, page[-1].id)


def cmd_cases_show(args: argparse.Namespace) -> None:
    """One case and its history; --identity prints the reporter, for a key holder only (audited)."""
    from app.models.enums import ReferenceList
    from app.services import case_keys, cases, reference
    from app.services.numbers import short_date

    db = _open(args)
    actor = _login(db, args)
    case_id = cases.id_of(db, actor, args.number)
    names = {(which, row.code): row.name for which in (ReferenceList.CHANNEL, ReferenceList.CASE_KIND)
             for row in reference.items(db, actor, which, with_retired=True)}
    if args.identity:
        if not case_keys.unlock(db, actor, _password(f"Mật khẩu của {args.user} (mở khóa danh tính): ")):
            raise CliError("Tài khoản này không giữ khóa bảo vệ danh tính người phản ánh.")
    try:
        d = cases.detail(db, actor, case_id, with_identity=args.identity)
    finally:
        case_keys.lock(db, actor)
    data = d.data
    print(f"Vụ việc số {d.number} — {d.status.label}\nNgày tiếp nhận: {short_date(data.received_on)} · "
          f"Kênh: {names[ReferenceList.CHANNEL, data.channel]} · Loại: {names[ReferenceList.CASE_KIND, data.kind]} · "
          f"{'Nặc danh' if data.anonymous else 'Có tên'}"
          + (" (ghi nhận là thông tin, không giải quyết theo thủ tục tố cáo)" if d.information_only else ""))
    print(f"Người bị phản ánh: {data.reported_name}" + (f", {data.reported_position}" if data.reported_position else ""))
    print(f"Biểu hiện: {', '.join(data.signs) or '(chưa phân loại)'}\nNội dung: {data.summary}")
    if d.due_on:
        print(f"Cơ quan xác minh: {d.handling_body} · Thời hạn: {short_date(d.due_on)}"
              + (f" (đã gia hạn {d.extensions} lần)" if d.extensions else ""))
    if data.reporter is not None:
        print(f"Người phản ánh: {data.reporter.name or '(không lưu)'}; địa chỉ: {data.reporter.address}; "
              f"điện thoại: {data.reporter.phone}")
    elif d.has_identity:
        print("Người phản ánh: (được bảo vệ; chỉ người giữ khóa xem được với --identity)")
    for e in d.events:
        print("\t".join([short_date(e.on), e.username, e.step.label, e.detail, e.note, e.reason]))


def cmd_cases_figures(args: argparse.Namespace) -> None:
    """The figures of the cases received in a period (and a unit's subtree)."""
    from app.services import case_figures
    from app.services.numbers import count_text

    db = _open(args)
    actor = _login(db, args)
    f = case_figures.figures(db, actor, start=_day(args.start) if args.start else None,
                             end=_day(args.end) if args.end else None,
                             unit_id=_unit_id(db, actor, args.unit) if args.unit else None)
    print(f"Tiếp nhận: {count_text(f.received)} (có tên {count_text(f.named)}, nặc danh {count_text(f.anonymous)})")
    for title, lines in (("Theo kênh", f.by_channel), ("Theo loại", f.by_kind), ("Theo nhóm biểu hiện", f.by_sign_group),
                         ("Theo biểu hiện", f.by_sign), ("Xử lý", f.disciplined)):
        print(f"{title}: " + "; ".join(f"{line.code} {count_text(line.count)}" for line in lines if line.count))
    print(f"Thuộc thẩm quyền: {count_text(f.competent)} · Không thuộc thẩm quyền: {count_text(f.not_competent)} · "
          f"Đã chuyển: {count_text(f.forwarded)}\nĐã giải quyết: {count_text(f.resolved)} · Đang giải quyết: "
          f"{count_text(f.in_progress)} · Quá hạn: {count_text(f.overdue)}\nKết luận: "
          + "; ".join(f"{c.label.lower()} {count_text(n)}" for c, n in f.conclusions.items())
          + f"\nĐã thông tin kết quả cho người phản ánh: {count_text(f.told)}")


def cmd_report(args: argparse.Namespace) -> None:
    """The periodic report for a period and a unit subtree, as PDF, Excel and Word files; with
    --issue (a leader), numbered and kept in the register."""
    from dataclasses import replace
    from importlib import import_module

    from app.reports import data, issuing, output
    from app.reports.period import Period

    if not (args.pdf or args.xlsx or args.docx):
        raise CliError("Chưa chọn tệp kết quả: thêm --pdf, --xlsx hoặc --docx.")
    db = _open(args)
    actor = _login(db, args)
    period = Period.parse(args.kind, args.period, end=args.end or "")
    unit_code = args.unit.upper() if args.unit else ""
    written, _version = issuing.load_written(db, actor, period.key, unit_code)
    report = data.build(db, actor, period, unit_id=_unit_id(db, actor, args.unit) if args.unit else None,
                        made_on=_day(args.date) if args.date else None, written=written)
    drawn = {}
    if args.issue:
        row, drawn["pdf"] = issuing.issue(db, actor, report, unit_code)
        report = replace(report, number=row.number)
        print(f"Đã ban hành báo cáo số {row.number_text}")
    for path, module in ((args.pdf, "pdf"), (args.xlsx, "xlsx"), (args.docx, "word")):
        if path:
            content = drawn.get(module) or import_module(f"app.reports.{module}").render(report)
            print(f"Đã lưu {output.save(path, content)}")


def _backup_passphrase(confirm: bool) -> str:
    from app.services import backup

    passphrase = _password("Mật khẩu của bản sao lưu: ", "TUYENGIAO_BACKUP_PASSWORD")
    if confirm:
        typed_twice = "TUYENGIAO_BACKUP_PASSWORD" not in os.environ
        backup.check_new_passphrase(passphrase, getpass.getpass("Nhập lại mật khẩu: ") if typed_twice else passphrase)
    return passphrase


def cmd_backup(args: argparse.Namespace) -> None:
    """A consistent copy of the database while it is in use, optionally under a passphrase."""
    from app.services import backup

    db = _open(args)
    actor = _login(db, args)
    target = Path(args.to) if args.to else backup.auto_folder(db) / f"sotuyengiao-{clock.local_now():%Y%m%d-%H%M%S}.saoluu"
    target.parent.mkdir(parents=True, exist_ok=True)
    info = backup.make(db, actor, target, _backup_passphrase(confirm=True) if args.passphrase else None)
    print(f"Đã sao lưu vào {target}\n{info.summary()}")
    db.close()


def cmd_restore(args: argparse.Namespace) -> None:
    """Replace the database with a backup, after checking it and asking; the replaced file is kept.

    An admin of the current database confirms who they are; when that database is missing or no
    longer opens (the usual reason to restore), there is nobody to ask and the file system decides.
    """
    from app.dbfile import sqlite_path
    from app.services import auth, backup

    path = sqlite_path(args.db)
    if path is None:
        raise CliError("Khôi phục chỉ dành cho tệp SQLite; máy chủ PostgreSQL được khôi phục trên máy chủ.")
    current = admin = None
    if path.exists():
        try:
            current = open_database(path)
        except DatabaseOpenError as error:
            print(f"Cơ sở dữ liệu hiện tại không mở được ({error}); sẽ được cất sang bên.")
    if current is not None:
        admin = _login(current, args)
        auth.require(admin, auth.Permission.RESTORE)
        current.close()
    info = backup.peek(args.file)
    passphrase = _backup_passphrase(confirm=False) if info.encrypted else None
    info = backup.verify(args.file, passphrase)
    print(f"Bản sao lưu hợp lệ. {info.summary()}")
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("Thêm --yes để xác nhận thay thế cơ sở dữ liệu (không hỏi được khi chạy tự động).")
        if input(f"Thay thế {path} bằng bản sao lưu này? Gõ «co» để đồng ý: ").strip().lower() != "co":
            print("Đã hủy; không có gì thay đổi.")
            return
    info, kept = backup.restore(path, args.file, passphrase)
    db = open_database(path)   # an older backup is upgraded here, after its own copy is set aside
    backup.after_restore(db, admin, info)
    db.close()
    print(f"Đã khôi phục {path}." + (f" Cơ sở dữ liệu cũ được giữ tại {kept}." if kept else ""))


def cmd_exchange_card(args: argparse.Namespace) -> None:
    """Our partner card (admin), to hand to the partner once; its fingerprint to read over the phone."""
    from app.services import exchange

    db = _open(args)
    content, fingerprint = exchange.my_card(db, _login(db, args))
    Path(args.out).write_bytes(content)
    print(f"Đã lưu tệp khóa vào {args.out}\nDấu khóa (đọc cho đối tác kiểm tra): {fingerprint}")


def cmd_exchange_partner(args: argparse.Namespace) -> None:
    from app.services import exchange

    db = _open(args)
    actor = _login(db, args)
    card = exchange.read_card(Path(args.card).read_bytes(), Path(args.card).name)
    exchange.add_partner(db, actor, card, above=args.above)
    print(f"Đã thêm đối tác «{card.name}» ({'cấp trên' if args.above else 'cấp dưới'}), dấu khóa {card.fingerprint}")


def cmd_exchange_partners(args: argparse.Namespace) -> None:
    from app.services import exchange

    db = _open(args)
    for partner in exchange.partners(db, _login(db, args)):
        waiting = f"\tđang giữ gói {', '.join(map(str, partner.held))}" if partner.held else ""
        print(f"{partner.name}\t{'cấp trên' if partner.above else 'cấp dưới'}\tđã gửi {partner.sent_seq} gói\t"
              f"đã nhận {partner.received_seq} gói{waiting}")


def cmd_exchange_export(args: argparse.Namespace) -> None:
    from app.services import exchange

    db = _open(args)
    actor = _login(db, args)
    result = exchange.export(db, actor, exchange.find_partner(db, args.to), args.out,
                             start=_day(args.start) if args.start else None, end=_day(args.end) if args.end else None,
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


def cmd_exchange_import(args: argparse.Namespace) -> None:
    """Review a package; with --apply write it, each conflict decided by --keep-mine/--take-theirs."""
    from app.services import exchange

    db = _open(args)
    actor = _login(db, args)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description=f"{APP_TITLE}: các lệnh chạy không cần giao diện."
                                     " Không có lệnh thì mở giao diện.")
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh")

    def command(name: str, help_text: str, handler: Callable, parent=commands) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", default=str(default_database()), help="đường dẫn tệp SQLite hoặc postgresql://…")
        sub.add_argument("--user", help="tên đăng nhập (mật khẩu lấy từ TUYENGIAO_PASSWORD hoặc hỏi khi chạy)")
        sub.set_defaults(handler=handler)
        return sub

    command("migrate", "tạo hoặc nâng cấp cấu trúc cơ sở dữ liệu (máy chủ: chỉ quản trị viên)", cmd_migrate)
    demo = command("demo", "tạo cơ sở dữ liệu mẫu (một huyện giả định) vào một tệp mới", cmd_demo)
    demo.add_argument("--scale", choices=["tiny", "small", "large"], default="small",
                      help="quy mô: tiny (kiểm thử), small (~3.000 người), large (~100.000 người)")
    demo.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (cùng hạt giống, cùng dữ liệu)")

    users_parser = commands.add_parser("users", help="tài khoản người dùng")
    users_commands = users_parser.add_subparsers(dest="action", metavar="VIỆC", required=True)
    command("list", "liệt kê tài khoản (quản trị viên)", cmd_users_list, users_commands)
    add = command("add", "thêm tài khoản (mật khẩu mới lấy từ TUYENGIAO_NEW_PASSWORD hoặc hỏi)", cmd_users_add,
                  users_commands)
    add.add_argument("--username", required=True, help="tên đăng nhập mới")
    add.add_argument("--full-name", required=True, help="họ và tên")
    add.add_argument("--role", required=True, choices=["admin", "clerk", "leader", "inspector"],
                     help="vai trò: admin (quản trị), clerk (nhập liệu), leader (lãnh đạo), inspector (kiểm tra)")
    add.add_argument("--unit", help="mã đơn vị được giao (bắt buộc với clerk)")

    people_parser = commands.add_parser("people", help="đảng viên")
    people_commands = people_parser.add_subparsers(dest="action", metavar="VIỆC", required=True)
    listing = command("list", "in danh sách đảng viên (phân cách bằng tab)", cmd_people_list, people_commands)
    listing.add_argument("--unit", help="mã đơn vị (gồm cả các đơn vị trực thuộc)")
    listing.add_argument("--search", help="tìm theo tên, không phân biệt dấu")
    listing.add_argument("--status", choices=["active", "exempt", "transferred_out", "deceased"])
    importer = command("import", "nhập đảng viên từ tệp .xlsx hoặc .csv (xem trước; --apply để ghi)",
                       cmd_people_import, people_commands)
    importer.add_argument("file", help="tệp .xlsx hoặc .csv")
    importer.add_argument("--unit", help="mã chi bộ chung cho các dòng không ghi chi bộ")
    importer.add_argument("--since", help="sinh hoạt từ ngày (dd/mm/yyyy), mặc định hôm nay")
    importer.add_argument("--header-line", type=int, help="số dòng tiêu đề, nếu đoán sai")
    importer.add_argument("--column", action="append", metavar="TRƯỜNG=CỘT",
                          help="chỉ định cột, ví dụ full_name=B (lặp lại được)")
    importer.add_argument("--bad-rows", metavar="TỆP", help="lưu các dòng lỗi vào tệp .xlsx hoặc .csv để sửa")
    importer.add_argument("--apply", action="store_true", help="ghi các dòng hợp lệ (không có thì chỉ xem trước)")

    meetings_parser = commands.add_parser("meetings", help="hội nghị, buổi sinh hoạt, tuyên truyền")
    meetings_commands = meetings_parser.add_subparsers(dest="action", metavar="VIỆC", required=True)
    listing = command("list", "in danh sách hội nghị, mới nhất trước (phân cách bằng tab)", cmd_meetings_list,
                      meetings_commands)
    listing.add_argument("--from", dest="start", help="từ ngày (dd/mm/yyyy)")
    listing.add_argument("--to", dest="end", help="đến ngày (dd/mm/yyyy)")
    listing.add_argument("--unit", help="mã đơn vị tổ chức (gồm cả các đơn vị trực thuộc)")
    listing.add_argument("--document", help="số văn bản được quán triệt, ví dụ 54-KL/TW")
    listing.add_argument("--search", help="tìm trong tên hội nghị, không phân biệt dấu")
    listing.add_argument("--totals", action="store_true", help="chỉ in số liệu tổng hợp của các hội nghị lọc được")
    show = command("show", "in một hội nghị và danh sách điểm danh", cmd_meetings_show, meetings_commands)
    show.add_argument("id", type=int, help="số hội nghị (cột đầu của meetings list)")
    attendance = command("import-attendance", "lấy điểm danh của một hội nghị từ tệp .xlsx/.csv (xem trước; "
                         "--apply để ghi)", cmd_meetings_import, meetings_commands)
    attendance.add_argument("id", type=int, help="số hội nghị")
    attendance.add_argument("file", help="tệp .xlsx hoặc .csv")
    attendance.add_argument("--guests", action="store_true", help="ghi người không có trong danh sách là khách mời")
    attendance.add_argument("--apply", action="store_true", help="ghi điểm danh (không có thì chỉ xem trước)")

    documents_parser = commands.add_parser("documents", help="sổ văn bản, theo dõi thực hiện")
    documents_commands = documents_parser.add_subparsers(dest="action", metavar="VIỆC", required=True)
    cover = command("coverage", "tình hình học tập, quán triệt một văn bản theo từng đơn vị phải thực hiện "
                    "(phân cách bằng tab)", cmd_documents_coverage, documents_commands)
    cover.add_argument("number", help="số văn bản, ví dụ 118-KH/HU")
    cover.add_argument("--as-of", help="tính đến ngày (dd/mm/yyyy; mặc định hôm nay)")
    cover.add_argument("--pdf", metavar="TỆP", help="lưu biểu in (PDF)")
    cover.add_argument("--xlsx", metavar="TỆP", help="lưu bảng tính Excel")
    cover.add_argument("--reminder", metavar="TỆP", help="lưu công văn đôn đốc các đơn vị chưa tổ chức (PDF)")

    cases_parser = commands.add_parser("cases", help="sổ tiếp nhận phản ánh, kiến nghị, tố giác")
    cases_commands = cases_parser.add_subparsers(dest="action", metavar="VIỆC", required=True)
    listing = command("list", "in danh sách vụ việc, mới nhất trước (phân cách bằng tab; không có danh tính "
                      "người phản ánh)", cmd_cases_list, cases_commands)
    listing.add_argument("--from", dest="start", help="tiếp nhận từ ngày (dd/mm/yyyy)")
    listing.add_argument("--to", dest="end", help="đến ngày (dd/mm/yyyy)")
    listing.add_argument("--status", choices=CASE_STATUSES, help="trạng thái: " + ", ".join(CASE_STATUSES))
    listing.add_argument("--unit", help="mã đơn vị tiếp nhận (gồm cả các đơn vị trực thuộc)")
    listing.add_argument("--overdue", action="store_true", help="chỉ vụ việc quá hạn")
    listing.add_argument("--due-soon", action="store_true", help="chỉ vụ việc sắp đến hạn")
    listing.add_argument("--search", help="tìm trong nội dung và tên người bị phản ánh, không phân biệt dấu")
    show = command("show", "in một vụ việc và quá trình xử lý", cmd_cases_show, cases_commands)
    show.add_argument("number", help="số vào sổ, ví dụ 0007/2026/BAOTHANG")
    show.add_argument("--identity", action="store_true",
                      help="in cả danh tính người phản ánh (chỉ người giữ khóa; được ghi nhật ký)")
    figures = command("figures", "số liệu phản ánh, kiến nghị trong một kỳ", cmd_cases_figures, cases_commands)
    figures.add_argument("--from", dest="start", help="từ ngày (dd/mm/yyyy)")
    figures.add_argument("--to", dest="end", help="đến ngày (dd/mm/yyyy)")
    figures.add_argument("--unit", help="mã đơn vị tiếp nhận (gồm cả các đơn vị trực thuộc)")

    report = command("report", "báo cáo kết quả công tác tuyên giáo theo kỳ (PDF theo thể thức văn bản của Đảng, "
                     "Excel, Word)", cmd_report)
    report.add_argument("--kind", required=True, choices=["thang", "quy", "6thang", "9thang", "nam", "khoang"],
                        help="loại kỳ: tháng, quý, 6 tháng, 9 tháng, năm, hoặc khoảng ngày")
    report.add_argument("--period", required=True,
                        help="kỳ: 2026-11 (tháng), 2026-4 (quý), 2026 (6 tháng, 9 tháng, năm), 2026-11-01 (khoảng: "
                             "ngày đầu, kèm --end)")
    report.add_argument("--end", help="ngày cuối của khoảng (yyyy-mm-dd), với --kind khoang")
    report.add_argument("--unit", help="mã đơn vị: chỉ báo cáo đơn vị này và các đơn vị trực thuộc")
    report.add_argument("--date", help="ngày ghi trên báo cáo (dd/mm/yyyy; mặc định hôm nay)")
    report.add_argument("--pdf", metavar="TỆP", help="lưu báo cáo PDF")
    report.add_argument("--xlsx", metavar="TỆP", help="lưu các biểu số liệu (Excel)")
    report.add_argument("--docx", metavar="TỆP", help="lưu bản Word để hoàn thiện câu chữ")
    report.add_argument("--issue", action="store_true",
                        help="ban hành: lấy số tiếp theo và lưu bản PDF vào sổ báo cáo (lãnh đạo; cần đủ phần I, III, "
                             "IV trong bản nháp)")

    saving = command("backup", "sao lưu cơ sở dữ liệu (được cả khi phần mềm đang mở)", cmd_backup)
    saving.add_argument("--to", metavar="TỆP", help="tệp sao lưu (.saoluu); mặc định trong thư mục sao-luu cạnh "
                        "cơ sở dữ liệu")
    saving.add_argument("--passphrase", action="store_true",
                        help="mã hóa bằng mật khẩu (lấy từ TUYENGIAO_BACKUP_PASSWORD hoặc hỏi khi chạy)")
    restoring = command("restore", "khôi phục cơ sở dữ liệu từ bản sao lưu (quản trị viên; giữ lại tệp cũ)",
                        cmd_restore)
    restoring.add_argument("file", help="tệp sao lưu (.saoluu)")
    restoring.add_argument("--yes", action="store_true", help="không hỏi lại trước khi thay thế")

    exchange_parser = commands.add_parser("exchange", help="trao đổi dữ liệu với cấp trên, cấp dưới bằng tệp")
    exchange_commands = exchange_parser.add_subparsers(dest="action", metavar="VIỆC", required=True)
    card = command("card", "lưu tệp khóa của cơ quan để gửi cho đối tác (quản trị viên)", cmd_exchange_card,
                   exchange_commands)
    card.add_argument("--out", required=True, metavar="TỆP", help="tệp khóa (.json)")
    partner = command("add-partner", "nhận tệp khóa của đối tác (quản trị viên; kiểm tra dấu khóa qua điện thoại)",
                      cmd_exchange_partner, exchange_commands)
    partner.add_argument("card", help="tệp khóa của đối tác")
    partner.add_argument("--above", action="store_true", help="đối tác là cấp trên (huyện) của cơ quan này")
    command("partners", "liệt kê đối tác và số gói đã gửi, đã nhận, đang giữ", cmd_exchange_partners,
            exchange_commands)
    export = command("export", "xuất gói gồm mọi thay đổi đối tác chưa nhận", cmd_exchange_export,
                     exchange_commands)
    export.add_argument("--to", required=True, help="tên đối tác (hoặc phần đầu của tên)")
    export.add_argument("--out", required=True, metavar="TỆP", help="tệp gói (.goitd)")
    export.add_argument("--unit", help="chỉ đơn vị này và các đơn vị trực thuộc")
    export.add_argument("--from", dest="start", help="từ ngày (dd/mm/yyyy)")
    export.add_argument("--to-date", dest="end", help="đến ngày (dd/mm/yyyy)")
    importer = command("import", "xem trước một gói (mới, sửa, xóa, xung đột); --apply để nhập", cmd_exchange_import,
                       exchange_commands)
    importer.add_argument("file", nargs="?", help="tệp gói (.goitd)")
    importer.add_argument("--held", metavar="ĐỐI-TÁC", help="nhập gói đang chờ tiếp theo của đối tác này")
    importer.add_argument("--apply", action="store_true", help="nhập (một giao dịch)")
    importer.add_argument("--keep-mine", action="append", metavar="UID", help="xung đột: giữ bản của mình")
    importer.add_argument("--take-theirs", action="append", metavar="UID", help="xung đột: lấy bản của đối tác")
    importer.add_argument("--all-mine", action="store_true", help="mọi xung đột còn lại: giữ bản của mình")
    importer.add_argument("--all-theirs", action="store_true", help="mọi xung đột còn lại: lấy bản của đối tác")
    return parser


def main(argv: list[str]) -> int:
    from app.services.errors import ServiceError

    args = build_parser().parse_args(argv)
    try:
        args.handler(args)
    except (ServiceError, DatabaseOpenError, CliError) as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head`: stop quietly
        sys.stderr.close()
        return 0
    return 0
