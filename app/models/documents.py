"""The documents register: the Party documents that sessions disseminate (the documents issue extends it)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, enum_column
from app.models.enums import DocumentKind


class Document(SyncMixin, Base):
    __tablename__ = "document"
    __table_args__ = (
        # Register and pickers: newest first, paged by (issued_on, id).
        Index("ix_document_issued", "issued_on", "id"),
        # "Is this number already registered?" on every save.
        Index("ix_document_number", "number_folded"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind))
    number: Mapped[str] = mapped_column(String(40))          # "54-KL/TW", "234-KH/TU"
    number_folded: Mapped[str] = mapped_column(String(40))
    issuer: Mapped[str] = mapped_column(String(200))          # "Bộ Chính trị", "Tỉnh ủy Lào Cai"
    issued_on: Mapped[date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)                # trích yếu
    summary_folded: Mapped[str] = mapped_column(Text)
