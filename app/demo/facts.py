"""What every part of the demo shares: its calendar and its accounts."""

from __future__ import annotations

from datetime import date

from app.models.enums import Role

# The demo's own calendar: history runs from FOUNDED to AS_OF whatever day it is built.
FOUNDED = date(2015, 1, 1)
AS_OF = date(2026, 11, 1)
DEMO_USERS = [  # username, password, full name, role, unit code (a clerk's scope)
    ("quantri", "quantri2026", "Nguyễn Văn Quản", Role.ADMIN, None),
    ("nhaplieu", "nhaplieu2026", "Lò Thị Hoa", Role.CLERK, "PHONGNIEN"),
    ("lanhdao", "lanhdao2026", "Trần Đức Thắng", Role.LEADER, None),
    ("kiemtra", "kiemtra2026", "Phạm Thu Hương", Role.INSPECTOR, None),
]
