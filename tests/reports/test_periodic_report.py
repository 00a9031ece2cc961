"""The periodic report a leader signs, read back from the PDF, the workbook and the Word copy, with
every number checked against counts made here in plain SQL on the database file."""

from __future__ import annotations

import io
import re
import sqlite3
from dataclasses import replace
from datetime import date

import openpyxl
import pdfplumber
import pytest
from docx import Document
from pypdf import PdfReader

from app.reports import annex, data, pdf, word, xlsx
from app.services.errors import NotFound, PermissionDenied, ValidationError
from app.services.numbers import count_text, percent_text
from app.services.period import Period
from tests.helpers import unit_by_code

MM = 72 / 25.4
SIGNED = date(2026, 2, 5)


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(content: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return flat(" ".join(parts))


class Plain:
    """Counts made straight from the file with sqlite3, not through the services."""

    def __init__(self, path) -> None:
        self.conn = sqlite3.connect(path)

    def tree(self, on: date) -> dict[int, int | None]:
        rows = self.conn.execute(
            "SELECT v.unit_id, v.parent_id FROM unit_version v WHERE v.valid_from = (SELECT max(valid_from) FROM "
            "unit_version w WHERE w.unit_id = v.unit_id AND w.valid_from <= ?)", (on.isoformat(),))
        return dict(rows.fetchall())

    def subtree(self, code: str, on: date) -> set[int]:
        parents = self.tree(on)
        root = self.conn.execute("SELECT id FROM unit WHERE code = ?", (code,)).fetchone()[0]
        found = {root}
        while True:
            more = {unit for unit, parent in parents.items() if parent in found} - found
            if not more:
                return found
            found |= more

    def meetings(self, period: Period, units: set[int], kind: str | None = None) -> int:
        marks = ",".join("?" * len(units))
        sql = (f"SELECT count(*) FROM meeting WHERE status = 'held' AND deleted_at IS NULL AND held_on BETWEEN ? AND ? "
               f"AND unit_id IN ({marks})")
        args = [period.start.isoformat(), period.end.isoformat(), *units]
        if kind:
            sql += " AND kind = ?"
            args.append(kind)
        return self.conn.execute(sql, args).fetchone()[0]

    def cases(self, period: Period, units: set[int]) -> int:
        marks = ",".join("?" * len(units))
        return self.conn.execute(
            f"SELECT count(*) FROM case_file WHERE deleted_at IS NULL AND received_on BETWEEN ? AND ? "
            f"AND receiving_unit_id IN ({marks})", [period.start.isoformat(), period.end.isoformat(), *units]).fetchone()[0]

    def copies(self, period: Period, kind: str) -> int:
        return self.conn.execute("SELECT coalesce(sum(quantity), 0) FROM material WHERE deleted_at IS NULL AND kind = ? "
                                 "AND issued_on BETWEEN ? AND ?", (kind, period.start.isoformat(),
                                                                   period.end.isoformat())).fetchone()[0]

    def document_people(self, number: str, end: date) -> tuple[int, int]:
        """Members required to study a document (active in a chi bộ at the end) and those of them who
        attended a held session on it or made it up by then."""
        required = ("SELECT DISTINCT m.person_id FROM membership m JOIN unit u ON u.id = m.unit_id WHERE "
                    "u.kind IN ('chi_bo', 'chi_bo_co_so') AND m.status = 'active' AND m.valid_from <= :end AND "
                    "(m.valid_to IS NULL OR m.valid_to > :end)")
        came = ("SELECT DISTINCT a.person_id FROM attendance a JOIN meeting s ON s.id = a.meeting_id JOIN "
                "meeting_document md ON md.meeting_id = s.id JOIN document d ON d.id = md.document_id WHERE "
                "d.number = :number AND s.status = 'held' AND s.deleted_at IS NULL AND s.held_on <= :end AND "
                "NOT a.is_guest AND (a.presence = 'present' OR a.made_up_on <= :end)")
        args = {"end": end.isoformat(), "number": number}
        wanted = self.conn.execute(f"SELECT count(*) FROM ({required})", args).fetchone()[0]
        both = self.conn.execute(f"SELECT count(*) FROM ({required} INTERSECT {came})", args).fetchone()[0]
        return wanted, both


@pytest.fixture
def plain(db_path):
    return Plain(db_path)


def whole(plain: Plain, on: date) -> set[int]:
    return plain.subtree("BAOTHANG", on)


def test_period_labels_dates_and_bad_periods():
    assert Period.parse("thang", "2026-11").label == "tháng 11 năm 2026"
    assert Period.parse("quy", "2026-4").label == "quý IV năm 2026"
    assert Period.parse("quy", "2026-Q2").end == date(2026, 6, 30)
    assert Period.parse("6thang", "2026").label == "6 tháng đầu năm 2026"
    assert Period.parse("9thang", "2026").following_label() == "quý IV năm 2026"
    assert Period.parse("nam", "2026").following_label() == "năm 2027"
    assert Period.parse("thang", "2026-12").following_label() == "tháng 1 năm 2027"
    assert Period.parse("thang", "2024-02").end == date(2024, 2, 29)
    assert Period.parse("thang", "2024-02").year_before().end == date(2023, 2, 28)
    assert Period.parse("thang", "2026-11").year_to_date() == Period.between(date(2026, 1, 1), date(2026, 11, 30))
    assert Period.parse("nam", "2026").year_to_date() is None
    ranged = Period.parse("khoang", "2026-11-01", end="2026-11-20")
    assert ranged.label == "từ ngày 01/11 đến ngày 20/11/2026" and Period.from_key(ranged.key) == ranged
    with pytest.raises(ValidationError, match="Tháng 13 không tồn tại"):
        Period.parse("thang", "2026-13")
    with pytest.raises(ValidationError, match="Quý 5 không tồn tại"):
        Period.parse("quy", "2026-5")
    with pytest.raises(ValidationError, match=r"Ngày kết thúc \(01/11/2026\) trước ngày bắt đầu"):
        Period.parse("khoang", "2026-11-20", end="2026-11-01")
    with pytest.raises(ValidationError, match="không đọc được"):
        Period.parse("thang", "tháng mười một")


@pytest.fixture
def july(db, leader):
    """July 2024: one document studied across the district."""
    return data.build(db, leader, Period.month(2024, 7), made_on=SIGNED,
                      written=data.Written(situation="Tư tưởng cán bộ, đảng viên ổn định.",
                                           assessment="Các chi bộ triển khai nghiêm túc.",
                                           tasks="Tổ chức học bù cho đảng viên vắng mặt."))


def test_the_numbers_of_the_month_match_plain_counts_in_pdf_xlsx_and_docx(july, plain):
    period = july.period
    units = whole(plain, period.end)
    meetings, study = plain.meetings(period, units), plain.meetings(period, units, "study")
    assert (july.turnout.meetings, july.study.meetings) == (meetings, study) and study > 0
    [document] = july.documents
    required, attended = plain.document_people(document.document.number, period.end)
    assert (document.required, document.attended) == (required, attended)

    text = pdf_text(pdf.render(july))
    sentence = (f"Trong tháng, toàn huyện tổ chức {study} hội nghị học tập, quán triệt {document.title}, với "
                f"{count_text(attended)}/{count_text(required)} đảng viên tham gia, đạt "
                f"{percent_text(100 * attended / required)}")
    assert sentence in text
    assert "I- TÌNH HÌNH TƯ TƯỞNG, DƯ LUẬN XÃ HỘI Tư tưởng cán bộ, đảng viên ổn định." in text
    assert "IV- NHIỆM VỤ TRỌNG TÂM THÁNG 8 NĂM 2024" in text
    assert "Tổ chức học bù cho đảng viên vắng mặt../." not in text and "vắng mặt./." in text

    words = docx_text(word.render(july))
    assert sentence in words and "IV- NHIỆM VỤ TRỌNG TÂM THÁNG 8 NĂM 2024" in words

    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(july)))
    sheet = book["Theo đơn vị"]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "TT")
    ending = next(i for i, row in enumerate(rows) if row[1] == "Tổng cộng")
    body, total = rows[header + 1:ending], rows[ending]
    for row in body:
        code = next(line.code for line in july.units if line.name == row[1])
        if code == "BAOTHANG":   # the district's own sessions
            own = plain.subtree(code, period.end) - set().union(*(plain.subtree(line.code, period.end)
                                                                   for line in july.units[1:]))
            assert row[1] == "Đảng bộ huyện Bảo Thắng (trực tiếp tổ chức)" and own == {1}
            assert row[2] == plain.meetings(period, own)
        else:
            assert row[2] == plain.meetings(period, plain.subtree(code, period.end))
    assert sum(row[2] for row in body) == meetings
    first, last = header + 2, header + 1 + len(body)
    assert total[1] == "Tổng cộng" and total[2] == f"=SUM(C{first}:C{last})"
    assert total[6] == f'=IF(E{last + 1}=0,"",F{last + 1}/E{last + 1})'
    # The PDF's phụ lục shows the same per-unit rows.
    for row in body:
        assert f"{row[1]} {count_text(row[2])} {count_text(row[3])}" in text


