"""October 2026's reporting cycle in the demo district (scales with more than the three first communes):
every organisation directly under the district has its office, most sent their October report on time,
some late, one was returned for a correction, one has not sent it.

Phong Niên and Xuân Quang keep their register on the district's shared server (issued here, so their
October is closed here); the others work on their own installs, so their reports and office profiles came
up by package (their origin is their install) with the day each arrived. Rows are written directly, with
the demo's own clock and a random stream of their own, so the demo stays the same byte for byte and the
rest of it is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from app.models import IssuedReport, OfficeProfile, ReportDecision, ReportReceipt, StoredFile, Unit, User
from app.models.enums import HeadingStyle, Role
from app.services import completeness
from app.services.auth import Actor
from app.services.period import Period

OCTOBER = Period.month(2026, 10)
SHARED = ("PHONGNIEN", "XUANQUANG")   # their offices issue on the district's server
MISSING, RETURNED = "BANPHIET", "SONHA"
LATE = ("PHUNHUAN", "TRIQUANG", "CQUBND")
WRITTEN = {"situation": "Tư tưởng cán bộ, đảng viên và Nhân dân ổn định, tin tưởng vào sự lãnh đạo của Đảng.",
           "assessment": "Các chi bộ triển khai học tập, quán triệt nghiêm túc; một số chi bộ thôn còn tỷ lệ "
                         "đảng viên tham dự thấp.",
           "tasks": "Tổ chức học bù cho đảng viên vắng mặt; tuyên truyền kết quả thực hiện Kết luận 54-KL/TW."}
RETURN_COMMENT = "Thiếu số liệu phát thanh tháng 10; đề nghị bổ sung và ban hành báo cáo sửa đổi."


def build(builder) -> dict[str, int]:
    """The offices, reports, receipts and the one return; after the demo's main transaction (the reports
    are drawn from its sessions)."""
    from app.reports import data, issuing, pdf

    db, rng = builder.db, random.Random(f"{builder.origin}:reports")
    with db.session_scope() as session:
        leader = session.scalar(select(User).where(User.role == Role.LEADER).order_by(User.id))
        actor = Actor(leader.id, leader.username, leader.full_name, leader.role, None)
        district = session.scalar(select(Unit.id).where(Unit.code == "BAOTHANG"))
        offices = completeness._owing(session, district, OCTOBER)   # id -> (code, name)
        have = set(session.scalars(select(OfficeProfile.unit_id)))
        installs = {unit_id: str(uuid.UUID(int=rng.getrandbits(128), version=4)) for unit_id in offices}
        profiles = [_profile(unit_id, code, name, installs[unit_id], builder, rng)
                    for unit_id, (code, name) in sorted(offices.items()) if unit_id not in have]
        if profiles:
            session.execute(insert(OfficeProfile), profiles)
    made = 0
    for unit_id, (code, _name) in sorted(offices.items(), key=lambda item: item[1][0]):
        if code == MISSING:
            continue
        late = code in LATE
        made_on = date(2026, 10, 22 + rng.randrange(6)) if late else date(2026, 10, 14 + rng.randrange(6))
        report = data.build(db, actor, OCTOBER, unit_id=unit_id, made_on=made_on, written=data.Written.of(WRITTEN))
        content = pdf.render(replace(report, number=1))
        shared = code in SHARED
        origin = builder.origin if shared else installs[unit_id]
        moment = builder.moment(made_on, rng)
        with db.session_scope() as session:
            sha = hashlib.sha256(content).hexdigest()
            if session.get(StoredFile, sha) is None:
                session.execute(insert(StoredFile), [{"sha256": sha, "size": len(content), "data": content,
                                                      "media_type": "application/pdf", "created_at": moment}])
            row = {"office_unit_id": unit_id, "issuing_code": report.office.issuing_code, "kind_code": "BC",
                   "term": report.office.term, "number": 1, "period_key": OCTOBER.key, "scope_code": "",
                   "made_on": made_on, "title": f"Báo cáo {pdf.summary(report)}",
                   "written": json.dumps(WRITTEN, ensure_ascii=False, sort_keys=True),
                   "profile_valid_from": report.office.valid_from, "pdf_sha256": sha,
                   "figures": json.dumps(issuing.figures(report), sort_keys=True),
                   **builder.sync_fields(made_on, rng), "origin": origin, "created_at": moment, "updated_at": moment,
                   "updated_by": "lanhdao" if shared else "(trao đổi)"}
            report_id = session.execute(insert(IssuedReport).values(row).returning(IssuedReport.id)).scalar_one()
            if not shared:   # it came by package a day or two later
                received_on = min(made_on + timedelta(days=rng.randrange(3)), date(2026, 11, 1))
                session.execute(insert(ReportReceipt), [{"report_id": report_id, "received_on": received_on,
                                                          "received_at": builder.moment(received_on, rng)}])
            if code == RETURNED:
                decided = date(2026, 10, 26)
                session.execute(insert(ReportDecision), [{
                    "report_id": report_id, "office_unit_id": unit_id, "approved": False, "comment": RETURN_COMMENT,
                    "decided_on": decided, "decided_by": leader.full_name,
                    "deciding_office": "BAN TUYÊN GIÁO HUYỆN ỦY BẢO THẮNG", **builder.sync_fields(decided, rng)}])
        made += 1
    return {"issued_reports": made}


def _profile(unit_id: int, code: str, name: str, origin: str, builder, rng: random.Random) -> dict:
    """The office of an organisation under the district, as it came up with its first package."""
    commune = name.startswith("Đảng bộ ")
    body = ("ĐẢNG ỦY " + name[len("Đảng bộ "):] if commune else name).upper()
    since = date(2025, 7, 1)
    return {"unit_id": unit_id, "valid_from": since, "term": "2025-2030", "parent_body": "ĐẢNG BỘ HUYỆN BẢO THẮNG",
            "issuing_body": body, "issuing_code": "ĐU" if commune else "CB",
            "place_name": _place(name) if commune else "Bảo Thắng",
            "unit_word": ("toàn thị trấn" if "thị trấn" in name else "toàn xã") if commune else "toàn chi bộ",
            "heading_style": HeadingStyle.DASH, "attendance_target": Decimal("95.00"),
            "signer_authority": "T/M ĐẢNG ỦY" if commune else "T/M CHI BỘ",
            "signer_position": "PHÓ BÍ THƯ" if commune else "BÍ THƯ",
            "signer_name": f"{rng.choice(['Nguyễn', 'Lò', 'Hoàng', 'Vàng', 'Trần'])} Văn "
                           f"{rng.choice(['Dũng', 'Hải', 'Sơn', 'Tuấn', 'Páo', 'Sính'])}",
            "recipients": "\n".join(["- Ban Tuyên giáo Huyện ủy (b/c),", "- Lưu VP."]),
            **builder.sync_fields(since, rng), "origin": origin}


def _place(name: str) -> str:
    """«Đảng bộ thị trấn Phố Lu» → «Phố Lu»."""
    rest = name[len("Đảng bộ "):]
    for level in ("thị trấn ", "xã ", "phường "):
        rest = rest.removeprefix(level)
    return rest


def wanted(builder) -> bool:
    """Only a district with more than the first three communes (the tests' tiny one stays as it was)."""
    return builder.scale.communes > 3
