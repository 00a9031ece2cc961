"""The register of báo cáo viên and tuyên truyền viên, and the presenter lines of sessions that name them.

Anyone who sees sessions picks from the whole register (a district báo cáo viên presents at a commune's
conference); a clerk adds and edits the entries of his own units. An entry is never deleted once a session
names it: it is marked as no longer presenting, and old sessions keep reading as they were held.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, tuple_
from sqlalchemy.orm import Session

from app import clock
from app.config import SETTINGS
from app.db import Database
from app.models import Presenter, Speaker, Unit
from app.models.enums import SpeakerLevel, SpeakerRole
from app.services import audit, sync, units
from app.services.auth import Actor, Permission, require
from app.services.errors import NotFound, ValidationError
from app.services.scope import require_unit_in_scope, unit_ids_wanted
from app.services.search import clean, each_word_like, fold

FIELDS = ("full_name", "title", "unit_id", "role", "level", "stopped_on")


@dataclass
class SpeakerInput:
    full_name: str
    title: str
    unit_id: int | None
    role: SpeakerRole | None = SpeakerRole.PRESENTER
    level: SpeakerLevel | None = None
    stopped_on: date | None = None


@dataclass(frozen=True)
class SpeakerRow:
    id: int
    full_name: str
    title: str
    unit_name: str
    role: SpeakerRole
    level: SpeakerLevel
    stopped_on: date | None
    appearances: int             # presenter lines naming this entry
    sort_value: Any = None

    @property
    def label(self) -> str:
        """"Nguyễn Thị Minh — Phó Trưởng Ban Tuyên giáo Huyện ủy" as a picker lists it."""
        return f"{self.full_name} — {self.title}" if self.title else self.full_name


def _enum(cls, value):
    try:
        return cls(value) if value else None
    except ValueError:
        return None


def _validate(session: Session, actor: Actor, data: SpeakerInput, today: date) -> SpeakerInput:
    errors: dict[str, str] = {}
    name, title = clean(data.full_name), clean(data.title)
    role, level = _enum(SpeakerRole, data.role), _enum(SpeakerLevel, data.level)
    if not name:
        errors["full_name"] = "Hãy ghi họ và tên báo cáo viên."
    elif len(name) > 120:
        errors["full_name"] = "Họ và tên dài quá 120 ký tự."
    if len(title) > 200:
        errors["title"] = "Chức vụ dài quá 200 ký tự."
    if role is None:
        errors["role"] = "Hãy chọn: báo cáo viên hay tuyên truyền viên."
    if level is None:
        errors["level"] = "Hãy chọn cấp: Trung ương, Tỉnh ủy, Huyện ủy hay cơ sở."
    if data.stopped_on is not None and data.stopped_on > today:
        errors["stopped_on"] = "Ngày thôi làm báo cáo viên không được ở tương lai."
    unit = session.get(Unit, data.unit_id) if data.unit_id is not None else None
    if unit is None or unit.deleted_at is not None:
        errors["unit_id"] = "Hãy chọn đơn vị công tác của báo cáo viên."
    else:
        require_unit_in_scope(session, actor, data.unit_id, today)
    if errors:
        raise ValidationError(errors)
    return replace(data, full_name=name, title=title, role=role, level=level)


def _apply(speaker: Speaker, data: SpeakerInput) -> None:
    for name in FIELDS:
        setattr(speaker, name, getattr(data, name))
    speaker.name_folded = fold(data.full_name)


def create(db: Database, actor: Actor, data: SpeakerInput, *, today: date | None = None) -> int:
    require(actor, Permission.EDIT_MEETINGS)
    with db.session_scope() as session:
        data = _validate(session, actor, data, today or clock.today())
        speaker = Speaker()
        _apply(speaker, data)
        sync.stamp_new(db, speaker, actor)
        session.add(speaker)
        session.flush()
        audit.record(session, actor, "tạo", "speaker", speaker.id, f"Thêm báo cáo viên {data.full_name}",
                     after=audit.snapshot(speaker, FIELDS))
        return speaker.id


def _load(session: Session, speaker_id: int) -> Speaker:
    speaker = session.get(Speaker, speaker_id)
    if speaker is None or speaker.deleted_at is not None:
        raise NotFound("Không tìm thấy báo cáo viên này (có thể đã bị xóa).")
    return speaker


def update(db: Database, actor: Actor, speaker_id: int, data: SpeakerInput, *, expected_version: int,
           today: date | None = None) -> None:
    require(actor, Permission.EDIT_MEETINGS)
    with db.session_scope() as session:
        speaker = _load(session, speaker_id)
        require_unit_in_scope(session, actor, speaker.unit_id)
        if speaker.version != expected_version:
            raise sync.changed_meanwhile(speaker, f"Báo cáo viên {speaker.full_name}")
        data = _validate(session, actor, data, today or clock.today())
        before = audit.snapshot(speaker, FIELDS)
        _apply(speaker, data)
        sync.touch(speaker, actor)
        session.flush()
        audit.record(session, actor, "sửa", "speaker", speaker_id, f"Sửa báo cáo viên {data.full_name}",
                     before=before, after=audit.snapshot(speaker, FIELDS))


def get(db: Database, actor: Actor, speaker_id: int) -> tuple[SpeakerInput, int]:
    """The entry and its version."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        speaker = _load(session, speaker_id)
        return SpeakerInput(**{name: getattr(speaker, name) for name in FIELDS}), speaker.version