def test_the_workbook_has_a_sheet_per_table_with_print_setup_and_formats(july):
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(july)))
    assert book.sheetnames == [t.sheet for t in annex.tables(july)] + ["So sánh"]
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet["A1"].value == "HUYỆN ỦY BẢO THẮNG" and sheet["A2"].font.bold
        assert sheet.print_title_rows
    units = book["Theo đơn vị"]
    assert units.page_setup.orientation == "landscape"
    header = next(row[0].row for row in units.iter_rows() if row[0].value == "TT")
    assert units.cell(header + 1, 3).number_format == "#,##0"
    assert units.cell(header + 1, 7).number_format == xlsx.RATE_FORMAT   # 100%, 0%, 97,50%
    assert "(Kèm theo Báo cáo số" in units["A7"].value


def test_materials_and_cases_of_a_quarter_match_plain_counts(db, leader, plain):
    period = Period.quarter(2026, 1)
    report = data.build(db, leader, period, made_on=date(2026, 4, 6))
    received = plain.cases(period, whole(plain, period.end))
    assert report.cases.received == received > 0
    text = pdf_text(pdf.render(report))
    assert f"tiếp nhận {received} ý kiến phản ánh, kiến nghị (" in text
    channels = "; ".join(f"{line.count} " for line in report.cases.by_channel)
    assert channels
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(report)))
    rows = [row for row in book["Phản ánh theo kênh"].iter_rows(values_only=True) if isinstance(row[0], int)]
    assert sum(row[2] for row in rows) == received
    materials = [row for row in book["Tài liệu, tin bài"].iter_rows(values_only=True) if isinstance(row[0], int)]
    for row in materials:
        if row[1] == "Bản tin":
            assert row[3] == plain.copies(period, "bulletin")


