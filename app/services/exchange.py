"""Exchange between installs by file: partners, export, review, apply (DESIGN.md, "Sync-ready").

What a partner has of ours is kept per record (exchange_state): the version we last sent it, and the
version both sides are known to hold (agreed). A record travels when its version is neither. On
arrival, a record whose local copy is still at the agreed version is simply taken; one edited on
both sides since is a conflict for a person to decide, whatever the laptops' clocks say. Packages
from one partner apply in their numbered order: a repeat changes nothing, one that comes early is
held until its turn.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, and_, exists, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from app import clock
from app.clock import utcnow
from app.db import Database, advance_sequences
from app.models import ExchangePartner, HeldPackage, InstallMeta, StoredFile
from app.models.meetings import COUNT_COLUMNS
from app.services import audit, profile
from app.services.auth import Actor, Permission, require
from app.services.errors import NotFound, ServiceError, ValidationError
from app.services.exchange_package import Package, PackageError
from app.services.exchange_package import read as read_package
from app.services.exchange_package import write as write_package
from app.services.exchange_rows import (
    BOOKKEEPING,
    CHILD_LABELS,
    ROOT_BY_TABLE,
    ROOTS,
    TABLES,
    Links,
    MissingLink,
    content_hash,
    export_records,
    local_records,
    title,
    write_children,
    write_roots,
    write_self_links,
)
from app.services.sealing import fingerprint

CARD_KIND = "SoTuyenGiao-the-doi-tac"
STATE = TABLES["exchange_state"]


# ---- this install's key and card ---------------------------------------------------------------

def _signing_key(session: Session) -> Ed25519PrivateKey:
    """This install's Ed25519 key, made the first time it is needed."""
    stored = session.get(InstallMeta, "signing_key")
    if stored is None:
        key = Ed25519PrivateKey.generate()
        raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
        session.add(InstallMeta(key="signing_key", value=base64.b64encode(raw).decode("ascii")))
        session.flush()
        return key
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(stored.value))


def _public(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _office(session: Session) -> tuple[str, str]:
    """The office's name (from the profile in force) and the code of the top of its unit tree."""
    current = profile.in_force_in(session, clock.today())
    name = f"{current.issuing_body} ({current.parent_body})" if current else ""
    units, versions = TABLES["unit"], TABLES["unit_version"]
    top = session.scalar(select(units.c.code).join(versions, versions.c.unit_id == units.c.id)
                         .where(versions.c.parent_id.is_(None)).order_by(versions.c.valid_from.desc(), units.c.id)
                         .limit(1))
    return name, top or ""


def my_card(db: Database, actor: Actor) -> tuple[bytes, str]:
    """The file a partner imports once to recognise our packages, and its fingerprint to read aloud."""
    require(actor, Permission.MANAGE_PARTNERS)
    with db.session_scope() as session:
        public = _public(_signing_key(session))
        name, unit_code = _office(session)
    card = {"kind": CARD_KIND, "install_id": db.install_id, "name": name, "unit_code": unit_code,
            "public_key": base64.b64encode(public).decode("ascii")}
    return json.dumps(card, ensure_ascii=False, indent=1).encode("utf-8"), fingerprint(public)


@dataclass(frozen=True)
class PartnerCard:
    install_id: str
    name: str
    unit_code: str
    public_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)


def read_card(content: bytes, name: str = "tệp") -> PartnerCard:
    try:
        card = json.loads(content)
        if card.get("kind") != CARD_KIND:
            raise ValueError(card.get("kind"))
        public_key = base64.b64decode(card["public_key"], validate=True)
        if len(public_key) != 32:
            raise ValueError("key length")
        return PartnerCard(str(card["install_id"]), str(card["name"]), str(card.get("unit_code", "")), public_key)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ValidationError.one("card", f"Tệp «{name}» không phải tệp khóa đối tác của Sổ Tuyên giáo.") from error


def add_partner(db: Database, actor: Actor, card: PartnerCard, *, above: bool) -> int:
    """Know a partner by its card (checked by its fingerprint, read over the phone)."""
    require(actor, Permission.MANAGE_PARTNERS)
    if card.install_id == db.install_id:
        raise ValidationError.one("card", "Đây là tệp khóa của chính cơ quan này.")
    unit_table = TABLES["unit"]
    with db.session_scope() as session:
        if session.scalar(select(ExchangePartner.id).where(ExchangePartner.install_id == card.install_id)):
            raise ValidationError.one("card", f"«{card.name}» đã là đối tác trao đổi.")
        unit_id = session.scalar(select(unit_table.c.id).where(unit_table.c.code == card.unit_code)) \
            if card.unit_code else None
        partner = ExchangePartner(install_id=card.install_id, name=card.name, public_key=card.public_key,
                                  unit_id=unit_id, above=above, sent_seq=0, received_seq=0, added_at=utcnow(),
                                  added_by=actor.username)
        session.add(partner)
        session.flush()
        audit.record(session, actor, "thêm", "exchange_partner", partner.id,
                     f"Thêm đối tác trao đổi «{card.name}» ({'cấp trên' if above else 'cấp dưới'}), "
                     f"dấu khóa {card.fingerprint}")
        return partner.id


