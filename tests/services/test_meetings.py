"""Sessions: the expected roster, marking, every bad input, versions, tombstones, scope, copies, make-ups."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.models import Attendance, Meeting
from app.models.enums import (
    AudienceGroup,
    DocumentKind,
    MeetingForm,
    MeetingStatus,
    MembershipStatus,
    Presence,
)
from app.services import audit_trail, documents, meetings, people, units
from app.services.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.services.meetings import CrowdLine, RosterLine
from app.services.meetings import listing as meeting_list
from tests.helpers import unit_by_code
from tests.meeting_factory import HELD_ON, session_input


def meeting_count(db) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Meeting))


def refused(db, actor, data, *fields) -> ValidationError:
    """The save is refused naming these fields, and nothing at all is written."""
    before = meeting_count(db)
    with pytest.raises(ValidationError) as caught:
        meetings.create(db, actor, data)
    assert set(fields) <= set(caught.value.errors), caught.value.errors
    assert meeting_count(db) == before
    return caught.value


def test_a_held_session_keeps_its_roster_marks_and_counts(db, clerk):
    data = session_input(db, clerk, "PHONGNIEN-01", marks={0: Presence.EXCUSED, 1: Presence.UNEXCUSED},
                         starts_at=time(8), ends_at=time(11, 30), place="Nhà văn hóa thôn", chair="Bí thư chi bộ",
                         crowds=[CrowdLine(AudienceGroup.PEOPLE, 40, 22, 15)])
    size = len(data.roster)
    meeting_id = meetings.create(db, clerk, data)
    detail = meetings.get(db, clerk, meeting_id)
    marks = [line.presence for line in detail.data.roster]
    assert marks.count(Presence.PRESENT) == size - 2
    assert detail.data.roster[0].reason == "Ốm"
    assert detail.data.starts_at == time(8) and detail.data.place == "Nhà văn hóa thôn"
    with db.session_scope() as session:
        meeting = session.get(Meeting, meeting_id)
        assert (meeting.expected_count, meeting.present_count, meeting.excused_count, meeting.unexcused_count,
                meeting.crowd_total) == (size, size - 2, 1, 1, 40)


def test_the_expected_roster_follows_transfers_and_exemptions(db, admin):
    home, other = unit_by_code(db, admin, "PHONGNIEN-01"), unit_by_code(db, admin, "PHONGNIEN-02")
    day = date(2026, 9, 1)
    before = meetings.expected_roster(db, admin, [home.id], day - timedelta(days=1))
    moving, resting = before[0].person_id, before[1].person_id
    people.change_membership(db, admin, moving, unit_id=other.id, status=MembershipStatus.ACTIVE, since=day)
    people.change_membership(db, admin, resting, unit_id=home.id, status=MembershipStatus.EXEMPT, since=day)
    assert {moving, resting} <= {line.person_id for line in
                                 meetings.expected_roster(db, admin, [home.id], day - timedelta(days=1))}
    after = {line.person_id for line in meetings.expected_roster(db, admin, [home.id], day)}
    assert moving not in after and resting not in after
    assert moving in {line.person_id for line in meetings.expected_roster(db, admin, [other.id], day)}
    assert len(after) == len(before) - 2


def test_a_commune_session_expects_the_members_of_the_chosen_chi_bo(db, clerk):
    commune = unit_by_code(db, clerk, "PHONGNIEN")
    chosen = [unit_by_code(db, clerk, code).id for code in ("PHONGNIEN-01", "PHONGNIEN-02")]
    with db.session_scope() as session:
        assert meetings.default_units(session, commune.id, HELD_ON) == []
    roster = meetings.expected_roster(db, clerk, chosen, HELD_ON)
    separately = sum(len(meetings.expected_roster(db, clerk, [u], HELD_ON)) for u in chosen)
    assert len(roster) == separately > 0
    data = meetings.MeetingInput(unit_id=commune.id, held_on=HELD_ON, title="Hội nghị quán triệt toàn xã",
                                 unit_ids=chosen, roster=[replace(r, presence=Presence.PRESENT) for r in roster])
    meeting_id = meetings.create(db, clerk, data)
    assert meetings.get(db, clerk, meeting_id).data.unit_ids == chosen


def test_bad_fields_are_each_named_and_nothing_is_saved(db, clerk):
    today = clock.today()
    data = session_input(db, clerk, "PHONGNIEN-01", title="  ", starts_at=time(14), ends_at=time(13, 30),
                         form=MeetingForm.ONLINE)
    data.held_on = today + timedelta(days=3)
    before = meeting_count(db)
    with pytest.raises(ValidationError) as caught:
        meetings.create(db, clerk, data)
    errors = caught.value.errors
    assert "tương lai" in errors["held_on"]
    assert "tên hội nghị" in errors["title"]
    assert "13:30" in errors["ends_at"] and "14:00" in errors["ends_at"]
    assert "điểm cầu" in errors["bridge_points"]
    assert meeting_count(db) == before


def test_a_planned_session_may_be_in_the_future_unmarked(db, clerk):
    data = session_input(db, clerk, "PHONGNIEN-01", status=MeetingStatus.PLANNED,
                         held_on=clock.today() + timedelta(days=10))
    assert all(line.presence is None for line in data.roster)
    meeting_id = meetings.create(db, clerk, data)
    assert meetings.get(db, clerk, meeting_id).data.status is MeetingStatus.PLANNED


@pytest.mark.parametrize(("crowd", "words"), [
    (CrowdLine(AudienceGroup.PEOPLE, -5, 0, 0), "không được âm"),
    (CrowdLine(AudienceGroup.PEOPLE, 10, 12, 0), "số nữ (12) lớn hơn tổng số (10)"),
    (CrowdLine(AudienceGroup.PUPILS, 10, 0, 11), "dân tộc thiểu số (11) lớn hơn tổng số (10)"),
])
def test_crowd_counts_must_be_whole_and_within_their_total(db, clerk, crowd, words):
    error = refused(db, clerk, session_input(db, clerk, "PHONGNIEN-01", crowds=[crowd]), f"crowd.{crowd.kind.value}")
    assert words in str(error) and crowd.kind.label in str(error)


def test_a_person_twice_in_one_roster_is_refused_naming_both_rows(db, clerk):
    data = session_input(db, clerk, "PHONGNIEN-01")
    data.roster.append(replace(data.roster[0]))
    error = refused(db, clerk, data, f"roster.{len(data.roster)}")
    assert f"(dòng 1 và {len(data.roster)})" in str(error)


def test_an_outsider_must_be_a_guest(db, clerk):
    data = session_input(db, clerk, "PHONGNIEN-01")
    outsider = meetings.expected_roster(db, clerk, [unit_by_code(db, clerk, "PHONGNIEN-02").id], HELD_ON)[0]
    data.roster.append(replace(outsider, presence=Presence.PRESENT))
    error = refused(db, clerk, data, f"roster.{len(data.roster)}")
    assert outsider.full_name in str(error) and "khách mời" in str(error)
    data.roster[-1] = replace(outsider, is_guest=True, presence=None)
    data.roster.append(RosterLine(is_guest=True, guest_name="Nguyễn Văn Khách", guest_note="Đoàn thanh niên xã"))
    meeting_id = meetings.create(db, clerk, data)
    saved = meetings.get(db, clerk, meeting_id).data.roster
    guests = [line for line in saved if line.is_guest]
    assert {line.name for line in guests} == {outsider.full_name, "Nguyễn Văn Khách"}
    assert all(line.presence is Presence.PRESENT for line in guests)
    with db.session_scope() as session:
        meeting = session.get(Meeting, meeting_id)
        assert (meeting.guest_count, meeting.expected_count) == (2, len(data.roster) - 2)


def test_a_member_of_the_unit_cannot_come_as_a_guest(db, clerk):
    data = session_input(db, clerk, "PHONGNIEN-01")
    data.roster[2] = replace(data.roster[2], is_guest=True)
    assert "không phải khách mời" in str(refused(db, clerk, data, "roster.3"))


def test_a_roster_missing_a_member_or_with_unmarked_members_is_refused(db, clerk):
    data = session_input(db, clerk, "PHONGNIEN-01")
    missing = data.roster.pop(3)
    assert missing.full_name in refused(db, clerk, data, "roster").errors["roster"]
    data = session_input(db, clerk, "PHONGNIEN-01")
    data.roster[4] = replace(data.roster[4], presence=None)
    message = refused(db, clerk, data, "roster").errors["roster"]
    assert "chưa điểm danh" in message and data.roster[4].full_name in message


def test_excused_needs_a_reason(db, clerk):
    data = session_input(db, clerk, "PHONGNIEN-01")
    data.roster[1] = replace(data.roster[1], presence=Presence.EXCUSED, reason=" ")
    assert "lý do" in str(refused(db, clerk, data, "roster.2"))


def test_attachments_too_large_or_unreadable_are_named(db, clerk, tmp_path, monkeypatch):
    from app.config import SETTINGS
    from app.services.meetings import record

    big = tmp_path / "bien-ban.pdf"
    big.write_bytes(b"%PDF" + b"0" * 2048)
    monkeypatch.setattr(record, "SETTINGS", replace(SETTINGS, file_max_bytes=1024))
    with pytest.raises(ValidationError) as caught:
        meetings.read_attachment(big)
    assert "bien-ban.pdf" in str(caught.value) and "lớn quá" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        meetings.read_attachment(tmp_path / "khong-co.jpg")
    assert "Không đọc được tệp «khong-co.jpg»" in str(caught.value)


def test_attachments_are_kept_in_the_database_and_read_back(db, clerk, tmp_path):
    scan = tmp_path / "anh-hoi-nghi.jpg"
    scan.write_bytes(b"\xff\xd8\xff" + bytes(range(256)) * 10)
    data = session_input(db, clerk, "PHONGNIEN-01", files=[meetings.read_attachment(scan)])
    meeting_id = meetings.create(db, clerk, data)
    scan.unlink()
    stored = meetings.get(db, clerk, meeting_id).data.files
    assert [(f.name, f.size) for f in stored] == [("anh-hoi-nghi.jpg", 3 + 2560)]
    assert meetings.file_bytes(db, clerk, meeting_id, stored[0].sha256)[:3] == b"\xff\xd8\xff"


def test_a_roster_edit_bumps_the_version_and_a_stale_save_is_refused(db, clerk, admin):
    meeting_id = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01"))
    mine, theirs = meetings.get(db, clerk, meeting_id), meetings.get(db, admin, meeting_id)
    theirs.data.roster[0] = replace(theirs.data.roster[0], presence=Presence.UNEXCUSED)
    meetings.update(db, admin, meeting_id, theirs.data, expected_version=theirs.version)
    assert meetings.get(db, clerk, meeting_id).version == mine.version + 1
    mine.data.title = "Tên khác"
    with pytest.raises(Conflict) as caught:
        meetings.update(db, clerk, meeting_id, mine.data, expected_version=mine.version)
    assert "quantri" in str(caught.value) and "chưa được lưu" in str(caught.value)
    now = meetings.get(db, clerk, meeting_id)
    assert now.data.title != "Tên khác" and now.data.roster[0].presence is Presence.UNEXCUSED


def test_an_edit_is_audited_with_each_changed_mark(db, clerk):
    meeting_id = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01"))
    detail = meetings.get(db, clerk, meeting_id)
    name = detail.data.roster[2].full_name
    detail.data.roster[2] = replace(detail.data.roster[2], presence=Presence.UNEXCUSED)
    meetings.update(db, clerk, meeting_id, detail.data, expected_version=detail.version)
    with db.session_scope() as session:
        trail = audit_trail.history(session, "meeting", meeting_id)
    assert [row.action for row in trail] == ["tạo", "sửa"]
    edit = trail[-1]
    assert f"{name}: Có mặt → Vắng không lý do" in edit.after["marks"]
    assert edit.before["present"] == edit.after["present"] + 1


def test_deleting_is_an_audited_tombstone_gone_from_lists_and_figures(db, clerk):
    from app.services.meetings import figures as meeting_figures

    data = session_input(db, clerk, "PHONGNIEN-01", title="Buổi sẽ xóa")
    meeting_id = meetings.create(db, clerk, data)
    flt = meeting_list.MeetingFilter(text="buoi se xoa")
    assert meeting_list.count(db, clerk, flt) == 1
    before = meeting_figures.for_period(db, clerk, meeting_list.MeetingFilter(start=HELD_ON, end=HELD_ON))
    meetings.delete(db, clerk, meeting_id, expected_version=meetings.get(db, clerk, meeting_id).version)
    with db.session_scope() as session:
        assert session.get(Meeting, meeting_id).deleted_at is not None     # the row stays for the exchange
        assert [row.action for row in audit_trail.history(session, "meeting", meeting_id)] == ["tạo", "xóa"]
    assert meeting_list.count(db, clerk, flt) == 0
    after = meeting_figures.for_period(db, clerk, meeting_list.MeetingFilter(start=HELD_ON, end=HELD_ON))
    assert after.expected == before.expected - len(data.roster)
    with pytest.raises(NotFound):
        meetings.get(db, clerk, meeting_id)


def test_a_clerk_cannot_see_or_touch_sessions_outside_their_subtree(db, clerk, admin):
    elsewhere = meetings.create(db, admin, session_input(db, admin, "XUANQUANG-01", title="Buổi ở Xuân Quang"))
    assert meeting_list.count(db, clerk, meeting_list.MeetingFilter(text="xuan quang")) == 0
    assert meeting_list.count(db, admin, meeting_list.MeetingFilter(text="xuan quang")) == 1
    with pytest.raises(PermissionDenied):
        meetings.get(db, clerk, elsewhere)
    with pytest.raises(PermissionDenied):
        meetings.create(db, clerk, session_input(db, admin, "XUANQUANG-01"))
    with pytest.raises(PermissionDenied):
        meetings.delete(db, clerk, elsewhere, expected_version=1)


def test_viewers_read_but_do_not_write(db, leader, inspector, clerk):
    meeting_id = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01"))
    for viewer in (leader, inspector):
        detail = meetings.get(db, viewer, meeting_id)
        with pytest.raises(PermissionDenied):
            meetings.update(db, viewer, meeting_id, detail.data, expected_version=detail.version)
        with pytest.raises(PermissionDenied):
            meetings.create(db, viewer, detail.data)


def test_one_session_copied_for_many_units_each_with_its_own_roster(db, clerk):
    source = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", title="Quán triệt Chỉ thị 05"))
    targets = [unit_by_code(db, clerk, code).id for code in ("PHONGNIEN-02", "PHONGNIEN-03", "GIAPHU-01")]
    created = meetings.copy_for_units(db, clerk, source, targets)
    assert len(created) == 3
    for meeting_id, unit_id in zip(created, targets, strict=True):
        copy = meetings.get(db, clerk, meeting_id).data
        assert copy.unit_id == unit_id and copy.title == "Quán triệt Chỉ thị 05"
        assert copy.status is MeetingStatus.PLANNED
        expected = {line.person_id for line in meetings.expected_roster(db, clerk, [unit_id], HELD_ON)}
        assert {line.person_id for line in copy.roster} == expected and expected


def test_copying_to_a_unit_outside_the_scope_creates_none(db, clerk):
    source = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01"))
    before = meeting_count(db)
    with pytest.raises(PermissionDenied):
        meetings.copy_for_units(db, clerk, source, [unit_by_code(db, clerk, "PHONGNIEN-02").id,
                                                     unit_by_code(db, clerk, "XUANQUANG-01").id])
    assert meeting_count(db) == before


def test_a_make_up_is_recorded_on_the_absent_members_line(db, clerk):
    meeting_id = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01",
                                                          marks={0: Presence.UNEXCUSED, 1: Presence.EXCUSED}))
    with db.session_scope() as session:
        lines = {a.presence: a.id for a in session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id))}
    with pytest.raises(ValidationError) as caught:
        meetings.record_makeup(db, clerk, lines[Presence.PRESENT], on=HELD_ON, how="Đọc tài liệu")
    assert "không vắng" in str(caught.value)
    with pytest.raises(ValidationError) as caught:
        meetings.record_makeup(db, clerk, lines[Presence.UNEXCUSED], on=HELD_ON - timedelta(days=1), how="x")
    assert "on" in caught.value.errors
    later = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-02", held_on=HELD_ON + timedelta(days=7)))
    meetings.record_makeup(db, clerk, lines[Presence.UNEXCUSED], on=HELD_ON, makeup_meeting_id=later)
    with db.session_scope() as session:
        line = session.get(Attendance, lines[Presence.UNEXCUSED])
        assert line.made_up_on == HELD_ON + timedelta(days=7) and "Dự «" in line.made_up_how
        assert session.get(Meeting, meeting_id).made_up_count == 1
    with pytest.raises(ValidationError):   # the session made up at cannot simply vanish
        meetings.delete(db, clerk, later, expected_version=meetings.get(db, clerk, later).version)


def test_a_make_up_session_is_another_held_session_on_the_document_within_the_scope(db, clerk, admin):
    doc = documents.create(db, clerk, documents.DocumentInput(DocumentKind.KH, "13-KH/HU", "Huyện ủy",
                                                              date(2026, 9, 1), "Kế hoạch học tập"))
    missed = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", document_ids=[doc],
                                                      marks={0: Presence.UNEXCUSED}))
    commune = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-02", held_on=HELD_ON + timedelta(days=3),
                                                       title="Học bù Kế hoạch 13", document_ids=[doc]))
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-02", held_on=HELD_ON + timedelta(days=9),
                                             document_ids=[doc], status=MeetingStatus.PLANNED))
    outside = meetings.create(db, admin, session_input(db, admin, "XUANQUANG-01", held_on=HELD_ON + timedelta(days=4),
                                                       document_ids=[doc]))
    assert [row.id for row in meetings.makeup_sessions(db, clerk, doc)] == [commune, missed]
    assert [row.id for row in meetings.makeup_sessions(db, admin, doc)] == [outside, commune, missed]
    (owed,) = meetings.absentees(db, clerk, doc)
    with pytest.raises(ValidationError) as caught:
        meetings.record_makeup(db, clerk, owed.attendance_id, on=HELD_ON, makeup_meeting_id=missed)
    assert "khác với buổi đã vắng" in caught.value.errors["makeup_meeting_id"]
    with pytest.raises(PermissionDenied):
        meetings.record_makeup(db, clerk, owed.attendance_id, on=HELD_ON, makeup_meeting_id=outside)
    meetings.record_makeup(db, clerk, owed.attendance_id, on=HELD_ON, makeup_meeting_id=commune)
    assert meetings.absentees(db, clerk, doc) == []
    made_up = next(line for line in meetings.get(db, clerk, missed).data.roster if line.made_up_on)
    assert (made_up.made_up_on, made_up.made_up_meeting_id) == (HELD_ON + timedelta(days=3), commune)
    assert made_up.made_up_how == f"Dự «Học bù Kế hoạch 13» ngày {(HELD_ON + timedelta(days=3)):%d/%m/%Y}"


def test_the_make_up_list_names_absentees_not_yet_covered_for_the_document(db, clerk):
    doc = documents.create(db, clerk, documents.DocumentInput(DocumentKind.KH, "12-KH/HU", "Huyện ủy",
                                                              date(2026, 9, 1), "Kế hoạch tuyên truyền"))
    first = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", document_ids=[doc], marks={
        0: Presence.UNEXCUSED, 1: Presence.EXCUSED, 2: Presence.UNEXCUSED}))
    roster = meetings.get(db, clerk, first).data.roster
    owed = meetings.absentees(db, clerk, doc)
    assert {row.full_name for row in owed} == {line.full_name for line in roster[:3]}
    assert {row.reason for row in owed} == {"", "Ốm"}
    meetings.record_makeup(db, clerk, next(r.attendance_id for r in owed if r.full_name == roster[0].full_name),
                           on=HELD_ON, how="Nghiên cứu tài liệu")
    # A later session on the same document that the second absentee attends covers them too.
    later = session_input(db, clerk, "PHONGNIEN-01", held_on=HELD_ON + timedelta(days=5), document_ids=[doc],
                          marks={2: Presence.EXCUSED})
    meetings.create(db, clerk, later)
    assert later.roster[2].person_id == roster[2].person_id
    left = meetings.absentees(db, clerk, doc)
    assert [(row.full_name, row.held_on) for row in left] == [(roster[2].full_name, HELD_ON),
                                                             (roster[2].full_name, HELD_ON + timedelta(days=5))]
    other = unit_by_code(db, clerk, "PHONGNIEN-02")
    assert meetings.absentees(db, clerk, doc, unit_id=other.id) == []


def test_the_make_up_list_offers_a_clerk_only_absentees_he_may_record(db, clerk, admin, leader):
    """A chi bộ moved into his commune brings its old sessions into his view, but they were another commune's
    on the day: a make-up written on them is refused, so the list does not offer them; the leader still sees
    them, and a session held after the move is the clerk's to chase."""
    doc = documents.create(db, admin, documents.DocumentInput(DocumentKind.KH, "14-KH/HU", "Huyện ủy",
                                                              date(2026, 9, 1), "Kế hoạch học tập"))
    before = meetings.create(db, admin, session_input(db, admin, "XUANQUANG-01", document_ids=[doc],
                                                      marks={0: Presence.UNEXCUSED}))
    moved = unit_by_code(db, admin, "XUANQUANG-01")
    units.move(db, admin, moved.id, unit_by_code(db, admin, "PHONGNIEN").id, HELD_ON + timedelta(days=10))
    after = meetings.create(db, clerk, session_input(db, clerk, "XUANQUANG-01", held_on=HELD_ON + timedelta(days=12),
                                                     document_ids=[doc], marks={0: Presence.EXCUSED}))
    assert {row.held_on for row in meetings.absentees(db, leader, doc)} == {HELD_ON, HELD_ON + timedelta(days=12)}
    offered = meetings.absentees(db, clerk, doc)
    assert [row.held_on for row in offered] == [HELD_ON + timedelta(days=12)]
    old_line = next(row for row in meetings.absentees(db, admin, doc) if row.held_on == HELD_ON)
    with pytest.raises(PermissionDenied):
        meetings.record_makeup(db, clerk, old_line.attendance_id, on=HELD_ON + timedelta(days=13), how="Tự nghiên cứu")
    meetings.record_makeup(db, clerk, offered[0].attendance_id, on=HELD_ON + timedelta(days=13), how="Tự nghiên cứu")
    assert meetings.absentees(db, clerk, doc) == [] and before != after
