"""The records a user opened last (sessions, cases, documents, materials, people), to open again from
Tệp › Mở gần đây. Kept per user with the window's other settings, never in the database."""

from __future__ import annotations

import json

from app.ui.qt import QSettings

KEPT = 10


def _key(username: str) -> str:
    return f"nguoi-dung/{username}/gan-day"


def entries(username: str) -> list[tuple[str, int, str]]:
    """(page title, record id, label), the newest first."""
    try:
        found = json.loads(str(QSettings().value(_key(username), "[]")))
    except ValueError:
        return []
    return [(str(page), int(record), str(label)) for page, record, label in found
            if isinstance(record, int)] if isinstance(found, list) else []


def remember(username: str, page: str, record_id: int, label: str) -> None:
    kept = [entry for entry in entries(username) if entry[:2] != (page, record_id)]
    kept.insert(0, (page, record_id, label[:90]))
    QSettings().setValue(_key(username), json.dumps(kept[:KEPT], ensure_ascii=False))
