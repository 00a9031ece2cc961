"""Importing a commune's spreadsheet from the people page, as a clerk does it."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from app.services import people
from app.ui.dialogs.import_people import BAD
from app.ui.pages.people import PeoplePage
from app.ui.qt import Qt
from app.ui.widgets.common import Context, select_data
from tests.helpers import unit_by_code
from tests.sheets_factory import commune_roster


@pytest.fixture
def page(qtbot, db, clerk):
    page = PeoplePage(Context(db, clerk))
    qtbot.addWidget(page)
    return page


@pytest.fixture
def roster_file(tmp_path):
    return commune_roster(tmp_path / "danh-sach-phong-nien.xlsx", ("Không Có Ai", 1950))


def verdicts(dialog) -> dict[int, str]:
    model = dialog.model
    return {model.row_at(i).line: model.index(i, 6).data() for i in range(model.rowCount())}


def test_the_clerk_sees_each_rows_verdict_fixes_a_column_and_imports(qtbot, qtmodeltester, page, roster_file,
                                                                     db, clerk, tmp_path):
    dialog = page.import_file(roster_file)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model, force_py=True)

    assert dialog.columns["full_name"].currentText() == "B — Họ và tên"
    assert dialog.columns["birth_female"].currentText() == "D — Năm sinh / Nữ"
    seen = verdicts(dialog)
    assert seen[7] == "Hợp lệ" and seen[9] == "Thiếu «Họ và tên» (cột B)."
    assert seen[6].startswith("Bỏ qua: dòng đánh số cột")
    row_9 = next(i for i in range(dialog.model.rowCount()) if dialog.model.row_at(i).line == 9)
    assert dialog.model.index(row_9, 0).data(Qt.ItemDataRole.BackgroundRole) == BAD
    assert dialog.import_button.text() == "Nhập 3 người"
    assert dialog.summary.text().startswith("3 dòng hợp lệ · 5 dòng lỗi")

    dialog.only_bad.setChecked(True)
    assert sorted(verdicts(dialog)) == [9, 10, 11, 12, 14]

    # The file's Chi bộ column is ignored: everybody goes to the chi bộ chosen for the whole file.
    select_data(dialog.columns["unit"], None)
    select_data(dialog.default_unit, unit_by_code(db, clerk, "PHONGNIEN-04").id)
    assert dialog.import_button.text() == "Nhập 5 người"  # Sơn La and Bắc Hà no longer matter

    dialog.save_bad_rows(tmp_path / "loi.xlsx")
    assert load_workbook(tmp_path / "loi.xlsx").active.max_row == 1 + len(dialog.preview.bad)

    dialog.run_import()
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.added == 5
    assert "vừa nhập 5 người từ tệp danh-sach-phong-nien.xlsx" in page.totals.text()
    # still said once the new count has come
    qtbot.waitUntil(lambda: not page.totals_waiting, timeout=2000)
    assert "vừa nhập 5 người từ tệp danh-sach-phong-nien.xlsx" in page.totals.text()
    found = people.list_page(db, clerk, people.PeopleFilter("hoang van nam"))
    assert [(r.full_name, r.unit_name) for r in found] == [("Hoàng Văn Nam", "Chi bộ thôn Cốc Sâm")]


def test_pointing_at_a_row_without_a_header_says_what_is_missing(qtbot, page, roster_file):
    dialog = page.import_file(roster_file)
    qtbot.addWidget(dialog)
    dialog.header_line.setValue(2)
    assert dialog.message.text() == "Hãy chọn cột «Họ và tên»."
    assert not dialog.import_button.isEnabled() and dialog.model.rowCount() == 0
    dialog.header_line.setValue(5)
    assert dialog.message.text() == "" and dialog.import_button.isEnabled()


def test_an_unreadable_file_is_named_and_no_dialog_opens(page, tmp_path, monkeypatch):
    from app.ui.qt import QMessageBox

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    (tmp_path / "cu.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    assert page.import_file(tmp_path / "cu.xls") is None
    assert "cu.xls" in shown[0] and ".xlsx" in shown[0]
