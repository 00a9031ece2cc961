"""Keeping the sync fields of aggregate roots true (DESIGN.md, "Sync-ready")."""

from __future__ import annotations

from typing import Any

from app.clock import to_local, utcnow
from app.db import Database
from app.services.auth import Actor
from app.services.errors import Conflict


def stamp_new(db: Database, root: Any, actor: Actor) -> None:
    """A new root belongs to this install and names who made it."""
    root.origin = db.install_id
    root.updated_by = actor.username


def touch(root: Any, actor: Actor) -> None:
    """Mark a root changed: its UPDATE bumps `version` (also when only a child row changed)."""
    root.updated_at = utcnow()
    root.updated_by = actor.username


def changed_meanwhile(root: Any, name: str) -> Conflict:
    """The refusal of a save from an old copy: who saved the record since, and when."""

    at = to_local(root.updated_at)
    return Conflict(f"{name} vừa được {root.updated_by} sửa lúc {at:%H:%M} ngày {at:%d/%m/%Y}; "
                    f"thay đổi của bạn chưa được lưu. Hãy mở lại để xem bản mới rồi sửa tiếp.")
