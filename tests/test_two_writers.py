"""Two writers on one SQLite file: one waits for the other instead of dying, and a writer that waits too
long says so in Vietnamese with nothing written and the input still there to retry."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app import clock
from app import db as db_module
from app.config import SETTINGS
from app.db import open_database
from app.models import Person
from app.services import people_import as importing
from app.services import sheets
from app.services.errors import DatabaseBusy
from tests.conftest import PASSWORDS, cli_environment


def _roster(path, family: str, count: int):
    lines = ["Họ và tên;Năm sinh;Chi bộ"] + [f"{family} Văn Số {number};{1950 + number % 50};Cốc Sâm"
                                              for number in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _importing(db_path, source) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "app", "people", "import", str(source), "--apply", "--db",
                             str(db_path), "--user", "nhaplieu", "--since", "01/10/2026"],
                            env=cli_environment(TUYENGIAO_PASSWORD=PASSWORDS["nhaplieu"]), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)


def _people_named(db, family: str) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Person).where(Person.full_name.like(f"{family} Văn Số %")))


def test_two_processes_importing_into_one_file_both_land_whole(db, db_path, tmp_path):
    holder = sqlite3.connect(db_path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")   # a third writer busy for 7 s, as a big import is on an old laptop
    first = _importing(db_path, _roster(tmp_path / "mot.csv", "Sầm", 1500))
    second = _importing(db_path, _roster(tmp_path / "hai.csv", "Lục", 1500))
    time.sleep(7)
    holder.rollback()
    holder.close()
    for process in (first, second):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0 and "Traceback" not in err, err
        assert "Đã nhập 1500 người." in out
    assert (_people_named(db, "Sầm"), _people_named(db, "Lục")) == (1500, 1500)


def test_a_writer_kept_waiting_too_long_says_so_and_writes_nothing(db_path, clerk, tmp_path, monkeypatch):
    monkeypatch.setattr(db_module, "SETTINGS", replace(SETTINGS, database_busy_seconds=1))
    db = open_database(db_path)   # its connections wait one second
    table = sheets.read_table(_roster(tmp_path / "ba.csv", "Sầm", 20))
    preview = importing.check(db, clerk, table, importing.guess_mapping(table), importing.ImportOptions(clock.today()))
    holder = sqlite3.connect(db_path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")   # another process in the middle of a long write
    started = time.monotonic()
    with pytest.raises(DatabaseBusy, match="đang bận.*Chưa ghi gì.*thử lại"):
        importing.commit(db, clerk, preview)
    assert time.monotonic() - started < 30
    holder.rollback()
    holder.close()
    assert _people_named(db, "Sầm") == 0
    assert importing.commit(db, clerk, preview) == 20   # the same preview, kept, goes in on retry
    db.close()
