"""The good examples page and dialog, as a clerk enters a model and where it was taken up, imports a
workbook, and a leader finds section II.5 drafted from the register."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from app.models.enums import Commendation, ExemplarKind
from app.services.exemplars import register
from app.ui.pages.exemplars import ExemplarsPage
from app.ui.pages.reports import ReportsPage
from app.ui.qt import QDate, QMessageBox, Qt
from app.ui.widgets.common import Context, select_data, to_qdate
from tests.helpers import unit_by_code


@pytest.mark.parametrize("sort_column", [0, 2, 4, 6])
def test_the_examples_model_keeps_qts_contract(qtmodeltester, db, leader, sort_column):
    page = ExemplarsPage(Context(db, leader))
    page.start.setDate(to_qdate(date(2015, 1, 1)))
    page.refresh()
    page.model.page_size = 5
    page.model.sort(sort_column, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(page.model, force_py=True)


def test_a_clerk_enters_a_model_and_the_units_that_took_it_up(qtbot, db, clerk):
    page = ExemplarsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.add_exemplar()
    qtbot.addWidget(dialog)
    commune, first = unit_by_code(db, clerk, "PHONGNIEN"), unit_by_code(db, clerk, "PHONGNIEN-01")
    select_data(dialog.kind, ExemplarKind.MODEL)
    dialog.title_edit.setText("Mô hình «Bếp ăn bán trú cho học sinh»")
    select_data(dialog.unit, commune.id)
    dialog.recognised_on.setDate(QDate(2026, 9, 10))
    select_data(dialog.commendation, Commendation.MERIT)
    dialog.set_row(dialog.add_row(), commune.id, date(2026, 10, 1))
    assert not dialog.save()
    assert "cấp khen" in dialog.form.error_text("awarded_by")
    assert dialog.grid_errors.text() == "Dòng 1: đơn vị nhân rộng là chính đơn vị có mô hình."
    dialog.awarded_by.setText("Ủy ban nhân dân tỉnh")
    dialog.set_row(0, first.id)
    assert dialog.save()
    saved = register.get(db, clerk, dialog.saved_id).data
    assert [(line.unit_id, line.since) for line in saved.spread] == [(first.id, date(2026, 10, 1))]
    page.search.setText("bep an ban tru")
    page.start.setDate(QDate(2026, 1, 1))
    page.refresh()
    row = page.model.row_at(0)
    assert page.model.rowCount() == 1 and (row.commendation, row.spread) == (Commendation.MERIT, 1)
    # «Phát hiện, theo dõi» is not a commendation: nobody awards it, so its field is off
    select_data(dialog.commendation, Commendation.NOTED)
    assert not dialog.awarded_by.isEnabled()


def test_a_workbook_is_imported_from_the_page_after_a_yes(qtbot, db, clerk, tmp_path, monkeypatch):
    page = ExemplarsPage(Context(db, clerk))
    qtbot.addWidget(page)
    book = Workbook()
    book.active.append(["Loại", "Tên", "Đơn vị", "Ngày công nhận", "Hình thức", "Cấp khen"])
    book.active.append(["Mô hình", "Mô hình «Nhà văn hóa sạch đẹp»", "PHONGNIEN-02", "12/10/2026", "Biểu dương",
                        "Đảng ủy xã"])
    book.active.append(["Mô hình", "Mô hình thiếu ngày", "PHONGNIEN-02", "", "Biểu dương", "Đảng ủy xã"])
    book.save(tmp_path / "mo-hinh.xlsx")
    shown: list[str] = []
    monkeypatch.setattr("app.ui.pages.exemplars.show_error", lambda _parent, message: shown.append(message))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert page.import_file(tmp_path / "mo-hinh.xlsx") == 0
    assert "không dòng nào được ghi" in shown[0] and "Dòng 3, cột D (Ngày công nhận)" in shown[0]
    book.active.delete_rows(3)
    book.save(tmp_path / "mo-hinh.xlsx")
    assert page.import_file(tmp_path / "mo-hinh.xlsx") == 1


def test_the_reports_page_drafts_section_ii5_from_the_register(qtbot, db, leader):
    page = ReportsPage(Context(db, leader))
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("thang"))
    page.year.setValue(2026)
    page.part.setValue(10)
    drafted = page.texts["models"].toPlainText()
    assert drafted.startswith("Trong tháng, các cấp ủy, tổ chức đảng phát hiện, biểu dương, khen thưởng ")
    assert "«II.5- Biểu dương, nhân rộng mô hình (không bắt buộc)» được dự thảo từ sổ mô hình, điển hình" in \
        page.status.text()
