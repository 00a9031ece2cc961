"""The register of báo cáo viên: entries by field with nothing half-saved, the session's lines naming them
(the register fills the name and title, an old text line stays), the picker, the report's figures by level,
and travel between installs."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.models import Meeting, Presenter, Speaker
from app.models.enums import SpeakerLevel, SpeakerRole
from app.reports import data, sentences
from app.services import meetings, speakers
from app.services.errors import PermissionDenied, ValidationError
from app.services.meetings import PresenterLine
from app.services.period import Period
from app.services.speakers import SpeakerInput
from tests.helpers import unit_by_code
from tests.meeting_factory import session_input


@pytest.fixture
def propagandist(db, clerk) -> SpeakerInput:
    return SpeakerInput("Lò Thị Xuân", "Tuyên truyền viên thôn", unit_by_code(db, clerk, "PHONGNIEN-01").id,
                        SpeakerRole.PROPAGANDIST, SpeakerLevel.GRASSROOTS)


def count(db) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Speaker))


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"full_name": "  "}, "full_name", "Hãy ghi họ và tên báo cáo viên."),
    ({"unit_id": None}, "unit_id", "Hãy chọn đơn vị công tác"),
    ({"role": None}, "role", "báo cáo viên hay tuyên truyền viên"),
    ({"level": "nowhere"}, "level", "Hãy chọn cấp"),
    ({"stopped_on": "tomorrow"}, "stopped_on", "không được ở tương lai"),
    ({"title": "x" * 201}, "title", "Chức vụ dài quá 200 ký tự."),
])
def test_bad_input_is_refused_by_field_and_nothing_is_saved(db, clerk, propagandist, change, field, words):
    if change.get("stopped_on") == "tomorrow":
        change = {"stopped_on": clock.today() + timedelta(days=1)}
    before = count(db)
    with pytest.raises(ValidationError) as caught:
        speakers.create(db, clerk, replace(propagandist, **change))
    assert words in caught.value.errors[field] and count(db) == before


def test_a_clerk_registers_his_own_and_picks_from_the_whole_register(db, clerk, leader, admin, propagandist):
    with pytest.raises(PermissionDenied):
        speakers.create(db, leader, propagandist)
    with pytest.raises(PermissionDenied):
        speakers.create(db, clerk, replace(propagandist, unit_id=unit_by_code(db, admin, "XUANQUANG").id))
    speaker_id = speakers.create(db, clerk, propagandist)
    picked = {row.id: row for row in speakers.choices(db, clerk)}
    assert speaker_id in picked and any(row.level is SpeakerLevel.DISTRICT for row in picked.values())
    assert picked[speaker_id].label == "Lò Thị Xuân — Tuyên truyền viên thôn"
    entry, version = speakers.get(db, clerk, speaker_id)
    speakers.update(db, clerk, speaker_id, replace(entry, stopped_on=clock.today()), expected_version=version)
    assert speaker_id not in {row.id for row in speakers.choices(db, clerk)}   # no longer offered


def test_a_session_names_the_register_and_keeps_an_old_text_line(db, clerk, propagandist):
    speaker_id = speakers.create(db, clerk, propagandist)
    lines = [PresenterLine("", "", speaker_id), PresenterLine("Lãnh đạo Đảng ủy xã", ""), PresenterLine("  ", "")]
    meeting_id = meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", presenters=lines))
    kept = meetings.get(db, clerk, meeting_id).data.presenters
    assert kept == [PresenterLine("Lò Thị Xuân", "Tuyên truyền viên thôn", speaker_id),
                    PresenterLine("Lãnh đạo Đảng ủy xã", "", None)]
    with db.session_scope() as session:
        session.execute(Speaker.__table__.update().where(Speaker.id == speaker_id).values(deleted_at=clock.utcnow()))
    with pytest.raises(ValidationError, match="không còn trong danh sách"):
        meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-02", presenters=lines[:1]))


def test_the_reports_presenters_are_counted_by_level_as_sql_counts_them(db, leader):
    period = Period.year(2025)
    report = data.build(db, leader, period)
    with db.engine.connect() as connection:
        plain = dict(connection.exec_driver_sql(
            "SELECT s.level, count(DISTINCT s.id) FROM speaker s JOIN meeting_presenter p ON p.speaker_id = s.id "
            "JOIN meeting m ON m.id = p.meeting_id WHERE m.deleted_at IS NULL AND m.status = 'held' "
            "AND m.held_on BETWEEN '2025-01-01' AND '2025-12-31' GROUP BY s.level").all())
    assert plain and {level.value: n for level, n in report.presenters.by_level} == plain
    text = sentences.presenters(report)
    assert text.startswith(f"Trong năm, {report.presenters.people} báo cáo viên (")
    assert all(f"{n} {sentences.LEVEL_WORDS[level]}" in text for level, n in report.presenters.by_level)


def test_the_register_goes_down_and_a_communes_session_naming_it_comes_back_linked(db, admin, commune, tmp_path):
    from tests.conftest import signed_in
    from tests.services.test_exchange import introduce, receive, send

    district_clerk = signed_in(db, "nhaplieu")
    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    receive(commune_db, commune_clerk, send(db, district_clerk, commune_db, tmp_path, "xuong.goitd"))
    offered = {row.full_name: row.id for row in speakers.choices(commune_db, commune_clerk)}
    assert "Nguyễn Thị Minh" in offered                          # the district's báo cáo viên, at the commune
    line = PresenterLine("", "", offered["Nguyễn Thị Minh"])
    made = meetings.create(commune_db, commune_clerk, session_input(commune_db, commune_clerk, "PHONGNIEN-01",
                                                                    title="Hội nghị ở xã", presenters=[line]))
    at_commune = meetings.get(commune_db, commune_clerk, made)
    receive(db, district_clerk, send(commune_db, commune_clerk, db, tmp_path, "len.goitd"))
    with db.session_scope() as session:
        speaker_id = session.scalar(select(Presenter.speaker_id).join(Meeting, Meeting.id == Presenter.meeting_id)
                                    .where(Meeting.title == "Hội nghị ở xã"))
        assert session.get(Speaker, speaker_id).full_name == "Nguyễn Thị Minh"
    assert at_commune.data.presenters[0].name == "Nguyễn Thị Minh"


def test_two_presenters_of_one_name_are_two_people_and_one_person_written_twice_is_one(db, clerk, leader,
                                                                                    propagandist):
    namesake = speakers.create(db, clerk, replace(propagandist, full_name="Nguyễn Thị Minh"))
    district = next(row.id for row in speakers.choices(db, clerk)
                    if row.full_name == "Nguyễn Thị Minh" and row.level is SpeakerLevel.DISTRICT)
    day = clock.today() - timedelta(days=1)
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-01", held_on=day, presenters=[
        PresenterLine("", "", namesake), PresenterLine("", "", district)]))
    meetings.create(db, clerk, session_input(db, clerk, "PHONGNIEN-02", held_on=day, presenters=[
        PresenterLine("NGUYỄN THỊ MINH", "", district)]))   # the same entry, its name typed in capitals
    report = data.build(db, leader, Period.between(day, day), made_on=day)
    assert (report.presenters.people, report.presenters.appearances) == (2, 3)
    assert dict(report.presenters.by_level) == {SpeakerLevel.DISTRICT: 1, SpeakerLevel.GRASSROOTS: 1}