def unit_name(db: Database, actor: Actor, speaker_id: int) -> str:
    """The entry's unit as named today (a dialog shows it when the unit is not among the user's own)."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        speaker = _load(session, speaker_id)
        return units.name_on(session, speaker.unit_id, clock.today()) or ""


# ---- the register's page and the picker ------------------------------------------------------------

@dataclass(frozen=True)
class SpeakerFilter:
    unit_id: int | None = None
    level: SpeakerLevel | None = None
    text: str = ""
    current_only: bool = False       # only those still presenting (the picker)


def _appearances() -> ColumnElement:
    return select(func.count()).where(Presenter.speaker_id == Speaker.id).scalar_subquery()


def _conditions(session: Session, actor: Actor, flt: SpeakerFilter) -> list[ColumnElement]:
    found: list[ColumnElement] = [Speaker.deleted_at.is_(None)]
    if flt.unit_id is not None:
        found.append(Speaker.unit_id.in_(sorted(unit_ids_wanted(session, actor, flt.unit_id) or {flt.unit_id})))
    if flt.level:
        found.append(Speaker.level == flt.level)
    if flt.current_only:
        found.append(Speaker.stopped_on.is_(None))
    return found + each_word_like(Speaker.name_folded, flt.text)


def list_page(db: Database, actor: Actor, flt: SpeakerFilter, *, sort: str = "name", descending: bool = False,
              after: tuple[Any, int] | None = None, limit: int | None = None) -> list[SpeakerRow]:
    require(actor, Permission.VIEW_MEETINGS)
    names = units.names_subquery(clock.today())
    key = {"name": Speaker.name_folded, "title": Speaker.title, "unit": names.c.name, "role": Speaker.role,
           "level": Speaker.level, "stopped_on": Speaker.stopped_on, "appearances": _appearances()}[sort]
    with db.session_scope() as session:
        query = (select(Speaker.id, Speaker.full_name, Speaker.title, names.c.name, Speaker.role, Speaker.level,
                        Speaker.stopped_on, _appearances(), key)
                 .join(names, names.c.unit_id == Speaker.unit_id).where(and_(*_conditions(session, actor, flt))))
        if after is not None:
            position = tuple_(key, Speaker.id)
            query = query.where(position < tuple_(*after) if descending else position > tuple_(*after))
        order = (key.desc(), Speaker.id.desc()) if descending else (key, Speaker.id)
        return [SpeakerRow(row_id, name, title, unit_name, SpeakerRole(role), SpeakerLevel(level), stopped, n, value)
                for row_id, name, title, unit_name, role, level, stopped, n, value
                in session.execute(query.order_by(*order).limit(limit or SETTINGS.page_size))]


def count(db: Database, actor: Actor, flt: SpeakerFilter) -> int:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Speaker).where(*_conditions(session, actor, flt)))


def by_level(db: Database, actor: Actor, flt: SpeakerFilter) -> dict[SpeakerLevel, int]:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        return {SpeakerLevel(level): n for level, n in session.execute(
            select(Speaker.level, func.count()).where(*_conditions(session, actor, flt)).group_by(Speaker.level))}


def choices(db: Database, actor: Actor) -> list[SpeakerRow]:
    """Everyone still presenting, for the session dialog's picker, by name."""
    return list_page(db, actor, SpeakerFilter(current_only=True), limit=2000)


# ---- a session's presenter lines --------------------------------------------------------------------

def lines_checked(session: Session, lines: list, errors: dict[str, str]) -> list:
    """A session's presenter lines cleaned: a line naming the register takes its name and title where it
    gives none; a line of text only (written before the register) stays as it is; an empty line goes."""
    wanted = {line.speaker_id for line in lines if line.speaker_id is not None}
    found = {speaker.id: speaker for speaker in session.scalars(select(Speaker).where(
        Speaker.id.in_(sorted(wanted)), Speaker.deleted_at.is_(None)))} if wanted else {}
    kept = []
    for line in lines:
        speaker = found.get(line.speaker_id) if line.speaker_id is not None else None
        if line.speaker_id is not None and speaker is None:
            errors["presenters"] = "Có báo cáo viên không còn trong danh sách báo cáo viên; hãy chọn lại."
            continue
        name = clean(line.name) or (speaker.full_name if speaker else "")
        title = clean(line.title) or (speaker.title if speaker else "")
        if name:
            kept.append(replace(line, name=name[:120], title=title[:200]))
    return kept
