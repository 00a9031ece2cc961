"""Working days and case deadlines: weekends, Tết by the lunar calendar, and the office's exceptions."""

from __future__ import annotations

from datetime import date

import pytest

from app.models.enums import Regime
from app.services.cases.workdays import Calendar, due_date, holiday_name
from app.services.errors import ValidationError

PLAIN = Calendar()


def test_tet_and_weekends_are_not_working_days():
    assert holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"          # first day of the Year of the Horse
    assert not PLAIN.is_working_day(date(2026, 2, 16))                    # Tết eve (a Monday)
    assert not PLAIN.is_working_day(date(2026, 2, 21))                    # a Saturday
    assert PLAIN.is_working_day(date(2026, 2, 23))                        # back to work
    assert not PLAIN.is_working_day(date(2025, 1, 29))                    # Tết fell in January in 2025
    assert not PLAIN.is_working_day(date(2026, 9, 2))                     # Quốc khánh
    assert holiday_name(date(2026, 3, 10)) == ""


def test_counting_working_days_across_tet():
    # Friday 13/02/2026, then Tết 16–20/02 and two weekends: the 1st working day after it is Monday 23/02.
    assert PLAIN.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert PLAIN.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1
    assert PLAIN.add_working_days(date(2026, 3, 2), 5) == date(2026, 3, 9)   # Monday + 5 working days
    assert PLAIN.working_days_between(date(2026, 3, 9), date(2026, 3, 2)) == 0


def test_the_offices_exceptions_override_the_library():
    moved = Calendar({date(2026, 2, 13): False,        # a day off moved before Tết
                      date(2026, 2, 28): True})        # a working Saturday to make up for it
    assert not moved.is_working_day(date(2026, 2, 13)) and moved.is_working_day(date(2026, 2, 28))
    assert moved.add_working_days(date(2026, 2, 12), 1) == date(2026, 2, 23)
    assert (moved.working_days_between(date(2026, 2, 22), date(2026, 3, 1))
            == PLAIN.working_days_between(date(2026, 2, 22), date(2026, 3, 1)) + 1)


def test_a_state_body_counts_calendar_days_and_may_extend_twice():
    accepted = date(2026, 1, 20)
    assert due_date(PLAIN, Regime.STATE, accepted) == date(2026, 2, 19)   # Tết does not stop the clock
    assert due_date(PLAIN, Regime.STATE, accepted, 2) == date(2026, 4, 20)
    with pytest.raises(ValidationError) as refused:
        due_date(PLAIN, Regime.STATE, accepted, 3)
    assert refused.value.errors == {"extensions": "Cơ quan nhà nước chỉ được gia hạn tối đa 2 lần."}


def test_the_party_at_co_so_counts_ninety_working_days_and_may_extend_once():
    accepted = date(2026, 1, 5)                                          # a Monday
    due = due_date(PLAIN, Regime.PARTY, accepted)
    # 18 weeks would end on Monday 11/5; Tết (5 days), Giỗ Tổ observed on 27/4, 30/4 and 1/5 add 8 more.
    assert due == date(2026, 5, 21)
    assert PLAIN.working_days_between(accepted, due) == 90
    extended = due_date(PLAIN, Regime.PARTY, accepted, 1)
    assert PLAIN.working_days_between(due, extended) == 30
    with pytest.raises(ValidationError):
        due_date(PLAIN, Regime.PARTY, accepted, 2)
