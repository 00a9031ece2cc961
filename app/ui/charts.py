"""The overview's charts, drawn with QtCharts (PySide6's add-ons, already shipped with the app).

QtCharts was measured against pyqtgraph and matplotlib (bench/charts.py, each in a fresh process over a
plain Qt window): QtCharts adds no start-up time of note, about 10 MB of memory and 3 MB to the bundle;
pyqtgraph adds 0,6 s, 66 MB and 75 MB (numpy); matplotlib 0,8 s, 88 MB and 187 MB. It loads the first
time a chart is drawn (app/ui/qt.py's late names), so the login window opens no later than before.
Numbers follow Vietnamese usage (99,16%; 35.599) through the chart's locale.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.services.numbers import percent_text
from app.services.overview import rate_axis
from app.ui import style
from app.ui.qt import QColor, QLocale, QMargins, QPainter, Qt, QWidget

VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
RATE_COLOUR = "#1f77b4"
HEIGHT = 230   # two charts side by side and the figures above them fit a 1366×768 screen


def _chart(title: str):
    from app.ui.qt import QChart

    chart = QChart()
    chart.setTitle(title)
    chart.setLocalizeNumbers(True)
    chart.setLocale(VIETNAMESE)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    return chart


def _view(chart, height: int = HEIGHT) -> QWidget:
    from app.ui.qt import QChartView

    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(height)
    return view


def rate_by_month(labels: Sequence[str], rates: Sequence[float | None], target: float) -> QWidget:
    """The attendance rate (lượt) month by month against the target line; a month with nobody expected
    leaves a gap rather than a false 0%."""
    from app.ui.qt import QBarCategoryAxis, QLineSeries, QValueAxis

    chart = _chart("Tỷ lệ đảng viên tham dự theo tháng (lượt) so với chỉ tiêu")
    goal = QLineSeries(name=f"Chỉ tiêu {percent_text(float(target))}")
    goal.setColor(QColor(style.ERROR))
    pen = goal.pen()
    pen.setStyle(Qt.PenStyle.DashLine)
    goal.setPen(pen)
    runs: list = []   # each unbroken run of months its own line: a month with nobody expected is a gap
    for index, value in enumerate(rates):
        goal.append(index, target)
        if value is None:
            continue
        if not runs or runs[-1][1] != index - 1:
            run = QLineSeries(name="Tỷ lệ tham dự")
            line = run.pen()
            line.setColor(QColor(RATE_COLOUR))
            line.setWidth(2)
            run.setPen(line)
            run.setPointsVisible(True)
            run.setMarkerSize(5)
            run.setPointLabelsVisible(True)
            run.setPointLabelsFormat("@yPoint%")
            run.setPointLabelsClipping(False)
            runs.append([run, index])
        runs[-1][0].append(index, round(value, 1))
        runs[-1][1] = index
    series_all = [*(run for run, _last in runs), goal]
    for series in series_all:
        chart.addSeries(series)
    for run, _last in runs[1:]:   # one legend entry for the rate, however many pieces its line is in
        chart.legend().markers(run)[0].setVisible(False)
    months = QBarCategoryAxis()
    months.append(list(labels))
    lowest, step = rate_axis(list(rates), target)
    percent = QValueAxis()
    percent.setRange(lowest, 100)
    percent.setTickCount((100 - lowest) // step + 1)
    percent.setLabelFormat("%.0f")
    percent.setTitleText("%")
    chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(percent, Qt.AlignmentFlag.AlignLeft)
    for series in series_all:
        series.attachAxis(percent)
    # A line over a category axis: the points stand on indexes 0..n-1, the axis names them.
    index_axis = QValueAxis()
    index_axis.setRange(-0.5, len(labels) - 0.5)
    index_axis.setVisible(False)
    chart.addAxis(index_axis, Qt.AlignmentFlag.AlignBottom)
    for series in series_all:
        series.attachAxis(index_axis)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return _view(chart)


def bars(title: str, labels: Sequence[str], values: Sequence[float], *, unit: str = "", percent: bool = False) -> QWidget:
    """Counts (or percentages), one bar each, in the order given from the top down, the value written at
    its bar's end; a negative value (a fall) runs left of zero."""
    from app.ui.qt import QBarCategoryAxis, QBarSet, QHorizontalBarSeries, QValueAxis

    chart = _chart(title)
    counts = QBarSet(unit or title)
    counts.setColor(QColor(RATE_COLOUR))
    counts.setLabelColor(QColor("black"))
    counts.append([float(value) for value in reversed(values)])   # Qt stacks the first at the bottom
    series = QHorizontalBarSeries()
    series.append(counts)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value%" if percent else "@value")
    series.setLabelsPosition(type(series).LabelsPosition.LabelsOutsideEnd)   # a short bar keeps its count
    chart.addSeries(series)
    names = QBarCategoryAxis()
    names.append(list(reversed(labels)))
    scale = QValueAxis()
    scale.setRange(min([*values, 0]) * 1.25, max([*values, 1]) * 1.15)
    scale.setLabelFormat("%d%%" if percent else "%d")
    chart.addAxis(names, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(scale, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(names)
    series.attachAxis(scale)
    chart.legend().setVisible(False)
    return _view(chart, max(HEIGHT, 60 + 26 * len(labels)))
