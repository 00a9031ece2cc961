"""The loudspeaker log: a week entered in one grid, read back, checked, and guarded against two clerks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.services import documents
from app.services.errors import Conflict, PermissionDenied, ValidationError
from app.services.outreach import broadcasts
from app.services.outreach.broadcasts import Week, WeekLine
from tests.helpers import unit_by_code

MONDAY = date(2026, 11, 9)
TODAY = date(2026, 11, 22)


def a_week(db, clerk) -> Week:
    kl54 = next(row.id for row in documents.search(db, clerk, "54-KL/TW") if row.number == "54-KL/TW")
    station = unit_by_code(db, clerk, "PHONGNIEN").id
    empty = broadcasts.week(db, clerk, station, MONDAY + timedelta(days=3))
    assert empty.monday == MONDAY and empty.lines == []
    empty.lines = [WeekLine("Tuyên truyền Kết luận 54-KL/TW", 15, [2, 0, 2, 0, 2, 0, 0], kl54),
                   WeekLine("Phòng chống cháy rừng", 10, [1, 1, 1, 1, 1, 1, 1]),
                   WeekLine("", None)]          # the grid's empty last row
    return empty


def test_a_week_of_broadcasts_is_saved_and_read_back_as_entered(db, clerk):
    entered = a_week(db, clerk)
    assert broadcasts.save_week(db, clerk, entered, today=TODAY) == 13
    again = broadcasts.week(db, clerk, entered.unit_id, MONDAY + timedelta(days=6))
    assert [(line.content, line.minutes_each, line.times, line.document_id) for line in again.lines] == [
        (line.content, line.minutes_each, line.times, line.document_id) for line in entered.lines[:2]]
    with db.session_scope() as session:
        found = broadcasts.totals(session, {entered.unit_id}, MONDAY, MONDAY + timedelta(days=6))
    assert (found.times, found.minutes) == (13, 6 * 15 + 7 * 10)


def test_saving_again_replaces_the_week(db, clerk):
    entered = a_week(db, clerk)
    broadcasts.save_week(db, clerk, entered, today=TODAY)
    again = broadcasts.week(db, clerk, entered.unit_id, MONDAY)
    again.lines = again.lines[:1]
    broadcasts.save_week(db, clerk, again, today=TODAY)
    with db.session_scope() as session:
        assert broadcasts.totals(session, {entered.unit_id}, MONDAY, MONDAY + timedelta(days=6)).times == 6


@pytest.mark.parametrize(("line", "words"), [
    (WeekLine("Tin an toàn giao thông", 5, [-1, 0, 0, 0, 0, 0, 0]), "Dòng 3: số lượt phát Thứ Hai không được âm."),
    (WeekLine("Tin an toàn giao thông", 0, [1, 0, 0, 0, 0, 0, 0]), "Dòng 3: số phút mỗi lượt phải từ 1 trở lên."),
    (WeekLine("", 5, [1, 0, 0, 0, 0, 0, 0]), "Dòng 3: hãy ghi nội dung phát."),
    (WeekLine("phong chong chay rung", 5, [1, 0, 0, 0, 0, 0, 0]), "Dòng 3: trùng nội dung với dòng 2."),
    # impossible days: a week's total typed in one day's box, or the minutes of the whole week in one airing
    (WeekLine("Tin an toàn giao thông", 5, [0, 0, 99999, 0, 0, 0, 0]),
     "Dòng 3: Thứ Tư ghi 99.999 lượt, quá 12 lượt một ngày cho một nội dung: hãy kiểm tra lại."),
    (WeekLine("Tin an toàn giao thông", 300073, [1, 0, 0, 0, 0, 0, 0]),
     "Dòng 3: mỗi lượt 300.073 phút, quá 120 phút một lượt: hãy kiểm tra lại (ghi số phút của một lượt, không "
     "phải cả tuần)."),
])
def test_bad_lines_are_named_and_nothing_is_saved(db, clerk, line, words):
    entered = a_week(db, clerk)
    entered.lines[2] = line
    with pytest.raises(ValidationError) as caught:
        broadcasts.save_week(db, clerk, entered, today=TODAY)
    assert caught.value.errors["line.3"] == words
    assert broadcasts.week(db, clerk, entered.unit_id, MONDAY).lines == []


def test_days_not_yet_come_are_refused(db, clerk):
    entered = a_week(db, clerk)
    with pytest.raises(ValidationError, match="Dòng 2: Thứ Sáu \\(13/11/2026\\) chưa tới."):
        broadcasts.save_week(db, clerk, entered, today=MONDAY + timedelta(days=3))


def test_a_second_clerk_saving_an_old_copy_of_the_week_is_refused(db, clerk, admin):
    mine = a_week(db, clerk)
    theirs = broadcasts.week(db, admin, mine.unit_id, MONDAY)
    theirs.lines = [WeekLine("Thông báo lịch tiêm phòng", 5, [1, 0, 0, 0, 0, 0, 0])]
    broadcasts.save_week(db, admin, theirs, today=TODAY)
    with pytest.raises(Conflict, match="vừa được quantri sửa"):
        broadcasts.save_week(db, clerk, mine, today=TODAY)
    assert [line.content for line in broadcasts.week(db, clerk, mine.unit_id, MONDAY).lines] == [
        "Thông báo lịch tiêm phòng"]


def test_a_clerk_cannot_open_another_communes_station(db, clerk):
    with pytest.raises(PermissionDenied):
        broadcasts.week(db, clerk, unit_by_code(db, clerk, "XUANQUANG").id, MONDAY)


def test_a_day_holds_no_more_than_its_24_hours_of_airtime(db, clerk):
    entered = a_week(db, clerk)
    entered.lines[2:] = [WeekLine(f"Bản tin số {n}", 120, [12, 0, 0, 0, 0, 0, 0]) for n in range(1, 3)]
    with pytest.raises(ValidationError) as caught:
        broadcasts.save_week(db, clerk, entered, today=TODAY)
    assert caught.value.errors["times"].startswith("Thứ Hai (09/11/2026) có tổng cộng 2.920 phút phát, quá 1.440 phút")
    assert broadcasts.week(db, clerk, entered.unit_id, MONDAY).lines == []