def test_an_empty_period_says_there_was_no_activity(db, leader):
    report = data.build(db, leader, Period.month(2030, 3), made_on=date(2030, 4, 2))
    assert report.quiet
    text = pdf_text(pdf.render(report))
    assert "Trong tháng, không tổ chức hội nghị học tập, quán triệt." in text
    assert "Trong tháng, không tiếp nhận ý kiến phản ánh, kiến nghị nào." in text
    assert "Không có số liệu trong kỳ." in text
    assert "Tổng cộng 0 0 0 0 – 0" in text


def test_a_clerk_reports_only_the_clerk_subtree(db, clerk, leader, plain):
    period = Period.year(2024)
    own = data.build(db, clerk, period, made_on=SIGNED)
    units = plain.subtree("PHONGNIEN", period.end)
    assert own.turnout.meetings == plain.meetings(period, units) < plain.meetings(period, whole(plain, period.end))
    # Issued by the commune's own Đảng ủy, never under the district's name.
    assert (own.office.issuing_body, own.office.issuing_code, own.area_word) == ("ĐẢNG ỦY XÃ PHONG NIÊN", "ĐU", "toàn xã")
    assert {line.code for line in own.units} <= {code for (code,) in plain.conn.execute(
        f"SELECT code FROM unit WHERE id IN ({','.join(map(str, units))})")}
    with pytest.raises(PermissionDenied, match="ngoài phạm vi"):
        data.build(db, clerk, period, unit_id=unit_by_code(db, leader, "GIAPHU").id)
    same = data.build(db, leader, period, unit_id=unit_by_code(db, leader, "PHONGNIEN").id, made_on=SIGNED)
    assert same.turnout == own.turnout and same.office == own.office


