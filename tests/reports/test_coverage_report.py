"""The printed and exported coverage of a document, read back as a leader would check it."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from pypdf import PdfReader

from app.reports import coverage as report
from app.services import documents
from app.services.documents import coverage
from app.services.numbers import percent_text

AS_OF = date(2024, 1, 31)


@pytest.fixture
def sheet(db, admin):
    plan = documents.search(db, admin, "118-KH/HU")[0]
    return report.build(db, admin, plan.id, as_of=AS_OF, made_on=date(2024, 2, 5))


def test_the_printed_sheet_names_every_unit_its_state_and_the_total(sheet, tmp_path):
    path = tmp_path / "bieu.pdf"
    report.render_pdf(sheet, path)
    reader = PdfReader(path)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "BIỂU TÌNH HÌNH HỌC TẬP, QUÁN TRIỆT" in text
    assert "Bảo Thắng, ngày 05 tháng 02 năm 2024" in text                      # HD 36: leading zero in February
    assert "Kế hoạch số 118-KH/HU, ngày 20/9/2023 của Ban Thường vụ Huyện ủy" in text
    assert "(Tính đến ngày 31/01/2024; thời hạn 30/11/2023;" in text
    assert sheet.cover.sentence() in text
    lines = sheet.cover.lines
    for line in lines:
        assert line.unit_name in text and line.parent_name in text
    overdue = sum(line.state == coverage.OVERDUE for line in lines)
    assert overdue and text.count("Quá hạn, chưa tổ chức") == overdue
    attended, required = sum(line.attended for line in lines), sum(line.required for line in lines)
    assert f"Tổng cộng {sheet.cover.done}/{len(lines)} đã tổ chức" in text
    assert f"{attended}/{required} {percent_text(100 * attended / required)}" in text
    assert reader.metadata.title == "Tình hình thực hiện 118-KH/HU"


def test_the_workbook_has_one_row_per_unit_with_numbers_and_dates_and_a_summing_total(sheet, tmp_path):
    path = tmp_path / "bieu.xlsx"
    report.render_xlsx(sheet, path)
    ws = openpyxl.load_workbook(path).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows.index(next(row for row in rows if row and row[0] == "STT"))
    body, total = rows[header + 1:-1], rows[-1]
    lines = sheet.cover.lines
    assert [(row[1], row[2], row[3], row[4]) for row in body] == [
        (line.unit_name, line.unit_code, line.parent_name, coverage.STATE_LABELS[line.state]) for line in lines]
    done = next(i for i, line in enumerate(lines) if line.done and line.required)
    assert body[done][5].date() == lines[done].first_held_on
    assert (body[done][7], body[done][8], body[done][9]) == (lines[done].meetings, lines[done].attended,
                                                        lines[done].required)
    assert body[done][10] == pytest.approx(lines[done].rate / 100)
    first, last = header + 2, header + 1 + len(lines)
    assert total[1] == "Tổng cộng" and total[8] == f"=SUM(I{first}:I{last})"
    assert rows[header - 2][0] == sheet.cover.sentence()
    # The official title block, and ready to print: A4 landscape, one page wide, column titles repeated.
    assert (ws["A1"].value, ws["A2"].value, ws["G1"].value) == ("HUYỆN ỦY BẢO THẮNG", "BAN TUYÊN GIÁO",
                                                                 "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert ws["G2"].value == "Bảo Thắng, ngày 05 tháng 02 năm 2024"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9   # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == f"{header + 1}:{header + 1}"


def test_the_sheets_header_is_at_the_rules_sizes(sheet, tmp_path):
    import pdfplumber

    path = tmp_path / "bieu.pdf"
    report.render_pdf(sheet, path)
    with pdfplumber.open(path) as document:
        words = document.pages[0].extract_words(extra_attrs=["size", "fontname"])
    size = {word["text"]: round(word["size"], 1) for word in words if word["top"] < 100}
    assert size["HUYỆN"] == 14 and size["TUYÊN"] == 14 and size["CỘNG"] == 15 and size["Bảo"] == 14
