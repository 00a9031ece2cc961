"""«Tổng quan»'s figures: the same as the month report's for the same period and scope, and each role's
own parts checked against counts made here in plain SQL."""

from __future__ import annotations

import sqlite3
from dataclasses import astuple, replace
from datetime import date

import pytest

from app.models.enums import CaseStatus, MeetingKind
from app.reports import data, issuing
from app.services import backup, meetings, overview, units
from app.services.errors import PermissionDenied
from app.services.period import Period
from tests.helpers import unit_by_code
from tests.meeting_factory import session_input

WRITTEN = data.Written(situation="Ổn định.", assessment="Nghiêm túc.", tasks="Học bù.")
APRIL = Period.month(2026, 4)   # the suite's demo has units under the target in it


def same_figures(found, report) -> None:
    assert astuple(found.current)[1:] == astuple(report.current)[1:]
    assert astuple(found.year_to_date)[1:] == astuple(report.year_to_date)[1:]
    assert astuple(found.year_before)[1:] == astuple(report.year_before)[1:]
    assert (found.expected, found.current.attended, found.people) == (report.turnout.expected,
                                                                       report.turnout.attended, report.turnout.people)
    assert found.rate == report.turnout.rate and found.target == report.turnout.target
    assert found.airing_minutes == report.outreach.airing.minutes
    under = [(line.name, line.attended, line.expected) for line in report.units
             if line.expected and line.rate < float(report.turnout.target)]
    assert [(unit.name, unit.attended, unit.expected) for unit in found.below] == under


def test_the_leaders_overview_equals_the_month_report_for_the_whole_office(db, leader):
    found = overview.leader(db, leader, APRIL)
    report = data.build(db, leader, APRIL, made_on=date(2026, 11, 5))
    assert found.current.meetings > 0 and found.below   # something to compare, units under the target among it
    same_figures(found, report)
    assert found.scope_name == report.scope_name
    assert dict(found.forms) == {line.kind: line.meetings for line in report.forms if line.meetings}


def test_a_clerks_overview_equals_his_communes_report(db, leader, clerk):
    commune = unit_by_code(db, leader, "PHONGNIEN").id
    found = overview.leader(db, clerk, APRIL)
    assert found.unit_id == commune and found.current.meetings > 0
    same_figures(found, data.build(db, leader, APRIL, unit_id=commune, made_on=date(2026, 11, 5)))


def test_the_change_on_last_year_and_the_tracked_documents_by_commune(db, leader):
    found = overview.leader(db, leader, APRIL)
    before, now = found.year_before.meetings, found.current.meetings
    assert before and found.change("meetings") == 100 * (now - before) / before
    documents = overview.tracked_documents(db, leader)
    assert documents and all(doc.deadline for doc in documents)
    assert [doc.deadline for doc in documents] == sorted((doc.deadline for doc in documents), reverse=True)
    for doc in documents:
        assert sum(c.done for c in doc.communes) == doc.done and sum(c.required for c in doc.communes) == doc.required


def test_the_months_chart_is_each_months_report_rate_against_the_target(db, leader):
    months, target = overview.attendance_by_month(db, leader, APRIL)
    assert [month.period for month in months][-3:] == [Period.month(2026, 2), Period.month(2026, 3), APRIL]
    assert len(months) == 12 and months[0].period == Period.month(2025, 5)
    for month in months[-3:]:   # March 2026: nobody expected
        report = data.build(db, leader, month.period, made_on=date(2026, 11, 5))
        assert (month.expected, month.attended, month.rate) == (report.turnout.expected, report.turnout.attended,
                                                                report.turnout.rate)
    assert target == report.turnout.target


def test_a_clerks_months_follow_his_communes_tree_as_it_stood_each_month(db, admin, leader, clerk):
    """A chi bộ that moved into the commune counts from the month after it came, as each report counts it."""
    moved = unit_by_code(db, admin, "XUANQUANG-02")   # it held a session with a roster in January 2026
    units.move(db, admin, moved.id, unit_by_code(db, admin, "PHONGNIEN").id, date(2026, 3, 1))
    months, _target = overview.attendance_by_month(db, clerk, APRIL)
    commune = unit_by_code(db, leader, "PHONGNIEN").id
    for month in months[-6:]:   # from November 2025 to April 2026: before and after the move
        report = data.build(db, leader, month.period, unit_id=commune, made_on=date(2026, 11, 5))
        assert (month.expected, month.attended) == (report.turnout.expected, report.turnout.attended)
    assert any(m.expected for m in months[-6:-2]) and any(m.expected for m in months[-2:])


def test_the_cases_at_a_glance_are_counted_from_the_register(db, db_path, inspector):
    glance = overview.cases(db, inspector, APRIL)
    with sqlite3.connect(db_path) as plain:
        by_state = dict(plain.execute("SELECT status, count(*) FROM case_file WHERE deleted_at IS NULL "
                                      "GROUP BY status").fetchall())
        oldest = plain.execute("SELECT min(received_on) FROM case_file WHERE deleted_at IS NULL AND status IN "
                               "('received', 'competent', 'not_competent', 'verifying')").fetchone()[0]
    assert {status.value: n for status, n in glance.by_state} == by_state
    assert glance.open == sum(n for status, n in glance.by_state if not status.resolved) > 0
    assert glance.oldest_open == date.fromisoformat(oldest)
    assert [status for status, _n in glance.by_state] == [s for s in CaseStatus if s.value in by_state]