def test_each_scope_is_issued_by_the_office_leading_it(db, leader):
    period = Period.month(2026, 10)
    district = data.build(db, leader, period, made_on=date(2026, 11, 5))
    assert (district.office.issuing_body, district.office.issuing_code, district.area_word) == \
        ("BAN TUYÊN GIÁO", "BTGHU", "toàn huyện")
    chi_bo = data.build(db, leader, period, unit_id=unit_by_code(db, leader, "PHONGNIEN-01").id, made_on=date(2026, 11, 5))
    assert chi_bo.office.issuing_body == "ĐẢNG ỦY XÃ PHONG NIÊN" and chi_bo.area_word == f"toàn {chi_bo.scope_name}"
    renamed = data.build(db, leader, period, unit_id=unit_by_code(db, leader, "XUANQUANG").id, made_on=date(2026, 11, 5))
    assert renamed.office.issuing_body == "ĐẢNG ỦY THỊ TRẤN XUÂN QUANG"
    before_rename = data.build(db, leader, Period.month(2019, 10), unit_id=unit_by_code(db, leader, "XUANQUANG").id,
                               made_on=date(2019, 11, 5))
    assert before_rename.office.issuing_body == "ĐẢNG ỦY XÃ XUÂN QUANG" and before_rename.office.term == "2015-2020"
    own_unit = data.build(db, leader, period, unit_id=unit_by_code(db, leader, "CQHU").id, made_on=date(2026, 11, 5))
    assert own_unit.office.issuing_code == "BTGHU"   # a chi bộ directly under the district: the district's office


def test_the_same_input_gives_the_same_bytes(july):
    assert pdf.render(july) == pdf.render(july)


def test_admins_cannot_make_reports_and_a_missing_profile_is_named(db, admin, leader, empty_db):
    with pytest.raises(PermissionDenied):
        data.build(db, admin, Period.month(2024, 7))
    with db.session_scope() as session:
        session.execute(__import__("sqlalchemy").text("UPDATE office_profile SET deleted_at = '2026-01-01'"))
    with pytest.raises(ValidationError, match="Chưa có thông tin cơ quan"):
        data.build(db, leader, Period.month(2024, 7))


def test_an_unknown_unit_is_refused(db, leader):
    with pytest.raises(NotFound):
        data.build(db, leader, Period.month(2024, 7), unit_id=999_999)


# -- the layout, measured in the PDF ----------------------------------------------------------------

@pytest.fixture
def layout(july):
    content = pdf.render(july)
    return content, pdfplumber.open(io.BytesIO(content))


def line_of(page, text: str):
    """The words of one line of text, with their font and size."""
    words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=True, use_text_flow=True)
    for found in words:
        if text in found["text"]:
            return found
    raise AssertionError(f"«{text}» không có trên trang")


