"""Dissemination sessions: the record saved whole, opened, deleted, and copied for many units.

A session is saved whole (fields, roster, crowds, presenters, documents, files) in one transaction,
and only if nobody else saved it since it was opened (its version). The roster (roster.py) is
checked with it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.clock import utcnow
from app.config import SETTINGS
from app.db import Database
from app.models import (
    Attendance,
    AudienceCount,
    Document,
    Meeting,
    MeetingDocument,
    MeetingFile,
    MeetingUnit,
    Presenter,
    StoredFile,
    Unit,
)
from app.models.enums import AudienceGroup, MeetingForm, MeetingKind, MeetingStatus, Presence
from app.services import audit, closed_periods, files, speakers, sync, units
from app.services.auth import Actor, Permission, require
from app.services.errors import Conflict, NotFound, ValidationError
from app.services.meetings.roster import (
    RosterLine,
    check_roster,
    default_units,
    expected_lines,
    merge_roster,
    person_names,
    recount,
)
from app.services.numbers import short_date
from app.services.scope import require_unit_in_scope
from app.services.search import clean, fold

MEETING_FIELDS = ("unit_id", "held_on", "starts_at", "ends_at", "title", "kind", "form", "bridge_points", "place",
                  "chair", "audience", "notes", "status")


@dataclass
class CrowdLine:
    kind: AudienceGroup
    total: int
    women: int = 0
    minority: int = 0


@dataclass
class PresenterLine:
    name: str
    title: str = ""
    speaker_id: int | None = None    # the register's entry; its name and title fill in what is left blank


@dataclass
class FileLine:
    """An attachment: new ones bring their bytes, stored ones their address."""

    name: str
    sha256: str | None = None
    data: bytes | None = None
    size: int = 0


@dataclass
class MeetingInput:
    unit_id: int | None
    held_on: date | None
    title: str
    kind: MeetingKind = MeetingKind.STUDY
    form: MeetingForm = MeetingForm.IN_PERSON
    status: MeetingStatus = MeetingStatus.HELD
    starts_at: time | None = None
    ends_at: time | None = None
    bridge_points: int | None = None
    place: str = ""
    chair: str = ""
    audience: str = ""
    notes: str = ""
    unit_ids: list[int] = field(default_factory=list)     # units whose members are expected
    document_ids: list[int] = field(default_factory=list)
    presenters: list[PresenterLine] = field(default_factory=list)
    roster: list[RosterLine] = field(default_factory=list)
    crowds: list[CrowdLine] = field(default_factory=list)
    files: list[FileLine] = field(default_factory=list)


@dataclass
class MeetingDetail:
    id: int
    version: int
    updated_by: str
    data: MeetingInput


# ---- checking input -----------------------------------------------------------------------------

def _check_unit(session: Session, actor: Actor, data: MeetingInput, errors: dict[str, str]) -> None:
    unit = session.get(Unit, data.unit_id) if data.unit_id else None
    if unit is None or unit.deleted_at is not None:
        errors["unit_id"] = "Hãy chọn đơn vị tổ chức."
        return
    require_unit_in_scope(session, actor, unit.id, data.held_on)
    if data.held_on is None:
        return
    closed_periods.require_open(session, unit.id, data.held_on, field="held_on")
    if not any(v.valid_from <= data.held_on for v in unit.versions):
        founded = min(v.valid_from for v in unit.versions)
        errors["unit_id"] = (f"«{unit.versions[0].name}» có trong phần mềm từ ngày {short_date(founded)}, sau ngày "
                             f"{short_date(data.held_on)} của hội nghị. Nếu đơn vị đã có từ trước, quản trị viên hãy "
                             "lùi ngày ở trang «Đơn vị» › «Sửa ngày thành lập» (hoặc kiểm tra lại ngày hội nghị).")
    elif unit.deactivated_on and unit.deactivated_on <= data.held_on:
        errors["unit_id"] = f"Đơn vị này đã ngừng hoạt động từ {short_date(unit.deactivated_on)}."
    subtree = units.subtree_ids(session, unit.id, data.held_on)
    for member_unit in data.unit_ids:
        found = session.get(Unit, member_unit)
        if member_unit not in subtree or found is None:
            errors["unit_ids"] = "Các chi bộ dự họp phải thuộc đơn vị tổ chức."
        elif not found.kind.holds_members:
            errors["unit_ids"] = "Chỉ chọn chi bộ (nơi đảng viên sinh hoạt) làm đơn vị dự họp."


def _check_crowds(crowds: list[CrowdLine], errors: dict[str, str]) -> list[CrowdLine]:
    seen: set[AudienceGroup] = set()
    kept = []
    for line in crowds:
        kind = AudienceGroup(line.kind)
        key, label = f"crowd.{kind.value}", kind.label
        if kind in seen:
            errors[key] = f"Nhóm «{label}» được nhập hai lần."
        seen.add(kind)
        numbers = {"tổng số": line.total, "số nữ": line.women, "số người dân tộc thiểu số": line.minority}
        negative = [name for name, value in numbers.items() if value is None or value < 0]
        if negative:
            errors[key] = f"{label}: {negative[0]} không được âm."
        elif line.women > line.total:
            errors[key] = f"{label}: số nữ ({line.women}) lớn hơn tổng số ({line.total})."
        elif line.minority > line.total:
            errors[key] = f"{label}: số người dân tộc thiểu số ({line.minority}) lớn hơn tổng số ({line.total})."
        if line.total or line.women or line.minority:
            kept.append(CrowdLine(kind, line.total, line.women, line.minority))
    return kept


def _validate(session: Session, actor: Actor, data: MeetingInput, today: date) -> MeetingInput:
    errors: dict[str, str] = {}
    kind, form, status = MeetingKind(data.kind), MeetingForm(data.form), MeetingStatus(data.status)
    data = replace(data, kind=kind, form=form, status=status, title=clean(data.title), place=clean(data.place)[:200],
                   chair=clean(data.chair)[:200], audience=clean(data.audience)[:300], notes=(data.notes or "").strip(),
                   unit_ids=list(dict.fromkeys(data.unit_ids)), document_ids=list(dict.fromkeys(data.document_ids)))
    if data.held_on is None:
        errors["held_on"] = "Hãy nhập ngày tổ chức."
    elif status is MeetingStatus.HELD and data.held_on > today:
        errors["held_on"] = "Buổi «Đã tổ chức» không thể ở ngày tương lai; hãy để trạng thái «Dự kiến»."
    if not data.title:
        errors["title"] = "Hãy ghi tên hội nghị, buổi sinh hoạt."
    elif len(data.title) > 300:
        errors["title"] = "Tên hội nghị dài quá 300 ký tự."
    if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
        errors["ends_at"] = f"Giờ kết thúc ({data.ends_at:%H:%M}) phải sau giờ bắt đầu ({data.starts_at:%H:%M})."
    if form.has_bridge_points:
        if data.bridge_points is None or data.bridge_points < 1:
            errors["bridge_points"] = f"Hình thức {form.label.lower()}: hãy nhập số điểm cầu (từ 1 trở lên)."
    else:
        data.bridge_points = None
    _check_unit(session, actor, data, errors)
    if data.document_ids:
        found = set(session.scalars(select(Document.id).where(Document.id.in_(data.document_ids),
                                                               Document.deleted_at.is_(None))))
        if found != set(data.document_ids):
            errors["document_ids"] = "Có văn bản không còn trong sổ văn bản; hãy chọn lại."
    presenters = speakers.lines_checked(session, data.presenters, errors)
    crowds = _check_crowds(data.crowds, errors)
    roster = check_roster(session, data, today, errors) if data.held_on and "unit_id" not in errors else []
    for line in data.files:
        if not clean(line.name):
            errors["files"] = "Tệp đính kèm cần có tên."
    if errors:
        raise ValidationError(errors)
    return replace(data, presenters=presenters, crowds=crowds, roster=roster)


def read_attachment(path: Path) -> FileLine:
    """The bytes of a file to attach, or a message naming it (too large, unreadable)."""
    limit = SETTINGS.file_max_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            raise ValidationError.one("files", f"Tệp «{path.name}» lớn quá {limit // (1024 * 1024)} MB.")
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError.one("files", f"Không đọc được tệp «{path.name}»: {error.strerror or error}.") from error
    if not data:
        raise ValidationError.one("files", f"Tệp «{path.name}» rỗng.")
    return FileLine(name=path.name, data=data, size=len(data))


# ---- writing ------------------------------------------------------------------------------------

def _apply(session: Session, meeting: Meeting, data: MeetingInput) -> None:
    for name in MEETING_FIELDS:
        setattr(meeting, name, getattr(data, name))
    meeting.title_folded = fold(data.title)
    meeting.units = [MeetingUnit(unit_id=unit_id) for unit_id in data.unit_ids]
    meeting.documents = [MeetingDocument(document_id=doc_id) for doc_id in data.document_ids]
    meeting.presenters = [Presenter(position=n, name=p.name, title=p.title, speaker_id=p.speaker_id)
                          for n, p in enumerate(data.presenters)]
    meeting.audience_counts = [AudienceCount(kind=c.kind, total=c.total, women=c.women, minority=c.minority)
                               for c in data.crowds]
    old_files = {(f.sha256, f.name): f for f in meeting.files}
    kept_files = []
    for line in data.files:
        digest = line.sha256 or files.store(session, line.data or b"", files.media_type_of(line.name), name=line.name)
        kept_files.append(old_files.get((digest, line.name)) or MeetingFile(sha256=digest, name=line.name))
    meeting.files = kept_files
    members = {a.person_id: a for a in meeting.attendance if a.person_id is not None}
    guests = {a.id: a for a in meeting.attendance if a.person_id is None}
    rows = []
    for line in data.roster:
        row = members.pop(line.person_id, None) if line.person_id else guests.pop(line.attendance_id, None)
        row = row or Attendance()
        row.person_id, row.is_guest, row.presence, row.reason = line.person_id, line.is_guest, line.presence, line.reason
        row.guest_name = line.guest_name if line.person_id is None else None
        row.guest_note = line.guest_note
        row.made_up_on, row.made_up_how, row.made_up_meeting_id = line.made_up_on, line.made_up_how, line.made_up_meeting_id
        rows.append(row)
    meeting.attendance = rows
    recount(meeting)


def _summary_of(meeting: Meeting) -> dict:
    return {**audit.snapshot(meeting, MEETING_FIELDS), "expected": meeting.expected_count,
            "present": meeting.present_count, "excused": meeting.excused_count,
            "unexcused": meeting.unexcused_count, "made_up": meeting.made_up_count, "guests": meeting.guest_count,
            "crowd": meeting.crowd_total}


def _made_up_days(meeting: Meeting) -> Counter:
    """The days of the session's make-ups as the figures count them (a session not held counts none)."""
    if meeting.status is not MeetingStatus.HELD:
        return Counter()
    return Counter(line.made_up_on for line in meeting.attendance if line.made_up_on is not None)


