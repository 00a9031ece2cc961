"""The documents register, as simple as sessions need it: number, kind, issuer, date, summary.

The documents issue extends it (implements links, attached file, implementation tracking).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, or_, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Document
from app.models.enums import DocumentKind
from app.services import audit, sync
from app.services.auth import Actor, Permission, require
from app.services.errors import NotFound, ValidationError
from app.services.numbers import short_date
from app.services.search import clean, fold, like_pattern

DOCUMENT_FIELDS = ("kind", "number", "issuer", "issued_on", "summary")
# "54-KL/TW", "08-QĐi/TW", "1778-CV/TU": number, dash, kind code, slash, issuer code.
_NUMBER = re.compile(r"^\d+[a-zA-Z]?-(?P<code>[^/\s-]+)/\S+$")


@dataclass
class DocumentInput:
    kind: DocumentKind | None
    number: str
    issuer: str
    issued_on: date | None
    summary: str


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


def kind_of_number(number: str) -> DocumentKind | None:
    """The kind a number names (54-KL/TW is a Kết luận), or None when it names none we know."""
    found = _NUMBER.match(clean(number))
    if not found:
        return None
    code = found["code"]
    return next((kind for kind in DocumentKind if kind.value == code), None)


def validate(data: DocumentInput, *, today: date | None = None) -> DocumentInput:
    today = today or date.today()
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
    if errors:
        raise ValidationError(errors)
    return DocumentInput(kind, number, issuer[:200], data.issued_on, summary)


def create(db: Database, actor: Actor, data: DocumentInput) -> int:
    require(actor, Permission.EDIT_DOCUMENTS)
    data = validate(data)
    with db.session_scope() as session:
        same = session.scalar(select(Document).where(
            Document.number_folded == fold(data.number), Document.deleted_at.is_(None),
            extract("year", Document.issued_on) == data.issued_on.year))
        if same is not None:
            raise ValidationError.one("number", f"Văn bản số {same.number} năm {same.issued_on.year} đã có trong sổ.")
        document = Document(kind=data.kind, number=data.number, number_folded=fold(data.number),
                            issuer=data.issuer, issued_on=data.issued_on, summary=data.summary,
                            summary_folded=fold(data.summary))
        sync.stamp_new(db, document, actor)
        session.add(document)
        session.flush()
        audit.record(session, actor, "tạo", "document", document.id, f"Vào sổ văn bản {data.number}",
                     after=audit.snapshot(document, DOCUMENT_FIELDS))
        return document.id


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


def get(db: Database, actor: Actor, document_id: int) -> DocumentRow:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        found = rows_by_id(session, [document_id])
        if not found:
            raise NotFound("Không tìm thấy văn bản này.")
        return found[0]
