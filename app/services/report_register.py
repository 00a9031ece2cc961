"""Drafts of the periodic report's written sections, and the register of issued reports.

Issuing takes the next number per (issuing body, document type, term of the cấp ủy) inside one
transaction, draws the PDF with that number (a callback: services draw nothing), and keeps its bytes,
the written sections and the profile version. An issued report is never changed: a reprint gives
the stored bytes back, and a correction is a new report with its own number. The unique constraint
on the number settles two leaders issuing at the same moment on a shared server: the later one takes
the next number.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.clock import utcnow
from app.db import Database
from app.models import IssuedReport, OfficeProfile, PeriodReopening, ReportDraft, Unit
from app.services import audit, closed_periods, files, profile, received
from app.services.auth import Actor, Permission, require
from app.services.errors import Conflict, NotFound, ValidationError
from app.services.search import clean
from app.services.sync import stamp_new

REQUIRED_SECTIONS = {"situation": "I- Tình hình tư tưởng, dư luận xã hội", "assessment": "III- Đánh giá chung",
                     "tasks": "IV- Nhiệm vụ trọng tâm"}
ATTEMPTS = 5   # numbers taken by others in the meantime before giving up


@dataclass(frozen=True)
class Draft:
    written: dict[str, str]
    version: int              # 0: nothing saved yet
    updated_by: str = ""


@dataclass(frozen=True)
class IssuedRow:
    id: int
    number: int
    kind_code: str
    issuing_code: str
    term: str
    period_key: str
    scope_code: str
    made_on: date
    title: str
    issued_by: str
    state: str = ""           # a periodic report: its period closed, reopened (and why), or replaced

    @property
    def number_text(self) -> str:
        return f"{self.number:02d}-{self.kind_code}/{self.issuing_code}"


def draft(db: Database, actor: Actor, period_key: str, scope_code: str = "") -> Draft:
    require(actor, Permission.MAKE_REPORTS)
    with db.session_scope() as session:
        row = session.scalar(select(ReportDraft).where(ReportDraft.period_key == period_key,
                                                       ReportDraft.scope_code == scope_code))
        return Draft(json.loads(row.written), row.version, row.updated_by) if row else Draft({}, 0)


def save_draft(db: Database, actor: Actor, period_key: str, scope_code: str, written: dict[str, str], *,
               version: int) -> int:
    """Keep the written sections; `version` is the one read (0 for a new draft). Returns the new version."""
    require(actor, Permission.MAKE_REPORTS)
    try:
        with db.session_scope() as session:
            return _store_draft(session, actor, period_key, scope_code, written, version)
    except (StaleDataError, IntegrityError) as error:
        raise Conflict("Bản nháp vừa được người khác lưu cùng lúc; hãy mở lại để xem trước khi lưu.") from error


def _store_draft(session: Session, actor: Actor, period_key: str, scope_code: str, written: dict[str, str],
                 version: int | None) -> int:
    """Write the draft in the caller's transaction; `version` None takes it whatever its version."""
    text = json.dumps({key: value.strip() for key, value in written.items()}, ensure_ascii=False, sort_keys=True)
    row = session.scalar(select(ReportDraft).where(ReportDraft.period_key == period_key,
                                                   ReportDraft.scope_code == scope_code))
    if row is None:
        if version:
            raise Conflict("Bản nháp này vừa bị xóa hoặc thay đổi ở máy khác; hãy mở lại.")
        row = ReportDraft(period_key=period_key, scope_code=scope_code, written=text)
        session.add(row)
    elif version is not None and row.version != version:
        raise Conflict(f"Bản nháp vừa được {row.updated_by} sửa; hãy mở lại để xem trước khi lưu.")
    row.written, row.updated_by, row.updated_at = text, actor.username, utcnow()
    session.flush()
    return row.version


class CorrectionNeeded(Conflict):
    """The period and scope already have an issued report: issuing again makes a correction replacing it,
    which the leader must say is meant."""

    def __init__(self, replaced: IssuedRow) -> None:
        self.replaced = replaced
        super().__init__(f"Kỳ này đã ban hành báo cáo số {replaced.number_text} ngày {replaced.made_on:%d/%m/%Y}. "
                         f"Ban hành lần nữa là báo cáo sửa đổi, thay thế báo cáo số {replaced.number_text}.")


