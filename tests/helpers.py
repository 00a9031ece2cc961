"""Small helpers shared by tests."""

from __future__ import annotations


def unit_by_code(db, actor, code: str):
    from app.services import units

    return next(node for node in units.tree(db, actor) if node.code == code)
