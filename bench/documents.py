"""Documents benchmarks on the large demo (issue 5's bars), beside a plain sqlite3 baseline."""

from __future__ import annotations

from pathlib import Path

from sessions import timed


def document_figures(path: Path) -> dict:
    import sqlite3

    from app import demo
    from app.db import open_database
    from app.services import auth, documents
    from app.services.documents import coverage

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


def page_figures(path: Path) -> dict:
    """The documents and materials pages (issue 5's bars: first page < 150 ms, filtered < 200 ms), through
    the services and through the widgets, beside a plain sqlite3 first page. Needs run.py's QApplication."""
    import sqlite3
    from datetime import date

    from app import demo
    from app.db import open_database
    from app.models.enums import DocumentKind, MaterialKind
    from app.services import auth, documents, units
    from app.services.documents import listing as document_list
    from app.services.outreach import listing as material_list
    from app.ui.pages.documents import DocumentsPage
    from app.ui.pages.materials import MaterialsPage
    from app.ui.qt import Qt
    from app.ui.widgets.common import Context

    db = open_database(path)
    admin = auth.login(db, "quantri", dict((u[0], u[1]) for u in demo.DEMO_USERS)["quantri"])
    commune = next(n for n in units.tree(db, admin) if n.code == "PHONGNIEN")
    kl54 = documents.search(db, admin, "54-KL/TW")[-1].id
    plain = sqlite3.connect(path)
    everything = material_list.MaterialFilter()
    filtered = material_list.MaterialFilter(start=date(2023, 1, 1), end=date(2025, 12, 31), unit_id=commune.id,
                                            kind=MaterialKind.LEAFLET, document_id=kl54)
    context = Context(db, admin)
    page = MaterialsPage(context)
    figures = {
        "materials_total": material_list.count(db, admin, everything),
        "plain_sqlite_materials_first_page_ms": timed(lambda: plain.execute(
            "SELECT id, issued_on, kind, title, quantity FROM material WHERE deleted_at IS NULL "
            "ORDER BY issued_on DESC, id DESC LIMIT 100").fetchall()),
        "materials_first_page_ms": timed(lambda: material_list.list_page(db, admin, everything)),
        "materials_filtered_ms": timed(lambda: material_list.list_page(db, admin, filtered)),
        "materials_search_ms": timed(lambda: material_list.list_page(
            db, admin, material_list.MaterialFilter(text="to gap tuyen truyen ket luan"))),
        "materials_totals_ms": timed(lambda: material_list.totals(db, admin, everything)),
        "materials_page_first_rows_ms": timed(lambda: MaterialsPage(context).model.rowCount(), 3),
        "materials_page_slowest_sort_ms": max(
            timed(lambda column=column: page.model.sort(column, Qt.SortOrder.AscendingOrder), 3)
            for column in range(page.model.columnCount())),
        "documents_first_page_ms": timed(lambda: document_list.list_page(db, admin, document_list.DocumentFilter())),
        "documents_filtered_ms": timed(lambda: document_list.list_page(db, admin, document_list.DocumentFilter(
            kind=DocumentKind.KH, unit_id=commune.id, text="ket luan"))),
        "documents_page_first_rows_ms": timed(lambda: DocumentsPage(context).model.rowCount(), 3),
    }
    figures["materials_first_page_ratio_to_plain"] = round(
        figures["materials_first_page_ms"] / max(figures["plain_sqlite_materials_first_page_ms"], 0.1), 1)
    plain.close()
    db.close()
    return figures
