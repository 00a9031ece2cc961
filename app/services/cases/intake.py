"""The intake register of reported cases: taking a case in, correcting it, reading it, and the reporter's
identity and attachments, which are sealed (app/services/case_keys.py) and read only by a key holder.

The identity never leaves this module in plain form except through `identity()` and `detail(...,
with_identity=True)`, both for a key holder, both audited. It is never folded, indexed, searched,
copied into an audit snapshot (the audit says "đã thay đổi") or logged.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app import clock
from app.clock import utcnow
from app.config import SETTINGS
from app.db import Database
from app.models import Case, CaseAttachment, CaseEvent, CaseIdentity, CaseSign, ReferenceItem, Unit
from app.models.enums import CaseStatus, CaseStep, ClosedAs, Conclusion, ReferenceList, Regime, Role
from app.services import audit, closed_periods, sync
from app.services.auth import Actor, Permission, require
from app.services.cases import keys as case_keys
from app.services.cases import sealing
from app.services.cases.reference import DENUNCIATION, by_code
from app.services.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.services.numbers import short_date
from app.services.scope import require_unit_in_scope, scope_unit_ids
from app.services.search import clean, fold

CASE_FIELDS = ("number", "received_on", "receiving_unit_id", "anonymous", "information_only", "reported_name",
               "reported_position", "reported_unit_id", "reported_is_member", "reported_is_key_cadre",
               "reported_is_head", "summary", "status")
IDENTITY_BUCKET = 512   # bytes: a reporter's name, address and phone all fit one bucket but the longest
_PHONE = re.compile(r"^\+?[0-9 .\-()]{8,20}$")


@dataclass
class Reporter:
    """Who reported: protected. Kept out of every dataclass that a list, a report or a log may print."""

    name: str = ""
    address: str = ""
    phone: str = ""

    def __repr__(self) -> str:  # a traceback or a log line never prints it
        return "Reporter(…)"

    @property
    def given(self) -> bool:
        return bool(clean(self.name) or clean(self.address) or clean(self.phone))


@dataclass
class CaseInput:
    received_on: date | None
    receiving_unit_id: int | None
    channel: str                        # codes of the Danh mục
    kind: str
    anonymous: bool
    reported_name: str
    summary: str
    reported_position: str = ""
    reported_unit_id: int | None = None
    reported_is_member: bool = False
    reported_is_key_cadre: bool = False
    reported_is_head: bool = False
    signs: list[str] = field(default_factory=list)
    # None when editing: the stored identity stays as it is.
    reporter: Reporter | None = None
    attachments: list[tuple[str, bytes]] = field(default_factory=list)   # new files: (name, bytes)


@dataclass(frozen=True)
class EventLine:
    at: datetime
    on: date
    username: str
    step: CaseStep
    from_status: CaseStatus | None
    to_status: CaseStatus
    detail: str
    note: str
    reason: str


@dataclass(frozen=True)
class AttachmentLine:
    id: int
    size: int
    added_at: datetime
    added_by: str
    name: str | None      # only for a key holder who asked for the identity


@dataclass
class CaseDetail:
    id: int
    version: int
    number: str
    status: CaseStatus
    data: CaseInput                      # reporter None unless a key holder asked for it
    has_identity: bool
    information_only: bool
    handling_body: str
    regime: Regime | None
    accepted_on: date | None
    due_on: date | None
    extensions: int
    conclusion: Conclusion | None
    action: str
    told_on: date | None
    told_how: str
    duplicate_of: str
    closed_as: ClosedAs | None
    events: list[EventLine]
    attachments: list[AttachmentLine]
    updated_by: str


# ---- checking ------------------------------------------------------------------------------------------

def warnings(data: CaseInput) -> list[str]:
    """What to ask the clerk about before saving; nothing here blocks."""
    found = []
    reporter = data.reporter
    if reporter is not None and clean(reporter.name) and fold(reporter.name) in fold(data.summary):
        found.append("Trích yếu có chứa họ tên người phản ánh. Trích yếu không được mã hóa và ai xem sổ cũng đọc "
                     "được: hãy bỏ tên khỏi trích yếu.")
    return found


def validate(session: Session, data: CaseInput, *, today: date | None = None,
             keep: frozenset[int] = frozenset()) -> tuple[CaseInput, dict]:
    """The fields and their codes; returns the cleaned input and the Danh mục items it names. Entries in
    `keep` (those the case already carries) are accepted even once retired."""
    today = today or clock.today()
    errors: dict[str, str] = {}
    if data.received_on is None:
        errors["received_on"] = "Hãy nhập ngày tiếp nhận."
    elif data.received_on > today:
        errors["received_on"] = f"Ngày tiếp nhận {short_date(data.received_on)} ở tương lai."
    if data.receiving_unit_id is None or session.get(Unit, data.receiving_unit_id) is None:
        errors["receiving_unit_id"] = "Hãy chọn đơn vị tiếp nhận."
    refs: dict[str, ReferenceItem] = {}
    for key, which, label in (("channel", ReferenceList.CHANNEL, "Kênh tiếp nhận"),
                              ("kind", ReferenceList.CASE_KIND, "Loại đơn, thư")):
        code = clean(getattr(data, key))
        item = by_code(session, which, code, allow_retired=True) if code else None
        if item is not None and item.retired_at is not None and item.id not in keep:
            item = None
        if item is None:
            errors[key] = f"Hãy chọn {label.lower()}." if not code else f"{label} «{code}» không có trong danh mục."
        else:
            refs[key] = item
    signs = list(dict.fromkeys(clean(code).upper() for code in data.signs if clean(code)))
    sign_items = [by_code(session, ReferenceList.SIGN, code, allow_retired=True) for code in signs]
    sign_items = [item if item is not None and (item.retired_at is None or item.id in keep) else None
                  for item in sign_items]
    unknown = [code for code, item in zip(signs, sign_items, strict=True) if item is None]
    if unknown:
        errors["signs"] = f"Mã biểu hiện không có trong danh mục: {', '.join(unknown)}."
    refs["signs"] = [item for item in sign_items if item is not None]
    reported_name, reported_position = clean(data.reported_name), clean(data.reported_position)
    if not reported_name and not reported_position:
        errors["reported_name"] = "Hãy ghi họ tên hoặc chức vụ của người bị phản ánh."
    summary = clean(data.summary)
    if not summary:
        errors["summary"] = "Hãy ghi tóm tắt nội dung phản ánh."
    reporter = data.reporter
    if reporter is not None:
        reporter = Reporter(clean(reporter.name)[:120], clean(reporter.address)[:300], clean(reporter.phone)[:20])
        if data.anonymous:
            if reporter.name:
                errors["reporter_name"] = ("Đơn nặc danh không ghi họ tên người phản ánh; bỏ chọn «Nặc danh» nếu "
                                           "người phản ánh cho biết danh tính.")
            if reporter.phone:
                errors["reporter_phone"] = "Đơn nặc danh không ghi số điện thoại người phản ánh."
            if reporter.address:
                errors["reporter_address"] = "Đơn nặc danh không ghi địa chỉ người phản ánh."
        elif not reporter.name:
            errors["reporter_name"] = "Đơn có tên: hãy ghi họ tên người phản ánh, hoặc chọn «Nặc danh»."
        if reporter.phone and not _PHONE.match(reporter.phone):
            errors["reporter_phone"] = f"Số điện thoại «{reporter.phone}» không hợp lệ (8–20 chữ số)."
    for name, content in data.attachments:
        if not content:
            errors["attachments"] = f"Tệp «{name}» rỗng."
        elif len(content) > SETTINGS.file_max_bytes:
            errors["attachments"] = f"Tệp «{name}» lớn quá {SETTINGS.file_max_bytes // (1024 * 1024)} MB."
    if errors:
        raise ValidationError(errors)
    cleaned = CaseInput(data.received_on, data.receiving_unit_id, refs["channel"].code, refs["kind"].code,
                        bool(data.anonymous), reported_name[:120], summary, reported_position[:200],
                        data.reported_unit_id, bool(data.reported_is_member), bool(data.reported_is_key_cadre),
                        bool(data.reported_is_head), [item.code for item in refs["signs"]], reporter,
                        [(clean(name)[:255] or "tep", content) for name, content in data.attachments])
    return cleaned, refs


# ---- writing -------------------------------------------------------------------------------------------

def _next_number(session: Session, unit_id: int, year: int) -> tuple[int, str]:
    """The intake number: sequence in the year, the year, the receiving unit's code ("0007/2026/BAOTHANG"),
    so two installs, each receiving for its own unit, never issue the same."""
    seq = session.scalar(select(func.coalesce(func.max(Case.seq), 0))
                         .where(Case.receiving_unit_id == unit_id, Case.year == year)) + 1
    code = session.scalar(select(Unit.code).where(Unit.id == unit_id))
    return seq, f"{seq:04d}/{year}/{code}"


def _seal_identity(session: Session, case: Case, reporter: Reporter) -> None:
    """Replace (or, for an empty reporter, remove for real) the sealed identity."""
    session.execute(delete(CaseIdentity).where(CaseIdentity.case_id == case.id))
    if reporter.given:
        session.add(CaseIdentity(case_id=case.id, sealed=sealing.seal(identity_bytes(reporter),
                                                                      case_keys.recipients(session))))


def identity_bytes(reporter: Reporter) -> bytes:
    """What is sealed of a reporter: JSON padded with spaces (JSON ignores them) to a whole bucket, so the
    sealed size does not tell how long the name or the address is."""
    plain = json.dumps({"name": reporter.name, "address": reporter.address, "phone": reporter.phone},
                       ensure_ascii=False).encode("utf-8")
    return plain.ljust(-(-len(plain) // IDENTITY_BUCKET) * IDENTITY_BUCKET)


def _seal_attachment(session: Session, case: Case, actor: Actor, name: str, content: bytes) -> None:
    plain = name.encode("utf-8") + b"\0" + content
    session.add(CaseAttachment(case_id=case.id, sealed=sealing.seal(plain, case_keys.recipients(session)),
                               size=len(content), added_at=utcnow(), added_by=actor.username))


def _apply(case: Case, data: CaseInput, refs: dict) -> None:
    case.received_on, case.receiving_unit_id = data.received_on, data.receiving_unit_id
    case.channel_id, case.kind_id, case.anonymous = refs["channel"].id, refs["kind"].id, data.anonymous
    case.information_only = data.anonymous and data.kind == DENUNCIATION
    case.reported_name, case.reported_name_folded = data.reported_name, fold(data.reported_name)
    case.reported_position, case.reported_unit_id = data.reported_position, data.reported_unit_id
    case.reported_is_member, case.reported_is_key_cadre = data.reported_is_member, data.reported_is_key_cadre
    case.reported_is_head = data.reported_is_head
    case.summary, case.summary_folded = data.summary, fold(data.summary)
    wanted = {item.id for item in refs["signs"]}
    case.signs = [s for s in case.signs if s.sign_id in wanted] + [
        CaseSign(sign_id=sign_id) for sign_id in wanted - {s.sign_id for s in case.signs}]


def _snapshot(session: Session, case: Case) -> dict:
    """The audit's picture of a case: never the identity, only whether there is one."""
    has_identity = session.scalar(select(CaseIdentity.case_id).where(CaseIdentity.case_id == case.id)) is not None
    codes = session.scalars(select(ReferenceItem.code).where(ReferenceItem.id.in_([s.sign_id for s in case.signs]))
                            .order_by(ReferenceItem.code)).all()
    return audit.snapshot(case, CASE_FIELDS) | {"signs": list(codes),
                                                "identity": "có" if has_identity else "không"}


