"""The documents register: number, kind, issuer, date, summary, the text as a file, the chain of
documents each one implements, and the office's tracking (required units, deadline, own target).

A document is saved whole in one transaction, and only if nobody saved it since it was opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import extract, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.clock import utcnow
from app.db import Database
from app.models import (
    Document,
    DocumentLink,
    Material,
    MaterialDocument,
    Meeting,
    MeetingDocument,
    RequiredUnit,
)
from app.models.enums import DocumentKind
from app.services import audit, files, sync, units
from app.services.auth import Actor, Permission, require
from app.services.errors import Conflict, NotFound, ValidationError
from app.services.numbers import short_date
from app.services.scope import scope_unit_ids
from app.services.search import clean, fold, like_pattern

DOCUMENT_FIELDS = ("kind", "number", "issuer", "issued_on", "summary", "file_name", "deadline", "target")
# "54-KL/TW", "08-QĐi/TW", "1778-CV/TU": number, dash, kind code, slash, issuer code.
_NUMBER = re.compile(r"^\d+[a-zA-Z]?-(?P<code>[^/\s-]+)/\S+$")


@dataclass
class DocumentInput:
    kind: DocumentKind | None
    number: str
    issuer: str
    issued_on: date | None
    summary: str
    implements_ids: list[int] = field(default_factory=list)
    file_name: str = ""                 # the attached text (the scan or the .pdf/.docx)
    file_sha256: str | None = None      # kept from the stored document
    file_data: bytes | None = None      # a new file chosen in the dialog
    deadline: date | None = None
    target: Decimal | str | None = None  # percent; None: the office profile's
    required_unit_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentRow:
    id: int
    kind: DocumentKind
    number: str
    issuer: str
    issued_on: date
    summary: str

    @property
    def label(self) -> str:
        return f"{self.number} ngày {short_date(self.issued_on)} — {self.summary}"


@dataclass
class DocumentDetail:
    id: int
    version: int
    updated_by: str
    data: DocumentInput
    file_size: int = 0


def kind_of_number(number: str) -> DocumentKind | None:
    """The kind a number names (54-KL/TW is a Kết luận), or None when it names none we know."""
    found = _NUMBER.match(clean(number))
    if not found:
        return None
    code = found["code"]
    return next((kind for kind in DocumentKind if kind.value == code), None)


def tracking_day(issued_on: date, deadline: date | None, today: date | None = None) -> date:
    """The day whose unit tree the required units are chosen from: the deadline (units merge and
    split over the years), or today while it is still ahead."""
    today = today or clock.today()
    return max(issued_on, min(deadline or today, today))


# ---- checking ----------------------------------------------------------------------------------

def _target_of(value: Decimal | str | None, errors: dict[str, str]) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        target = Decimal(str(value).replace(",", ".").replace("%", "").strip())
    except InvalidOperation:
        errors["target"] = f"Chỉ tiêu «{value}» không phải một số; để trống để dùng chỉ tiêu chung của cơ quan."
        return None
    if not Decimal(0) < target <= Decimal(100):
        errors["target"] = "Chỉ tiêu tham dự là một số lớn hơn 0 và không quá 100 (%)."
        return None
    return target.quantize(Decimal("0.01"))


def validate(data: DocumentInput, *, today: date | None = None) -> DocumentInput:
    """The fields alone; the register (duplicates, links, units) is checked by `_check_register`."""
    today = today or clock.today()
    errors: dict[str, str] = {}
    number, issuer, summary = clean(data.number), clean(data.issuer), clean(data.summary)
    kind = DocumentKind(data.kind) if data.kind else None
    if kind is None:
        errors["kind"] = "Hãy chọn loại văn bản."
    if not number:
        errors["number"] = "Số, ký hiệu văn bản không được để trống (ví dụ 54-KL/TW)."
    elif len(number) > 40:
        errors["number"] = "Số, ký hiệu dài quá 40 ký tự."
    elif kind is not None and (named := kind_of_number(number)) not in (None, kind):
        errors["number"] = f"Số «{number}» là ký hiệu của {named.label.lower()}, không phải {kind.label.lower()}."
    if not issuer:
        errors["issuer"] = "Hãy ghi cơ quan ban hành (ví dụ Bộ Chính trị, Tỉnh ủy)."
    if data.issued_on is None:
        errors["issued_on"] = "Hãy nhập ngày ban hành."
    elif data.issued_on > today:
        errors["issued_on"] = "Ngày ban hành không được ở tương lai."
    if not summary:
        errors["summary"] = "Hãy ghi trích yếu nội dung văn bản."
    if data.deadline is not None and data.issued_on is not None and data.deadline < data.issued_on:
        errors["deadline"] = (f"Thời hạn {short_date(data.deadline)} trước ngày ban hành "
                              f"{short_date(data.issued_on)}.")
    target = _target_of(data.target, errors)
    if data.file_data is not None and not data.file_data:
        errors["file"] = f"Tệp «{data.file_name}» rỗng."
    if errors:
        raise ValidationError(errors)
    return DocumentInput(kind, number, issuer[:200], data.issued_on, summary,
                         list(dict.fromkeys(data.implements_ids)), clean(data.file_name)[:255], data.file_sha256,
                         data.file_data, data.deadline, target, list(dict.fromkeys(data.required_unit_ids)))


def _links(session: Session) -> dict[int, set[int]]:
    """Every live "implements" link: document -> the documents it implements (a few hundred rows)."""
    live = select(Document.id).where(Document.deleted_at.is_(None))
    found: dict[int, set[int]] = {}
    for doc_id, implemented in session.execute(select(DocumentLink.document_id, DocumentLink.implements_id)
                                               .where(DocumentLink.document_id.in_(live),
                                                      DocumentLink.implements_id.in_(live))):
        found.setdefault(doc_id, set()).add(implemented)
    return found


def _loop_through(links: dict[int, set[int]], start: int, target: int) -> list[int] | None:
    """The path start -> … -> target following "implements", if there is one."""
    stack, seen = [(start, [start])], {start}
    while stack:
        node, path = stack.pop()
        if node == target:
            return path
        for nxt in links.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def _check_register(session: Session, actor: Actor, data: DocumentInput, document_id: int | None) -> None:
    errors: dict[str, str] = {}
    same = session.scalars(select(Document).where(
        Document.number_folded == fold(data.number), Document.kind == data.kind, Document.deleted_at.is_(None),
        extract("year", Document.issued_on) == data.issued_on.year, Document.id != (document_id or 0))).all()
    twin = next((doc for doc in same if fold(doc.issuer) == fold(data.issuer)), None)
    if twin is not None:
        errors["number"] = (f"Văn bản số {twin.number} ({twin.kind.label.lower()}) của {twin.issuer} năm "
                            f"{twin.issued_on.year} đã có trong sổ.")

    implemented = {doc.id: doc for doc in session.scalars(
        select(Document).where(Document.id.in_(data.implements_ids), Document.deleted_at.is_(None)))}
    problems = []
    for doc_id in data.implements_ids:
        doc = implemented.get(doc_id)
        if doc is None:
            problems.append("một văn bản được chọn không còn trong sổ")
        elif doc_id == document_id:
            problems.append("văn bản không thể thực hiện chính nó")
        elif doc.issued_on > data.issued_on:
            problems.append(f"{doc.number} ban hành ngày {short_date(doc.issued_on)}, sau văn bản này")
    if document_id is not None and not problems:
        links = _links(session)
        for doc_id in data.implements_ids:
            path = _loop_through(links, doc_id, document_id)
            if path:
                numbers = {d.id: d.number for d in session.scalars(select(Document).where(Document.id.in_(path)))}
                chain = " → ".join([data.number, *(numbers[p] for p in path)])
                problems.append(f"tạo thành vòng lặp: {chain}")
    if problems:
        errors["implements_ids"] = "Văn bản thực hiện: " + "; ".join(problems) + "."

    if data.required_unit_ids:
        on = tracking_day(data.issued_on, data.deadline)
        nodes = {node.id: node for node in units.nodes_on(session, on)}
        scope = scope_unit_ids(session, actor, on)
        outside = [nodes[u].name if u in nodes else f"đơn vị số {u}" for u in data.required_unit_ids
                   if u not in nodes or (scope is not None and u not in scope)]
        if outside:
            errors["required_unit_ids"] = (f"Đơn vị ngoài phạm vi của cơ quan ngày {short_date(on)}: "
                                           f"{', '.join(outside[:5])}"
                                           + (f" và {len(outside) - 5} đơn vị nữa" if len(outside) > 5 else "")
                                           + ".")
    if errors:
        raise ValidationError(errors)


# ---- writing -----------------------------------------------------------------------------------

def _apply(session: Session, document: Document, data: DocumentInput) -> None:
    document.kind, document.number, document.number_folded = data.kind, data.number, fold(data.number)
    document.issuer, document.issued_on = data.issuer, data.issued_on
    document.summary, document.summary_folded = data.summary, fold(data.summary)
    document.deadline, document.target = data.deadline, data.target
    if data.file_data is not None:
        document.file_sha256 = files.store(session, data.file_data, files.media_type_of(data.file_name),
                                           name=data.file_name)
        document.file_name = data.file_name
    elif data.file_sha256 is None:
        document.file_sha256, document.file_name = None, ""
    wanted = set(data.implements_ids)
    document.implements = [link for link in document.implements if link.implements_id in wanted] + [
        DocumentLink(implements_id=doc_id) for doc_id in data.implements_ids
        if doc_id not in {link.implements_id for link in document.implements}]
    units_wanted = set(data.required_unit_ids)
    have = {row.unit_id for row in document.required_units}
    document.required_units = [row for row in document.required_units if row.unit_id in units_wanted] + [
        RequiredUnit(unit_id=unit_id) for unit_id in data.required_unit_ids if unit_id not in have]


def _summary_of(document: Document) -> dict:
    return audit.snapshot(document, DOCUMENT_FIELDS) | {
        "implements_ids": sorted(link.implements_id for link in document.implements),
        "required_unit_ids": sorted(row.unit_id for row in document.required_units)}


def create(db: Database, actor: Actor, data: DocumentInput) -> int:
    require(actor, Permission.EDIT_DOCUMENTS)
    data = validate(data)
    with db.session_scope() as session:
        _check_register(session, actor, data, None)
        document = Document(file_name="")
        _apply(session, document, data)
        sync.stamp_new(db, document, actor)
        session.add(document)
        session.flush()
        audit.record(session, actor, "tạo", "document", document.id, f"Vào sổ văn bản {data.number}",
                     after=_summary_of(document))
        return document.id


def _load(session: Session, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None or document.deleted_at is not None:
        raise NotFound("Không tìm thấy văn bản này (có thể đã bị xóa).")
    return document


def _conflict(document: Document) -> Conflict:
    return sync.changed_meanwhile(document, f"Văn bản {document.number}")


def update(db: Database, actor: Actor, document_id: int, data: DocumentInput, *, expected_version: int) -> None:
    require(actor, Permission.EDIT_DOCUMENTS)
    data = validate(data)
    try:
        with db.session_scope() as session:
            document = _load(session, document_id)
            if document.version != expected_version:
                raise _conflict(document)
            _check_register(session, actor, data, document_id)
            before = _summary_of(document)
            _apply(session, document, data)
            sync.touch(document, actor)
            session.flush()
            audit.record(session, actor, "sửa", "document", document_id, f"Sửa văn bản {data.number}",
                         before=before, after=_summary_of(document))
    except StaleDataError:  # saved by somebody else between our read and our write
        with db.session_scope() as session:
            raise _conflict(_load(session, document_id)) from None


def delete(db: Database, actor: Actor, document_id: int, *, expected_version: int) -> None:
    """A tombstone; refused while sessions, materials or other documents still refer to it."""
    require(actor, Permission.EDIT_DOCUMENTS)
    with db.session_scope() as session:
        document = _load(session, document_id)
        if document.version != expected_version:
            raise _conflict(document)
        uses = {
            "hội nghị": session.scalar(select(func.count()).select_from(MeetingDocument)
                                       .join(Meeting, Meeting.id == MeetingDocument.meeting_id)
                                       .where(MeetingDocument.document_id == document_id,
                                              Meeting.deleted_at.is_(None))),
            "tài liệu, tin bài": session.scalar(select(func.count()).select_from(MaterialDocument)
                                                .join(Material, Material.id == MaterialDocument.material_id)
                                                .where(MaterialDocument.document_id == document_id,
                                                       Material.deleted_at.is_(None))),
            "văn bản thực hiện nó": session.scalar(select(func.count()).select_from(DocumentLink)
                                                   .join(Document, Document.id == DocumentLink.document_id)
                                                   .where(DocumentLink.implements_id == document_id,
                                                          Document.deleted_at.is_(None))),
        }
        used = [f"{count} {what}" for what, count in uses.items() if count]
        if used:
            raise ValidationError.one("document", f"Không xóa được văn bản {document.number}: đang được dùng ở "
                                                  f"{', '.join(used)}.")
        before = _summary_of(document)
        document.deleted_at = utcnow()
        sync.touch(document, actor)
        audit.record(session, actor, "xóa", "document", document_id, f"Xóa văn bản {document.number}", before=before)


# ---- reading -----------------------------------------------------------------------------------

_COLUMNS = (Document.id, Document.kind, Document.number, Document.issuer, Document.issued_on, Document.summary)


def search(db: Database, actor: Actor, text: str = "", *, limit: int = 50) -> list[DocumentRow]:
    """Newest first; the text matches the number or the summary, without diacritics."""
    require(actor, Permission.VIEW_MEETINGS)
    query = select(*_COLUMNS).where(Document.deleted_at.is_(None))
    if text.strip():
        pattern = like_pattern(text)
        query = query.where(or_(Document.number_folded.like(pattern, escape="\\"),
                                Document.summary_folded.like(pattern, escape="\\")))
    with db.session_scope() as session:
        rows = session.execute(query.order_by(Document.issued_on.desc(), Document.id.desc()).limit(limit))
        return [DocumentRow(*row) for row in rows]


def rows_by_id(session: Session, ids: list[int]) -> list[DocumentRow]:
    rows = session.execute(select(*_COLUMNS).where(Document.id.in_(ids)).order_by(Document.issued_on, Document.id))
    return [DocumentRow(*row) for row in rows]


def row(db: Database, actor: Actor, document_id: int) -> DocumentRow:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        found = rows_by_id(session, [document_id])
        if not found:
            raise NotFound("Không tìm thấy văn bản này.")
        return found[0]


def get(db: Database, actor: Actor, document_id: int) -> DocumentDetail:
    """The document as its dialog edits it."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        document = _load(session, document_id)
        data = DocumentInput(document.kind, document.number, document.issuer, document.issued_on, document.summary,
                             sorted(link.implements_id for link in document.implements), document.file_name,
                             document.file_sha256, None, document.deadline, document.target,
                             [row.unit_id for row in document.required_units])
        size = files.size_of(session, document.file_sha256) if document.file_sha256 else 0
        return DocumentDetail(document.id, document.version, document.updated_by, data, size)


