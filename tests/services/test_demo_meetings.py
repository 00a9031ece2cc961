"""The demo's sessions are ones the service itself would accept, with counts that match their lines."""

from __future__ import annotations

import random

from sqlalchemy import func, select

from app.models import Attendance, Meeting, MeetingDocument
from app.models.enums import MeetingForm, MeetingKind, MeetingStatus, Presence
from app.services import documents, meetings


def test_every_kind_form_and_status_and_every_document_is_in_the_demo(db, admin):
    with db.session_scope() as session:
        kinds = set(session.scalars(select(Meeting.kind).distinct()))
        forms = set(session.scalars(select(Meeting.form).distinct()))
        statuses = set(session.scalars(select(Meeting.status).distinct()))
        studied = set(session.scalars(select(MeetingDocument.document_id).distinct()))
        made_up = session.scalar(select(func.count()).where(Attendance.made_up_on.is_not(None)))
        guests = session.scalar(select(func.count()).where(Attendance.is_guest))
    assert kinds == set(MeetingKind) and forms == set(MeetingForm)
    assert {MeetingStatus.HELD, MeetingStatus.PLANNED} <= statuses
    assert studied == {row.id for row in documents.search(db, admin, limit=100)}
    assert made_up > 0 and guests > 0


def test_the_cached_counts_equal_the_roster_lines(db):
    with db.session_scope() as session:
        counted = dict(session.execute(select(Attendance.meeting_id, func.count())
                                       .where(Attendance.presence == Presence.PRESENT, Attendance.is_guest.is_(False))
                                       .group_by(Attendance.meeting_id)).all())
        for meeting_id, present in session.execute(select(Meeting.id, Meeting.present_count)):
            assert counted.get(meeting_id, 0) == present, meeting_id


def test_demo_sessions_reopen_and_save_unchanged(db, admin):
    with db.session_scope() as session:
        ids = session.scalars(select(Meeting.id).where(Meeting.expected_count > 0).order_by(Meeting.id)).all()
    for meeting_id in random.Random(3).sample(ids, 15):
        detail = meetings.get(db, admin, meeting_id)
        assert all(line.expected for line in detail.data.roster)
        meetings.update(db, admin, meeting_id, detail.data, expected_version=detail.version)


def test_the_seeds_chain_and_the_tracked_documents_are_in_the_demo(db, admin):
    from app.services.documents import coverage

    by_number = {row.number: row.id for row in documents.search(db, admin, limit=100)}
    chain = [(line.depth, line.document.number) for line in documents.chain(db, admin, by_number["52-HD/BTGTU"])]
    assert chain[:3] == [(0, "99-QĐ/TW"), (1, "54-KL/TW"), (2, "223-KH/TU")]
    assert (3, "52-HD/BTGTU") in chain and (4, "118-KH/HU") in chain
    states: set[str] = set()
    below = 0
    for number in ("118-KH/HU", "35-CT/TW", "57-NQ/TW"):
        cover = coverage.for_document(db, admin, by_number[number])
        assert cover.deadline is not None and cover.lines
        states |= {line.state for line in cover.lines}
        below += cover.below_target
    assert {coverage.DONE, coverage.LATE, coverage.OVERDUE} <= states and below > 0


def test_materials_of_every_kind_with_distribution_and_a_log_for_every_commune(db):
    from app.models import Broadcast, Distribution, Material, Unit
    from app.models.enums import MaterialKind, UnitKind

    with db.session_scope() as session:
        kinds = set(session.scalars(select(Material.kind).distinct()))
        over = session.scalar(select(func.count()).where(Material.distributed > Material.quantity))
        given = dict(session.execute(select(Distribution.material_id, func.sum(Distribution.quantity))
                                     .group_by(Distribution.material_id)).all())
        kept = dict(session.execute(select(Material.id, Material.distributed)).all())
        communes = set(session.scalars(select(Unit.id).where(Unit.kind == UnitKind.DANG_BO_CO_SO)))
        stations = set(session.scalars(select(Broadcast.unit_id).distinct()))
    assert kinds == set(MaterialKind) and over == 0 and given
    assert all(kept[material_id] == total for material_id, total in given.items())
    assert stations == communes
