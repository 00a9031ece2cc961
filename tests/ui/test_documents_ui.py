"""The documents page and the implementation view as an office uses them."""

from __future__ import annotations

import pytest

from app.services import coverage
from app.ui.pages.documents import DocumentsPage
from app.ui.qt import Qt
from app.ui.widgets.common import Context


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
    assert page.count_label.text() == "<b>3</b> văn bản"
    page.table.selectRow(next(i for i, row in enumerate(page_rows(page)) if row.number == "118-KH/HU"))
    dialog = page.show_coverage()
    qtbot.addWidget(dialog)
    lines = [dialog.model.row_at(i) for i in range(dialog.model.rowCount())]
    cover = dialog.cover
    assert len(lines) == page_rows(page)[page.table.currentIndex().row()].required
    assert dialog.sentence.text().startswith(cover.sentence())
    assert f"quá hạn chưa tổ chức: {cover.count(coverage.OVERDUE)}" in dialog.sentence.text()
    overdue = next(i for i, line in enumerate(lines) if line.state == coverage.OVERDUE)
    assert dialog.model.data(dialog.model.index(overdue, 1)) == "Quá hạn, chưa tổ chức"


def test_a_search_that_finds_nothing_says_what_to_do(qtbot, db, clerk):
    page = DocumentsPage(Context(db, clerk))
    qtbot.addWidget(page)
    page.search.setText("khong co van ban nao nhu the")
    page.refresh()
    assert page.table.isHidden() and "Vào sổ văn bản" in page.empty_label.text()
