"""Reports that came up from the offices below, and the decisions on them.

A commune's issued report (number, date, signer, the PDF as issued, its figures as data) travels up in
the next exchange package; the district keeps the day it arrived (report_receipt), approves it or
returns it with a comment (report_decision), and the decision travels back down, where the commune sees
it beside the report in its own register and answers a return with a correction. A correction is a new
report for the same period: it replaces the earlier one here too.

A report issued in this install for an office below (a commune clerk on the district's shared server)
needs no package: it was received the day it was issued.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.models import ExchangePartner, IssuedReport, ReportDecision, ReportReceipt, Unit
from app.services import audit, profile, units
from app.services.auth import Actor, Permission, require
from app.services.closed_periods import REPORT_KIND
from app.services.errors import NotFound, ValidationError
from app.services.period import Period
from app.services.scope import scope_unit_ids
from app.services.search import clean
from app.services.sync import stamp_new

# The figures a periodic report carries up, as data (the office above adds them to its own).
FIGURES = {"meetings": "Hội nghị, buổi tuyên truyền", "study_meetings": "Hội nghị học tập, quán triệt",
           "expected": "Lượt đảng viên phải tham gia", "attended": "Lượt đảng viên tham gia",
           "made_up": "Lượt học bù", "crowd": "Lượt quần chúng tham dự",
           "copies": "Tài liệu, ấn phẩm phát hành (bản)", "articles": "Tin, bài đã đăng",
           "airings": "Lượt phát loa truyền thanh cơ sở", "cases": "Phản ánh, kiến nghị tiếp nhận",
           "resolved": "Phản ánh, kiến nghị đã giải quyết"}
FIGURE_MAX = 10**9


def figures_text(figures: dict[str, int] | None) -> str | None:
    """The figures as kept with the issued report (None: a letter, or a report from before they travelled)."""
    return None if figures is None else json.dumps(check_figures(figures), sort_keys=True)


def check_figures(figures: object) -> dict[str, int]:
    """Every figure named in FIGURES, a whole number from 0 (a ValueError names the first that is not); others a
    later version may add are left out."""
    if not isinstance(figures, dict) or not set(FIGURES) <= set(figures):
        raise ValueError("figures")
    for name in FIGURES:
        value = figures[name]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < FIGURE_MAX:
            raise ValueError(f"figures.{name}")
    return {name: figures[name] for name in FIGURES}


def figures_of(report: IssuedReport) -> dict[str, int] | None:
    return check_figures(json.loads(report.figures)) if report.figures else None


@dataclass(frozen=True)
class Decision:
    approved: bool
    comment: str
    decided_on: date
    decided_by: str
    deciding_office: str

    @property
    def text(self) -> str:
        """«Đã duyệt ngày 05/11/2026 (Nguyễn Thị Minh)», «Trả lại ngày …: lý do»."""
        if self.approved:
            return f"Đã duyệt ngày {self.decided_on:%d/%m/%Y} ({self.decided_by})"
        return f"Trả lại ngày {self.decided_on:%d/%m/%Y} ({self.decided_by}): {self.comment}"


@dataclass(frozen=True)
class ReceivedRow:
    id: int
    number_text: str
    office_unit_id: int
    office_name: str           # Đảng bộ xã Phong Niên
    period_key: str
    made_on: date
    received_on: date
    title: str
    signer: str
    decision: Decision | None
    replaced_by: str = ""      # the correction's number, when one came
    figures: dict[str, int] | None = None

    @property
    def period_label(self) -> str:
        return Period.from_key(self.period_key).label

    @property
    def state(self) -> str:
        if self.replaced_by:
            return f"Đã có báo cáo sửa đổi số {self.replaced_by} thay thế"
        return self.decision.text if self.decision else "Chờ duyệt"


def _number(row: IssuedReport) -> str:
    return f"{row.number:02d}-{row.kind_code}/{row.issuing_code}"


def periodic(row: IssuedReport) -> bool:
    return row.kind_code == REPORT_KIND and _period(row.period_key) is not None


def _period(key: str) -> Period | None:
    try:
        return Period.from_key(key)
    except ValueError:
        return None


def whole_office(session: Session, rows: list[IssuedReport]) -> set[int]:
    """The reports on their whole office (scope empty, or the office's own unit), not on a part of it."""
    offices = {row.office_unit_id for row in rows}
    codes = dict(session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(offices))).all()) if offices else {}
    return {row.id for row in rows if row.scope_code in ("", codes.get(row.office_unit_id))}


