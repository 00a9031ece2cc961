"""What holds the GUI thread on the large demo, for every role and every page (issue 22.13's bar:
each interaction under 100 ms on the GUI thread; anything longer goes off it).

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/pages.py [--db bench/out/large.sqlite]

For each role: login to the first page filled; then each page shown, each filter choice, a search
keystroke, each sort and a page of scrolling, timed as the synchronous call the user waits for (the
totals lines that follow run on their own thread and are let finish before the next timing). The
baseline is the same first page read with plain sqlite3. Prints JSON: the slowest of each kind per
role, and every figure over the bar by name.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from sessions import settle  # noqa: E402  (bench/ is the script's own folder)

BAR_MS = 100


def held_ms(action, repeat: int = 3) -> float:
    """The slowest of `repeat` runs of a GUI call, in ms, each started with nothing else running."""
    worst = 0.0
    for _ in range(repeat):
        settle()
        start = time.perf_counter()
        action()
        worst = max(worst, time.perf_counter() - start)
    settle()
    return round(worst * 1000, 1)


def page_figures(page) -> dict[str, float]:
    """Every interaction a list page offers, by name."""
    from app.ui.pages.base import ListPage
    from app.ui.qt import QCheckBox, QComboBox, Qt

    figures: dict[str, float] = {}
    refresh = getattr(page, "refresh", None)
    if refresh is not None:
        figures["refresh"] = held_ms(refresh)
    if not isinstance(page, ListPage):
        return figures
    page.search.blockSignals(True)
    page.search.setText("nguyen")
    page.search.blockSignals(False)
    figures["search"] = held_ms(page.refresh)   # what the debounce runs after a keystroke
    page.search.setText("")
    settle()
    for widget in page.filter_widgets:
        if isinstance(widget, QComboBox) and widget.count() > 1:
            name = f"filter {widget.itemText(1)[:30]}"
            figures[name] = held_ms(lambda widget=widget: (widget.setCurrentIndex(1), widget.setCurrentIndex(0)), 2) / 2
        elif isinstance(widget, QCheckBox):
            figures[f"filter {widget.text()[:30]}"] = held_ms(lambda widget=widget: (widget.toggle(), widget.toggle()),
                                                              2) / 2
    model = page.model
    first_sort = model.sort_name, model.descending
    for column, spec in enumerate(model.columns):
        if spec.sort is not None:
            figures[f"sort {spec.title}"] = held_ms(lambda column=column: model.sort(column, Qt.SortOrder.AscendingOrder),
                                                    2)
    model.sort_name, model.descending = first_sort
    model.reload()
    if model.canFetchMore():
        figures["scroll 200 rows"] = held_ms(model.fetchMore, 3)
    return figures


def role_figures(db, username: str, password: str) -> dict:
    from app.services import auth
    from app.ui.main_window import MainWindow
    from app.ui.qt import QApplication
    from app.ui.widgets.common import Context

    def login() -> MainWindow:
        actor = auth.login(db, username, password)
        window = MainWindow(Context(db, actor))
        window.show()
        QApplication.processEvents()
        return window

    logins = []
    for _ in range(3):   # the median of three, the last window kept for the pages
        settle()
        start = time.perf_counter()
        window = login()
        logins.append(time.perf_counter() - start)
        if len(logins) < 3:
            window.close()
    login_ms = round(sorted(logins)[1] * 1000, 1)
    figures: dict[str, dict[str, float]] = {}
    for number, title in enumerate(window.pages):
        # The first time a page is shown it is built and fills its first rows; later it is only shown.
        figures[title] = {"first show": held_ms(lambda number=number: (window.navigation.setCurrentRow(number),
                                                                       QApplication.processEvents()), 1)}
        figures[title].update(page_figures(window.pages[title]))
    window.close()
    over = {f"{page} · {what}": ms for page, each in figures.items() for what, ms in each.items() if ms > BAR_MS}
    slowest = max(((ms, f"{page} · {what}") for page, each in figures.items() for what, ms in each.items()))
    return {"login_to_first_page_ms": login_ms, "slowest": {slowest[1]: slowest[0]}, "over_bar": over,
            "pages": figures}


def every_role(path) -> dict:
    """run.py's share: per role, login and the slowest interaction, and anything over the bar."""
    from app import demo
    from app.db import open_database

    db = open_database(path)
    found = {}
    for username, password, *_ in demo.DEMO_USERS:
        figures = role_figures(db, username, password)
        found[f"pages_{username}_login_ms"] = figures["login_to_first_page_ms"]
        found[f"pages_{username}_slowest"] = figures["slowest"]
        found[f"pages_{username}_over_{BAR_MS}_ms"] = figures["over_bar"]
    db.close()
    return found


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=str(Path(__file__).resolve().parent / "out" / "large.sqlite"))
    parser.add_argument("--roles", nargs="*")
    parser.add_argument("--detail", action="store_true", help="every figure, not just those over the bar")
    args = parser.parse_args()
    from app import demo
    from app.db import open_database
    from app.ui.app import make_application

    make_application([])
    plain = sqlite3.connect(args.db)
    start = time.perf_counter()
    plain.execute("SELECT id, held_on, title FROM meeting WHERE deleted_at IS NULL ORDER BY held_on DESC, id DESC "
                  "LIMIT 200").fetchall()
    baseline = round((time.perf_counter() - start) * 1000, 1)
    db = open_database(args.db)
    result: dict = {"plain_sqlite_first_page_ms": baseline, "bar_ms": BAR_MS}
    for username, password, *_ in demo.DEMO_USERS:
        if args.roles and username not in args.roles:
            continue
        figures = role_figures(db, username, password)
        if not args.detail:
            figures.pop("pages")
        result[username] = figures
        print(json.dumps({username: figures}, ensure_ascii=False, indent=1), flush=True)
    os._exit(0)   # see run.py: PySide6's teardown is not what is measured


if __name__ == "__main__":
    main()
