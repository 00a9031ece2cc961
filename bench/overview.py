"""«Tổng quan» on the large demo (issue 25's bar: first paint under 300 ms, charts filled under 1 s).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/overview.py [--db bench/out/large.sqlite] [--month 2026-10]

For each role, the page is built and shown (first paint: what the GUI thread holds before the window
can paint «Đang tải…»), then the reads run off the GUI thread until the figures and charts are in
(charts filled), and the slower lists after them (each tracked document's coverage, the reports below).
Two baselines in the same run: a plain page of one label built and shown, and the sessions page, every
role's first page before the overview (what a login waited for until then). Each figure is the slowest
of three runs. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROLES = {"lanhdao": "lanhdao2026", "nhaplieu": "nhaplieu2026", "kiemtra": "kiemtra2026", "quantri": "quantri2026"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=str(Path(__file__).resolve().parent / "out" / "large.sqlite"))
    parser.add_argument("--month", default="2026-10", help="the demo's last full month by default")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("TUYENGIAO_NOW", f"{args.month}-25T09:00:00+07:00")   # the month as "this month"

    from app.db import open_database
    from app.services import auth
    from app.services.auth import Permission
    from app.ui.app import make_application
    from app.ui.pages.overview import OverviewPage
    from app.ui.qt import QLabel, QWidget
    from app.ui.widgets.common import Context

    app = make_application([])
    db = open_database(args.db)

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def plain_page() -> float:
        start = time.perf_counter()
        page = QWidget()
        QLabel("Tổng quan", page)
        page.resize(1176, 728)
        page.show()
        app.processEvents()
        seconds = time.perf_counter() - start
        page.close()
        page.deleteLater()
        settle()
        return seconds

    def sessions_page(actor) -> float:
        from app.ui.pages.meetings import MeetingsPage

        start = time.perf_counter()
        page = MeetingsPage(Context(db, actor))
        page.resize(1176, 728)
        page.show()
        app.processEvents()
        seconds = time.perf_counter() - start
        while page.totals_waiting:
            app.processEvents()
            time.sleep(0.002)
        page.close()
        page.deleteLater()
        settle()
        return seconds

    figures: dict[str, object] = {"db": args.db, "month": args.month,
                                  "baseline_plain_page_ms": round(max(plain_page() for _ in range(3)) * 1000, 1)}
    for username, password in ROLES.items():
        actor = auth.login(db, username, password)
        painted, filled, listed = [], [], []
        for _ in range(3):
            start = time.perf_counter()
            page = OverviewPage(Context(db, actor))
            page.resize(1176, 728)
            page.show()
            app.processEvents()
            painted.append(time.perf_counter() - start)
            while page._reader.waiting:   # the figures and the charts
                app.processEvents()
                time.sleep(0.002)
            app.processEvents()   # the charts drawn
            filled.append(time.perf_counter() - start)
            while page.waiting:   # then the lists (tracked documents' coverage, the reports from below)
                app.processEvents()
                time.sleep(0.002)
            app.processEvents()
            listed.append(time.perf_counter() - start)
            page.close()
            page.deleteLater()
            settle()
        first, full = max(painted) * 1000, max(filled) * 1000
        before = max(sessions_page(actor) for _ in range(3)) * 1000 if actor.can(Permission.VIEW_MEETINGS) else None
        figures[username] = {"first_paint_ms": round(first, 1), "charts_filled_ms": round(full, 1),
                             "lists_filled_ms": round(max(listed) * 1000, 1),
                             "first_paint_vs_plain": round(first / figures["baseline_plain_page_ms"], 1),
                             "sessions_page_first_paint_ms": before and round(before, 1),
                             "first_paint_vs_sessions_page": before and round(first / before, 2),
                             "first_paint_under_300_ms": first < 300, "filled_under_1_s": full < 1000}
    print(json.dumps(figures, ensure_ascii=False, indent=2), flush=True)


if __name__ == "__main__":
    main()
