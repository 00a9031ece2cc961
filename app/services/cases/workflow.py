"""Moving a reported case through its workflow: exactly DOMAIN.md's table of steps and who may take them.

Each step is one transaction: the case's new state, an event (who, when, the day it took effect, what it
set, a note, a reason) and an audit entry, or nothing at all. Deadlines follow the handling body's regime
(app/services/workdays.py) and are stored on the case, so lists filter on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.db import Database
from app.models import Case, CaseEvent, ReferenceItem
from app.models.enums import CaseStatus, CaseStep, ClosedAs, Conclusion, ReferenceList, Role
from app.services import audit, closed_periods, sync
from app.services.auth import Actor, Permission, require
from app.services.cases import add_event, conflict, load, require_visible
from app.services.cases.reference import by_code, calendar
from app.services.cases.workdays import due_date
from app.services.errors import PermissionDenied, ValidationError
from app.services.numbers import short_date
from app.services.search import clean

S = CaseStatus
OPEN = frozenset(S) - {S.CLOSED}
INSPECTOR, LEADER = Role.INSPECTOR, Role.LEADER


@dataclass(frozen=True)
class Transition:
    sources: frozenset[CaseStatus]
    target: CaseStatus | None          # None: back to where it was before it was filed
    roles: frozenset[Role]


# DOMAIN.md, "Reported cases". An extension is not a move: it stays "đang xác minh", taken by those who assign.
TRANSITIONS: dict[CaseStep, Transition] = {
    CaseStep.ACCEPT: Transition(frozenset({S.RECEIVED}), S.COMPETENT, frozenset({INSPECTOR})),
    CaseStep.DECLINE: Transition(frozenset({S.RECEIVED}), S.NOT_COMPETENT, frozenset({INSPECTOR})),
    CaseStep.DUPLICATE: Transition(frozenset({S.RECEIVED}), S.CLOSED, frozenset({INSPECTOR})),
    CaseStep.WITHDRAW: Transition(frozenset({S.RECEIVED}), S.CLOSED, frozenset({INSPECTOR})),
    CaseStep.ASSIGN: Transition(frozenset({S.COMPETENT}), S.VERIFYING, frozenset({INSPECTOR, LEADER})),
    CaseStep.EXTEND: Transition(frozenset({S.VERIFYING}), S.VERIFYING, frozenset({INSPECTOR, LEADER})),
    CaseStep.FORWARD: Transition(frozenset({S.NOT_COMPETENT}), S.FORWARDED, frozenset({INSPECTOR})),
    CaseStep.CONCLUDE: Transition(frozenset({S.VERIFYING}), S.CONCLUDED, frozenset({INSPECTOR})),
    CaseStep.ACT: Transition(frozenset({S.CONCLUDED}), S.ACTED, frozenset({INSPECTOR, LEADER})),
    CaseStep.TELL: Transition(frozenset({S.ACTED, S.FORWARDED}), S.TOLD, frozenset({INSPECTOR})),
    CaseStep.CLOSE: Transition(OPEN, S.CLOSED, frozenset({INSPECTOR, LEADER})),
    CaseStep.REOPEN: Transition(frozenset({S.CLOSED}), None, frozenset({LEADER})),
}
_FILING = (CaseStep.CLOSE, CaseStep.DUPLICATE, CaseStep.WITHDRAW)


@dataclass
class StepInput:
    on: date | None = None            # the day the step took effect; today when left out
    note: str = ""
    reason: str = ""
    handling_body: str = ""           # a Danh mục code: ASSIGN (who verifies), FORWARD (who it goes to)
    conclusion: Conclusion | None = None
    action: str = ""                  # a Danh mục code: ACT
    told_how: str = ""                # TELL: by letter, in person, by phone…
    duplicate_of: str = ""            # DUPLICATE: the number of the case it repeats


def steps_allowed(role: Role, status: CaseStatus, *, anonymous: bool) -> list[CaseStep]:
    """What this role may do from here (an anonymous case has nobody to tell the outcome to)."""
    return [step for step, move in TRANSITIONS.items()
            if status in move.sources and role in move.roles and not (step is CaseStep.TELL and anonymous)]


def _refusal(actor: Actor, step: CaseStep, case: Case) -> PermissionDenied:
    allowed = steps_allowed(actor.role, case.status, anonymous=case.anonymous)
    then = (f"Từ đây vai trò «{actor.role.label}» được: {'; '.join(s.label for s in allowed)}." if allowed
            else f"Từ đây vai trò «{actor.role.label}» không được thực hiện bước nào.")
    if step is CaseStep.TELL and case.anonymous and case.status in TRANSITIONS[step].sources:
        return PermissionDenied(f"Vụ việc {case.number} nặc danh: không có người phản ánh để thông tin kết quả. "
                                + then)
    return PermissionDenied(f"Không thể «{step.label}» vụ việc {case.number} đang ở trạng thái "
                            f"«{case.status.label}». " + then)


def _item(session, which: ReferenceList, code: str, field: str, label: str) -> ReferenceItem:
    code = clean(code)
    item = by_code(session, which, code) if code else None
    if item is None:
        raise ValidationError.one(field, f"Hãy chọn {label}." if not code else f"«{code}» không có trong danh mục "
                                                                               f"{which.label.lower()}.")
    return item


def _last_day(case: Case) -> date:
    return max(event.on for event in case.events)


def advance(db: Database, actor: Actor, case_id: int, step: CaseStep, data: StepInput, *,
            expected_version: int, today: date | None = None) -> CaseStatus:
    """Take one step; anything outside the table is refused, saying what is allowed from here."""
    require(actor, Permission.VIEW_CASES)
    today = today or clock.today()
    step = CaseStep(step)
    try:
        with db.session_scope() as session:
            case = load(session, case_id)
            require_visible(session, actor, case)
            move = TRANSITIONS.get(step)
            if (move is None or case.status not in move.sources or actor.role not in move.roles
                    or (step is CaseStep.TELL and case.anonymous)):
                raise _refusal(actor, step, case)
            if case.version != expected_version:
                raise conflict(case)
            on = data.on or today
            if on > today:
                raise ValidationError.one("on", f"Ngày {short_date(on)} ở tương lai.")
            if on < _last_day(case):
                raise ValidationError.one("on", f"Ngày {short_date(on)} trước bước trước đó của vụ việc "
                                                f"({short_date(_last_day(case))}).")
            closed_periods.require_open(session, case.receiving_unit_id, on, field="on")
            before = case.status
            detail = _apply(session, case, step, data, on)
            if move.target is not None:
                case.status = move.target
            sync.touch(case, actor)
            add_event(session, case, actor, step, on, from_status=before, detail=detail, note=data.note,
                      reason=data.reason)
            audit.record(session, actor, "chuyển bước", "case", case.id, f"Vụ việc {case.number}: {step.label}"
                         + (f" — {detail}" if detail else ""), before={"status": before.value},
                         after={"status": case.status.value})
            return case.status
    except StaleDataError:
        with db.session_scope() as session:
            raise conflict(load(session, case_id)) from None


def _apply(session, case: Case, step: CaseStep, data: StepInput, on: date) -> str:
    """Set what the step sets; returns the line the history shows."""
    if step is CaseStep.ASSIGN:
        body = _item(session, ReferenceList.HANDLING_BODY, data.handling_body, "handling_body", "cơ quan xác minh")
        case.handling_body_id, case.regime, case.accepted_on, case.extensions = body.id, body.regime, on, 0
        case.due_on = due_date(calendar(session), body.regime, on, 0)
        return f"Giao {body.name} ({body.regime.label.lower()}), hạn {short_date(case.due_on)}"
    if step is CaseStep.EXTEND:
        if not clean(data.reason):
            raise ValidationError.one("reason", "Gia hạn phải ghi lý do (ví dụ: vụ việc phức tạp, phải xác minh "
                                                "ở nhiều nơi).")
        case.due_on = due_date(calendar(session), case.regime, case.accepted_on, case.extensions + 1)
        case.extensions += 1
        return f"Gia hạn lần {case.extensions}, hạn mới {short_date(case.due_on)}"
    if step is CaseStep.FORWARD:
        body = _item(session, ReferenceList.HANDLING_BODY, data.handling_body, "handling_body",
                     "cơ quan nhận chuyển")
        case.handling_body_id, case.regime = body.id, body.regime
        return f"Chuyển {body.name}"
    if step is CaseStep.CONCLUDE:
        if data.conclusion is None:
            raise ValidationError.one("conclusion", "Hãy chọn kết luận: đúng, đúng một phần, sai hay không có cơ sở.")
        case.conclusion = Conclusion(data.conclusion)
        return f"Kết luận: {case.conclusion.label.lower()}"
    if step is CaseStep.ACT:
        action = _item(session, ReferenceList.ACTION, data.action, "action", "hình thức xử lý")
        case.action_id = action.id
        return f"Hình thức: {action.name.lower()}"
    if step is CaseStep.TELL:
        how = clean(data.told_how)
        if not how:
            raise ValidationError.one("told_how", "Hãy ghi cách thông tin kết quả (văn bản, gặp trực tiếp, điện thoại…).")
        settled = max(e.on for e in case.events if e.step in (CaseStep.CONCLUDE, CaseStep.ACT, CaseStep.FORWARD))
        if on < settled:
            raise ValidationError.one("on", f"Ngày thông tin kết quả {short_date(on)} trước ngày có kết quả "
                                            f"{short_date(settled)}.")
        case.told_on, case.told_how = on, how[:200]
        return f"Đã thông tin cho người phản ánh: {how}"
    if step is CaseStep.DUPLICATE:
        number = clean(data.duplicate_of)
        original = session.scalar(select(Case).where(Case.number == number, Case.deleted_at.is_(None))) \
            if number else None
        if original is None or original.id == case.id:
            raise ValidationError.one("duplicate_of", "Hãy ghi số vào sổ của vụ việc đã nhận trước (ví dụ "
                                                      "0003/2026/BAOTHANG)." if not number else
                                      f"Không có vụ việc số «{number}» khác vụ việc này trong sổ.")
        case.duplicate_of_id, case.closed_as = original.id, ClosedAs.DUPLICATE
        return f"Trùng vụ việc {original.number}"
    if step is CaseStep.WITHDRAW:
        case.closed_as = ClosedAs.WITHDRAWN
        return "Người phản ánh rút đơn"
    if step is CaseStep.CLOSE:
        case.closed_as = ClosedAs.FILED
        return ""
    if step is CaseStep.REOPEN:
        if not clean(data.reason):
            raise ValidationError.one("reason", "Mở lại hồ sơ phải ghi lý do.")
        filed = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.step.in_(_FILING))
                               .order_by(CaseEvent.id.desc()).limit(1))
        case.status = filed.from_status
        case.closed_as = None
        return f"Trở lại «{case.status.label}»"
    return ""