def file_bytes(db: Database, actor: Actor, document_id: int) -> tuple[str, bytes]:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        document = _load(session, document_id)
        if document.file_sha256 is None:
            raise NotFound(f"Văn bản {document.number} chưa có tệp đính kèm.")
        return document.file_name, files.load(session, document.file_sha256)


@dataclass(frozen=True)
class ChainLine:
    depth: int           # 0: a document implementing nothing in the register (the directive)
    document: DocumentRow
    is_this: bool


def chain(db: Database, actor: Actor, document_id: int) -> list[ChainLine]:
    """The whole chain the document sits in: from the directives at the top down through the plans
    and guidance implementing them, depth first (a document implementing two appears under each)."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        _load(session, document_id)
        up = _links(session)
        down: dict[int, set[int]] = {}
        for doc_id, implemented in up.items():
            for parent in implemented:
                down.setdefault(parent, set()).add(doc_id)
        family, stack = {document_id}, [document_id]
        while stack:  # everything connected to it, up and down
            node = stack.pop()
            for nxt in up.get(node, set()) | down.get(node, set()):
                if nxt not in family:
                    family.add(nxt)
                    stack.append(nxt)
        rows = {r.id: r for r in rows_by_id(session, sorted(family))}
        lines: list[ChainLine] = []

        def walk(node: int, depth: int, path: frozenset[int]) -> None:
            lines.append(ChainLine(depth, rows[node], node == document_id))
            for child in sorted(down.get(node, ()), key=lambda c: (rows[c].issued_on, rows[c].id)):
                if child not in path:
                    walk(child, depth + 1, path | {child})

        for top in sorted((d for d in family if not up.get(d)), key=lambda d: (rows[d].issued_on, d)):
            walk(top, 0, frozenset({top}))
        return lines
