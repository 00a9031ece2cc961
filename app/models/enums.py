"""Enumerations: stored value (ASCII) + Vietnamese label."""

from __future__ import annotations

from app.models.base import LabeledEnum


class Role(LabeledEnum):
    ADMIN = "admin", "Quản trị"
    CLERK = "clerk", "Cán bộ nhập liệu"
    LEADER = "leader", "Lãnh đạo"
    INSPECTOR = "inspector", "Kiểm tra"


class UnitKind(LabeledEnum):
    DANG_BO = "dang_bo", "Đảng bộ"
    DANG_BO_CO_SO = "dang_bo_co_so", "Đảng bộ cơ sở"
    CHI_BO_CO_SO = "chi_bo_co_so", "Chi bộ cơ sở"
    CHI_BO = "chi_bo", "Chi bộ"
    CO_QUAN = "co_quan", "Cơ quan, đơn vị"

    @property
    def holds_members(self) -> bool:
        """Party members have their membership in a chi bộ, never directly in a đảng bộ."""
        return self in (UnitKind.CHI_BO, UnitKind.CHI_BO_CO_SO)


class MembershipStatus(LabeledEnum):
    ACTIVE = "active", "Đang sinh hoạt"
    EXEMPT = "exempt", "Miễn sinh hoạt"
    TRANSFERRED_OUT = "transferred_out", "Đã chuyển đi"
    DECEASED = "deceased", "Từ trần"

    @property
    def is_final(self) -> bool:
        return self in (MembershipStatus.TRANSFERRED_OUT, MembershipStatus.DECEASED)


class Gender(LabeledEnum):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class HeadingStyle(LabeledEnum):
    DASH = "I-", "I- (gạch ngang)"
    DOT = "I.", "I. (dấu chấm)"
