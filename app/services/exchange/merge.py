"""A reviewed package applied in one transaction, each conflict as decided (audited). Packages from one
partner apply in their numbered order: a repeat changes nothing, one that comes early is held until
its turn.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db import Database, advance_sequences
from app.models import ExchangePartner, HeldPackage, OfficeKey, StoredFile
from app.services import audit, received, schedule
from app.services.auth import Actor, Permission, require
from app.services.errors import NotFound, ServiceError, ValidationError
from app.services.exchange.cards import partner_by_install
from app.services.exchange.incoming import (
    CATEGORY_LABELS,
    CHANGED,
    CONFLICT,
    DELETED,
    MINE,
    NEW,
    SAME,
    STOPPED_IMPORT,
    THEIRS,
    Item,
    OfferedKey,
    Review,
    adoptable_units,
    classify,
    offered_key,
    open_package,
    package_content,
)
from app.services.exchange.office import take_office
from app.services.exchange.outgoing import upsert_state
from app.services.exchange.package import Package
from app.services.exchange.rows import (
    ROOT_BY_TABLE,
    ROOTS,
    TABLES,
    Links,
    MissingLink,
    write_children,
    write_roots,
    write_self_links,
)
from app.services.progress import QUIET, Progress


@dataclass(frozen=True)
class ApplyResult:
    counts: dict[str, int]
    next_held: int | None


def apply(db: Database, actor: Actor, reviewed: Review, decisions: dict[str, str],
          progress: Progress = QUIET) -> ApplyResult:
    """Write the reviewed package in one transaction, each conflict as the person decided; stopped
    part-way, the transaction rolls back and nothing of the package is written."""
    require(actor, Permission.EXCHANGE)
    if reviewed.status != "ready":
        raise ServiceError(reviewed.summary())
    undecided = [item.title for item in reviewed.conflicts if decisions.get(item.uid) not in (MINE, THEIRS)]
    if undecided:
        raise ValidationError.one("decisions", "Chưa quyết định xung đột: " + "; ".join(undecided[:5])
                                  + (" …" if len(undecided) > 5 else ""))
    package = reviewed.package
    try:
        with package_content(package), db.session_scope() as session:
            partner = partner_by_install(session, package.source)
            if partner.received_seq + 1 != package.seq:
                raise ServiceError(f"Gói số {package.seq} vừa được nhập hoặc không còn đúng lượt; hãy mở lại gói.")
            connection = session.connection()
            links = Links(connection)
            items = classify(connection, [item.record for item in reviewed.items], links,
                             adoptable_units(session, partner), progress)
            if {item.uid for item in items if item.category == CONFLICT} != {item.uid for item in reviewed.conflicts}:
                raise ServiceError("Dữ liệu vừa thay đổi trong lúc xem gói; hãy xem lại gói trước khi nhập.")
            _store_files(session, package, items)
            if partner.above:
                _take_reference(connection, package.reference())
                key = offered_key(package)
                if key and session.scalar(select(OfficeKey.id).where(OfficeKey.public_key == key.public_key)) is None:
                    _keep_waiting_key(session, actor, partner, key)
            counts = _write_items(connection, session, actor, partner, items, decisions, links, progress)
            received.record_receipts(session, partner, package.seq, [
                links.id("issued_report", item.uid) for item in items
                if item.record["table"] == "issued_report" and item.category == NEW])
            take_office(session, db, actor, partner, package.reference().get("office"), package.name)
            if partner.above:
                _take_schedule(session, package.reference())
            progress.check(STOPPED_IMPORT)   # the last point to stop: the commit follows
            partner.received_seq = package.seq
            session.execute(HeldPackage.__table__.delete().where(HeldPackage.partner_id == partner.id,
                                                                 HeldPackage.seq <= package.seq))
            advance_sequences(session)
            audit.record(session, actor, "nhận", "exchange_partner", partner.id,
                         f"Nhập gói số {package.seq} của «{partner.name}»: "
                         + ", ".join(f"{counts[c]} {CATEGORY_LABELS[c].lower()}" for c in CATEGORY_LABELS),
                         after={"decisions": Counter(decisions.values())} if decisions else None)
            session.info.setdefault("written", set()).update(TABLES)   # written through Core: every page reloads
            waiting = session.get(HeldPackage, (partner.id, package.seq + 1))
            return ApplyResult(counts, waiting.seq if waiting else None)
    except MissingLink as missing:
        raise ServiceError(f"Gói số {package.seq} nhắc đến {missing} mà cơ sở dữ liệu này chưa có; hãy nhập các "
                           "gói trước đó của cấp trên trước. Chưa có gì được ghi.") from missing


def held_package(db: Database, partner_install: str, seq: int) -> Package:
    with db.session_scope() as session:
        partner = partner_by_install(session, partner_install)
        held = session.get(HeldPackage, (partner.id, seq))
        if held is None:
            raise NotFound(f"Không có gói số {seq} đang chờ.")
        content = held.content
    return open_package(db, content=content, name=f"gói số {seq} đang chờ")


def _store_files(session: Session, package: Package, items: list[Item]) -> None:
    """The stored files this install lacks, read and written one at a time (a package may carry 300 MB)."""
    types = package.manifest.get("file_types", {})
    wanted = list(package.files)
    have = set(session.scalars(select(StoredFile.sha256).where(StoredFile.sha256.in_(wanted)))) if wanted else set()
    connection = session.connection()
    with package.file_reader() as read_file:
        for sha in wanted:
            if sha not in have:
                data = read_file(sha)
                connection.execute(insert(StoredFile.__table__).values(
                    sha256=sha, size=len(data), data=data, created_at=utcnow(),
                    media_type=types.get(sha, "application/octet-stream")))


def _take_reference(connection: Connection, reference: dict) -> None:
    """Danh mục entries and holiday moves as the level above has them (it keeps the lists; codes are
    stable everywhere)."""
    items = TABLES["reference_item"]
    have = {(str(row.list), row.code): row for row in connection.execute(select(items))}
    fields = ("name", "grouping", "regime", "position")
    for entry in reference.get("reference_items", []):
        values = {name: entry.get(name) for name in fields} | {"grouping": entry.get("grouping") or ""}
        retired = bool(entry.get("retired"))
        mine = have.get((entry["list"], entry["code"]))
        if mine is None:
            connection.execute(insert(items).values(list=entry["list"], code=entry["code"], **values,
                                                    retired_at=utcnow() if retired else None))
        elif any(getattr(mine, name) != values[name] for name in fields) or (mine.retired_at is not None) != retired:
            connection.execute(update(items).where(items.c.id == mine.id).values(
                **values, retired_at=(mine.retired_at or utcnow()) if retired else None))
    holidays = TABLES["holiday_exception"]
    days = {row.day: row for row in connection.execute(select(holidays))}
    for entry in reference.get("holidays", []):
        day = date.fromisoformat(entry["day"])
        if day not in days:
            connection.execute(insert(holidays).values(day=day, working=entry["working"], note=entry["note"]))
        elif (days[day].working, days[day].note) != (entry["working"], entry["note"]):
            connection.execute(update(holidays).where(holidays.c.day == day)
                               .values(working=entry["working"], note=entry["note"]))


def _take_schedule(session: Session, reference: dict) -> None:
    """When the reports owed to the office above are due, as it keeps its schedule."""
    office = reference.get("office") or {}
    unit_id = session.scalar(select(TABLES["unit"].c.id).where(TABLES["unit"].c.code == office.get("unit_code")))
    if unit_id is not None and "report_duties" in reference:
        schedule.take_sent(session, unit_id, schedule.check_sent(reference["report_duties"]))


def _keep_waiting_key(session: Session, actor: Actor, partner: ExchangePartner, key: OfferedKey) -> None:
    """The level above's office key, stored unconfirmed: nothing is sealed to it until a key holder confirms."""
    office = OfficeKey(name=key.name, public_key=key.public_key, own=False, created_at=utcnow(),
                       created_by="(trao đổi)")
    session.add(office)
    session.flush()
    audit.record(session, actor, "nhận khóa", "office_key", office.id,
                 f"Gói của «{partner.name}» mang khóa bảo vệ danh tính của {key.name} (dấu {key.fingerprint}): "
                 "chờ cán bộ kiểm tra xác nhận trước khi dùng")


