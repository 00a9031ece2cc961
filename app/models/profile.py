"""The office profile: names and settings of the issuing office, in dated versions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, enum_column
from app.models.enums import HeadingStyle


class OfficeProfile(SyncMixin, Base):
    """The office that leads a unit's scope (the district's Đảng bộ, a commune's Đảng bộ xã), in force from
    `valid_from` until its next version: a 2024 report uses 2024's names."""

    __tablename__ = "office_profile"
    __table_args__ = (UniqueConstraint("unit_id", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    parent_body: Mapped[str] = mapped_column(String(200))      # HUYỆN ỦY BẢO THẮNG
    issuing_body: Mapped[str] = mapped_column(String(200))     # BAN TUYÊN GIÁO
    issuing_code: Mapped[str] = mapped_column(String(30))      # BTGHU (the ký hiệu after the slash)
    place_name: Mapped[str] = mapped_column(String(100))       # Bảo Thắng
    unit_word: Mapped[str] = mapped_column(String(60))         # toàn huyện / toàn xã
    signer_authority: Mapped[str] = mapped_column(String(100))  # K/T TRƯỞNG BAN (may be empty)
    signer_position: Mapped[str] = mapped_column(String(100))  # PHÓ TRƯỞNG BAN
    signer_name: Mapped[str] = mapped_column(String(100))
    recipients: Mapped[str] = mapped_column(Text)              # one "Nơi nhận" line per line
    term: Mapped[str] = mapped_column(String(20))              # 2025-2030
    attendance_target: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    heading_style: Mapped[HeadingStyle] = mapped_column(enum_column(HeadingStyle))
