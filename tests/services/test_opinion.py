"""The register of public opinion: an entry saved whole, every bad input refused by field with nothing
written, scope and roles, and section I drafted from the period's entries with counts equal to SQL's."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.models import AuditEntry, Opinion
from app.models.enums import OpinionGroup, OpinionTendency
from app.services.errors import Conflict, PermissionDenied, ValidationError
from app.services.opinion import listing, register, section
from app.services.opinion.register import OpinionInput
from app.services.period import Period
from app.services.scope import scope_unit_ids
from tests.helpers import unit_by_code

OCTOBER = Period.month(2026, 10)


def scope_ids(db, actor) -> set[int]:
    with db.session_scope() as session:
        return scope_unit_ids(session, actor, OCTOBER.end)


def live_count(db) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Opinion).where(Opinion.deleted_at.is_(None)))


@pytest.fixture
def entry(db, clerk) -> OpinionInput:
    return OpinionInput(unit_by_code(db, clerk, "PHONGNIEN-01").id, clock.today() - timedelta(days=2),
                        "Giá phân bón tăng cao", "Họp chi bộ thôn", OpinionTendency.WORRYING,
                        [OpinionGroup.PEOPLE, OpinionGroup.FARMERS], "Bà con lo chi phí vụ Đông tăng.",
                        "Phối hợp Hội Nông dân hướng dẫn bón phân tiết kiệm.", reported_up=True)


def test_an_entry_is_kept_whole_listed_and_audited(db, clerk, entry):
    opinion_id = register.create(db, clerk, entry)
    detail = register.get(db, clerk, opinion_id)
    assert detail.data.groups == [OpinionGroup.FARMERS, OpinionGroup.PEOPLE]   # in the list's order
    assert (detail.data.topic, detail.data.tendency, detail.data.reported_up) == (
        "Giá phân bón tăng cao", OpinionTendency.WORRYING, True)
    [row] = listing.list_page(db, clerk, listing.OpinionFilter(text="phan bon tang", start=entry.noted_on))
    assert (row.id, row.groups, row.unit_name) == (opinion_id, "Nông dân; Nhân dân",
                                                   unit_by_code(db, clerk, "PHONGNIEN-01").name)
    assert listing.by_tendency(db, clerk, listing.OpinionFilter(start=entry.noted_on)) == {OpinionTendency.WORRYING: 1}
    with db.session_scope() as session:
        audited = session.scalars(select(AuditEntry.summary).where(AuditEntry.entity == "opinion")).all()
    assert audited == ["Ghi dư luận «Giá phân bón tăng cao»"]

    register.update(db, clerk, opinion_id, replace(detail.data, groups=[OpinionGroup.YOUTH]),
                    expected_version=detail.version)
    assert register.get(db, clerk, opinion_id).data.groups == [OpinionGroup.YOUTH]
    with pytest.raises(Conflict, match="nhaplieu"):   # an old copy is refused, naming who saved since
        register.update(db, clerk, opinion_id, detail.data, expected_version=detail.version)
    register.delete(db, clerk, opinion_id, expected_version=detail.version + 1)
    assert listing.count(db, clerk, listing.OpinionFilter(start=entry.noted_on)) == 0


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"unit_id": None}, "unit_id", "Hãy chọn đơn vị nắm bắt."),
    ({"noted_on": None}, "noted_on", "Hãy nhập ngày nắm bắt."),
    ({"noted_on": "tomorrow"}, "noted_on", "Ngày nắm bắt không được ở tương lai."),
    ({"topic": "   "}, "topic", "Hãy ghi vấn đề"),
    ({"topic": "x" * 301}, "topic", "Vấn đề dài quá 300 ký tự."),
    ({"heard_at": ""}, "heard_at", "Hãy ghi nơi nắm bắt"),
    ({"tendency": None}, "tendency", "Hãy chọn chiều hướng"),
    ({"tendency": "nonsense"}, "tendency", "Hãy chọn chiều hướng"),
    ({"groups": []}, "groups", "Hãy chọn ít nhất một đối tượng"),
    ({"groups": ["strangers"]}, "groups", "Đối tượng không có trong danh sách."),
    ({"content": ""}, "content", "Hãy ghi tóm tắt ý kiến"),
    ({"content": "Ông Sính, số 0912 345 678, nói…"}, "content", "không ghi số điện thoại, số căn cước"),
    ({"action": "Đã gặp người có CCCD 015090001234"}, "action", "không ghi số điện thoại, số căn cước"),
    ({"document_id": 999_999}, "document_id", "Văn bản đã chọn không còn trong sổ văn bản."),
])
def test_bad_input_is_refused_by_field_and_nothing_is_saved(db, clerk, entry, change, field, words):
    if change.get("noted_on") == "tomorrow":
        change = {"noted_on": clock.today() + timedelta(days=1)}
    before = live_count(db)
    with pytest.raises(ValidationError) as caught:
        register.create(db, clerk, replace(entry, **change))
    assert words in caught.value.errors[field]
    assert live_count(db) == before


def test_only_clerks_write_and_only_in_their_own_units(db, clerk, leader, inspector, admin, entry):
    for reader in (leader, inspector):
        with pytest.raises(PermissionDenied):
            register.create(db, reader, entry)
    elsewhere = replace(entry, unit_id=unit_by_code(db, admin, "XUANQUANG").id)
    with pytest.raises(PermissionDenied):
        register.create(db, clerk, elsewhere)
    # The clerk's list holds his commune's entries only; the leader's holds them all.
    everywhere = listing.count(db, leader, listing.OpinionFilter())
    mine = listing.count(db, clerk, listing.OpinionFilter())
    assert 0 < mine < everywhere
    with db.session_scope() as session:
        assert everywhere == session.scalar(select(func.count()).select_from(Opinion))


def sql_counts(db, period: Period, unit_ids: set[int] | None = None) -> tuple[int, dict, set[str]]:
    """The period's entries counted the plain way: all, per tendency, and the topics."""
    with db.session_scope() as session:
        rows = session.execute(select(Opinion.tendency, Opinion.topic, Opinion.unit_id).where(
            Opinion.noted_on.between(period.start, period.end), Opinion.deleted_at.is_(None))).all()
    if unit_ids is not None:
        rows = [row for row in rows if row.unit_id in unit_ids]
    tendencies: dict[str, int] = {}
    for row in rows:
        tendencies[row.tendency] = tendencies.get(row.tendency, 0) + 1
    return len(rows), tendencies, {row.topic for row in rows}


