"""People and memberships: the paged list, the record, membership changes, rosters by date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.clock import utcnow
from app.config import SETTINGS
from app.db import Database
from app.models import Membership, Person, Unit
from app.models.enums import Gender, MembershipStatus
from app.services import audit, units
from app.services.auth import Actor, Permission, require
from app.services.errors import Conflict, LooksLikeExisting, NotFound, ValidationError
from app.services.scope import require_unit_in_scope, scope_unit_ids
from app.services.search import clean, fold, like_pattern, name_sort_key
from app.services.sheets import FORMULA_LEADS

PERSON_FIELDS = ("full_name", "birth_year", "gender", "ethnicity", "position", "party_member")
EARLIEST_BIRTH_YEAR = 1900


@dataclass
class PersonInput:
    full_name: str
    birth_year: int | None = None
    gender: Gender | None = None
    ethnicity: str | None = None
    position: str | None = None
    party_member: bool = True


@dataclass(frozen=True)
class PeopleFilter:
    text: str = ""
    unit_id: int | None = None          # this unit and its subtree
    status: MembershipStatus | None = None


@dataclass(frozen=True)
class PersonRow:
    id: int
    full_name: str
    birth_year: int | None
    gender: Gender | None
    ethnicity: str | None
    position: str | None
    unit_name: str
    status: MembershipStatus
    unit_id: int              # to tell apart two units of one name (units.distinct_names)
    sort_value: Any


@dataclass(frozen=True)
class MembershipRow:
    unit_id: int
    unit_name: str
    status: MembershipStatus
    valid_from: date
    valid_to: date | None
    note: str


@dataclass
class PersonDetail:
    id: int
    version: int
    data: PersonInput
    memberships: list[MembershipRow] = field(default_factory=list)

    @property
    def current(self) -> MembershipRow:
        return self.memberships[-1]


SORTS = {
    "name": Person.name_sort,
    "birth_year": func.coalesce(Person.birth_year, 0),
    "status": Membership.status,
}


def validate(data: PersonInput, *, today: date | None = None) -> PersonInput:
    """Cleaned input, or a ValidationError naming each bad field."""
    today = today or clock.today()
    errors: dict[str, str] = {}
    name = clean(data.full_name)
    if not name:
        errors["full_name"] = "Họ và tên không được để trống."
    elif len(name) > 120:
        errors["full_name"] = "Họ và tên dài quá 120 ký tự."
    elif name.startswith(FORMULA_LEADS):
        errors["full_name"] = (f"Họ và tên không được bắt đầu bằng «{name[0]}» (bảng tính đọc thành công thức): "
                               f"«{name[:30]}».")
    if data.birth_year is not None and not EARLIEST_BIRTH_YEAR <= data.birth_year <= today.year - 16:
        errors["birth_year"] = f"Năm sinh phải từ {EARLIEST_BIRTH_YEAR} đến {today.year - 16}."
    if errors:
        raise ValidationError(errors)
    gender = Gender(data.gender) if data.gender else None  # widgets hand enums back as plain strings
    return PersonInput(name, data.birth_year, gender, clean(data.ethnicity) or None,
                       clean(data.position) or None, data.party_member)


def _list_query(session: Session, actor: Actor, flt: PeopleFilter, on: date) -> Select:
    # The unit's name is read per row shown, so a page walks the people's sort index and stops early.
    query = (select(Person.id, Person.full_name, Person.birth_year, Person.gender, Person.ethnicity,
                    Person.position, units.name_column(Membership.unit_id, on), Membership.status,
                    Membership.unit_id)
             .join(Membership, (Membership.person_id == Person.id) & Membership.valid_to.is_(None))
             .where(Person.deleted_at.is_(None)))
    scope = scope_unit_ids(session, actor, on)
    wanted = units.subtree_ids(session, flt.unit_id, on) if flt.unit_id else None
    if scope is not None:
        wanted = scope if wanted is None else wanted & scope
    if wanted is not None:
        query = query.where(Membership.unit_id.in_(sorted(wanted)))
    if flt.text.strip():
        query = query.where(Person.name_folded.like(like_pattern(flt.text), escape="\\"))
    if flt.status is not None:
        query = query.where(Membership.status == flt.status)
    return query


def list_page(db: Database, actor: Actor, flt: PeopleFilter, *, sort: str = "name", descending: bool = False,
              after: tuple[Any, int] | None = None, limit: int | None = None) -> list[PersonRow]:
    """One page, sorted in SQL and paged by key: `after` is the (sort value, id) of the last row seen."""
    require(actor, Permission.VIEW_PEOPLE)
    key = SORTS[sort]
    with db.session_scope() as session:
        query = _list_query(session, actor, flt, clock.today()).add_columns(key)
        if after is not None:
            position = tuple_(key, Person.id)
            query = query.where(position < tuple_(*after) if descending else position > tuple_(*after))
        order = (key.desc(), Person.id.desc()) if descending else (key, Person.id)
        rows = session.execute(query.order_by(*order).limit(limit or SETTINGS.page_size))
        return [PersonRow(*row) for row in rows]


def count(db: Database, actor: Actor, flt: PeopleFilter) -> int:
    require(actor, Permission.VIEW_PEOPLE)
    with db.session_scope() as session:
        inner = _list_query(session, actor, flt, clock.today()).with_only_columns(Person.id).subquery()
        return session.scalar(select(func.count()).select_from(inner))


def get(db: Database, actor: Actor, person_id: int) -> PersonDetail:
    require(actor, Permission.VIEW_PEOPLE)
    with db.session_scope() as session:
        person = _get(session, person_id)
        require_unit_in_scope(session, actor, _open_membership(person).unit_id)
        rows = []
        for stretch in person.memberships:
            name = units.name_on(session, stretch.unit_id, stretch.valid_from) or "?"
            rows.append(MembershipRow(stretch.unit_id, name, stretch.status, stretch.valid_from, stretch.valid_to,
                                      stretch.note))
        data = PersonInput(person.full_name, person.birth_year, person.gender, person.ethnicity, person.position,
                           person.party_member)
        return PersonDetail(person.id, person.version, data, rows)


def _get(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.deleted_at is not None:
        raise NotFound("Không tìm thấy người này (có thể đã bị xóa).")
    return person


def _open_membership(person: Person) -> Membership:
    return next(m for m in person.memberships if m.valid_to is None)


def check_member_unit(session: Session, unit_id: int | None, on: date, errors: dict[str, str]) -> None:
    """Can people belong to this unit on this date? Remembered for the transaction (an import asks per row)."""
    key = ("member_unit", unit_id, on)
    if key not in session.info:
        found: dict[str, str] = {}
        unit = session.get(Unit, unit_id) if unit_id else None
        if unit is None or unit.deleted_at is not None:
            found["unit_id"] = "Hãy chọn chi bộ sinh hoạt."
        elif not unit.kind.holds_members:
            found["unit_id"] = "Đảng viên sinh hoạt ở chi bộ: hãy chọn một chi bộ, không chọn đảng bộ."
        elif unit.deactivated_on and unit.deactivated_on <= on:
            found["unit_id"] = "Chi bộ này đã ngừng hoạt động."
        elif not any(v.valid_from <= on for v in unit.versions):
            found["unit_id"] = "Chi bộ chưa được thành lập vào ngày này."
        session.info[key] = found
    errors.update(session.info[key])


def add_in(session: Session, db: Database, actor: Actor, data: PersonInput, *, unit_id: int,
           status: MembershipStatus, since: date) -> Person:
    """Add a person inside an open transaction (shared by the dialog and the demo)."""
    person = new_person(session, db, actor, data, unit_id=unit_id, status=status, since=since)
    session.flush()
    record_added(session, actor, [person])
    return person


def new_person(session: Session, db: Database, actor: Actor, data: PersonInput, *, unit_id: int,
               status: MembershipStatus, since: date) -> Person:
    """A checked new person and their first membership, added to the session but not flushed.

    An import builds many, flushes them together (one batched INSERT), then records them.
    """
    data, status = validate(data), MembershipStatus(status)
    errors: dict[str, str] = {}
    check_member_unit(session, unit_id, since, errors)
    if errors:
        raise ValidationError(errors)
    require_unit_in_scope(session, actor, unit_id)
    person = Person(full_name=data.full_name, name_folded=fold(data.full_name),
                    name_sort=name_sort_key(data.full_name), birth_year=data.birth_year, gender=data.gender,
                    ethnicity=data.ethnicity, position=data.position, party_member=data.party_member,
                    origin=db.install_id, updated_by=actor.username)
    person.memberships.append(Membership(unit_id=unit_id, status=status, valid_from=since, note=""))
    session.add(person)
    return person


def record_added(session: Session, actor: Actor, added: list[Person]) -> None:
    """The audit entries of people added (after the flush that gave them ids), in one batch."""
    audit.record_many(session, actor, "tạo", "person", [
        (person.id, f"Thêm {person.full_name}",
         {**audit.snapshot(person, PERSON_FIELDS), "unit_id": person.memberships[0].unit_id,
          "status": person.memberships[0].status.value, "since": person.memberships[0].valid_from.isoformat()})
        for person in added])


def create(db: Database, actor: Actor, data: PersonInput, *, unit_id: int,
           status: MembershipStatus = MembershipStatus.ACTIVE, since: date | None = None,
           someone_else: bool = False) -> int:
    """Add a person; one with the same name and birth year already in the same unit is refused as probably
    the same (LooksLikeExisting) unless the user said it is `someone_else`."""
    require(actor, Permission.EDIT_PEOPLE)
    with db.session_scope() as session:
        if not someone_else:
            _refuse_same(session, validate(data), unit_id, since or clock.today())
        return add_in(session, db, actor, data, unit_id=unit_id, status=status, since=since or clock.today()).id


def _refuse_same(session: Session, data: PersonInput, unit_id: int, on: date) -> None:
    same = session.execute(
        select(Person.id, Person.full_name, Person.birth_year).join(Membership, Membership.person_id == Person.id)
        .where(Person.deleted_at.is_(None), Person.name_folded == fold(data.full_name),
               Person.birth_year.is_(None) if data.birth_year is None else Person.birth_year == data.birth_year,
               Membership.unit_id == unit_id, Membership.valid_to.is_(None))
        .limit(1)).first()
    if same is not None:
        born = f", sinh năm {same.birth_year}" if same.birth_year else ""
        raise LooksLikeExisting(f"Đã có đảng viên «{same.full_name}»{born} ở {units.name_on(session, unit_id, on) or 'đơn vị này'}: "
                                "có thể là cùng một người. Mở hồ sơ đã có, hoặc xác nhận đây là người khác.", same.id)


def update(db: Database, actor: Actor, person_id: int, data: PersonInput, *, expected_version: int) -> None:
    require(actor, Permission.EDIT_PEOPLE)
    data = validate(data)
    try:
        with db.session_scope() as session:
            person = _get(session, person_id)
            require_unit_in_scope(session, actor, _open_membership(person).unit_id)
            if person.version != expected_version:
                raise _conflict(person)
            before = audit.snapshot(person, PERSON_FIELDS)
            person.full_name, person.birth_year, person.gender = data.full_name, data.birth_year, data.gender
            person.ethnicity, person.position, person.party_member = data.ethnicity, data.position, data.party_member
            person.name_folded, person.name_sort = fold(data.full_name), name_sort_key(data.full_name)
            person.updated_at, person.updated_by = utcnow(), actor.username
            audit.record(session, actor, "sửa", "person", person.id, f"Sửa thông tin {data.full_name}",
                         before=before, after=audit.snapshot(person, PERSON_FIELDS))
    except StaleDataError as error:
        raise Conflict("Hồ sơ này vừa được người khác sửa; hãy mở lại để xem thay đổi.") from error


def _conflict(person: Person) -> Conflict:
    return Conflict(f"Hồ sơ «{person.full_name}» vừa được {person.updated_by} sửa; hãy mở lại để xem thay đổi.")


def change_membership(db: Database, actor: Actor, person_id: int, *, unit_id: int, status: MembershipStatus,
                      since: date, note: str = "", expected_version: int | None = None) -> None:
    """Close the open stretch the day before `since` and open a new one (transfer, exemption, death…)."""
    require(actor, Permission.EDIT_PEOPLE)
    status = MembershipStatus(status)
    with db.session_scope() as session:
        person = _get(session, person_id)
        if expected_version is not None and person.version != expected_version:
            raise _conflict(person)
        current = _open_membership(person)
        require_unit_in_scope(session, actor, current.unit_id)
        errors: dict[str, str] = {}
        if since <= current.valid_from:
            errors["since"] = f"Ngày thay đổi phải sau {current.valid_from:%d/%m/%Y} (ngày bắt đầu của sinh hoạt hiện tại)."
        if since > clock.today():
            errors["since"] = "Ngày thay đổi không được ở tương lai."
        if current.status.is_final and status.is_final:
            errors["status"] = f"Người này đã ở trạng thái «{current.status.label}»."
        if current.unit_id == unit_id and current.status == status:
            errors["status"] = "Không có gì thay đổi: cùng chi bộ và cùng trạng thái."
        check_member_unit(session, unit_id, since, errors)
        if errors:
            raise ValidationError(errors)
        if status is not MembershipStatus.TRANSFERRED_OUT:
            # Moving to a chi bộ outside the clerk's subtree is a transfer out, done by the other side.
            require_unit_in_scope(session, actor, unit_id)
        before = {"unit_id": current.unit_id, "status": current.status.value}
        current.valid_to = since
        session.flush()  # the open stretch must close before the new one opens (unique index)
        person.memberships.append(Membership(unit_id=unit_id, status=status, valid_from=since, note=clean(note)))
        person.updated_at, person.updated_by = utcnow(), actor.username
        audit.record(session, actor, "đổi sinh hoạt", "person", person.id,
                     f"{person.full_name}: {status.label} từ {since:%d/%m/%Y}",
                     before=before, after={"unit_id": unit_id, "status": status.value, "since": since.isoformat(),
                                           "note": clean(note)})


def members_on(session: Session, unit_ids: set[int] | list[int], on: date,
               statuses: tuple[MembershipStatus, ...] = (MembershipStatus.ACTIVE,)) -> Select:
    """Ids of the people in these units with these statuses on a date (default: the expected roster)."""
    return (select(Membership.person_id)
            .where(Membership.unit_id.in_(sorted(unit_ids)), Membership.status.in_(statuses),
                   Membership.valid_from <= on,
                   (Membership.valid_to.is_(None)) | (Membership.valid_to > on)))
