"""Backups: made while the database is open, checked byte for byte, restored exactly, scheduled."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.db import open_database
from app.services import backup
from app.services.backup import BackupError
from app.services.errors import PermissionDenied


def dump(path) -> list[str]:
    """Every row of every table, as SQL: what "the same data" means."""
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def rename_first_meeting(db, clerk, title: str) -> None:
    from sqlalchemy import select

    from app.models import Meeting

    with db.session_scope() as session:
        meeting = session.scalars(select(Meeting).order_by(Meeting.id)).first()
        meeting.title = title


@pytest.mark.parametrize("passphrase", [None, "mật khẩu sao lưu"])
def test_restore_gives_back_exactly_what_was_backed_up(db, db_path, clerk, tmp_path, passphrase):
    target = tmp_path / "ban.saoluu"
    at_backup = dump(db_path)
    info = backup.make(db, clerk, target, passphrase)   # its audit entry comes after the snapshot
    assert info.encrypted is bool(passphrase)
    assert info.counts["meeting"] > 0 and info.counts["unit"] > 0

    rename_first_meeting(db, clerk, "Đổi sau khi sao lưu")
    assert dump(db_path) != at_backup

    restored, kept = backup.restore(db_path, target, passphrase)
    assert restored.counts == info.counts
    assert dump(db_path) == at_backup
    # The replaced database is kept, with the change made after the backup.
    assert any("Đổi sau khi sao lưu" in line for line in dump(kept))
    # The app that had the file open reads the restored data.
    from sqlalchemy import select

    from app.models import Meeting
    with db.session_scope() as session:
        assert "Đổi sau khi sao lưu" not in session.scalars(select(Meeting.title)).all()


@pytest.mark.parametrize("passphrase", [None, "mat-khau-sao-luu-1"])
def test_backup_verify_and_restore_leave_nothing_behind(db, db_path, clerk, tmp_path, monkeypatch, passphrase):
    import tempfile

    scratch_folders = []   # a decrypted database must never pass through the system's shared folder
    real_mkstemp = tempfile.mkstemp
    monkeypatch.setattr(tempfile, "mkstemp", lambda **kw: scratch_folders.append(Path(kw["dir"])) or real_mkstemp(**kw))
    copies = tmp_path / "sao-luu"
    copies.mkdir()
    target = copies / "ban.saoluu"
    backup.make(db, clerk, target, passphrase)
    db.close()   # the app closed: only what backup and restore made is left
    backup.verify(target, passphrase)
    backup.verify(target, passphrase, beside=db_path.parent)
    _, kept = backup.restore(db_path, target, passphrase)
    assert sorted(path.name for path in copies.iterdir()) == ["ban.saoluu"]
    assert sorted(path.name for path in db_path.parent.iterdir() if path.is_file()) == sorted([db_path.name, kept.name])
    assert scratch_folders and Path(tempfile.gettempdir()) not in scratch_folders


def test_a_backup_is_consistent_while_another_connection_writes(db, db_path, clerk, tmp_path):
    writer = sqlite3.connect(db_path)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE meeting SET title = 'chưa ghi' WHERE id = (SELECT min(id) FROM meeting)")
    target = tmp_path / "giua-chung.saoluu"
    backup.make(db, None, target)    # as scheduled (no audit entry to wait for the lock); the open write is not in it
    writer.rollback()
    writer.close()
    backup.restore(tmp_path / "khoi-phuc.sqlite", target)
    assert dump(tmp_path / "khoi-phuc.sqlite") == dump(db_path)


def test_the_backup_is_recorded_and_its_summary_is_readable(db, clerk, tmp_path):
    info = backup.make(db, clerk, tmp_path / "a.saoluu")
    assert backup.peek(tmp_path / "a.saoluu") == info
    assert f"do {clerk.username} tạo" in info.summary() and "hội nghị" in info.summary()
    with sqlite3.connect(db.url.removeprefix("sqlite:///")) as connection:
        trail = connection.execute("SELECT username, action, summary FROM audit_entry WHERE entity = 'database'")
        assert trail.fetchall() == [(clerk.username, "backup", f"Sao lưu cơ sở dữ liệu vào «{tmp_path / 'a.saoluu'}»")]


def test_only_permitted_roles_back_up_and_restore_needs_no_server(db, inspector, tmp_path):
    with pytest.raises(PermissionDenied):
        backup.make(db, inspector, tmp_path / "x.saoluu")
    assert not (tmp_path / "x.saoluu").exists()


def test_an_encrypted_backup_says_nothing_without_its_passphrase(db, clerk, tmp_path):
    target = tmp_path / "kin.saoluu"
    backup.make(db, clerk, target, "đúng")
    content = target.read_bytes()
    assert b"SQLite format 3" not in content and "Phong Niên".encode() not in content
    with pytest.raises(BackupError, match="mật khẩu của bản sao lưu"):
        backup.verify(target)
    with pytest.raises(BackupError, match="Mật khẩu của bản sao lưu «kin.saoluu» không đúng"):
        backup.verify(target, "sai")
    assert backup.verify(target, "đúng").encrypted


@pytest.mark.parametrize(("damage", "message"), [
    (lambda data: data[: len(data) // 2], "bị cắt cụt"),
    (lambda data: data[:-3], "bị cắt cụt"),
    (lambda data: data[:200] + bytes([data[200] ^ 1]) + data[201:], "bị hỏng"),
    (lambda data: data[:-40] + bytes([data[-40] ^ 1]) + data[-39:], "bị hỏng"),
    (lambda data: data + b"rac", "dữ liệu lạ"),
    (lambda data: b"PK\x03\x04" + data[4:], "không phải bản sao lưu"),
])
@pytest.mark.parametrize("passphrase", [None, "kín"])
def test_a_damaged_backup_is_refused_and_nothing_is_replaced(db, db_path, clerk, tmp_path, damage, message,
                                                              passphrase):
    target = tmp_path / "hong.saoluu"
    backup.make(db, clerk, target, passphrase)
    target.write_bytes(damage(target.read_bytes()))
    before = dump(db_path)
    with pytest.raises(BackupError, match=message):
        backup.restore(db_path, target, passphrase)
    assert dump(db_path) == before
    assert not list(db_path.parent.glob("*truoc-khoi-phuc*"))


def test_a_backup_of_another_program_or_a_plain_database_is_refused(db_path, tmp_path):
    for name, content in [("khac.saoluu", b"just some text"), ("csdl.saoluu", db_path.read_bytes())]:
        (tmp_path / name).write_bytes(content)
        with pytest.raises(BackupError, match="không phải bản sao lưu của Sổ Tuyên giáo"):
            backup.verify(tmp_path / name)


def test_a_backup_from_a_newer_app_is_refused(db, clerk, tmp_path, monkeypatch):
    from app.services.backup import format as backup_format

    monkeypatch.setattr(backup_format, "FORMAT", backup_format.FORMAT + 1)
    backup.make(db, clerk, tmp_path / "moi.saoluu")
    monkeypatch.undo()
    with pytest.raises(BackupError, match="phiên bản Sổ Tuyên giáo mới hơn"):
        backup.verify(tmp_path / "moi.saoluu")


def test_restore_into_a_missing_or_damaged_database(db, db_path, clerk, tmp_path):
    target = tmp_path / "b.saoluu"
    backup.make(db, None, target)
    wrecked = tmp_path / "hong.sqlite"
    wrecked.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    _, kept = backup.restore(wrecked, target)
    assert kept.read_bytes().startswith(b"SQLite format 3\x00\xff")   # moved aside as it was
    assert dump(wrecked) == dump(db_path)
    _, kept = backup.restore(tmp_path / "moi" / "csdl.sqlite", target)
    assert kept is None
    reopened = open_database(tmp_path / "moi" / "csdl.sqlite")
    assert reopened.install_id == db.install_id
    reopened.close()


def test_scheduled_backups_come_when_due_and_only_the_newest_are_kept(db, tmp_path, monkeypatch):
    from dataclasses import replace

    from app.services.backup import schedule

    monkeypatch.setattr(schedule, "SETTINGS", replace(schedule.SETTINGS, backup_keep=3))
    folder = tmp_path / "sao-luu"
    start = datetime(2026, 11, 1, 8, 0)
    made = [backup.backup_if_due(db, start + timedelta(hours=hours), folder) for hours in range(0, 24 * 6, 12)]
    # One a day: the half-day ticks find the last one too recent.
    assert [path is not None for path in made] == [True, False] * 6
    kept = backup.automatic_backups(folder)
    assert [path.name for path in kept] == ["tu-dong-20261106-080000.saoluu", "tu-dong-20261105-080000.saoluu",
                                            "tu-dong-20261104-080000.saoluu"]
    assert backup.verify(kept[0]).made_by == "(tự động)"


def test_a_server_database_is_not_backed_up_from_the_app(clerk):
    class Server:
        url = "postgresql://tuyengiao@may-chu/tuyengiao"

    with pytest.raises(BackupError, match="pg_dump"):
        backup.make(Server(), clerk, "x.saoluu")
    assert backup.backup_if_due(Server()) is None
