"""Peak memory of the largest package the exchange takes (issue 20.5: bounded resources, a 1 GB cap).

A commune's package up to the district filled close to the package limits: about 60 MB of records (12,000
sessions with 240,000 attendance rows) and about 250 MB of scanned minutes, 320 MB unpacked at most. Export
at the commune, and open + review + apply at a copy of the large demo, each run in a child process whose
peak resident memory is printed; beside it, a child that only reads the package file into memory (the
plain baseline: nothing can take less than the file itself when it is read whole).

    .venv/bin/python bench/package_memory.py      (needs bench/out/large.sqlite, made by bench/run.py)

BENCH_BEFORE=<another checkout> also runs the export and the import on that checkout's app (the district
put back between runs), to compare before and after a change.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import exchange as bench_exchange  # noqa: E402  (bench/exchange.py: the commune and its year)

SESSIONS, ATTENDANCE, SCANS = 12_000, 240_000, 4_200


def prepare(out: Path) -> tuple[Path, Path]:
    """A district (copy of the large demo) and a commune paired with it, the commune holding the big year."""
    from app import demo
    from app.db import open_database
    from app.services import exchange
    from app.services.exchange.rows import TABLES

    district_path, commune_path = out / "memory-district.sqlite", out / "memory-commune.sqlite"
    for path in (district_path, commune_path):
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
    shutil.copy(out / "large.sqlite", district_path)
    district = open_database(district_path)
    passwords = {user[0]: user[1] for user in demo.DEMO_USERS}
    district_admin = bench_exchange.login(district, "quantri", passwords["quantri"])
    district_clerk = bench_exchange.login(district, "nhaplieu", passwords["nhaplieu"])
    commune, commune_admin, commune_clerk = bench_exchange.new_commune(commune_path)
    card, _ = exchange.my_card(commune, commune_admin)
    exchange.add_partner(district, district_admin, exchange.read_card(card), above=False)
    card, _ = exchange.my_card(district, district_admin)
    exchange.add_partner(commune, commune_admin, exchange.read_card(card), above=True)
    down = out / "memory-down.goitd"
    exchange.export(district, district_clerk, commune.install_id, down)
    exchange.apply(commune, commune_clerk, exchange.review(commune, commune_clerk, exchange.open_package(commune, down)),
                   {})
    bench_exchange.YEAR_SESSIONS, bench_exchange.YEAR_ATTENDANCE = SESSIONS, ATTENDANCE
    bench_exchange.SCANS = 0
    bench_exchange.commune_year(commune, commune.install_id)
    meeting = TABLES["meeting"]
    with commune.session_scope() as session:
        connection = session.connection()
        ids = list(connection.scalars(select(meeting.c.id).where(meeting.c.origin == commune.install_id)
                                      .order_by(meeting.c.id.desc()).limit(SCANS)))
        bench_exchange._attach_scans(connection, ids)
    commune.close()
    district.close()
    down.unlink()
    return district_path, commune_path


EXPORT = """
import sys
sys.path.insert(0, sys.argv[1])
import exchange as bench_exchange
from app.db import open_database
from app.services import exchange
commune, district = open_database(sys.argv[2]), open_database(sys.argv[3])
clerk = bench_exchange.login(commune, "canboxa", bench_exchange.PASSWORD)
made = exchange.export(commune, clerk, district.install_id, sys.argv[4])
print(sum(made.counts.values()))
"""
IMPORT = """
import sys
sys.path.insert(0, sys.argv[1])
import exchange as bench_exchange
from app.db import open_database
from app.services import exchange
district = open_database(sys.argv[2])
clerk = bench_exchange.login(district, "nhaplieu", sys.argv[4])
reviewed = exchange.review(district, clerk, exchange.open_package(district, sys.argv[3]))
print(sum(exchange.apply(district, clerk, reviewed, {}).counts.values()))
"""
READ_WHOLE = """
import sys
print(len(open(sys.argv[1], "rb").read()))
"""


PEAK = "\nimport resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"


def child_peak_mb(code: str, *args: str, checkout: Path = HERE.parent) -> tuple[int, str]:
    """Run `code` in a fresh interpreter on `checkout`'s app; its own peak resident memory in MB, and what it
    printed."""
    run = subprocess.run([sys.executable, "-c", code + PEAK, *args], capture_output=True, text=True, cwd=checkout,
                         env=dict(os.environ, PYTHONPATH=str(checkout)))
    if run.returncode:
        raise RuntimeError(run.stderr[-2000:])
    *printed, peak_kb = run.stdout.split()
    return round(int(peak_kb) / 1024), " ".join(printed)


def export_and_import(checkout: Path, district_path: Path, commune_path: Path, package: Path) -> dict:
    from app.demo import DEMO_USERS

    package.unlink(missing_ok=True)
    figures = {}
    figures["export_peak_mb"], figures["records"] = child_peak_mb(
        EXPORT, str(HERE), str(commune_path), str(district_path), str(package), checkout=checkout)
    password = next(user[1] for user in DEMO_USERS if user[0] == "nhaplieu")
    figures["import_peak_mb"], _ = child_peak_mb(IMPORT, str(HERE), str(district_path), str(package), password,
                                                 checkout=checkout)
    return figures


def main() -> None:
    import zipfile

    out = HERE / "out"
    paths = prepare(out)
    pristine = [path.with_name(path.stem + "-before.sqlite") for path in paths]
    for path, copy in zip(paths, pristine, strict=True):
        shutil.copy(path, copy)
    package = out / "memory-up.goitd"
    figures = export_and_import(HERE.parent, *paths, package)
    with zipfile.ZipFile(package) as archive:
        infos = archive.infolist()
    figures["package_mb"] = round(package.stat().st_size / 2**20, 1)
    figures["unpacked_mb"] = round(sum(info.file_size for info in infos) / 2**20, 1)
    figures["records_jsonl_mb"] = round(next(i.file_size for i in infos if i.filename == "records.jsonl") / 2**20, 1)
    figures["plain_read_whole_peak_mb"], _ = child_peak_mb(READ_WHOLE, str(package))
    if os.environ.get("BENCH_BEFORE"):   # both installs as they were, the other checkout's app
        for path, copy in zip(paths, pristine, strict=True):
            for leftover in out.glob(path.name + "-*"):
                leftover.unlink()
            shutil.copy(copy, path)
        before = export_and_import(Path(os.environ["BENCH_BEFORE"]), *paths, package)
        figures.update({f"before_{name}": value for name, value in before.items()})
    figures["cap_mb"] = 1024
    for copy in pristine:
        copy.unlink()
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
