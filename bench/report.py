"""Periodic report benchmarks on the large demo (issue 7's bars): the month's data, PDF and workbook
for the whole district, a year's report in all, the data's SQL against the same aggregates written by
hand in plain sqlite3 (same run), and the peak memory of a year's report (in a child process)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from sessions import timed

ROOT = Path(__file__).resolve().parent.parent
MONTH = ("thang", "2026-10")
YEAR = ("nam", "2025")

YEAR_IN_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from datetime import date
from app.db import open_database
from app.reports import data, pdf, word, xlsx
from app.services.period import Period
from app.services import auth
db = open_database({path!r})
leader = auth.login(db, "lanhdao", "lanhdao2026")
start = time.perf_counter()
report = data.build(db, leader, Period.parse("nam", "2025"), made_on=date(2026, 1, 10))
pdf.render(report); xlsx.render(report); word.render(report)
print(json.dumps({{"seconds": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


def plain_aggregates(conn: sqlite3.Connection, start: date, end: date) -> None:
    """What ReportData asks, by hand: sessions by unit and kind, make-ups, crowds, presenters, the
    most studied documents with their people, materials, airings and the cases' counts."""
    a, b = start.isoformat(), end.isoformat()
    held = "status = 'held' AND deleted_at IS NULL AND held_on BETWEEN ? AND ?"
    held_m = "m.status = 'held' AND m.deleted_at IS NULL AND m.held_on BETWEEN ? AND ?"
    conn.execute(f"SELECT count(*), sum(expected_count), sum(present_count), sum(excused_count), sum(unexcused_count), "
                 f"sum(guest_count) FROM meeting WHERE {held}", (a, b)).fetchall()
    conn.execute(f"SELECT unit_id, count(*), sum(kind = 'study'), sum(expected_count), sum(present_count) FROM meeting "
                 f"WHERE {held} GROUP BY unit_id", (a, b)).fetchall()
    conn.execute(f"SELECT kind, count(*), sum(form <> 'in_person'), sum(present_count) FROM meeting WHERE {held} "
                 f"GROUP BY kind", (a, b)).fetchall()
    conn.execute("SELECT m.unit_id, count(*) FROM attendance t JOIN meeting m ON m.id = t.meeting_id WHERE "
                 "t.made_up_on BETWEEN ? AND ? AND m.status = 'held' AND m.deleted_at IS NULL AND NOT t.is_guest "
                 "GROUP BY m.unit_id", (a, b)).fetchall()
    conn.execute(f"SELECT m.unit_id, m.kind, c.kind, sum(c.total) FROM audience_count c JOIN meeting m ON "
                 f"m.id = c.meeting_id WHERE {held_m} GROUP BY m.unit_id, m.kind, c.kind",
                 (a, b)).fetchall()
    conn.execute("SELECT count(*) FROM (SELECT t.person_id FROM attendance t JOIN meeting m ON m.id = t.meeting_id "
                 f"WHERE {held_m} AND t.presence = 'present' AND NOT t.is_guest UNION "
                 "SELECT t.person_id FROM attendance t JOIN meeting m ON m.id = t.meeting_id WHERE t.made_up_on "
                 "BETWEEN ? AND ? AND m.status = 'held' AND m.deleted_at IS NULL AND NOT t.is_guest)",
                 (a, b, a, b)).fetchall()
    conn.execute(f"SELECT count(DISTINCT p.meeting_id), count(*), count(DISTINCT p.name) FROM meeting_presenter p "
                 f"JOIN meeting m ON m.id = p.meeting_id WHERE {held_m}", (a, b)).fetchall()
    studied = conn.execute(f"SELECT d.document_id FROM meeting_document d JOIN meeting m ON m.id = d.meeting_id WHERE "
                           f"{held_m} AND m.kind = 'study' GROUP BY d.document_id "
                           f"ORDER BY count(*) DESC LIMIT 5", (a, b)).fetchall()
    for (document_id,) in studied:
        conn.execute("SELECT count(*) FROM (SELECT m.person_id FROM membership m JOIN unit u ON u.id = m.unit_id "
                     "WHERE u.kind IN ('chi_bo', 'chi_bo_co_so') AND m.status = 'active' AND m.valid_from <= :e AND "
                     "(m.valid_to IS NULL OR m.valid_to > :e) INTERSECT SELECT t.person_id FROM attendance t JOIN "
                     "meeting s ON s.id = t.meeting_id JOIN meeting_document md ON md.meeting_id = s.id WHERE "
                     "md.document_id = :d AND s.status = 'held' AND s.deleted_at IS NULL AND s.held_on <= :e AND "
                     "NOT t.is_guest AND (t.presence = 'present' OR t.made_up_on <= :e))",
                     {"e": b, "d": document_id}).fetchall()
    conn.execute("SELECT kind, count(*), sum(quantity) FROM material WHERE deleted_at IS NULL AND issued_on BETWEEN ? "
                 "AND ? GROUP BY kind", (a, b)).fetchall()
    conn.execute("SELECT sum(times), sum(minutes) FROM broadcast WHERE deleted_at IS NULL AND aired_on BETWEEN ? AND ?",
                 (a, b)).fetchall()
    cases(conn, a, b)
    conn.execute("SELECT u.id, u.code, v.name, u.kind, v.parent_id FROM unit u JOIN unit_version v ON v.unit_id = u.id "
                 "WHERE v.valid_from = (SELECT max(valid_from) FROM unit_version w WHERE w.unit_id = u.id AND "
                 "w.valid_from <= ?) ORDER BY v.name_folded", (b,)).fetchall()
    # Lũy kế từ đầu năm and the same period a year before: the headline sums of each.
    for first, last in ((date(end.year, 1, 1), end), (start.replace(year=start.year - 1), end.replace(year=end.year - 1))):
        if first == start:
            continue
        x, y = first.isoformat(), last.isoformat()
        conn.execute(f"SELECT count(*), sum(present_count) FROM meeting WHERE {held}", (x, y)).fetchall()
        conn.execute("SELECT count(*) FROM attendance t JOIN meeting m ON m.id = t.meeting_id WHERE t.made_up_on "
                     "BETWEEN ? AND ? AND m.status = 'held' AND m.deleted_at IS NULL AND NOT t.is_guest",
                     (x, y)).fetchall()
        conn.execute(f"SELECT sum(c.total) FROM audience_count c JOIN meeting m ON m.id = c.meeting_id WHERE {held_m} "
                     "AND c.kind <> 'party_members'", (x, y)).fetchall()
        conn.execute("SELECT kind, sum(quantity) FROM material WHERE deleted_at IS NULL AND issued_on BETWEEN ? AND ? "
                     "GROUP BY kind", (x, y)).fetchall()
        conn.execute("SELECT sum(times), sum(minutes) FROM broadcast WHERE deleted_at IS NULL AND aired_on BETWEEN ? "
                     "AND ?", (x, y)).fetchall()
        cases(conn, x, y, brief=True)


