"""A package in: its signature and hashes checked, then reviewed against our copy into new, changed,
deleted and conflicting records (DESIGN.md, "Sync-ready").

A record whose local copy is still at the agreed version is simply taken; one edited on both sides
since is a conflict for a person to decide, whatever the laptops' clocks say.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, exists, select
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db import Database
from app.models import ExchangePartner, HeldPackage, OfficeKey
from app.models.meetings import COUNT_COLUMNS
from app.services import audit_trail, received, schedule
from app.services.auth import Actor, Permission, require
from app.services.cases.sealing import fingerprint, usable_public_key
from app.services.errors import ServiceError
from app.services.exchange.cards import office_identity, partner_by_install
from app.services.exchange.office import read_office
from app.services.exchange.package import MB, UNPACKED_LIMIT, Package, PackageError
from app.services.exchange.package import read as read_package
from app.services.exchange.rows import (
    BOOKKEEPING,
    CHILD_LABELS,
    ROOT_BY_TABLE,
    ROOTS,
    STATE,
    TABLES,
    Links,
    check_record,
    check_reference,
    content_hash,
    local_records,
    title,
)
from app.services.numbers import count_text
from app.services.progress import QUIET, Progress

# ---- import: read, review, apply ---------------------------------------------------------------

NEW, CHANGED, DELETED, CONFLICT, SAME = "new", "changed", "deleted", "conflict", "same"
CATEGORY_LABELS = {NEW: "Mới", CHANGED: "Sửa", DELETED: "Xóa", CONFLICT: "Xung đột", SAME: "Đã có"}
MINE, THEIRS = "mine", "theirs"
STOPPED_IMPORT = "Đã dừng; chưa nhập gì từ gói."


# The largest package file read: no more than everything in it unpacked may be.
PACKAGE_MAX_BYTES = UNPACKED_LIMIT + MB

# A package is signed by a partner, yet still input: a record of a shape this app cannot take is the
# package's fault, refused with nothing written, whatever Python error it first causes.
MALFORMED = (LookupError, TypeError, ValueError, AttributeError, RecursionError, DBAPIError, StatementError)


@contextmanager
def package_content(package: Package) -> Iterator[None]:
    try:
        yield
    except MALFORMED as error:
        logging.getLogger(__name__).warning("gói %s: %r", package.name, error)
        raise PackageError(f"Gói «{package.name}» có bản ghi sai cấu trúc, phần mềm không đọc được; chưa nhập gì. "
                           "Hãy báo nơi gửi kiểm tra và gửi lại.") from error


def open_package(db: Database, path: Path | str | None = None, *, content: bytes | None = None,
                 name: str = "") -> Package:
    with db.session_scope() as session:
        keys = dict(session.execute(select(ExchangePartner.install_id, ExchangePartner.public_key)).all())
    if content is not None:
        return read_package(content, name, partner_keys=keys, own_install=db.install_id)
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise PackageError(f"Không đọc được tệp «{path}»: {error.strerror or error}.") from error
    if size > PACKAGE_MAX_BYTES:
        raise PackageError(f"Tệp «{path.name}» lớn quá {count_text(PACKAGE_MAX_BYTES // MB)} MB, không phải "
                           "một gói trao đổi.")
    return read_package(path, path.name, partner_keys=keys, own_install=db.install_id)


@dataclass
class Item:
    category: str
    record: dict
    local_id: int | None = None
    local_version: int | None = None
    differences: list[tuple[str, str, str]] = field(default_factory=list)   # (what, mine, theirs)

    @property
    def uid(self) -> str:
        return self.record["row"]["uid"]

    @property
    def kind_label(self) -> str:
        return ROOT_BY_TABLE[self.record["table"]].label

    @property
    def title(self) -> str:
        return title(self.record)


@dataclass(frozen=True)
class OfferedKey:
    """The office key the level above sends down: stored waiting, sealed to once a key holder confirms it."""
    name: str
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def offered_key(package: Package) -> OfferedKey | None:
    """The package's office key, checked: a key X25519 cannot seal to would stop every case with a reporter."""
    try:
        entry = package.reference().get("office_key")
        if not entry:
            return None
        name, public = entry["name"], base64.b64decode(entry["public_key"], validate=True)
        if not isinstance(name, str) or not name.strip() or len(name) > 200 or not usable_public_key(public):
            raise ValueError(name)
    except (KeyError, TypeError, ValueError, AttributeError, binascii.Error) as error:
        raise PackageError(f"Gói «{package.name}» mang khóa bảo vệ danh tính không hợp lệ (reference.json › "
                           "office_key): không nhập gói này; hãy báo cấp trên gửi lại.") from error
    return OfferedKey(name.strip(), public)


