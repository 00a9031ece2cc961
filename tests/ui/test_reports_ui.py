"""The reports page as a leader uses it: a period, the written parts kept as a draft, every page
previewed, the files saved, the report issued and reprinted from the register."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader

from app.services import report_register
from app.ui.pages import reports as page_module
from app.ui.pages.reports import ReportsPage
from app.ui.qt import QDate, QMessageBox
from app.ui.widgets.common import Context


def choose_july_2024(page: ReportsPage) -> None:
    page.kind.setCurrentIndex(page.kind.findData("thang"))
    page.year.setValue(2024)
    page.part.setValue(7)
    page.made_on.setDate(QDate(2024, 8, 5))


def test_a_leader_drafts_previews_saves_and_issues_the_month(qtbot, db, leader, tmp_path, monkeypatch):
    page = ReportsPage(Context(db, leader))
    qtbot.addWidget(page)
    choose_july_2024(page)
    assert page.part.prefix() == "Tháng " and not page.start.isVisibleTo(page)
    page.texts["situation"].setPlainText("Tư tưởng cán bộ, đảng viên ổn định.")
    page.texts["assessment"].setPlainText("Các chi bộ triển khai nghiêm túc.")
    page.texts["tasks"].setPlainText("Tổ chức học bù.")
    assert page.save_draft()
    assert report_register.draft(db, leader, page.period().key).written["tasks"] == "Tổ chức học bù."
    page.texts["tasks"].setPlainText("Tổ chức học bù trước ngày 15.")   # typed, not saved by hand
    page.part.setValue(8)                                        # the period nudged away: August's own draft
    assert page.texts["tasks"].toPlainText() == ""
    page.part.setValue(7)                                        # and back: what was typed for July is there
    assert page.texts["tasks"].toPlainText() == "Tổ chức học bù trước ngày 15."

    assert page.preview()
    assert page.document.pageCount() >= 3 and page.tabs.currentWidget() is page.viewer_tab
    page.zoom(1)                                                 # zoom in for a closer look at a table
    page.zoom(1)
    assert page.viewer.zoomFactor() == pytest.approx(1.5625)
    page.zoom(0)                                                 # and back to a whole page, as it prints
    assert page.viewer.zoomMode() == page.viewer.ZoomMode.FitInView
    for suffix in ("pdf", "xlsx", "docx"):
        assert page.export(tmp_path / f"bc.{suffix}")
    text = PdfReader(tmp_path / "bc.pdf").pages[0].extract_text()
    assert "kết quả công tác tuyên giáo tháng 7 năm 2024" in text and "-BC/BTGHU" in text

    assert not page.register_empty.isHidden() and not page.reprint_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert page.issue()
    assert page.register_empty.isHidden()
    assert page.register_table.rowCount() == 1 and page.register_table.item(0, 0).text() == "01-BC/BTGHU"
    assert page.reprint(page.issued[0].id, tmp_path / "in-lai.pdf")
    assert (tmp_path / "in-lai.pdf").read_bytes() == page.pdf_bytes
    assert "Số 01-BC/BTGHU" in PdfReader(tmp_path / "in-lai.pdf").pages[0].extract_text()


def test_issuing_without_the_written_parts_is_refused_by_name(qtbot, db, leader, monkeypatch):
    page = ReportsPage(Context(db, leader))
    qtbot.addWidget(page)
    choose_july_2024(page)
    page.texts["situation"].clear()   # drafted from July's public opinion: emptied by the leader
    shown = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr("app.ui.pages.reports.show_error", lambda _parent, message: shown.append(message))
    assert not page.issue()
    assert "I- Tình hình tư tưởng" in shown[0] and "IV- Nhiệm vụ trọng tâm" in shown[0]
    assert report_register.register(db, leader) == []


def test_a_clerk_sees_only_the_own_subtree_and_cannot_issue(qtbot, db, clerk):
    page = ReportsPage(Context(db, clerk))
    qtbot.addWidget(page)
    assert page.scope.itemText(0).strip() == "Đảng bộ xã Phong Niên"
    assert not page.buttons["issue"].isVisibleTo(page)
    page.kind.setCurrentIndex(page.kind.findData("nam"))
    page.year.setValue(2024)
    assert not page.part.isVisibleTo(page)
    assert page.preview()
    assert page.report.area_word == "toàn xã" and page.report.period.end == date(2024, 12, 31)
    assert page.report.office.issuing_body == "ĐẢNG ỦY XÃ PHONG NIÊN"   # the commune issues its own report


def test_printing_sends_every_previewed_page_to_the_printer(qtbot, db, leader, tmp_path):
    from app.ui import qt
    from app.ui.pages.reports import print_pages

    page = ReportsPage(Context(db, leader))
    qtbot.addWidget(page)
    choose_july_2024(page)
    assert page.preview()
    printer = qt.QPrinter(qt.QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(qt.QPrinter.OutputFormat.PdfFormat)   # a printer that writes a file, for the test
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    print_pages(page.document, printer)
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == page.document.pageCount() >= 3


def test_a_range_ending_before_it_starts_is_named_before_any_file_is_asked(qtbot, db, leader, monkeypatch):
    page = ReportsPage(Context(db, leader))
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("khoang"))
    page.start.setDate(QDate(2026, 11, 20))
    page.end.setDate(QDate(2026, 11, 1))
    shown, asked = [], []
    monkeypatch.setattr("app.ui.pages.reports.show_error", lambda _parent, message: shown.append(message))
    monkeypatch.setattr("app.ui.pages.reports.QFileDialog.getSaveFileName", lambda *a, **k: asked.append(1) or ("", ""))
    page._ask_where_to_save("pdf")
    assert shown == ["Ngày kết thúc (01/11/2026) trước ngày bắt đầu (20/11/2026)."] and not asked
    assert not page.preview() and len(shown) == 2


def test_what_is_typed_is_kept_a_moment_later_and_at_logout(qtbot, db, leader):
    from app.ui.main_window import MainWindow

    window = MainWindow(Context(db, leader))
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("Báo cáo định kỳ")
    choose_july_2024(page)
    key = page.period().key
    page.texts["situation"].setPlainText("Nhân dân phấn khởi.")
    qtbot.waitUntil(lambda: report_register.draft(db, leader, key).written.get("situation") == "Nhân dân phấn khởi.",
                    timeout=5000)                                  # kept after a pause, no button pressed
    page.texts["assessment"].setPlainText("Triển khai kịp thời.")
    window.logout()                                                # at once: no pause before the window closes
    assert report_register.draft(db, leader, key).written["assessment"] == "Triển khai kịp thời."


def test_a_chosen_range_keeps_its_own_draft(qtbot, db, leader):
    page = ReportsPage(Context(db, leader))
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("khoang"))
    page.start.setDate(QDate(2024, 3, 1))
    page.end.setDate(QDate(2024, 3, 31))
    page.texts["tasks"].setPlainText("Học bù tháng Ba.")
    page.keep_draft()
    key = page.period().key
    assert "2024-03-01" in key and report_register.draft(db, leader, key).written["tasks"] == "Học bù tháng Ba."


def test_issuing_right_after_typing_is_not_refused_by_the_pages_own_autosave(qtbot, db, leader, monkeypatch):
    page = ReportsPage(Context(db, leader))
    qtbot.addWidget(page)
    choose_july_2024(page)
    page._autosave.setInterval(1)   # the quiet autosave falls due while the report is being built
    for name, text in (("situation", "Ổn định."), ("assessment", "Nghiêm túc."), ("tasks", "Học bù.")):
        page.texts[name].setPlainText(text)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert page.issue()
    qtbot.wait(20)
    page.texts["tasks"].setPlainText("Học bù trong tháng Tám.")
    assert page.issue()   # a correction, typed and issued at once
    assert page.register_table.item(0, 0).text() == "02-BC/BTGHU"
    assert report_register.draft(db, leader, page.period().key).written["tasks"] == "Học bù trong tháng Tám."


def test_issuing_a_period_again_asks_for_a_correction_and_a_reopened_period_says_why(qtbot, db, leader,
                                                                                      monkeypatch):
    page = ReportsPage(Context(db, leader))
    qtbot.addWidget(page)
    choose_july_2024(page)
    for name, text in (("situation", "Ổn định."), ("assessment", "Nghiêm túc."), ("tasks", "Học bù.")):
        page.texts[name].setPlainText(text)
    asked = []

    def answer(_parent, title, text, *args, **kwargs):
        asked.append((title, text))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    assert page.issue()
    assert page.register_table.item(0, 4).text() == "đang khóa kỳ 01/07/2024–31/07/2024"
    asked.clear()
    assert page.issue()   # the same July again: asked whether it is a correction, naming what it replaces
    assert asked[-1][0] == "Báo cáo sửa đổi" and "thay thế báo cáo số 01-BC/BTGHU" in asked[-1][1]
    assert page.register_table.item(0, 0).text() == "02-BC/BTGHU"
    assert "(thay thế báo cáo số 01-BC/BTGHU)" in page.register_table.item(0, 2).text()
    assert page.register_table.item(1, 4).text() == "đã có báo cáo sửa đổi thay thế"

    page.register_table.selectRow(0)
    monkeypatch.setattr(page_module.QInputDialog, "getText",
                        lambda *a, **k: ("Bổ sung buổi sinh hoạt chi bộ nhập thiếu", True))
    assert page._ask_reopen()
    assert page.register_table.item(0, 4).text().startswith("kỳ đã mở lại (Bổ sung buổi sinh hoạt chi bộ nhập thiếu)")
    errors = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a, **k: errors.append(text))
    for reason, refusal in (("", "Hãy ghi lý do mở lại kỳ báo cáo"), ("Lần nữa", "đã được mở lại rồi")):
        monkeypatch.setattr(page_module.QInputDialog, "getText", lambda *a, reason=reason, **k: (reason, True))
        assert not page._ask_reopen()
        assert refusal in errors[-1]