@dataclass(frozen=True)
class PartnerView:
    id: int
    install_id: str
    name: str
    unit_code: str | None
    above: bool
    sent_seq: int
    received_seq: int
    held: list[int]
    fingerprint: str

    @property
    def level(self) -> str:
        return "Cấp trên" if self.above else "Cấp dưới"


def partners(db: Database, actor: Actor) -> list[PartnerView]:
    units = TABLES["unit"]
    with db.session_scope() as session:
        rows = session.execute(select(ExchangePartner, units.c.code).outerjoin(units, units.c.id == ExchangePartner.unit_id)
                               .order_by(ExchangePartner.name)).all()
        waiting: dict[int, list[int]] = {}
        for partner_id, seq in session.execute(select(HeldPackage.partner_id, HeldPackage.seq)
                                               .order_by(HeldPackage.seq)):
            waiting.setdefault(partner_id, []).append(seq)
        return [PartnerView(row.id, row.install_id, row.name, code, row.above, row.sent_seq, row.received_seq,
                            waiting.get(row.id, []), fingerprint(row.public_key)) for row, code in rows]


def _partner(session: Session, install_id: str) -> ExchangePartner:
    partner = session.scalar(select(ExchangePartner).where(ExchangePartner.install_id == install_id))
    if partner is None:
        raise NotFound("Không có đối tác trao đổi này.")
    return partner


def find_partner(db: Database, name_or_code: str) -> str:
    """A partner's install id from its name (or the start of it), for the command line."""
    wanted = name_or_code.casefold()
    with db.session_scope() as session:
        found = [row for row in session.scalars(select(ExchangePartner))
                 if wanted in (row.name.casefold(), row.install_id) or row.name.casefold().startswith(wanted)]
    if len(found) != 1:
        raise NotFound(f"Không tìm thấy đúng một đối tác trao đổi «{name_or_code}».")
    return found[0].install_id


# ---- export ------------------------------------------------------------------------------------

def _ever_below(connection: Connection, root_id: int) -> list[int]:
    """Every unit that was ever in the subtree of `root_id`, under any of its dated parents."""
    versions = TABLES["unit_version"]
    tree = select(literal(root_id).label("unit_id")).cte("below", recursive=True)
    tree = tree.union(select(versions.c.unit_id).join(tree, versions.c.parent_id == tree.c.unit_id))
    return list(connection.scalars(select(tree.c.unit_id)))


@dataclass(frozen=True)
class ExportResult:
    path: Path
    seq: int
    counts: dict[str, int]
    files: int


def export(db: Database, actor: Actor, partner_install: str, target: Path | str, *,
           start: date | None = None, end: date | None = None, unit_code: str | None = None) -> ExportResult:
    """Write everything the partner has not yet received from us (cut to its subtree, and optionally to
    a unit's subtree and a period) into one signed package."""
    from app.services.safe_write import save

    require(actor, Permission.EXCHANGE)
    target = Path(target)
    with db.session_scope() as session:
        partner = _partner(session, partner_install)
        connection = session.connection()
        units = TABLES["unit"]
        cut_root = partner.unit_id
        if unit_code:
            cut_root = session.scalar(select(units.c.id).where(units.c.code == unit_code.upper()))
            if cut_root is None:
                raise ValidationError.one("unit", f"Không có đơn vị mã «{unit_code}».")
        subtree = _ever_below(connection, cut_root) if cut_root else None
        links = Links(connection)
        records: list[dict] = []
        for kind in ROOTS:
            records += _changed(connection, kind, partner.id, db.install_id, subtree, start, end, links)
        records += _linked(connection, partner.id, records, links)
        stored = session.execute(select(StoredFile.sha256, StoredFile.media_type, StoredFile.data)
                                 .where(StoredFile.sha256.in_(links.files))).all() if links.files else []
        files = {sha: data for sha, _, data in stored}
        partner.sent_seq += 1
        name, _ = _office(session)
        manifest = {"source": {"install_id": db.install_id, "name": name}, "destination": partner.install_id,
                    "destination_name": partner.name, "seq": partner.sent_seq, "made_at": utcnow().isoformat(),
                    "made_by": actor.username, "counts": dict(Counter(record["table"] for record in records)),
                    "period": [start.isoformat() if start else None, end.isoformat() if end else None],
                    "unit": unit_code, "file_types": {sha: media_type for sha, media_type, _ in stored}}
        reference = _reference_down(connection) if not partner.above else None
        content = write_package(manifest, records, reference, files, _signing_key(session))
        _mark_sent(connection, partner.id, records)
        audit.record(session, actor, "gửi", "exchange_partner", partner.id,
                     f"Xuất gói số {partner.sent_seq} cho «{partner.name}»: {len(records)} bản ghi, {len(files)} tệp")
        save(target, content)   # inside the transaction: no file, no "sent" marks
        return ExportResult(target, partner.sent_seq, manifest["counts"], len(files))


