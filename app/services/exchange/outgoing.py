"""A package out: everything a partner has not yet received from us, cut to its part of the tree,
signed, with its numbered place in the sequence; downward also Danh mục, holiday moves and our
office's public key.

What a partner has of ours is kept per record (exchange_state): the version we last sent it, and the
version both sides are known to hold (agreed). A record travels when its version is neither.
"""

from __future__ import annotations

import base64
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, and_, func, literal, or_, select
from sqlalchemy.orm import Session

from app import clock
from app.clock import utcnow
from app.db import Database
from app.models import ExchangePartner, StoredFile
from app.services import audit, profile, schedule
from app.services.auth import Actor, Permission, require
from app.services.errors import PermissionDenied, ValidationError
from app.services.exchange import signing
from app.services.exchange.cards import office_identity, partner_by_install
from app.services.exchange.office import own_office
from app.services.exchange.package import write_to as write_package
from app.services.exchange.rows import (
    ROOTS,
    STATE,
    TABLES,
    Links,
    export_records,
)
from app.services.progress import QUIET, Progress
from app.services.scope import scope_unit_ids

# ---- export ------------------------------------------------------------------------------------

def _ever_below(connection: Connection, root_id: int) -> list[int]:
    """Every unit that was ever in the subtree of `root_id`, under any of its dated parents."""
    versions = TABLES["unit_version"]
    tree = select(literal(root_id).label("unit_id")).cte("below", recursive=True)
    tree = tree.union(select(versions.c.unit_id).join(tree, versions.c.parent_id == tree.c.unit_id))
    return list(connection.scalars(select(tree.c.unit_id)))


STOPPED_EXPORT = "Đã dừng; chưa tạo tệp gói và chưa đánh dấu gì là đã gửi."

@dataclass(frozen=True)
class ExportResult:
    path: Path
    seq: int
    counts: dict[str, int]
    files: int


def export(db: Database, actor: Actor, partner_install: str, target: Path | str, *,
           start: date | None = None, end: date | None = None, unit_code: str | None = None,
           progress: Progress = QUIET) -> ExportResult:
    """Write everything the partner has not yet received from us (cut to its subtree, and optionally to
    a unit's subtree and a period) into one signed package. Stopped, it writes no file and marks nothing
    as sent."""
    from app.services.safe_write import atomic_writer

    require(actor, Permission.EXCHANGE)
    key = signing.private_key(db, actor)
    target = Path(target)
    with db.session_scope() as session:
        partner = partner_by_install(session, partner_install)
        connection = session.connection()
        cut_root = _cut_root(session, actor, partner, unit_code)
        subtree = _ever_below(connection, cut_root) if cut_root else None
        links = Links(connection)
        records: list[dict] = []
        for done, kind in enumerate(ROOTS):
            progress.step(done, len(ROOTS) + 1, STOPPED_EXPORT)
            records += _changed(connection, kind, partner, db.install_id, subtree, start, end, links)
        progress.step(len(ROOTS), len(ROOTS) + 1, STOPPED_EXPORT)
        records += _linked(connection, partner.id, records, links)
        stored = session.execute(select(StoredFile.sha256, StoredFile.media_type, StoredFile.size)
                                 .where(StoredFile.sha256.in_(links.files))).all() if links.files else []
        files = {sha: size for sha, _, size in stored}
        partner.sent_seq += 1
        name, _ = office_identity(session)
        manifest = {"source": {"install_id": db.install_id, "name": name}, "destination": partner.install_id,
                    "destination_name": partner.name, "seq": partner.sent_seq, "made_at": utcnow().isoformat(),
                    "made_by": actor.username, "counts": dict(Counter(record["table"] for record in records)),
                    "period": [start.isoformat() if start else None, end.isoformat() if end else None],
                    "unit": unit_code, "file_types": {sha: media_type for sha, media_type, _ in stored}}
        reference = _reference_down(connection) if not partner.above else {}
        reference["office"] = own_office(session)   # ours, both ways: what our documents are issued under
        office_unit = profile.office_unit(session, None, clock.today())
        if not partner.above and office_unit is not None:   # when the reports owed to us are due
            reference["report_duties"] = schedule.sent_down(session, office_unit)
        _mark_sent(connection, partner.id, records)
        audit.record(session, actor, "gửi", "exchange_partner", partner.id,
                     f"Xuất gói số {partner.sent_seq} cho «{partner.name}»: {len(records)} bản ghi, {len(files)} tệp")
        progress.check(STOPPED_EXPORT)   # the last point to stop: after it the file is written

        def read_file(sha: str) -> bytes:
            return connection.scalar(select(StoredFile.data).where(StoredFile.sha256 == sha))

        with atomic_writer(target) as stream:   # inside the transaction: no file, no "sent" marks
            write_package(stream, manifest, records, reference, files, read_file, key)
        return ExportResult(target, partner.sent_seq, manifest["counts"], len(files))


