"""Implementation tracking: for a document, which of the units that must disseminate it have done so.

A required unit has done it when a held session on the document expected the members of the unit or
of a unit under it, or (for a đảng bộ) was organised by a unit under it. On time if the first such
session is by the deadline. Its person rate is the document's (DOMAIN.md): distinct members of its
chi bộ who attended or made up, over those required, at the day the view is for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.models import Attendance, Document, Meeting, MeetingDocument, MeetingUnit, Membership, RequiredUnit
from app.models.enums import MeetingStatus, MembershipStatus, Presence
from app.services import documents, units
from app.services.auth import Actor, Permission, require
from app.services.documents import plans
from app.services.documents.plans import PlanRow
from app.services.errors import NotFound
from app.services.meetings.figures import target_on
from app.services.numbers import percent_text, ratio, short_date
from app.services.scope import scope_unit_ids

DONE, LATE, NOT_YET, OVERDUE = "done", "late", "not_yet", "overdue"
STATE_LABELS = {DONE: "Đã tổ chức", LATE: "Tổ chức muộn", NOT_YET: "Chưa tổ chức", OVERDUE: "Quá hạn, chưa tổ chức"}
PLAN_LABELS = {DONE: "Đã ban hành", LATE: "Ban hành muộn", NOT_YET: "Chưa ban hành", OVERDUE: "Quá hạn, chưa ban hành"}


@dataclass(frozen=True)
class CoverageLine:
    unit_id: int
    unit_code: str
    unit_name: str
    parent_name: str                 # the đảng bộ it belongs to: two villages may share a name
    holds_members: bool
    state: str
    meetings: int                    # held sessions on the document that count for the unit
    first_meeting_id: int | None
    first_held_on: date | None
    first_title: str
    required: int                    # người: members required to study it
    attended: int                    # of them, those who attended or made up
    target: Decimal
    plan: PlanRow | None = None      # the unit's own implementing plan, issued by the day the view is for
    plan_state: str | None = None    # as `state`, for the plan; None: a chi bộ, which studies and issues none

    @property
    def done(self) -> bool:
        return self.state in (DONE, LATE)

    @property
    def plan_text(self) -> str:
        """"15-KH/ĐU, 12/01/2025", or the state when there is none."""
        if self.plan is not None:
            return f"{self.plan.number}, {short_date(self.plan.issued_on)}"
        return PLAN_LABELS[self.plan_state] if self.plan_state else ""

    @property
    def rate(self) -> float | None:
        return ratio(self.attended, self.required)

    @property
    def below_target(self) -> bool:
        return self.done and self.rate is not None and self.rate < float(self.target)


@dataclass(frozen=True)
class Coverage:
    document: documents.DocumentRow
    deadline: date | None
    target: Decimal
    as_of: date
    lines: list[CoverageLine]

    def count(self, *states: str) -> int:
        return sum(line.state in states for line in self.lines)

    @property
    def done(self) -> int:
        return self.count(DONE, LATE)

    @property
    def below_target(self) -> int:
        return sum(line.below_target for line in self.lines)

    @property
    def plans_expected(self) -> int:
        return sum(line.plan_state is not None for line in self.lines)

    @property
    def plans_done(self) -> int:
        return sum(line.plan is not None for line in self.lines)

    def plans_missing(self) -> list[CoverageLine]:
        """The units still to issue their plan: past the deadline first."""
        order = {OVERDUE: 0, NOT_YET: 1}
        return sorted((line for line in self.lines if line.plan_state in order), key=lambda line: order[line.plan_state])

    def plan_sentence(self) -> str:
        """"Có 10/15 đơn vị đã ban hành kế hoạch thực hiện, đạt 66,67%; còn 5 đơn vị chưa ban hành." ("" when
        no unit of the list issues plans: chi bộ only)."""
        total, done, word = self.plans_expected, self.plans_done, "đơn vị"
        if not total:
            return ""
        if not done:
            return f"Chưa có {word} nào trong {total} {word} ban hành kế hoạch thực hiện."
        text = f"Có {done}/{total} {word} đã ban hành kế hoạch thực hiện, đạt {percent_text(ratio(done, total))}"
        return text + (f"; còn {total - done} {word} chưa ban hành." if done < total else ".")

    @property
    def unit_word(self) -> str:
        if self.lines and all(line.holds_members for line in self.lines):
            return "chi bộ"
        if self.lines and not any(line.holds_members for line in self.lines):
            return "đảng bộ"
        return "đơn vị"

    def sentence(self) -> str:
        """"Có 12/15 chi bộ đã tổ chức quán triệt Kết luận số 54-KL/TW, đạt 80%; còn 3 chi bộ chưa tổ chức."""
        what = f"{self.document.kind.label} số {self.document.number}"
        total, done, word = len(self.lines), self.done, self.unit_word
        if not total:
            return f"Chưa giao đơn vị nào tổ chức quán triệt {what}."
        if not done:   # a zero is worded, not stated as a result
            return f"Chưa có {word} nào trong {total} {word} được giao tổ chức quán triệt {what}."
        text = f"Có {done}/{total} {word} đã tổ chức quán triệt {what}, đạt {percent_text(ratio(done, total))}"
        return text + (f"; còn {total - done} {word} chưa tổ chức." if done < total else ".")


