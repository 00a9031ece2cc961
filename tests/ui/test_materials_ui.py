"""The materials page, a leaflet with its distribution and a week of the loudspeaker log, as a clerk enters them."""

from __future__ import annotations

from datetime import date

import pytest

from app.models.enums import MaterialKind
from app.services import documents
from app.services.outreach import broadcasts, materials
from app.ui.pages.materials import MaterialsPage
from app.ui.qt import Qt
from app.ui.widgets.common import Context, select_data, to_qdate
from tests.helpers import unit_by_code

WEEK = date(2026, 10, 26)   # a Monday before the demo's last day


@pytest.mark.parametrize("sort_column", [0, 2, 5, 7])
def test_the_materials_model_keeps_qts_contract(qtmodeltester, db, admin, sort_column):
    page = MaterialsPage(Context(db, admin))
    page.start.setDate(to_qdate(date(2015, 1, 1)))
    page.refresh()
    page.model.page_size = 5
    page.model.sort(sort_column, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(page.model, force_py=True)


def test_a_clerk_enters_a_leaflet_and_hands_it_out_without_giving_more_than_was_printed(qtbot, db, clerk):
    page = MaterialsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.add_material()
    qtbot.addWidget(dialog)
    select_data(dialog.kind, MaterialKind.LEAFLET)
    assert dialog.quantity.suffix() == " bản" and not dialog.outlet.isEnabled()
    dialog.title_edit.setText("Tờ rơi phòng, chống tham nhũng vặt")
    commune, first, second = (unit_by_code(db, clerk, code) for code in ("PHONGNIEN", "PHONGNIEN-01", "PHONGNIEN-02"))
    select_data(dialog.unit, commune.id)
    dialog.issued_on.setDate(to_qdate(date(2026, 10, 5)))
    dialog.quantity.setValue(500)
    kl54 = documents.search(db, clerk, "54-KL/TW")[-1]
    dialog.documents.add(kl54.id)
    dialog.set_row(dialog.add_row(), first.id, 200)
    dialog.set_row(dialog.add_row(), second.id, 400, date(2026, 10, 9))
    assert dialog.stock.text() == "Cấp vượt 100 bản"
    assert not dialog.save()
    assert dialog.grid_errors.text() == "Cấp phát 600 bản nhưng chỉ có 500 bản: vượt 100 bản."
    dialog.set_row(1, second.id, 250)
    assert dialog.stock.text() == "Đã cấp 450 bản · còn 50 bản"
    assert dialog.save()

    saved = materials.get(db, clerk, dialog.saved_id).data
    assert [(line.unit_id, line.quantity, line.given_on) for line in saved.distribution] == [
        (first.id, 200, date(2026, 10, 5)), (second.id, 250, date(2026, 10, 9))]
    assert saved.document_ids == [kl54.id]
    page.search.setText("tham nhung vat")
    page.refresh()
    row = page.model.row_at(0)
    assert page.model.rowCount() == 1 and row.id == dialog.saved_id
    assert [page.model.data(page.model.index(0, column)) for column in (5, 6, 7, 8)] == [
        "500 bản", "450", "50", "54-KL/TW"]
    qtbot.waitUntil(lambda: page.totals.text() == "<b>1</b> tài liệu, tin bài · Tờ rơi: 500 bản (đã cấp 450).")


def test_an_article_names_where_it_was_published_and_is_not_handed_out(qtbot, db, clerk):
    page = MaterialsPage(Context(db, clerk))
    dialog = page.add_material()
    qtbot.addWidget(page)
    qtbot.addWidget(dialog)
    select_data(dialog.kind, MaterialKind.PRESS)
    assert dialog.distribution_box.isHidden() and dialog.outlet.isEnabled()
    dialog.title_edit.setText("Phong Niên học tập Kết luận 54")
    dialog.quantity.setValue(2)
    assert not dialog.save()
    assert "Báo Lào Cai" in dialog.form.error_text("outlet")
    dialog.outlet.setCurrentText("Báo Lào Cai")
    assert dialog.save()
    assert materials.get(db, clerk, dialog.saved_id).data.outlet == "Báo Lào Cai"


def test_a_clerk_enters_a_week_of_broadcasts_in_one_grid(qtbot, db, clerk):
    commune = unit_by_code(db, clerk, "PHONGNIEN")
    page = MaterialsPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.open_log()
    qtbot.addWidget(dialog)
    select_data(dialog.station, commune.id)
    dialog.day.setDate(to_qdate(date(2026, 10, 29)))               # any day of the week opens the week
    assert dialog.heading.text() == "<b>Tuần từ 26/10/2026 đến 01/11/2026</b>"
    before = broadcasts.week(db, clerk, commune.id, WEEK)
    assert len(dialog.lines()) == len(before.lines) + 2           # the saved lines and two empty ones
    row = len(before.lines)
    kl54 = documents.search(db, clerk, "54-KL/TW")[-1]
    dialog.set_line(row, "Tuyên truyền Kết luận 54 về tiếp nhận phản ánh", -10, [1, 0, 2, 0, 1, 0, 0], kl54.id)
    assert not dialog.save()
    assert dialog.errors.text() == f"Dòng {row + 1}: số phút mỗi lượt phải từ 1 trở lên."
    dialog.set_line(row, "Tuyên truyền Kết luận 54 về tiếp nhận phản ánh", 10, [1, 0, 2, 0, 1, 0, 0], kl54.id)
    airings = sum(line.total_times for line in before.lines) + 4
    assert dialog.totals.text().startswith(f"Cộng tuần: <b>{airings}</b> lượt")
    assert dialog.save()
    assert dialog.saved.text() == f"Đã lưu {airings} lượt phát của tuần 26/10/2026."
    after = broadcasts.week(db, clerk, commune.id, WEEK)
    added = after.lines[-1]
    assert (added.content, added.minutes_each, added.times, added.document_id) == (
        "Tuyên truyền Kết luận 54 về tiếp nhận phản ánh", 10, [1, 0, 2, 0, 1, 0, 0], kl54.id)
    dialog.previous.click()
    assert dialog.heading.text() == "<b>Tuần từ 19/10/2026 đến 25/10/2026</b>"


def test_a_clerk_opens_what_the_district_handed_down_to_read_not_to_edit(qtbot, db, clerk, admin):
    from app.services.outreach import listing

    page = MaterialsPage(Context(db, clerk))
    qtbot.addWidget(page)
    district = unit_by_code(db, admin, "BAOTHANG")
    handed = next(row for row in listing.list_page(db, clerk, listing.MaterialFilter(), limit=500)
                  if row.unit_name == "Đảng bộ huyện Bảo Thắng")
    dialog = page.open_material(handed.id)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isVisible() and not dialog.title_edit.isEnabled() and not dialog.quantity.isEnabled()
    assert dialog.unit.currentData() == district.id and dialog.unit.currentText() == "Đảng bộ huyện Bảo Thắng"
    assert dialog.windowTitle().endswith("(chỉ xem)")
    dialog.reject()   # nothing to lose: closes without asking
    assert not dialog.isVisible()