def _marks(meeting: Meeting) -> dict[int, Presence | None]:
    return {a.person_id: a.presence for a in meeting.attendance if a.person_id is not None}


def _mark_changes(before: dict[int, Presence | None], after: dict[int, Presence | None],
                  names: dict[int, str]) -> list[str]:
    changed = []
    for pid in sorted(set(before) | set(after), key=lambda p: names.get(p, "")):
        old, new = before.get(pid), after.get(pid)
        if old != new:
            label = lambda p: p.label if p else "chưa điểm danh"  # noqa: E731
            changed.append(f"{names.get(pid, pid)}: {label(old)} → {label(new)}")
    return changed


def add_in(session: Session, db: Database, actor: Actor, data: MeetingInput, *, today: date | None = None) -> Meeting:
    """Add a checked session inside an open transaction (the dialog, copies, the import)."""
    data = _validate(session, actor, data, today or clock.today())
    meeting = Meeting()
    sync.stamp_new(db, meeting, actor)
    _apply(session, meeting, data)
    session.add(meeting)
    session.flush()
    audit.record(session, actor, "tạo", "meeting", meeting.id,
                 f"Thêm «{meeting.title}» ngày {short_date(meeting.held_on)}", after=_summary_of(meeting))
    return meeting


def create(db: Database, actor: Actor, data: MeetingInput) -> int:
    require(actor, Permission.EDIT_MEETINGS)
    with db.session_scope() as session:
        return add_in(session, db, actor, data).id


