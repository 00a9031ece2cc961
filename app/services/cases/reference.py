"""The Danh mục: the lists a case is described with (signs, channels, kinds, handling bodies, actions) and
the office's holiday exceptions. An admin edits them; an entry in use is retired, never deleted, and its
code never changes once used (figures and the exchange read codes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import extract, func, select, union_all
from sqlalchemy.orm import Session

from app.clock import utcnow
from app.db import Database
from app.models import Case, CaseSign, HolidayException, ReferenceItem
from app.models.enums import ReferenceList, Regime
from app.services import audit
from app.services.auth import Actor, Permission, require
from app.services.cases.workdays import Calendar, holiday_name
from app.services.errors import NotFound, ValidationError
from app.services.numbers import short_date
from app.services.search import clean

SIGN_GROUPS = {"TT": "Suy thoái về tư tưởng chính trị", "ĐĐ": "Suy thoái về đạo đức, lối sống",
               "TDB": "Biểu hiện \"tự diễn biến\", \"tự chuyển hóa\"", "TNLP": "Tham nhũng, lãng phí, tiêu cực"}
DENUNCIATION = "TC"     # the case kind handled under the denunciation procedure
NO_ACTION = "KXL"       # "không xử lý": nobody disciplined
ITEM_FIELDS = ("list", "code", "name", "grouping", "regime", "retired_at")


@dataclass(frozen=True)
class ReferenceRow:
    id: int
    list: ReferenceList
    code: str
    name: str
    grouping: str
    regime: Regime | None
    retired: bool
    uses: int = 0

    @property
    def label(self) -> str:
        return f"{self.code} — {self.name}" if self.list is ReferenceList.SIGN else self.name


@dataclass
class ReferenceInput:
    code: str
    name: str
    grouping: str = ""
    regime: Regime | None = None


def _can_read(actor: Actor) -> None:
    if not (actor.can(Permission.VIEW_CASES) or actor.can(Permission.EDIT_REFERENCE)):
        require(actor, Permission.VIEW_CASES)


def _uses(session: Session, item_id: int) -> int:
    return _uses_of(session, [item_id]).get(item_id, 0)


def _uses_of(session: Session, item_ids: list[int]) -> dict[int, int]:
    """How many cases use each item (as channel, kind, handling body, action or sign), in one pass."""
    if not item_ids:
        return {}
    picked = [select(column.label("item_id")).where(column.in_(item_ids))
              for column in (Case.channel_id, Case.kind_id, Case.handling_body_id, Case.action_id, CaseSign.sign_id)]
    used = union_all(*picked).subquery()
    return dict(session.execute(select(used.c.item_id, func.count()).group_by(used.c.item_id)).all())


def items(db: Database, actor: Actor, which: ReferenceList, *, with_retired: bool = False,
          with_uses: bool = False) -> list[ReferenceRow]:
    """A list in its order; the Danh mục page asks for the retired entries and how often each is used."""
    _can_read(actor)
    query = select(ReferenceItem).where(ReferenceItem.list == which)
    if not with_retired:
        query = query.where(ReferenceItem.retired_at.is_(None))
    with db.session_scope() as session:
        found = list(session.scalars(query.order_by(ReferenceItem.position, ReferenceItem.id)))
        uses = _uses_of(session, [i.id for i in found]) if with_uses else {}
        return [ReferenceRow(i.id, i.list, i.code, i.name, i.grouping, i.regime, i.retired_at is not None,
                             uses.get(i.id, 0)) for i in found]


def by_code(session: Session, which: ReferenceList, code: str, *, allow_retired: bool = False) -> ReferenceItem | None:
    item = session.scalar(select(ReferenceItem).where(ReferenceItem.list == which,
                                                      ReferenceItem.code == clean(code).upper()))
    if item is None or (item.retired_at is not None and not allow_retired):
        return None
    return item


def _validate(session: Session, which: ReferenceList, data: ReferenceInput, item: ReferenceItem | None) -> ReferenceInput:
    errors: dict[str, str] = {}
    code, name, grouping = clean(data.code).upper(), clean(data.name), clean(data.grouping).upper()
    if not code or len(code) > 16 or " " in code:
        errors["code"] = "Mã gồm 1–16 ký tự, không có dấu cách (ví dụ ĐĐ10, TXCT)."
    elif item is not None and code != item.code and _uses(session, item.id):
        errors["code"] = f"Mã {item.code} đang được dùng nên không đổi được; hãy sửa tên, hoặc thêm mục mới."
    elif session.scalar(select(ReferenceItem.id).where(ReferenceItem.list == which, ReferenceItem.code == code,
                                                       ReferenceItem.id != (item.id if item else 0))):
        errors["code"] = f"Mã {code} đã có trong danh mục {which.label.lower()}."
    if not name:
        errors["name"] = "Tên không được để trống."
    if which is ReferenceList.SIGN and grouping not in SIGN_GROUPS:
        errors["grouping"] = f"Nhóm biểu hiện là một trong: {', '.join(SIGN_GROUPS)}."
    if which is ReferenceList.HANDLING_BODY and data.regime is None:
        errors["regime"] = "Hãy chọn chế độ thời hạn: cơ quan nhà nước hay tổ chức đảng ở cơ sở."
    if errors:
        raise ValidationError(errors)
    return ReferenceInput(code, name[:400], grouping if which is ReferenceList.SIGN else "",
                          Regime(data.regime) if which is ReferenceList.HANDLING_BODY else None)


def save(db: Database, actor: Actor, which: ReferenceList, item_id: int | None, data: ReferenceInput) -> int:
    require(actor, Permission.EDIT_REFERENCE)
    with db.session_scope() as session:
        item = _get(session, item_id) if item_id else None
        data = _validate(session, which, data, item)
        before = audit.snapshot(item, ITEM_FIELDS) if item else None
        if item is None:
            position = session.scalar(select(func.coalesce(func.max(ReferenceItem.position), 0))
                                      .where(ReferenceItem.list == which)) + 1
            item = ReferenceItem(list=which, position=position)
            session.add(item)
        item.code, item.name, item.grouping, item.regime = data.code, data.name, data.grouping, data.regime
        session.flush()
        audit.record(session, actor, "sửa" if before else "tạo", "reference_item", item.id,
                     f"Danh mục {which.label.lower()}: {data.code} {data.name}", before=before,
                     after=audit.snapshot(item, ITEM_FIELDS))
        return item.id


def _get(session: Session, item_id: int) -> ReferenceItem:
    item = session.get(ReferenceItem, item_id)
    if item is None:
        raise NotFound("Không tìm thấy mục danh mục này.")
    return item


def set_retired(db: Database, actor: Actor, item_id: int, retired: bool) -> None:
    """A retired entry keeps its old cases and figures but is no longer offered for new ones."""
    require(actor, Permission.EDIT_REFERENCE)
    with db.session_scope() as session:
        item = _get(session, item_id)
        before = audit.snapshot(item, ITEM_FIELDS)
        item.retired_at = utcnow() if retired else None
        audit.record(session, actor, "ngừng dùng" if retired else "dùng lại", "reference_item", item.id,
                     f"Danh mục {item.list.label.lower()}: {'ngừng dùng' if retired else 'dùng lại'} {item.code}",
                     before=before, after=audit.snapshot(item, ITEM_FIELDS))


def delete(db: Database, actor: Actor, item_id: int) -> None:
    require(actor, Permission.EDIT_REFERENCE)
    with db.session_scope() as session:
        item = _get(session, item_id)
        uses = _uses(session, item.id)
        if uses:
            raise ValidationError.one("code", f"Mã {item.code} đang được dùng ở {uses} vụ việc nên không xóa được; "
                                              "chỉ có thể ngừng dùng.")
        audit.record(session, actor, "xóa", "reference_item", item.id,
                     f"Danh mục {item.list.label.lower()}: xóa {item.code}", before=audit.snapshot(item, ITEM_FIELDS))
        session.delete(item)


# ---- holiday exceptions ----------------------------------------------------------------------------

@dataclass(frozen=True)
class HolidayRow:
    day: date
    working: bool
    note: str
    library_name: str      # what the holidays library says of that day ("" on an ordinary day)


def calendar(session: Session) -> Calendar:
    """The working-day calendar with the office's exceptions (a few rows a year)."""
    return Calendar({day: working for day, working in session.execute(
        select(HolidayException.day, HolidayException.working))})