def _write_items(connection: Connection, session: Session, actor: Actor, partner: ExchangePartner,
                 items: list[Item], decisions: dict[str, str], links: Links, progress: Progress) -> dict[str, int]:
    """Each kind's roots in a few statements, kinds in order (a root's links point at kinds before it);
    then every kind's children and links among roots of one kind, which may point at any root."""
    counts = Counter(item.category for item in items)
    states = []
    written: dict[str, list[tuple[dict, int, bool]]] = {}
    for done, kind in enumerate(ROOTS):
        progress.step(done, len(ROOTS), STOPPED_IMPORT)
        entries: list[tuple[dict, int | None, int]] = []
        for item in (item for item in items if item.record["table"] == kind.table):
            theirs = item.record["row"]["version"]
            uid = uuid.UUID(item.uid)
            if item.category in (NEW, CHANGED, DELETED):
                entries.append((item.record, item.local_id, theirs))
                states.append({"partner_id": partner.id, "root_uid": uid, "sent_version": theirs,
                               "agreed_version": theirs})
            elif item.category == SAME:
                # Same content under another number: ours goes back once so both carry one number.
                states.append({"partner_id": partner.id, "root_uid": uid, "agreed_version": theirs,
                               "sent_version": theirs if item.local_version == theirs else None})
            else:
                _decide(connection, session, actor, partner, item, decisions[item.uid], entries)
                states.append({"partner_id": partner.id, "root_uid": uid, "sent_version": None,
                               "agreed_version": theirs})
        if entries:
            ids = write_roots(connection, kind.table, entries, links)
            written[kind.table] = [(record, row_id, local_id is None)
                                   for (record, local_id, _), row_id in zip(entries, ids, strict=True)]
    for table_name, rows in written.items():
        write_children(connection, table_name, rows, links)
        write_self_links(connection, table_name, rows, links)
    upsert_state(connection, states, ("sent_version", "agreed_version"))
    return {category: counts.get(category, 0) for category in CATEGORY_LABELS}


def _decide(connection: Connection, session: Session, actor: Actor, partner: ExchangePartner, item: Item,
            choice: str, entries: list) -> None:
    """A conflict as the person decided, past both sides' versions so the decided copy travels back
    and wins there too; audited."""
    decided = max(item.local_version, item.record["row"]["version"]) + 1
    if choice == THEIRS:
        entries.append((item.record, item.local_id, decided))
    else:
        table = TABLES[item.record["table"]]
        connection.execute(update(table).where(table.c.id == item.local_id).values(version=decided))
    audit.record(session, actor, "xung đột", ROOT_BY_TABLE[item.record["table"]].audit_kind, item.local_id,
                 f"Xung đột {item.kind_label.lower()} «{item.title}» với «{partner.name}»: "
                 f"{'giữ bản của mình' if choice == MINE else 'lấy bản của ' + partner.name}",
                 before={what: mine for what, mine, _ in item.differences},
                 after={what: theirs for what, _, theirs in item.differences})
