"""The công văn đôn đốc from the coverage view: addressed to the units not yet done, in the official
layout with its trích yếu under the number."""

from __future__ import annotations

import io
from datetime import date

import pdfplumber
import pytest

from app.reports import reminder
from app.services import documents, profile
from app.services.documents import coverage

AS_OF = date(2024, 1, 31)


@pytest.fixture
def cover(db, leader):
    plan = documents.search(db, leader, "118-KH/HU")[0]
    return coverage.for_document(db, leader, plan.id, as_of=AS_OF)


def test_the_letter_names_each_late_unit_and_the_document(db, cover):
    late = [line for line in cover.lines if line.state in (coverage.OVERDUE, coverage.NOT_YET)]
    assert late
    content = reminder.render(cover, profile.in_force(db, date(2024, 2, 5)), date(2024, 2, 5))
    with pdfplumber.open(io.BytesIO(content)) as document:
        page = document.pages[0]
        text = " ".join(page.extract_text().split())
        assert "Số -CV/BTGHU" in text and "Kính gửi:" in text
        for line in late:   # each late chi bộ under its commune's Party committee, never bare
            assert f"- {reminder.addressee(line)}: " in text and line.unit_name in text
        committees = {reminder.addressee(line) for line in late}
        assert any(name.startswith("Đảng ủy xã ") for name in committees)
        assert "Kính gửi: - " + sorted(committees, key=list(reminder.by_addressee(late)).index)[0] in text
        assert "báo cáo kết quả về Ban Tuyên giáo trước ngày 15/02/2024" in text
        assert "Tính đến ngày 31/01/2024, " + cover.sentence()[:1].lower() in text
        assert text.rstrip().endswith("Nguyễn Thị Minh") and "./." in text
        words = page.extract_words(extra_attrs=["size"])
        number = next(w for w in words if w["text"] == "-CV/BTGHU")
        trich_yeu = next(w for w in words if w["text"] == "V/v")
        assert trich_yeu["top"] > number["bottom"] and trich_yeu["x1"] < page.width / 2   # under the number
        assert trich_yeu["size"] == pytest.approx(12)
        assert "- Như trên," in text and "- Lưu VT BTGHU." in text


def test_a_long_list_of_late_units_goes_on_its_own_page(db, cover, monkeypatch):
    monkeypatch.setattr(reminder, "LISTED_AT_MOST", 1)
    content = reminder.render(cover, profile.in_force(db, date(2024, 2, 5)), date(2024, 2, 5))
    with pdfplumber.open(io.BytesIO(content)) as document:
        first, listing = (" ".join(p.extract_text().split()) for p in document.pages[:2])
        rows = [[" ".join((cell or "").split()) for cell in row] for row in document.pages[1].extract_table()]
    assert "Kính gửi: Các đảng ủy, chi bộ có tên trong danh sách kèm theo" in first
    assert "DANH SÁCH CÁC ĐƠN VỊ CHƯA TỔ CHỨC HỌC TẬP, QUÁN TRIỆT" in listing
    assert [row[1] for row in rows[1:]] == [line.unit_name for line in reminder.late_lines(cover)]


def test_a_sheet_as_of_a_past_day_is_dated_that_day_unless_a_date_is_given(db, leader):
    from app.reports import coverage as sheet_report
    from app.services.errors import ValidationError

    plan = documents.search(db, leader, "118-KH/HU")[0]
    assert sheet_report.build(db, leader, plan.id, as_of=AS_OF).made_on == AS_OF
    assert sheet_report.build(db, leader, plan.id, as_of=AS_OF, made_on=date(2024, 2, 5)).made_on == date(2024, 2, 5)
    with pytest.raises(ValidationError, match=r"Ngày ghi trên văn bản \(30/01/2024\) trước ngày tính đến"):
        sheet_report.build(db, leader, plan.id, as_of=AS_OF, made_on=date(2024, 1, 30))


def test_a_report_dated_before_its_period_is_refused(db, leader):
    from app.reports import data
    from app.services.errors import ValidationError
    from app.services.period import Period

    period = Period.between(date(2026, 9, 15), date(2026, 10, 20))
    with pytest.raises(ValidationError, match=r"Ngày báo cáo \(03/02/2026\) trước ngày bắt đầu kỳ báo cáo "
                                              r"\(15/09/2026\)"):
        data.build(db, leader, period, made_on=date(2026, 2, 3))
    assert data.build(db, leader, period, made_on=date(2026, 9, 15)).made_on == date(2026, 9, 15)