def _cut_root(session: Session, actor: Actor, partner: ExchangePartner, unit_code: str | None) -> int | None:
    """The unit whose subtree goes (None: everything): inside the partner's part, and inside the acting
    user's scope (a clerk sends only his own units, whatever the partner's part or the unit asked)."""
    connection = session.connection()
    part = set(_ever_below(connection, partner.unit_id)) if partner.unit_id else None
    scope = scope_unit_ids(session, actor)
    root = partner.unit_id
    if unit_code:
        units = TABLES["unit"]
        root = session.scalar(select(units.c.id).where(units.c.code == unit_code.strip().upper()))
        if root is None:
            raise ValidationError.one("unit", f"Không có đơn vị mã «{unit_code}».")
        if part is not None and root not in part:
            raise ValidationError.one("unit", f"Đơn vị «{unit_code}» không thuộc phần dữ liệu gửi cho «{partner.name}».")
    if scope is None or (root is not None and root in scope):
        return root
    if unit_code:
        raise PermissionDenied(f"Đơn vị «{unit_code}» nằm ngoài phạm vi được giao cho tài khoản của bạn.")
    if actor.unit_id is not None and (part is None or actor.unit_id in part):
        return actor.unit_id          # the partner's part is wider than the clerk's: his own units only
    raise PermissionDenied(f"Phần dữ liệu gửi cho «{partner.name}» nằm ngoài phạm vi được giao cho tài khoản của bạn.")


def _changed(connection: Connection, kind, partner: ExchangePartner, own_install: str, subtree: list[int] | None,
             start: date | None, end: date | None, links: Links) -> list[dict]:
    table = TABLES[kind.table]
    partner_id = partner.id
    # The base is the version the partner will hold when this package applies: packages apply in
    # order, so whatever we sent last; else the version we both held.
    query = (select(table, func.coalesce(STATE.c.sent_version, STATE.c.agreed_version).label("_base"))
             .outerjoin(STATE, and_(STATE.c.partner_id == partner_id, STATE.c.root_uid == table.c.uid))
             .where(or_(STATE.c.root_uid.is_(None),
                        and_(table.c.version != func.coalesce(STATE.c.sent_version, -1),
                             table.c.version != func.coalesce(STATE.c.agreed_version, -1))))
             .order_by(table.c.id))
    if subtree is not None:
        if kind.unit_column:
            query = query.where(table.c[kind.unit_column].in_(subtree))
        elif kind.table == "person":
            memberships = TABLES["membership"]
            query = query.where(table.c.id.in_(select(memberships.c.person_id)
                                               .where(memberships.c.unit_id.in_(subtree))))
    if kind.table == "issued_report":
        query = query.where(table.c.origin == own_install)     # our own reports only
    if kind.table == "report_decision":   # ours, down only, to the install that issued the report decided on
        if partner.above:
            return []
        reports = TABLES["issued_report"]
        query = query.where(table.c.origin == own_install, table.c.report_id.in_(
            select(reports.c.id).where(reports.c.origin == partner.install_id)))
    if kind.date_column and start:
        query = query.where(table.c[kind.date_column] >= start)
    if kind.date_column and end:
        query = query.where(table.c[kind.date_column] <= end)
    rows = [dict(row) for row in connection.execute(query).mappings()]
    bases = {str(row["uid"]): row.pop("_base") for row in rows}
    records = list(export_records(connection, kind, rows, links))
    for record in records:
        record["base"] = bases[record["row"]["uid"]]
    return records