def add_event(session: Session, case: Case, actor: Actor, step: CaseStep, on: date, *, from_status: CaseStatus | None,
              detail: str = "", note: str = "", reason: str = "") -> None:
    case.events.append(CaseEvent(at=utcnow(), on=on, user_id=actor.user_id, username=actor.username, step=step,
                                 from_status=from_status, to_status=case.status, detail=detail[:300],
                                 note=clean(note), reason=clean(reason)))


def receive(db: Database, actor: Actor, data: CaseInput) -> int:
    """Tiếp nhận, vào sổ: a clerk (in their units) or an inspector."""
    require(actor, Permission.RECEIVE_CASES)
    with db.session_scope() as session:
        data, refs = validate(session, data)
        require_unit_in_scope(session, actor, data.receiving_unit_id, data.received_on)
        closed_periods.require_open(session, data.receiving_unit_id, data.received_on, field="received_on")
        seq, number = _next_number(session, data.receiving_unit_id, data.received_on.year)
        case = Case(number=number, year=data.received_on.year, seq=seq, status=CaseStatus.RECEIVED, extensions=0)
        _apply(case, data, refs)
        sync.stamp_new(db, case, actor)
        session.add(case)
        session.flush()
        if data.reporter is not None:
            _seal_identity(session, case, data.reporter)
        for name, content in data.attachments:
            _seal_attachment(session, case, actor, name, content)
        add_event(session, case, actor, CaseStep.RECEIVE, data.received_on, from_status=None,
                  detail=f"Vào sổ số {number}" + (" (nặc danh)" if data.anonymous else ""))
        session.flush()
        audit.record(session, actor, "tạo", "case", case.id, f"Tiếp nhận vụ việc {number}",
                     after=_snapshot(session, case))
        return case.id


