"""The cases page and the case dialog, as a clerk takes a case in and an inspector takes it to the end."""

from __future__ import annotations

from datetime import date

import pytest

from app.models.enums import CaseStatus, CaseStep
from app.services import cases
from app.services.cases import listing as case_list
from app.ui.pages.cases import CasesPage
from app.ui.qt import QDialogButtonBox, QMessageBox, Qt
from app.ui.widgets.common import Context, select_data, to_qdate
from tests.case_factory import case_input
from tests.helpers import unit_by_code


@pytest.mark.parametrize("sort_column", [0, 1, 6, 8])
def test_the_cases_model_keeps_qts_contract(qtmodeltester, db, leader, sort_column):
    page = CasesPage(Context(db, leader))
    page.start.setDate(page.start.minimumDate())
    page.refresh()
    page.model.page_size = 5
    page.model.sort(sort_column, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(page.model, force_py=True)


def _fill_intake(dialog, db, clerk, summary: str) -> None:
    dialog.received_on.setDate(to_qdate(date(2026, 10, 20)))
    select_data(dialog.unit, unit_by_code(db, clerk, "PHONGNIEN").id)
    select_data(dialog.channel, "HT")
    select_data(dialog.kind, "PA")
    dialog.reporter_name.setText("Sùng A Páo")
    dialog.reporter_address.setText("thôn Nậm Tang")
    dialog.reporter_phone.setText("0912 000 111")
    dialog.reported_name.setText("Giàng Văn Tráng")
    dialog.reported_position.setText("Trưởng thôn")
    dialog.is_member.setChecked(True)
    dialog.signs.search.setText("phien ha")
    visible = [dialog.signs.list.item(i) for i in range(dialog.signs.list.count())
               if not dialog.signs.list.item(i).isHidden()]
    assert [item.data(Qt.ItemDataRole.UserRole) for item in visible] == ["ĐĐ4"]
    visible[0].setCheckState(Qt.CheckState.Checked)
    dialog.summary.setPlainText(summary)


def test_a_clerk_takes_a_case_in_warned_about_the_name_in_the_summary(qtbot, db, clerk, monkeypatch, tmp_path):
    page = CasesPage(Context(db, clerk))
    qtbot.addWidget(page)
    before = case_list.count(db, clerk, case_list.CaseFilter())
    dialog = page.add_case()
    qtbot.addWidget(dialog)
    _fill_intake(dialog, db, clerk, "Ông Sùng A Páo phản ánh trưởng thôn thu tiền làm đường không công khai")
    assert dialog.warning.isVisible() and "họ tên người phản ánh" in dialog.warning.text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert dialog.save() is False
    dialog.summary.setPlainText("Phản ánh trưởng thôn thu tiền làm đường không công khai")
    assert not dialog.warning.isVisible()
    dialog.anonymous.setChecked(True)           # a name in an anonymous case is refused, named in place
    assert dialog.save() is False
    assert "nặc danh" in dialog.form.error_text("reporter_name")
    dialog.anonymous.setChecked(False)
    scan = tmp_path / "don.jpg"
    scan.write_bytes(b"\xff\xd8\xff scan of the letter")
    assert dialog.attach(scan)
    assert dialog.save() is True
    page.refresh()
    assert case_list.count(db, clerk, case_list.CaseFilter()) == before + 1
    row = page.model.row_at(0)
    assert row.reported_name == "Giàng Văn Tráng" and row.status is CaseStatus.RECEIVED
    assert page.notice.text() == f"Đã vào sổ: số <b>{row.number}</b>"   # the clerk writes it on the letter
    reopened = page.open_case(row.id)
    qtbot.addWidget(reopened)
    assert reopened.detail.has_identity and reopened.reporter_name.text() == ""
    assert reopened.reporter_name.placeholderText() == "(đã lưu, được bảo vệ)"
    assert not reopened.reporter_name.isEnabled() and not reopened.show_identity_button.isVisible()
    assert reopened.files.count() == 1 and "Tệp được bảo vệ" in reopened.files.item(0).text()


def _step_names(dialog) -> list[str]:
    layout = dialog.step_buttons
    widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
    return [w.objectName() for w in widgets if w is not None and w.objectName().startswith("step_")]


def _step(qtbot, dialog, step: CaseStep, **fields) -> None:
    assert f"step_{step.value}" in _step_names(dialog)   # offered to this role from here
    form = dialog.take_step(step)
    qtbot.addWidget(form)
    form.on.setDate(to_qdate(fields.pop("on", date(2026, 11, 2))))
    for name, value in fields.items():
        widget = getattr(form, name)
        if hasattr(widget, "setText"):
            widget.setText(value)
        else:
            select_data(widget, value)
    form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert not form.isVisible(), form.form.error_text("on")


def test_an_inspector_takes_a_case_through_to_the_reporter_being_told(qtbot, db, clerk, keyholder):
    case_id = cases.receive(db, clerk, case_input(db, clerk, received_on=date(2026, 10, 30)))
    page = CasesPage(Context(db, keyholder))
    qtbot.addWidget(page)
    dialog = page.open_case(case_id)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(1)
    _step(qtbot, dialog, CaseStep.ACCEPT)
    _step(qtbot, dialog, CaseStep.ASSIGN, body="UBKT")
    assert "Thời hạn:" in dialog.state.text() and "tổ chức đảng ở cơ sở" in dialog.state.text()
    form = dialog.take_step(CaseStep.EXTEND)        # an extension without a reason: refused in place
    qtbot.addWidget(form)
    form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert form.isVisible() and "lý do" in form.form.error_text("reason")
    form.reject()
    _step(qtbot, dialog, CaseStep.CONCLUDE, on=date(2026, 11, 10), conclusion="true")
    _step(qtbot, dialog, CaseStep.ACT, on=date(2026, 11, 12), action="KTR")
    _step(qtbot, dialog, CaseStep.TELL, on=date(2026, 11, 13), told_how="Văn bản trả lời")
    assert dialog.detail.status is CaseStatus.TOLD
    assert "Đã thông tin kết quả:</b> ngày 13/11/2026, Văn bản trả lời" in dialog.state.text()
    assert [e.step for e in dialog.detail.events] == [CaseStep.RECEIVE, CaseStep.ACCEPT, CaseStep.ASSIGN,
                                                     CaseStep.CONCLUDE, CaseStep.ACT, CaseStep.TELL]
    assert dialog.events.rowCount() == 6 and dialog.tabs.tabText(2) == "Quá trình (6)"
    dialog.tabs.setCurrentIndex(0)
    assert dialog.show_identity_button.isVisible()
    assert dialog.show_identity() and dialog.reporter_name.text() == "Lê Thị Báo Tin"


def test_a_leader_reads_a_case_without_the_reporter_and_can_only_take_leader_steps(qtbot, db, clerk, leader):
    case_id = cases.receive(db, clerk, case_input(db, clerk))
    page = CasesPage(Context(db, leader))
    qtbot.addWidget(page)
    assert not page.add_button.isVisible() and not page.keys_button.isVisible()
    dialog = page.open_case(case_id)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isVisible() and not dialog.summary.isEnabled()
    assert not dialog.show_identity_button.isVisible() and dialog.reporter_name.text() == ""
    assert _step_names(dialog) == ["step_close"]


def test_the_deadlines_view_lists_overdue_cases_soonest_first(qtbot, db, leader):
    page = CasesPage(Context(db, leader))
    qtbot.addWidget(page)
    page.show_deadlines()
    rows = [page.model.row_at(i) for i in range(page.model.rowCount())]
    assert rows and all(r.urgency() in (case_list.OVERDUE, case_list.DUE_SOON) for r in rows)
    assert [r.due_on for r in rows] == sorted(r.due_on for r in rows)
    overdue, soon = case_list.urgent_counts(db, leader)
    qtbot.waitUntil(lambda: page.deadlines_button.text() == f"Sắp đến hạn / quá hạn ({soon} / {overdue})",
                    timeout=2000)
    # the count follows the rows shown
    qtbot.waitUntil(lambda: page.totals.text() == f"<b>{len(rows)}</b> vụ việc", timeout=2000)
    page.show_deadlines()   # asked again with the same sort: still the same rows and count
    assert page.model.rowCount() == len(rows)
    qtbot.waitUntil(lambda: page.totals.text() == f"<b>{len(rows)}</b> vụ việc", timeout=2000)


def test_the_key_dialog_grants_a_new_inspector(qtbot, db, admin, keyholder):
    from app.models.enums import Role
    from app.services import auth, users
    from app.services.cases import keys as case_keys
    from app.ui.dialogs.case_keys import KeysDialog

    users.create(db, admin, users.UserInput("kiemtra2", "Vũ Văn Soát", Role.INSPECTOR), "matkhau-moi-1")
    newcomer = auth.login(db, "kiemtra2", "matkhau-moi-1")
    case_keys.unlock(db, newcomer, "matkhau-moi-1")         # the first login makes their key pair
    dialog = KeysDialog(Context(db, keyholder))
    qtbot.addWidget(dialog)
    assert "đang <b>mở</b>" in dialog.state.text() and dialog.public_key.toPlainText().startswith("TUYENGIAO-KEY:")
    select_data(dialog.grantee, newcomer.user_id)
    assert dialog.grant()
    assert "đã có quyền" in dialog.grantee.currentText()
    assert case_keys.unlock(db, newcomer, "matkhau-moi-1")


def test_a_key_holder_confirms_a_pasted_key_by_typing_the_fingerprint_read_out(qtbot, db, keyholder):
    import base64

    from app.services.cases import keys as case_keys
    from app.services.cases import sealing
    from app.ui.dialogs.case_keys import KeysDialog
    from app.ui.dialogs.form_dialog import FormDialog
    from app.ui.qt import QApplication, QLineEdit, QTimer

    public = sealing.public_bytes(sealing.new_private_key())
    dialog = KeysDialog(Context(db, keyholder))
    qtbot.addWidget(dialog)
    dialog.import_name.setText("Ban Tuyên giáo Tỉnh ủy")
    dialog.import_text.setText(case_keys.KEY_PREFIX + base64.b64encode(public).decode())
    assert dialog.import_key()
    assert "chờ người giữ khóa xác nhận dấu" in dialog.state.text()
    assert dialog.waiting.currentText().startswith("Ban Tuyên giáo Tỉnh ủy") and dialog.confirm_button.isEnabled()

    def type_the_fingerprint() -> None:
        form = next(w for w in QApplication.topLevelWidgets() if isinstance(w, FormDialog) and w.isVisible())
        form.findChild(QLineEdit).setText(sealing.fingerprint(public))
        form.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    QTimer.singleShot(100, type_the_fingerprint)
    assert dialog.confirm_key()
    assert "đã xác nhận (kiemtra)" in dialog.state.text()
    assert dialog.waiting.currentData() is None


def test_the_admin_edits_the_danh_muc_and_retires_a_code_in_use(qtbot, db, admin, monkeypatch):
    from app.models.enums import ReferenceList
    from app.services.cases import reference
    from app.ui.pages.reference import ReferencePage

    page = ReferencePage(Context(db, admin))
    qtbot.addWidget(page)
    assert page.items.rowCount() == 28 and page.items.row_at(0).code == "TT1"
    in_use = next(i for i in range(page.items.rowCount()) if page.items.row_at(i).code == "ĐĐ4")
    page.table.selectRow(in_use)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    refusals = []
    monkeypatch.setattr("app.ui.widgets.common.show_error", lambda _parent, message, *a: refusals.append(message))
    assert page.delete_selected() is False and "chỉ có thể ngừng dùng" in refusals[0]
    page.table.selectRow(in_use)
    assert page.toggle_retired()
    assert next(r for r in reference.items(db, admin, ReferenceList.SIGN, with_retired=True) if r.code == "ĐĐ4").retired
    select_data(page.which, "holidays")
    assert [r.day for r in (page.days.row_at(i) for i in range(page.days.rowCount()))] == [date(2026, 1, 2),
                                                                                           date(2026, 1, 10)]
    assert page.days.row_at(0).working is False


def test_the_key_dialog_revokes_an_inspector_and_the_recovery_key_gives_access_back(qtbot, db, admin, keyholder,
                                                                                   monkeypatch):
    from sqlalchemy import text

    from app.models.enums import Role
    from app.services import auth, users
    from app.services.cases import keys as case_keys
    from app.ui.dialogs.case_keys import KeysDialog
    from app.ui.dialogs.form_dialog import FormDialog
    from app.ui.qt import QApplication, QLineEdit, QTimer
    from tests.conftest import PASSWORDS

    users.create(db, admin, users.UserInput("kiemtra2", "Vũ Văn Soát", Role.INSPECTOR), "matkhau-moi-1")
    newcomer = auth.login(db, "kiemtra2", "matkhau-moi-1")
    case_keys.unlock(db, newcomer, "matkhau-moi-1")
    case_keys.grant(db, keyholder, newcomer.user_id)
    monkeypatch.setattr("app.ui.dialogs.case_keys.confirm", lambda *_args: True)
    dialog = KeysDialog(Context(db, keyholder))
    qtbot.addWidget(dialog)
    select_data(dialog.grantee, newcomer.user_id)
    assert dialog.revoke()
    assert not case_keys.unlock(db, newcomer, "matkhau-moi-1")

    # The office's only holder leaves; the recovery key written down at set-up gives the key to the newcomer.
    case_keys.lock(db, keyholder)
    with db.session_scope() as session:
        session.execute(text("DELETE FROM key_grant"))
        session.execute(text("DELETE FROM office_key"))
    code = case_keys.setup(db, keyholder, PASSWORDS["kiemtra"], name="Ban Tuyên giáo")
    case_keys.lock(db, keyholder)
    with db.session_scope() as session:
        session.execute(text("DELETE FROM key_grant"))
    mine = KeysDialog(Context(db, newcomer))
    qtbot.addWidget(mine)
    assert mine.recover_button.isVisibleTo(mine) and "chưa được cấp quyền" in mine.state.text()

    def type_the_recovery_key() -> None:
        form = next(w for w in QApplication.topLevelWidgets() if isinstance(w, FormDialog) and w.isVisible())
        recovery, password = form.findChildren(QLineEdit)
        recovery.setText(code)
        password.setText("matkhau-moi-1")
        form.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    QTimer.singleShot(100, type_the_recovery_key)
    assert mine.recover()
    assert "đang <b>mở</b>" in mine.state.text()