def holidays(db: Database, actor: Actor, year: int) -> list[HolidayRow]:
    _can_read(actor)
    with db.session_scope() as session:
        rows = session.execute(select(HolidayException).where(extract("year", HolidayException.day) == year)
                               .order_by(HolidayException.day)).scalars()
        return [HolidayRow(r.day, r.working, r.note, holiday_name(r.day)) for r in rows]


def save_holiday(db: Database, actor: Actor, day: date | None, working: bool, note: str) -> None:
    """A day off the library does not know (a bridge day), or a working Saturday made up for it."""
    require(actor, Permission.EDIT_REFERENCE)
    if day is None:
        raise ValidationError.one("day", "Hãy chọn ngày.")
    note = clean(note)[:200]
    with db.session_scope() as session:
        row = session.get(HolidayException, day)
        if row is None:
            row = HolidayException(day=day)
            session.add(row)
        row.working, row.note = working, note
        audit.record(session, actor, "sửa", "holiday_exception", day.isoformat(),
                     f"Ngày {short_date(day)}: {'làm việc' if working else 'nghỉ'}" + (f" ({note})" if note else ""))


def delete_holiday(db: Database, actor: Actor, day: date) -> None:
    require(actor, Permission.EDIT_REFERENCE)
    with db.session_scope() as session:
        row = session.get(HolidayException, day)
        if row is None:
            raise NotFound(f"Ngày {short_date(day)} không có trong danh sách ngày điều chỉnh.")
        session.delete(row)
        audit.record(session, actor, "xóa", "holiday_exception", day.isoformat(),
                     f"Bỏ điều chỉnh ngày {short_date(day)}")

