"""The register of báo cáo viên and tuyên truyền viên: who presents at sessions, whose they are, at what
level. A session's presenter line names one of them (and keeps the name and title it was given, so a
session printed years later reads as it was held)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, enum_column
from app.models.enums import SpeakerLevel, SpeakerRole


class Speaker(SyncMixin, Base):
    __tablename__ = "speaker"
    __table_args__ = (
        # The register's page and the session dialog's picker, by name.
        Index("ix_speaker_name", "name_folded", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    name_folded: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200), default="")       # Phó Trưởng Ban Tuyên giáo Huyện ủy…
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[SpeakerRole] = mapped_column(enum_column(SpeakerRole))
    level: Mapped[SpeakerLevel] = mapped_column(enum_column(SpeakerLevel))
    stopped_on: Mapped[date | None] = mapped_column(Date)             # no longer presents (kept for history)