def latest_decisions(session: Session, report_ids: list[int]) -> dict[int, Decision]:
    """The decision in force on each report: its latest."""
    found: dict[int, Decision] = {}
    for start in range(0, len(report_ids), 500):
        for row in session.scalars(select(ReportDecision).where(
                ReportDecision.report_id.in_(report_ids[start:start + 500]), ReportDecision.deleted_at.is_(None))
                .order_by(ReportDecision.decided_on, ReportDecision.id)):
            found[row.report_id] = Decision(row.approved, row.comment, row.decided_on, row.decided_by,
                                            row.deciding_office)
    return found


def received_days(session: Session, reports: list[IssuedReport], own_install: str) -> dict[int, date]:
    """The day each report reached this install: its package's day, or the day it was issued here."""
    ids = [row.id for row in reports]
    days = dict(session.execute(select(ReportReceipt.report_id, ReportReceipt.received_on)
                                .where(ReportReceipt.report_id.in_(ids))).all()) if ids else {}
    return {row.id: days.get(row.id) or (clock.to_local(row.created_at).date() if row.origin == own_install
                                         else row.made_on) for row in reports}


def own_office(session: Session, actor: Actor) -> int:
    office = profile.office_unit(session, actor.unit_id if actor.limited_to_unit else None, clock.today())
    if office is None:
        raise ValidationError.one("office", "Chưa có thông tin cơ quan: hãy nhập ở trang «Thông tin cơ quan» trước.")
    return office


def _below(session: Session, actor: Actor, office: int) -> set[int]:
    """The units under the actor's office (in his scope), whose reports come up to it."""
    below = units.subtree_ids(session, office, clock.today()) - {office}
    scope = scope_unit_ids(session, actor)
    return below if scope is None else below & scope


def reports_below(session: Session, actor: Actor, period_keys: list[str] | None = None) -> list[IssuedReport]:
    """The periodic reports issued by the offices under the actor's office, oldest first."""
    office = own_office(session, actor)
    query = select(IssuedReport).where(IssuedReport.kind_code == REPORT_KIND, IssuedReport.deleted_at.is_(None),
                                       IssuedReport.office_unit_id.in_(_below(session, actor, office)))
    if period_keys is not None:
        query = query.where(IssuedReport.period_key.in_(period_keys))
    return [row for row in session.scalars(query.order_by(IssuedReport.made_on, IssuedReport.number, IssuedReport.id))
            if periodic(row)]


def _replacements(reports: list[IssuedReport]) -> dict[int, IssuedReport]:
    """For each report a correction replaced, the latest correction (reports given oldest first)."""
    latest: dict[tuple[int, str, str], IssuedReport] = {}
    replaced: dict[int, IssuedReport] = {}
    for row in reports:
        key = (row.office_unit_id, row.period_key, row.scope_code)
        if key in latest:
            replaced[latest[key].id] = row
        latest[key] = row
    for report_id, by in list(replaced.items()):   # a chain of corrections: each points at the last
        while by.id in replaced:
            by = replaced[by.id]
        replaced[report_id] = by
    return replaced


def register(db: Database, actor: Actor, *, period_key: str | None = None, limit: int = 500) -> list[ReceivedRow]:
    """The register of reports received from the offices below, newest first, each with its state."""
    require(actor, Permission.MAKE_REPORTS)
    with db.session_scope() as session:
        rows = reports_below(session, actor, [period_key] if period_key else None)
        return list(reversed(rows_of(session, db.install_id, rows)))[:limit]


def rows_of(session: Session, own_install: str, rows: list[IssuedReport]) -> list[ReceivedRow]:
    replaced = _replacements(rows)
    decisions = latest_decisions(session, [row.id for row in rows])
    days = received_days(session, rows, own_install)
    today = clock.today()
    signers = {}
    for row in rows:
        key = (row.office_unit_id, row.profile_valid_from)
        if key not in signers:
            found = profile.in_force_in(session, row.profile_valid_from, row.office_unit_id)
            signers[key] = found.signer_name if found and found.unit_id == row.office_unit_id else ""
    return [ReceivedRow(row.id, _number(row), row.office_unit_id, units.name_on(session, row.office_unit_id, today) or "",
                        row.period_key, row.made_on, days[row.id], row.title,
                        signers[(row.office_unit_id, row.profile_valid_from)], decisions.get(row.id),
                        _number(replaced[row.id]) if row.id in replaced else "", figures_of(row))
            for row in rows]


