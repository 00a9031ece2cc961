"""Working days and case deadlines (DOMAIN.md, "Reported cases").

Public holidays, Tết by the lunar calendar included, come from the maintained `holidays` library. The
government moves days off and working Saturdays every year, so the office's exceptions sit on top:
a day listed as a day off is one, a day listed as a working day is one, whatever the library says.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from app.config import SETTINGS
from app.models.enums import Regime
from app.services.errors import ValidationError


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    import holidays  # loads its country tables only when a deadline is first counted

    return frozenset(holidays.country_holidays("VN", years=year))


def holiday_name(day: date) -> str:
    """The holiday's Vietnamese name, or "" on an ordinary day."""
    import holidays

    return holidays.country_holidays("VN", years=day.year, language="vi").get(day, "")


@dataclass(frozen=True)
class Calendar:
    """Weekends and public holidays off, adjusted by the office's exceptions (day -> is a working day)."""

    exceptions: Mapping[date, bool] = field(default_factory=dict)

    def is_working_day(self, day: date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5 and day not in _public_holidays(day.year)

    def add_working_days(self, start: date, count: int) -> date:
        """The day on which `count` working days after `start` have run (start itself not counted)."""
        day, left = start, count
        while left > 0:
            day += timedelta(days=1)
            left -= self.is_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end is not after start)."""
        return sum(self.is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


def due_date(calendar: Calendar, regime: Regime, accepted_on: date, extensions: int = 0) -> date:
    """The deadline of a case accepted on that day, after that many extensions (each has its reason
    elsewhere); refuses more extensions than the regime allows."""
    regime = Regime(regime)
    if regime is Regime.STATE:
        allowed, base, step = SETTINGS.state_max_extensions, SETTINGS.state_days, SETTINGS.state_extension_days
    else:
        allowed, base, step = SETTINGS.party_max_extensions, SETTINGS.party_working_days, SETTINGS.party_extension_days
    if not 0 <= extensions <= allowed:
        raise ValidationError.one("extensions", f"{regime.label} chỉ được gia hạn tối đa {allowed} lần.")
    days = base + extensions * step
    if regime is Regime.STATE:
        return accepted_on + timedelta(days=days)
    return calendar.add_working_days(accepted_on, days)
