"""Aggregate roots as self-contained records another install can read, and back.

A record is a root row with its child rows (a session with its roster, a case with its history).
Inside it, a link to another root is that root's uid, a link to a Danh mục entry is its (list, code),
a link to a stored file is its SHA-256, and a link to a local account is dropped (the username
stays): ids mean nothing outside the database that made them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    LargeBinary,
    Numeric,
    Table,
    Uuid,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.types import Date, DateTime, Float, Time
from sqlalchemy.types import Enum as EnumType

from app.models import Base

TABLES = Base.metadata.tables
STATE = TABLES["exchange_state"]   # per partner and record: the version sent, the version both hold


@dataclass(frozen=True)
class RootKind:
    table: str
    label: str
    children: tuple[tuple[str, str], ...] = ()     # (child table, its column pointing at the root)
    unit_column: str | None = None
    date_column: str | None = None
    title_column: str | None = None
    audited_as: str | None = None                   # the trail's kind, when it is not the table's name

    @property
    def audit_kind(self) -> str:
        return self.audited_as or self.table


# Roots in the order they are written (a root's links point to roots written before it), with the
# column naming their unit (what a partner's subtree cuts on) and their date (what a period cuts on).
ROOTS = (
    RootKind("unit", "Đơn vị", (("unit_version", "unit_id"),), title_column="code"),
    RootKind("person", "Đảng viên", (("membership", "person_id"),), title_column="full_name"),
    RootKind("document", "Văn bản", (("document_link", "document_id"), ("document_unit", "document_id")),
             title_column="number"),
    # The whole register travels everywhere, as documents do: a commune's session names the district's báo cáo viên.
    RootKind("speaker", "Báo cáo viên", title_column="full_name"),
    RootKind("meeting", "Hội nghị", (("meeting_unit", "meeting_id"), ("meeting_document", "meeting_id"),
                                    ("meeting_presenter", "meeting_id"), ("attendance", "meeting_id"),
                                    ("audience_count", "meeting_id"), ("meeting_file", "meeting_id")),
             unit_column="unit_id", date_column="held_on", title_column="title"),
    RootKind("material", "Tài liệu, tin bài", (("material_document", "material_id"),
                                              ("material_distribution", "material_id")),
             unit_column="unit_id", title_column="title"),
    RootKind("broadcast", "Nhật ký phát thanh", unit_column="unit_id", date_column="aired_on",
             title_column="content"),
    RootKind("case_file", "Phản ánh, kiến nghị", (("case_sign", "case_id"), ("case_event", "case_id"),
                                                 ("case_identity", "case_id"), ("case_attachment", "case_id")),
             unit_column="receiving_unit_id", date_column="received_on", title_column="number", audited_as="case"),
    RootKind("opinion", "Dư luận xã hội", (("opinion_group", "opinion_id"),), unit_column="unit_id",
             date_column="noted_on", title_column="topic"),
    RootKind("exemplar", "Mô hình, điển hình", (("exemplar_spread", "exemplar_id"),), unit_column="unit_id",
             date_column="recognised_on", title_column="title"),
    RootKind("unit_plan", "Kế hoạch thực hiện của đơn vị", unit_column="unit_id", date_column="issued_on",
             title_column="number"),
    RootKind("issued_report", "Báo cáo đã ban hành", title_column="title"),
    # Decisions travel to the office that issued the report only, so they cut on its unit.
    RootKind("report_decision", "Duyệt, trả lại báo cáo", unit_column="office_unit_id", date_column="decided_on",
             title_column="decided_by"),
)
ROOT_BY_TABLE = {kind.table: kind for kind in ROOTS}
CHILD_LABELS = {
    "unit_version": "Các lần đổi tên, đổi cấp trên", "membership": "Quá trình sinh hoạt",
    "document_link": "Văn bản liên quan", "document_unit": "Đơn vị phải thực hiện",
    "meeting_unit": "Đơn vị tham gia", "meeting_document": "Văn bản quán triệt", "meeting_presenter": "Báo cáo viên",
    "attendance": "Danh sách điểm danh", "audience_count": "Số người dự theo thành phần",
    "meeting_file": "Tệp đính kèm", "material_document": "Văn bản liên quan", "material_distribution": "Cấp phát",
    "case_sign": "Dấu hiệu vi phạm", "case_event": "Quá trình xử lý", "case_identity": "Danh tính (đã mã hóa)",
    "case_attachment": "Tệp đính kèm", "opinion_group": "Đối tượng",
    "exemplar_spread": "Nhân rộng"}
# Sync bookkeeping, not content: two copies that differ only here hold the same record.
BOOKKEEPING = {"version", "updated_at", "updated_by"}


def _encode(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, uuid.UUID | Decimal):
        return str(value)
    return value


def _decoder(column: Column):
    kind = column.type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, Time):
        return time.fromisoformat
    if isinstance(kind, LargeBinary):
        return base64.b64decode
    if isinstance(kind, Uuid):
        return uuid.UUID
    if isinstance(kind, Numeric) and kind.asdecimal:
        return Decimal
    return None


def _link(column: Column) -> str | None:
    """The table a column points at, if any."""
    for foreign_key in column.foreign_keys:
        return foreign_key.column.table.name
    return None


def _surrogate(table: Table) -> bool:
    """A child with its own integer id, which only its database knows."""
    keys = list(table.primary_key.columns)
    return len(keys) == 1 and keys[0].name == "id" and keys[0].autoincrement in (True, "auto")


def content_hash(record: dict) -> str:
    """What two copies of a record must share to be the same, bookkeeping aside."""
    row = {name: value for name, value in record["row"].items() if name not in BOOKKEEPING}
    children = {name: sorted(json.dumps(child, sort_keys=True) for child in rows)
                for name, rows in record["children"].items()}
    return hashlib.sha256(json.dumps([row, children], sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass
class Links:
    """Translations between this database's ids and what travels: uids, (list, code) pairs, hashes."""

    connection: Connection
    uid_of: dict[str, dict[int, str]] = field(default_factory=dict)
    id_of: dict[str, dict[str, int | None]] = field(default_factory=dict)
    reference_key: dict[int, tuple[str, str]] | None = None
    reference_id: dict[tuple[str, str], int] | None = None
    files: set[str] = field(default_factory=set)
    referenced: set[tuple[str, str]] = field(default_factory=set)   # (root table, uid) that records point at

    def fetch_uids(self, table: str, row_ids: Iterable[int]) -> None:
        """Learn the uids of some rows, a batch at a time (never a whole table)."""
        known = self.uid_of.setdefault(table, {})
        wanted = [row_id for row_id in set(row_ids) if row_id not in known]
        root = TABLES[table]
        for start in range(0, len(wanted), 500):
            for row_id, uid in self.connection.execute(select(root.c.id, root.c.uid)
                                                       .where(root.c.id.in_(wanted[start:start + 500]))):
                self.added(table, str(uid), row_id)

    def fetch_ids(self, table: str, uids: Iterable[str]) -> None:
        """Learn which of some uids this database holds, and their ids (None: not here)."""
        known = self.id_of.setdefault(table, {})
        wanted = [uid for uid in set(uids) if uid not in known]
        root = TABLES[table]
        for start in range(0, len(wanted), 500):
            batch = wanted[start:start + 500]
            found = {str(uid): row_id for row_id, uid in self.connection.execute(
                select(root.c.id, root.c.uid).where(root.c.uid.in_([uuid.UUID(uid) for uid in batch])))}
            for uid in batch:
                if uid in found:
                    self.added(table, uid, found[uid])
                else:
                    known[uid] = None

    def uid(self, table: str, row_id: int) -> str:
        if row_id not in self.uid_of.get(table, {}):
            self.fetch_uids(table, [row_id])
        return self.uid_of[table][row_id]

    def id(self, table: str, uid: str) -> int | None:
        if uid not in self.id_of.get(table, {}):
            self.fetch_ids(table, [uid])
        return self.id_of[table][uid]

    def added(self, table: str, uid: str, row_id: int) -> None:
        self.id_of.setdefault(table, {})[uid] = row_id
        self.uid_of.setdefault(table, {})[row_id] = uid

    def _references(self) -> None:
        items = TABLES["reference_item"]
        rows = self.connection.execute(select(items.c.id, items.c.list, items.c.code)).all()
        self.reference_key = {row_id: (_encode(kind), code) for row_id, kind, code in rows}
        self.reference_id = {key: row_id for row_id, key in self.reference_key.items()}

    def reference(self, row_id: int) -> list[str]:
        if self.reference_key is None:
            self._references()
        return list(self.reference_key[row_id])

    def reference_back(self, key: list[str]) -> int | None:
        if self.reference_id is None:
            self._references()
        return self.reference_id.get(tuple(key))