@dataclass
class Review:
    package: Package
    status: str            # "ready", "already" (applied before), "held" (an earlier one is missing)
    items: list[Item]
    expected_seq: int
    new_key: OfferedKey | None = None   # an office key we do not have yet

    def count(self, category: str) -> int:
        return sum(item.category == category for item in self.items)

    @property
    def conflicts(self) -> list[Item]:
        return [item for item in self.items if item.category == CONFLICT]

    def summary(self) -> str:
        source, seq = self.package.source_name, self.package.seq
        if self.status == "already":
            return f"Gói số {seq} của «{source}» đã được nhập trước đây; nhập lại không thay đổi gì."
        if self.status == "held":
            return (f"Gói số {seq} của «{source}» đến trước gói số {self.expected_seq}: được giữ lại, sẽ nhập "
                    f"sau khi nhập gói số {self.expected_seq}.")
        counts = ", ".join(f"{self.count(category)} {label.lower()}" for category, label in CATEGORY_LABELS.items()
                           if category != SAME)
        key = self.new_key
        waiting = (f" Kèm khóa bảo vệ danh tính của «{key.name}», dấu {key.fingerprint}: chưa dùng cho đến khi "
                   "cán bộ kiểm tra đối chiếu dấu với cơ quan đó và xác nhận." if key else "")
        return f"Gói số {seq} của «{source}»: {counts}.{waiting}"


def _derived(column: str) -> bool:
    """Search keys and tallies kept from other fields: they differ whenever those do, so they add nothing."""
    return column.endswith("_folded") or column in COUNT_COLUMNS


def _differences(mine: dict, theirs: dict) -> list[tuple[str, str, str]]:
    """What a person compares side by side, in words: the root's differing fields, then the children
    that differ, by their row counts."""
    found = []
    for name, value in theirs["row"].items():
        if name in BOOKKEEPING or name in ("id", "uid") or _derived(name):
            continue
        if mine["row"].get(name) != value:
            found.append((audit_trail.FIELD_LABELS.get(name, name), audit_trail.shown_value(name, mine["row"].get(name)),
                          audit_trail.shown_value(name, value)))
    for child, rows in theirs["children"].items():
        local_rows = Counter(json.dumps(row, sort_keys=True) for row in mine["children"].get(child, []))
        their_rows = Counter(json.dumps(row, sort_keys=True) for row in rows)
        if local_rows != their_rows:
            found.append((CHILD_LABELS.get(child, child), _rows_text(local_rows, their_rows),
                          _rows_text(their_rows, local_rows)))
    return found


def _rows_text(rows: Counter, other: Counter) -> str:
    only_here = (rows - other).total()
    return f"{rows.total()} dòng, {only_here} dòng khác bên kia" if only_here else f"{rows.total()} dòng"


