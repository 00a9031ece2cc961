"""Numbers and dates the Vietnamese way: 35.599 · 99,16% · ngày 05 tháng 02 năm 2026."""

from __future__ import annotations

from datetime import date


def count_text(value: int) -> str:
    """Thousands separated by dots: 35.599."""
    return f"{value:,}".replace(",", ".")


def percent_text(value: float | None, places: int = 2) -> str:
    """A comma before the decimals: 99,16%; a whole percentage without them: 100% (a dash when there is
    nothing to divide)."""
    if value is None:
        return "–"
    if round(value, places) == round(value):
        places = 0
    return f"{value:,.{places}f}".replace(",", " ").replace(".", ",").replace(" ", ".") + "%"


def ratio(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


def rate_text(part: int, whole: int, noun: str = "đảng viên") -> str:
    """As reports write it: 35.599/35.900 đảng viên, đạt 99,16%."""
    return f"{count_text(part)}/{count_text(whole)} {noun}, đạt {percent_text(ratio(part, whole))}"


def short_date(day: date | None) -> str:
    return "" if day is None else f"{day:%d/%m/%Y}"


def cited_date(day: date | None, *, with_year: bool = True) -> str:
    """A date quoted in text, as offices write it: 09/5/2023, 05/02/2026 (zero before months 1 and 2)."""
    if day is None:
        return ""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}" + (f"/{day.year}" if with_year else "")


def date_range(start: date, end: date) -> str:
    """"từ ngày 15/9 đến ngày 20/10/2026" (the year once when both days share it)."""
    return f"từ ngày {cited_date(start, with_year=start.year != end.year)} đến ngày {cited_date(end)}"


def long_date(day: date) -> str:
    """"ngày 05 tháng 02 năm 2026": a leading zero for days under 10 and for months 1 and 2 (HD 36)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"