def test_page_margins_and_fonts_follow_hd36(layout):
    content, document = layout
    first = document.pages[0]
    assert (round(first.width), round(first.height)) == (595, 842)   # A4 portrait
    body = [w for w in first.extract_words() if w["top"] > 200]
    assert min(w["x0"] for w in body) == pytest.approx(30 * MM, abs=1.5)          # left margin 30 mm
    assert max(w["x1"] for w in body) == pytest.approx(first.width - 15 * MM, abs=1.5)  # right margin 15 mm
    assert max(w["bottom"] for w in first.extract_words()) <= first.height - 20 * MM + 1
    # Every character is set in an embedded Liberation Serif face (ReportLab lists an unused
    # Helvetica in each page's resources; no text uses it).
    used = {char["fontname"] for page in document.pages for char in page.chars}
    assert {name.split("+")[-1] for name in used} == {"LiberationSerif", "LiberationSerif-Bold",
                                                      "LiberationSerif-Italic"}
    reader = PdfReader(io.BytesIO(content))
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "LiberationSerif" in font["/BaseFont"]:
                assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_each_header_element_has_its_size_style_and_side(layout):
    _content, document = layout
    page = document.pages[0]
    middle = page.width / 2
    parent = line_of(page, "HUYỆN ỦY BẢO THẮNG")
    issuing = line_of(page, "BAN TUYÊN GIÁO")
    number = line_of(page, "-BC/BTGHU")
    party = line_of(page, "ĐẢNG CỘNG SẢN VIỆT NAM")
    when = line_of(page, "Bảo Thắng, ngày 05 tháng 02 năm 2026")                   # leading zeros
    for found, size, face, side in ((parent, 14, "LiberationSerif", "left"), (issuing, 14, "Bold", "left"),
                                   (number, 14, "LiberationSerif", "left"), (party, 15, "Bold", "right"),
                                   (when, 14, "Italic", "right")):
        assert found["size"] == pytest.approx(size, abs=0.1)
        assert found["fontname"].endswith(face)
        assert (found["x1"] < middle) if side == "left" else (found["x0"] > middle - 20)
    assert number["text"].strip() == "Số     -BC/BTGHU"                               # a draft: blank number
    rule = [line for line in page.lines if abs(line["top"] - party["bottom"]) < 6]
    assert rule and rule[0]["width"] == pytest.approx(party["x1"] - party["x0"], abs=1)
    title = line_of(page, "BÁO CÁO")
    assert title["fontname"].endswith("Bold") and title["size"] >= 15
    assert abs((title["x0"] + title["x1"]) / 2 - (30 * MM + (page.width - 15 * MM)) / 2) < 2


def test_page_numbers_start_on_page_two_and_the_closing_is_placed(layout):
    _content, document = layout
    first, *rest = document.pages
    assert all(w["top"] > 15 * MM for w in first.extract_words())                   # no number on page 1
    for index, page in enumerate(rest, start=2):
        top = min(page.extract_words(extra_attrs=["size"]), key=lambda w: w["top"])
        assert top["text"] == str(index) and top["size"] == pytest.approx(14)
        assert top["top"] == pytest.approx(10 * MM, abs=3 * MM)
        assert abs((top["x0"] + top["x1"]) / 2 - page.width / 2) < 2
    closing = next(page for page in document.pages if "Nơi nhận" in page.extract_text())
    label = line_of(closing, "Nơi nhận:")
    assert label["x0"] == pytest.approx(30 * MM, abs=1.5) and label["size"] == pytest.approx(14)
    assert any(abs(line["top"] - label["bottom"]) < 4 for line in closing.lines)    # underlined
    item = line_of(closing, "Lưu VT BTGHU.")
    assert item["size"] == pytest.approx(12)
    signer = line_of(closing, "PHÓ TRƯỞNG BAN")
    name = line_of(closing, "Nguyễn Thị Minh")
    assert signer["x0"] > closing.width / 2 - 20 and signer["fontname"].endswith("Bold")
    assert name["top"] - signer["bottom"] > 20 * MM                                  # room to sign and seal
    annex_page = next(page for page in document.pages if "PHỤ LỤC" in page.extract_text())
    assert annex_page is not closing
    assert "(Kèm theo Báo cáo số -BC/BTGHU, ngày 05/02/2026 của Ban Tuyên giáo)" in flat(annex_page.extract_text())


def test_an_issued_number_prints_with_its_leading_zero(july):
    numbered = pdf_text(pdf.render(replace(july, number=7)))
    assert "Số 07-BC/BTGHU" in numbered and "Kèm theo Báo cáo số 07-BC/BTGHU, ngày 05/02/2026" in numbered
    assert re.search(r"Số 07-BC/BTGHU", docx_text(word.render(replace(july, number=7))))


