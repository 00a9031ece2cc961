"""The one reader of the system clock: every service, report, page and command asks here.

Reports, deadlines and "not in the future" rules all hang on today, so one place decides what today
is. Tests move it with time-machine (one fixture in tests/conftest.py); a subprocess of the tests
(the command line) gets the same moment through `TUYENGIAO_NOW`, an ISO date-time the process's
clock starts at and runs on from.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta
from functools import cache

NOW_VARIABLE = "TUYENGIAO_NOW"


@cache
def _started_at(fixed: str) -> tuple[datetime, float]:
    moment = datetime.fromisoformat(fixed)
    if moment.tzinfo is None:       # a naive moment is local time, as a person would write it
        moment = moment.astimezone()
    return moment.astimezone(UTC), time.monotonic()


def now() -> datetime:
    """This moment, aware, in UTC."""
    fixed = os.environ.get(NOW_VARIABLE)
    if fixed:
        start, ticks = _started_at(fixed)
        return start + timedelta(seconds=time.monotonic() - ticks)
    return datetime.now(UTC)


def utcnow() -> datetime:
    """Naive UTC, as stored: SQLite keeps no zone, so every stored timestamp is UTC without one."""
    return now().replace(tzinfo=None)


def local_now() -> datetime:
    """Naive local time, for what a person reads: file names, "made at" lines, the audit page."""
    return now().astimezone().replace(tzinfo=None)


def today() -> date:
    """The local calendar day."""
    return local_now().date()


def epoch_ms() -> int:
    """Milliseconds since 1970 (the time part of a UUIDv7)."""
    return int(now().timestamp() * 1000)


def to_local(stored: datetime) -> datetime:
    """A stored time (naive UTC, or aware) on this computer's clock, naive: Vietnam's on the offices' laptops."""
    aware = stored if stored.tzinfo else stored.replace(tzinfo=UTC)
    return aware.astimezone().replace(tzinfo=None)


def utc_start_of(day: date) -> datetime:
    """The start of a local day as stored (naive UTC): the bound of a "from this day" filter."""
    return datetime.combine(day, datetime.min.time()).astimezone(UTC).replace(tzinfo=None)
