"""The coverage view shows each unit's own plan and records one; the command line records one too."""

from __future__ import annotations

from datetime import date

from app.services import documents
from app.services.documents import plans
from app.ui.dialogs.coverage import CoverageDialog
from app.ui.qt import QDate, Qt
from app.ui.widgets.common import Context
from tests.helpers import unit_by_code


def test_a_clerk_reads_the_plans_beside_the_sessions_and_corrects_his_communes(qtbot, db, clerk):
    doc = next(row.id for row in documents.search(db, clerk, "57-NQ/TW") if row.number == "57-NQ/TW")
    dialog = CoverageDialog(Context(db, clerk), doc)
    qtbot.addWidget(dialog)
    dialog.as_of.setDate(QDate(2026, 11, 1))
    column = [dialog.model.headerData(i, Qt.Orientation.Horizontal) for i in range(dialog.model.columnCount())].index(
        "Kế hoạch của đơn vị")
    assert dialog.model.index(0, column).data() == "11-KH/ĐU, 05/05/2025"
    assert "đơn vị đã ban hành kế hoạch thực hiện" in dialog.sentence.text()
    plan_dialog = dialog.record_plan(0)
    qtbot.addWidget(plan_dialog)
    plan_dialog.number.setText("")
    assert not plan_dialog.save()
    assert "Hãy ghi số kế hoạch" in plan_dialog.form.error_text("number")
    plan_dialog.number.setText("08-KH/ĐU")
    plan_dialog.issued_on.setDate(QDate(2025, 3, 1))
    assert plan_dialog.save()
    assert dialog.model.index(0, column).data() == "08-KH/ĐU, 01/03/2025"
    saved = plans.for_document(db, clerk, doc)[unit_by_code(db, clerk, "PHONGNIEN").id]
    assert (saved.number, saved.issued_on) == ("08-KH/ĐU", date(2025, 3, 1))
