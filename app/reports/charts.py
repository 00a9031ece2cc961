"""The overview's charts on paper, for the phụ lục: drawn with ReportLab's own graphics, never in the
report's body. The same months and kinds the «Tổng quan» page draws (app/services/overview.py)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm

from app.reports.data import ReportData
from app.services.numbers import count_text, percent_text

RATE_COLOUR, TARGET_COLOUR = colors.HexColor("#1f77b4"), colors.HexColor("#b00020")


def month_label(period) -> str:
    return f"{period.start.month}/{period.start.year % 100:02d}"


def titles(data: ReportData) -> list[str]:
    """The charts' titles, numbered after the phụ lục's tables: none unless the report was built with them."""
    if not data.months:
        return []
    found = []
    if any(month.expected for month in data.months):
        found.append("Tỷ lệ đảng viên tham dự theo tháng (lượt), mười hai tháng đến hết kỳ, so với chỉ tiêu")
    if any(line.meetings for line in data.forms):
        found.append("Hội nghị, buổi sinh hoạt trong kỳ theo loại")
    return found


def rate_by_month(data: ReportData, family: str, width: float = 165 * mm, height: float = 70 * mm) -> Drawing:
    """The lượt rate month by month against the target line; a month with nobody expected breaks the line
    (no false 0%): each unbroken run of months is its own line of the same colour."""
    months, target = data.months, float(data.months_target)
    rates = [month.rate for month in months]
    shown = [rate for rate in rates if rate is not None] + [target]
    step = 5 if min(shown) >= 55 else 10   # round ticks: 75, 80 … 100 or 0, 10 … 100
    lowest = max(0, int(min(shown) // step) * step - step)
    runs: list[list[tuple[int, float]]] = []
    for index, rate in enumerate(rates):
        if rate is None:
            continue
        if runs and runs[-1][-1][0] == index - 1:
            runs[-1].append((index, rate))
        else:
            runs.append([(index, rate)])
    drawing = Drawing(width, height)
    chart = LinePlot()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 16 * mm, width - 16 * mm, height - 22 * mm
    chart.data = [[(index, target) for index in range(len(months))], *runs]
    chart.lines[0].strokeColor, chart.lines[0].strokeDashArray = TARGET_COLOUR, (4, 3)
    for line in range(1, len(runs) + 1):
        chart.lines[line].strokeColor, chart.lines[line].strokeWidth = RATE_COLOUR, 1.5
        chart.lines[line].symbol = makeMarker("FilledCircle", size=3, fillColor=RATE_COLOUR)
    names = [month_label(month.period) for month in months]
    axis = chart.xValueAxis
    axis.valueMin, axis.valueMax, axis.valueSteps = -0.5, len(months) - 0.5, list(range(len(months)))
    axis.labelTextFormat = lambda value: names[round(value)] if 0 <= round(value) < len(names) else ""
    axis.labels.fontName, axis.labels.fontSize = family, 9
    value = chart.yValueAxis
    value.valueMin, value.valueMax, value.valueStep = lowest, 100, step
    value.labelTextFormat = lambda figure: f"{figure:.0f}%"
    value.labels.fontName, value.labels.fontSize = family, 9
    drawing.add(chart)
    for index, rate in enumerate(rates):   # each month's rate written over its point, in Vietnamese figures
        if rate is not None:
            x = chart.x + (index + 0.5) / len(months) * chart.width
            y = chart.y + (rate - lowest) / (100 - lowest) * chart.height + 4
            drawing.add(String(x, y, percent_text(rate, 1), fontName=family, fontSize=7, textAnchor="middle"))
    legend = Legend()
    legend.x, legend.y = 14 * mm, 5 * mm
    legend.fontName, legend.fontSize = family, 9
    legend.columnMaximum = 1
    legend.deltax = 60 * mm
    legend.alignment = "right"
    legend.colorNamePairs = [(RATE_COLOUR, "Tỷ lệ tham dự"), (TARGET_COLOUR, f"Chỉ tiêu {percent_text(target, 0)}")]
    drawing.add(legend)
    return drawing


def sessions_by_kind(data: ReportData, family: str, width: float = 165 * mm) -> Drawing:
    lines = [line for line in data.forms if line.meetings]
    height = (14 + 9 * len(lines)) * mm
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 50 * mm, 6 * mm, width - 62 * mm, height - 10 * mm
    chart.data = [[line.meetings for line in reversed(lines)]]   # the first kind at the top
    chart.categoryAxis.categoryNames = [line.kind.label for line in reversed(lines)]
    chart.categoryAxis.labels.fontName = family
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(line.meetings for line in lines) * 1.15
    chart.valueAxis.labels.fontName = family
    chart.valueAxis.labels.fontSize = 9
    chart.valueAxis.labelTextFormat = lambda value: count_text(round(value))
    chart.bars[0].fillColor = RATE_COLOUR
    chart.barLabelFormat = lambda value: count_text(round(value))
    chart.barLabels.fontName = family
    chart.barLabels.fontSize = 9
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def drawings(data: ReportData, family: str) -> list[tuple[str, Drawing]]:
    """(title, drawing) of each chart with something to show."""
    found = []
    for title in titles(data):
        drawing = rate_by_month(data, family) if title.startswith("Tỷ lệ") else sessions_by_kind(data, family)
        found.append((title, drawing))
    return found