def by_parent(lines: list[CoverageLine]) -> list[tuple[str, int, int]]:
    """(đảng bộ, units done, units required) of coverage lines, in the lines' order: a document by commune."""
    found: dict[str, list[int]] = {}
    for line in lines:
        counts = found.setdefault(line.parent_name or line.unit_name, [0, 0])
        counts[0] += line.done
        counts[1] += 1
    return [(name, done, total) for name, (done, total) in found.items()]


def _state(first: date | None, deadline: date | None, as_of: date) -> str:
    if first is not None:
        return LATE if deadline is not None and first > deadline else DONE
    return OVERDUE if deadline is not None and as_of > deadline else NOT_YET


def for_document(db: Database, actor: Actor, document_id: int, *, as_of: date | None = None) -> Coverage:
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        return coverage_in(session, actor, document_id, as_of=as_of or clock.today())


def coverage_in(session: Session, actor: Actor, document_id: int, *, as_of: date,
                within: set[int] | None = None) -> Coverage:
    """`within`: only the required units among these (a report on one commune's subtree)."""
    # Plain columns, not the ORM object: it would load its thousand required-unit rows as objects.
    found = session.execute(select(Document.deadline, Document.target)
                            .where(Document.id == document_id, Document.deleted_at.is_(None))).first()
    if found is None:
        raise NotFound("Không tìm thấy văn bản này (có thể đã bị xóa).")
    deadline, own_target = found
    target = own_target or target_on(session, as_of)
    scope = scope_unit_ids(session, actor, as_of)
    nodes = {node.id: node for node in units.nodes_on(session, as_of)}
    required = [unit_id for unit_id in session.scalars(select(RequiredUnit.unit_id)
                                                       .where(RequiredUnit.document_id == document_id))
                if unit_id in nodes and (scope is None or unit_id in scope) and (within is None or unit_id in within)]
    required_set = set(required)

    def required_above(unit_id: int) -> list[int]:
        """The required units at or above a unit (they may nest: a đảng bộ and one of its chi bộ)."""
        found, node = [], nodes.get(unit_id)
        while node is not None:
            if node.id in required_set:
                found.append(node.id)
            node = nodes.get(node.parent_id)
        return found

    above = {unit_id: required_above(unit_id) for unit_id in nodes}
    studies = {unit_id for unit_id in required if nodes[unit_id].kind.holds_members}
    sessions = _sessions_by_required(session, document_id, as_of, above, studies)
    people = _people_by_required(session, document_id, as_of, nodes, above)
    lines = []
    tree_order = {unit_id: position for position, unit_id in enumerate(nodes)}  # each đảng bộ, then its chi bộ
    for unit_id in sorted(required, key=tree_order.__getitem__):
        node = nodes[unit_id]
        parent = nodes.get(node.parent_id)
        held = sessions.get(unit_id, [])
        first = held[0] if held else None
        wanted, came = people.get(unit_id, (0, 0))
        lines.append(CoverageLine(
            unit_id, node.code, node.name, parent.name if parent else "", node.kind.holds_members,
            _state(first[1] if first else None, deadline, as_of), len(held),
            first[0] if first else None, first[1] if first else None, first[2] if first else "", wanted, came,
            target))
    row = documents.rows_by_id(session, [document_id])[0]
    return Coverage(row, deadline, target, as_of, _with_plans(session, document_id, lines, deadline, as_of))