class MissingLink(Exception):
    """A record points at something the receiving database does not have."""


PLAIN = (int, str, float, bool)


@cache
def _outgoing(table_name: str, skip: frozenset[str]) -> tuple[tuple[str, str | None], ...]:
    """(column, the table it points at) for the columns a record carries, worked out once per table."""
    return tuple((column.name, _link(column)) for column in TABLES[table_name].columns if column.name not in skip)


def _out(columns: tuple[tuple[str, str | None], ...], row: dict, links: Links) -> dict:
    record = {}
    for name, target in columns:
        value = row[name]
        if value is None:
            pass
        elif target is not None:
            if target in ROOT_BY_TABLE:
                value = links.uid(target, value)
            elif target == "reference_item":
                value = links.reference(value)
            elif target == "stored_file":
                links.files.add(value)
            elif target == "app_user":
                value = None
        elif type(value) not in PLAIN:      # a date, an enum, bytes, a uuid: the exact type, enums are str too
            value = _encode(value)
        record[name] = value
    return record


def _fetch_out(columns: tuple[tuple[str, str | None], ...], rows: list, links: Links) -> None:
    """The uids of every root these rows point at, in a few queries rather than one per row."""
    for name, target in columns:
        if target in ROOT_BY_TABLE:
            ids = {row[name] for row in rows if row[name] is not None}
            links.fetch_uids(target, ids)
            links.referenced.update((target, links.uid_of[target][row_id]) for row_id in ids)


