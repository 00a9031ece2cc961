"""The loudspeaker log (hệ thống thông tin cơ sở): what each commune's station aired, day by day.

Clerks enter a week at a time: one line per content (with its document, when there is one, and the
length of one airing), one column per day with the number of airings. A week is saved whole in one
transaction, and only if nobody changed that station's week since it was opened.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import clock
from app.clock import utcnow
from app.db import Database
from app.models import Broadcast, Document, Unit
from app.services import audit, closed_periods, sync
from app.services.auth import Actor, Permission, require
from app.services.errors import Conflict, ValidationError
from app.services.numbers import count_text, short_date
from app.services.scope import require_unit_in_scope
from app.services.search import clean, fold

# What a commune loudspeaker can air: more is a typing slip (a week's total in a day's box).
MAX_TIMES_A_DAY = 12       # airings of one content in a day
MAX_MINUTES_EACH = 120     # minutes of one airing
MINUTES_A_DAY = 24 * 60    # all contents of a day together
DAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


@dataclass
class WeekLine:
    content: str
    minutes_each: int | None              # length of one airing
    times: list[int] = field(default_factory=lambda: [0] * 7)   # airings, Monday to Sunday
    document_id: int | None = None

    @property
    def total_times(self) -> int:
        return sum(self.times)


@dataclass
class Week:
    unit_id: int
    monday: date
    lines: list[WeekLine]
    stamp: tuple[int, str]                # rows and last change when read: the week's version

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=offset) for offset in range(7)]


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _rows(session: Session, unit_id: int, monday: date):
    return session.scalars(select(Broadcast).where(
        Broadcast.unit_id == unit_id, Broadcast.aired_on >= monday, Broadcast.aired_on < monday + timedelta(days=7),
        Broadcast.deleted_at.is_(None)).order_by(Broadcast.id)).all()


def _stamp(rows) -> tuple[int, str]:
    latest = max((row.updated_at for row in rows), default=None)
    return len(rows), latest.isoformat() if latest else ""


def week(db: Database, actor: Actor, unit_id: int, day: date) -> Week:
    """The station's week containing `day`, one line per content (in the order first entered)."""
    require(actor, Permission.VIEW_MEETINGS)
    monday = monday_of(day)
    with db.session_scope() as session:
        require_unit_in_scope(session, actor, unit_id, monday)
        rows = _rows(session, unit_id, monday)
        lines: dict[tuple[str, int | None], WeekLine] = {}
        for row in rows:
            key = (row.content_folded, row.document_id)
            line = lines.setdefault(key, WeekLine(row.content, max(1, row.minutes // row.times),
                                                  document_id=row.document_id))
            line.times[(row.aired_on - monday).days] += row.times
        return Week(unit_id, monday, list(lines.values()), _stamp(rows))


def _check(session: Session, week_: Week, today: date) -> list[WeekLine]:
    """Cleaned lines with airings; each problem under "line.N" (N counted from 1, as the grid numbers rows)."""
    errors: dict[str, str] = {}
    unit = session.get(Unit, week_.unit_id)
    if unit is None or unit.deleted_at is not None:
        errors["unit_id"] = "Hãy chọn đài truyền thanh (xã) của tuần này."
    documents = {line.document_id for line in week_.lines if line.document_id}
    live = set(session.scalars(select(Document.id).where(Document.id.in_(documents), Document.deleted_at.is_(None))))
    seen: dict[tuple[str, int | None], int] = {}
    kept = []
    for number, line in enumerate(week_.lines, start=1):
        key = f"line.{number}"
        content = clean(line.content)
        times = list(line.times) + [0] * (7 - len(line.times))
        if not content and not any(times):
            continue   # an empty row of the grid
        negative = [DAYS[i] for i, value in enumerate(times) if value is None or value < 0]
        future = [DAYS[i] for i, value in enumerate(times) if value and week_.days[i] > today]
        if not content:
            errors[key] = f"Dòng {number}: hãy ghi nội dung phát."
        elif len(content) > 300:
            errors[key] = f"Dòng {number}: nội dung dài quá 300 ký tự."
        elif negative:
            errors[key] = f"Dòng {number}: số lượt phát {negative[0]} không được âm."
        elif future:
            errors[key] = f"Dòng {number}: {future[0]} ({short_date(week_.days[DAYS.index(future[0])])}) chưa tới."
        elif any(times) and (line.minutes_each is None or line.minutes_each < 1):
            errors[key] = f"Dòng {number}: số phút mỗi lượt phải từ 1 trở lên."
        elif any(times) and line.minutes_each > MAX_MINUTES_EACH:
            errors[key] = (f"Dòng {number}: mỗi lượt {count_text(line.minutes_each)} phút, quá {MAX_MINUTES_EACH} "
                           "phút một lượt: hãy kiểm tra lại (ghi số phút của một lượt, không phải cả tuần).")
        elif max(times) > MAX_TIMES_A_DAY:
            day = max(range(7), key=lambda i: times[i])
            errors[key] = (f"Dòng {number}: {DAYS[day]} ghi {count_text(times[day])} lượt, quá {MAX_TIMES_A_DAY} lượt "
                           "một ngày cho một nội dung: hãy kiểm tra lại.")
        elif line.document_id and line.document_id not in live:
            errors[key] = f"Dòng {number}: văn bản đã chọn không còn trong sổ."
        elif (fold(content), line.document_id) in seen:
            errors[key] = f"Dòng {number}: trùng nội dung với dòng {seen[(fold(content), line.document_id)]}."
        seen.setdefault((fold(content), line.document_id), number)
        if any(times):
            kept.append(WeekLine(content, line.minutes_each, times, line.document_id))
    if not errors:   # all the lines together: a day has 24 hours of airtime at most
        for day in range(7):
            minutes = sum(line.times[day] * line.minutes_each for line in kept)
            if minutes > MINUTES_A_DAY:
                errors["times"] = (f"{DAYS[day]} ({short_date(week_.days[day])}) có tổng cộng {count_text(minutes)} "
                                   f"phút phát, quá {count_text(MINUTES_A_DAY)} phút của một ngày: hãy kiểm tra lại "
                                   "số lượt và số phút mỗi lượt.")
                break
    if errors:
        raise ValidationError(errors)
    return kept


def save_week(db: Database, actor: Actor, week_: Week, *, today: date | None = None) -> int:
    """Replace the station's week with these lines; returns the number of airings saved."""
    require(actor, Permission.EDIT_DOCUMENTS)
    today = today or clock.today()
    monday = monday_of(week_.monday)
    week_ = Week(week_.unit_id, monday, week_.lines, week_.stamp)
    with db.session_scope() as session:
        require_unit_in_scope(session, actor, week_.unit_id, monday)
        lines = _check(session, week_, today)
        rows = _rows(session, week_.unit_id, monday)
        if _stamp(rows) != tuple(week_.stamp):
            who = max(rows, key=lambda row: row.updated_at).updated_by if rows else "người khác"
            raise Conflict(f"Tuần {short_date(monday)}–{short_date(monday + timedelta(days=6))} của đài này vừa được "
                           f"{who} sửa; thay đổi của bạn chưa được lưu. Hãy mở lại tuần để xem bản mới.")
        # Only the days whose airings change must be in an open period (a closed month's days stay as they were).
        before = Counter((row.aired_on, row.content, row.document_id, row.times, row.minutes) for row in rows)
        after = Counter((monday + timedelta(days=offset), line.content, line.document_id, times,
                         times * line.minutes_each) for line in lines for offset, times in enumerate(line.times) if times)
        for day in sorted({entry[0] for entry in (before - after) + (after - before)}):
            closed_periods.require_open(session, week_.unit_id, day, field="week")
        now = utcnow()
        for row in rows:
            row.deleted_at = now
            sync.touch(row, actor)
        saved = 0
        for line in lines:
            for offset, times in enumerate(line.times):
                if times:
                    row = Broadcast(unit_id=week_.unit_id, aired_on=monday + timedelta(days=offset),
                                    content=line.content, content_folded=fold(line.content),
                                    document_id=line.document_id, times=times, minutes=times * line.minutes_each)
                    sync.stamp_new(db, row, actor)
                    session.add(row)
                    saved += times
        audit.record(session, actor, "sửa", "broadcast", f"{week_.unit_id}/{monday.isoformat()}",
                     f"Nhật ký phát thanh tuần từ {short_date(monday)}: {saved} lượt",
                     after={"lines": len(lines), "times": saved})
        return saved


@dataclass(frozen=True)
class BroadcastTotals:
    times: int
    minutes: int


def totals(session: Session, unit_ids: set[int] | None, start: date, end: date) -> BroadcastTotals:
    query = select(func.coalesce(func.sum(Broadcast.times), 0), func.coalesce(func.sum(Broadcast.minutes), 0)).where(
        Broadcast.aired_on >= start, Broadcast.aired_on <= end, Broadcast.deleted_at.is_(None))
    if unit_ids is not None:
        query = query.where(Broadcast.unit_id.in_(sorted(unit_ids)))
    return BroadcastTotals(*session.execute(query).one())