def load(session: Session, meeting_id: int) -> Meeting:
    meeting = session.scalar(select(Meeting).where(Meeting.id == meeting_id).options(
        selectinload(Meeting.attendance), selectinload(Meeting.units), selectinload(Meeting.documents),
        selectinload(Meeting.presenters), selectinload(Meeting.audience_counts), selectinload(Meeting.files)))
    if meeting is None or meeting.deleted_at is not None:
        raise NotFound("Không tìm thấy hội nghị này (có thể đã bị xóa).")
    return meeting


def _conflict(meeting: Meeting) -> Conflict:
    return sync.changed_meanwhile(meeting, f"«{meeting.title}»")


def _load_for_change(session: Session, actor: Actor, meeting_id: int, expected_version: int) -> Meeting:
    meeting = load(session, meeting_id)
    require_unit_in_scope(session, actor, meeting.unit_id, meeting.held_on)
    if meeting.version != expected_version:
        raise _conflict(meeting)
    return meeting


def update(db: Database, actor: Actor, meeting_id: int, data: MeetingInput, *, expected_version: int,
           today: date | None = None) -> None:
    require(actor, Permission.EDIT_MEETINGS)
    try:
        with db.session_scope() as session:
            meeting = _load_for_change(session, actor, meeting_id, expected_version)
            closed_periods.require_open(session, meeting.unit_id, meeting.held_on, field="held_on")   # as it stood
            data = _validate(session, actor, data, today or clock.today())
            before, marks_before, made_up_before = _summary_of(meeting), _marks(meeting), _made_up_days(meeting)
            _apply(session, meeting, data)
            made_up_after = _made_up_days(meeting)
            closed_periods.require_open(session, meeting.unit_id,
                                 *sorted((made_up_before - made_up_after) + (made_up_after - made_up_before)),
                                 field="roster")
            sync.touch(meeting, actor)
            session.flush()
            names = {line.person_id: line.full_name for line in data.roster if line.person_id}
            names.update(person_names(session, set(marks_before) - set(names)))
            changes = _mark_changes(marks_before, _marks(meeting), names)
            after = _summary_of(meeting)
            if changes:
                after["marks"] = "; ".join(changes[:50])
            audit.record(session, actor, "sửa", "meeting", meeting.id,
                         f"Sửa «{meeting.title}» ngày {short_date(meeting.held_on)}", before=before, after=after)
    except StaleDataError as error:
        with db.session_scope() as session:
            raise _conflict(load(session, meeting_id)) from error