def export_records(connection: Connection, kind: RootKind, rows: list[dict], links: Links) -> Iterator[dict]:
    """The records of some root rows of one kind, their children fetched a batch at a time."""
    by_id: dict[int, dict] = {}
    columns = _outgoing(kind.table, frozenset({"id"}))
    _fetch_out(columns, rows, links)
    for row in rows:
        by_id[row["id"]] = {"table": kind.table, "row": _out(columns, row, links),
                            "children": {child: [] for child, _ in kind.children}}
    for child_name, pointer in kind.children:
        child = TABLES[child_name]
        columns = _outgoing(child_name, frozenset({pointer} | ({"id"} if _surrogate(child) else set())))
        ordering = [child.c[name] for name in ("id",) if name in child.c] or list(child.primary_key.columns)
        ids = list(by_id)
        for start in range(0, len(ids), 500):
            batch = ids[start:start + 500]
            child_rows = connection.execute(select(child).where(child.c[pointer].in_(batch))
                                            .order_by(*ordering)).mappings().all()
            _fetch_out(columns, child_rows, links)
            for child_row in child_rows:
                by_id[child_row[pointer]]["children"][child_name].append(_out(columns, child_row, links))
    yield from by_id.values()


@cache
def _incoming(table_name: str, skip: frozenset[str]) -> tuple[tuple[str, str | None, Any], ...]:
    """(column, the table it points at, how its value is read back) for the columns written from records."""
    return tuple((column.name, _link(column), _decoder(column)) for column in TABLES[table_name].columns
                 if column.name not in skip)


def _in(columns: tuple[tuple[str, str | None, Any], ...], record: dict, links: Links) -> dict:
    row = {}
    for name, target, decode in columns:
        if name not in record:
            continue
        value = record[name]
        if value is None:
            pass
        elif target is not None:
            if target in ROOT_BY_TABLE:
                resolved = links.id(target, value)
                if resolved is None:
                    raise MissingLink(f"{ROOT_BY_TABLE[target].label} mã {value}")
                value = resolved
            elif target == "reference_item":
                resolved = links.reference_back(value)
                if resolved is None:
                    raise MissingLink(f"mục danh mục {'/'.join(value)}")
                value = resolved
            elif target == "app_user":
                value = None
        elif decode is not None:
            value = decode(value)
        row[name] = value
    return row


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")   # never in text this app stores


