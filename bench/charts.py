"""Which chart library the overview draws with (issue 25): start-up cost, memory and bundle size of each
candidate, against a plain QtWidgets window, each in a fresh process, in one run.

    .venv/bin/python bench/charts.py [--others /tmp/chartlibs]

QtCharts ships with PySide6-Addons (already installed). pyqtgraph and matplotlib are not the app's
packages: install them apart, `pip install --target /tmp/chartlibs pyqtgraph matplotlib`, and name
that folder with --others; a candidate not found is reported so. For each: the seconds from a bare
interpreter to a 12-point line chart with a target line grabbed to an image, the peak memory (max RSS),
and the size on disk of the packages it adds. Prints JSON with each figure over the baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

POINTS = "[93.6, 96.6, 93.6, 92.9, 94.2, 89.0, 93.5, 94.2, 93.1, 92.4, 95.1, 94.0]"
SETUP = """
import resource, sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
"""
DRAW = {
    "baseline": "window = QWidget(); window.resize(640, 300); window.show(); app.processEvents(); window.grab()",
    "qtcharts": f"""
from PySide6.QtCharts import QChart, QChartView, QLineSeries
chart = QChart(); rate, goal = QLineSeries(), QLineSeries()
for i, v in enumerate({POINTS}): rate.append(i, v); goal.append(i, 95)
chart.addSeries(rate); chart.addSeries(goal); chart.createDefaultAxes()
view = QChartView(chart); view.resize(640, 300); view.show(); app.processEvents(); view.grab()
""",
    "pyqtgraph": f"""
import pyqtgraph
plot = pyqtgraph.PlotWidget(); plot.plot({POINTS}); plot.plot([95] * 12)
plot.resize(640, 300); plot.show(); app.processEvents(); plot.grab()
""",
    "matplotlib": f"""
import matplotlib
matplotlib.use("QtAgg")
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
figure = Figure(figsize=(6.4, 3)); axes = figure.add_subplot(); axes.plot({POINTS}); axes.axhline(95)
canvas = FigureCanvasQTAgg(figure); canvas.show(); app.processEvents(); canvas.grab()
""",
}
REPORT = "\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"   # KiB on Linux: MB
ADDED = {"qtcharts": ["PySide6/Qt/lib/libQt6Charts.so.6", "PySide6/QtCharts.abi3.so"],
         "pyqtgraph": ["pyqtgraph", "numpy", "numpy.libs"],
         "matplotlib": ["matplotlib", "numpy", "numpy.libs", "PIL", "pillow.libs", "kiwisolver", "fontTools",
                        "contourpy", "cycler", "pyparsing", "dateutil", "mpl_toolkits"]}


def run_once(name: str, others: str | None) -> tuple[float, float] | None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if others:
        env["PYTHONPATH"] = others
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", SETUP + DRAW[name] + REPORT], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode:
        return None
    return seconds, float(done.stdout.split()[-1])


def size_mb(parts: list[str], roots: list[Path]) -> float:
    total = 0
    for part in parts:
        for root in roots:
            path = root / part
            if path.is_file():
                total += path.stat().st_size
            elif path.is_dir():
                total += sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    return round(total / 1_048_576, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--others", help="a folder where pyqtgraph and matplotlib were installed (pip --target)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import PySide6

    roots = [Path(PySide6.__file__).parent.parent] + ([Path(args.others)] if args.others else [])
    figures: dict[str, dict] = {}
    for name in DRAW:
        runs = [run_once(name, args.others) for _ in range(args.repeat)]
        if None in runs:
            figures[name] = {"found": False}
            continue
        figures[name] = {"seconds": round(min(s for s, _m in runs), 3), "peak_mb": round(min(m for _s, m in runs), 1),
                         "bundle_added_mb": size_mb(ADDED.get(name, []), roots)}
    base = figures["baseline"]
    for name, found in figures.items():
        if name != "baseline" and found.get("seconds") is not None:
            found["seconds_over_baseline"] = round(found["seconds"] - base["seconds"], 3)
            found["peak_mb_over_baseline"] = round(found["peak_mb"] - base["peak_mb"], 1)
    print(json.dumps(figures, indent=2), flush=True)


if __name__ == "__main__":
    main()
