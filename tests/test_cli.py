"""The command line: same services, same permissions, one-line Vietnamese errors, exit codes."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from app.models.enums import MeetingStatus
from tests.conftest import PASSWORDS, cli_environment


def run(*args: str, password: str | None = None, new_password: str | None = None,
        backup_password: str | None = None, recovery: str | None = None) -> subprocess.CompletedProcess:
    env = cli_environment()
    for name, value in (("TUYENGIAO_PASSWORD", password), ("TUYENGIAO_NEW_PASSWORD", new_password),
                        ("TUYENGIAO_BACKUP_PASSWORD", backup_password), ("TUYENGIAO_RECOVERY_KEY", recovery)):
        if value is not None:
            env[name] = value
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


def test_help_lists_the_commands_that_exist():
    result = run("--help")
    assert result.returncode == 0
    for command in ("migrate", "demo", "users", "people", "meetings"):
        assert command in result.stdout


def test_a_clerk_lists_only_people_of_their_subtree(db_path):
    clerk = run("people", "list", "--db", str(db_path), "--user", "nhaplieu", password=PASSWORDS["nhaplieu"])
    everyone = run("people", "list", "--db", str(db_path), "--user", "lanhdao", password=PASSWORDS["lanhdao"])
    assert clerk.returncode == everyone.returncode == 0
    clerk_lines, all_lines = clerk.stdout.splitlines(), everyone.stdout.splitlines()
    assert 0 < len(clerk_lines) < len(all_lines)
    assert set(clerk_lines) <= set(all_lines)


def test_search_on_the_command_line_ignores_diacritics(db_path):
    result = run("people", "list", "--db", str(db_path), "--user", "quantri", "--search", "NGUYEN",
                 password=PASSWORDS["quantri"])
    names = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert names and all("nguyễn" in name.lower() for name in names)


@pytest.mark.parametrize("user", ["nhaplieu", "lanhdao", "kiemtra"])
def test_roles_without_the_right_are_refused_with_one_vietnamese_line(db_path, user):
    result = run("users", "add", "--db", str(db_path), "--user", user, "--username", "moi", "--full-name", "Mới",
                 "--role", "admin", password=PASSWORDS[user], new_password="12345678")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("Lỗi: Vai trò") and len(result.stderr.strip().splitlines()) == 1


def test_an_admin_adds_a_clerk_for_a_unit(db_path):
    added = run("users", "add", "--db", str(db_path), "--user", "quantri", "--username", "vanthu2",
                "--full-name", "Hà Văn Thư", "--role", "clerk", "--unit", "xuanquang", password=PASSWORDS["quantri"],
                new_password="mat-khau-moi")
    assert added.returncode == 0, added.stderr
    listing = run("users", "list", "--db", str(db_path), "--user", "quantri", password=PASSWORDS["quantri"])
    assert "vanthu2\tHà Văn Thư\tCán bộ nhập liệu\tXUANQUANG" in listing.stdout


def test_a_wrong_password_or_a_missing_one_is_refused(db_path):
    wrong = run("people", "list", "--db", str(db_path), "--user", "quantri", password="sai")
    assert wrong.returncode == 2 and "mật khẩu không đúng" in wrong.stderr
    missing = run("people", "list", "--db", str(db_path), "--user", "quantri")
    assert missing.returncode == 2 and "TUYENGIAO_PASSWORD" in missing.stderr


def test_a_foreign_file_as_db_is_refused_and_named(tmp_path):
    foreign = tmp_path / "danh-sach.xlsx"
    foreign.write_bytes(b"PK\x03\x04 not a database")
    result = run("people", "list", "--db", str(foreign), "--user", "quantri", password="x")
    assert result.returncode == 2 and "danh-sach.xlsx" in result.stderr
    assert foreign.read_bytes() == b"PK\x03\x04 not a database"


def test_demo_and_migrate_create_a_ready_database(tmp_path):
    path = tmp_path / "moi.sqlite"
    assert run("migrate", "--db", str(path)).returncode == 0
    built = run("demo", "--db", str(tmp_path / "demo.sqlite"), "--scale", "tiny")
    assert built.returncode == 0 and "Đã tạo dữ liệu mẫu" in built.stdout
    again = run("demo", "--db", str(tmp_path / "demo.sqlite"), "--scale", "tiny")
    assert again.returncode == 2 and "đã có dữ liệu" in again.stderr


def test_import_previews_then_applies_and_saves_the_bad_rows(db_path, tmp_path):
    source = tmp_path / "danh-sach.csv"
    source.write_text("Họ và tên;Năm sinh;Chi bộ\nSầm Văn Lực;1971;Cốc Sâm\nLục Thị Thu;năm 80;Cốc Sâm\n",
                      encoding="utf-8")
    bad_rows = tmp_path / "loi.xlsx"
    base = ("people", "import", str(source), "--db", str(db_path), "--user", "nhaplieu", "--since", "01/10/2026")

    preview = run(*base, "--bad-rows", str(bad_rows), password=PASSWORDS["nhaplieu"])
    assert preview.returncode == 0, preview.stderr
    assert "Dòng 3: «Năm sinh / ngày sinh» (cột B): «năm 80» không đọc được" in preview.stdout
    assert "1 dòng hợp lệ, 1 dòng lỗi" in preview.stdout and "Chưa ghi gì" in preview.stdout
    assert bad_rows.exists()
    listed = run("people", "list", "--db", str(db_path), "--user", "nhaplieu", "--search", "sam van luc",
                 password=PASSWORDS["nhaplieu"])
    assert listed.stdout == ""

    applied = run(*base, "--apply", password=PASSWORDS["nhaplieu"])
    assert applied.returncode == 0 and "Đã nhập 1 người." in applied.stdout
    listed = run("people", "list", "--db", str(db_path), "--user", "nhaplieu", "--search", "sam van luc",
                 password=PASSWORDS["nhaplieu"])
    assert listed.stdout.split("\t")[:3] == ["Sầm Văn Lực", "1971", "Chi bộ thôn Cốc Sâm"]


def test_import_names_a_bad_option_and_a_bad_file(db_path, tmp_path):
    wrong = run("people", "import", str(tmp_path / "khong-co.xlsx"), "--db", str(db_path), "--user", "nhaplieu",
                password=PASSWORDS["nhaplieu"])
    assert wrong.returncode == 2 and "Không tìm thấy tệp" in wrong.stderr
    (tmp_path / "a.csv").write_text("Họ và tên\nA\n", encoding="utf-8")
    column = run("people", "import", str(tmp_path / "a.csv"), "--column", "ten=B", "--db", str(db_path),
                 "--user", "nhaplieu", password=PASSWORDS["nhaplieu"])
    assert column.returncode == 2 and "--column «ten=B» không hợp lệ" in column.stderr


def meetings_run(db_path, user: str, *args: str) -> subprocess.CompletedProcess:
    return run("meetings", *args[:1], "--db", str(db_path), "--user", user, *args[1:], password=PASSWORDS[user])


def test_a_clerk_lists_and_opens_only_sessions_of_their_subtree(db_path):
    mine = meetings_run(db_path, "nhaplieu", "list")
    everyone = meetings_run(db_path, "lanhdao", "list")
    assert mine.returncode == everyone.returncode == 0, mine.stderr
    mine_lines, all_lines = mine.stdout.splitlines(), everyone.stdout.splitlines()
    assert 0 < len(mine_lines) < len(all_lines) and set(mine_lines) <= set(all_lines)
    outside = next(line.split("\t")[0] for line in all_lines if line not in mine_lines)
    refused = meetings_run(db_path, "nhaplieu", "show", outside)
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("Lỗi: ") and len(refused.stderr.strip().splitlines()) == 1
    shown = meetings_run(db_path, "nhaplieu", "show", mine_lines[0].split("\t")[0])
    assert shown.returncode == 0 and shown.stdout.splitlines()[0] == mine_lines[0].split("\t")[3]


def test_sessions_of_a_document_and_their_totals(db_path):
    listed = meetings_run(db_path, "lanhdao", "list", "--document", "54-kl/tw", "--from", "01/01/2023")
    assert listed.returncode == 0, listed.stderr
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    assert rows and all("54-KL/TW" in row[7] for row in rows)
    totals = meetings_run(db_path, "lanhdao", "list", "--document", "54-KL/TW", "--from", "01/01/2023", "--totals")
    figures = dict(line.split(": ") for line in totals.stdout.splitlines())
    held = [row for row in rows if row[6] == MeetingStatus.HELD.label]   # only held sessions count
    assert figures["Số hội nghị"].replace(".", "") == str(len(held))
    assert figures["Lượt dự kiến"].replace(".", "") == str(sum(int(row[8]) for row in held))
    unknown = meetings_run(db_path, "lanhdao", "list", "--document", "999-KL/TW")
    assert unknown.returncode == 2 and "999-KL/TW" in unknown.stderr


def test_attendance_imported_from_the_command_line_is_saved_only_when_every_row_matches(db_path, tmp_path):
    from app.db import open_database
    from app.models.enums import Presence
    from app.services import auth, meetings
    from app.services.meetings import listing as meeting_list
    from tests.sheets_factory import attendance_sheet

    db = open_database(db_path)
    clerk = auth.login(db, "nhaplieu", PASSWORDS["nhaplieu"])
    row = next(r for r in meeting_list.list_page(db, clerk, meeting_list.MeetingFilter(status=MeetingStatus.HELD))
               if r.expected >= 3)
    roster = [line for line in meetings.get(db, clerk, row.id).data.roster if not line.is_guest]
    header = [["STT", "Họ và tên", "Năm sinh", "Chi bộ", "Điểm danh", "Lý do"]]
    lines = [[n, line.full_name, line.birth_year, line.unit_name, "Vắng", "Đi viện"] for n, line in
             enumerate(roster, 1)]
    stranger = attendance_sheet(tmp_path / "la.xlsx", header, [*lines, [99, "Người Ngoài Xã", 1990, "", "x", ""]])

    version = meetings.get(db, clerk, row.id).version
    refused = meetings_run(db_path, "nhaplieu", "import-attendance", str(row.id), str(stranger), "--apply")
    assert refused.returncode == 2 and "Không có ai tên «Người Ngoài Xã»" in refused.stdout
    assert meetings.get(db, clerk, row.id).version == version
    assert all(line.presence is not Presence.EXCUSED or line.reason != "Đi viện"
               for line in meetings.get(db, clerk, row.id).data.roster)

    applied = meetings_run(db_path, "nhaplieu", "import-attendance", str(row.id), str(stranger), "--apply",
                           "--guests")
    assert applied.returncode == 0, applied.stderr + applied.stdout
    assert "«Người Ngoài Xã» không có trong danh sách, được ghi là khách mời" in applied.stdout
    assert "cần ghép tay" in applied.stdout and "0 dòng cần ghép tay" in applied.stdout
    saved = meetings.get(db, clerk, row.id).data.roster
    assert all(line.presence is Presence.EXCUSED and line.reason == "Đi viện" for line in saved if not line.is_guest)
    assert "Người Ngoài Xã" in [line.guest_name for line in saved if line.is_guest]
    db.close()


def test_the_coverage_of_a_document_from_the_command_line_matches_the_service(db_path, tmp_path):
    from app.db import open_database
    from app.services import auth, documents
    from app.services.documents import coverage

    result = run("documents", "coverage", "118-kh/hu", "--as-of", "31/12/2023", "--pdf", str(tmp_path / "b.pdf"),
                 "--xlsx", str(tmp_path / "b.xlsx"), "--db", str(db_path), "--user", "nhaplieu",
                 password=PASSWORDS["nhaplieu"])
    assert result.returncode == 0, result.stderr
    db = open_database(db_path)
    clerk = auth.login(db, "nhaplieu", PASSWORDS["nhaplieu"])
    cover = coverage.for_document(db, clerk, documents.search(db, clerk, "118-KH/HU")[0].id, as_of=date(2023, 12, 31))
    db.close()
    lines = result.stdout.splitlines()
    assert [line.split("\t")[:4] for line in lines[:len(cover.lines)]] == [
        [c.unit_code, c.unit_name, c.parent_name, coverage.STATE_LABELS[c.state]] for c in cover.lines]
    assert all(c.unit_code.startswith("PHONGNIEN") or c.parent_name.endswith("Phong Niên") for c in cover.lines)
    assert lines[len(cover.lines)] == cover.sentence()
    assert (tmp_path / "b.pdf").read_bytes().startswith(b"%PDF") and (tmp_path / "b.xlsx").stat().st_size > 0
    unwritable = run("documents", "coverage", "118-KH/HU", "--pdf", str(tmp_path / "no" / "b.pdf"), "--db",
                     str(db_path), "--user", "lanhdao", password=PASSWORDS["lanhdao"])
    assert unwritable.returncode == 2 and "Không ghi được tệp" in unwritable.stderr


def _cases(db_path, *args: str, user: str = "lanhdao") -> subprocess.CompletedProcess:
    return run("cases", *args, "--db", str(db_path), "--user", user, password=PASSWORDS[user])


def test_cases_on_the_command_line_never_show_a_reporter_without_the_key(db_path):
    from app.db import open_database
    from app.services import auth, cases
    from app.services.cases import keys as case_keys
    from app.services.cases import listing as case_list

    db = open_database(db_path)
    inspector = auth.login(db, "kiemtra", PASSWORDS["kiemtra"])
    case_keys.unlock(db, inspector, PASSWORDS["kiemtra"])
    named = next(r for r in case_list.list_page(db, inspector, case_list.CaseFilter(status="verifying"))
                 if not r.anonymous)
    reporter = cases.identity(db, inspector, named.id)
    db.close()
    listing = _cases(db_path, "list")
    assert listing.returncode == 0 and named.number in listing.stdout and "QUÁ HẠN" in listing.stdout
    for user in ("lanhdao", "nhaplieu"):
        shown = _cases(db_path, "show", named.number, user=user)
        refused = _cases(db_path, "show", named.number, "--identity", user=user)
        assert reporter.name not in shown.stdout + refused.stdout + refused.stderr
        assert refused.returncode == 2 and refused.stderr.startswith("Lỗi: ")
    assert reporter.name not in listing.stdout
    assert "(được bảo vệ" in _cases(db_path, "show", named.number).stdout
    opened = _cases(db_path, "show", named.number, "--identity", user="kiemtra")
    assert opened.returncode == 0 and f"Người phản ánh: {reporter.name};" in opened.stdout


def test_case_figures_on_the_command_line(db_path):
    result = _cases(db_path, "figures", "--from", "01/01/2026", "--to", "31/10/2026")
    assert result.returncode == 0
    assert result.stdout.startswith("Tiếp nhận: ") and "Quá hạn: " in result.stdout


def test_the_report_command_writes_pdf_xlsx_and_docx_and_refuses_bad_periods(db_path, tmp_path):
    leader = ("--db", str(db_path), "--user", "lanhdao")
    files = [tmp_path / f"bc.{ext}" for ext in ("pdf", "xlsx", "docx")]
    made = run("report", *leader, "--kind", "thang", "--period", "2024-07", "--date", "05/08/2024",
               "--pdf", str(files[0]), "--xlsx", str(files[1]), "--docx", str(files[2]), password=PASSWORDS["lanhdao"])
    assert made.returncode == 0, made.stderr
    assert all(path.stat().st_size > 1000 for path in files)
    assert files[0].read_bytes().startswith(b"%PDF") and files[1].read_bytes()[:2] == files[2].read_bytes()[:2] == b"PK"
    bad = run("report", *leader, "--kind", "thang", "--period", "2024-13", "--pdf", str(tmp_path / "x.pdf"),
              password=PASSWORDS["lanhdao"])
    assert bad.returncode == 2 and bad.stderr.strip() == "Lỗi: Tháng 13 không tồn tại: tháng là số từ 1 đến 12."
    nowhere = run("report", *leader, "--kind", "nam", "--period", "2024", "--pdf", str(tmp_path / "no" / "x.pdf"),
                  password=PASSWORDS["lanhdao"])
    assert nowhere.returncode == 2 and "thư mục" in nowhere.stderr and "không tồn tại" in nowhere.stderr
    assert not list(tmp_path.glob("**/*.tmp")) and not (tmp_path / "x.pdf").exists()
    outside = run("report", "--db", str(db_path), "--user", "nhaplieu", "--kind", "nam", "--period", "2024",
                  "--unit", "GIAPHU", "--pdf", str(tmp_path / "y.pdf"), password=PASSWORDS["nhaplieu"])
    assert outside.returncode == 2 and "ngoài phạm vi" in outside.stderr and not (tmp_path / "y.pdf").exists()


def test_a_leader_issues_the_report_from_its_draft_and_a_clerk_cannot(db_path, tmp_path):
    from app.db import open_database
    from app.services import auth, report_register
    from app.services.period import Period

    db = open_database(db_path)
    leader = auth.login(db, "lanhdao", PASSWORDS["lanhdao"])
    report_register.save_draft(db, leader, Period.month(2026, 9).key, "",
                               {"situation": "Ổn định.", "assessment": "Tốt.", "tasks": "Học bù."}, version=0)
    issued = run("report", "--db", str(db_path), "--user", "lanhdao", "--kind", "thang", "--period", "2026-09",
                 "--date", "05/10/2026", "--issue", "--pdf", str(tmp_path / "bc.pdf"), password=PASSWORDS["lanhdao"])
    assert issued.returncode == 0, issued.stderr
    assert "Đã ban hành báo cáo số 01-BC/BTGHU" in issued.stdout
    [row] = report_register.register(db, leader)
    assert report_register.issued_pdf(db, leader, row.id) == (tmp_path / "bc.pdf").read_bytes()
    refused = run("report", "--db", str(db_path), "--user", "nhaplieu", "--kind", "thang", "--period", "2026-09",
                  "--issue", "--pdf", str(tmp_path / "c.pdf"), password=PASSWORDS["nhaplieu"])
    assert refused.returncode == 2 and "ban hành báo cáo" in refused.stderr


def test_backup_and_restore_from_the_command_line(db_path, tmp_path):
    import sqlite3

    def rows(path):
        with sqlite3.connect(path) as connection:
            return connection.execute("SELECT id, title FROM meeting ORDER BY id").fetchall()

    target = tmp_path / "ban.saoluu"
    made = run("backup", "--db", str(db_path), "--user", "nhaplieu", "--to", str(target), "--passphrase",
               password=PASSWORDS["nhaplieu"], backup_password="mật khẩu sao lưu")
    assert made.returncode == 0, made.stderr
    assert "(có mật khẩu)" in made.stdout and "hội nghị" in made.stdout
    before = rows(db_path)
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE meeting SET title = 'sửa sau' WHERE id = ?", (before[0][0],))

    def restore(user: str, *extra: str, passphrase: str = "mật khẩu sao lưu"):
        return run("restore", str(target), "--db", str(db_path), "--user", user, *extra, password=PASSWORDS[user],
                   backup_password=passphrase)

    # Only an admin restores; without --yes and no terminal to ask, nothing is replaced; a wrong passphrase neither.
    refused = restore("nhaplieu", "--yes")
    assert refused.returncode == 2 and "khôi phục dữ liệu" in refused.stderr
    unasked = restore("quantri")
    assert unasked.returncode == 2 and "--yes" in unasked.stderr
    wrong = restore("quantri", "--yes", passphrase="sai")
    assert wrong.returncode == 2 and "không đúng" in wrong.stderr
    assert rows(db_path)[0][1] == "sửa sau"
    restored = restore("quantri", "--yes")
    assert restored.returncode == 0, restored.stderr
    assert rows(db_path) == before
    assert "Cơ sở dữ liệu cũ được giữ tại" in restored.stdout


def test_exchange_from_the_command_line(db_path, tmp_path):
    from tests.services.test_exchange import COMMUNE_PASSWORD, new_commune

    commune_path = tmp_path / "xa.sqlite"
    new_commune(commune_path)[0].close()
    district = ("--db", str(db_path))
    commune = ("--db", str(commune_path))

    def ok(*args, password):
        result = run(*args, password=password)
        assert result.returncode == 0, result.stderr
        return result.stdout

    shown = ok("exchange", "card", *district, "--user", "quantri", "--out", str(tmp_path / "huyen.json"),
               password=PASSWORDS["quantri"])
    assert "Dấu khóa" in shown
    ok("exchange", "card", *commune, "--user", "quantrixa", "--out", str(tmp_path / "xa.json"),
       password=COMMUNE_PASSWORD)
    ok("exchange", "add-partner", str(tmp_path / "xa.json"), *district, "--user", "quantri",
       password=PASSWORDS["quantri"])
    ok("exchange", "add-partner", str(tmp_path / "huyen.json"), "--above", *commune, "--user", "quantrixa",
       password=COMMUNE_PASSWORD)
    package = tmp_path / "goi-1.goitd"
    exported = ok("exchange", "export", "--to", "Đảng ủy xã", "--out", str(package), *district, "--user", "nhaplieu",
                  password=PASSWORDS["nhaplieu"])
    assert "Đã xuất gói số 1" in exported and "meeting" in exported
    preview = ok("exchange", "import", str(package), *commune, "--user", "canboxa", password=COMMUNE_PASSWORD)
    assert "Gói số 1 của «BAN TUYÊN GIÁO" in preview and "Chưa ghi gì" in preview
    applied = ok("exchange", "import", str(package), "--apply", *commune, "--user", "canboxa",
                 password=COMMUNE_PASSWORD)
    assert "Đã nhập:" in applied and "0 xung đột" in applied
    again = ok("exchange", "import", str(package), "--apply", *commune, "--user", "canboxa", password=COMMUNE_PASSWORD)
    assert "đã được nhập trước đây" in again
    listed = ok("exchange", "partners", *commune, "--user", "canboxa", password=COMMUNE_PASSWORD)
    assert "cấp trên\tđã gửi 0 gói\tđã nhận 1 gói" in listed
    spoiled = tmp_path / "hong.goitd"
    spoiled.write_bytes(package.read_bytes()[:1000])
    refused = run("exchange", "import", str(spoiled), *commune, "--user", "canboxa", password=COMMUNE_PASSWORD)
    assert refused.returncode == 2 and "bị cắt cụt" in refused.stderr


def test_an_inspectors_key_is_revoked_and_given_back_by_the_recovery_key_on_the_command_line(db, db_path, admin):
    from sqlalchemy import text

    from app.models.enums import Role
    from app.services import auth, users
    from app.services.cases import keys as case_keys

    holder = auth.login(db, "kiemtra", PASSWORDS["kiemtra"])
    with db.session_scope() as session:   # an office setting its key up, as the set-up does
        session.execute(text("DELETE FROM key_grant"))
        session.execute(text("DELETE FROM office_key"))
    code = case_keys.setup(db, holder, PASSWORDS["kiemtra"], name="Ban Tuyên giáo")
    users.create(db, admin, users.UserInput("kiemtra2", "Vũ Văn Soát", Role.INSPECTOR), "matkhau-moi-1")
    newcomer = auth.login(db, "kiemtra2", "matkhau-moi-1")
    case_keys.unlock(db, newcomer, "matkhau-moi-1")
    case_keys.grant(db, holder, newcomer.user_id)
    case_keys.lock(db, holder)

    refused = _cases(db_path, "revoke-key", "khongco", user="kiemtra")
    assert refused.returncode == 2 and "khongco" in refused.stderr
    revoked = _cases(db_path, "revoke-key", "kiemtra2", user="kiemtra")
    assert revoked.returncode == 0, revoked.stderr
    assert not case_keys.unlock(db, newcomer, "matkhau-moi-1")

    wrong = run("cases", "recover-key", "--db", str(db_path), "--user", "kiemtra2", password="matkhau-moi-1",
                recovery="AAAA-" * 7 + "AAAA")
    assert wrong.returncode == 2 and "Khóa khôi phục không đúng" in wrong.stderr
    recovered = run("cases", "recover-key", "--db", str(db_path), "--user", "kiemtra2", password="matkhau-moi-1",
                    recovery=code)
    assert recovered.returncode == 0, recovered.stderr
    assert case_keys.unlock(db, newcomer, "matkhau-moi-1")


def test_a_waiting_key_is_listed_and_confirmed_by_its_fingerprint_on_the_command_line(db, db_path):
    import base64

    from app.services import auth
    from app.services.cases import keys as case_keys
    from app.services.cases import sealing

    inspector = auth.login(db, "kiemtra", PASSWORDS["kiemtra"])
    public = sealing.public_bytes(sealing.new_private_key())
    case_keys.import_recipient(db, inspector, "Ban Tuyên giáo Tỉnh ủy",
                               case_keys.KEY_PREFIX + base64.b64encode(public).decode())
    listed = _cases(db_path, "keys", user="kiemtra")
    assert "Ban Tuyên giáo Tỉnh ủy — CHỜ XÁC NHẬN" in listed.stdout, listed.stderr
    assert _cases(db_path, "confirm-key", "1234 5678", user="kiemtra").returncode == 2
    confirmed = _cases(db_path, "confirm-key", sealing.fingerprint(public).lower(), user="kiemtra")
    assert confirmed.returncode == 0, confirmed.stderr
    assert "đã xác nhận (kiemtra)" in _cases(db_path, "keys", user="kiemtra").stdout
    assert case_keys.status(db, inspector).waiting == []


def test_a_mistyped_database_is_refused_and_not_created(db_path, tmp_path):
    typo = tmp_path / "csdl-go-nham.sqlite"
    for command in (["meetings", "list"], ["users", "list"], ["backup"], ["cases", "list"]):
        result = run(*command, "--db", str(typo), "--user", "quantri", password=PASSWORDS["quantri"])
        assert result.returncode == 2 and "Không có cơ sở dữ liệu" in result.stderr, (command, result.stderr)
        assert "Traceback" not in result.stderr
    assert not typo.exists()
    made = run("demo", "--db", str(typo), "--scale", "tiny")   # creating one is what demo is for
    assert made.returncode == 0, made.stderr


def test_an_issued_month_is_closed_on_the_command_line_until_a_leader_reopens_it(db_path, tmp_path):
    """After `report --issue`, an edit dated in that month (attendance taken from a sheet) is refused; issuing
    again asks for --correction; `reopen` needs a reason, and then the edit goes through."""
    from datetime import date

    from app.db import open_database
    from app.models.enums import Presence
    from app.services import auth, meetings, report_register
    from app.services.meetings import listing as meeting_list
    from app.services.period import Period
    from tests.sheets_factory import attendance_sheet

    db = open_database(db_path)
    clerk, leader = (auth.login(db, name, PASSWORDS[name]) for name in ("nhaplieu", "lanhdao"))
    month = meeting_list.MeetingFilter(start=date(2026, 9, 1), end=date(2026, 9, 30), status=MeetingStatus.HELD)
    row = next(r for r in meeting_list.list_page(db, clerk, month) if r.expected >= 2)
    roster = [line for line in meetings.get(db, clerk, row.id).data.roster if not line.is_guest]
    sheet = attendance_sheet(tmp_path / "diem-danh.xlsx", [["STT", "Họ và tên", "Năm sinh", "Chi bộ", "Điểm danh"]],
                             [[n, line.full_name, line.birth_year, line.unit_name, "x"] for n, line in enumerate(roster, 1)])
    report_register.save_draft(db, leader, Period.month(2026, 9).key, "",
                               {"situation": "Ổn định.", "assessment": "Tốt.", "tasks": "Học bù."}, version=0)

    def issue(*extra: str) -> subprocess.CompletedProcess:
        return run("report", "--db", str(db_path), "--user", "lanhdao", "--kind", "thang", "--period", "2026-09",
                   "--date", "05/10/2026", "--issue", *extra, "--pdf", str(tmp_path / "bc.pdf"),
                   password=PASSWORDS["lanhdao"])

    assert issue().returncode == 0
    version = meetings.get(db, clerk, row.id).version
    refused = meetings_run(db_path, "nhaplieu", "import-attendance", str(row.id), str(sheet), "--apply")
    assert refused.returncode == 2 and "báo cáo số 01-BC/BTGHU" in refused.stderr + refused.stdout
    assert meetings.get(db, clerk, row.id).version == version   # nothing written

    again = issue()
    assert again.returncode == 2 and "thay thế báo cáo số 01-BC/BTGHU" in again.stderr
    no_reason = run("reopen", "01-BC/BTGHU", "--reason", " ", "--db", str(db_path), "--user", "lanhdao",
                    password=PASSWORDS["lanhdao"])
    assert no_reason.returncode == 2 and "lý do" in no_reason.stderr
    reopened = run("reopen", "01-bc/btghu", "--reason", "Bổ sung điểm danh", "--db", str(db_path), "--user", "lanhdao",
                   password=PASSWORDS["lanhdao"])
    assert reopened.returncode == 0 and "Đã mở lại kỳ của báo cáo số 01-BC/BTGHU" in reopened.stdout
    applied = meetings_run(db_path, "nhaplieu", "import-attendance", str(row.id), str(sheet), "--apply")
    assert applied.returncode == 0, applied.stderr + applied.stdout
    assert all(line.presence is Presence.PRESENT for line in meetings.get(db, clerk, row.id).data.roster
               if not line.is_guest)
    corrected = issue("--correction")
    assert corrected.returncode == 0 and "Đã ban hành báo cáo số 02-BC/BTGHU" in corrected.stdout
    db.close()


def test_the_schedule_of_reports_owed_is_read_and_adjusted_on_the_command_line(db_path):
    listed = run("schedule", "list", "--db", str(db_path), "--user", "lanhdao", password=PASSWORDS["lanhdao"])
    assert listed.returncode == 0, listed.stderr
    assert "thang\tBáo cáo tháng\tngày 20 tháng cuối kỳ\tmặc định" in listed.stdout.splitlines()
    changed = run("schedule", "set", "quy", "--due-day", "10", "--months-after", "1", "--db", str(db_path),
                  "--user", "lanhdao", password=PASSWORDS["lanhdao"])
    assert changed.returncode == 0 and "Báo cáo quý: hạn nộp ngày 10 tháng sau kỳ." in changed.stdout
    bad = run("schedule", "set", "nam", "--due-day", "31", "--db", str(db_path), "--user", "lanhdao",
              password=PASSWORDS["lanhdao"])
    assert bad.returncode == 2 and "từ 1 đến 28" in bad.stderr
    listed = run("schedule", "list", "--db", str(db_path), "--user", "lanhdao", password=PASSWORDS["lanhdao"])
    assert "quy\tBáo cáo quý\tngày 10 tháng sau kỳ\tđã điều chỉnh" in listed.stdout.splitlines()


def test_public_opinion_is_noted_listed_and_drafted_on_the_command_line(db_path):
    def opinion(*args: str, user: str = "nhaplieu") -> subprocess.CompletedProcess:
        return run("opinion", *args, "--db", str(db_path), "--user", user, password=PASSWORDS[user])

    noted = opinion("add", "--unit", "PHONGNIEN-01", "--date", "20/10/2026", "--topic", "Thiếu nước tưới vụ Đông",
                    "--heard-at", "Họp thôn", "--tendency", "worrying", "--groups", "farmers,people",
                    "--content", "Bà con lo mất mùa.", "--action", "Đã báo cáo Đảng ủy xã.", "--reported-up")
    assert noted.returncode == 0, noted.stderr
    assert "«Thiếu nước tưới vụ Đông»" in noted.stdout
    bad = opinion("add", "--unit", "PHONGNIEN-01", "--date", "20/10/2026", "--topic", "X", "--heard-at", "Chợ",
                  "--tendency", "mixed", "--groups", "farmers", "--content", "Gọi 0912345678.")
    assert bad.returncode == 2 and "số điện thoại" in bad.stderr
    outside = opinion("add", "--unit", "XUANQUANG", "--date", "20/10/2026", "--topic", "X", "--heard-at", "Chợ",
                      "--tendency", "mixed", "--groups", "farmers", "--content", "Ý kiến.")
    assert outside.returncode == 2 and "phạm vi" in outside.stderr
    listed = opinion("list", "--from", "20/10/2026", "--to", "20/10/2026", "--tendency", "worrying")
    assert "Thiếu nước tưới vụ Đông\tNông dân; Nhân dân\tHọp thôn" in listed.stdout
    drafted = opinion("draft", "--period", "2026-10", user="lanhdao")
    assert drafted.returncode == 0 and drafted.stdout.startswith("Trong tháng, các cấp ủy, tổ chức đảng nắm bắt")
    assert "- Thiếu nước tưới vụ Đông: 1 ý kiến đáng lo ngại trong nông dân và Nhân dân" in drafted.stdout
    assert opinion("add", "--unit", "PHONGNIEN", "--date", "20/10/2026", "--topic", "X", "--heard-at", "Chợ",
                   "--tendency", "mixed", "--groups", "farmers", "--content", "Ý kiến.", user="lanhdao").returncode == 2


def test_good_examples_are_added_imported_listed_and_drafted_on_the_command_line(db_path, tmp_path):
    from openpyxl import Workbook

    def models(*args: str, user: str = "nhaplieu") -> subprocess.CompletedProcess:
        return run("models", *args, "--db", str(db_path), "--user", user, password=PASSWORDS[user])

    added = models("add", "--kind", "model", "--title", "Mô hình «Đường hoa nông thôn mới»", "--unit", "PHONGNIEN",
                   "--date", "10/10/2026", "--commendation", "certificate", "--awarded-by", "Đảng ủy xã",
                   "--spread", "PHONGNIEN-01:15/10/2026,PHONGNIEN-02:20/10/2026")
    assert added.returncode == 0, added.stderr
    missing_unit = models("add", "--kind", "model", "--title", "X", "--unit", "KHONGCO", "--date", "10/10/2026",
                          "--commendation", "noted")
    assert missing_unit.returncode == 2 and "KHONGCO" in missing_unit.stderr
    future = models("add", "--kind", "person", "--title", "Đồng chí A", "--unit", "PHONGNIEN-01", "--date",
                    "10/10/2099", "--commendation", "praise", "--awarded-by", "Đảng ủy xã")
    assert future.returncode == 2 and "tương lai" in future.stderr
    book = Workbook()
    book.active.append(["Loại", "Tên", "Đơn vị", "Ngày công nhận", "Hình thức", "Cấp khen"])
    book.active.append(["Tập thể", "Tập thể Chi bộ thôn tiêu biểu", "PHONGNIEN-02", "12/10/2026", "Giấy khen",
                        "Đảng ủy xã"])
    book.save(tmp_path / "mo-hinh.xlsx")
    checked = models("import", str(tmp_path / "mo-hinh.xlsx"))
    assert checked.returncode == 0 and "1 mô hình, điển hình hợp lệ" in checked.stdout
    applied = models("import", str(tmp_path / "mo-hinh.xlsx"), "--apply")
    assert applied.returncode == 0 and "Đã ghi 1 mô hình, điển hình." in applied.stdout
    listed = models("list", "--from", "01/10/2026", "--to", "31/10/2026")
    assert "Mô hình «Đường hoa nông thôn mới»" in listed.stdout and "Tập thể Chi bộ thôn tiêu biểu" in listed.stdout
    drafted = models("draft", "--period", "2026-10", user="lanhdao")
    assert drafted.returncode == 0 and "- Mô hình «Đường hoa nông thôn mới» (Đảng bộ xã Phong Niên): giấy khen " \
                                       "của Đảng ủy xã." in drafted.stdout


def test_presenters_are_registered_and_listed_on_the_command_line(db_path):
    def presenters(*args: str) -> subprocess.CompletedProcess:
        return run("presenters", *args, "--db", str(db_path), "--user", "nhaplieu", password=PASSWORDS["nhaplieu"])

    added = presenters("add", "--name", "Lò Thị Xuân", "--title", "Tuyên truyền viên thôn", "--unit", "PHONGNIEN-01",
                       "--role", "propagandist", "--level", "grassroots")
    assert added.returncode == 0, added.stderr
    refused = presenters("add", "--name", "Ai Đó", "--unit", "XUANQUANG", "--level", "grassroots")
    assert refused.returncode == 2 and "phạm vi" in refused.stderr
    listed = presenters("list", "--search", "lo thi xuan")
    assert "Lò Thị Xuân\tTuyên truyền viên thôn\tChi bộ thôn" in listed.stdout and "Cộng: 1 " in listed.stdout
    district = presenters("list", "--level", "district")
    assert "Nguyễn Thị Minh\tPhó Trưởng Ban Tuyên giáo Huyện ủy" in district.stdout


def test_a_units_plan_is_recorded_and_shown_in_the_coverage_on_the_command_line(db_path):
    def documents(*args: str) -> subprocess.CompletedProcess:
        return run("documents", *args, "--db", str(db_path), "--user", "nhaplieu", password=PASSWORDS["nhaplieu"])

    outside = documents("plan", "57-NQ/TW", "--unit", "PHONGNIEN-01", "--plan", "01-KH/CB", "--date", "05/01/2025")
    assert outside.returncode == 2 and "không thuộc các đơn vị phải thực hiện" in outside.stderr
    twice = documents("plan", "57-NQ/TW", "--unit", "PHONGNIEN", "--plan", "30-KH/ĐU", "--date", "05/01/2025")
    assert twice.returncode == 2 and "đã có kế hoạch số 11-KH/ĐU" in twice.stderr
    shown = documents("coverage", "57-NQ/TW", "--as-of", "01/11/2026")
    assert shown.returncode == 0 and "\t11-KH/ĐU, 05/05/2025" in shown.stdout
    assert "đơn vị đã ban hành kế hoạch thực hiện" in shown.stdout


def test_the_report_on_one_directive_is_printed_from_the_command_line(db_path, tmp_path):
    def documents(*args: str) -> subprocess.CompletedProcess:
        return run("documents", *args, "--db", str(db_path), "--user", "lanhdao", password=PASSWORDS["lanhdao"])

    early = documents("review", "54-KL/TW", "--to", "01/01/2023", "--pdf", str(tmp_path / "som.pdf"))
    assert early.returncode == 2 and "trước ngày ban hành 54-KL/TW" in early.stderr
    assert not (tmp_path / "som.pdf").exists()
    made = documents("review", "54-KL/TW", "--to", "31/10/2026", "--date", "05/11/2026", "--pdf",
                     str(tmp_path / "so-ket.pdf"))
    assert made.returncode == 0, made.stderr
    assert "Báo cáo sơ kết 3 năm thực hiện Kết luận số 54-KL/TW" in made.stdout
    assert (tmp_path / "so-ket.pdf").read_bytes().startswith(b"%PDF")