def check_record(record: Any) -> None:
    """A record from a package has the shape export_records gives and the column types of its tables;
    a ValueError (or TypeError) otherwise, before anything is written."""
    if not isinstance(record, dict) or not isinstance(record.get("row"), dict) \
            or not isinstance(record.get("children", {}), dict):
        raise ValueError("record")
    kind = ROOT_BY_TABLE[record["table"]]
    uuid.UUID(record["row"]["uid"])
    if not isinstance(record["row"].get("version"), int):
        raise ValueError("version")
    check_types(kind.table, _decoded(kind.table, record["row"]))
    for child_name, _ in kind.children:
        items = record.get("children", {}).get(child_name, [])
        if not isinstance(items, list):
            raise ValueError(child_name)
        for item in items:
            if not isinstance(item, dict):
                raise ValueError(child_name)
            check_types(child_name, _decoded(child_name, item))


def check_reference(reference: Any) -> None:
    """reference.json as the level above writes it (outgoing._reference_down): Danh mục entries and
    holiday moves of the right types; a ValueError (or TypeError) otherwise."""
    if not isinstance(reference, dict):
        raise ValueError("reference")
    fields = ("list", "code", "name", "grouping", "regime", "position")
    for entry in reference.get("reference_items") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("retired", False), bool) \
                or not isinstance(entry.get("list"), str) or not isinstance(entry.get("code"), str):
            raise ValueError("reference_items")
        check_types("reference_item", {name: entry.get(name) for name in fields})
    for entry in reference.get("holidays") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("working"), bool):
            raise ValueError("holidays")
        check_types("holiday_exception", _decoded("holiday_exception", entry))


def _decoded(table_name: str, row: dict) -> dict:
    return {name: decode(row[name]) if decode and row.get(name) is not None and target is None else row.get(name)
            for name, target, decode in _incoming(table_name, frozenset()) if name in row}


def check_types(table_name: str, row: dict) -> None:
    """A row from a package holds what its columns hold, whatever SQLite would let in: a ValueError
    names the first column that does not, before anything is written."""
    for column in TABLES[table_name].columns:
        value = row.get(column.name)
        if value is None or _link(column) is not None:
            continue
        kind = column.type
        try:
            expected = kind.python_type
        except NotImplementedError:   # JSON: any shape
            continue
        if isinstance(kind, EnumType):
            expected = str
        wrong = not isinstance(value, expected) or (expected is int and isinstance(value, bool)) \
            or (isinstance(value, str) and getattr(kind, "length", None) and len(value) > kind.length)
        if isinstance(kind, Float) and isinstance(value, int | float) and not isinstance(value, bool):
            wrong = False
        if wrong or isinstance(value, str) and _CONTROL.search(value):
            raise ValueError(f"{table_name}.{column.name}: {str(value)[:40]!r}")


def _fetch_in(columns: tuple[tuple[str, str | None, Any], ...], rows: Iterable[dict], links: Links) -> None:
    """The ids of every root these incoming rows point at, in a few queries rather than one per row."""
    rows = list(rows)
    for name, target, _ in columns:
        if target in ROOT_BY_TABLE:
            links.fetch_ids(target, (row[name] for row in rows if row.get(name) is not None))


def _self_links(table: Table) -> list[str]:
    return [column.name for column in table.columns if _link(column) == table.name]


def write_roots(connection: Connection, table_name: str, entries: list[tuple[dict, int | None, int]],
                links: Links) -> list[int]:
    """Insert or overwrite root rows of one kind, each (record, local id or None, version to carry), a
    statement for all the new ones and one for all the others; links to their own kind come later
    (`write_self_links`). Their ids, in order."""
    table = TABLES[table_name]
    columns = _incoming(table_name, frozenset({"id", *_self_links(table)}))
    _fetch_in(columns, (record["row"] for record, _, _ in entries), links)
    rows = [dict(_in(columns, record["row"], links), version=version) for record, _, version in entries]
    ids = [row_id for _, row_id, _ in entries]
    new = [index for index, row_id in enumerate(ids) if row_id is None]
    for start in range(0, len(new), 5000):
        connection.execute(insert(table), [rows[index] for index in new[start:start + 5000]])
    # Their ids, by their uids (a plain executemany: RETURNING in order goes row by row on SQLite).
    uids = [entries[index][0]["row"]["uid"] for index in new]
    known = links.id_of.setdefault(table_name, {})
    for uid in uids:
        known.pop(uid, None)      # "not here" until a moment ago
    links.fetch_ids(table_name, uids)
    for index, uid in zip(new, uids, strict=True):
        ids[index] = known[uid]
    old = [dict(rows[index], _id=ids[index]) for index, row_id in enumerate(ids) if entries[index][1] is not None]
    if old:
        connection.execute(update(table).where(table.c.id == bindparam("_id")), old)   # SET from the keys
    for (record, _, _), row_id in zip(entries, ids, strict=True):
        links.added(table_name, record["row"]["uid"], row_id)   # new, or a unit adopted under the incoming uid
    return ids