def _changed(connection: Connection, kind, partner_id: int, own_install: str, subtree: list[int] | None,
             start: date | None, end: date | None, links: Links) -> list[dict]:
    table = TABLES[kind.table]
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


def _upsert_state(connection: Connection, rows: list[dict], columns: tuple[str, ...]) -> None:
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
    _upsert_state(connection, [{"partner_id": partner_id, "root_uid": uid, "sent_version": record["row"]["version"],
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


# ---- import: read, review, apply ---------------------------------------------------------------

NEW, CHANGED, DELETED, CONFLICT, SAME = "new", "changed", "deleted", "conflict", "same"
CATEGORY_LABELS = {NEW: "Mới", CHANGED: "Sửa", DELETED: "Xóa", CONFLICT: "Xung đột", SAME: "Đã có"}
MINE, THEIRS = "mine", "theirs"


def open_package(db: Database, path: Path | str | None = None, *, content: bytes | None = None,
                 name: str = "") -> Package:
    with db.session_scope() as session:
        keys = dict(session.execute(select(ExchangePartner.install_id, ExchangePartner.public_key)).all())
    if content is None:
        path = Path(path)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise PackageError(f"Không đọc được tệp «{path}»: {error.strerror or error}.") from error
        name = path.name
    return read_package(content, name, partner_keys=keys, own_install=db.install_id)


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


@dataclass
class Review:
    package: Package
    status: str            # "ready", "already" (applied before), "held" (an earlier one is missing)
    items: list[Item]
    expected_seq: int

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
        return f"Gói số {seq} của «{source}»: {counts}."


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
            found.append((audit.FIELD_LABELS.get(name, name), audit.shown_value(name, mine["row"].get(name)),
                          audit.shown_value(name, value)))
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


def _classify(connection: Connection, records: list[dict], links: Links, adoptable: set[str]) -> list[Item]:
    items: list[Item] = []
    by_table: dict[str, list[dict]] = {}
    for record in records:
        by_table.setdefault(record["table"], []).append(record)
    for table_name, group in by_table.items():
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


def _adoptable(session: Session, partner: ExchangePartner) -> set[str]:
    """The codes a unit may be matched by: the top units of both installs."""
    _, own_top = _office(session)
    units = TABLES["unit"]
    partner_top = session.scalar(select(units.c.code).where(units.c.id == partner.unit_id)) if partner.unit_id else None
    return {code for code in (own_top, partner_top) if code}


def review(db: Database, actor: Actor, package: Package) -> Review:
    """What the package would change, nothing written; a package that comes early is held here."""
    require(actor, Permission.EXCHANGE)
    with db.session_scope() as session:
        partner = _partner(session, package.source)
        expected = partner.received_seq + 1
        if package.seq < expected:
            return Review(package, "already", [], expected)
        if package.seq > expected:
            if session.get(HeldPackage, (partner.id, package.seq)) is None:
                session.add(HeldPackage(partner_id=partner.id, seq=package.seq, received_at=utcnow(),
                                        content=package.content))
            return Review(package, "held", [], expected)
        connection = session.connection()
        items = _classify(connection, list(package.records()), Links(connection), _adoptable(session, partner))
    order = {kind.table: index for index, kind in enumerate(ROOTS)}
    items.sort(key=lambda item: (item.category == SAME, order[item.record["table"]]))
    return Review(package, "ready", items, expected)


@dataclass(frozen=True)
class ApplyResult:
    counts: dict[str, int]
    next_held: int | None


def apply(db: Database, actor: Actor, reviewed: Review, decisions: dict[str, str]) -> ApplyResult:
    """Write the reviewed package in one transaction, each conflict as the person decided."""
    require(actor, Permission.EXCHANGE)
    if reviewed.status != "ready":
        raise ServiceError(reviewed.summary())
    undecided = [item.title for item in reviewed.conflicts if decisions.get(item.uid) not in (MINE, THEIRS)]
    if undecided:
        raise ValidationError.one("decisions", "Chưa quyết định xung đột: " + "; ".join(undecided[:5])
                                  + (" …" if len(undecided) > 5 else ""))
    package = reviewed.package
    try:
        with db.session_scope() as session:
            partner = _partner(session, package.source)
            if partner.received_seq + 1 != package.seq:
                raise ServiceError(f"Gói số {package.seq} vừa được nhập hoặc không còn đúng lượt; hãy mở lại gói.")
            connection = session.connection()
            links = Links(connection)
            items = _classify(connection, [item.record for item in reviewed.items], links,
                              _adoptable(session, partner))
            if {item.uid for item in items if item.category == CONFLICT} != {item.uid for item in reviewed.conflicts}:
                raise ServiceError("Dữ liệu vừa thay đổi trong lúc xem gói; hãy xem lại gói trước khi nhập.")
            _store_files(session, package, items)
            if partner.above:
                _take_reference(connection, package.reference())
            counts = _write_items(connection, session, actor, partner, items, decisions, links)
            partner.received_seq = package.seq
            session.execute(HeldPackage.__table__.delete().where(HeldPackage.partner_id == partner.id,
                                                                 HeldPackage.seq <= package.seq))
            advance_sequences(session)
            audit.record(session, actor, "nhận", "exchange_partner", partner.id,
                         f"Nhập gói số {package.seq} của «{partner.name}»: "
                         + ", ".join(f"{counts[c]} {CATEGORY_LABELS[c].lower()}" for c in CATEGORY_LABELS),
                         after={"decisions": Counter(decisions.values())} if decisions else None)
            waiting = session.get(HeldPackage, (partner.id, package.seq + 1))
            return ApplyResult(counts, waiting.seq if waiting else None)
    except MissingLink as missing:
        raise ServiceError(f"Gói số {package.seq} nhắc đến {missing} mà cơ sở dữ liệu này chưa có; hãy nhập các "
                           "gói trước đó của cấp trên trước. Chưa có gì được ghi.") from missing


def held_package(db: Database, partner_install: str, seq: int) -> Package:
    with db.session_scope() as session:
        partner = _partner(session, partner_install)
        held = session.get(HeldPackage, (partner.id, seq))
        if held is None:
            raise NotFound(f"Không có gói số {seq} đang chờ.")
        content = held.content
    return open_package(db, content=content, name=f"gói số {seq} đang chờ")


def _store_files(session: Session, package: Package, items: list[Item]) -> None:
    wanted = [name.removeprefix("files/") for name in package.members if name.startswith("files/")]
    types = package.manifest.get("file_types", {})
    have = set(session.scalars(select(StoredFile.sha256).where(StoredFile.sha256.in_(wanted)))) if wanted else set()
    for sha in wanted:
        if sha not in have:
            data = package.file(sha)
            if hashlib.sha256(data).hexdigest() != sha:
                raise PackageError(f"Tệp đính kèm {sha[:12]}… trong gói không khớp mã của nó.")
            session.add(StoredFile(sha256=sha, size=len(data), data=data, created_at=utcnow(),
                                   media_type=types.get(sha, "application/octet-stream")))
    session.flush()


def _take_reference(connection: Connection, reference: dict) -> None:
    """Danh mục entries and holiday moves as the level above has them (it keeps the lists; codes are
    stable everywhere), and its office key."""
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
    key = reference.get("office_key")
    if key:
        keys = TABLES["office_key"]
        public = base64.b64decode(key["public_key"])
        if connection.scalar(select(keys.c.id).where(keys.c.public_key == public)) is None:
            connection.execute(insert(keys).values(name=key["name"], public_key=public, own=False,
                                                   recovery_wrapped=None, created_at=utcnow(),
                                                   created_by="(trao đổi)"))


def _write_items(connection: Connection, session: Session, actor: Actor, partner: ExchangePartner,
                 items: list[Item], decisions: dict[str, str], links: Links) -> dict[str, int]:
    """Each kind's roots in a few statements, kinds in order (a root's links point at kinds before it);
    then every kind's children and links among roots of one kind, which may point at any root."""
    counts = Counter(item.category for item in items)
    states = []
    written: dict[str, list[tuple[dict, int, bool]]] = {}
    for kind in ROOTS:
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
    _upsert_state(connection, states, ("sent_version", "agreed_version"))
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
    audit.record(session, actor, "xung đột", item.record["table"], item.local_id,
                 f"Xung đột {item.kind_label.lower()} «{item.title}» với «{partner.name}»: "
                 f"{'giữ bản của mình' if choice == MINE else 'lấy bản của ' + partner.name}",
                 before={what: mine for what, mine, _ in item.differences},
                 after={what: theirs for what, _, theirs in item.differences})