def load(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None or case.deleted_at is not None:
        raise NotFound("Không tìm thấy vụ việc này (có thể đã bị xóa).")
    return case


def require_visible(session: Session, actor: Actor, case: Case) -> None:
    scope = scope_unit_ids(session, actor)
    if scope is not None and case.receiving_unit_id not in scope:
        raise PermissionDenied("Vụ việc này do đơn vị ngoài phạm vi của tài khoản bạn tiếp nhận.")


def _require_editable(session: Session, actor: Actor, case: Case) -> None:
    """A clerk corrects their own intake while it is still at "tiếp nhận"; an inspector until it is filed."""
    require(actor, Permission.RECEIVE_CASES)
    require_visible(session, actor, case)
    if actor.role is Role.CLERK and case.status is not CaseStatus.RECEIVED:
        raise PermissionDenied(f"Vụ việc {case.number} đã được phân loại; chỉ cán bộ kiểm tra sửa được.")
    if case.status is CaseStatus.CLOSED:
        raise PermissionDenied(f"Vụ việc {case.number} đã lưu hồ sơ; lãnh đạo mở lại thì mới sửa được.")


def conflict(case: Case) -> Conflict:
    return sync.changed_meanwhile(case, f"Vụ việc {case.number}")


def update(db: Database, actor: Actor, case_id: int, data: CaseInput, *, expected_version: int) -> None:
    try:
        with db.session_scope() as session:
            case = load(session, case_id)
            _require_editable(session, actor, case)
            if case.version != expected_version:
                raise conflict(case)
            keep = frozenset({case.channel_id, case.kind_id, *(s.sign_id for s in case.signs)})
            data, refs = validate(session, data, keep=keep)
            require_unit_in_scope(session, actor, data.receiving_unit_id, data.received_on)
            closed_periods.require_open(session, case.receiving_unit_id, case.received_on, data.received_on,
                                 field="received_on")
            if data.received_on.year != case.year or data.receiving_unit_id != case.receiving_unit_id:
                raise ValidationError.one("received_on", "Số vào sổ gắn với năm và đơn vị tiếp nhận: không đổi được "
                                                         "năm hay đơn vị; hãy xóa và vào sổ lại.")
            has_identity = session.get(CaseIdentity, case_id) is not None
            if data.anonymous and has_identity and (data.reporter is None or data.reporter.given):
                raise ValidationError.one("reporter_name", "Vụ việc đang lưu danh tính người phản ánh: hãy xóa danh "
                                                           "tính trước khi chuyển thành nặc danh.")
            before = _snapshot(session, case)
            _apply(case, data, refs)
            if data.reporter is not None:
                _seal_identity(session, case, data.reporter)
            for name, content in data.attachments:
                _seal_attachment(session, case, actor, name, content)
            sync.touch(case, actor)
            add_event(session, case, actor, CaseStep.EDIT, clock.today(), from_status=case.status,
                      detail="Sửa thông tin vụ việc" + ("; danh tính người phản ánh đã thay đổi"
                                                         if data.reporter is not None else ""))
            session.flush()
            after = _snapshot(session, case)
            if data.reporter is not None:
                after["identity"] = "đã thay đổi"
            audit.record(session, actor, "sửa", "case", case_id, f"Sửa vụ việc {case.number}", before=before,
                         after=after)
    except StaleDataError:
        with db.session_scope() as session:
            raise conflict(load(session, case_id)) from None


def _checkpoint(db: Database) -> None:
    """After a real delete: fold the WAL into the file, so the old pages (zeroed by secure_delete) are gone
    from the journal too."""
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def remove_identity(db: Database, actor: Actor, case_id: int, reason: str) -> None:
    """Deletes the identity for real (the case stays); a key holder's decision, with its reason."""
    require(actor, Permission.VIEW_IDENTITY)
    if not clean(reason):
        raise ValidationError.one("reason", "Hãy ghi lý do xóa danh tính người phản ánh.")
    with db.session_scope() as session:
        case = load(session, case_id)
        if session.get(CaseIdentity, case_id) is None:
            raise NotFound(f"Vụ việc {case.number} không lưu danh tính người phản ánh.")
        session.execute(delete(CaseIdentity).where(CaseIdentity.case_id == case_id))
        sync.touch(case, actor)
        add_event(session, case, actor, CaseStep.EDIT, clock.today(), from_status=case.status,
                  detail="Xóa danh tính người phản ánh", reason=reason)
        audit.record(session, actor, "xóa danh tính", "case", case_id,
                     f"Xóa danh tính người phản ánh của vụ việc {case.number}: {clean(reason)}")
    _checkpoint(db)


def remove_attachment(db: Database, actor: Actor, attachment_id: int, reason: str) -> None:
    require(actor, Permission.VIEW_IDENTITY)
    if not clean(reason):
        raise ValidationError.one("reason", "Hãy ghi lý do xóa tệp đính kèm.")
    with db.session_scope() as session:
        row = session.get(CaseAttachment, attachment_id)
        if row is None:
            raise NotFound("Không tìm thấy tệp đính kèm.")
        case = load(session, row.case_id)
        session.delete(row)
        sync.touch(case, actor)
        add_event(session, case, actor, CaseStep.EDIT, clock.today(), from_status=case.status,
                  detail="Xóa một tệp đính kèm", reason=reason)
        audit.record(session, actor, "xóa tệp", "case", case.id,
                     f"Xóa tệp đính kèm của vụ việc {case.number}: {clean(reason)}")
    _checkpoint(db)


def delete_case(db: Database, actor: Actor, case_id: int, reason: str, *, expected_version: int) -> None:
    """A tombstone for the case; its identity and attachments are deleted for real."""
    if not clean(reason):
        raise ValidationError.one("reason", "Hãy ghi lý do xóa vụ việc khỏi sổ.")
    with db.session_scope() as session:
        case = load(session, case_id)
        _require_editable(session, actor, case)
        if case.version != expected_version:
            raise conflict(case)
        closed_periods.require_open(session, case.receiving_unit_id, *(event.on for event in case.events), field="case")
        before = _snapshot(session, case)
        session.execute(delete(CaseIdentity).where(CaseIdentity.case_id == case_id))
        session.execute(delete(CaseAttachment).where(CaseAttachment.case_id == case_id))
        case.deleted_at = utcnow()
        sync.touch(case, actor)
        audit.record(session, actor, "xóa", "case", case_id, f"Xóa vụ việc {case.number}: {clean(reason)}",
                     before=before)
    _checkpoint(db)


# ---- reading -------------------------------------------------------------------------------------------

def _names(session: Session, ids: list[int | None]) -> dict[int, ReferenceItem]:
    wanted = [i for i in ids if i]
    return {item.id: item for item in session.scalars(select(ReferenceItem).where(ReferenceItem.id.in_(wanted)))}


def _open_identity(sealed: bytes, keys: dict) -> Reporter:
    found = json.loads(sealing.unseal(sealed, keys).decode("utf-8"))
    return Reporter(found.get("name", ""), found.get("address", ""), found.get("phone", ""))


def detail(db: Database, actor: Actor, case_id: int, *, with_identity: bool = False) -> CaseDetail:
    """The case as its dialog shows it, with its history; a key holder may ask for the identity and the
    attachments' names (audited as one viewing)."""
    require(actor, Permission.VIEW_CASES)
    keys = case_keys.private_keys(db, actor) if with_identity else None
    with db.session_scope() as session:
        case = load(session, case_id)
        require_visible(session, actor, case)
        refs = _names(session, [case.channel_id, case.kind_id, case.handling_body_id, case.action_id,
                                *(s.sign_id for s in case.signs)])
        identity = session.get(CaseIdentity, case_id)
        reporter = None
        attachments = session.scalars(select(CaseAttachment).where(CaseAttachment.case_id == case_id)
                                      .order_by(CaseAttachment.id)).all()
        names: dict[int, str] = {}
        if keys is not None:
            try:
                reporter = _open_identity(identity.sealed, keys) if identity else Reporter()
                for row in attachments:
                    names[row.id] = sealing.unseal(row.sealed, keys).split(b"\0", 1)[0].decode("utf-8")
            except sealing.Unreadable:
                raise PermissionDenied("Danh tính của vụ việc này không được mã hóa cho khóa của cơ quan bạn.") \
                    from None
            audit.record(session, actor, "xem danh tính", "case", case_id,
                         f"Xem danh tính người phản ánh của vụ việc {case.number}")
        duplicate_of = session.scalar(select(Case.number).where(Case.id == case.duplicate_of_id)) \
            if case.duplicate_of_id else ""
        data = CaseInput(case.received_on, case.receiving_unit_id, refs[case.channel_id].code, refs[case.kind_id].code,
                         case.anonymous, case.reported_name, case.summary, case.reported_position,
                         case.reported_unit_id, case.reported_is_member, case.reported_is_key_cadre,
                         case.reported_is_head, sorted(refs[s.sign_id].code for s in case.signs), reporter)
        return CaseDetail(
            case.id, case.version, case.number, case.status, data, identity is not None, case.information_only,
            refs[case.handling_body_id].name if case.handling_body_id else "", case.regime, case.accepted_on,
            case.due_on, case.extensions, case.conclusion, refs[case.action_id].name if case.action_id else "",
            case.told_on, case.told_how, duplicate_of or "", case.closed_as,
            [EventLine(e.at, e.on, e.username, e.step, e.from_status, e.to_status, e.detail, e.note, e.reason)
             for e in case.events],
            [AttachmentLine(a.id, a.size, a.added_at, a.added_by, names.get(a.id)) for a in attachments],
            case.updated_by)


def identity(db: Database, actor: Actor, case_id: int) -> Reporter:
    """The reporter, for a key holder; every call is audited."""
    return detail(db, actor, case_id, with_identity=True).data.reporter or Reporter()


def attachment(db: Database, actor: Actor, attachment_id: int) -> tuple[str, bytes]:
    """An attachment's name and bytes, for a key holder; audited."""
    keys = case_keys.private_keys(db, actor)
    with db.session_scope() as session:
        row = session.get(CaseAttachment, attachment_id)
        if row is None:
            raise NotFound("Không tìm thấy tệp đính kèm.")
        case = load(session, row.case_id)
        try:
            name, content = sealing.unseal(row.sealed, keys).split(b"\0", 1)
        except sealing.Unreadable:
            raise PermissionDenied("Tệp này không được mã hóa cho khóa của cơ quan bạn.") from None
        audit.record(session, actor, "xem tệp", "case", case.id,
                     f"Mở tệp đính kèm của vụ việc {case.number}")
        return name.decode("utf-8"), content



def id_of(db: Database, actor: Actor, number: str) -> int:
    """The case with this intake number ("0007/2026/BAOTHANG")."""
    require(actor, Permission.VIEW_CASES)
    with db.session_scope() as session:
        case = session.scalar(select(Case).where(Case.number == clean(number).upper(), Case.deleted_at.is_(None)))
        if case is None:
            raise NotFound(f"Không có vụ việc số «{clean(number)}» trong sổ.")
        require_visible(session, actor, case)
        return case.id