def find(db: Database, actor: Actor, number_text: str, office_code: str, period_key: str | None = None) -> ReceivedRow:
    """A received report by its number and the code of the office that issued it (numbers repeat across
    communes: each Đảng ủy numbers its own 01-BC/ĐU)."""
    require(actor, Permission.MAKE_REPORTS)
    with db.session_scope() as session:
        office = session.scalar(select(Unit.id).where(Unit.code == office_code.strip().upper()))
        if office is None:
            raise NotFound(f"Không có đơn vị mã «{office_code}».")
        rows = [row for row in reports_below(session, actor) if row.office_unit_id == office]
        wanted = number_text.strip().upper()
        found = [row for row in rows_of(session, db.install_id, rows) if row.number_text.upper() == wanted
                 and (period_key is None or row.period_key == period_key)]
        if not found:
            raise NotFound(f"Chưa nhận báo cáo số «{number_text}» của đơn vị mã «{office_code}»"
                           + (" cho kỳ này." if period_key else "."))
        if len(found) > 1:   # numbers start again with each term
            raise ValidationError.one("period", f"Đơn vị mã «{office_code}» có {len(found)} báo cáo cùng số "
                                                f"«{number_text}» (các nhiệm kỳ khác nhau): hãy ghi thêm kỳ báo cáo.")
        return found[0]


