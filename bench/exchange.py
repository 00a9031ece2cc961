"""Exchange benchmarks (issue 8's bars): a commune's busy year going up to the district.

The district is a copy of the large demo; the commune is a new install of Phong Niên that first takes
its package down (its units, people and ten years of sessions). The commune then holds a year of
~5,000 sessions with ~100,000 attendance rows and scanned minutes attached, made by copying its own
sessions into 2027 with new uids (fast, and shaped like real entries). Figures:

- the package down: export at the district, review + apply at the commune;
- the year up: export at the commune, then at the district open (signature, hashes), review and apply
  (the merge), and the same package again (a no-op);
- baselines in the same run: the same rows read with plain sqlite3, written as JSON lines into a zip
  (against the export), and inserted with plain sqlite3 executemany into empty tables (against the merge).

    .venv/bin/python bench/run.py        (prints these with the rest)
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import time
import uuid
import zipfile
from datetime import date, datetime, timedelta
from itertools import cycle, islice
from pathlib import Path

YEAR_SESSIONS = 5_000
YEAR_ATTENDANCE = 100_000
SCANS = 250                 # scanned minutes, ~60 KB each (incompressible, like JPEG)
PASSWORD = "xaphongnien2026"


def login(db, username: str, password: str):
    """An actor as the login window leaves one: the package-signing key open for exporting users."""
    from app.services import auth
    from app.services.exchange import signing

    actor = auth.login(db, username, password)
    signing.open_at_login(db, actor, password)
    return actor


def clock(action):
    start = time.perf_counter()
    value = action()
    return value, round(time.perf_counter() - start, 2)


def new_commune(path: Path):
    from app.db import open_database
    from app.models.enums import Role, UnitKind
    from app.services import profile, setup, units, users

    db = open_database(path)
    office = profile.ProfileInput(
        valid_from=date(2025, 7, 1), parent_body="Đảng bộ tỉnh Lào Cai", issuing_body="Đảng ủy xã Phong Niên",
        issuing_code="đuxpn", place_name="Phong Niên", unit_word="toàn xã", signer_authority="T/M Ban Thường vụ",
        signer_position="Phó Bí thư", signer_name="Lò Văn Sính", recipients="- Lưu VP Đảng ủy.",
        term="2025 – 2030", attendance_target="97,5")
    admin = setup.initialize(db, admin=users.UserInput("quantrixa", "Quản trị xã", Role.ADMIN), password=PASSWORD,
                             office=office, root=setup.RootUnitInput("PHONGNIEN", "Đảng bộ xã Phong Niên",
                                                                     UnitKind.DANG_BO))
    root = next(node.id for node in units.tree(db, admin) if node.code == "PHONGNIEN")
    users.create(db, admin, users.UserInput("canboxa", "Cán bộ xã", Role.CLERK, unit_id=root), PASSWORD)
    return db, admin, login(db, "canboxa", PASSWORD)


def commune_year(db, install_id: str) -> dict:
    """Copy the commune's sessions into 2027 (new ids and uids) until the year holds the bar's size."""
    from sqlalchemy import func, insert, select

    from app.services.exchange.rows import ROOT_BY_TABLE, TABLES

    meeting, attendance = TABLES["meeting"], TABLES["attendance"]
    children = [(TABLES[name], column) for name, column in ROOT_BY_TABLE["meeting"].children]
    with db.session_scope() as session:
        connection = session.connection()
        # Sessions with a roster and sessions without (crowds only), mixed to the bar's proportions.
        sizes = dict(connection.execute(select(attendance.c.meeting_id, func.count())
                                        .group_by(attendance.c.meeting_id)).all())
        rows = list(connection.execute(select(meeting).where(meeting.c.deleted_at.is_(None))
                                       .order_by(meeting.c.id)).mappings())
        rostered = [row for row in rows if row["id"] in sizes]
        bare = [row for row in rows if row["id"] not in sizes]
        with_roster = round(YEAR_ATTENDANCE / (sum(sizes[row["id"]] for row in rostered) / len(rostered)))
        picked = list(islice(cycle(rostered), with_roster)) + list(islice(cycle(bare), YEAR_SESSIONS - with_roster))
        next_id = {table.name: (connection.scalar(select(func.max(table.c.id))) or 0) + 1
                   for table in (meeting, *(child for child, _ in children)) if "id" in table.c}
        made_sessions = made_lines = 0
        now = datetime(2027, 12, 31, 9, 0)
        for first in range(0, len(picked), 500):      # no session twice in a batch (both lists are longer)
            batch = picked[first:first + 500]
            new_ids = {}
            copies = []
            for row in batch:
                new_ids[row["id"]] = next_id["meeting"]
                copies.append(dict(row, id=next_id["meeting"], uid=uuid.uuid4(), origin=install_id, version=1,
                                 created_at=now, updated_at=now, updated_by="canboxa",
                                 held_on=date(2027, 1, 1) + timedelta(days=made_sessions % 365)))
                next_id["meeting"] += 1
                made_sessions += 1
            connection.execute(insert(meeting), copies)
            for child, column in children:
                copied = []
                for start in range(0, len(batch), 500):
                    wanted = [row["id"] for row in batch[start:start + 500]]
                    for line in connection.execute(select(child).where(child.c[column].in_(wanted))).mappings():
                        line = dict(line, **{column: new_ids[line[column]]})
                        if child.name in next_id:
                            line["id"] = next_id[child.name]
                            next_id[child.name] += 1
                        if child is attendance:
                            line["made_up_meeting_id"] = None
                            made_lines += 1
                        copied.append(line)
                if copied:
                    connection.execute(insert(child), copied)
        scans = _attach_scans(connection, [next_id["meeting"] - 1 - index * 7 for index in range(SCANS)])
    return {"sessions": made_sessions, "attendance_rows": made_lines, "scans": scans}


def _attach_scans(connection, meeting_ids: list[int]) -> int:
    import hashlib

    from sqlalchemy import insert

    from app.services.exchange.rows import TABLES

    if not meeting_ids:
        return 0
    files, links = [], []
    for meeting_id in meeting_ids:
        data = os.urandom(60_000)
        sha = hashlib.sha256(data).hexdigest()
        files.append({"sha256": sha, "size": len(data), "media_type": "image/jpeg", "data": data,
                      "created_at": datetime(2027, 12, 31)})
        links.append({"meeting_id": meeting_id, "sha256": sha, "name": f"bien-ban-{meeting_id}.jpg"})
    connection.execute(insert(TABLES["stored_file"]), files)
    connection.execute(insert(TABLES["meeting_file"]), links)
    return len(files)


def plain_baselines(commune: Path, scratch: Path) -> dict:
    """The year's rows with nothing but sqlite3, json and zipfile: read and zipped; inserted elsewhere."""
    source = sqlite3.connect(commune)
    year = "SELECT * FROM meeting WHERE held_on >= '2027-01-01'"

    def read():
        meetings = source.execute(year).fetchall()
        lines = source.execute(f"SELECT * FROM attendance WHERE meeting_id IN (SELECT id FROM ({year}))").fetchall()
        scans = source.execute("SELECT sha256, data FROM stored_file").fetchall()
        return meetings, lines, scans

    def pack():
        meetings, lines, scans = read()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            archive.writestr("rows.jsonl", "".join(json.dumps(row, default=str) + "\n" for row in meetings + lines))
            for sha, data in scans:
                archive.writestr(f"files/{sha}", data)
        return meetings, lines, scans

    (meetings, lines, scans), pack_s = clock(pack)
    target = sqlite3.connect(scratch)
    schema = dict(source.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN "
                                 "('meeting', 'attendance', 'stored_file')"))
    for sql in schema.values():
        target.execute(sql)

    def insert_all():
        with target:
            target.executemany(f"INSERT INTO meeting VALUES ({','.join('?' * len(meetings[0]))})", meetings)
            target.executemany(f"INSERT INTO attendance VALUES ({','.join('?' * len(lines[0]))})", lines)
            target.executemany("INSERT INTO stored_file (sha256, size, media_type, data, created_at) "
                               "VALUES (?, length(?), 'image/jpeg', ?, '2027-12-31')",
                               [(sha, data, data) for sha, data in scans])

    _, insert_s = clock(insert_all)
    source.close()
    target.close()
    return {"plain_read_and_zip_s": pack_s, "plain_sqlite_insert_s": insert_s}


