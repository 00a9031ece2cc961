"""Audit entries: written in the same transaction as the change they describe."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry
from app.models.base import utcnow

if TYPE_CHECKING:
    from app.services.auth import Actor


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, date | datetime):
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


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: str
    summary: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def history(session: Session, entity: str, entity_id: Any) -> list[AuditRow]:
    """One record's history, oldest first (used by tests and the detail dialogs)."""
    rows = session.execute(
        select(AuditEntry.at, AuditEntry.username, AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id,
               AuditEntry.summary, AuditEntry.before, AuditEntry.after)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id))
        .order_by(AuditEntry.at, AuditEntry.id))
    return [AuditRow(*row) for row in rows]
