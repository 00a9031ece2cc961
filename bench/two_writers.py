"""Two writers on one SQLite file (issue 20.7): how long a 20,000-row people import holds the write lock,
and how long a small save made meanwhile by another process waits, beside the same save alone.

    .venv/bin/python bench/two_writers.py
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 20_000


def small_save(path: Path) -> float:
    """A write transaction as short as a clerk's save, timed from asking for the lock to the commit."""
    connection = sqlite3.connect(path, timeout=120)
    start = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE install_meta SET value = value WHERE key = 'install_id'")
    connection.commit()
    connection.close()
    return time.perf_counter() - start


def main() -> None:
    from app import demo
    from app.db import open_database
    from app.demo.facts import DEMO_USERS

    folder = Path(tempfile.mkdtemp(prefix="hai-nguoi-ghi-"))
    path = folder / "demo.sqlite"
    db = open_database(path)
    demo.build(db, "tiny")
    db.close()
    source = folder / "danh-sach.csv"
    source.write_text("Họ và tên;Năm sinh;Chi bộ\n" + "".join(f"Sầm Văn Số {n};{1950 + n % 50};Cốc Sâm\n"
                                                             for n in range(ROWS)), encoding="utf-8")
    alone = min(small_save(path) for _ in range(5))
    password = next(password for username, password, *_ in DEMO_USERS if username == "nhaplieu")
    started = time.perf_counter()
    importer = subprocess.Popen([sys.executable, "-m", "app", "people", "import", str(source), "--apply", "--db",
                                 str(path), "--user", "nhaplieu", "--since", "01/10/2026"],
                                env=dict(os.environ, TUYENGIAO_PASSWORD=password), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    waits = []
    while importer.poll() is None:
        waits.append(small_save(path))
        time.sleep(0.05)
    whole = time.perf_counter() - started
    out, err = importer.communicate()
    assert importer.returncode == 0, err
    print(f"import of {ROWS:,} rows: {whole:.1f} s in all ({out.strip().splitlines()[-1]})")
    print(f"a small save alone: {alone * 1000:.1f} ms")
    print(f"a small save meanwhile: longest wait {max(waits):.1f} s over {len(waits)} saves "
          f"({max(waits) / alone:,.0f}× alone); none failed")


if __name__ == "__main__":
    main()
