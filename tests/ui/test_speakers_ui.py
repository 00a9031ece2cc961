"""Báo cáo viên: the register's page and dialog, and the session dialog choosing from it instead of free text."""

from __future__ import annotations

from datetime import date

import pytest

from app.models.enums import SpeakerLevel, SpeakerRole
from app.services import meetings, speakers
from app.services.meetings import PresenterLine
from app.ui.pages.meetings import MeetingsPage
from app.ui.pages.speakers import SpeakersPage
from app.ui.qt import Qt
from app.ui.widgets.common import Context, select_data
from app.ui.widgets.speaker_picker import TEXT_ONLY
from tests.helpers import unit_by_code
from tests.meeting_factory import session_input


@pytest.mark.parametrize("sort_column", [0, 2, 4, 5])
def test_the_register_model_keeps_qts_contract(qtmodeltester, db, leader, sort_column):
    page = SpeakersPage(Context(db, leader))
    page.model.page_size = 3
    page.model.sort(sort_column, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(page.model, force_py=True)


def test_a_clerk_adds_a_propagandist_and_names_him_at_a_session_keeping_an_old_line(qtbot, db, clerk):
    page = SpeakersPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.add_speaker()
    qtbot.addWidget(dialog)
    dialog.full_name.setText("Hầu A Chư")
    assert not dialog.save()
    assert "Hãy chọn cấp" in dialog.form.error_text("level")
    select_data(dialog.unit, unit_by_code(db, clerk, "PHONGNIEN-02").id)
    select_data(dialog.role, SpeakerRole.PROPAGANDIST)
    select_data(dialog.level, SpeakerLevel.GRASSROOTS)
    assert dialog.save()
    added = dialog.saved_id

    old = PresenterLine("Lãnh đạo Đảng ủy xã", "")
    meeting_id = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-02", held_on=date(2026, 10, 8),
                                                          presenters=[old]))
    session_dialog = MeetingsPage(Context(db, clerk)).open_meeting(meeting_id)
    qtbot.addWidget(session_dialog)
    picker = session_dialog.presenters
    assert picker.list.item(0).text() == "Lãnh đạo Đảng ủy xã" + TEXT_ONLY
    picker.combo.setCurrentIndex(picker.combo.findData(added))
    picker.add_button.click()
    picker.add_button.click()                      # twice: still once
    assert picker.list.count() == 2 and session_dialog.has_unsaved()
    assert session_dialog.save()
    assert meetings.get(db, clerk, meeting_id).data.presenters == [
        old, PresenterLine("Hầu A Chư", "", added)]
    page.refresh()
    row = next(row for row in (page.model.row_at(i) for i in range(page.model.rowCount())) if row.id == added)
    assert row.appearances == 1 and speakers.count(db, clerk, speakers.SpeakerFilter(text="hau a chu")) == 1


def test_a_clerk_reads_the_districts_presenter_but_cannot_move_him_to_his_commune(qtbot, db, clerk):
    district = next(row for row in speakers.choices(db, clerk) if row.level is SpeakerLevel.DISTRICT)
    page = SpeakersPage(Context(db, clerk))
    qtbot.addWidget(page)
    dialog = page.open_speaker(district.id)
    qtbot.addWidget(dialog)
    assert not dialog.editable and not dialog.unit.isEnabled()
    assert dialog.unit.currentText().strip() == district.unit_name == "Đảng bộ huyện Bảo Thắng"
