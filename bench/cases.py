"""Reported-cases benchmarks on the large demo (issue 6's bars), beside a plain sqlite3 baseline:
the cases page's first page and its overdue filter (service and widget), and a case opened with its
history as an inspector, the identity decrypted. Needs run.py's QApplication."""

from __future__ import annotations

from pathlib import Path

from sessions import timed


def case_figures(path: Path) -> dict:
    import sqlite3

    from app import demo
    from app.db import open_database
    from app.services import auth, cases
    from app.services.cases import keys as case_keys
    from app.services.cases import listing as case_list
    from app.ui.dialogs.case import CaseDialog
    from app.ui.pages.cases import CasesPage
    from app.ui.widgets.common import Context

    passwords = {u[0]: u[1] for u in demo.DEMO_USERS}
    db = open_database(path)
    leader = auth.login(db, "lanhdao", passwords["lanhdao"])
    inspector = auth.login(db, "kiemtra", passwords["kiemtra"])
    case_keys.unlock(db, inspector, passwords["kiemtra"])
    overdue = case_list.CaseFilter(urgency=case_list.OVERDUE)
    plain = sqlite3.connect(path)
    busiest = plain.execute("SELECT e.case_id FROM case_event e JOIN case_identity i ON i.case_id = e.case_id "
                            "GROUP BY e.case_id ORDER BY count(*) DESC, e.case_id DESC LIMIT 1").fetchone()[0]

    def open_dialog() -> None:
        dialog = CaseDialog(Context(db, inspector), busiest)
        dialog.show_identity()
        dialog.deleteLater()

    figures = {
        "cases": plain.execute("SELECT count(*) FROM case_file").fetchone()[0],
        "cases_overdue": case_list.count(db, leader, overdue),
        "plain_sqlite_cases_first_page_ms": timed(lambda: plain.execute(
            "SELECT * FROM case_file WHERE deleted_at IS NULL ORDER BY received_on DESC, id DESC LIMIT 200").fetchall()),
        "cases_first_page_ms": timed(lambda: case_list.list_page(db, leader, case_list.CaseFilter())),
        "cases_overdue_ms": timed(lambda: case_list.list_page(db, leader, overdue)),
        "cases_search_ms": timed(lambda: case_list.list_page(db, leader, case_list.CaseFilter(text="dat cong"))),
        "cases_widget_first_page_ms": timed(lambda: CasesPage(Context(db, leader)).deleteLater()),
        "case_open_with_identity_ms": timed(lambda: cases.detail(db, inspector, busiest, with_identity=True)),
        "case_dialog_with_identity_ms": timed(open_dialog),
    }
    figures["cases_first_page_ratio_to_plain"] = round(
        figures["cases_first_page_ms"] / max(figures["plain_sqlite_cases_first_page_ms"], 0.1), 1)
    plain.close()
    db.close()
    return figures
