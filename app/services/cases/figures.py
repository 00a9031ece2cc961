"""Figures of reported cases for a period and a unit subtree (DOMAIN.md, "What a periodic report holds"):
each one a grouped SQL count over the cases received in the period. Status-based figures (resolved, in
progress, overdue) are as of `as_of`, from the cases' events, so a report for a past month reprints the same.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.models import Case, CaseEvent, CaseSign, ReferenceItem
from app.models.enums import CaseStatus, CaseStep, Conclusion, ReferenceList
from app.services.auth import Actor, Permission, require
from app.services.cases.listing import CaseFilter, conditions
from app.services.cases.reference import NO_ACTION, SIGN_GROUPS


@dataclass(frozen=True)
class Line:
    code: str
    name: str
    count: int


@dataclass
class CaseFigures:
    start: date | None
    end: date | None
    as_of: date
    received: int = 0
    named: int = 0
    anonymous: int = 0
    information_only: int = 0          # anonymous denunciations, not handled as denunciations
    by_channel: list[Line] = field(default_factory=list)
    by_kind: list[Line] = field(default_factory=list)
    by_sign_group: list[Line] = field(default_factory=list)   # cases with at least one sign of the group
    by_sign: list[Line] = field(default_factory=list)
    competent: int = 0                 # classified within the office's competence
    not_competent: int = 0
    forwarded: int = 0
    resolved: int = 0                  # concluded, dealt with, forwarded or filed by `as_of`
    in_progress: int = 0
    overdue: int = 0                   # being verified past the due date on `as_of`
    conclusions: dict[Conclusion, int] = field(default_factory=dict)
    disciplined: list[Line] = field(default_factory=list)     # people, by action (one reported person per case)
    told: int = 0                      # outcomes told to the reporter


def _sorting(session: Session, ids, as_of: date) -> Counter:
    """How each case stood sorted on `as_of` (its last accept, decline or forward), counted: the parts
    then add up to the received count with the unsorted ones (a period's cases, tens to hundreds)."""
    last: dict[int, CaseStep] = {}
    for case_id, step in session.execute(select(CaseEvent.case_id, CaseEvent.step)
                                         .where(CaseEvent.case_id.in_(ids), CaseEvent.on <= as_of,
                                                CaseEvent.step.in_([CaseStep.ACCEPT, CaseStep.DECLINE,
                                                                    CaseStep.FORWARD]))
                                         .order_by(CaseEvent.on, CaseEvent.id)):
        last[case_id] = step
    return Counter(last.values())


def _ids(session: Session, actor: Actor, start: date | None, end: date | None, unit_id: int | None):
    # The subtree as the tree stood at the period's end: a report for 2024 counts 2024's units.
    return select(Case.id).where(*conditions(session, actor, CaseFilter(start=start, end=end, unit_id=unit_id,
                                                                         tree_on=end)))


def _lines(session: Session, which: ReferenceList, column, ids, *, exclude: str = "") -> list[Line]:
    rows = session.execute(select(ReferenceItem.code, ReferenceItem.name, func.count(Case.id))
                           .join(Case, column == ReferenceItem.id).where(Case.id.in_(ids), ReferenceItem.code != exclude)
                           .group_by(ReferenceItem.id).order_by(ReferenceItem.position))
    return [Line(*row) for row in rows]


def _last_events(ids, as_of: date):
    """The state of each case on `as_of`: its last event up to that day."""
    return (select(CaseEvent.case_id, func.max(CaseEvent.id).label("event_id"))
            .where(CaseEvent.case_id.in_(ids), CaseEvent.on <= as_of).group_by(CaseEvent.case_id).subquery())


def _resolved_and_open(session: Session, last) -> tuple[int, int]:
    resolved = in_progress = 0
    for status, n in session.execute(select(CaseEvent.to_status, func.count())
                                     .join(last, last.c.event_id == CaseEvent.id).group_by(CaseEvent.to_status)):
        if CaseStatus(status).resolved:
            resolved += n
        else:
            in_progress += n
    return resolved, in_progress


def received_and_resolved(session: Session, actor: Actor, start: date, end: date, unit_id: int | None = None,
                          as_of: date | None = None) -> tuple[int, int]:
    """The two case figures compared across periods (lũy kế, cùng kỳ)."""
    require(actor, Permission.VIEW_CASES)
    ids = _ids(session, actor, start, end, unit_id).scalar_subquery()
    received = session.scalar(select(func.count()).where(Case.id.in_(ids)))
    resolved, _open = _resolved_and_open(session, _last_events(ids, as_of or min(end, clock.today())))
    return received, resolved


def figures(db: Database, actor: Actor, *, start: date | None, end: date | None, unit_id: int | None = None,
            as_of: date | None = None) -> CaseFigures:
    """Cases received from `start` to `end` by the unit's subtree (the actor's scope at most)."""
    require(actor, Permission.VIEW_CASES)
    as_of = as_of or min(end or clock.today(), clock.today())
    result = CaseFigures(start, end, as_of)
    with db.session_scope() as session:
        ids = _ids(session, actor, start, end, unit_id).scalar_subquery()
        totals = session.execute(select(func.count(), func.count().filter(Case.anonymous),
                                        func.count().filter(Case.information_only)).where(Case.id.in_(ids))).one()
        result.received, result.anonymous, result.information_only = totals
        result.named = result.received - result.anonymous
        result.by_channel = _lines(session, ReferenceList.CHANNEL, Case.channel_id, ids)
        result.by_kind = _lines(session, ReferenceList.CASE_KIND, Case.kind_id, ids)
        signs = session.execute(select(ReferenceItem.code, ReferenceItem.name, ReferenceItem.grouping,
                                       func.count(distinct(CaseSign.case_id)))
                                .join(CaseSign, CaseSign.sign_id == ReferenceItem.id)
                                .where(CaseSign.case_id.in_(ids)).group_by(ReferenceItem.id)
                                .order_by(ReferenceItem.position)).all()
        result.by_sign = [Line(code, name, n) for code, name, _group, n in signs]
        groups = dict(session.execute(select(ReferenceItem.grouping, func.count(distinct(CaseSign.case_id)))
                                      .join(CaseSign, CaseSign.sign_id == ReferenceItem.id)
                                      .where(CaseSign.case_id.in_(ids)).group_by(ReferenceItem.grouping)).all())
        result.by_sign_group = [Line(code, name, groups.get(code, 0)) for code, name in SIGN_GROUPS.items()]
        last = _last_events(ids, as_of)
        result.resolved, result.in_progress = _resolved_and_open(session, last)
        result.overdue = session.scalar(
            select(func.count()).select_from(CaseEvent).join(last, last.c.event_id == CaseEvent.id)
            .join(Case, Case.id == CaseEvent.case_id)
            .where(CaseEvent.to_status == CaseStatus.VERIFYING, Case.due_on < as_of))
        steps = dict(session.execute(select(CaseEvent.step, func.count(distinct(CaseEvent.case_id)))
                                     .where(CaseEvent.case_id.in_(ids), CaseEvent.on <= as_of,
                                            CaseEvent.step.in_([CaseStep.ACCEPT, CaseStep.DECLINE, CaseStep.FORWARD,
                                                                CaseStep.TELL]))
                                     .group_by(CaseEvent.step)).all())
        sorted_as = _sorting(session, ids, as_of)
        result.competent = sorted_as.get(CaseStep.ACCEPT, 0)
        result.not_competent = sorted_as.get(CaseStep.DECLINE, 0)
        result.forwarded = sorted_as.get(CaseStep.FORWARD, 0)
        result.told = steps.get(CaseStep.TELL, 0)
        concluded = select(CaseEvent.case_id).where(CaseEvent.step == CaseStep.CONCLUDE, CaseEvent.on <= as_of)
        counted = dict(session.execute(select(Case.conclusion, func.count())
                                       .where(Case.id.in_(ids), Case.id.in_(concluded)).group_by(Case.conclusion)).all())
        result.conclusions = {c: counted[c] for c in Conclusion if counted.get(c)}
        acted = select(CaseEvent.case_id).where(CaseEvent.step == CaseStep.ACT, CaseEvent.on <= as_of)
        result.disciplined = [line for line in _lines(session, ReferenceList.ACTION, Case.action_id,
                                                      select(Case.id).where(Case.id.in_(ids), Case.id.in_(acted)),
                                                      exclude=NO_ACTION)]
    return result
