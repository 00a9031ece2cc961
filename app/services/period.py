"""Report periods as offices name them: tháng 11 năm 2026, quý IV năm 2026, 6 tháng đầu năm 2026…

A period knows its dates, its label, the word its sentences start with ("Trong tháng"), the period
after it (for "Nhiệm vụ trọng tâm tháng 12 năm 2026"), the same period a year earlier and the span
from the first of January to its end (lũy kế từ đầu năm).
"""

from __future__ import annotations

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date, timedelta

from app.services.errors import ValidationError
from app.services.numbers import date_range, short_date


class PeriodKind(enum.Enum):
    MONTH = "thang"
    QUARTER = "quy"
    HALF = "6thang"
    NINE_MONTHS = "9thang"
    YEAR = "nam"
    RANGE = "khoang"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {PeriodKind.MONTH: "Tháng", PeriodKind.QUARTER: "Quý", PeriodKind.HALF: "6 tháng đầu năm",
               PeriodKind.NINE_MONTHS: "9 tháng đầu năm", PeriodKind.YEAR: "Năm", PeriodKind.RANGE: "Khoảng thời gian"}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
IN_PERIOD = {PeriodKind.MONTH: "Trong tháng", PeriodKind.QUARTER: "Trong quý", PeriodKind.HALF: "Trong 6 tháng",
             PeriodKind.NINE_MONTHS: "Trong 9 tháng", PeriodKind.YEAR: "Trong năm", PeriodKind.RANGE: "Trong kỳ"}
FIELD = "period"   # the field an invalid period is reported against


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    end: date

    # -- building ---------------------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        if not 1 <= month <= 12:
            raise ValidationError({FIELD: f"Tháng {month} không tồn tại: tháng là số từ 1 đến 12."})
        return cls(PeriodKind.MONTH, date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        if not 1 <= quarter <= 4:
            raise ValidationError({FIELD: f"Quý {quarter} không tồn tại: quý là số từ 1 đến 4."})
        last = quarter * 3
        return cls(PeriodKind.QUARTER, date(year, last - 2, 1), date(year, last, calendar.monthrange(year, last)[1]))

    @classmethod
    def half(cls, year: int) -> Period:
        return cls(PeriodKind.HALF, date(year, 1, 1), date(year, 6, 30))

    @classmethod
    def nine_months(cls, year: int) -> Period:
        return cls(PeriodKind.NINE_MONTHS, date(year, 1, 1), date(year, 9, 30))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def between(cls, start: date, end: date) -> Period:
        if end < start:
            raise ValidationError({FIELD: f"Ngày kết thúc ({short_date(end)}) trước ngày bắt đầu ({short_date(start)})."})
        return cls(PeriodKind.RANGE, start, end)

    @classmethod
    def parse(cls, kind: str, text: str, *, end: str = "") -> Period:
        """From the command line: thang 2026-11 · quy 2026-4 (or 2026-Q4) · 6thang/9thang/nam 2026 ·
        khoang 2026-11-01 with end 2026-11-20."""
        try:
            which = PeriodKind(kind)
        except ValueError:
            names = ", ".join(k.value for k in PeriodKind)
            raise ValidationError({"kind": f"Loại kỳ báo cáo «{kind}» không có; chọn một trong: {names}."}) from None
        text = text.strip()
        try:
            if which is PeriodKind.RANGE:
                return cls.between(date.fromisoformat(text), date.fromisoformat(end.strip()))
            if which is PeriodKind.MONTH:
                match = re.fullmatch(r"(\d{4})-(\d{1,2})", text)
                return cls.month(int(match[1]), int(match[2]))
            if which is PeriodKind.QUARTER:
                match = re.fullmatch(r"(\d{4})-[Qq]?(\d)", text)
                return cls.quarter(int(match[1]), int(match[2]))
            year = int(re.fullmatch(r"\d{4}", text)[0])
        except (TypeError, ValueError):
            examples = {PeriodKind.MONTH: "2026-11", PeriodKind.QUARTER: "2026-4", PeriodKind.RANGE:
                        "2026-11-01 đến 2026-11-20"}
            raise ValidationError({FIELD: f"Kỳ báo cáo «{text}» không đọc được; ghi dạng "
                                          f"{examples.get(which, '2026')}."}) from None
        return {PeriodKind.HALF: cls.half, PeriodKind.NINE_MONTHS: cls.nine_months, PeriodKind.YEAR: cls.year}[which](year)

    # -- naming -----------------------------------------------------------------------------------
    @property
    def label(self) -> str:
        """"tháng 11 năm 2026", "quý IV năm 2026", "6 tháng đầu năm 2026", "năm 2026"."""
        year = self.start.year
        return {
            PeriodKind.MONTH: f"tháng {self.start.month} năm {year}",
            PeriodKind.QUARTER: f"quý {ROMAN[(self.start.month + 2) // 3]} năm {year}",
            PeriodKind.HALF: f"6 tháng đầu năm {year}",
            PeriodKind.NINE_MONTHS: f"9 tháng đầu năm {year}",
            PeriodKind.YEAR: f"năm {year}",
            PeriodKind.RANGE: date_range(self.start, self.end),
        }[self.kind]

    @property
    def in_period(self) -> str:
        """How a sentence about the period starts: "Trong tháng", "Trong quý"…"""
        return IN_PERIOD[self.kind]

    @property
    def key(self) -> str:
        """A stable text key (drafts and the register are filed under it)."""
        return f"{self.kind.value}:{self.start.isoformat()}:{self.end.isoformat()}"

    @classmethod
    def from_key(cls, key: str) -> Period:
        kind, start, end = key.split(":")
        return cls(PeriodKind(kind), date.fromisoformat(start), date.fromisoformat(end))

    # -- related periods --------------------------------------------------------------------------
    def following_label(self) -> str:
        """The period the "nhiệm vụ trọng tâm" are for."""
        year = self.start.year
        if self.kind is PeriodKind.MONTH:
            following = self.end + timedelta(days=1)
            return f"tháng {following.month} năm {following.year}"
        if self.kind is PeriodKind.QUARTER:
            following = self.end + timedelta(days=1)
            return f"quý {ROMAN[(following.month + 2) // 3]} năm {following.year}"
        if self.kind is PeriodKind.HALF:
            return f"6 tháng cuối năm {year}"
        if self.kind is PeriodKind.NINE_MONTHS:
            return f"quý IV năm {year}"
        if self.kind is PeriodKind.YEAR:
            return f"năm {year + 1}"
        return "thời gian tới"

    def year_before(self) -> Period:
        """The same period a year earlier (29/02 falls back to 28/02)."""
        def back(day: date) -> date:
            return day.replace(year=day.year - 1, day=min(day.day, calendar.monthrange(day.year - 1, day.month)[1]))
        return Period(self.kind, back(self.start), back(self.end))

    def year_to_date(self) -> Period | None:
        """From 1 January to the period's end, when that is more than the period itself."""
        first = date(self.end.year, 1, 1)
        return None if self.start <= first else Period(PeriodKind.RANGE, first, self.end)
