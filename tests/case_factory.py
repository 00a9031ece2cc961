"""A reported case as a clerk would enter it."""

from __future__ import annotations

from datetime import date

from app.services import cases
from tests.helpers import unit_by_code


def case_input(db, actor, *, unit: str = "PHONGNIEN", received_on: date = date(2026, 1, 5), anonymous: bool = False,
               reporter: cases.Reporter | None = None, **changes) -> cases.CaseInput:
    if reporter is None and not anonymous:
        reporter = cases.Reporter("Lê Thị Báo Tin", "thôn Khe Mụ, xã Phong Niên", "0912 345 678")
    data = cases.CaseInput(
        received_on=received_on, receiving_unit_id=unit_by_code(db, actor, unit).id, channel="DT", kind="TC",
        anonymous=anonymous, reported_name="Hoàng Văn Quyền", reported_position="Cán bộ địa chính xã",
        summary="Phản ánh cán bộ địa chính đòi tiền khi làm thủ tục cấp giấy chứng nhận quyền sử dụng đất",
        signs=["ĐĐ4", "TNLP"], reporter=reporter, reported_is_member=True)
    for key, value in changes.items():
        setattr(data, key, value)
    return data
