"""The audit page as a leader or inspector reads it."""

from __future__ import annotations

from app.models.enums import Gender
from app.services import people
from app.ui.main_window import MainWindow
from app.ui.pages.audit import AuditPage
from app.ui.widgets.common import Context, select_data


def test_a_leader_sees_the_latest_change_and_its_before_and_after(qtbot, qtmodeltester, db, clerk, leader):
    row = people.list_page(db, clerk, people.PeopleFilter(), limit=1)[0]
    detail = people.get(db, clerk, row.id)
    people.update(db, clerk, row.id, people.PersonInput(detail.data.full_name, 1959, Gender.MALE),
                  expected_version=detail.version)
    page = AuditPage(Context(db, leader))
    qtbot.addWidget(page)
    qtmodeltester.check(page.model, force_py=True)

    assert page.model.index(0, 1).data() == "nhaplieu"
    assert page.model.index(0, 4).data() == f"Sửa thông tin {detail.data.full_name}"
    page.table.selectRow(0)
    shown = {page.changes.item(i, 0).text(): page.changes.item(i, 2).text() for i in range(page.changes.rowCount())}
    assert shown["Năm sinh"] == "1959"

    select_data(page.user_filter, "(hệ thống)")  # the demo's own entry
    assert page.model.rowCount() == 1 and page.model.row_at(0).summary == "Tạo dữ liệu mẫu"
    assert page.changes.rowCount() == 0  # the selection went with the old rows
    page.use_dates.setChecked(True)
    page.since.setDate(page.since.date().addYears(-30))
    page.until.setDate(page.until.date().addYears(-20))
    qtbot.waitUntil(lambda: page.model.rowCount() == 0 and page.totals.text().startswith("Không có thay đổi nào"))


def test_only_roles_that_may_read_the_trail_see_the_page(qtbot, db, clerk, inspector):
    for actor, shown in ((clerk, False), (inspector, True)):
        window = MainWindow(Context(db, actor))
        qtbot.addWidget(window)
        assert ("Nhật ký thay đổi" in window.pages) is shown
