"""Which units an actor may touch: everything for most roles, a clerk's subtree for a clerk.

Every service that reads or writes a unit's records asks here, so the GUI, the command line,
imports, reports and the exchange all draw the same line.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app import clock
from app.db import Database
from app.services.auth import Actor
from app.services.errors import PermissionDenied
from app.services.units import UnitNode, nodes_on, subtree_ids


def scope_unit_ids(session: Session, actor: Actor, on: date | None = None) -> set[int] | None:
    """The units an actor may touch: None means all of them."""
    if not actor.limited_to_unit:
        return None
    on = on or clock.today()
    key = ("scope", actor.unit_id, on)  # asked once per row by an import: once per transaction is enough
    if key not in session.info:
        session.info[key] = subtree_ids(session, actor.unit_id, on) if actor.unit_id else set()
    return session.info[key]


def scope_allows(session: Session, actor: Actor, unit_id: int, on: date | None = None) -> bool:
    """May the actor touch this unit's records (as the tree stood `on`)?"""
    scope = scope_unit_ids(session, actor, on)
    return scope is None or unit_id in scope


def require_unit_in_scope(session: Session, actor: Actor, unit_id: int, on: date | None = None) -> None:
    if not scope_allows(session, actor, unit_id, on):
        raise PermissionDenied("Đơn vị này nằm ngoài phạm vi được giao cho tài khoản của bạn.")


def unit_ids_wanted(session: Session, actor: Actor, unit_id: int | None, on: date | None = None) -> set[int] | None:
    """The units a filter allows: a subtree (as the tree stood `on`, today by default: a report for
    2024 counts 2024's subtree), cut to the actor's scope today (None: all)."""
    today = clock.today()
    scope = scope_unit_ids(session, actor, today)
    wanted = subtree_ids(session, unit_id, on or today) if unit_id else None
    if scope is not None:
        wanted = scope if wanted is None else wanted & scope
    return wanted


def tree_in_scope(db: Database, actor: Actor, on: date | None = None) -> list[UnitNode]:
    """The units an actor may enter records for: all of them, or a clerk's subtree."""
    on = on or clock.today()
    with db.session_scope() as session:
        nodes, scope = nodes_on(session, on), scope_unit_ids(session, actor, on)
    return nodes if scope is None else [node for node in nodes if node.id in scope]
