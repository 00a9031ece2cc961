"""The overview's charts on paper, for the phụ lục: drawn with ReportLab's own graphics, never in the
report's body. The charts the «Tổng quan» page draws (app/services/overview.py), from the report's own
figures: the months against the target, sessions by kind, the change on last year, a tracked document
by commune, cases by sign group."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm

from app.reports.data import ReportData
from app.services.documents import coverage
from app.services.headline import HEADLINE_LABELS, change
from app.services.numbers import count_text, percent_text
from app.services.overview import month_label, rate_axis

RATE_COLOUR, TARGET_COLOUR = colors.HexColor("#1f77b4"), colors.HexColor("#b00020")


RATE_TITLE = "Tỷ lệ đảng viên tham dự theo tháng (lượt), mười hai tháng đến hết kỳ, so với chỉ tiêu"


@dataclass(frozen=True)
class BarSet:
    """One bar chart of the phụ lục: what the PDF draws and the workbook charts over its cells."""

    title: str
    heading: str                     # the workbook's column over the values
    labels: list[str]
    values: list[int]
    percent: bool = False            # the values are whole percentages

    def written(self, value: int) -> str:
        if not self.percent:
            return count_text(value)
        return f"{value:+d}%" if self.heading.startswith("Tăng") and value else f"{value}%"


def has_rate(data: ReportData) -> bool:
    return any(month.expected for month in data.months)


def bar_sets(data: ReportData) -> list[BarSet]:
    """The bar charts with something to show, in the page's order: none unless the report was built with
    charts."""
    if not data.months:
        return []
    found = []
    kinds = [line for line in data.forms if line.meetings]
    if kinds:
        found.append(BarSet("Hội nghị, buổi sinh hoạt trong kỳ theo loại", "Số hội nghị, buổi",
                            [line.kind.label for line in kinds], [line.meetings for line in kinds]))
    rises = [(label, change(data.current, data.year_before, name)) for name, label in HEADLINE_LABELS.items()]
    rises = [(label, round(rise)) for label, rise in rises if rise is not None]
    if rises:
        found.append(BarSet(f"Tăng (+), giảm (−) so với cùng kỳ năm {data.year_before.period.start.year} (%)",
                            "Tăng, giảm (%)", [label for label, _n in rises], [n for _label, n in rises], True))
    cover = next((c for c in data.outreach.coverage if len(coverage.by_parent(c.lines)) > 1), None)
    if cover is not None:
        parents = coverage.by_parent(cover.lines)
        found.append(BarSet(f"{cover.document.kind.label} số {cover.document.number}: tỷ lệ {cover.unit_word} đã tổ "
                            "chức quán triệt, theo đảng bộ (%)", "Đã tổ chức (%)", [name for name, _d, _t in parents],
                            [round(100 * done / total) for _name, done, total in parents], True))
    if any(line.count for line in data.cases.by_sign_group):
        found.append(BarSet("Phản ánh, kiến nghị trong kỳ theo nhóm biểu hiện", "Số vụ việc",
                            [line.name for line in data.cases.by_sign_group],
                            [line.count for line in data.cases.by_sign_group]))
    return found


def titles(data: ReportData) -> list[str]:
    """The charts' titles, numbered after the phụ lục's tables."""
    return ([RATE_TITLE] if data.months and has_rate(data) else []) + [bars.title for bars in bar_sets(data)]


def rate_by_month(data: ReportData, family: str, width: float = 165 * mm, height: float = 70 * mm) -> Drawing:
    """The lượt rate month by month against the target line; a month with nobody expected breaks the line
    (no false 0%): each unbroken run of months is its own line of the same colour."""
    months, target = data.months, float(data.months_target)
    rates = [month.rate for month in months]
    lowest, step = rate_axis(rates, target)
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
    legend.colorNamePairs = [(RATE_COLOUR, "Tỷ lệ tham dự"), (TARGET_COLOUR, f"Chỉ tiêu {percent_text(target)}")]
    drawing.add(legend)
    return drawing


def draw_bars(labels: list[str], values: list[int], family: str, written, width: float = 165 * mm) -> Drawing:
    """One bar per label, the first at the top, each value written at its bar's end (a fall runs left)."""
    height = (14 + 9 * len(labels)) * mm
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 62 * mm, 6 * mm, width - 76 * mm, height - 10 * mm
    chart.data = [list(reversed(values))]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.labels.fontName = family
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.boxAnchor = "e"
    low, high = min([*values, 0]), max([*values, 1])
    # Room beyond each end for the figure written there, a fall's on the left.
    chart.valueAxis.valueMin = low - 0.22 * (high - low) if low < 0 else 0
    chart.valueAxis.valueMax = high * 1.15
    chart.valueAxis.valueStep = whole_step(chart.valueAxis.valueMax - chart.valueAxis.valueMin)
    chart.valueAxis.labels.fontName = family
    chart.valueAxis.labels.fontSize = 9
    chart.valueAxis.labelTextFormat = lambda value: written(round(value))
    chart.bars[0].fillColor = RATE_COLOUR
    chart.barLabelFormat = lambda value: written(round(value))
    chart.barLabels.fontName = family
    chart.barLabels.fontSize = 9
    chart.barLabels.boxAnchor = "w"   # beyond the bar's end: ReportLab turns it round for a fall
    chart.barLabels.nudge = 3
    chart.categoryAxis.labelAxisMode = "low"   # the names left of the chart, not on a zero line inside it
    drawing.add(chart)
    return drawing


def whole_step(span: float) -> int:
    """A round step of about five ticks over `span`, never a fraction (counts of 1 print 0, 1, not 0, 0, 1)."""
    rough = max(1.0, span / 5)
    return next(step for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 10**9)
                if step >= rough)


def drawings(data: ReportData, family: str) -> list[tuple[str, Drawing]]:
    """(title, drawing) of each chart with something to show."""
    found = [(RATE_TITLE, rate_by_month(data, family))] if data.months and has_rate(data) else []
    return found + [(bars.title, draw_bars(bars.labels, bars.values, family, bars.written))
                    for bars in bar_sets(data)]

