"""«Tổng quan», the first page of every role: its figures are the services' (and so the report's), each
opens the list behind it, and an empty install or an empty month says so instead of empty charts."""

from __future__ import annotations

from datetime import date

from app.models.enums import Role
from app.services import overview
from app.services.auth import Actor
from app.services.cases.listing import OVERDUE
from app.services.numbers import count_text, percent_text
from app.services.period import Period
from app.ui.main_window import MainWindow
from app.ui.pages.overview import OverviewPage
from app.ui.qt import QChartView, QLabel
from app.ui.widgets.common import Context
from tests.helpers import unit_by_code

APRIL = Period.month(2026, 4)


def opened(qtbot, db, actor) -> tuple[MainWindow, OverviewPage]:
    window = MainWindow(Context(db, actor))
    qtbot.addWidget(window)
    window.show()
    page = window.current_page()
    assert isinstance(page, OverviewPage)
    qtbot.waitUntil(lambda: not page.waiting, timeout=10000)
    return window, page


def choose(qtbot, page: OverviewPage, period: Period) -> None:
    page.month.setCurrentIndex(page.month.findData(f"{period.start:%Y-%m}"))
    qtbot.waitUntil(lambda: not page.waiting, timeout=10000)


def month_of(page: OverviewPage) -> str:
    return page.month.currentData()


def texts(page: OverviewPage) -> str:
    return " ".join(label.text() for label in page.findChildren(QLabel))


def test_the_leader_lands_on_the_months_figures_with_the_year_beside_them(qtbot, db, leader):
    window, page = opened(qtbot, db, leader)
    choose(qtbot, page, APRIL)
    found = overview.leader(db, leader, APRIL)
    shown = texts(page)
    assert page.heading.text() == "Đảng bộ huyện Bảo Thắng: tháng 4 năm 2026"
    assert f">{count_text(found.current.meetings)}</a>" in shown
    assert f'Từ đầu năm: </span><a href="year:meetings">{count_text(found.year_to_date.meetings)}</a>' in shown
    assert percent_text(found.rate) in page.status.text()
    assert all(unit.name in shown for unit in found.below) and found.below
    # the months against the target, sessions by kind, against last year, a tracked document by commune
    assert len(page.findChildren(QChartView)) == 4
    assert "Văn bản theo dõi thực hiện" in shown and "Đang tải" not in shown


def test_each_figure_opens_the_list_behind_it(qtbot, db, leader):
    window, page = opened(qtbot, db, leader)
    choose(qtbot, page, APRIL)
    meetings = page.open_link("figure:meetings")
    assert window.current_page() is meetings and meetings.title == "Hội nghị"
    flt = meetings.filter()
    assert (flt.start, flt.end, flt.unit_id, flt.kind) == (APRIL.start, APRIL.end, None, None)
    materials = page.open_link("year:copies")
    assert materials.title == "Tài liệu, tin bài" and (materials.filter().start, materials.filter().end) == (
        date(2026, 1, 1), APRIL.end)
    unit = page.loaded.leader.below[0]
    meetings = page.open_link(f"unit:{unit.unit_id}")
    assert meetings.filter().unit_id == unit.unit_id
    assert 'href="figure:airings"' not in texts(page)   # the loudspeaker log is no list: no link to a wrong one
    cases = page.open_link(f"cases:{OVERDUE}")
    assert cases.title == "Phản ánh, kiến nghị" and cases.filter().urgency == OVERDUE
    assert cases.filter().start is None


def test_a_clerk_sees_his_communes_month_and_what_he_still_has_to_enter(qtbot, db, clerk, leader):
    _window, page = opened(qtbot, db, clerk)
    choose(qtbot, page, APRIL)
    todo = overview.to_enter(db, clerk, APRIL)
    assert page.heading.text().startswith(unit_by_code(db, leader, "PHONGNIEN").name)
    assert todo.absent_not_made_up and f">{todo.absent_not_made_up}</a> lượt đảng viên vắng chưa học bù" in texts(page)


def test_the_inspector_sees_cases_by_state_and_the_admin_the_housekeeping(qtbot, db, inspector, admin):
    _window, page = opened(qtbot, db, inspector)
    glance = overview.cases(db, inspector, page.period())
    shown = texts(page)
    assert all(f"{status.label}: <a" in shown for status, _n in glance.by_state)
    assert f"Chưa giải quyết xong: {count_text(glance.open)}; vụ việc tồn lâu nhất tiếp nhận ngày" in shown
    _window, page = opened(qtbot, db, admin)
    assert page.heading.text() == "Tình trạng hệ thống"
    assert "chưa sao lưu lần nào" in texts(page) and not page.month.isVisible()