def decide(db: Database, actor: Actor, report_id: int, *, approved: bool, comment: str = "") -> Decision:
    """A leader approves a report received from an office below, or returns it saying what to correct; the
    decision travels down in the next package. Only the report in force (not one a correction replaced)."""
    require(actor, Permission.ISSUE_REPORTS)
    comment = clean(comment)
    if not approved and not comment:
        raise ValidationError.one("comment", "Hãy ghi nhận xét khi trả lại báo cáo: cần sửa, bổ sung những gì.")
    with db.session_scope() as session:
        office = own_office(session, actor)
        row = session.get(IssuedReport, report_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("Không có báo cáo đã nhận này.")
        if row.office_unit_id == office or row.office_unit_id not in _below(session, actor, office):
            raise ValidationError.one("report", f"Báo cáo số {_number(row)} không phải báo cáo cấp dưới gửi lên cơ "
                                                "quan này: chỉ duyệt hoặc trả lại báo cáo đã nhận từ cấp dưới.")
        if not periodic(row):
            raise ValidationError.one("report", f"Văn bản số {_number(row)} không phải báo cáo định kỳ: không cần duyệt.")
        same_period = [other for other in reports_below(session, actor, [row.period_key])
                       if (other.office_unit_id, other.scope_code) == (row.office_unit_id, row.scope_code)]
        by = _replacements(same_period).get(row.id)
        if by is not None:
            raise ValidationError.one("report", f"Báo cáo số {_number(row)} đã có báo cáo sửa đổi số {_number(by)} thay "
                                                "thế: hãy duyệt hoặc trả lại báo cáo mới.")
        issuer = profile.in_force_in(session, clock.today(), office)
        decision = ReportDecision(report_id=row.id, office_unit_id=row.office_unit_id, approved=approved,
                                  comment=comment, decided_on=clock.today(), decided_by=actor.full_name,
                                  deciding_office=(f"{issuer.issuing_body} {issuer.parent_body}" if issuer else ""))
        stamp_new(db, decision, actor)
        session.add(decision)
        session.flush()
        unit = units.name_on(session, row.office_unit_id, clock.today()) or ""
        what = "Duyệt" if approved else "Trả lại"
        audit.record(session, actor, "duyệt" if approved else "trả lại", "issued_report", row.id,
                     f"{what} báo cáo số {_number(row)} của {unit} ({Period.from_key(row.period_key).label})"
                     + (f": {comment}" if comment else ""),
                     after={"approved": approved, "comment": comment})
        return Decision(approved, comment, decision.decided_on, decision.decided_by, decision.deciding_office)


@dataclass(frozen=True)
class FromBelow:
    """An office's figures for a period as its issued report gave them (for the office above's own report)."""

    unit_id: int
    number_text: str
    made_on: date
    figures: dict[str, int]


def figures_for(session: Session, unit_ids: list[int], period_key: str) -> dict[int, FromBelow]:
    """For each of these offices, its report in force for the period with figures, unless it was returned."""
    rows = list(session.scalars(select(IssuedReport).where(
        IssuedReport.office_unit_id.in_(unit_ids), IssuedReport.kind_code == REPORT_KIND,
        IssuedReport.period_key == period_key, IssuedReport.deleted_at.is_(None))
        .order_by(IssuedReport.made_on, IssuedReport.number, IssuedReport.id))) if unit_ids else []
    whole = whole_office(session, rows)
    latest = {row.office_unit_id: row for row in rows if row.id in whole}   # the last issued is the one in force
    decisions = latest_decisions(session, [row.id for row in latest.values()])
    return {unit_id: FromBelow(unit_id, _number(row), row.made_on, figures_of(row))
            for unit_id, row in latest.items()
            if row.figures and not (row.id in decisions and not decisions[row.id].approved)}


# ---- the exchange's part ----------------------------------------------------------------------

def record_receipts(session: Session, partner: ExchangePartner, package_seq: int, report_ids: list[int]) -> None:
    """The reports a package brought, received today (a repeat import brings none: nothing is new)."""
    have = set(session.scalars(select(ReportReceipt.report_id).where(ReportReceipt.report_id.in_(report_ids))))
    for report_id in report_ids:
        if report_id not in have:
            session.add(ReportReceipt(report_id=report_id, received_on=clock.today(), partner_id=partner.id,
                                      package_seq=package_seq))


def check_incoming(session: Session, partner: ExchangePartner, package_name: str, source: str, own_install: str,
                   records: list[dict]) -> None:
    """Reports and decisions in a package are what their sender may send: its own reports, for a period,
    with well-formed figures, of an office in its part of the tree, never changed once issued; decisions only
    from above, on reports this install issued. A ValidationError says which, before anything is written."""
    reports = [record["row"] for record in records if record["table"] == "issued_report"]
    decisions = [record["row"] for record in records if record["table"] == "report_decision"]
    held = _held(session, IssuedReport, [row["uid"] for row in reports] + [row.get("report_id") for row in decisions])
    for row in reports:
        number = f"{row.get('number', 0):02d}-{row.get('kind_code')}/{row.get('issuing_code')}"
        if row.get("origin") != source:
            _refuse(package_name, f"mang báo cáo số {number} không do nơi gửi ban hành")
        if row.get("kind_code") == REPORT_KIND and _period(str(row.get("period_key"))) is None:
            _refuse(package_name, f"mang báo cáo số {number} không ghi kỳ báo cáo nào")
        if row["uid"] in held and held[row["uid"]][2] != row.get("version"):
            _refuse(package_name, f"mang báo cáo số {number} đã nhận trước đây nhưng nay khác đi (báo cáo đã ban "
                                  "hành không sửa được; muốn đính chính thì ban hành báo cáo sửa đổi)")
        if row.get("figures") is not None:
            try:
                check_figures(json.loads(row["figures"]))
            except ValueError:
                _refuse(package_name, f"mang báo cáo số {number} với số liệu không đọc được")
    for row in decisions:
        if not partner.above or row.get("origin") != source:
            _refuse(package_name, "mang quyết định duyệt, trả lại báo cáo không do cấp trên ban hành")
        found = held.get(str(row.get("report_id")))
        if found is None or found[1] != own_install:
            _refuse(package_name, "mang quyết định của cấp trên về một báo cáo mà đơn vị này chưa từng ban hành")
    if partner.unit_id and not partner.above:
        part = units.subtree_ids(session, partner.unit_id, clock.today())
        offices = _held(session, Unit, [row.get("office_unit_id") for row in reports])
        if any(found[0] not in part for found in offices.values()):   # units new here are the partner's own
            _refuse(package_name, "mang báo cáo của đơn vị không thuộc phần của nơi gửi")


def _held(session: Session, model, uids: list) -> dict[str, tuple[int, str, int]]:
    """Of these uids, those a row of `model` holds here: its id, origin and version."""
    wanted = list({uuid.UUID(str(uid)) for uid in uids if uid})
    found = {}
    for start in range(0, len(wanted), 500):
        found.update({str(uid): (row_id, origin, version) for uid, row_id, origin, version in session.execute(
            select(model.uid, model.id, model.origin, model.version).where(model.uid.in_(wanted[start:start + 500])))})
    return found


def _refuse(package_name: str, what: str) -> None:
    raise ValidationError.one("package", f"Gói «{package_name}» {what}: gói không được nhập, chưa có gì được ghi. "
                                         "Hãy báo nơi gửi kiểm tra và gửi lại.")