def _linked(connection: Connection, partner_id: int, records: list[dict], links: Links) -> list[dict]:
    """Roots the records point at that the partner has never had (a case marked as a duplicate of one
    received elsewhere, say) go along, so a package never carries a link the other side cannot follow."""
    added: list[dict] = []
    known = {record["row"]["uid"] for record in records}
    while True:
        wanted = [(table, uid) for table, uid in links.referenced if uid not in known]
        known.update(uid for _, uid in wanted)
        held = set()
        for start in range(0, len(wanted), 500):
            held.update(str(uid) for uid in connection.scalars(select(STATE.c.root_uid).where(
                STATE.c.partner_id == partner_id,
                STATE.c.root_uid.in_([uuid.UUID(uid) for _, uid in wanted[start:start + 500]]),
                or_(STATE.c.sent_version.is_not(None), STATE.c.agreed_version.is_not(None)))))
        missing = [(table, uid) for table, uid in wanted if uid not in held]
        if not missing:
            return added
        for kind in ROOTS:
            table = TABLES[kind.table]
            uids = [uid for name, uid in missing if name == kind.table]
            links.fetch_ids(kind.table, uids)
            ids = [links.id(kind.table, uid) for uid in uids]
            for start in range(0, len(ids), 500):
                rows = [dict(row) for row in connection.execute(
                    select(table).where(table.c.id.in_(ids[start:start + 500]))).mappings()]
                for record in export_records(connection, kind, rows, links):
                    added.append(dict(record, base=None))


def upsert_state(connection: Connection, rows: list[dict], columns: tuple[str, ...]) -> None:
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    statement = upsert(STATE)
    statement = statement.on_conflict_do_update(index_elements=["partner_id", "root_uid"],
                                                set_={name: statement.excluded[name] for name in columns})
    for start in range(0, len(rows), 1000):
        connection.execute(statement, rows[start:start + 1000])


def _mark_sent(connection: Connection, partner_id: int, records: list[dict]) -> None:
    existing = {}
    uids = [uuid.UUID(record["row"]["uid"]) for record in records]
    for start in range(0, len(uids), 500):
        existing.update(connection.execute(select(STATE.c.root_uid, STATE.c.agreed_version).where(
            STATE.c.partner_id == partner_id, STATE.c.root_uid.in_(uids[start:start + 500]))).all())
    upsert_state(connection, [{"partner_id": partner_id, "root_uid": uid, "sent_version": record["row"]["version"],
                                "agreed_version": existing.get(uid)} for uid, record in zip(uids, records, strict=True)],
                  ("sent_version",))


def _reference_down(connection: Connection) -> dict:
    """What the level above hands down beside the records: Danh mục, holiday moves, its office key."""
    items = TABLES["reference_item"]
    holidays = TABLES["holiday_exception"]
    keys = TABLES["office_key"]
    own_key = connection.execute(select(keys.c.name, keys.c.public_key)
                                 .where(keys.c.own.is_(True), keys.c.retired_at.is_(None))).first()
    return {
        "reference_items": [{"list": str(row.list), "code": row.code, "name": row.name, "grouping": row.grouping,
                             "regime": str(row.regime) if row.regime else None, "position": row.position,
                             "retired": row.retired_at is not None}
                            for row in connection.execute(select(items))],
        "holidays": [{"day": row.day.isoformat(), "working": row.working, "note": row.note}
                     for row in connection.execute(select(holidays))],
        "office_key": {"name": own_key.name, "public_key": base64.b64encode(own_key.public_key).decode("ascii")}
        if own_key else None,
    }
