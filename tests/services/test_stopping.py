"""«Dừng» really stops: long work told to stop part-way raises Cancelled and a stopped write writes
nothing (no record, no file, no mark), after which the same work runs through."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import AuditEntry, ExchangePartner, Meeting
from app.reports import data
from app.services import backup, exchange
from app.services.errors import Cancelled
from app.services.period import Period
from app.services.progress import Progress
from tests.conftest import signed_in
from tests.services.test_exchange import introduce, records


def stop_after(steps: int) -> tuple[Progress, list[tuple[int, int]]]:
    """A Progress whose «Dừng» is pressed once it has told `steps` steps."""
    told: list[tuple[int, int]] = []
    return Progress(should_stop=lambda: len(told) >= steps, report=lambda done, total: told.append((done, total))), told


@pytest.fixture
def clerk(db):
    return signed_in(db, "nhaplieu")


def count(db, model) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_stopped_package_applies_nothing_then_applies_whole(db, admin, clerk, commune, tmp_path):
    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    path = tmp_path / "xuong.goitd"
    exchange.export(db, clerk, commune_db.install_id, path)
    reviewed = exchange.review(commune_db, commune_clerk, exchange.open_package(commune_db, path))
    before = records(commune_db)
    audits = count(commune_db, AuditEntry)
    # Checking tells a step per kind of record in the package, writing a step per kind: stopped after
    # three kinds were written, with the meetings still to come.
    kinds_in_package = len({item.record["table"] for item in reviewed.items})
    progress, told = stop_after(kinds_in_package + 3)
    with pytest.raises(Cancelled, match="chưa nhập gì"):
        exchange.apply(commune_db, commune_clerk, reviewed, {}, progress)
    assert len(told) == kinds_in_package + 3
    assert records(commune_db) == before and count(commune_db, AuditEntry) == audits
    with commune_db.session_scope() as session:
        assert session.scalar(select(ExchangePartner.received_seq)) == 0
    result = exchange.apply(commune_db, commune_clerk, reviewed, {})
    assert result.counts["new"] > 0
    assert {item.uid for item in reviewed.items} <= set(records(commune_db))


def test_a_stopped_export_writes_no_file_and_marks_nothing_sent(db, admin, clerk, commune, tmp_path):
    commune_db, commune_admin, _clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    path = tmp_path / "xuong.goitd"
    progress, _told = stop_after(3)
    with pytest.raises(Cancelled, match="chưa tạo tệp"):
        exchange.export(db, clerk, commune_db.install_id, path, progress=progress)
    assert not path.exists()
    made = exchange.export(db, clerk, commune_db.install_id, path)
    assert made.seq == 1 and path.exists()   # the stopped one took no number


def test_a_stopped_backup_leaves_no_file_and_a_stopped_restore_leaves_the_database(db, db_path, admin, tmp_path,
                                                                                   monkeypatch):
    from app import dbfile

    monkeypatch.setattr(dbfile, "COPY_PAGES", 16)   # the tiny demo copied in many steps, as a big one is
    target = tmp_path / "ban-sao.saoluu"
    progress, told = stop_after(2)
    with pytest.raises(Cancelled, match="chưa tạo tệp"):
        backup.make(db, admin, target, progress=progress)
    assert not target.exists() and len(told) == 2
    made = backup.make(db, admin, target)
    with pytest.raises(Cancelled):
        backup.verify(target, progress=stop_after(1)[0])
    watching, checked = stop_after(10**9)
    backup.verify(target, progress=watching)   # a step per chunk of the backup

    def first_title() -> str:
        with db.session_scope() as session:
            return session.scalar(select(Meeting.title).order_by(Meeting.id).limit(1))

    backed_up = first_title()
    with db.session_scope() as session:   # a change after the backup: a finished restore undoes it
        session.execute(Meeting.__table__.update().where(Meeting.id == session.scalar(select(func.min(Meeting.id))))
                        .values(title="Sửa sau khi sao lưu"))
    progress, told = stop_after(len(checked) + 1)   # every chunk checked, then stopped while copying in
    with pytest.raises(Cancelled, match="vẫn như trước"):
        backup.restore(db_path, target, progress=progress)
    assert told[:len(checked)] == checked and told[-1][0] < told[-1][1]   # checked whole; copied in part
    assert first_title() == "Sửa sau khi sao lưu"
    backup.restore(db_path, target)
    assert first_title() == backed_up and made.counts["meeting"] == count(db, Meeting)


def test_a_stopped_report_stops_between_its_steps(db, leader):
    progress, told = stop_after(3)
    with pytest.raises(Cancelled, match="Đã dừng lập báo cáo"):
        data.build(db, leader, Period.year(2025), progress=progress)
    assert [done for done, _total in told] == [0, 1, 2]
    assert data.build(db, leader, Period.year(2025)).turnout.meetings > 0