def _with_plans(session: Session, document_id: int, lines: list[CoverageLine], deadline: date | None,
                as_of: date) -> list[CoverageLine]:
    """Each line with its unit's plan; a chi bộ studies the document and issues no plan of its own."""
    issued = plans.of_document(session, document_id, as_of)
    return [replace(line, plan=issued.get(line.unit_id),
                    plan_state=None if line.holds_members and line.unit_id not in issued else
                    _state(issued[line.unit_id].issued_on if line.unit_id in issued else None, deadline, as_of))
            for line in lines]


def _held_on_document(document_id: int, as_of: date):
    return (MeetingDocument.document_id == document_id, Meeting.deleted_at.is_(None),
            Meeting.status == MeetingStatus.HELD, Meeting.held_on <= as_of)


def _sessions_by_required(session: Session, document_id: int, as_of: date, above: dict[int, list[int]],
                          studies: set[int]) -> dict[int, list[tuple[int, date, str]]]:
    """Each required unit's sessions on the document, oldest first: (id, date, title). A chi bộ
    (in `studies`) has done it only when its members were expected: a talk it gives to citizens
    is dissemination, not quán triệt; a đảng bộ has done it with any session in its subtree."""
    where = _held_on_document(document_id, as_of)
    found: dict[int, dict[int, tuple[int, date, str]]] = {}
    organised = (select(Meeting.id, Meeting.held_on, Meeting.title, Meeting.unit_id)
                 .join(MeetingDocument, MeetingDocument.meeting_id == Meeting.id).where(*where))
    expected = (select(Meeting.id, Meeting.held_on, Meeting.title, MeetingUnit.unit_id)
                .join(MeetingDocument, MeetingDocument.meeting_id == Meeting.id)
                .join(MeetingUnit, MeetingUnit.meeting_id == Meeting.id).where(*where))
    for query in (organised, expected):
        for meeting_id, held_on, title, unit_id in session.execute(query):
            for required in above.get(unit_id, ()):
                if query is organised and required in studies:
                    continue
                found.setdefault(required, {})[meeting_id] = (meeting_id, held_on, title)
    return {unit: sorted(held.values(), key=lambda m: (m[1], m[0])) for unit, held in found.items()}


def _people_by_required(session: Session, document_id: int, as_of: date, nodes: dict,
                        above: dict[int, list[int]]) -> dict[int, tuple[int, int]]:
    """(required, attended) members per required unit, counted per chi bộ in one grouped query."""
    chi_bo = sorted(unit_id for unit_id, node in nodes.items() if node.kind.holds_members and above[unit_id])
    if not chi_bo:
        return {}
    members = (select(Membership.person_id, Membership.unit_id)
               .where(Membership.unit_id.in_(chi_bo), Membership.status == MembershipStatus.ACTIVE,
                      Membership.valid_from <= as_of,
                      or_(Membership.valid_to.is_(None), Membership.valid_to > as_of))
               .subquery())
    attended = (select(Attendance.person_id)
                .join(Meeting, Meeting.id == Attendance.meeting_id)
                .join(MeetingDocument, MeetingDocument.meeting_id == Meeting.id)
                .where(*_held_on_document(document_id, as_of), Attendance.is_guest.is_(False),
                       or_(Attendance.presence == Presence.PRESENT, Attendance.made_up_on <= as_of)))
    # IN (subquery) is built once as a temporary index: faster here than a LEFT JOIN on a DISTINCT.
    came = func.sum(case((members.c.person_id.in_(attended), 1), else_=0))
    query = select(members.c.unit_id, func.count(), came).group_by(members.c.unit_id)
    totals: dict[int, tuple[int, int]] = {}
    for unit_id, wanted, came in session.execute(query):
        for required in above.get(unit_id, ()):
            have = totals.get(required, (0, 0))
            totals[required] = (have[0] + wanted, have[1] + came)
    return totals
