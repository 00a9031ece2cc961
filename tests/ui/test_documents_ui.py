"""The documents page and the implementation view as an office uses them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from pypdf import PdfReader

from app.models.enums import DocumentKind
from app.services import documents
from app.services.documents import coverage
from app.services.outreach import materials
from app.ui.dialogs.document import DocumentDialog
from app.ui.pages.documents import DocumentsPage
from app.ui.qt import QPushButton, Qt
from app.ui.widgets.common import Context, to_qdate


def page_rows(page):
    return [page.model.row_at(i) for i in range(page.model.rowCount())]


@pytest.mark.parametrize("sort_column", [0, 2, 5, 7])
def test_the_documents_model_keeps_qts_contract(qtmodeltester, db, admin, sort_column):
    page = DocumentsPage(Context(db, admin))
    page.model.page_size = 5
    page.model.sort(sort_column, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(page.model, force_py=True)


def test_the_office_finds_a_plan_without_marks_and_sees_who_has_not_disseminated_it(qtbot, db, admin):
    page = DocumentsPage(Context(db, admin))
    qtbot.addWidget(page)
    page.search.setText("trien khai thuc hien ket luan")
    qtbot.waitUntil(lambda: {"234-KH/TU", "118-KH/HU"} <= {row.number for row in page_rows(page)}, timeout=2000)
    page.search.clear()
    page.tracked_only.setChecked(True)
    qtbot.waitUntil(lambda: {row.number for row in page_rows(page)} == {"118-KH/HU", "35-CT/TW", "57-NQ/TW"},
                    timeout=2000)
    qtbot.waitUntil(lambda: page.totals.text() == "<b>3</b> văn bản", timeout=2000)
    page.table.selectRow(next(i for i, row in enumerate(page_rows(page)) if row.number == "118-KH/HU"))
    dialog = page.show_coverage()
    qtbot.addWidget(dialog)
    lines = [dialog.model.row_at(i) for i in range(dialog.model.rowCount())]
    cover = dialog.cover
    required = page.model.index(page.table.currentIndex().row(), 6)   # «Phải thực hiện», read off the GUI thread
    qtbot.waitUntil(lambda: page.model.data(required) != "…", timeout=2000)
    assert page.model.data(required) == str(len(lines))
    assert dialog.sentence.text().startswith(cover.sentence())
    assert f"quá hạn chưa tổ chức: {cover.count(coverage.OVERDUE)}" in dialog.sentence.text()
    overdue = next(i for i, line in enumerate(lines) if line.state == coverage.OVERDUE)
    assert dialog.model.data(dialog.model.index(overdue, 2)) == "Quá hạn, chưa tổ chức"


def test_a_search_that_finds_nothing_says_what_to_do(qtbot, db, clerk):
    page = DocumentsPage(Context(db, clerk))
    qtbot.addWidget(page)
    page.search.setText("khong co van ban nao nhu the")
    page.refresh()
    assert page.table.isHidden() and "Vào sổ văn bản" in page.empty_label.text()


def _enter(dialog, number: str, issuer: str, day: date, summary: str) -> None:
    dialog.number.setText(number)
    dialog.issuer.setText(issuer)
    dialog.issued_on.setDate(to_qdate(day))
    dialog.summary.setPlainText(summary)


def test_a_clerk_enters_a_plan_implementing_a_conclusion_and_sets_who_must_study_it(qtbot, db, clerk, tmp_path):
    context = Context(db, clerk)
    conclusion = DocumentDialog(context)
    qtbot.addWidget(conclusion)
    _enter(conclusion, "61-KL/TW", "Ban Bí thư", date(2024, 3, 1), "Về tăng cường công tác dân vận")
    assert conclusion.kind.currentData() == DocumentKind.KL          # the number names its kind
    assert conclusion.save()

    plan = DocumentDialog(context)
    qtbot.addWidget(plan)
    _enter(plan, "15-KH/ĐU", "Đảng ủy xã Phong Niên", date(2024, 4, 2), "Thực hiện Kết luận 61-KL/TW")
    plan.implements.combo.setCurrentIndex(plan.implements.combo.findData(conclusion.saved_id))
    plan.implements.add_button.click()
    text = tmp_path / "15-KH.pdf"
    text.write_bytes(b"%PDF-1.4 plan")
    assert plan.attach(text)
    plan.deadline.setDate(to_qdate(date(2024, 3, 20)))                # before the plan itself: refused
    assert not plan.save()
    assert plan.tabs.currentIndex() == 1
    assert "trước ngày ban hành 02/04/2024" in plan.tracking_form.error_text("deadline")
    plan.deadline.setDate(to_qdate(date(2024, 5, 31)))
    plan.target.setText("92,5")
    plan.required_units.set_ids([])
    next(button for button in plan.required_units.findChildren(QPushButton) if button.text() == "Mọi chi bộ").click()
    chi_bo = plan.required_units.ids()
    assert chi_bo and "Đã chọn" in plan.required_units.summary.text()
    assert plan.save()

    saved = documents.get(db, clerk, plan.saved_id)
    assert saved.data.implements_ids == [conclusion.saved_id]
    assert (saved.data.deadline, saved.data.target) == (date(2024, 5, 31), Decimal("92.50"))
    assert sorted(saved.data.required_unit_ids) == sorted(chi_bo)
    assert saved.data.file_name == "15-KH.pdf" and saved.file_size == len(b"%PDF-1.4 plan")

    page = DocumentsPage(context)
    qtbot.addWidget(page)
    page.search.setText("15-KH")
    qtbot.waitUntil(lambda: [row.number for row in page_rows(page)] == ["15-KH/ĐU"], timeout=2000)
    page.table.selectRow(0)
    opened = page.open_selected()
    qtbot.addWidget(opened)
    chain = opened.chain.topLevelItem(0)
    assert chain.text(0) == "Kết luận 61-KL/TW" and chain.child(0).text(0) == "Kế hoạch 15-KH/ĐU"
    assert chain.child(0).font(0).bold() and not chain.font(0).bold()
    assert opened.target.text() == "92,5"
    assert opened.tabs.tabText(3) == "Hội nghị đã phổ biến (0)"

    back = DocumentDialog(context, document_id=conclusion.saved_id)    # the conclusion cannot implement its plan
    qtbot.addWidget(back)
    back.implements.add(plan.saved_id)
    assert not back.save()
    assert back.form.error_text("implements_ids") == ("Văn bản thực hiện: 15-KH/ĐU ban hành ngày 02/04/2024, "
                                                     "sau văn bản này.")


def test_a_leader_reads_a_document_without_changing_it(qtbot, db, leader):
    found = documents.search(db, leader, "234-KH")[0]
    dialog = DocumentDialog(Context(db, leader), document_id=found.id)
    qtbot.addWidget(dialog)
    assert dialog.save_button.isHidden() and dialog.number.isReadOnly()
    shown = [dialog.sessions.row_at(i) for i in range(dialog.sessions.rowCount())]
    assert shown and all("234-KH/TU" in row.documents for row in shown)
    assert dialog.tabs.tabText(3) == f"Hội nghị đã phổ biến ({len(shown)})"
    assert dialog.materials.rowCount() == len(materials.for_document(db, leader, found.id))


def test_the_coverage_view_prints_and_exports_what_it_shows(qtbot, db, admin, tmp_path):
    plan = documents.search(db, admin, "118-KH/HU")[0]
    dialog = DocumentDialog(Context(db, admin), document_id=plan.id).show_coverage()
    qtbot.addWidget(dialog)
    dialog.as_of.setDate(to_qdate(date(2023, 11, 30)))
    assert dialog.export(tmp_path / "bieu.pdf") and dialog.export(tmp_path / "bieu.xlsx")
    assert dialog.saved.text() == f"Đã lưu: {tmp_path / 'bieu.xlsx'}"
    text = " ".join(PdfReader(tmp_path / "bieu.pdf").pages[0].extract_text().split())
    assert "Tính đến ngày 30/11/2023" in text and dialog.cover.sentence() in text
    shown = [dialog.model.row_at(i).unit_name for i in range(dialog.model.rowCount())]
    exported = [row[1] for row in openpyxl.load_workbook(tmp_path / "bieu.xlsx").active.iter_rows(values_only=True)]
    assert exported[exported.index("Đơn vị") + 1:-1] == shown



def test_the_coverage_view_writes_the_reminder_letter_to_the_late_units(qtbot, db, admin, tmp_path):
    from app.reports import reminder

    plan = documents.search(db, admin, "118-KH/HU")[0]
    dialog = DocumentDialog(Context(db, admin), document_id=plan.id).show_coverage()
    qtbot.addWidget(dialog)
    dialog.as_of.setDate(to_qdate(date(2024, 1, 31)))
    assert dialog.save_reminder(tmp_path / "cv.pdf")
    text = " ".join(PdfReader(tmp_path / "cv.pdf").pages[0].extract_text().split())
    late = reminder.late_lines(dialog.cover)
    assert late and all(line.unit_name in text for line in late)
    assert "V/v đôn đốc học tập, quán triệt Kế hoạch số 118-KH/HU" in text

def test_the_letter_is_dated_the_day_counted_to_until_the_clerk_sets_the_date(qtbot, db, admin, tmp_path):
    plan = documents.search(db, admin, "118-KH/HU")[0]
    dialog = DocumentDialog(Context(db, admin), document_id=plan.id).show_coverage()
    qtbot.addWidget(dialog)
    dialog.as_of.setDate(to_qdate(date(2024, 1, 31)))
    assert dialog.made_on.date() == to_qdate(date(2024, 1, 31))
    assert dialog.save_reminder(tmp_path / "cv.pdf")
    assert "ngày 31 tháng 01 năm 2024" in " ".join(PdfReader(tmp_path / "cv.pdf").pages[0].extract_text().split())
    dialog.made_on.setDate(to_qdate(date(2024, 2, 5)))
    dialog.made_on.editingFinished.emit()   # the clerk typed it
    dialog.as_of.setDate(to_qdate(date(2024, 1, 20)))
    assert dialog.made_on.date() == to_qdate(date(2024, 2, 5))
    assert dialog.save_reminder(tmp_path / "cv2.pdf")
    assert "ngày 05 tháng 02 năm 2024" in " ".join(PdfReader(tmp_path / "cv2.pdf").pages[0].extract_text().split())


def test_a_leader_issues_the_letter_numbered_in_the_cv_register(qtbot, db, leader, admin, tmp_path):
    from app.services import report_register

    plan = documents.search(db, leader, "118-KH/HU")[0]
    dialog = DocumentDialog(Context(db, leader), document_id=plan.id).show_coverage()
    qtbot.addWidget(dialog)
    dialog.as_of.setDate(to_qdate(date(2024, 1, 31)))
    assert dialog.issue_button.isVisibleTo(dialog)
    assert dialog.save_reminder(tmp_path / "cv1.pdf", issue=True)
    assert dialog.save_reminder(tmp_path / "cv2.pdf", issue=True)
    assert dialog.saved.text().startswith("Đã ban hành công văn số 02-CV/")
    assert "Số 02-CV/BTGHU" in " ".join(PdfReader(tmp_path / "cv2.pdf").pages[0].extract_text().split())
    kept = [row for row in report_register.register(db, leader) if row.kind_code == "CV"]
    assert [row.number for row in kept] == [2, 1]
    clerk_view = DocumentDialog(Context(db, admin), document_id=plan.id).show_coverage()
    qtbot.addWidget(clerk_view)
    assert not clerk_view.issue_button.isVisibleTo(clerk_view)   # only those who sign reports issue


def test_a_document_in_use_is_not_deleted_and_the_page_says_why(qtbot, db, admin, monkeypatch):
    from app.ui.qt import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "question", lambda *_args: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    page = DocumentsPage(Context(db, admin))
    qtbot.addWidget(page)
    page.table.selectRow(next(i for i, row in enumerate(page_rows(page)) if row.number == "54-KL/TW"))
    assert not page.delete_selected()
    assert shown and shown[0].startswith("Không xóa được văn bản 54-KL/TW: đang được dùng ở")
    unused = documents.create(db, admin, documents.DocumentInput(DocumentKind.TB, "40-TB/HU", "Huyện ủy",
                                                                 date(2026, 3, 2), "Thông báo kết luận"))
    page.refresh()
    page.table.selectRow(next(i for i, row in enumerate(page_rows(page)) if row.id == unused))
    assert page.delete_selected() and unused not in {row.id for row in page_rows(page)}


def test_the_counts_come_after_the_rows_and_the_export_has_them(qtbot, db, admin, tmp_path):
    """Over ten years the two counts read every session's link: the rows show at once, the counts follow
    off the GUI thread, and the list exported to Excel carries them as the page shows them."""
    from openpyxl import load_workbook

    from app.services.documents import listing as document_list

    page = DocumentsPage(Context(db, admin))
    qtbot.addWidget(page)
    rows = page_rows(page)
    expected = document_list.counts(db, admin, [row.id for row in rows])
    assert any(sessions for _required, sessions in expected.values())

    def shown(row_index: int, column: int) -> str:
        return page.model.data(page.model.index(row_index, column))

    qtbot.waitUntil(lambda: all(shown(i, 7) != "…" for i in range(len(rows))), timeout=3000)
    for index, row in enumerate(rows):
        required, sessions = expected[row.id]
        assert (shown(index, 6), shown(index, 7)) == (str(required) if required else "", str(sessions) if sessions else "")
    page.model.sort(7, Qt.SortOrder.DescendingOrder)   # sorted on «Hội nghị»: the other count still follows
    qtbot.waitUntil(lambda: all(shown(i, 6) != "…" for i in range(page.model.rowCount())), timeout=3000)
    page.model.sort(2, Qt.SortOrder.DescendingOrder)
    page.export_xlsx(tmp_path / "van-ban.xlsx")
    sheet = load_workbook(tmp_path / "van-ban.xlsx").active
    header = next(index for index, line in enumerate(sheet.iter_rows(values_only=True), 1) if line[0] == "Số, ký hiệu")
    exported = {line[0]: line[7] for line in sheet.iter_rows(min_row=header + 1, values_only=True) if line[0]}
    assert exported == {row.number: (str(expected[row.id][1]) if expected[row.id][1] else None) for row in rows}
