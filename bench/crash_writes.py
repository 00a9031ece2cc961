"""kill -9 at random moments of write actions (issue 20's bar): after each, the file passes SQLite's
integrity check and holds either none or all of what the action writes.

    .venv/bin/python bench/crash_writes.py [ROUNDS]
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 3000


def people_named(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM person WHERE full_name LIKE 'Sầm Văn Số %'").fetchone()[0]


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("PRAGMA integrity_check").fetchone()[0]


def main(rounds: int) -> None:
    from app import demo
    from app.db import open_database
    from app.demo.facts import DEMO_USERS

    folder = Path(tempfile.mkdtemp(prefix="kill-9-"))
    template = folder / "mau.sqlite"
    db = open_database(template)
    demo.build(db, "tiny")
    db.close()
    source = folder / "danh-sach.csv"
    source.write_text("Họ và tên;Năm sinh;Chi bộ\n" + "".join(f"Sầm Văn Số {n};{1950 + n % 50};Cốc Sâm\n"
                                                             for n in range(ROWS)), encoding="utf-8")
    password = next(password for username, password, *_ in DEMO_USERS if username == "nhaplieu")
    rng = random.Random(20261128)
    outcomes = {"none": 0, "all": 0}
    bad = []
    for round_number in range(rounds):
        path = folder / "thu.sqlite"
        for stale in folder.glob("thu.sqlite*"):
            stale.unlink()
        shutil.copy(template, path)
        child = subprocess.Popen([sys.executable, "-m", "app", "people", "import", str(source), "--apply", "--db",
                                  str(path), "--user", "nhaplieu", "--since", "01/10/2026"],
                                 env=dict(os.environ, TUYENGIAO_PASSWORD=password), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 6.0))
        child.send_signal(signal.SIGKILL)
        child.wait()
        verdict, written = integrity(path), people_named(path)
        if verdict != "ok" or written not in (0, ROWS):
            bad.append((round_number, verdict, written))
        else:
            outcomes["none" if written == 0 else "all"] += 1
    print(f"{rounds} kill -9 during a {ROWS:,}-row import: integrity ok and nothing partial in "
          f"{rounds - len(bad)} ({outcomes['none']} before the commit, {outcomes['all']} after); bad: {bad}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