def test_a_month_with_nothing_yet_says_so(qtbot, db, leader, frozen_clock):
    frozen_clock.move_to("2027-02-10 08:00:00+07:00")   # nothing entered since the demo ended
    _window, page = opened(qtbot, db, leader)
    assert month_of(page) == "2027-02"
    assert "chưa có số liệu nào" in page.status.text()
    assert "Từ đầu năm" in texts(page)   # the year so far is still there


def test_an_empty_install_shows_what_to_do_first_instead_of_empty_charts(qtbot, empty_db):
    for role in (Role.ADMIN, Role.LEADER):
        page = OverviewPage(Context(empty_db, Actor(1, "quantri", "Người đầu tiên", role, None)))
        qtbot.addWidget(page)
        qtbot.waitUntil(lambda page=page: not page.waiting, timeout=5000)
        assert page.heading.text() == "Bắt đầu sử dụng"
        assert "Chưa có số liệu nào" in texts(page) and 'href="page:Đơn vị"' in texts(page)
        assert not page.findChildren(QChartView)


def test_the_month_follows_the_calendar(qtbot, db, leader, frozen_clock):
    _window, page = opened(qtbot, db, leader)
    assert month_of(page) == "2026-11"
    page.hide()
    frozen_clock.move_to("2026-12-02 08:00:00+07:00")
    page.show()
    qtbot.waitUntil(lambda: not page.waiting, timeout=10000)
    assert month_of(page) == "2026-12" and page.month.itemText(1) == "Tháng 11/2026"
    assert page.heading.text().endswith("tháng 12 năm 2026")


def test_a_month_chosen_while_the_last_ones_lists_are_read_shows_only_its_own(qtbot, db, clerk):
    _window, page = opened(qtbot, db, clerk)
    choose(qtbot, page, Period.month(2026, 3))
    page.month.setCurrentIndex(page.month.findData("2026-04"))   # asked again before anything came back
    page.month.setCurrentIndex(page.month.findData("2026-03"))
    page.month.setCurrentIndex(page.month.findData("2026-04"))
    qtbot.waitUntil(lambda: not page.waiting, timeout=10000)
    qtbot.wait(300)   # any stale answer has come back by now, and was dropped
    assert page.lists.to_enter.period == APRIL and page.loaded.leader.period == APRIL
    assert len(page.findChildren(QChartView)) == len({id(view) for view in page.findChildren(QChartView)})
    titles = [view.chart().title() for view in page.findChildren(QChartView) if not view.isHidden()]
    assert len(titles) == len(set(titles))   # no chart drawn twice


def test_the_months_public_opinion_is_counted_by_tendency_and_opens_the_register(qtbot, db, leader):
    from app.models.enums import OpinionTendency
    from app.services.opinion import listing

    window, page = opened(qtbot, db, leader)
    choose(qtbot, page, APRIL)
    heard = listing.by_tendency(db, leader, listing.OpinionFilter(APRIL.start, APRIL.end))
    assert heard and dict(page.loaded.leader.opinion) == heard
    assert f'<a href="opinion:">{sum(heard.values())}</a> ý kiến, dư luận' in texts(page)
    worrying = page.open_link("opinion:worrying")
    assert window.current_page() is worrying and worrying.title == "Dư luận xã hội"
    flt = worrying.filter()
    assert (flt.start, flt.end, flt.tendency) == (APRIL.start, APRIL.end, OpinionTendency.WORRYING)
    assert worrying.model.rowCount() == heard.get(OpinionTendency.WORRYING, 0)


def test_the_months_good_examples_are_counted_and_open_the_register(qtbot, db, leader):
    from app.services.exemplars import listing

    october = Period.month(2026, 10)
    window, page = opened(qtbot, db, leader)
    choose(qtbot, page, october)
    found = page.loaded.leader.examples
    assert found.recognised == listing.count(db, leader, listing.ExemplarFilter(october.start, october.end)) > 0
    assert f'công nhận <a href="examples:">{found.recognised}</a>' in texts(page)
    assert ("chưa có đơn vị nhân rộng" in texts(page)) == (found.spread_units == 0)
    assert "tại 0 lượt" not in texts(page)   # a zero is worded, not counted
    examples = page.open_link("examples:")
    assert window.current_page() is examples and examples.model.rowCount() == found.recognised


def test_a_tracked_document_shows_its_units_plans(qtbot, db, leader):
    window, page = opened(qtbot, db, leader)
    qtbot.waitUntil(lambda: page.lists is not None, timeout=10000)
    [nq57] = [doc for doc in page.lists.documents if doc.title == "Nghị quyết số 57-NQ/TW"]
    assert nq57.plans_expected == 3 and nq57.plans_done == 3     # the demo's communes, each with its plan
    assert "3/3 đơn vị đã ban hành kế hoạch" in texts(page)
