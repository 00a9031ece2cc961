"""Sessions (hội nghị, sinh hoạt chi bộ) and what they count.

record (the session saved whole), roster (who is expected, marks checked, counts kept), makeups
(học bù), listing (the filtered, paged list), figures (every attendance figure, defined once),
attendance_import (marks from a spreadsheet). The names below are the aggregate's everyday face.
"""

from app.services.meetings.makeups import Absentee, MakeupSession, absentees, makeup_sessions, record_makeup
from app.services.meetings.record import (
    CrowdLine,
    FileLine,
    MeetingDetail,
    MeetingInput,
    PresenterLine,
    add_in,
    copy_for_units,
    create,
    delete,
    file_bytes,
    get,
    read_attachment,
    update,
)
from app.services.meetings.roster import (
    RosterLine,
    default_units,
    expected_roster,
    member_unit_choices,
    merge_roster,
    units_for,
)

__all__ = ["Absentee", "CrowdLine", "FileLine", "MakeupSession", "MeetingDetail", "MeetingInput", "PresenterLine",
           "RosterLine", "absentees", "add_in", "copy_for_units", "create", "default_units", "delete",
           "expected_roster", "file_bytes", "get", "makeup_sessions", "member_unit_choices", "merge_roster",
           "read_attachment", "record_makeup", "units_for", "update"]