def delete(db: Database, actor: Actor, meeting_id: int, *, expected_version: int) -> None:
    """A tombstone: the row stays (exchange carries the deletion), hidden from lists and figures."""
    require(actor, Permission.EDIT_MEETINGS)
    with db.session_scope() as session:
        meeting = _load_for_change(session, actor, meeting_id, expected_version)
        closed_periods.require_open(session, meeting.unit_id, meeting.held_on, *_made_up_days(meeting), field="meeting")
        made_up_there = session.scalar(select(Attendance.id).where(Attendance.made_up_meeting_id == meeting.id).limit(1))
        if made_up_there is not None:
            raise ValidationError.one("meeting", "Có đảng viên đã học bù tại buổi này; hãy sửa phần học bù trước khi xóa.")
        meeting.deleted_at = utcnow()
        sync.touch(meeting, actor)
        audit.record(session, actor, "xóa", "meeting", meeting.id,
                     f"Xóa «{meeting.title}» ngày {short_date(meeting.held_on)}", before=_summary_of(meeting))


def get(db: Database, actor: Actor, meeting_id: int) -> MeetingDetail:
    """The session as the dialog edits it, its roster reconciled with today's view of the members."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        meeting = load(session, meeting_id)
        require_unit_in_scope(session, actor, meeting.unit_id, meeting.held_on)
        names = person_names(session, {a.person_id for a in meeting.attendance if a.person_id})
        stored = [RosterLine(person_id=a.person_id, presence=a.presence, reason=a.reason, is_guest=a.is_guest,
                             guest_name=a.guest_name or "", guest_note=a.guest_note, made_up_on=a.made_up_on,
                             made_up_how=a.made_up_how, made_up_meeting_id=a.made_up_meeting_id,
                             attendance_id=a.id, full_name=names.get(a.person_id, ""))
                  for a in meeting.attendance]
        unit_ids = [u.unit_id for u in meeting.units]
        roster = merge_roster(stored, expected_lines(session, unit_ids, meeting.held_on))
        data = MeetingInput(**{name: getattr(meeting, name) for name in MEETING_FIELDS},
                            unit_ids=unit_ids, document_ids=[d.document_id for d in meeting.documents],
                            presenters=[PresenterLine(p.name, p.title, p.speaker_id) for p in meeting.presenters],
                            roster=roster,
                            crowds=[CrowdLine(c.kind, c.total, c.women, c.minority) for c in meeting.audience_counts],
                            files=[FileLine(f.name, f.sha256, size=session.get(StoredFile, f.sha256).size)
                                   for f in meeting.files])
        return MeetingDetail(meeting.id, meeting.version, meeting.updated_by, data)


def file_bytes(db: Database, actor: Actor, meeting_id: int, sha256: str) -> bytes:
    """An attachment's bytes, for opening it from the dialog."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        meeting = load(session, meeting_id)
        require_unit_in_scope(session, actor, meeting.unit_id, meeting.held_on)
        if all(f.sha256 != sha256 for f in meeting.files):
            raise NotFound("Tệp này không đính kèm hội nghị này.")
        return files.load(session, sha256)


