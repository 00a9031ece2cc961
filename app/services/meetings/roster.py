"""The roster of a session: who is expected on its date, the marks checked line by line, the counts kept.

The expected roster is the members active and not exempt in the session's units on its date
(DOMAIN.md); outsiders come only as guests.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Meeting, Membership, Person, Unit, UnitVersion
from app.models.enums import MeetingStatus, Presence
from app.services import units
from app.services.auth import Actor, Permission, require
from app.services.meetings.figures import CROWD_GROUPS
from app.services.numbers import short_date
from app.services.people import members_on
from app.services.scope import require_unit_in_scope
from app.services.search import clean

if TYPE_CHECKING:
    from app.services.meetings.record import MeetingInput

LISTED_NAMES = 5  # names quoted in a message before "và N người nữa"


@dataclass
class RosterLine:
    """One roster line as the dialog shows it; the last fields are shown, never saved."""

    person_id: int | None = None
    presence: Presence | None = None
    reason: str = ""
    is_guest: bool = False
    guest_name: str = ""
    guest_note: str = ""
    made_up_on: date | None = None
    made_up_how: str = ""
    made_up_meeting_id: int | None = None
    attendance_id: int | None = None    # tells guests apart between saves
    full_name: str = ""
    birth_year: int | None = None
    unit_name: str = ""
    expected: bool = True               # False: no longer a member of the units on the date

    @property
    def name(self) -> str:
        return self.full_name or clean(self.guest_name)

    @property
    def attended(self) -> bool:
        return self.presence is Presence.PRESENT or self.made_up_on is not None

# ---- the expected roster ------------------------------------------------------------------------

def default_units(session: Session, unit_id: int, on: date) -> list[int]:
    """A chi bộ's session expects its own members; a đảng bộ's expects nobody until units are chosen."""
    unit = session.get(Unit, unit_id)
    return [unit_id] if unit is not None and unit.kind.holds_members else []


def expected_lines(session: Session, unit_ids: list[int], on: date) -> list[RosterLine]:
    """Members active and not exempt in these units on the date, in Vietnamese name order."""
    if not unit_ids:
        return []
    names = units.in_force(on).with_only_columns(Unit.id.label("unit_id"), UnitVersion.name).subquery()
    rows = session.execute(
        members_on(session, unit_ids, on)
        .with_only_columns(Person.id, Person.full_name, Person.birth_year, names.c.name)
        .join_from(Membership, Person, Person.id == Membership.person_id)
        .join(names, names.c.unit_id == Membership.unit_id)
        .where(Person.deleted_at.is_(None))
        .order_by(Person.name_sort, Person.id))
    return [RosterLine(person_id=pid, full_name=name, birth_year=year, unit_name=unit_name)
            for pid, name, year, unit_name in rows]


def expected_roster(db: Database, actor: Actor, unit_ids: list[int], on: date) -> list[RosterLine]:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        for unit_id in unit_ids:
            require_unit_in_scope(session, actor, unit_id, on)
        return expected_lines(session, unit_ids, on)


def units_for(db: Database, actor: Actor, unit_id: int, on: date) -> list[int]:
    with db.session_scope() as session:
        return default_units(session, unit_id, on)


def member_unit_choices(db: Database, actor: Actor, unit_id: int, on: date) -> list[units.UnitNode]:
    """The chi bộ under a đảng bộ whose members a session of it may expect (none under a chi bộ)."""
    with db.session_scope() as session:
        subtree = units.subtree_ids(session, unit_id, on)
        return [node for node in units.nodes_on(session, on)
                if node.id in subtree and node.id != unit_id and node.kind.holds_members and node.active]


def merge_roster(stored: list[RosterLine], expected: list[RosterLine]) -> list[RosterLine]:
    """Stored marks kept for people still expected, new members added unmarked, the others flagged.

    Used when a session is opened again and when its date or units change in the dialog.
    """
    by_person = {line.person_id: line for line in stored if line.person_id is not None and not line.is_guest}
    merged = []
    for line in expected:
        kept = by_person.pop(line.person_id, None)
        merged.append(replace(kept, full_name=line.full_name, birth_year=line.birth_year,
                              unit_name=line.unit_name, expected=True) if kept else line)
    merged += [replace(line, expected=False) for line in by_person.values()]
    merged += [line for line in stored if line.is_guest]
    return merged


# ---- checking input -----------------------------------------------------------------------------

def names_list(names: list[str]) -> str:
    shown = ", ".join(names[:LISTED_NAMES])
    return shown + (f" và {len(names) - LISTED_NAMES} người nữa" if len(names) > LISTED_NAMES else "")


def person_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Person.id, Person.full_name).where(Person.id.in_(sorted(ids)))).all())


def check_roster(session: Session, data: MeetingInput, today: date, errors: dict[str, str]) -> list[RosterLine]:
    """Cleaned roster lines; each problem under "roster.N" (N counted from 1, as the dialog numbers rows)."""
    expected = {line.person_id: line.full_name for line in expected_lines(session, data.unit_ids, data.held_on)}
    names = person_names(session, {line.person_id for line in data.roster if line.person_id} - set(expected))
    names.update(expected)
    seen: dict[int, int] = {}
    cleaned: list[RosterLine] = []
    on = short_date(data.held_on)
    for number, line in enumerate(data.roster, start=1):
        key = f"roster.{number}"
        line = replace(line, reason=clean(line.reason), guest_name=clean(line.guest_name),
                       guest_note=clean(line.guest_note), made_up_how=clean(line.made_up_how),
                       presence=Presence(line.presence) if line.presence else None)
        if line.person_id is None:
            if not line.is_guest:
                errors[key] = f"Dòng {number}: chưa chọn người."
            elif not line.guest_name:
                errors[key] = f"Dòng {number}: khách mời cần có họ và tên."
            cleaned.append(replace(line, presence=Presence.PRESENT))
            continue
        if line.person_id not in names:
            errors[key] = f"Dòng {number}: không tìm thấy người này."
            continue
        name = names[line.person_id]
        if line.person_id in seen:
            errors[key] = f"Dòng {number}: {name} có hai lần trong danh sách (dòng {seen[line.person_id]} và {number})."
            continue
        seen[line.person_id] = number
        if line.is_guest:
            if line.person_id in expected:
                errors[key] = f"Dòng {number}: {name} là đảng viên của đơn vị dự họp, không phải khách mời."
            cleaned.append(replace(line, presence=Presence.PRESENT, made_up_on=None, made_up_how="",
                                   made_up_meeting_id=None, full_name=name))
            continue
        if line.person_id not in expected:
            errors[key] = (f"Dòng {number}: {name} không sinh hoạt ở chi bộ dự họp vào ngày {on}; "
                           f"hãy đánh dấu là khách mời hoặc bỏ khỏi danh sách.")
        elif line.presence is Presence.EXCUSED and not line.reason:
            errors[key] = f"Dòng {number}: {name} vắng có lý do — hãy ghi lý do."
        elif line.made_up_on is not None:
            if line.presence not in (Presence.EXCUSED, Presence.UNEXCUSED):
                errors[key] = f"Dòng {number}: {name} không vắng nên không cần học bù."
            elif line.made_up_on < data.held_on:
                errors[key] = f"Dòng {number}: ngày học bù của {name} phải từ ngày {on} trở đi."
            elif line.made_up_on > today:
                errors[key] = f"Dòng {number}: ngày học bù của {name} không được ở tương lai."
        cleaned.append(replace(line, full_name=name))
    missing = [name for pid, name in expected.items() if pid not in seen]
    if missing:
        errors["roster"] = f"Thiếu trong danh sách {len(missing)} người sinh hoạt ở chi bộ vào ngày {on}: {names_list(missing)}."
    if data.status is MeetingStatus.HELD:
        unmarked = [line.full_name for line in cleaned if line.person_id and not line.is_guest and line.presence is None]
        if unmarked:
            errors["roster"] = f"Còn {len(unmarked)} người chưa điểm danh: {names_list(unmarked)}."
    return cleaned


def recount(meeting: Meeting) -> None:
    """The counts kept on the session, from its own lines (lists sort and sum them in SQL)."""
    members = [a for a in meeting.attendance if not a.is_guest]
    meeting.expected_count = len(members)
    meeting.present_count = sum(a.presence is Presence.PRESENT for a in members)
    meeting.excused_count = sum(a.presence is Presence.EXCUSED for a in members)
    meeting.unexcused_count = sum(a.presence is Presence.UNEXCUSED for a in members)
    meeting.made_up_count = sum(a.made_up_on is not None for a in members)
    meeting.guest_count = sum(a.is_guest for a in meeting.attendance)
    meeting.crowd_total = sum(c.total for c in meeting.audience_counts if c.kind in CROWD_GROUPS)

