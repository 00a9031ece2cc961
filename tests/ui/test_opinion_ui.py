"""The public opinion page and its dialog, as a clerk enters a strand and a leader reads it; the report's
section I drafted from the register."""

from __future__ import annotations

from datetime import date

import pytest

from app.models.enums import OpinionGroup, OpinionTendency
from app.services import report_register
from app.services.opinion import register
from app.ui.dialogs.opinion import OpinionDialog
from app.ui.pages.opinion import OpinionPage
from app.ui.pages.reports import ReportsPage
from app.ui.qt import QDate, Qt
from app.ui.widgets.common import Context, select_data, to_qdate
from tests.helpers import unit_by_code


@pytest.mark.parametrize("sort_column", [0, 2, 3, 6])
def test_the_opinion_model_keeps_qts_contract(qtmodeltester, db, leader, sort_column):
    page = OpinionPage(Context(db, leader))
    page.start.setDate(to_qdate(date(2015, 1, 1)))
    page.refresh()
    page.model.page_size = 5
    page.model.sort(sort_column, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(page.model, force_py=True)


def test_a_clerk_enters_a_strand_of_opinion_fixing_what_the_form_refuses(qtbot, db, clerk):
    page = OpinionPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.add_opinion()
    qtbot.addWidget(dialog)
    hamlet = unit_by_code(db, clerk, "PHONGNIEN-01")
    select_data(dialog.unit, hamlet.id)
    dialog.noted_on.setDate(to_qdate(date(2026, 10, 20)))
    dialog.topic.setText("Đường vào thôn xuống cấp")
    dialog.heard_at.setCurrentText("Họp thôn, bản")
    dialog.content.setPlainText("Bà con đề nghị sửa đường, gọi 0987 654 321 để biết thêm.")
    assert not dialog.save()
    assert "chiều hướng" in dialog.form.error_text("tendency")
    assert "ít nhất một đối tượng" in dialog.form.error_text("groups")
    assert "số điện thoại" in dialog.form.error_text("content")
    select_data(dialog.tendency, OpinionTendency.MIXED)
    dialog.groups.boxes[OpinionGroup.FARMERS].setChecked(True)
    dialog.groups.boxes[OpinionGroup.ELDERLY].setChecked(True)
    dialog.content.setPlainText("Bà con đề nghị sửa đường trước mùa mưa.")
    dialog.reported_up.setChecked(True)
    assert dialog.save()

    saved = register.get(db, clerk, dialog.saved_id).data
    assert (saved.unit_id, saved.tendency, saved.groups, saved.reported_up) == (
        hamlet.id, OpinionTendency.MIXED, [OpinionGroup.FARMERS, OpinionGroup.ELDERLY], True)
    page.start.setDate(QDate(2026, 10, 1))
    page.search.setText("duong vao thon")
    page.refresh()
    assert page.model.rowCount() == 1
    row = page.model.row_at(0)
    assert (row.topic, row.groups, row.tendency.label) == ("Đường vào thôn xuống cấp", "Nông dân; Người cao tuổi",
                                                          "Trái chiều")
    assert "<b>1</b> ý kiến, dư luận · trái chiều 1." == page.totals_text(1, page.figures(page.filter()))


def test_a_leader_reads_an_entry_but_cannot_change_it(qtbot, db, leader, clerk):
    page = OpinionPage(Context(db, leader))
    qtbot.addWidget(page)
    assert page.add_button.isHidden() and page.delete_button.isHidden()
    page.start.setDate(QDate(2015, 1, 1))
    page.refresh()
    dialog = page.open_row(page.model.row_at(0))
    qtbot.addWidget(dialog)
    assert isinstance(dialog, OpinionDialog) and not dialog.editable and not dialog.topic.isEnabled()
    assert dialog.topic.text() == page.model.row_at(0).topic


def test_the_reports_page_drafts_section_one_from_the_register_until_the_leader_keeps_his_own(qtbot, db, leader):
    page = ReportsPage(Context(db, leader))
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("thang"))
    page.year.setValue(2026)
    page.part.setValue(10)
    drafted = page.texts["situation"].toPlainText()
    assert drafted.startswith("Trong tháng, các cấp ủy, tổ chức đảng nắm bắt ")
    assert "dự thảo từ sổ theo dõi dư luận xã hội" in page.status.text()
    page.texts["situation"].setPlainText("Tư tưởng cán bộ, đảng viên ổn định.")
    page.keep_draft()
    page.part.setValue(9)
    page.part.setValue(10)
    assert page.texts["situation"].toPlainText() == "Tư tưởng cán bộ, đảng viên ổn định."
    assert "dự thảo từ sổ theo dõi dư luận" not in page.status.text()   # II.5 is still the register's
    assert report_register.draft(db, leader, page.period().key).written["situation"] == page.texts[
        "situation"].toPlainText()


def test_a_document_older_than_the_pickers_list_stays_chosen(qtbot, db, clerk):
    from app.services import documents
    from app.ui.qt import QComboBox
    from app.ui.widgets.common import select_document

    combo = QComboBox()
    combo.addItem("— không —", None)          # the newest 500 did not reach it
    kl54 = next(row for row in documents.search(db, clerk, "54-KL/TW") if row.number == "54-KL/TW")
    select_document(Context(db, clerk), combo, kl54.id)
    assert combo.currentData() == kl54.id and combo.currentText().startswith("54-KL/TW — ")


def test_section_one_follows_the_register_until_the_leader_edits_it_even_after_other_sections_are_kept(
        qtbot, db, leader, clerk):
    page = ReportsPage(Context(db, leader))
    qtbot.addWidget(page)
    page.kind.setCurrentIndex(page.kind.findData("thang"))
    page.year.setValue(2026)
    page.part.setValue(10)
    page.texts["tasks"].setPlainText("Tổ chức học bù.")
    page.keep_draft()                                        # kept: section IV, not the untouched draft of I
    assert "situation" not in report_register.draft(db, leader, page.period().key).written
    register.create(db, clerk, register.OpinionInput(
        unit_by_code(db, clerk, "PHONGNIEN-01").id, date(2026, 10, 30), "Nước sạch cho bản vùng cao", "Họp thôn, bản",
        OpinionTendency.MIXED, [OpinionGroup.ETHNIC], "Bà con mong sớm có nước sạch."), today=date(2026, 11, 2))
    page.part.setValue(9)
    page.part.setValue(10)
    assert "- Nước sạch cho bản vùng cao: 1 ý kiến trái chiều" in page.texts["situation"].toPlainText()
    assert page.texts["tasks"].toPlainText() == "Tổ chức học bù."
