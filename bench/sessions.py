"""Sessions benchmarks on the large demo (issue 4's bars), each beside a plain sqlite3 baseline.

    .venv/bin/python bench/run.py        (prints these with the rest)
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path


def settle() -> None:
    """Let the pages' background readers (their totals) finish first: a figure timed while one of them
    holds the interpreter would be the two added together."""
    import threading

    while any(thread.name == "doc-nen" for thread in threading.enumerate()):
        time.sleep(0.01)
    if "app.ui.qt" in sys.modules:   # their answers delivered, so nothing is left waiting
        sys.modules["app.ui.qt"].QApplication.processEvents()


def timed(action, repeat: int = 5) -> float:
    """The median of `repeat` runs, in milliseconds, each started with nothing else running."""
    times = []
    for _ in range(repeat):
        settle()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def session_figures(path: Path, out: Path) -> dict:
    from app import demo
    from app.db import open_database
    from app.models.enums import Presence
    from app.services import auth, meetings, units
    from app.services.meetings import figures as meeting_figures
    from app.services.meetings import listing as meeting_list

    db = open_database(path)
    admin = auth.login(db, "quantri", dict((u[0], u[1]) for u in demo.DEMO_USERS)["quantri"])
    tree = units.tree(db, admin)
    commune = next(n for n in tree if n.code == "SONHAI")
    everything, year = meeting_list.MeetingFilter(), meeting_list.MeetingFilter(start=date(2025, 1, 1),
                                                                                 end=date(2025, 12, 31))
    unit_period = meeting_list.MeetingFilter(unit_id=commune.id, start=date(2024, 1, 1), end=date(2024, 12, 31))
    plain = sqlite3.connect(path)
    figures = {
        "sessions_total": meeting_list.count(db, admin, everything),
        "attendance_rows": plain.execute("SELECT count(*) FROM attendance").fetchone()[0],
        "plain_sqlite_first_page_ms": timed(lambda: plain.execute(
            "SELECT id, held_on, title FROM meeting WHERE deleted_at IS NULL ORDER BY held_on DESC, id DESC "
            "LIMIT 200").fetchall()),
        "sessions_first_page_ms": timed(lambda: meeting_list.list_page(db, admin, everything)),
        "sessions_unit_period_ms": timed(lambda: meeting_list.list_page(db, admin, unit_period)),
        "sessions_search_ms": timed(lambda: meeting_list.list_page(db, admin, meeting_list.MeetingFilter(
            text="quan triet 54"))),
        "sessions_count_ms": timed(lambda: meeting_list.count(db, admin, everything)),
    }
    figures["sessions_first_page_ratio_to_plain"] = round(
        figures["sessions_first_page_ms"] / max(figures["plain_sqlite_first_page_ms"], 0.1), 1)
    figures["sessions_slowest_sort_ms"] = max(
        timed(lambda sort=sort: meeting_list.list_page(db, admin, everything, sort=sort, descending=False), 3)
        for sort in meeting_list.SORT_NAMES)
    figures["plain_sqlite_year_sums_ms"] = timed(lambda: plain.execute(
        "SELECT count(*), sum(expected_count), sum(present_count) FROM meeting WHERE held_on BETWEEN '2025-01-01' "
        "AND '2025-12-31' AND status = 'held' AND deleted_at IS NULL").fetchall())
    figures["year_figures_district_ms"] = timed(lambda: meeting_figures.for_period(db, admin, year))
    kl54 = next(row.id for row in __import__("app.services.documents", fromlist=["x"]).search(db, admin, "54-KL/TW")
                if row.number == "54-KL/TW")
    figures["document_person_rate_district_ms"] = timed(
        lambda: meeting_figures.for_document(db, admin, kl54, end=date(2025, 12, 31)), 3)
    plain.close()
    db.close()

    # A 300-person roster: open and save, on a copy.
    copy = out / "sessions.sqlite"
    shutil.copy(path, copy)
    db = open_database(copy)
    chosen, roster = [], []
    for node in tree:
        if node.parent_id == commune.id:
            chosen.append(node.id)
            roster = meetings.expected_roster(db, admin, chosen, date(2026, 10, 20))
            if len(roster) >= 300:
                break
    data = meetings.MeetingInput(unit_id=commune.id, held_on=date(2026, 10, 20), title="Hội nghị 300 người",
                                 unit_ids=chosen, roster=[replace(r, presence=Presence.PRESENT) for r in roster])
    meeting_id = meetings.create(db, admin, data)
    figures["roster_size"] = len(roster)
    figures["open_roster_ms"] = timed(lambda: meetings.get(db, admin, meeting_id))

    def save() -> None:
        detail = meetings.get(db, admin, meeting_id)
        first = detail.data.roster[0]
        flipped = Presence.UNEXCUSED if first.presence is Presence.PRESENT else Presence.PRESENT
        detail.data.roster[0] = replace(first, presence=flipped)
        start = time.perf_counter()
        meetings.update(db, admin, meeting_id, detail.data, expected_version=detail.version)
        save.seconds.append(time.perf_counter() - start)

    save.seconds = []
    for _ in range(5):
        save()
    figures["save_roster_ms"] = round(statistics.median(save.seconds) * 1000, 1)
    figures.update(attendance_file_figures(db, admin, meeting_id, out))
    figures.update(widget_figures(db, admin, meeting_id))
    db.close()
    copy.unlink()
    return figures


def attendance_file_figures(db, admin, meeting_id: int, out: Path) -> dict:
    """The 300-person roster as an exported .xlsx: read, matched, applied (nothing written)."""
    from openpyxl import Workbook

    from app.services import meetings, sheets
    from app.services.meetings import attendance_import

    roster = meetings.get(db, admin, meeting_id).data.roster
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH ĐIỂM DANH"])
    sheet.append(["STT", "Họ và tên", "Năm sinh", "Chi bộ", "Điểm danh", "Lý do vắng"])
    for number, line in enumerate(roster, 1):
        sheet.append([number, line.full_name, line.birth_year, line.unit_name, "x" if number % 9 else "Vắng", ""])
    path = out / "diem-danh.xlsx"
    book.save(path)

    def read_match_apply() -> None:
        table = sheets.read_table(path)
        preview = attendance_import.check(admin, table, attendance_import.guess_mapping(table), roster)
        if not preview.waiting:
            attendance_import.apply(preview, roster)

    figures = {"attendance_file_rows": len(roster), "attendance_file_import_ms": timed(read_match_apply, 3)}
    path.unlink()
    return figures


def widget_figures(db, admin, meeting_id: int) -> dict:
    """What the clerk waits for on screen: the sessions page's first rows and sorts, the 300-person dialog.

    Needs the QApplication that run.py makes; the totals line is worked out off the GUI thread after the
    first page, so it is timed on its own: from asking to the line shown.
    """
    from app.ui.dialogs.meeting import MeetingDialog
    from app.ui.pages.meetings import MeetingsPage
    from app.ui.qt import Qt
    from app.ui.widgets.common import Context

    context = Context(db, admin)
    figures = {"page_first_rows_ms": timed(lambda: MeetingsPage(context).model.rowCount(), 3)}
    page = MeetingsPage(context)

    def totals_line() -> None:
        from app.ui.qt import QApplication

        page.show_totals(page.filter())
        while page.totals_waiting:
            # Not a bare spin: PySide6 on Python 3.11 drops a reference to None on each processEvents(),
            # and a few million of them end the process ("none_dealloc").
            QApplication.processEvents()
            time.sleep(0.002)

    figures["page_totals_line_ms"] = timed(totals_line, 3)
    figures["page_slowest_sort_ms"] = max(
        timed(lambda column=column: page.model.sort(column, Qt.SortOrder.AscendingOrder), 3)
        for column in range(page.model.columnCount()))
    figures["dialog_open_300_roster_ms"] = timed(lambda: MeetingDialog(context, meeting_id), 3)
    return figures
