"""Section II.5 of a report (biểu dương, nhân rộng mô hình) drafted from the register, for the leader to
edit: the examples recognised in the period, by name with their unit and commendation, then the examples
the period's units took up. Counts come from SQL; a period with neither drafts nothing."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select

from app.db import Database
from app.models import Exemplar, ExemplarSpread
from app.models.enums import Commendation, ExemplarKind
from app.services import units
from app.services.auth import Actor, Permission, require
from app.services.numbers import count_text
from app.services.period import Period
from app.services.scope import unit_ids_wanted

MAX_NAMED = 15       # examples named one by one; the rest are counted
MAX_PLACES = 4       # units named per example taken up


@dataclass(frozen=True)
class Recognised:
    kind: ExemplarKind
    title: str
    unit_name: str
    commendation: Commendation
    awarded_by: str


@dataclass(frozen=True)
class TakenUp:
    title: str
    owner: str              # the unit whose example it is
    places: list[str]


@dataclass(frozen=True)
class Examples:
    recognised: list[Recognised]
    taken_up: list[TakenUp]

    @property
    def spread_units(self) -> int:
        return sum(len(item.places) for item in self.taken_up)


def examples(db: Database, actor: Actor, period: Period, unit_id: int | None = None) -> Examples:
    require(actor, Permission.VIEW_MEETINGS)
    names = units.names_subquery(period.end)
    with db.session_scope() as session:
        wanted = unit_ids_wanted(session, actor, unit_id, period.end)
        mine = (lambda column: column.in_(sorted(wanted))) if wanted is not None else (lambda column: True)
        recognised = [Recognised(ExemplarKind(kind), title, name or "", Commendation(commendation), awarded_by)
                      for kind, title, name, commendation, awarded_by in session.execute(
                          select(Exemplar.kind, Exemplar.title, names.c.name, Exemplar.commendation,
                                 Exemplar.awarded_by)
                          .outerjoin(names, names.c.unit_id == Exemplar.unit_id)
                          .where(Exemplar.deleted_at.is_(None), Exemplar.recognised_on.between(period.start, period.end),
                                 mine(Exemplar.unit_id))
                          .order_by(Exemplar.recognised_on, Exemplar.id))]
        taken: dict[tuple[str, str], TakenUp] = {}   # one line per example as the reader tells them apart
        owners = names.alias("owner")
        seen: dict[tuple[str, str], set[int]] = {}   # the units counted per line: two villages of one name are two
        for title, owner, unit_id, name in session.execute(
                select(Exemplar.title, owners.c.name, ExemplarSpread.unit_id, names.c.name)
                .join(ExemplarSpread, ExemplarSpread.exemplar_id == Exemplar.id)
                .outerjoin(owners, owners.c.unit_id == Exemplar.unit_id)
                .outerjoin(names, names.c.unit_id == ExemplarSpread.unit_id)
                .where(and_(Exemplar.deleted_at.is_(None), ExemplarSpread.since.between(period.start, period.end),
                            mine(ExemplarSpread.unit_id)))
                .order_by(Exemplar.title_folded, Exemplar.id, names.c.name)):
            key = (title, owner or "")
            if unit_id not in seen.setdefault(key, set()):
                seen[key].add(unit_id)
                taken.setdefault(key, TakenUp(title, owner or "", [])).places.append(name or "")
        return Examples(recognised, list(taken.values()))


# ---- the words ----------------------------------------------------------------------------------

NOUNS = {ExemplarKind.MODEL: "mô hình", ExemplarKind.COLLECTIVE: "tập thể", ExemplarKind.PERSON: "cá nhân"}


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]


def _how_many(recognised: list[Recognised]) -> str:
    """"3 mô hình, 2 tập thể và 1 cá nhân điển hình"."""
    counts = {kind: sum(1 for item in recognised if item.kind is kind) for kind in ExemplarKind}
    parts = [f"{count_text(n)} {NOUNS[kind]}" for kind, n in counts.items() if n]
    exemplary = counts[ExemplarKind.COLLECTIVE] or counts[ExemplarKind.PERSON]
    return _joined(parts) + (" điển hình" if exemplary else "")


def _commendations(recognised: list[Recognised]) -> str:
    """" (trong đó 2 bằng khen, 3 giấy khen)", or nothing when none was commended yet."""
    counts = [(level, sum(1 for item in recognised if item.commendation is level))
              for level in reversed(Commendation) if level.commended]
    parts = [f"{count_text(n)} {level.label.lower()}" for level, n in counts if n]
    return f" (trong đó {', '.join(parts)})" if parts else ""


def _named(title: str, unit_name: str) -> str:
    """The example with its unit, unless its name already says it ("Tập thể Chi bộ thôn Cóc")."""
    return title if not unit_name or unit_name in title else f"{title} ({unit_name})"


def _line(item: Recognised) -> str:
    how = (f"{item.commendation.label.lower()} của {item.awarded_by}" if item.commendation.commended
           else "đang theo dõi, nhân rộng")
    return f"- {_named(item.title, item.unit_name)}: {how}."


def text(found: Examples, period: Period) -> str:
    """The draft; empty when the period has nothing recognised and nothing taken up."""
    lines: list[str] = []
    recognised = found.recognised
    if recognised:
        lines.append(f"{period.in_period}, các cấp ủy, tổ chức đảng phát hiện, biểu dương, khen thưởng "
                     f"{_how_many(recognised)}{_commendations(recognised)}:")
        lines += [_line(item) for item in recognised[:MAX_NAMED]]
        if len(recognised) > MAX_NAMED:
            lines.append(f"- Và {count_text(len(recognised) - MAX_NAMED)} mô hình, điển hình khác.")
    if found.taken_up:
        taken = found.taken_up
        lead = "Nhân rộng" if recognised else f"{period.in_period}, nhân rộng"
        lines.append(f"{lead} {count_text(len(taken))} mô hình, điển hình tại {count_text(found.spread_units)} "
                     "lượt đơn vị:")
        for item in taken[:MAX_NAMED]:
            places = ", ".join(item.places[:MAX_PLACES])
            more = len(item.places) - MAX_PLACES
            lines.append(f"- {_named(item.title, item.owner)}: {places}"
                         + (f" và {count_text(more)} đơn vị khác." if more > 0 else "."))
        if len(taken) > MAX_NAMED:
            lines.append(f"- Và {count_text(len(taken) - MAX_NAMED)} mô hình, điển hình khác.")
    return "\n".join(lines)


def draft(db: Database, actor: Actor, period: Period, unit_id: int | None = None) -> str:
    return text(examples(db, actor, period, unit_id), period)
