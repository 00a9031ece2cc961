"""«Sơ kết, tổng kết…» on the documents page: a leader writes the assessment, keeps it as the draft of that day
and scope, and saves the PDF, Word and workbook copies carrying it."""

from __future__ import annotations

from datetime import date

import openpyxl
from docx import Document
from pypdf import PdfReader

from app.reports.directive import draft_key
from app.services import report_register
from app.ui.pages.documents import DocumentsPage
from app.ui.qt import QDate
from app.ui.widgets.common import Context


def test_a_leader_writes_the_assessment_and_saves_every_copy(qtbot, db, leader, tmp_path, monkeypatch):
    page = DocumentsPage(Context(db, leader))
    qtbot.addWidget(page)
    page.search.setText("54-KL/TW")
    page.refresh()
    page.table.selectRow(next(row for row in range(page.model.rowCount())
                              if page.model.row_at(row).number == "54-KL/TW"))
    dialog = page.show_review()
    qtbot.addWidget(dialog)
    dialog.end.setDate(QDate(2026, 10, 31))
    dialog.made_on.setDate(QDate(2026, 11, 5))
    assert "Chưa có bản nháp" in dialog.status.text()
    dialog.texts["assessment"].setPlainText("Các cấp ủy quan tâm lãnh đạo, chỉ đạo.")
    dialog.texts["tasks"].setPlainText("Tiếp tục tổ chức tiếp nhận phản ánh của Nhân dân.")
    assert dialog.save_draft()
    kept = report_register.draft(db, leader, draft_key(dialog.document_id, date(2026, 10, 31)), "")
    assert kept.written["assessment"] == "Các cấp ủy quan tâm lãnh đạo, chỉ đạo."
    for suffix in ("pdf", "docx", "xlsx"):
        assert dialog.export(tmp_path / f"so-ket.{suffix}")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "so-ket.pdf").pages)
    assert "Sơ kết 3 năm thực hiện Kết luận số 54-KL/TW" in text and "Các cấp ủy quan tâm lãnh đạo, chỉ đạo." in text
    words = " ".join(p.text for p in Document(tmp_path / "so-ket.docx").paragraphs)
    assert "Tiếp tục tổ chức tiếp nhận phản ánh của Nhân dân" in words
    book = openpyxl.load_workbook(tmp_path / "so-ket.xlsx")
    assert book.sheetnames == ["Theo năm", "Theo đơn vị", "Theo biểu hiện"]
    dialog.end.setDate(QDate(2023, 1, 1))            # before the document: refused by name, nothing saved
    shown = []
    monkeypatch.setattr("app.ui.dialogs.directive_report.show_error", lambda _parent, message: shown.append(message))
    assert not dialog.export(tmp_path / "som.pdf")
    assert "trước ngày ban hành 54-KL/TW" in shown[0] and not (tmp_path / "som.pdf").exists()


def test_text_typed_for_one_day_is_kept_when_another_day_or_the_window_is_left(qtbot, db, clerk):
    from app.services import documents

    doc = next(row.id for row in documents.search(db, clerk, "54-KL/TW") if row.number == "54-KL/TW")
    page = DocumentsPage(Context(db, clerk))
    qtbot.addWidget(page)
    from app.ui.dialogs.directive_report import DirectiveReportDialog

    dialog = DirectiveReportDialog(Context(db, clerk), doc, page)
    qtbot.addWidget(dialog)
    dialog.end.setDate(QDate(2026, 9, 30))
    dialog.texts["assessment"].setPlainText("Ưu điểm: các chi bộ tổ chức nghiêm túc.")
    dialog.end.setDate(QDate(2026, 10, 31))            # another day: its own draft, the typing kept for 30/9
    assert dialog.texts["assessment"].toPlainText() == ""
    dialog.end.setDate(QDate(2026, 9, 30))
    assert dialog.texts["assessment"].toPlainText() == "Ưu điểm: các chi bộ tổ chức nghiêm túc."
    dialog.texts["tasks"].setPlainText("Học bù cho đảng viên vắng.")
    dialog.reject()                                    # closed: kept too
    key = draft_key(doc, date(2026, 9, 30))
    assert report_register.draft(db, clerk, key, "PHONGNIEN").written["tasks"] == "Học bù cho đảng viên vắng."