def test_a_unit_named_like_a_formula_stays_a_name_in_the_workbook(db, admin, leader):
    """Names come from people: a commune renamed «=HYPERLINK(…)» is a cell of text, while the workbook's own
    totals stay formulas."""
    from app.services import units

    name = '=HYPERLINK("http://x.example","Phong Niên")'
    units.rename(db, admin, unit_by_code(db, admin, "PHONGNIEN").id, name, date(2024, 1, 1))
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(data.build(db, leader, Period.month(2024, 7)))))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value]
    named = [cell for cell in cells if cell.value == name]
    assert named and all(cell.data_type == "s" for cell in named)
    formulas = [cell.value for cell in cells if cell.data_type == "f"]
    assert formulas and all(value.startswith(("=SUM(", "=IF(", "=B")) for value in formulas)


# ---- rates that add up (issue 21.2) -------------------------------------------------------------

PERIODS = [Period.month(2025, 3), Period.month(2026, 10), Period.quarter(2025, 3), Period.nine_months(2025),
           Period.year(2025), Period.year(2026)]


@pytest.mark.parametrize("who", ["leader", "clerk"])
def test_no_rate_passes_100_percent_and_earlier_make_ups_have_their_own_line(db, request, who):
    actor = request.getfixturevalue(who)
    earlier_lines = 0
    for period in PERIODS:
        report = data.build(db, actor, period, made_on=period.end)
        t = report.turnout
        assert t.attended <= t.expected, (period.label, t.attended, t.expected)
        for line in report.units:
            assert line.attended <= line.expected, (period.label, line.name, line.attended, line.expected)
            if not line.expected:
                assert annex.rate(line.attended, line.expected) is None   # printed as a dash
        for doc in report.documents:
            assert doc.attended <= doc.required or not doc.required, (period.label, doc.title)
        if t.made_up_earlier:
            earlier_lines += 1
            written = pdf_text(pdf.render(report))
            assert f"có thêm {count_text(t.made_up_earlier)} lượt đảng viên học bù cho các hội nghị kỳ trước" \
                in flat(written), period.label
    assert earlier_lines   # the demo has make-ups across a period's end


def test_a_commune_merged_away_has_no_row_after_the_merge(db, leader):
    before = [line.name for line in data.build(db, leader, Period.year(2025)).units]
    after = [line.name for line in data.build(db, leader, Period.year(2026)).units]
    assert "Đảng bộ xã Gia Phú" in before and "Đảng bộ xã Gia Phú" not in after


# ---- sentences an office would write (issue 21.3, 21.4) -------------------------------------------

@pytest.mark.parametrize("who", ["leader", "clerk"])
def test_the_body_follows_the_rules_an_office_clerk_applies(db, request, who):
    import re as regex

    from app.reports import sentences

    actor = request.getfixturevalue(who)
    for period in [*PERIODS, Period.between(date(2026, 9, 15), date(2026, 10, 20))]:
        report = data.build(db, actor, period, made_on=period.end)
        parts = [part for section in sentences.body(report) for part in section.parts if not part.placeholder]
        texts = [part.text for part in parts if not part.subheading]
        whole = " ".join(texts)
        assert not regex.search(r"(giải quyết|phát hành|tiếp nhận|thẩm quyền|tổ chức|xử lý) 0\b", whole), period.label
        assert "100,00%" not in whole and ",00%" not in whole
        for text in texts:   # no sentence begins with a figure
            for sentence in regex.split(r"(?<=\.)\s+", text):
                assert not sentence[:1].isdigit(), (period.label, sentence)
        sorted_line = next((t for t in texts if t.startswith("Qua phân loại")), None)
        if sorted_line:
            assert sum(int(n.replace(".", "")) for n in regex.findall(r" (\d[\d.]*)", sorted_line)) == \
                report.cases.received, sorted_line
        for label, base in (("số hội nghị", report.year_before.meetings), ("lượt đảng viên", report.year_before.attended),
                            ("ý kiến phản ánh", report.year_before.cases)):
            said = next(t for t in texts if t.startswith("So với cùng kỳ") and label in t)
            clause = said[said.index(label):].split(";")[0]
            assert ("%" in clause) == (base >= sentences.PERCENT_BASE and "bằng" not in clause
                                       and "chưa có" not in clause), (period.label, clause, base)
        headings = [i for i, part in enumerate(parts) if part.subheading]
        compared = [i for i, part in enumerate(parts) if part.text.startswith(("Lũy kế", "So với cùng kỳ"))]
        assert all(headings[1] < i < headings[2] or i > headings[3] for i in compared)