def issue(db: Database, actor: Actor, *, kind_code: str, period_key: str, scope_code: str, period_end: date,
          made_on: date, title: str, written: dict[str, str], render: Callable[[int], bytes],
          draft_version: int | None = None, correction: bool = False,
          figures: dict[str, int] | None = None) -> IssuedRow:
    """Give the report its number and keep it as issued, with its written sections saved as the
    period's draft in the same transaction. `render(number)` draws the PDF; `draft_version` is the
    draft's version as read (None: whatever it is now). A period and scope issued before take a
    correction only when `correction` says so (CorrectionNeeded names the number it replaces); the
    correction closes the period again. `figures` (received.FIGURES) travel up with it as data."""
    require(actor, Permission.ISSUE_REPORTS)
    missing = {key: f"Chưa viết phần «{label}»: báo cáo ban hành phải có đủ nội dung."
               for key, label in REQUIRED_SECTIONS.items() if not written.get(key, "").strip()}
    if missing:
        raise ValidationError(missing)
    for _attempt in range(ATTEMPTS):
        try:
            return _issue_once(db, actor, kind_code, period_key, scope_code, period_end, made_on, title, written,
                               render, draft_version, correction, figures)
        except IntegrityError:
            continue   # somebody on the same server took this number a moment ago: take the next one
        except StaleDataError as error:
            if draft_version is not None:   # the draft read was changed meanwhile: let the person look again
                raise Conflict("Bản nháp vừa được người khác lưu; hãy mở lại để xem trước khi ban hành.") from error
            continue   # another leader saved the same draft a moment ago: issue over it
    raise Conflict("Không lấy được số báo cáo do nhiều người cùng ban hành; hãy thử lại.")


def issue_letter(db: Database, actor: Actor, *, kind_code: str, key: str, made_on: date, title: str,
                 render: Callable[[int], bytes], scope_code: str = "") -> IssuedRow:
    """A letter (công văn) numbered in the register of the office leading `scope_code` (a clerk's own
    office when empty) for its kind and kept as issued; it has no written sections. `key` says what it is
    about (kept as the register's period key)."""
    require(actor, Permission.ISSUE_REPORTS)
    for _attempt in range(ATTEMPTS):
        try:
            return _issue_once(db, actor, kind_code, key, scope_code, made_on, made_on, title, None, render, None)
        except IntegrityError:
            continue   # the number was taken a moment ago on the same server: take the next one
    raise Conflict("Không lấy được số công văn do nhiều người cùng ban hành; hãy thử lại.")


def _issue_once(db, actor, kind_code, period_key, scope_code, period_end, made_on, title, written, render,
                draft_version, correction=False, figures=None) -> IssuedRow:
    with db.session_scope() as session:
        if written is not None:
            _store_draft(session, actor, period_key, scope_code, written, draft_version)
        scope_unit = _scope_unit(session, scope_code)
        office = (profile.issuer_in(session, actor, period_end, scope_unit)
                  or profile.issuer_in(session, actor, made_on, scope_unit))
        if office is None:
            raise ValidationError.one("office", "Chưa có thông tin cơ quan áp dụng cho kỳ báo cáo.")
        kept_by = session.scalar(select(OfficeProfile.origin).where(OfficeProfile.unit_id == office.unit_id,
                                                                     OfficeProfile.valid_from == office.valid_from))
        if kept_by != db.install_id:   # an office that keeps its own register on its own install
            raise ValidationError.one("office", f"{office.issuing_body} tự ban hành và đánh số văn bản trên máy của "
                                                "mình (thông tin cơ quan nhận qua gói trao đổi): ở đây chỉ xem trước và "
                                                "lưu bản nháp, không lấy số.")
        replaced = None
        if written is not None:   # a periodic report: one per period and scope, corrections aside
            replaced = session.scalar(select(IssuedReport).where(
                IssuedReport.office_unit_id == office.unit_id, IssuedReport.kind_code == kind_code,
                IssuedReport.period_key == period_key, IssuedReport.scope_code == scope_code,
                IssuedReport.deleted_at.is_(None)).order_by(IssuedReport.id.desc()).limit(1))
            if replaced is not None and not correction:
                raise CorrectionNeeded(_row(replaced))
            if replaced is not None:
                title = f"{title} (thay thế báo cáo số {_row(replaced).number_text})"
        last = session.scalar(select(func.max(IssuedReport.number)).where(
            IssuedReport.office_unit_id == office.unit_id, IssuedReport.kind_code == kind_code,
            IssuedReport.term == office.term))
        number = (last or 0) + 1
        content = render(number)
        row = IssuedReport(office_unit_id=office.unit_id, issuing_code=office.issuing_code, kind_code=kind_code,
                           term=office.term, number=number,
                           period_key=period_key, scope_code=scope_code, made_on=made_on, title=title,
                           written=json.dumps(written or {}, ensure_ascii=False, sort_keys=True),
                           profile_valid_from=office.valid_from, figures=received.figures_text(figures),
                           pdf_sha256=files.store(session, content, "application/pdf", name=title))
        stamp_new(db, row, actor)
        session.add(row)
        session.flush()
        issued = _row(row)
        audit.record(session, actor, "ban hành", "issued_report", row.id,
                     f"Ban hành {'báo cáo' if written is not None else 'văn bản'} số {issued.number_text}: {title}",
                     after={"number": issued.number_text, "pdf": row.pdf_sha256}
                     | ({"replaces": _row(replaced).number_text} if replaced is not None else {}))
        return issued


