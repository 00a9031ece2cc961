"""The «Tình hình báo cáo» page as a district leader uses it: who has sent October's report, the rates,
the table and letter saved, a received report approved or returned from the register."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from app.services import received
from app.ui.pages import reporting as page_module
from app.ui.pages.reporting import ReportingPage
from app.ui.qt import QMessageBox
from app.ui.widgets.common import Context
from tests.services.test_reporting_cycle import two_communes_reported


@pytest.fixture
def page(qtbot, db, leader, frozen_clock):
    two_communes_reported(db, leader, frozen_clock)
    shown = ReportingPage(Context(db, leader))
    qtbot.addWidget(shown)
    shown.count.setValue(1)
    return shown


def test_the_matrix_shows_octobers_reports_and_the_rates(page):
    assert page.part.value() == 10 and page.year.value() == 2026   # last month: the one being chased
    table = page.matrix_table
    rows = {table.item(row, 0).text(): table.item(row, 1).text() for row in range(table.rowCount())}
    assert rows["Đảng bộ xã Phong Niên"].startswith("Đúng hạn — số 01-BC/ĐU")
    assert rows["Đảng bộ thị trấn Xuân Quang"].startswith("Muộn")
    assert sum(text == "Chưa gửi (quá hạn)" for text in rows.values()) == len(rows) - 2
    assert f"đã gửi 2/{len(rows)} đơn vị" in page.rates.text() and "đúng hạn 1" in page.rates.text()
    assert page.buttons["letter"].isEnabled()


def test_the_table_and_the_letter_are_saved_as_pdf(page, tmp_path):
    assert page.save(tmp_path / "bieu.pdf") and page.save(tmp_path / "bieu.xlsx")
    assert "BIỂU TỔNG HỢP" in PdfReader(tmp_path / "bieu.pdf").pages[0].extract_text()
    assert page.save_letter(tmp_path / "cv.pdf", issue=True)
    assert "V/v đôn đốc gửi báo cáo tháng 10 năm 2026" in " ".join(
        PdfReader(tmp_path / "cv.pdf").pages[0].extract_text().split())


def test_a_leader_approves_one_and_returns_another_with_a_comment(page, db, leader, monkeypatch):
    page.tabs.setCurrentIndex(1)
    numbers = [(row.office_name, row.state) for row in page.received_rows]
    assert sorted(numbers) == [("Đảng bộ thị trấn Xuân Quang", "Chờ duyệt"), ("Đảng bộ xã Phong Niên", "Chờ duyệt")]
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    page.received_table.selectRow(0)
    first = page.received_rows[0]
    assert page._approve()
    said = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, message, *args: said.append(message))
    page.received_table.selectRow(1)
    monkeypatch.setattr(page_module.QInputDialog, "getMultiLineText", lambda *args, **kwargs: ("", True))
    assert not page._ask_return()
    assert "ghi nhận xét" in said[-1]
    monkeypatch.setattr(page_module.QInputDialog, "getMultiLineText",
                        lambda *args, **kwargs: ("Bổ sung số liệu phát thanh", True))
    assert page._ask_return()
    states = {row.id: row.state for row in received.register(db, leader)}
    assert states[first.id].startswith("Đã duyệt ngày 22/11/2026")
    assert any(state.startswith("Trả lại ngày 22/11/2026") and "phát thanh" in state for state in states.values())
    table = page.received_table
    assert {table.item(row, 6).text() for row in range(table.rowCount())} == set(states.values())
    cells = {page.matrix_table.item(row, 0).text(): page.matrix_table.item(row, 1).text()
             for row in range(page.matrix_table.rowCount())}
    assert sum(text.startswith("Bị trả lại") for text in cells.values()) == 1


def test_a_commune_leader_sees_that_nobody_owes_his_office_a_written_report(qtbot, db, clerk):
    """At a commune install (a clerk's office stands in for it here), the chi bộ report in their meetings."""
    shown = ReportingPage(Context(db, clerk))
    qtbot.addWidget(shown)
    assert shown.matrix_table.rowCount() == 0 and "Không có đơn vị cấp dưới nào" in shown.empty.text()
    assert not shown.buttons["pdf"].isEnabled()


def test_what_falls_due_opens_beside_the_window_after_login(qtbot, db, clerk):
    from app.ui.main_window import MainWindow

    window = MainWindow(Context(db, clerk))
    qtbot.addWidget(window)
    window.show()
    window.check_due()
    qtbot.waitUntil(lambda: getattr(window, "due_dialog", None) is not None, timeout=10_000)
    dialog = window.due_dialog
    assert dialog.isVisible() and not dialog.isModal()    # the window stays usable
    shown = dialog.text.text()
    assert "Báo cáo cơ quan phải gửi cấp trên" in shown and "Báo cáo tháng 11 năm 2026 gửi Đảng bộ huyện" in shown
    assert "#b00020" in shown                              # past due: in red
