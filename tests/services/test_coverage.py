"""Implementation tracking: who has disseminated a document by its deadline, and with what person rate."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.models.enums import AudienceGroup, DocumentKind, MeetingKind, MeetingStatus, Presence
from app.services import documents, meetings, units
from app.services.documents import DocumentInput, coverage
from tests.helpers import unit_by_code
from tests.meeting_factory import HELD_ON, session_input

DEADLINE = HELD_ON + timedelta(days=10)
AS_OF = HELD_ON + timedelta(days=30)


@pytest.fixture
def plan(db, admin):
    """A district plan that three chi bộ of Phong Niên and one of Xuân Quang must disseminate."""
    required = [unit_by_code(db, admin, code).id
                for code in ("PHONGNIEN-01", "PHONGNIEN-02", "PHONGNIEN-03", "XUANQUANG-01")]
    return documents.create(db, admin, DocumentInput(
        DocumentKind.KH, "45-KH/HU", "Ban Thường vụ Huyện ủy", HELD_ON - timedelta(days=20),
        "Kế hoạch học tập, quán triệt Kết luận 54", deadline=DEADLINE, required_unit_ids=required))


def line_of(cover, code):
    return next(line for line in cover.lines if line.unit_code == code)


def test_each_required_unit_is_done_late_or_not_yet_with_its_own_person_rate(db, clerk, admin, plan):
    on_time = session_input(db, clerk, "PHONGNIEN-01", document_ids=[plan],
                            marks={0: Presence.EXCUSED, 1: Presence.UNEXCUSED})
    on_time_id = meetings.create(db, clerk, on_time)
    commune = unit_by_code(db, clerk, "PHONGNIEN")
    second = unit_by_code(db, clerk, "PHONGNIEN-02")
    late_roster = meetings.expected_roster(db, clerk, [second.id], DEADLINE + timedelta(days=5))
    meetings.create(db, clerk, meetings.MeetingInput(
        unit_id=commune.id, held_on=DEADLINE + timedelta(days=5), title="Hội nghị quán triệt của xã",
        unit_ids=[second.id], document_ids=[plan],
        roster=[meetings.RosterLine(person_id=line.person_id, presence=Presence.PRESENT) for line in late_roster]))
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-03", held_on=HELD_ON, document_ids=[plan],
                                             status=MeetingStatus.PLANNED))   # planned: does not count

    cover = coverage.for_document(db, admin, plan, as_of=AS_OF)
    assert [(line.unit_code, line.state) for line in sorted(cover.lines, key=lambda x: x.unit_code)] == [
        ("PHONGNIEN-01", coverage.DONE), ("PHONGNIEN-02", coverage.LATE), ("PHONGNIEN-03", coverage.OVERDUE),
        ("XUANQUANG-01", coverage.OVERDUE)]
    first = line_of(cover, "PHONGNIEN-01")
    size = len(on_time.roster)
    assert (first.first_meeting_id, first.first_held_on, first.meetings) == (on_time_id, HELD_ON, 1)
    assert (first.required, first.attended) == (len(meetings.expected_roster(db, clerk, [on_time.unit_id], AS_OF)),
                                                size - 2)
    assert line_of(cover, "PHONGNIEN-02").attended == len(late_roster)
    assert cover.sentence() == "Có 2/4 chi bộ đã tổ chức quán triệt Kế hoạch số 45-KH/HU, đạt 50%; còn 2 chi bộ " \
                               "chưa tổ chức."
    before_deadline = coverage.for_document(db, admin, plan, as_of=DEADLINE - timedelta(days=1))
    assert line_of(before_deadline, "PHONGNIEN-03").state == coverage.NOT_YET
    assert line_of(before_deadline, "PHONGNIEN-02").state == coverage.NOT_YET


def test_a_make_up_counts_for_the_person_rate_and_a_target_flags_units_under_it(db, clerk, admin, plan):
    meeting_id = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", document_ids=[plan],
                                                          marks={0: Presence.UNEXCUSED}))
    detail = documents.get(db, admin, plan)
    documents.update(db, admin, plan, replace(detail.data, target="100"), expected_version=detail.version)
    line = line_of(coverage.for_document(db, admin, plan, as_of=AS_OF), "PHONGNIEN-01")
    assert line.below_target and line.attended == line.required - 1
    absent = next(a for a in meetings.absentees(db, clerk, plan) if a.held_on == HELD_ON)
    meetings.record_makeup(db, clerk, absent.attendance_id, on=HELD_ON + timedelta(days=2), how="Đọc tài liệu")
    line = line_of(coverage.for_document(db, admin, plan, as_of=AS_OF), "PHONGNIEN-01")
    assert not line.below_target and line.attended == line.required
    assert meeting_id == line.first_meeting_id


def test_a_required_commune_is_covered_by_its_chi_bo_and_counts_all_their_members(db, admin):
    commune = unit_by_code(db, admin, "PHONGNIEN")
    doc = documents.create(db, admin, DocumentInput(
        DocumentKind.HD, "20-HD/BTGHU", "Ban Tuyên giáo Huyện ủy", HELD_ON - timedelta(days=5), "Hướng dẫn",
        required_unit_ids=[commune.id]))
    meetings.create(db, admin, session_input(db, admin, "PHONGNIEN-04", document_ids=[doc]))
    (line,) = coverage.for_document(db, admin, doc, as_of=AS_OF).lines
    chi_bo = [n.id for n in units.tree(db, admin, AS_OF) if n.parent_id == commune.id and n.kind.holds_members]
    assert line.state == coverage.DONE   # no deadline: done whenever it happened
    assert line.required == len(meetings.expected_roster(db, admin, chi_bo, AS_OF))
    assert line.attended == len(meetings.expected_roster(db, admin, [unit_by_code(db, admin, "PHONGNIEN-04").id],
                                                         HELD_ON))
    assert coverage.for_document(db, admin, doc, as_of=AS_OF).sentence().startswith("Có 1/1 đảng bộ đã tổ chức")


def test_a_clerk_sees_only_the_required_units_of_their_subtree(db, clerk, plan):
    codes = {line.unit_code for line in coverage.for_document(db, clerk, plan, as_of=AS_OF).lines}
    assert codes == {"PHONGNIEN-01", "PHONGNIEN-02", "PHONGNIEN-03"}


def test_a_document_with_no_required_units_says_so(db, admin):
    doc = documents.create(db, admin, DocumentInput(DocumentKind.TB, "30-TB/HU", "Huyện ủy", date(2026, 1, 5),
                                                    "Thông báo"))
    assert coverage.for_document(db, admin, doc).sentence() == \
        "Chưa giao đơn vị nào tổ chức quán triệt Thông báo số 30-TB/HU."


def test_a_talk_to_citizens_is_not_the_chi_bos_study_but_counts_for_its_dang_bo(db, clerk, admin):
    chi_bo, commune = unit_by_code(db, admin, "PHONGNIEN-01"), unit_by_code(db, admin, "PHONGNIEN")
    plan = documents.create(db, admin, DocumentInput(
        DocumentKind.KH, "46-KH/HU", "Ban Thường vụ Huyện ủy", HELD_ON - timedelta(days=20), "Kế hoạch tuyên truyền",
        deadline=DEADLINE, required_unit_ids=[chi_bo.id, commune.id]))
    meetings.create(db, clerk, meetings.MeetingInput(
        unit_id=chi_bo.id, held_on=HELD_ON, title="Tuyên truyền tới Nhân dân thôn", kind=MeetingKind.PROPAGANDA,
        document_ids=[plan], crowds=[meetings.CrowdLine(AudienceGroup.PEOPLE, 120, 60, 10)]))
    cover = coverage.for_document(db, admin, plan, as_of=AS_OF)
    assert line_of(cover, "PHONGNIEN-01").state == coverage.OVERDUE     # its members have not studied it
    assert line_of(cover, "PHONGNIEN").state == coverage.DONE           # the commune has disseminated it
