"""Keeping the sync fields of aggregate roots true (DESIGN.md, "Sync-ready")."""

from __future__ import annotations

from typing import Any

from app.db import Database
from app.models.base import utcnow
from app.services.auth import Actor


def stamp_new(db: Database, root: Any, actor: Actor) -> None:
    """A new root belongs to this install and names who made it."""
    root.origin = db.install_id
    root.updated_by = actor.username


def touch(root: Any, actor: Actor) -> None:
    """Mark a root changed: its UPDATE bumps `version` (also when only a child row changed)."""
    root.updated_at = utcnow()
    root.updated_by = actor.username