def copy_for_units(db: Database, actor: Actor, meeting_id: int, unit_ids: list[int]) -> list[int]:
    """Nhân bản cho nhiều đơn vị: one session per unit in one transaction, each with its own roster.

    The copies keep the title, kind, form, time, documents, presenters and status of the original; a
    copy of a held session starts unmarked, so it is entered as planned until its marks are in.
    """
    require(actor, Permission.EDIT_MEETINGS)
    if not unit_ids:
        raise ValidationError.one("unit_ids", "Hãy chọn ít nhất một đơn vị để nhân bản.")
    with db.session_scope() as session:
        source = load(session, meeting_id)
        require_unit_in_scope(session, actor, source.unit_id, source.held_on)
        status = MeetingStatus.PLANNED if source.status is MeetingStatus.HELD else source.status
        created = []
        for unit_id in dict.fromkeys(unit_ids):
            if unit_id == source.unit_id:
                continue
            members = default_units(session, unit_id, source.held_on)
            roster = expected_lines(session, members, source.held_on)
            data = MeetingInput(**{name: getattr(source, name) for name in MEETING_FIELDS if name != "unit_id"},
                                unit_id=unit_id, unit_ids=members, document_ids=[d.document_id for d in source.documents],
                                presenters=[PresenterLine(p.name, p.title, p.speaker_id) for p in source.presenters],
                                roster=roster)
            data.status = status
            try:
                created.append(add_in(session, db, actor, data).id)
            except ValidationError as error:
                name = units.name_on(session, unit_id, source.held_on) or str(unit_id)
                raise ValidationError({f"unit.{unit_id}": f"{name}: {error}"}) from error
        return created

