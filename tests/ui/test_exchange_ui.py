"""The «Trao đổi dữ liệu» page: cards checked by fingerprint, a package out, and packages in through
the review (conflicts side by side, decided per row; early packages held; spoiled ones refused)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Meeting
from app.services import exchange, meetings
from app.ui.dialogs.exchange import AddPartnerDialog, CardDialog, ExportDialog
from app.ui.dialogs.exchange_review import ReviewDialog
from app.ui.pages.exchange import ExchangePage
from app.ui.qt import QLabel
from app.ui.widgets.common import Context
from tests.conftest import signed_in
from tests.services.test_exchange import first_meeting, new_commune


@pytest.fixture
def commune(tmp_path):
    made = new_commune(tmp_path / "xa.sqlite")
    yield made
    made[0].close()


@pytest.fixture
def errors(monkeypatch):
    """The messages the page would show in a box."""
    shown: list[str] = []
    for module in ("app.ui.pages.exchange", "app.ui.dialogs.exchange_review", "app.ui.widgets.common"):
        monkeypatch.setattr(f"{module}.show_error", lambda _parent, message, *_: shown.append(message))
    return shown


def review_then(monkeypatch, decide=None, *, apply: bool = True):
    """Stand in for the person at the review: look, decide, press «Nhập» (or close)."""
    seen: list[ReviewDialog] = []

    def exec_(dialog: ReviewDialog) -> int:
        seen.append(dialog)
        if decide:
            decide(dialog)
        if apply:
            dialog.apply()
        return 0

    monkeypatch.setattr(ReviewDialog, "exec", exec_)
    return seen


def save_dialog(dialog, action) -> None:
    dialog._action = action
    dialog._save()


def test_partners_are_added_from_cards_only_after_the_fingerprint_is_checked(qtbot, db, admin, clerk, commune,
                                                                             tmp_path):
    commune_db, commune_admin, _ = commune
    page = ExchangePage(Context(db, admin))
    qtbot.addWidget(page)
    assert page.model.rowCount() == 0 and "Chưa có đối tác" in page.empty.text()

    card = CardDialog(Context(commune_db, commune_admin))
    qtbot.addWidget(card)
    card.target.edit.setText(str(tmp_path / "the-xa.json"))
    save_dialog(card, card._save_card)
    fingerprint = card.fingerprint.text()
    assert (tmp_path / "the-xa.json").exists() and len(fingerprint.split()) == 5

    dialog = AddPartnerDialog(Context(db, admin), page)
    qtbot.addWidget(dialog)
    dialog.source.edit.setText(str(tmp_path / "the-xa.json"))
    dialog._describe()
    assert "đảng ủy xã phong niên" in dialog.partner_name.text().casefold()
    assert dialog.fingerprint.text() == fingerprint
    save_dialog(dialog, dialog._add)
    error = dialog.findChild(QLabel, "error_checked")
    assert not error.isHidden() and "đối chiếu dấu khóa" in error.text()
    assert exchange.partners(db, admin) == []                       # not added before the check
    dialog.checked.setChecked(True)
    save_dialog(dialog, dialog._add)
    page.refresh()
    [row] = [page.model.row_at(0)]
    assert (row.name, row.level, row.fingerprint) == (dialog.card.name, "Cấp dưới", fingerprint)
    assert row.name.casefold().startswith("đảng ủy xã phong niên")

    (tmp_path / "hong.json").write_text("không phải tệp khóa")
    dialog = AddPartnerDialog(Context(db, admin), page)
    qtbot.addWidget(dialog)
    dialog.source.edit.setText(str(tmp_path / "hong.json"))
    dialog._describe()
    assert "không phải tệp khóa đối tác" in dialog.findChild(QLabel, "error_card").text()


@pytest.fixture
def clerk(db):
    return signed_in(db, "nhaplieu")


def introduce(db, admin, commune_db, commune_admin) -> None:
    card, _ = exchange.my_card(commune_db, commune_admin)
    exchange.add_partner(db, admin, exchange.read_card(card), above=False)
    card, _ = exchange.my_card(db, admin)
    exchange.add_partner(commune_db, commune_admin, exchange.read_card(card), above=True)


def export_from_page(qtbot, context, path) -> None:
    page = ExchangePage(context)
    qtbot.addWidget(page)
    dialog = ExportDialog(context, page.selected(), page)
    qtbot.addWidget(dialog)
    assert dialog.partner.currentData() == page.selected().install_id
    dialog.target.edit.setText(str(path))
    save_dialog(dialog, dialog._export)
    assert dialog.made is not None and path.exists()


def test_a_package_goes_down_and_a_conflict_comes_back_decided_side_by_side(qtbot, db, admin, clerk, commune,
                                                                            tmp_path, monkeypatch, errors):
    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    district, at_commune = Context(db, clerk), Context(commune_db, commune_clerk)
    export_from_page(qtbot, district, tmp_path / "xuong-1.goitd")

    page = ExchangePage(at_commune)
    qtbot.addWidget(page)
    seen = review_then(monkeypatch)
    page.import_package(tmp_path / "xuong-1.goitd")
    assert seen[0].reviewed.count(exchange.NEW) > 100 and not seen[0].choices
    assert "Đã nhập gói số 1 của «" in page.status.text() and page.model.row_at(0).received_seq == 1

    # Both sides edit the same session's title; the commune's edit goes up.
    mine = meetings.get(db, clerk, first_meeting(db, clerk, "PHONGNIEN-01"))
    mine.data.title = "Tên sửa ở huyện"
    meetings.update(db, clerk, mine.id, mine.data, expected_version=mine.version)
    with db.session_scope() as session:
        uid = session.scalar(select(Meeting.uid).where(Meeting.id == mine.id))
    with commune_db.session_scope() as session:
        commune_id = session.scalar(select(Meeting.id).where(Meeting.uid == uid))
    theirs = meetings.get(commune_db, commune_clerk, commune_id)
    theirs.data.title = "Tên sửa ở xã"
    meetings.update(commune_db, commune_clerk, commune_id, theirs.data, expected_version=theirs.version)
    export_from_page(qtbot, at_commune, tmp_path / "len-1.goitd")

    district_page = ExchangePage(district)
    qtbot.addWidget(district_page)
    seen = review_then(monkeypatch)                   # «Nhập» pressed before deciding
    district_page.import_package(tmp_path / "len-1.goitd")
    review = seen[0]
    assert review.tabs.tabText(review.tabs.currentIndex()) == "Xung đột (1)"
    table = review.conflict_table
    rows = {table.item(row, 1).text(): (table.item(row, 2).text(), table.item(row, 3).text())
            for row in range(table.rowCount())}
    assert rows["Tên hội nghị"] == ("Tên sửa ở huyện", "Tên sửa ở xã")
    assert review.applied is None and "Chưa quyết định xung đột" in errors[-1]
    assert meetings.get(db, clerk, mine.id).data.title == "Tên sửa ở huyện"          # nothing written

    seen = review_then(monkeypatch, lambda dialog: dialog.decide_all(exchange.THEIRS))
    district_page.import_package(tmp_path / "len-1.goitd")
    assert seen[0].applied.counts[exchange.CONFLICT] == 1
    assert meetings.get(db, clerk, mine.id).data.title == "Tên sửa ở xã"
    assert "1 xung đột" in district_page.status.text()

    seen = review_then(monkeypatch)                   # the same package again
    district_page.import_package(tmp_path / "len-1.goitd")
    assert seen[0].reviewed.status == "already" and seen[0].apply_button.isHidden()


def test_an_early_package_waits_and_a_spoiled_one_is_refused(qtbot, db, admin, clerk, commune, tmp_path,
                                                              monkeypatch, errors):
    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    district = Context(db, clerk)
    export_from_page(qtbot, district, tmp_path / "1.goitd")
    export_from_page(qtbot, district, tmp_path / "2.goitd")
    page = ExchangePage(Context(commune_db, commune_clerk))
    qtbot.addWidget(page)

    review_then(monkeypatch, apply=False)
    page.import_package(tmp_path / "2.goitd")
    assert "được giữ lại" in page.status.text()
    assert page.table.model().index(0, 4).data() == "số 2"
    assert page.import_held() is None and "đang chờ gói số 1: hãy nhập gói số 1 trước" in errors[-1]

    seen = review_then(monkeypatch)
    page.import_package(tmp_path / "1.goitd")
    assert "Gói số 2 đã đến trước, đang chờ" in page.status.text()
    page.import_held()
    assert seen[-1].reviewed.package.seq == 2 and seen[-1].applied is not None
    assert page.model.row_at(0).received_seq == 2 and page.model.row_at(0).held == []
    page.import_held()
    assert "không có gói nào đang chờ" in errors[-1]

    spoiled = tmp_path / "hong.goitd"
    spoiled.write_bytes((tmp_path / "1.goitd").read_bytes()[:500])
    assert page.import_package(spoiled) is None and "bị cắt cụt, bị hỏng" in errors[-1]
