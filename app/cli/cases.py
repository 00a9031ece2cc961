"""`cases`: reported cases listed, one shown (its reporter only to a keyholder), the period's figures."""

from __future__ import annotations

import argparse

from app.cli.common import (
    CliError,
    ask_password,
    login,
    open_db,
    parse_day,
    unit_id_of,
)
from app.cli.registry import arg, command, group
from app.db import Database

# Stored values of CaseStatus, written here so the parser needs no model import at start-up.
CASE_STATUSES = ["received", "competent", "not_competent", "verifying", "forwarded", "concluded", "acted", "told",
                 "closed"]

CASES = group("cases", "sổ tiếp nhận phản ánh, kiến nghị, tố giác")


def _case_filter(db: Database, actor, args: argparse.Namespace):
    from app.models.enums import CaseStatus
    from app.services.cases import listing as case_list

    urgency = case_list.OVERDUE if args.overdue else case_list.DUE_SOON if args.due_soon else ""
    return case_list.CaseFilter(start=parse_day(args.start) if args.start else None,
                                end=parse_day(args.end) if args.end else None,
                                status=CaseStatus(args.status) if args.status else None,
                                unit_id=unit_id_of(db, actor, args.unit) if args.unit else None,
                                urgency=urgency, text=args.search or "")


@command("list", "in danh sách vụ việc, mới nhất trước (phân cách bằng tab; không có danh tính "
                 "người phản ánh)",
         arg("--from", dest="start", help="tiếp nhận từ ngày (dd/mm/yyyy)"),
         arg("--to", dest="end", help="đến ngày (dd/mm/yyyy)"),
         arg("--status", choices=CASE_STATUSES, help="trạng thái: " + ", ".join(CASE_STATUSES)),
         arg("--unit", help="mã đơn vị tiếp nhận (gồm cả các đơn vị trực thuộc)"),
         arg("--overdue", action="store_true", help="chỉ vụ việc quá hạn"),
         arg("--due-soon", action="store_true", help="chỉ vụ việc sắp đến hạn"),
         arg("--search", help="tìm trong nội dung và tên người bị phản ánh, không phân biệt dấu"),
         group=CASES)
def list_cases(args: argparse.Namespace) -> None:
    """Reported cases of the filter, newest first, tab-separated; never the reporter."""
    from app.services.cases import listing as case_list
    from app.services.numbers import short_date

    db = open_db(args)
    actor = login(db, args)
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


@command("show", "in một vụ việc và quá trình xử lý",
         arg("number", help="số vào sổ, ví dụ 0007/2026/BAOTHANG"),
         arg("--identity", action="store_true",
             help="in cả danh tính người phản ánh (chỉ người giữ khóa; được ghi nhật ký)"),
         group=CASES)
def show_case(args: argparse.Namespace) -> None:
    """One case and its history; --identity prints the reporter, for a key holder only (audited)."""
    from app.models.enums import ReferenceList
    from app.services import cases
    from app.services.cases import keys as case_keys
    from app.services.cases import reference
    from app.services.numbers import short_date

    db = open_db(args)
    actor = login(db, args)
    case_id = cases.id_of(db, actor, args.number)
    names = {(which, row.code): row.name for which in (ReferenceList.CHANNEL, ReferenceList.CASE_KIND)
             for row in reference.items(db, actor, which, with_retired=True)}
    if args.identity:
        if not case_keys.unlock(db, actor, ask_password(f"Mật khẩu của {args.user} (mở khóa danh tính): ")):
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


@command("figures", "số liệu phản ánh, kiến nghị trong một kỳ",
         arg("--from", dest="start", help="từ ngày (dd/mm/yyyy)"),
         arg("--to", dest="end", help="đến ngày (dd/mm/yyyy)"),
         arg("--unit", help="mã đơn vị tiếp nhận (gồm cả các đơn vị trực thuộc)"),
         group=CASES)
def case_figures(args: argparse.Namespace) -> None:
    """The figures of the cases received in a period (and a unit's subtree)."""
    from app.services.cases import figures as case_figures
    from app.services.numbers import count_text

    db = open_db(args)
    actor = login(db, args)
    f = case_figures.figures(db, actor, start=parse_day(args.start) if args.start else None,
                             end=parse_day(args.end) if args.end else None,
                             unit_id=unit_id_of(db, actor, args.unit) if args.unit else None)
    print(f"Tiếp nhận: {count_text(f.received)} (có tên {count_text(f.named)}, nặc danh {count_text(f.anonymous)})")
    for title, lines in (("Theo kênh", f.by_channel), ("Theo loại", f.by_kind), ("Theo nhóm biểu hiện", f.by_sign_group),
                         ("Theo biểu hiện", f.by_sign), ("Xử lý", f.disciplined)):
        print(f"{title}: " + "; ".join(f"{line.code} {count_text(line.count)}" for line in lines if line.count))
    print(f"Thuộc thẩm quyền: {count_text(f.competent)} · Không thuộc thẩm quyền: {count_text(f.not_competent)} · "
          f"Đã chuyển: {count_text(f.forwarded)}\nĐã giải quyết: {count_text(f.resolved)} · Đang giải quyết: "
          f"{count_text(f.in_progress)} · Quá hạn: {count_text(f.overdue)}\nKết luận: "
          + "; ".join(f"{c.label.lower()} {count_text(n)}" for c, n in f.conclusions.items())
          + f"\nĐã thông tin kết quả cho người phản ánh: {count_text(f.told)}")


