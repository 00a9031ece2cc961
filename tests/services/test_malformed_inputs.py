"""Several hundred malformed inputs (tests/malformed.py, a fixed seed) through what reads them: each either
works or is refused with a Vietnamese message (a ServiceError, which the command line prints as one
line with exit code 2 and the GUI as a dialog), never a traceback, and a refusal writes nothing."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import func, select

from app import clock
from app.db import DatabaseOpenError, open_database
from app.models import AuditEntry, Meeting, Person, Unit
from app.services import auth, backup, exchange, people, sheets, users
from app.services import people_import as importing
from app.services.errors import ServiceError, ValidationError
from app.services.exchange import signing
from app.services.exchange.package import write as write_package
from app.services.meetings import attendance_import
from tests import malformed
from tests.conftest import PASSWORDS, cli_environment
from tests.sheets_factory import commune_roster

REFUSED = (ServiceError, DatabaseOpenError)
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")   # openpyxl's notes on the damaged parts


def fingerprint(db) -> tuple[int, ...]:
    with db.session_scope() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (Person, Meeting, Unit, AuditEntry))


def run_all(samples, attempt, db=None) -> list[str]:
    """Each sample through `attempt`; what went wrong, as lines for the failure message."""
    wrong = []
    for label, _name, _content in samples:
        before = fingerprint(db) if db is not None else None
        try:
            attempt(label)
        except REFUSED as error:
            if "\n" in str(error):
                wrong.append(f"{label}: message on several lines: {error!s:.200}")
            if db is not None and fingerprint(db) != before:
                wrong.append(f"{label}: refused but wrote something")
        except Exception as error:   # noqa: BLE001 (any other error is the defect this test looks for)
            wrong.append(f"{label}: {type(error).__name__}: {error!s:.200}")
    return wrong


def test_malformed_people_and_attendance_files_are_refused_cleanly(db, clerk, tmp_path):
    rng = random.Random(malformed.SEED)
    good = commune_roster(tmp_path / "tot.xlsx", ("Không Ai", 1970)).read_bytes()
    samples = [*malformed.byte_damage("xlsx", "danh-sach.xlsx", good, rng, 60), *malformed.xlsx_damage(good, rng),
               *malformed.csv_damage(rng)]
    assert len(samples) >= 150
    by_label = {label: (name, content) for label, name, content in samples}

    def attempt(label: str) -> None:
        name, content = by_label[label]
        path = tmp_path / name
        path.write_bytes(content)
        table = sheets.read_table(path)
        preview = importing.check(db, clerk, table, importing.guess_mapping(table),
                                  importing.ImportOptions(clock.today()))
        importing.save_rejected(preview, tmp_path / "loi.xlsx")
        attendance_import.check(clerk, table, attendance_import.guess_mapping(table), [])

    assert run_all(samples, attempt, db) == []


@pytest.fixture
def paired(db, admin, commune):
    from tests.services.test_exchange import introduce

    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    clerk = auth.login(db, "nhaplieu", PASSWORDS["nhaplieu"])
    assert signing.open_at_login(db, clerk, PASSWORDS["nhaplieu"])
    return clerk, commune_db, commune_clerk


def test_malformed_packages_are_refused_before_anything_is_written(db, paired, tmp_path):
    clerk, commune_db, commune_clerk = paired
    rng = random.Random(malformed.SEED + 1)
    made = tmp_path / "that.goitd"
    exchange.export(db, clerk, commune_db.install_id, made, start=date(2026, 10, 1), end=date(2026, 10, 31))
    good = made.read_bytes()
    package = exchange.open_package(commune_db, made)
    records = list(package.records())
    key = signing.private_key(db, clerk)
    signed_badly = list(malformed.record_damage(records, rng, 80))
    deep = ("gói ký đúng, dòng lồng 100.000 tầng", None)
    samples = [*malformed.byte_damage("gói", "goi.goitd", good, rng, 50),
               *[(label, "ky-dung.goitd", b"") for label, _ in [*signed_badly, deep]]]
    by_label = dict(signed_badly)
    manifest = {name: value for name, value in package.manifest.items()
                if name not in ("kind", "format", "schema", "hashes")}

    def resigned(label: str) -> bytes:
        seq = exchange.partners(commune_db, auth.login(commune_db, "quantrixa", "xaphongnien2026"))[0].received_seq
        content = write_package(dict(manifest, seq=seq + 1), by_label.get(label, []), package.reference(), {}, key)
        if label == deep[0]:
            members = malformed.zip_members(content)
            members["records.jsonl"] = b"[" * 100_000 + b"]" * 100_000 + b"\n"
            # Signed again over the changed hash, as a hostile partner would.
            manifest_json = json.loads(members["manifest.json"])
            manifest_json["hashes"]["records.jsonl"] = hashlib.sha256(members["records.jsonl"]).hexdigest()
            members["manifest.json"] = json.dumps(manifest_json, ensure_ascii=False, sort_keys=True, indent=1).encode()
            members["signature"] = key.sign(members["manifest.json"])
            content = malformed.zipped(members)
        return content

    damaged = {label: content for label, _, content in samples if content}

    def attempt(label: str) -> None:
        path = tmp_path / "thu.goitd"
        path.write_bytes(damaged[label] if label in damaged else resigned(label))
        reviewed = exchange.review(commune_db, commune_clerk, exchange.open_package(commune_db, path))
        if reviewed.status == "ready":
            exchange.apply(commune_db, commune_clerk, reviewed, {item.uid: "mine" for item in reviewed.conflicts})

    assert len(samples) >= 130 and len(records) > 20
    assert run_all(samples, attempt, commune_db) == []


@pytest.mark.parametrize("passphrase", [None, "mat-khau-sao-luu-1"])
def test_damaged_backups_are_refused(db, clerk, tmp_path, passphrase):
    rng = random.Random(malformed.SEED + 2)
    made = tmp_path / "ban.saoluu"
    backup.make(db, clerk, made, passphrase)
    samples = list(malformed.byte_damage("sao lưu", "ban.saoluu", made.read_bytes(), rng, 40))
    by_label = {label: content for label, _, content in samples}

    def attempt(label: str) -> None:
        path = tmp_path / "hong.saoluu"
        path.write_bytes(by_label[label])
        backup.verify(path, passphrase)

    assert run_all(samples, attempt) == []


def test_damaged_database_files_open_with_a_message_or_not_at_all(template_path, tmp_path):
    rng = random.Random(malformed.SEED + 3)
    samples = list(malformed.byte_damage("csdl", "hong.sqlite", template_path.read_bytes(), rng, 40))
    by_label = {label: content for label, _, content in samples}

    def attempt(label: str) -> None:
        path = tmp_path / f"hong-{abs(hash(label))}.sqlite"
        path.write_bytes(by_label[label])
        db = open_database(path)
        try:
            admin = auth.login(db, "quantri", PASSWORDS["quantri"])
            users.list_users(db, admin)
            people.list_page(db, admin, people.PeopleFilter())
        finally:
            db.close()

    assert run_all(samples, attempt) == []


def test_on_the_command_line_a_bad_file_is_one_vietnamese_line_and_exit_code_2(db_path, tmp_path):
    rng = random.Random(malformed.SEED + 4)
    chosen = [sample for index, sample in enumerate(malformed.csv_damage(rng)) if index in (2, 6, 10)]
    damaged_db = tmp_path / "hong.sqlite"
    shutil.copy(db_path, damaged_db)
    with sqlite3.connect(damaged_db) as connection:
        page = connection.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(damaged_db.read_bytes())
    data[page * 3:page * 40] = bytes(page * 37)   # pages of the tables zeroed, the header intact
    damaged_db.write_bytes(bytes(data))
    runs = []
    for _label, name, content in chosen:
        path = tmp_path / name
        path.write_bytes(content)
        runs.append(["people", "import", str(path), "--db", str(db_path), "--user", "nhaplieu"])
    runs.append(["people", "list", "--db", str(damaged_db), "--user", "nhaplieu"])
    for argv in runs:
        result = subprocess.run([sys.executable, "-m", "app", *argv], capture_output=True, text=True, timeout=120,
                                env=cli_environment(TUYENGIAO_PASSWORD=PASSWORDS["nhaplieu"]), stdin=subprocess.DEVNULL)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1 and lines[0].startswith("Lỗi: "), (argv, result.stderr)


def test_a_zip_claiming_a_version_nobody_made_is_a_damaged_file_not_a_crash(tmp_path):
    """Found by the corpus above: one flipped bit in the central directory's «version needed to extract» made
    zipfile raise NotImplementedError while the table was read."""
    good = commune_roster(tmp_path / "tot.xlsx", ("Không Ai", 1970)).read_bytes()
    header = good.index(b"PK\x01\x02")
    damaged = good[:header + 6] + bytes([148, 0]) + good[header + 8:]   # version 14.8 needed to extract
    (tmp_path / "hong.xlsx").write_bytes(damaged)
    with pytest.raises(ValidationError, match="tệp hỏng hoặc không phải .xlsx"):
        sheets.read_table(tmp_path / "hong.xlsx")