def test_what_a_clerk_still_has_to_enter(db, db_path, leader, clerk):
    before = overview.to_enter(db, clerk, APRIL)
    with sqlite3.connect(db_path) as plain:
        absent = plain.execute(
            "SELECT count(*) FROM attendance a JOIN meeting m ON m.id = a.meeting_id WHERE m.status = 'held' "
            "AND m.deleted_at IS NULL AND m.held_on BETWEEN '2026-04-01' AND '2026-04-30' AND NOT a.is_guest "
            "AND a.presence IN ('excused', 'unexcused') AND a.made_up_on IS NULL AND m.unit_id IN "
            "(SELECT unit_id FROM unit_version WHERE parent_id = (SELECT id FROM unit WHERE code = 'PHONGNIEN') "
            "UNION SELECT id FROM unit WHERE code = 'PHONGNIEN')").fetchone()[0]
    assert before.absent_not_made_up == absent > 0
    unrostered = replace(session_input(db, clerk, "PHONGNIEN", held_on=date(2026, 4, 12)), roster=[],
                         kind=MeetingKind.CHI_BO)
    meetings.create(db, clerk, unrostered)
    after = overview.to_enter(db, clerk, APRIL)
    assert (after.held, after.without_roster) == (before.held + 1, before.without_roster + 1)


def test_the_administrator_sees_accounts_and_the_last_backup(db, admin, leader, tmp_path):
    house = overview.housekeeping(db, admin)
    assert (house.accounts, house.active_accounts) == (4, 4) and house.last_backup is None
    assert house.database_bytes > 0
    backup.make(db, admin, tmp_path / "copy.stgbak")
    house = overview.housekeeping(db, admin)
    assert house.last_backup is not None and house.backup_age_days == 0
    with pytest.raises(PermissionDenied):
        overview.housekeeping(db, leader)


def test_an_empty_install_has_nothing_yet(empty_db, db, admin, leader):
    assert not overview.has_anything(empty_db, admin)
    assert overview.has_anything(db, admin) and overview.has_anything(db, leader)


def test_roles_see_only_their_parts(db, clerk, admin):
    with pytest.raises(PermissionDenied):
        overview.housekeeping(db, clerk)
    with pytest.raises(PermissionDenied):
        overview.cases(db, admin, APRIL)
    with pytest.raises(PermissionDenied):   # the report's figures count cases: not the admin's to see
        overview.leader(db, admin, APRIL)


def test_a_station_silent_last_week_is_named_for_the_clerk(db, db_path, clerk, frozen_clock):
    frozen_clock.move_to("2026-10-28 09:00:00+07:00")   # last week: 19–25 October, the demo's stations logged it
    assert overview.to_enter(db, clerk, Period.month(2026, 10)).silent_stations == ()
    with sqlite3.connect(db_path) as plain:
        plain.execute("UPDATE broadcast SET deleted_at = '2026-10-27 00:00:00' WHERE aired_on BETWEEN "
                      "'2026-10-19' AND '2026-10-25' AND unit_id = (SELECT id FROM unit WHERE code = 'PHONGNIEN')")
    assert overview.to_enter(db, clerk, Period.month(2026, 10)).silent_stations == ("Đảng bộ xã Phong Niên",)


def test_the_scopes_own_row_under_the_target_is_marked_so_the_page_does_not_link_it(db, leader):
    rows = {unit.name: unit.own for unit in overview.leader(db, leader, APRIL).below}
    assert all(own == name.endswith(" (trực tiếp tổ chức)") for name, own in rows.items())


def test_the_reports_from_below_are_last_months_once_due(db, leader):
    """Today is 22/11/2026: October's reports were due on the 20th."""
    before = overview.reports_below(db, leader)
    assert before.period == Period.month(2026, 10) and before.rates.received == 0
    assert len(before.missing) == before.rates.expected > 1
    report = data.build(db, leader, Period.month(2026, 10), unit_id=unit_by_code(db, leader, "PHONGNIEN").id,
                        made_on=date(2026, 11, 5), written=WRITTEN)
    issuing.issue(db, leader, report, "PHONGNIEN")   # on the district's server: received the day it is issued
    after = overview.reports_below(db, leader)
    assert (after.rates.received, after.rates.on_time) == (1, 0)   # two days late
    assert "Đảng bộ xã Phong Niên" not in after.missing and len(after.missing) == len(before.missing) - 1



def test_an_install_without_its_office_described_is_owed_no_reports(db, db_path, leader):
    with sqlite3.connect(db_path) as plain:
        plain.execute("DELETE FROM office_profile")
    assert overview.reports_below(db, leader) is None
    assert overview.leader(db, leader, APRIL).current.meetings > 0   # the figures are there all the same
