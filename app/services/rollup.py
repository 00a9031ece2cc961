"""A report's rows: the scope's own unit (its directly held sessions), then each unit directly under it
with everything below it. The report's annex and the overview's units under the target read them here."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from app.services import units
from app.services.auth import Actor
from app.services.errors import NotFound, PermissionDenied
from app.services.meetings import figures as meeting_figures
from app.services.numbers import short_date
from app.services.scope import scope_unit_ids

OWN_ROW = " (trực tiếp tổ chức)"   # the scope's own unit, when units lie under it


def scope(session: Session, actor: Actor, unit_id: int | None, on: date):
    """The scope's root (None: the whole office), its name, whether it is the whole office, and the
    units its annex rows are (with each unit's row)."""
    nodes = units.nodes_on(session, on)
    by_id = {node.id: node for node in nodes}
    if unit_id is None and actor.limited_to_unit:
        unit_id = actor.unit_id
    elif unit_id is not None:
        scope = scope_unit_ids(session, actor, on)
        if scope is not None and unit_id not in scope:
            raise PermissionDenied("Đơn vị được chọn nằm ngoài phạm vi được giao cho tài khoản của bạn.")
    if unit_id is not None and unit_id not in by_id:
        raise NotFound(f"Đơn vị được chọn chưa có trong cây đơn vị ngày {short_date(on)}.")
    tops = [node for node in nodes if node.parent_id is None]
    root = by_id[unit_id] if unit_id is not None else (tops[0] if len(tops) == 1 else None)
    rows = [(node, node.name) for node in tops]
    if root is not None:   # the root's own sessions (a district's conferences) first, then each unit under it
        under = [(node, node.name) for node in nodes if node.parent_id == root.id]
        rows = [(root, root.name + OWN_ROW if under else root.name), *under]
    name = root.name if root else ", ".join(node.name for node in tops)
    # Every unit of the tree to the annex row it is counted in.
    row_ids = {node.id for node, _label in rows}
    row_of: dict[int, int] = {}
    for node in nodes:
        walk = node
        while walk is not None and walk.id not in row_ids:
            walk = by_id.get(walk.parent_id)
        if walk is not None:
            row_of[node.id] = walk.id
    whole = unit_id is None or (root is not None and root.parent_id is None)
    return unit_id, name, whole, (rows, row_of)


def by_row(by_unit: dict[int, meeting_figures.UnitTurnout], rows_of, start: date):
    """Each organising unit's figures added into the row it is counted in, (node, label, sums) per row; a unit
    merged away or dissolved before the period began has no row unless something of it falls in the period."""
    rows, row_of = rows_of
    sums = {node.id: meeting_figures.UnitTurnout() for node, _label in rows}
    for unit_id, figures in by_unit.items():
        if unit_id in row_of:
            sums[row_of[unit_id]] += figures
    return [(node, label, sums[node.id]) for node, label in rows
            if not (node.deactivated_on and node.deactivated_on <= start and sums[node.id] == meeting_figures.UnitTurnout())]