def write_self_links(connection: Connection, table_name: str, written: list[tuple[dict, int, bool]],
                     links: Links) -> None:
    """Links between roots of one kind, once all of them exist; `written` holds (record, id, was new)."""
    table = TABLES[table_name]
    names = _self_links(table)
    if not names:
        return
    columns = _incoming(table_name, frozenset(column.name for column in table.columns) - set(names))
    _fetch_in(columns, (record["row"] for record, _, _ in written), links)
    rows = [dict(_in(columns, {name: record["row"].get(name) for name in names}, links), _id=row_id)
            for record, row_id, new in written
            if not new or any(record["row"].get(name) is not None for name in names)]
    if rows:
        connection.execute(update(table).where(table.c.id == bindparam("_id")), rows)


def _insert_many(connection: Connection, table: Table, rows: list[dict]) -> None:
    """An executemany handed straight to the driver, each value through its column type's own bind
    processor: SQLAlchemy's per-row parameter work was the largest part of a merge."""
    if not rows:
        return
    dialect = connection.dialect
    names = list(rows[0])
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names]
    quote = dialect.identifier_preparer.quote
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    statement = (f"INSERT INTO {quote(table.name)} ({', '.join(map(quote, names))}) "
                 f"VALUES ({', '.join([marker] * len(names))})")
    columns = list(zip(names, processors, strict=True))
    values = [tuple(row[name] if process is None else process(row[name]) for name, process in columns) for row in rows]
    for start in range(0, len(values), 5000):
        connection.exec_driver_sql(statement, values[start:start + 5000])


def write_children(connection: Connection, table_name: str, written: list[tuple[dict, int, bool]],
                   links: Links) -> None:
    """The children are the records': the old ones go, the records' come in; `written` holds (record,
    id, was new)."""
    kind = ROOT_BY_TABLE[table_name]
    replaced = [row_id for _, row_id, new in written if not new]
    for child_name, pointer in kind.children:
        child = TABLES[child_name]
        for start in range(0, len(replaced), 500):
            connection.execute(delete(child).where(child.c[pointer].in_(replaced[start:start + 500])))
        columns = _incoming(child_name, frozenset({pointer} | ({"id"} if _surrogate(child) else set())))
        _fetch_in(columns, (item for record, _, _ in written for item in record["children"].get(child_name, [])),
                  links)
        rows = [dict(_in(columns, item, links), **{pointer: row_id})
                for record, row_id, _ in written for item in record["children"].get(child_name, [])]
        _insert_many(connection, child, rows)


def title(record: dict) -> str:
    kind = ROOT_BY_TABLE[record["table"]]
    row = record["row"]
    text = str(row.get(kind.title_column) or "") if kind.title_column else ""
    when = row.get(kind.date_column) if kind.date_column else None
    if when:
        text = f"{text} ({date.fromisoformat(when):%d/%m/%Y})"
    versions = record["children"].get("unit_version")
    if versions:    # a unit is known by its code and its latest name
        text = f"{text} — {max(versions, key=lambda version: version['valid_from'])['name']}"
    return text or row["uid"]


def local_records(connection: Connection, table: str, row_ids: Iterable[int], links: Links) -> dict[int, dict]:
    """This database's own records for some ids, as a partner would receive them (to compare)."""
    kind = ROOT_BY_TABLE[table]
    root = TABLES[table]
    ids = list(row_ids)
    rows = []
    for start in range(0, len(ids), 500):
        rows += [dict(row) for row in connection.execute(select(root).where(root.c.id.in_(ids[start:start + 500])))
                 .mappings()]
    ids_by_uid = {str(row["uid"]): row["id"] for row in rows}
    return {ids_by_uid[record["row"]["uid"]]: record for record in export_records(connection, kind, rows, links)}
