"""Sessions built the way the dialog builds them: the expected roster, then marks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.models.enums import MeetingKind, MeetingStatus, Presence
from app.services import meetings
from tests.helpers import unit_by_code

HELD_ON = date(2026, 10, 15)


def session_input(db, actor, code: str, *, held_on: date = HELD_ON, title: str = "Học tập, quán triệt Kết luận 54",
                  marks: dict[int, Presence] | None = None, status: MeetingStatus = MeetingStatus.HELD,
                  **fields) -> meetings.MeetingInput:
    """A session of the unit with this code; everybody present unless `marks` (by roster index) says otherwise."""
    unit = unit_by_code(db, actor, code)
    with db.session_scope() as session:
        unit_ids = meetings.default_units(session, unit.id, held_on)
    roster = meetings.expected_roster(db, actor, unit_ids, held_on)
    marks = marks or {}
    default = Presence.PRESENT if status is MeetingStatus.HELD else None
    roster = [replace(line, presence=marks.get(index, default),
                      reason="Ốm" if marks.get(index) is Presence.EXCUSED else "")
              for index, line in enumerate(roster)]
    return meetings.MeetingInput(unit_id=unit.id, held_on=held_on, title=title, kind=MeetingKind.STUDY,
                                 status=status, unit_ids=unit_ids, roster=roster, **fields)