def merge_once(district_path: Path, package_path: Path, password: str):
    """Open (signature, hashes), review and apply a package at the district, each timed."""
    from app.db import open_database
    from app.services import exchange

    district = open_database(district_path)
    clerk = login(district, "nhaplieu", password)
    package, opened = clock(lambda: exchange.open_package(district, package_path))
    reviewed, looked = clock(lambda: exchange.review(district, clerk, package))
    applied, wrote = clock(lambda: exchange.apply(district, clerk, reviewed, {}))
    return district, applied, (opened, looked, wrote)


def exchange_figures(large: Path, out: Path) -> dict:
    from app import demo
    from app.db import open_database
    from app.services import exchange

    district_path, commune_path = out / "exchange-district.sqlite", out / "exchange-commune.sqlite"
    for path in (district_path, commune_path, out / "exchange-plain.sqlite"):
        for leftover in path.parent.glob(path.name + "*"):
            leftover.unlink()
    shutil.copy(large, district_path)
    district = open_database(district_path)
    passwords = {user[0]: user[1] for user in demo.DEMO_USERS}
    district_admin = login(district, "quantri", passwords["quantri"])
    district_clerk = login(district, "nhaplieu", passwords["nhaplieu"])
    commune, commune_admin, commune_clerk = new_commune(commune_path)
    card, _ = exchange.my_card(commune, commune_admin)
    exchange.add_partner(district, district_admin, exchange.read_card(card), above=False)
    card, _ = exchange.my_card(district, district_admin)
    exchange.add_partner(commune, commune_admin, exchange.read_card(card), above=True)
    figures: dict = {}

    down = out / "exchange-down.goitd"
    made, figures["exchange_down_export_s"] = clock(lambda: exchange.export(
        district, district_clerk, commune.install_id, down))
    figures["exchange_down_records"] = sum(made.counts.values())
    figures["exchange_down_package_mb"] = round(down.stat().st_size / 2**20, 1)

    def take(db, actor, path):
        reviewed = exchange.review(db, actor, exchange.open_package(db, path))
        return exchange.apply(db, actor, reviewed, {})

    _, figures["exchange_down_review_apply_s"] = clock(lambda: take(commune, commune_clerk, down))

    figures.update({f"exchange_year_{name}": count for name, count in commune_year(commune, commune.install_id).items()})
    up = out / "exchange-up.goitd"
    made, figures["exchange_year_export_s"] = clock(lambda: exchange.export(
        commune, commune_clerk, district.install_id, up))
    figures["exchange_year_records"] = sum(made.counts.values())
    figures["exchange_year_package_mb"] = round(up.stat().st_size / 2**20, 1)

    # The merge three times, each on the district as it was before it (this machine's timings wander).
    district.close()
    before = out / "exchange-district-before.sqlite"
    shutil.copy(district_path, before)
    runs = []
    for _ in range(3):
        shutil.copy(before, district_path)
        district, applied, timings = merge_once(district_path, up, passwords["nhaplieu"])
        runs.append((round(sum(timings), 2), *timings))
        if len(runs) < 3:
            district.close()
    runs.sort()
    merge, figures["exchange_year_open_s"], figures["exchange_year_review_s"], figures["exchange_year_apply_s"] = \
        runs[1]
    figures["exchange_year_merge_s"] = merge
    figures["exchange_year_merge_runs_s"] = [run[0] for run in runs]
    before.unlink()
    figures["exchange_year_new_at_district"] = applied.counts[exchange.NEW]
    again, figures["exchange_year_reimport_s"] = clock(lambda: exchange.review(
        district, district_clerk, exchange.open_package(district, up)))
    figures["exchange_year_reimport_status"] = again.status

    figures.update(plain_baselines(commune_path, out / "exchange-plain.sqlite"))
    figures["exchange_year_export_ratio_to_plain"] = round(
        figures["exchange_year_export_s"] / max(figures["plain_read_and_zip_s"], 0.01), 1)
    figures["exchange_year_merge_ratio_to_plain"] = round(
        figures["exchange_year_merge_s"] / max(figures["plain_sqlite_insert_s"], 0.01), 1)
    commune.close()
    district.close()
    return figures


if __name__ == "__main__":
    root = Path(__file__).resolve().parent
    print(json.dumps(exchange_figures(root / "out" / "large.sqlite", root / "out"), ensure_ascii=False, indent=2))