def reopen(db: Database, actor: Actor, report_id: int, reason: str) -> None:
    """A leader opens again the period an issued report closed, saying why; it stays open until a
    correction is issued. The report itself stays as issued (its register line says it was reopened)."""
    require(actor, Permission.ISSUE_REPORTS)
    reason = clean(reason)
    if not reason:
        raise ValidationError.one("reason", "Hãy ghi lý do mở lại kỳ báo cáo (ví dụ: bổ sung hội nghị nhập thiếu).")
    with db.session_scope() as session:
        row = _issued(session, actor, report_id)
        if row.origin != db.install_id:
            raise ValidationError.one("report", f"Báo cáo số {_row(row).number_text} do cơ quan khác ban hành (nhận qua "
                                                "gói trao đổi): chỉ cơ quan đó mở lại được kỳ của mình.")
        closing = next((c for c in closed_periods.closings(session) if c.report_id == row.id), None)
        if closing is None:
            raise ValidationError.one("report", f"Báo cáo số {_row(row).number_text} không khóa kỳ nào (không phải "
                                                "báo cáo định kỳ, hoặc đã có báo cáo sửa đổi thay thế).")
        if closing.reopened:
            raise ValidationError.one("report", f"Kỳ của báo cáo số {_row(row).number_text} đã được mở lại rồi.")
        session.add(PeriodReopening(report_id=row.id, reason=reason, reopened_by=actor.username))
        audit.record(session, actor, "mở lại kỳ", "issued_report", row.id,
                     f"Mở lại kỳ {closing.period_text} của báo cáo số {_row(row).number_text}: {reason}",
                     after={"reason": reason})


def _scope_unit(session: Session, scope_code: str) -> int | None:
    """The unit a document is made for (None: the whole office, or a clerk's own units)."""
    if not scope_code:
        return None
    unit_id = session.scalar(select(Unit.id).where(Unit.code == scope_code))
    if unit_id is None:
        raise NotFound(f"Không có đơn vị mã «{scope_code}».")
    return unit_id


def _row(row: IssuedReport) -> IssuedRow:
    return IssuedRow(row.id, row.number, row.kind_code, row.issuing_code, row.term, row.period_key, row.scope_code,
                     row.made_on, row.title, row.updated_by)


def register(db: Database, actor: Actor, *, limit: int = 200) -> list[IssuedRow]:
    """The issued reports, newest first, each periodic one with its period's state."""
    require(actor, Permission.MAKE_REPORTS)
    with db.session_scope() as session:
        rows = list(session.scalars(select(IssuedReport).where(IssuedReport.deleted_at.is_(None))
                                    .order_by(IssuedReport.made_on.desc(), IssuedReport.id.desc()).limit(limit)))
        holding = {closing.report_id: closing for closing in closed_periods.closings(session)}
        reasons = dict(session.execute(select(PeriodReopening.report_id, PeriodReopening.reason)
                                       .order_by(PeriodReopening.id)).all())
        decisions = received.latest_decisions(session, [row.id for row in rows])
        return [replace(_row(row), state=_with_decision(_state(row, holding.get(row.id), reasons.get(row.id),
                                                               db.install_id), decisions.get(row.id)))
                for row in rows]


def _with_decision(state: str, decision: received.Decision | None) -> str:
    """The register line of a report the office above decided on: approved, or returned for a correction."""
    if decision is None:
        return state
    said = f"Cấp trên {decision.text[0].lower()}{decision.text[1:]}"
    if not decision.approved and state.startswith("đang khóa"):
        said += " — hãy mở lại kỳ, sửa và ban hành báo cáo sửa đổi"
    return f"{said}; {state}" if state else said


def _state(row: IssuedReport, closing: closed_periods.Closing | None, reason: str | None, own_install: str) -> str:
    if row.kind_code != closed_periods.REPORT_KIND or row.period_key.count(":") != 2 or row.origin != own_install:
        return ""   # a letter, or another office's report received here: it closes nothing here
    if closing is None:
        return "đã có báo cáo sửa đổi thay thế"
    if closing.reopened:
        return f"kỳ đã mở lại ({reason}): số liệu có thể đã khác bản ban hành, chờ báo cáo sửa đổi"
    return f"đang khóa kỳ {closing.period_text}"


def _issued(session, actor: Actor, report_id: int) -> IssuedReport:
    require(actor, Permission.MAKE_REPORTS)
    row = session.get(IssuedReport, report_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("Không tìm thấy báo cáo đã ban hành này.")
    return row


def issued_pdf(db: Database, actor: Actor, report_id: int) -> bytes:
    """The PDF exactly as issued (a reprint is byte-identical)."""
    with db.session_scope() as session:
        return files.load(session, _issued(session, actor, report_id).pdf_sha256)