def test_section_one_is_drafted_from_the_periods_entries_with_the_registers_counts(db, leader):
    total, tendencies, topics = sql_counts(db, Period.year(2025))
    found = section.situation(db, leader, Period.year(2025))
    assert found.entries == total > 20
    assert {t.value: n for t, n in found.by_tendency.items()} == tendencies
    assert sum(topic.entries for topic in found.topics) + found.other_entries == total
    text = section.draft(db, leader, Period.year(2025))
    assert text.startswith(f"Trong năm, các cấp ủy, tổ chức đảng nắm bắt {total} ý kiến, dư luận")
    for tendency in OpinionTendency:
        assert f"{tendencies[tendency]} {tendency.label.lower()}" in text.splitlines()[0]
    assert all(f"- {topic}:" in text for topic in topics)        # every topic named, once
    worrying = [topic for topic in found.topics if OpinionTendency.WORRYING in topic.by_tendency]
    assert found.topics[:len(worrying)] == worrying               # the worrying ones first


def test_a_clerks_draft_covers_his_commune_and_an_empty_period_drafts_nothing(db, clerk, admin):
    mine = scope_ids(db, clerk)
    total, _tendencies, topics = sql_counts(db, OCTOBER, mine)
    text = section.draft(db, clerk, OCTOBER)
    assert (f"nắm bắt {total} ý kiến" in text) if total else text == ""
    assert all(topic in text for topic in topics)
    assert "Bảo Thắng" not in text                                # the district's own are not his
    assert section.draft(db, clerk, Period.month(2023, 5)) == ""  # the register starts in 2024


def test_the_draft_words_one_entry_and_groups_as_an_office_writes(db, clerk, entry):
    period = Period.between(entry.noted_on, entry.noted_on)
    with db.session_scope() as session:   # this entry alone on its day
        session.execute(Opinion.__table__.update().where(Opinion.noted_on == entry.noted_on)
                        .values(noted_on=entry.noted_on - timedelta(days=400)))
    register.create(db, clerk, entry)
    first, line = section.draft(db, clerk, period).splitlines()
    assert first == ("Trong kỳ, các cấp ủy, tổ chức đảng nắm bắt 1 ý kiến, dư luận của cán bộ, đảng viên và Nhân dân "
                     "ở một đơn vị (đáng lo ngại). Dư luận tập trung vào vấn đề sau:")
    assert line == (f"- Giá phân bón tăng cao: 1 ý kiến đáng lo ngại trong nông dân và Nhân dân, nắm bắt ở "
                    f"{unit_by_code(db, clerk, 'PHONGNIEN-01').name}. Bà con lo chi phí vụ Đông tăng. Cách xử lý: "
                    "Phối hợp Hội Nông dân hướng dẫn bón phân tiết kiệm. Đã báo cáo cấp trên.")


def test_an_entry_made_at_a_commune_travels_up_and_enters_the_districts_draft(db, admin, leader, commune, entry,
                                                                              tmp_path):
    from tests.conftest import signed_in
    from tests.services.test_exchange import introduce, receive, send

    district_clerk = signed_in(db, "nhaplieu")
    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    receive(commune_db, commune_clerk, send(db, district_clerk, commune_db, tmp_path, "xuong.goitd"))
    at_commune = replace(entry, unit_id=unit_by_code(commune_db, commune_clerk, "PHONGNIEN").id,
                         topic="Lo ngại thiếu nước tưới vụ Đông")
    register.create(commune_db, commune_clerk, at_commune)
    up = receive(db, district_clerk, send(commune_db, commune_clerk, db, tmp_path, "len.goitd"))
    assert [item.title for item in up.items if item.category == "new"] == [
        f"Lo ngại thiếu nước tưới vụ Đông ({entry.noted_on:%d/%m/%Y})"]
    period = Period.between(entry.noted_on, entry.noted_on)
    assert "- Lo ngại thiếu nước tưới vụ Đông: 1 ý kiến đáng lo ngại trong nông dân và Nhân dân, nắm bắt ở Đảng bộ " \
           "xã Phong Niên." in section.draft(db, leader, period)


def test_an_amount_of_money_or_land_is_no_phone_number(db, clerk, entry):
    said = replace(entry, content="Các hộ đề nghị bồi thường 500.000.000 đồng cho 1.500.000 m2 đất.")
    assert register.get(db, clerk, register.create(db, clerk, said)).data.content == said.content
