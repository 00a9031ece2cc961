"""Audit entries: written in the same transaction as the change they describe."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from app.clock import utcnow
from app.models import AuditEntry

if TYPE_CHECKING:
    from app.services.auth import Actor


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def snapshot(record: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """A JSON-safe picture of the named fields (never a secret: callers choose the fields)."""
    return {name: _plain(getattr(record, name)) for name in fields}


def record(session: Session, actor: Actor | None, action: str, entity: str, entity_id: Any, summary: str,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    session.add(AuditEntry(
        at=utcnow(), user_id=actor.user_id if actor else None,
        username=actor.username if actor else "(hệ thống)", action=action, entity=entity,
        entity_id=str(entity_id), summary=summary[:300], before=before, after=after))