def classify(connection: Connection, records: list[dict], links: Links, adoptable: set[str],
             progress: Progress = QUIET) -> list[Item]:
    items: list[Item] = []
    by_table: dict[str, list[dict]] = {}
    for record in records:
        by_table.setdefault(record["table"], []).append(record)
    for done, (table_name, group) in enumerate(by_table.items()):
        progress.step(done, len(by_table), STOPPED_IMPORT)
        table = TABLES[table_name]
        uids = [uuid.UUID(record["row"]["uid"]) for record in group]
        local = {}
        for start in range(0, len(uids), 500):
            local.update({str(uid): (row_id, version, deleted, False) for uid, row_id, version, deleted in connection.execute(
                select(table.c.uid, table.c.id, table.c.version, table.c.deleted_at)
                .where(table.c.uid.in_(uids[start:start + 500])))})
        if table_name == "unit":
            local.update(_units_by_code(connection, [record for record in group if record["row"]["uid"] not in local],
                                        adoptable))
        to_compare = []
        for record in group:
            found = local.get(record["row"]["uid"])
            tombstone = record["row"].get("deleted_at") is not None
            if found is None:
                items.append(Item(DELETED if tombstone else NEW, record))
                continue
            row_id, version, deleted, adopted = found
            item = Item(CHANGED, record, row_id, version)
            if adopted or version == record.get("base"):
                item.category = DELETED if tombstone and deleted is None else CHANGED
            else:
                to_compare.append(item)
            items.append(item)
        if to_compare:
            mine = local_records(connection, table_name, [item.local_id for item in to_compare], links)
            for item in to_compare:
                if content_hash(mine[item.local_id]) == content_hash(item.record):
                    item.category = SAME
                else:
                    item.category = CONFLICT
                    item.differences = _differences(mine[item.local_id], item.record)
    return items


def _units_by_code(connection: Connection, records: list[dict],
                   adoptable: set[str]) -> dict[str, tuple[int, int, None, bool]]:
    """A new install made its own top unit at setup; the level above knows the same unit by the same
    code. Such a unit, never exchanged, takes the incoming uid and content (found here by its code).
    Any other unit of the same code but another uid was made twice, in two places: refused by name."""
    if not records:
        return {}
    units = TABLES["unit"]
    codes = {record["row"]["code"]: record["row"]["uid"] for record in records}
    exchanged = exists(select(STATE.c.root_uid).where(STATE.c.root_uid == units.c.uid))
    found = connection.execute(select(units.c.code, units.c.id, units.c.version, exchanged)
                               .where(units.c.code.in_(codes))).all()
    twice = sorted(code for code, _, _, was_exchanged in found if code not in adoptable or was_exchanged)
    if twice:
        raise ServiceError(f"Đơn vị mã {', '.join(twice)} trong gói và đơn vị cùng mã ở đây là hai đơn vị khác "
                           "nhau (được tạo ở hai nơi). Hai bên thống nhất để một bên đổi mã đơn vị của mình, rồi "
                           "gửi lại gói. Chưa có gì được ghi.")
    # Taken as it comes: the install's own setup is not a rival edit.
    return {codes[code]: (row_id, version, None, True) for code, row_id, version, _ in found}


def adoptable_units(session: Session, partner: ExchangePartner) -> set[str]:
    """The codes a unit may be matched by: the top units of both installs."""
    _, own_top = office_identity(session)
    units = TABLES["unit"]
    partner_top = session.scalar(select(units.c.code).where(units.c.id == partner.unit_id)) if partner.unit_id else None
    return {code for code in (own_top, partner_top) if code}


def review(db: Database, actor: Actor, package: Package, progress: Progress = QUIET) -> Review:
    """What the package would change, nothing written; a package that comes early is held here."""
    require(actor, Permission.EXCHANGE)
    with db.session_scope() as session:
        partner = partner_by_install(session, package.source)
        expected = partner.received_seq + 1
        if package.seq < expected:
            return Review(package, "already", [], expected)
        if package.seq > expected:
            if session.get(HeldPackage, (partner.id, package.seq)) is None:
                session.add(HeldPackage(partner_id=partner.id, seq=package.seq, received_at=utcnow(),
                                        content=package.content))
            return Review(package, "held", [], expected)
        key = offered_key(package) if partner.above else None
        if key and session.scalar(select(OfficeKey.id).where(OfficeKey.public_key == key.public_key)):
            key = None
        connection = session.connection()
        with package_content(package):
            if partner.above:
                check_reference(package.reference())
                schedule.check_sent(package.reference().get("report_duties", []))
            read_office(package.reference().get("office"), package.name)   # refused here, before any apply
            records = list(package.records())
            for record in records:
                check_record(record)
            received.check_incoming(session, partner, package.name, package.source, db.install_id, records)
            items = classify(connection, records, Links(connection), adoptable_units(session, partner), progress)
    order = {kind.table: index for index, kind in enumerate(ROOTS)}
    items.sort(key=lambda item: (item.category == SAME, order[item.record["table"]]))
    return Review(package, "ready", items, expected, key)