@command("recover-key", "nhận lại quyền xem danh tính người phản ánh bằng khóa khôi phục in ra lúc khởi tạo khóa "
                        "(cán bộ kiểm tra; khóa khôi phục lấy từ TUYENGIAO_RECOVERY_KEY hoặc hỏi khi chạy)",
         group=CASES)
def recover_key(args: argparse.Namespace) -> None:
    """When nobody holding the key is left: the recovery key grants it to this inspector again (audited)."""
    from app.services.cases import keys as case_keys

    db = open_db(args)
    actor = login(db, args)
    code = ask_password("Khóa khôi phục: ", "TUYENGIAO_RECOVERY_KEY")
    case_keys.recover(db, actor, code, ask_password(f"Mật khẩu của {args.user}: "))
    case_keys.lock(db, actor)
    print(f"Đã cấp lại quyền xem danh tính người phản ánh cho {args.user}.")


@command("revoke-key", "thu hồi quyền xem danh tính người phản ánh của một cán bộ kiểm tra (người đang giữ khóa)",
         arg("username", help="tên đăng nhập của người bị thu hồi quyền"),
         group=CASES)
def revoke_key(args: argparse.Namespace) -> None:
    """A key holder takes the key away from another inspector (audited)."""
    from app.services.cases import keys as case_keys

    db = open_db(args)
    actor = login(db, args)
    if not case_keys.unlock(db, actor, ask_password(f"Mật khẩu của {args.user} (mở khóa danh tính): ")):
        raise CliError("Tài khoản này không giữ khóa bảo vệ danh tính người phản ánh.")
    try:
        found = [person for person in case_keys.inspectors(db, actor) if person.username == args.username.lower()]
        if not found or not found[0].granted:
            raise CliError(f"«{args.username}» không phải cán bộ kiểm tra đang có quyền xem danh tính.")
        case_keys.revoke(db, actor, found[0].id)
    finally:
        case_keys.lock(db, actor)
    print(f"Đã thu hồi quyền xem danh tính người phản ánh của {args.username}.")


@command("keys", "các khóa công khai mà danh tính người phản ánh được mã hóa cho, và khóa nào chờ xác nhận",
         group=CASES)
def list_keys(args: argparse.Namespace) -> None:
    from app.services.cases import keys as case_keys

    db = open_db(args)
    for line in case_keys.status(db, login(db, args)).keys:
        state = "của cơ quan" if line.own else (f"đã xác nhận ({line.confirmed_by})" if line.confirmed
                                                 else "CHỜ XÁC NHẬN, chưa dùng")
        print(f"{line.id:>3}  {line.fingerprint}  {line.name} — {state}")


@command("confirm-key", "xác nhận khóa công khai của cơ quan khác sau khi đối chiếu dấu khóa (người đang giữ khóa)",
         arg("fingerprint", help="dấu khóa cơ quan đó đọc cho bạn, ví dụ «1A2B 3C4D 5E6F 7A8B 9C0D»"),
         group=CASES)
def confirm_key(args: argparse.Namespace) -> None:
    """A key holder confirms a waiting key by the fingerprint its owner read out; audited."""
    from app.services.cases import keys as case_keys

    db = open_db(args)
    actor = login(db, args)
    typed = "".join(ch for ch in args.fingerprint.upper() if ch.isalnum())
    waiting = [line for line in case_keys.status(db, actor).waiting
               if line.fingerprint.replace(" ", "") == typed]
    if not waiting:
        raise CliError("Không có khóa nào chờ xác nhận mang dấu này; xem «cases keys».")
    if not case_keys.unlock(db, actor, ask_password(f"Mật khẩu của {args.user} (mở khóa danh tính): ")):
        raise CliError("Tài khoản này không giữ khóa bảo vệ danh tính người phản ánh.")
    try:
        case_keys.confirm(db, actor, waiting[0].id, args.fingerprint)
    finally:
        case_keys.lock(db, actor)
    print(f"Đã xác nhận khóa của {waiting[0].name}: danh tính ghi từ nay được mã hóa thêm cho khóa này.")
