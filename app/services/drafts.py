"""Written sections of a report drafted from the registers, for the leader to edit: section I from the
period's public opinion, section II.5 from the good examples recognised and taken up. A section is
drafted only while the saved draft has never held it; once the leader has kept it (even emptied), his
text stands."""

from __future__ import annotations

from app.db import Database
from app.services.auth import Actor
from app.services.exemplars import section as exemplar_section
from app.services.opinion import section as opinion_section
from app.services.period import Period

# section → the register it is drafted from
SOURCES = {"situation": "sổ theo dõi dư luận xã hội", "models": "sổ mô hình, điển hình"}


def from_registers(db: Database, actor: Actor, period: Period, unit_id: int | None = None) -> dict[str, str]:
    drafted = {"situation": opinion_section.draft(db, actor, period, unit_id),
               "models": exemplar_section.draft(db, actor, period, unit_id)}
    return {name: text for name, text in drafted.items() if text}


def filled(db: Database, actor: Actor, period: Period, unit_id: int | None,
           saved: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """The saved sections, with those never saved drafted from the registers; and which were drafted."""
    wanted = [name for name in SOURCES if name not in saved]
    drafted = from_registers(db, actor, period, unit_id) if wanted else {}
    drafted = {name: text for name, text in drafted.items() if name in wanted}
    return saved | drafted, list(drafted)
