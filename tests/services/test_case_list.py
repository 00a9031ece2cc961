"""The cases page's query, and the figures, checked against plain SQL counts over the demo's cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from app import clock
from app.models.enums import CaseStatus, CaseStep
from app.services import cases
from app.services.cases import figures as case_figures
from app.services.cases import listing as case_list
from app.services.cases import workflow as case_workflow
from app.services.cases.listing import DUE_SOON, OVERDUE, CaseFilter
from tests.case_factory import case_input
from tests.helpers import unit_by_code


def _assigned(db, clerk, keyholder, on: date, body: str = "TTRA", **changes) -> int:
    case_id = cases.receive(db, clerk, case_input(db, clerk, received_on=on - timedelta(days=2), **changes))
    for step, data in ((CaseStep.ACCEPT, case_workflow.StepInput(on=on)),
                       (CaseStep.ASSIGN, case_workflow.StepInput(on=on, handling_body=body))):
        case_workflow.advance(db, keyholder, case_id, step, data,
                              expected_version=cases.detail(db, keyholder, case_id).version)
    return case_id


def test_overdue_and_due_soon_stand_out(db, clerk, keyholder):
    today = clock.today()
    late = _assigned(db, clerk, keyholder, today - timedelta(days=40))       # State: due 30 days after
    soon = _assigned(db, clerk, keyholder, today - timedelta(days=25))       # due in 5 days
    calm = _assigned(db, clerk, keyholder, today - timedelta(days=5))        # due in 25 days
    overdue = {r.id: r for r in case_list.list_page(db, keyholder, CaseFilter(urgency=OVERDUE))}
    due_soon = {r.id: r for r in case_list.list_page(db, keyholder, CaseFilter(urgency=DUE_SOON))}
    assert late in overdue and soon not in overdue and calm not in overdue
    assert soon in due_soon and late not in due_soon and calm not in due_soon
    rows = {r.id: r for r in case_list.list_page(db, keyholder, CaseFilter(status=CaseStatus.VERIFYING))}
    assert (rows[late].urgency(), rows[soon].urgency(), rows[calm].urgency()) == (OVERDUE, DUE_SOON, "")
    assert case_list.urgent_counts(db, keyholder) == (len(overdue), len(due_soon))
    case_workflow.advance(db, keyholder, late, CaseStep.CONCLUDE, case_workflow.StepInput(conclusion="true"),
                          expected_version=cases.detail(db, keyholder, late).version)
    assert late not in {r.id for r in case_list.list_page(db, keyholder, CaseFilter(urgency=OVERDUE))}


def test_search_finds_summary_and_reported_person_without_marks_never_the_reporter(db, clerk, keyholder):
    case_id = cases.receive(db, clerk, case_input(db, clerk, reporter=cases.Reporter("Tráng Thị Giấu", "", ""),
                                                  reported_name="Hoàng Văn Quyền",
                                                  summary="Đòi tiền khi cấp sổ đỏ ở thôn Nậm Tang"))
    for query in ("quyen", "HOÀNG quyền", "so do nam tang"):
        assert case_id in {r.id for r in case_list.list_page(db, clerk, CaseFilter(text=query))}, query
    assert case_list.list_page(db, keyholder, CaseFilter(text="Tráng Thị Giấu")) == []


@pytest.mark.parametrize(("flt", "where"), [
    (CaseFilter(status=CaseStatus.CLOSED), "c.status = 'closed'"),
    (CaseFilter(channel="DTH"), "ch.code = 'DTH'"),
    (CaseFilter(kind="TC"), "k.code = 'TC'"),
    (CaseFilter(handling_body="UBKT"), "b.code = 'UBKT'"),
    (CaseFilter(sign_group="ĐĐ"), "EXISTS (SELECT 1 FROM case_sign s JOIN reference_item r ON r.id = s.sign_id "
                                  "WHERE s.case_id = c.id AND r.grouping = 'ĐĐ')"),
    (CaseFilter(start=date(2020, 1, 1), end=date(2021, 12, 31)), "c.received_on BETWEEN '2020-01-01' AND '2021-12-31'"),
])
def test_filters_match_plain_sql(db, leader, flt, where):
    with db.session_scope() as session:
        expected = session.execute(text(
            "SELECT c.id FROM case_file c JOIN reference_item ch ON ch.id = c.channel_id "
            "JOIN reference_item k ON k.id = c.kind_id LEFT JOIN reference_item b ON b.id = c.handling_body_id "
            f"WHERE c.deleted_at IS NULL AND {where}")).scalars().all()
    assert expected
    assert sorted(r.id for r in case_list.list_page(db, leader, flt, limit=10_000)) == sorted(expected)
    assert case_list.count(db, leader, flt) == len(expected)


def test_a_clerk_sees_only_cases_received_in_their_units(db, clerk, leader):
    rows = case_list.list_page(db, clerk, CaseFilter(), limit=10_000)
    assert rows and {r.unit_name for r in rows} == {"Đảng bộ xã Phong Niên"}
    phong_nien = unit_by_code(db, leader, "PHONGNIEN").id
    assert len(rows) == case_list.count(db, leader, CaseFilter(unit_id=phong_nien))


@pytest.mark.parametrize("sort", case_list.SORT_NAMES)
def test_pages_by_key_in_every_order(db, leader, sort):
    for descending in (True, False):
        whole = [r.id for r in case_list.list_page(db, leader, CaseFilter(), sort=sort, descending=descending,
                                                   limit=10_000)]
        paged, after = [], None
        while True:
            page = case_list.list_page(db, leader, CaseFilter(), sort=sort, descending=descending, after=after, limit=7)
            paged += [r.id for r in page]
            if len(page) < 7:
                break
            after = (page[-1].sort_value, page[-1].id)
        assert paged == whole and len(whole) == case_list.count(db, leader, CaseFilter())


def test_the_overdue_filter_reads_the_status_due_index(db, leader):
    with db.session_scope() as session:
        conditions = case_list.conditions(session, leader, CaseFilter(urgency=OVERDUE))
        from sqlalchemy import select

        from app.models import Case
        compiled = select(Case.id).where(*conditions).compile(session.bind, compile_kwargs={"literal_binds": True})
        plan = " ".join(str(row) for row in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_case_file_status_due" in plan


def _sql(db, query: str, **params):
    with db.session_scope() as session:
        return session.execute(text(query), params).all()


def test_figures_agree_with_plain_counts(db, leader):
    start, end = date(2015, 1, 1), date(2026, 11, 1)
    f = case_figures.figures(db, leader, start=start, end=end, as_of=end)
    live = "FROM case_file c WHERE c.deleted_at IS NULL AND c.received_on BETWEEN :s AND :e"
    p = {"s": start, "e": end}
    assert f.received == _sql(db, f"SELECT count(*) {live}", **p)[0][0]
    assert f.anonymous == _sql(db, f"SELECT count(*) {live} AND c.anonymous", **p)[0][0]
    assert f.named + f.anonymous == f.received and f.information_only >= 1
    by_channel = dict(_sql(db, f"SELECT r.code, count(*) {live.replace('FROM case_file c', 'FROM case_file c JOIN reference_item r ON r.id = c.channel_id')} GROUP BY r.code", **p))
    assert {line.code: line.count for line in f.by_channel} == by_channel
    assert sum(line.count for line in f.by_kind) == f.received
    group = dict(_sql(db, "SELECT r.grouping, count(DISTINCT s.case_id) FROM case_sign s JOIN reference_item r "
                          "ON r.id = s.sign_id JOIN case_file c ON c.id = s.case_id WHERE c.deleted_at IS NULL "
                          "GROUP BY r.grouping"))
    assert {line.code: line.count for line in f.by_sign_group if line.count} == group
    told = _sql(db, f"SELECT count(*) {live} AND c.told_on IS NOT NULL", **p)[0][0]
    assert f.told == told
    acted = dict(_sql(db, f"SELECT r.code, count(*) {live.replace('FROM case_file c', 'FROM case_file c JOIN reference_item r ON r.id = c.action_id')} AND r.code <> 'KXL' GROUP BY r.code", **p))
    assert {line.code: line.count for line in f.disciplined} == acted
    assert f.resolved + f.in_progress == f.received
    open_now = _sql(db, f"SELECT count(*) {live} AND c.status NOT IN ('concluded', 'acted', 'told', 'forwarded', "
                        "'closed')", **p)[0][0]
    assert f.in_progress == open_now
    assert f.overdue == _sql(db, f"SELECT count(*) {live} AND c.status = 'verifying' AND c.due_on < :e", **p)[0][0]
    assert sum(f.conclusions.values()) == _sql(db, f"SELECT count(*) {live} AND c.conclusion IS NOT NULL", **p)[0][0]


def test_figures_look_back_from_the_period_end(db, leader):
    """A month's report counts states as they were at the month's end, so it reprints the same later."""
    january = case_figures.figures(db, leader, start=date(2026, 1, 1), end=date(2026, 1, 31))
    now = case_figures.figures(db, leader, start=date(2026, 1, 1), end=date(2026, 1, 31), as_of=date(2026, 11, 1))
    assert january.received == now.received
    assert january.in_progress > now.in_progress
    assert january.told <= now.told
