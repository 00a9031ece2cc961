"""Figures checked against counts made another way: straight from the roster lines, in Python."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.models import Attendance, AudienceCount, Meeting, MeetingDocument
from app.models.enums import AudienceGroup, DocumentKind, MeetingStatus, Presence
from app.services import documents, meetings, units
from app.services.meetings import CrowdLine
from app.services.meetings import figures as meeting_figures
from app.services.meetings import listing as meeting_list
from tests.helpers import unit_by_code
from tests.meeting_factory import session_input

START, END = date(2026, 7, 1), date(2026, 9, 30)
CHI_BO = ("PHONGNIEN-01", "PHONGNIEN-02", "PHONGNIEN-03", "GIAPHU-01")


@pytest.fixture
def doc(db, clerk):
    return documents.create(db, clerk, documents.DocumentInput(
        DocumentKind.CV, "1778-CV/TU", "Tỉnh ủy Lào Cai", date(2026, 6, 2), "Về tuyên truyền kỷ niệm"))


@pytest.fixture
def season(db, clerk, doc):
    """A quarter of sessions with random marks, plus one before it and ones that must not count."""
    rng = random.Random(7)
    made = []
    for number, code in enumerate(CHI_BO * 2):
        held_on = START + timedelta(days=11 * number)
        size = len(meetings.expected_roster(db, clerk, [unit_by_code(db, clerk, code).id], held_on))
        marks = {i: rng.choice([Presence.PRESENT] * 6 + [Presence.EXCUSED, Presence.UNEXCUSED]) for i in range(size)}
        data = session_input(db, clerk, code, held_on=held_on, marks=marks, document_ids=[doc] if number % 2 else [],
                             crowds=[CrowdLine(AudienceGroup.PEOPLE, 30 + number, 10, 5)])
        made.append(meetings.create(db, clerk, data))
    early = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-04", held_on=START - timedelta(days=20),
                                                     marks={0: Presence.UNEXCUSED}, document_ids=[doc]))
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-04", held_on=START + timedelta(days=5),
                                             status=MeetingStatus.PLANNED))
    gone = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-04", held_on=START + timedelta(days=6)))
    meetings.delete(db, clerk, gone, expected_version=1)
    with db.session_scope() as session:
        absent = session.scalars(select(Attendance.id).where(Attendance.meeting_id.in_([early, *made]),
                                                             Attendance.presence != Presence.PRESENT)).all()
    meetings.record_makeup(db, clerk, absent[0], on=START + timedelta(days=3), how="Nghiên cứu tài liệu")  # in
    meetings.record_makeup(db, clerk, absent[-1], on=END + timedelta(days=10), how="Nghiên cứu tài liệu")  # after
    return made


def held_meetings(db, where=()):
    with db.session_scope() as session:
        return session.scalars(select(Meeting).where(Meeting.deleted_at.is_(None), Meeting.status == MeetingStatus.HELD,
                                                     *where)).all()


def lines_of(db, where):
    with db.session_scope() as session:
        query = (select(Attendance, Meeting).join(Meeting, Meeting.id == Attendance.meeting_id)
                 .where(Meeting.deleted_at.is_(None), Meeting.status == MeetingStatus.HELD, *where))
        return [(a.person_id, a.presence, a.is_guest, a.made_up_on, m.held_on, m.id) for a, m in session.execute(query)]


def test_a_period_adds_up_the_roster_lines(db, admin, season):
    figures = meeting_figures.for_period(db, admin, meeting_list.MeetingFilter(start=START, end=END))
    lines = lines_of(db, [])
    in_period = [line for line in lines if START <= line[4] <= END and not line[2]]
    made_up = [line for line in lines if line[3] and START <= line[3] <= END]
    held = held_meetings(db, [Meeting.held_on.between(START, END)])
    assert figures.meetings == len(held) > len(season)     # the demo's sessions and the test's
    assert figures.expected == len(in_period)
    assert figures.present == sum(line[1] is Presence.PRESENT for line in in_period)
    assert figures.excused == sum(line[1] is Presence.EXCUSED for line in in_period)
    assert figures.unexcused == sum(line[1] is Presence.UNEXCUSED for line in in_period)
    assert figures.made_up == len(made_up)      # the make-up after the period counts later
    people = {line[0] for line in in_period if line[1] is Presence.PRESENT} | {line[0] for line in made_up}
    assert figures.people == len(people) < figures.attended
    assert figures.rate == pytest.approx(100 * (figures.present + len(made_up)) / figures.expected)
    with db.session_scope() as session:
        crowds = session.scalars(select(AudienceCount).where(AudienceCount.meeting_id.in_([m.id for m in held]))).all()
    # quần chúng: every audience group but party members (they are counted on the roster)
    assert figures.crowd.total == sum(c.total for c in crowds if c.kind is not AudienceGroup.PARTY_MEMBERS)
    assert figures.crowds[AudienceGroup.PEOPLE].women == sum(c.women for c in crowds if c.kind is AudienceGroup.PEOPLE)


def test_a_filtered_period_counts_only_what_the_table_shows(db, clerk, season, doc):
    one = unit_by_code(db, clerk, "PHONGNIEN-01")
    figures = meeting_figures.for_period(db, clerk, meeting_list.MeetingFilter(start=START, end=END, unit_id=one.id))
    lines = [line for line in lines_of(db, [Meeting.unit_id == one.id]) if START <= line[4] <= END and not line[2]]
    assert figures.expected == len(lines)
    assert figures.meetings == len(held_meetings(db, [Meeting.unit_id == one.id, Meeting.held_on.between(START, END)]))
    on_doc = meeting_figures.for_period(db, clerk, meeting_list.MeetingFilter(start=START, end=END, document_id=doc))
    assert on_doc.meetings == len(season) // 2


def test_one_session_figures_match_its_lines(db, clerk, season):
    figures = meeting_figures.for_meeting(db, clerk, season[3])
    lines = lines_of(db, [Meeting.id == season[3]])
    assert figures.expected == len(lines)
    assert figures.present == sum(line[1] is Presence.PRESENT for line in lines)
    assert figures.crowd.total == 33 and figures.crowds[AudienceGroup.PEOPLE].minority == 5


def test_the_document_person_rate_counts_distinct_members_and_make_ups(db, clerk, season, doc):
    commune = unit_by_code(db, clerk, "PHONGNIEN")
    figures = meeting_figures.for_document(db, clerk, doc, end=END, unit_id=commune.id)
    chi_bo = [n.id for n in units.tree(db, clerk) if n.parent_id == commune.id]
    required = {line.person_id for line in meetings.expected_roster(db, clerk, chi_bo, END)}
    with db.session_scope() as session:
        on_doc = set(session.scalars(select(MeetingDocument.meeting_id).where(MeetingDocument.document_id == doc)))
    attended = {line[0] for line in lines_of(db, [Meeting.id.in_(on_doc)])
                if line[4] <= END and (line[1] is Presence.PRESENT or (line[3] and line[3] <= END))}
    assert figures.required == len(required)
    assert figures.attended == len(attended & required)
    assert 0 < figures.rate < 100 and figures.below_target


def test_the_target_comes_from_the_office_profile(db, clerk):
    assert meeting_figures.attendance_target(db) == 95


def test_a_clerk_figures_stop_at_their_subtree(db, clerk, admin, season):
    flt = meeting_list.MeetingFilter(start=START, end=END)
    before = {who: meeting_figures.for_period(db, who, flt).meetings for who in (admin, clerk)}
    meetings.create(db, admin, session_input(db, admin, "XUANQUANG-01", held_on=START + timedelta(days=1)))
    assert meeting_figures.for_period(db, admin, flt).meetings == before[admin] + 1
    assert meeting_figures.for_period(db, clerk, flt).meetings == before[clerk] < before[admin]


def test_the_list_searches_without_marks_sorts_and_pages_in_sql(db, clerk, season, doc):
    rows, after = [], None
    flt = meeting_list.MeetingFilter(text="HOC TAP quan triet", start=START, end=END, document_id=doc)
    for sort in meeting_list.SORT_NAMES:
        rows, after = [], None
        while True:
            page = meeting_list.list_page(db, clerk, flt, sort=sort, descending=False, after=after, limit=3)
            rows += page
            if len(page) < 3:
                break
            after = (page[-1].sort_value, page[-1].id)
        assert sorted(r.id for r in rows) == sorted(season[1::2]), sort
        keys = [r.sort_value for r in rows]
        assert keys == sorted(keys), sort
    newest = meeting_list.list_page(db, clerk, flt)[0]
    assert newest.held_on == max(r.held_on for r in rows)
    assert newest.rate == pytest.approx(100 * (newest.present + newest.made_up) / newest.expected)
    assert all(r.documents == "1778-CV/TU" for r in rows)


def test_a_session_moved_out_of_the_period_leaves_its_figures(db, clerk, season):
    flt = meeting_list.MeetingFilter(start=START, end=END)
    before = meeting_figures.for_period(db, clerk, flt)
    detail = meetings.get(db, clerk, season[2])
    moved = replace(detail.data, held_on=END + timedelta(days=1))
    meetings.update(db, clerk, season[2], moved, expected_version=detail.version)
    after = meeting_figures.for_period(db, clerk, flt)
    assert after.meetings == before.meetings - 1
