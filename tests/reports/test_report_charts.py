"""The overview's charts on paper: in the phụ lục of the PDF and on a sheet of the workbook when asked
for, with the figures the overview draws; the report's body the same with or without them."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from pypdf import PdfReader

from app.reports import charts, data, pdf, xlsx
from app.services import overview
from app.services.documents import coverage
from app.services.headline import HEADLINE_LABELS
from app.services.numbers import percent_text
from app.services.period import Period

APRIL = Period.month(2026, 4)
SIGNED = date(2026, 5, 5)


def pages(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def test_the_charts_go_in_the_appendix_and_leave_the_body_alone(db, leader):
    plain = data.build(db, leader, APRIL, made_on=SIGNED)
    charted = data.build(db, leader, APRIL, made_on=SIGNED, with_charts=True)
    months, target = overview.attendance_by_month(db, leader, APRIL)
    assert list(charted.months) == months and charted.months_target == target
    without, with_charts = pages(pdf.render(plain)), pages(pdf.render(charted))
    body = next(index for index, text in enumerate(without) if text.startswith("PHỤ LỤC") or " PHỤ LỤC " in text)
    assert with_charts[:body] == without[:body]   # the official body is not touched
    assert "Biểu đồ" not in " ".join(without)
    appendix = " ".join(with_charts[body:])
    assert "Biểu đồ 1. Tỷ lệ đảng viên tham dự theo tháng (lượt)" in appendix
    assert "Biểu đồ 2. Hội nghị, buổi sinh hoạt trong kỳ theo loại" in appendix
    assert "Biểu đồ 3. Tăng (+), giảm (−) so với cùng kỳ năm 2025 (%)" in appendix
    before, now = charted.year_before.meetings, charted.current.meetings
    assert f"{round(100 * (now - before) / before):+d}%" in appendix
    assert f"Chỉ tiêu {percent_text(float(target), 0)}" in appendix
    assert percent_text(months[-1].rate, 1) in appendix and "5/25" in appendix and "4/26" in appendix
    for line in charted.forms:
        if line.meetings:
            assert line.kind.label in appendix


def test_the_workbook_has_a_charts_sheet_over_the_same_figures(db, leader):
    charted = data.build(db, leader, APRIL, made_on=SIGNED, with_charts=True)
    book = openpyxl.load_workbook(io.BytesIO(xlsx.render(charted)))
    assert "Biểu đồ" not in openpyxl.load_workbook(io.BytesIO(xlsx.render(data.build(
        db, leader, APRIL, made_on=SIGNED)))).sheetnames
    sheet = book["Biểu đồ"]
    rows = [row for row in sheet.iter_rows(values_only=True) if row[0] and "/" in str(row[0]) and row[2]]
    assert [row[0] for row in rows] == [f"{m.period.start.month}/{m.period.start.year % 100:02d}"
                                        for m in charted.months]
    assert [row[1] for row in rows] == [m.rate / 100 if m.rate is not None else None for m in charted.months]
    assert len(sheet._charts) == 3   # the months, the kinds, against last year
    changes = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0] in HEADLINE_LABELS.values()}
    before, now = charted.year_before.meetings, charted.current.meetings
    assert changes[HEADLINE_LABELS["meetings"]] == round(100 * (now - before) / before) / 100


def test_a_tracked_document_by_commune_and_cases_by_sign_group_when_the_period_has_them(db, leader):
    quarter = Period.quarter(2024, 4)   # Chỉ thị 35-CT/TW due 31/10/2024; cases with signs in November
    charted = data.build(db, leader, quarter, made_on=date(2025, 1, 5), with_charts=True)
    assert charts.titles(charted)[3:] == ["Chỉ thị số 35-CT/TW: tỷ lệ chi bộ đã tổ chức quán triệt, theo đảng bộ (%)",
                                          "Phản ánh, kiến nghị trong kỳ theo nhóm biểu hiện"]
    appendix = " ".join(pages(pdf.render(charted)))
    assert "Biểu đồ 4. Chỉ thị số 35-CT/TW" in appendix and "Biểu đồ 5. Phản ánh, kiến nghị" in appendix
    cover = next(c for c in charted.outreach.coverage if c.document.number == "35-CT/TW")
    parents = coverage.by_parent(cover.lines)
    assert len(parents) > 1 and sum(total for _n, _d, total in parents) == len(cover.lines)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.render(charted)))["Biểu đồ"]
    shares = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row[0] in {p[0] for p in parents}}
    assert shares == {name: round(100 * done / total) / 100 for name, done, total in parents}
    signs = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)
             if row[0] in {line.name for line in charted.cases.by_sign_group}}
    assert signs == {line.name: line.count for line in charted.cases.by_sign_group} and any(signs.values())
    assert len(sheet._charts) == 5