def cases(conn: sqlite3.Connection, a: str, b: str, *, brief: bool = False) -> None:
    received = "SELECT id FROM case_file WHERE deleted_at IS NULL AND received_on BETWEEN :a AND :b"
    args = {"a": a, "b": b}
    conn.execute(f"SELECT count(*), sum(anonymous), sum(information_only) FROM case_file WHERE id IN ({received})",
                 args).fetchall()
    conn.execute(f"SELECT e.to_status, count(*) FROM case_event e JOIN (SELECT case_id, max(id) AS last FROM case_event "
                 f"WHERE case_id IN ({received}) AND \"on\" <= :b GROUP BY case_id) l ON l.last = e.id "
                 f"GROUP BY e.to_status", args).fetchall()
    if brief:
        return
    for column in ("channel_id", "kind_id", "action_id", "conclusion"):
        conn.execute(f"SELECT {column}, count(*) FROM case_file WHERE id IN ({received}) GROUP BY {column}",
                     args).fetchall()
    conn.execute(f"SELECT r.grouping, r.id, count(DISTINCT s.case_id) FROM case_sign s JOIN reference_item r ON "
                 f"r.id = s.sign_id WHERE s.case_id IN ({received}) GROUP BY r.grouping, r.id", args).fetchall()
    conn.execute(f"SELECT step, count(DISTINCT case_id) FROM case_event WHERE case_id IN ({received}) AND \"on\" <= :b "
                 f"GROUP BY step", args).fetchall()


def sql_time(db, action, repeat: int = 3) -> float:
    """Milliseconds spent inside the database's cursor during `action` (median of runs)."""
    import statistics

    from sqlalchemy import event

    spent = [0.0]

    def before(conn, cursor, statement, parameters, context, many):
        context.started_at = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, many):
        spent[0] += time.perf_counter() - context.started_at

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    runs = []
    try:
        for _ in range(repeat):
            spent[0] = 0.0
            action()
            runs.append(spent[0])
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)
    return round(statistics.median(runs) * 1000, 1)


def report_figures(path: Path) -> dict:
    from app.db import open_database
    from app.reports import data, pdf, xlsx
    from app.services import auth
    from app.services.period import Period

    db = open_database(path)
    leader = auth.login(db, "lanhdao", "lanhdao2026")
    month = Period.parse(*MONTH)
    built = data.build(db, leader, month, made_on=date(2026, 11, 5))
    conn = sqlite3.connect(path)
    sql_ms = sql_time(db, lambda: data.build(db, leader, month, made_on=date(2026, 11, 5)))
    figures = {
        "report_month_data_ms": timed(lambda: data.build(db, leader, month, made_on=date(2026, 11, 5)), repeat=3),
        "report_month_data_sql_ms": sql_ms,
        "plain_sqlite_month_aggregates_ms": timed(lambda: plain_aggregates(conn, month.start, month.end), repeat=3),
        "report_month_pdf_ms": timed(lambda: pdf.render(built), repeat=3),
        "report_month_xlsx_ms": timed(lambda: xlsx.render(built), repeat=3),
    }
    # The bar compares the SQL the data runs with the same aggregates by hand; the whole build (SQL plus
    # SQLAlchemy's statement building and our Python) is reported beside it.
    figures["report_month_data_sql_ratio_to_plain"] = round(sql_ms / max(figures["plain_sqlite_month_aggregates_ms"], 0.1), 2)
    figures["report_month_data_ratio_to_plain"] = round(
        figures["report_month_data_ms"] / max(figures["plain_sqlite_month_aggregates_ms"], 0.1), 2)
    year = Period.parse(*YEAR)
    started = time.perf_counter()
    plain_aggregates(conn, year.start, year.end)
    figures["plain_sqlite_year_aggregates_ms"] = round((time.perf_counter() - started) * 1000, 1)
    child = subprocess.run([sys.executable, "-c", YEAR_IN_CHILD.format(root=str(ROOT), path=str(path))],
                           capture_output=True, text=True, check=True)
    year_run = json.loads(child.stdout.strip().splitlines()[-1])
    figures["report_year_all_ms"] = round(year_run["seconds"] * 1000, 1)
    figures["report_year_peak_mb"] = round(year_run["peak_mb"], 1)
    conn.close()
    db.close()
    return figures
