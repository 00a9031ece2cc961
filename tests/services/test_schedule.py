"""The reports the offices under an office owe it, and by when: defaults an office adjusts."""

from __future__ import annotations

from datetime import date

import pytest

from app.services import audit_trail, schedule
from app.services.errors import PermissionDenied, ValidationError


def test_the_defaults_say_monthly_by_the_20th_and_yearly_by_mid_december(db, leader):
    duties = {duty.kind: duty for duty in schedule.duties(db, leader)}
    assert list(duties) == ["thang", "quy", "6thang", "9thang", "nam"]
    assert not any(duty.adjusted for duty in duties.values())
    assert duties["thang"].due_on(date(2026, 10, 31)) == date(2026, 10, 20)
    assert duties["quy"].due_on(date(2026, 9, 30)) == date(2026, 9, 20)
    assert duties["nam"].due_on(date(2026, 12, 31)) == date(2026, 12, 15)
    assert duties["thang"].rule_text == "ngày 20 tháng cuối kỳ"


def test_a_leader_adjusts_a_due_day_for_the_district_only_and_it_is_audited(db, leader, clerk):
    adjusted = schedule.set_duty(db, leader, "thang", 5, 1)
    assert adjusted.rule_text == "ngày 5 tháng sau kỳ"
    month = next(duty for duty in schedule.duties(db, leader) if duty.kind == "thang")
    assert month.adjusted and month.due_on(date(2026, 12, 31)) == date(2027, 1, 5)   # across the new year
    assert next(duty for duty in schedule.duties(db, leader) if duty.kind == "quy").adjusted is False
    # the commune's own office keeps its own schedule (its chi bộ report to it)
    assert next(duty for duty in schedule.duties(db, clerk) if duty.kind == "thang").rule_text == "ngày 20 tháng cuối kỳ"
    entry = audit_trail.list_page(db, leader, audit_trail.AuditFilter(entity="report_duty"))[0]
    assert entry.summary == "Báo cáo tháng: hạn nộp ngày 5 tháng sau kỳ"
    assert ("Hạn nộp (ngày)", "20", "5") in entry.changes()
    with pytest.raises(PermissionDenied):
        schedule.set_duty(db, clerk, "thang", 10, 0)


@pytest.mark.parametrize(("kind", "day", "after", "field"), [
    ("thang", 31, 0, "due_day"), ("thang", 0, 0, "due_day"), ("thang", None, 0, "due_day"),
    ("quy", 10, 3, "months_after"), ("tuan", 10, 0, "kind")])
def test_an_impossible_rule_is_refused_naming_the_field(db, leader, kind, day, after, field):
    with pytest.raises(ValidationError) as caught:
        schedule.set_duty(db, leader, kind, day, after)
    assert field in caught.value.errors
    assert not any(duty.adjusted for duty in schedule.duties(db, leader))
