"""The workflow: exactly DOMAIN.md's table of steps and roles, deadlines, extensions, bad steps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app import clock
from app.models.enums import CaseStatus as S
from app.models.enums import CaseStep as T
from app.models.enums import Conclusion, Regime, Role
from app.services import cases
from app.services.cases import reference
from app.services.cases import workflow as case_workflow
from app.services.cases.workdays import Calendar, due_date
from app.services.cases.workflow import StepInput
from app.services.errors import Conflict, PermissionDenied, ValidationError
from tests.case_factory import case_input

INS, LEAD = Role.INSPECTOR, Role.LEADER
OPEN = [S.RECEIVED, S.COMPETENT, S.NOT_COMPETENT, S.VERIFYING, S.FORWARDED, S.CONCLUDED, S.ACTED, S.TOLD]
# DOMAIN.md's table, written out again here: (from, step) -> (who, to); None: back to before it was filed.
TABLE = {
    (S.RECEIVED, T.ACCEPT): ({INS}, S.COMPETENT),
    (S.RECEIVED, T.DECLINE): ({INS}, S.NOT_COMPETENT),
    (S.RECEIVED, T.DUPLICATE): ({INS}, S.CLOSED),
    (S.RECEIVED, T.WITHDRAW): ({INS}, S.CLOSED),
    (S.COMPETENT, T.ASSIGN): ({INS, LEAD}, S.VERIFYING),
    (S.VERIFYING, T.EXTEND): ({INS, LEAD}, S.VERIFYING),
    (S.NOT_COMPETENT, T.FORWARD): ({INS}, S.FORWARDED),
    (S.VERIFYING, T.CONCLUDE): ({INS}, S.CONCLUDED),
    (S.CONCLUDED, T.ACT): ({INS, LEAD}, S.ACTED),
    (S.ACTED, T.TELL): ({INS}, S.TOLD),
    (S.FORWARDED, T.TELL): ({INS}, S.TOLD),
    **{(status, T.CLOSE): ({INS, LEAD}, S.CLOSED) for status in OPEN},
    (S.CLOSED, T.REOPEN): ({LEAD}, None),
}
PATHS = {  # how a case reaches each state, with the inputs each step needs
    S.RECEIVED: [], S.COMPETENT: [T.ACCEPT], S.NOT_COMPETENT: [T.DECLINE],
    S.VERIFYING: [T.ACCEPT, T.ASSIGN], S.FORWARDED: [T.DECLINE, T.FORWARD],
    S.CONCLUDED: [T.ACCEPT, T.ASSIGN, T.CONCLUDE], S.ACTED: [T.ACCEPT, T.ASSIGN, T.CONCLUDE, T.ACT],
    S.TOLD: [T.ACCEPT, T.ASSIGN, T.CONCLUDE, T.ACT, T.TELL], S.CLOSED: [T.ACCEPT, T.CLOSE],
}


def inputs(step: T, duplicate_of: str = "") -> StepInput:
    return {
        T.ASSIGN: StepInput(handling_body="UBKT"), T.EXTEND: StepInput(reason="Phải xác minh ở hai xã"),
        T.FORWARD: StepInput(handling_body="TTRA"), T.CONCLUDE: StepInput(conclusion=Conclusion.PARTLY),
        T.ACT: StepInput(action="KTR"), T.TELL: StepInput(told_how="Văn bản trả lời"),
        T.DUPLICATE: StepInput(duplicate_of=duplicate_of), T.REOPEN: StepInput(reason="Có tình tiết mới"),
    }.get(step, StepInput())


def version(db, actor, case_id) -> int:
    return cases.detail(db, actor, case_id).version


def case_at(db, clerk, keyholder, status: S, **changes) -> int:
    case_id = cases.receive(db, clerk, case_input(db, clerk, **changes))
    for step in PATHS[status]:   # all on the day after intake, so later steps may carry any later day
        data = inputs(step)
        data.on = date(2026, 1, 6)
        case_workflow.advance(db, keyholder, case_id, step, data,
                              expected_version=version(db, keyholder, case_id))
    assert cases.detail(db, keyholder, case_id).status is status
    return case_id


@pytest.mark.parametrize("status", list(S))
def test_every_step_from_every_state_for_every_role(db, request, clerk, keyholder, status):
    actors = {role: request.getfixturevalue(name) for role, name in
              [(Role.ADMIN, "admin"), (Role.CLERK, "clerk"), (Role.LEADER, "leader"), (Role.INSPECTOR, "keyholder")]}
    original = cases.receive(db, clerk, case_input(db, clerk))
    refused_on = case_at(db, clerk, keyholder, status)
    for step in T:
        if step in (T.RECEIVE, T.EDIT):
            continue
        who, target = TABLE.get((status, step), (set(), None))
        for role, actor in actors.items():
            if role in who:
                case_id = case_at(db, clerk, keyholder, status)
                data = inputs(step, cases.detail(db, keyholder, original).number)
                reached = case_workflow.advance(db, actor, case_id, step, data,
                                                expected_version=version(db, keyholder, case_id))
                assert reached is (target or S.COMPETENT), (status, step, role)   # reopened: back to "thuộc thẩm quyền"
                assert cases.detail(db, keyholder, case_id).events[-1].username == actor.username
            else:
                with pytest.raises(PermissionDenied) as refused:
                    case_workflow.advance(db, actor, refused_on, step, inputs(step),
                                          expected_version=version(db, keyholder, refused_on))
                if role is not Role.ADMIN:   # the admin does not see cases at all
                    assert "Từ đây vai trò" in refused.value.message, (status, step, role)
                assert cases.detail(db, keyholder, refused_on).status is status


def test_a_refusal_says_what_is_allowed_from_here(db, clerk, keyholder, leader):
    case_id = case_at(db, clerk, keyholder, S.RECEIVED)
    with pytest.raises(PermissionDenied) as refused:
        case_workflow.advance(db, leader, case_id, T.CONCLUDE, inputs(T.CONCLUDE),
                              expected_version=version(db, leader, case_id))
    assert refused.value.message == (f"Không thể «Kết luận» vụ việc {cases.detail(db, leader, case_id).number} "
                                     "đang ở trạng thái «Tiếp nhận». Từ đây vai trò «Lãnh đạo» được: Lưu hồ sơ.")


def test_an_anonymous_case_has_nobody_to_tell(db, clerk, keyholder):
    case_id = case_at(db, clerk, keyholder, S.ACTED, anonymous=True, kind="PA")
    assert T.TELL not in case_workflow.steps_allowed(Role.INSPECTOR, S.ACTED, anonymous=True)
    with pytest.raises(PermissionDenied, match="nặc danh"):
        case_workflow.advance(db, keyholder, case_id, T.TELL, inputs(T.TELL),
                              expected_version=version(db, keyholder, case_id))
    case_workflow.advance(db, keyholder, case_id, T.CLOSE, StepInput(), expected_version=version(db, keyholder, case_id))


def test_each_step_records_who_when_what_a_note_and_a_reason(db, clerk, keyholder, leader):
    case_id = case_at(db, clerk, keyholder, S.COMPETENT)
    case_workflow.advance(db, leader, case_id, T.ASSIGN,
                          StepInput(on=date(2026, 1, 19), handling_body="UBKT", note="Giao theo ý kiến Thường trực"),
                          expected_version=version(db, leader, case_id))
    event = cases.detail(db, leader, case_id).events[-1]
    assert (event.username, event.on, event.step, event.from_status, event.to_status) == (
        "lanhdao", date(2026, 1, 19), T.ASSIGN, S.COMPETENT, S.VERIFYING)
    assert event.note == "Giao theo ý kiến Thường trực"
    assert event.detail.startswith("Giao Ủy ban Kiểm tra cấp ủy (tổ chức đảng ở cơ sở), hạn ")


def test_the_party_deadline_runs_in_working_days_across_tet_and_an_exception_day(db, clerk, keyholder, admin):
    case_id = case_at(db, clerk, keyholder, S.COMPETENT)
    accepted = date(2026, 1, 19)
    case_workflow.advance(db, keyholder, case_id, T.ASSIGN, StepInput(on=accepted, handling_body="UBKT"),
                          expected_version=version(db, keyholder, case_id))
    detail = cases.detail(db, keyholder, case_id)
    # The demo's own exceptions (02/01, 10/01) fall before; Tết, Giỗ Tổ, 30/4 and 1/5 fall inside.
    assert detail.regime is Regime.PARTY and detail.accepted_on == accepted
    assert detail.due_on == due_date(Calendar({}), Regime.PARTY, accepted)
    weekdays = [accepted + timedelta(days=n) for n in range(1, 200) if (accepted + timedelta(days=n)).weekday() < 5]
    assert detail.due_on > weekdays[89]   # holidays push it past the 90th weekday
    # An office exception inside the window: one more day off moves the deadline one working day later.
    reference.save_holiday(db, admin, date(2026, 3, 9), False, "Nghỉ bù")
    other = case_at(db, clerk, keyholder, S.COMPETENT)
    case_workflow.advance(db, keyholder, other, T.ASSIGN, StepInput(on=accepted, handling_body="UBKT"),
                          expected_version=version(db, keyholder, other))
    later = cases.detail(db, keyholder, other).due_on
    assert later == Calendar({date(2026, 3, 9): False}).add_working_days(accepted, 90)
    assert later > detail.due_on


def test_the_state_deadline_is_30_calendar_days_extended_twice_with_reasons(db, clerk, keyholder, leader):
    case_id = case_at(db, clerk, keyholder, S.COMPETENT)
    case_workflow.advance(db, keyholder, case_id, T.ASSIGN, StepInput(on=date(2026, 2, 10), handling_body="TTRA"),
                          expected_version=version(db, keyholder, case_id))
    assert cases.detail(db, keyholder, case_id).due_on == date(2026, 3, 12)
    with pytest.raises(ValidationError) as refused:
        case_workflow.advance(db, leader, case_id, T.EXTEND, StepInput(on=date(2026, 3, 1)),
                              expected_version=version(db, leader, case_id))
    assert "reason" in refused.value.errors
    for due in (date(2026, 4, 11), date(2026, 5, 11)):
        case_workflow.advance(db, leader, case_id, T.EXTEND, StepInput(on=date(2026, 3, 1), reason="Phức tạp"),
                              expected_version=version(db, leader, case_id))
        assert cases.detail(db, leader, case_id).due_on == due
    with pytest.raises(ValidationError, match="tối đa 2 lần"):
        case_workflow.advance(db, leader, case_id, T.EXTEND, StepInput(on=date(2026, 3, 1), reason="Phức tạp"),
                              expected_version=version(db, leader, case_id))
    detail = cases.detail(db, leader, case_id)
    assert detail.extensions == 2 and [e.reason for e in detail.events if e.step is T.EXTEND] == ["Phức tạp"] * 2


@pytest.mark.parametrize(("status", "step", "data", "field"), [
    (S.ACTED, T.TELL, StepInput(on=date(2026, 1, 4), told_how="Văn bản"), "on"),       # before the outcome
    (S.ACTED, T.TELL, StepInput(told_how=" "), "told_how"),
    (S.COMPETENT, T.ASSIGN, StepInput(handling_body=""), "handling_body"),
    (S.COMPETENT, T.ASSIGN, StepInput(handling_body="KHONGCO"), "handling_body"),
    (S.VERIFYING, T.CONCLUDE, StepInput(), "conclusion"),
    (S.CONCLUDED, T.ACT, StepInput(action="XYZ"), "action"),
    (S.RECEIVED, T.DUPLICATE, StepInput(duplicate_of="9999/2026/KHONG"), "duplicate_of"),
    (S.RECEIVED, T.ACCEPT, StepInput(on=clock.today() + timedelta(days=2)), "on"),
    (S.CLOSED, T.REOPEN, StepInput(), "reason"),
])
def test_bad_steps_are_refused_naming_the_field_and_change_nothing(db, clerk, keyholder, leader, status, step, data,
                                                                   field):
    case_id = case_at(db, clerk, keyholder, status)
    actor = leader if step is T.REOPEN else keyholder
    before = cases.detail(db, keyholder, case_id)
    with pytest.raises(ValidationError) as refused:
        case_workflow.advance(db, actor, case_id, step, data, expected_version=before.version)
    assert field in refused.value.errors
    after = cases.detail(db, keyholder, case_id)
    assert (after.status, after.version, len(after.events)) == (before.status, before.version, len(before.events))


def test_reopening_returns_to_where_the_case_was_filed(db, clerk, keyholder, leader):
    case_id = case_at(db, clerk, keyholder, S.VERIFYING)
    case_workflow.advance(db, leader, case_id, T.CLOSE, StepInput(), expected_version=version(db, leader, case_id))
    reached = case_workflow.advance(db, leader, case_id, T.REOPEN, StepInput(reason="Người phản ánh gửi thêm chứng cứ"),
                                    expected_version=version(db, leader, case_id))
    assert reached is S.VERIFYING
    assert cases.detail(db, leader, case_id).events[-1].reason == "Người phản ánh gửi thêm chứng cứ"


def test_a_step_from_a_stale_copy_is_refused(db, clerk, keyholder, leader):
    case_id = case_at(db, clerk, keyholder, S.RECEIVED)
    stale = version(db, keyholder, case_id)
    case_workflow.advance(db, keyholder, case_id, T.ACCEPT, StepInput(), expected_version=stale)
    with pytest.raises(Conflict):
        case_workflow.advance(db, leader, case_id, T.CLOSE, StepInput(), expected_version=stale)