def test_rates_under_the_target_are_flagged_in_the_pdf_the_workbook_and_the_word_copy(db, leader):
    report = data.build(db, leader, Period.year(2025))
    target = float(report.turnout.target)
    under = [line for line in report.units if line.expected and 100 * line.attended / line.expected < target]
    assert under   # the demo has units under the 95% target in 2025
    line = under[0]
    flagged = f"{percent_text(100 * line.attended / line.expected)}*"
    assert flagged in pdf_text(pdf.render(report)) and "(*) Dưới chỉ tiêu tham dự 95%." in pdf_text(pdf.render(report))
    assert flagged in docx_text(word.render(report))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.render(report)))["Theo đơn vị"]
    [row] = [row for row in sheet.iter_rows() if row[1].value == line.name]
    assert row[6].font.color.rgb.endswith("B00020")


@pytest.mark.parametrize(("upper", "running"), [
    ("BAN TUYÊN GIÁO", "Ban Tuyên giáo"), ("BAN TUYÊN GIÁO VÀ DÂN VẬN", "Ban Tuyên giáo và Dân vận"),
    ("BAN XÂY DỰNG ĐẢNG", "Ban Xây dựng Đảng"), ("ĐẢNG ỦY XÃ PHONG NIÊN", "Đảng ủy xã Phong Niên"),
    ("ĐẢNG ỦY THỊ TRẤN PHỐ LU", "Đảng ủy thị trấn Phố Lu"), ("BAN TUYÊN GIÁO TỈNH ỦY LÀO CAI", "Ban Tuyên giáo Tỉnh ủy Lào Cai"),
])
def test_a_body_is_named_in_running_text_as_an_office_writes_it(upper, running):
    from app.reports import official

    assert official.body_name(upper) == running


def test_the_word_copy_numbers_every_page_but_the_first_the_phu_luc_included(july):
    document = Document(io.BytesIO(word.render(july)))
    body, appendix = document.sections
    assert body.different_first_page_header_footer and not body.first_page_header.paragraphs[0].text
    assert "PAGE" in body.header._element.xml
    # The phụ lục starts a new page and keeps counting, with its first page numbered.
    assert not appendix.different_first_page_header_footer and appendix.header.is_linked_to_previous


@pytest.mark.parametrize("who", ["leader", "clerk"])
def test_every_copy_of_every_period_carries_its_office_and_no_rate_over_100_percent(db, request, who):
    """The PDF, the Word copy and the workbook of the demo's months, quarter, nine months and years, read back."""
    actor = request.getfixturevalue(who)
    office, other = ("BAN TUYÊN GIÁO", "ĐU") if who == "leader" else ("ĐẢNG ỦY XÃ PHONG NIÊN", "BTGHU")
    rates_read = 0
    for period in PERIODS:
        report = data.build(db, actor, period, made_on=period.end)
        code = report.office.issuing_code
        written, words = pdf_text(pdf.render(report)), docx_text(word.render(report))
        book = openpyxl.load_workbook(io.BytesIO(xlsx.render(report)))
        for text in (written, words):
            assert office in text and f"-BC/{code}" in text and f"/{other}" not in text, period.label
            assert ",00%" not in text, period.label
        document = Document(io.BytesIO(word.render(report)))
        for table in document.tables[1:]:   # the phụ lục's tables: every rate at most 100%
            for cell in (cell for row in table.rows for cell in row.cells):
                if cell.text.rstrip("*").endswith("%"):
                    assert float(cell.text.rstrip("*%").replace(",", ".")) <= 100, (period.label, cell.text)
                    rates_read += 1
        for sheet in book.worksheets:
            assert sheet["A2"].value == office and sheet["A3"].value.endswith(f"-BC/{code}"), (period.label, sheet.title)
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.number_format.endswith("%") and isinstance(cell.value, float | int):
                        assert 0 <= cell.value <= 1, (period.label, sheet.title, cell.coordinate, cell.value)
                        rates_read += 1
    assert rates_read > 50   # the check read the demo's rates, in both the Word tables and the workbooks
