"""Documents benchmarks on the large demo (issue 5's bars), beside a plain sqlite3 baseline."""

from __future__ import annotations

from pathlib import Path

from sessions import timed


def document_figures(path: Path) -> dict:
    import sqlite3

    from app.db import open_database
    from app.services import auth, coverage, demo, documents

    db = open_database(path)
    admin = auth.login(db, "quantri", dict((u[0], u[1]) for u in demo.DEMO_USERS)["quantri"])
    tracked = next(row.id for row in documents.search(db, admin, "118-KH/HU") if row.number == "118-KH/HU")
    plain = sqlite3.connect(path)
    figures = {
        "coverage_units": len(coverage.for_document(db, admin, tracked).lines),
        "plain_sqlite_document_sessions_ms": timed(lambda: plain.execute(
            "SELECT m.unit_id, min(m.held_on) FROM meeting m JOIN meeting_document d ON d.meeting_id = m.id "
            "WHERE d.document_id = ? AND m.status = 'held' GROUP BY m.unit_id", (tracked,)).fetchall()),
        "coverage_district_ms": timed(lambda: coverage.for_document(db, admin, tracked)),
    }
    figures["coverage_ratio_to_plain"] = round(
        figures["coverage_district_ms"] / max(figures["plain_sqlite_document_sessions_ms"], 0.1), 1)
    plain.close()
    db.close()
    return figures
