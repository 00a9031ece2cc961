"""Section I of a report (tình hình tư tưởng, dư luận xã hội) drafted from the period's entries, for the
leader to edit: how many strands were heard and which way they lean, then each topic with the groups it
runs among, where it was heard and, for the worrying ones, what was done. Figures come from SQL
aggregates; the text reads as an office writes it (no sentence begins with a figure, a zero is worded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from app.db import Database
from app.models import Opinion, OpinionAmong
from app.models.enums import OpinionGroup, OpinionTendency
from app.services import units
from app.services.auth import Actor, Permission, require
from app.services.numbers import count_text
from app.services.period import Period
from app.services.scope import unit_ids_wanted

MAX_TOPICS = 12      # a month of a district holds a dozen topics at most; the rest are counted in one line
MAX_PLACES = 3       # units named per topic before "và N đơn vị khác"


@dataclass(frozen=True)
class Topic:
    topic: str
    entries: int
    by_tendency: dict[OpinionTendency, int]
    groups: list[OpinionGroup]
    places: list[str]            # the units that heard it, most entries first
    content: str                 # what was said, in the latest entry
    action: str                  # what was done about the latest worrying (or any) entry
    reported_up: bool


@dataclass(frozen=True)
class Situation:
    entries: int
    units: int
    by_tendency: dict[OpinionTendency, int]
    topics: list[Topic]
    other_topics: int = 0
    other_entries: int = 0


def _conditions(session: Session, actor: Actor, period: Period, unit_id: int | None) -> list:
    found = [Opinion.deleted_at.is_(None), Opinion.noted_on >= period.start, Opinion.noted_on <= period.end]
    wanted = unit_ids_wanted(session, actor, unit_id, period.end)
    if wanted is not None:
        found.append(Opinion.unit_id.in_(sorted(wanted)))
    return found


def situation(db: Database, actor: Actor, period: Period, unit_id: int | None = None) -> Situation:
    """The period's entries in the unit's subtree (the actor's scope at most), worrying topics first."""
    require(actor, Permission.VIEW_MEETINGS)
    with db.session_scope() as session:
        where = and_(*_conditions(session, actor, period, unit_id))
        total, unit_count = session.execute(select(func.count(), func.count(func.distinct(Opinion.unit_id)))
                                            .where(where)).one()
        by_tendency = {OpinionTendency(t): n for t, n in session.execute(
            select(Opinion.tendency, func.count()).where(where).group_by(Opinion.tendency))}
        worrying = func.sum(case((Opinion.tendency == OpinionTendency.WORRYING, 1), else_=0))
        ranked = session.execute(
            select(Opinion.topic_folded, func.count(), worrying).where(where).group_by(Opinion.topic_folded)
            .order_by(worrying.desc(), func.count().desc(), Opinion.topic_folded)).all()
        topics = _topics(session, where, [folded for folded, _n, _w in ranked[:MAX_TOPICS]], period.end)
        rest = ranked[MAX_TOPICS:]
        return Situation(total, unit_count, by_tendency, topics, len(rest), sum(n for _f, n, _w in rest))


def _topics(session: Session, where, wanted: list[str], on: date) -> list[Topic]:
    """The topics named, in that order, each read by three grouped queries for all of them."""
    if not wanted:
        return []
    mine = and_(where, Opinion.topic_folded.in_(wanted))
    rows: dict[str, list] = {folded: [] for folded in wanted}
    for row in session.execute(select(Opinion.topic_folded, Opinion.topic, Opinion.tendency, Opinion.content,
                                      Opinion.action, Opinion.reported_up).where(mine)
                               .order_by(Opinion.noted_on.desc(), Opinion.id.desc())):
        rows[row.topic_folded].append(row)
    groups: dict[str, set] = {folded: set() for folded in wanted}
    for folded, group in session.execute(select(Opinion.topic_folded, OpinionAmong.group).distinct()
                                         .join(OpinionAmong, OpinionAmong.opinion_id == Opinion.id).where(mine)):
        groups[folded].add(OpinionGroup(group))
    names = units.names_subquery(on)
    places: dict[str, list[str]] = {folded: [] for folded in wanted}
    for folded, name in session.execute(
            select(Opinion.topic_folded, names.c.name).join(names, names.c.unit_id == Opinion.unit_id).where(mine)
            .group_by(Opinion.topic_folded, names.c.name)
            .order_by(Opinion.topic_folded, func.count().desc(), names.c.name)):
        places[folded].append(name)
    return [_topic(rows[folded], groups[folded], places[folded]) for folded in wanted]


def _topic(rows: list, groups: set, places: list[str]) -> Topic:
    """One topic from its entries, newest first."""
    latest = rows[0]
    acted = next((row for row in rows if row.tendency == OpinionTendency.WORRYING and row.action),
                 next((row for row in rows if row.action), None))
    tendencies: dict[OpinionTendency, int] = {}
    for row in rows:
        tendency = OpinionTendency(row.tendency)
        tendencies[tendency] = tendencies.get(tendency, 0) + 1
    return Topic(latest.topic, len(rows), tendencies, [g for g in OpinionGroup if g in groups], places,
                 latest.content, acted.action if acted else "", any(row.reported_up for row in rows))


# ---- the words ----------------------------------------------------------------------------------

def _tendencies(by_tendency: dict[OpinionTendency, int]) -> str:
    """"7 tích cực, 3 trái chiều, 2 đáng lo ngại" (the kinds heard only)."""
    return ", ".join(f"{count_text(by_tendency[t])} {t.label.lower()}" for t in OpinionTendency if by_tendency.get(t))


def _groups(groups: list[OpinionGroup]) -> str:
    labels = [group.label.lower() if group is not OpinionGroup.PEOPLE else group.label for group in groups]
    return labels[0] if len(labels) == 1 else "; ".join(labels[:-1]) + " và " + labels[-1]


def _places(places: list[str]) -> str:
    shown = ", ".join(places[:MAX_PLACES])
    more = len(places) - MAX_PLACES
    return shown + (f" và {count_text(more)} đơn vị khác" if more > 0 else "")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def topic_line(topic: Topic) -> str:
    if len(topic.by_tendency) == 1:   # all one way: "3 ý kiến tích cực"
        heard = f"{count_text(topic.entries)} ý kiến {next(iter(topic.by_tendency)).label.lower()}"
    else:
        heard = f"{count_text(topic.entries)} ý kiến ({_tendencies(topic.by_tendency)})"
    line = (f"- {topic.topic}: {heard} trong {_groups(topic.groups)}, nắm bắt ở {_places(topic.places)}. "
            f"{_sentence(topic.content)}")
    if topic.action:
        line += f" Cách xử lý: {_sentence(topic.action)}"
    if topic.reported_up:
        line += " Đã báo cáo cấp trên."
    return line


def text(found: Situation, period: Period) -> str:
    """The draft; empty when nothing was entered (the leader writes the section himself)."""
    if not found.entries:
        return ""
    where = (f"ở {count_text(found.units)} đơn vị" if found.units > 1 else "ở một đơn vị")
    if len(found.by_tendency) > 1:
        lean = f" ({_tendencies(found.by_tendency)})"
    else:   # all one way
        lean = f" ({'đều ' if found.entries > 1 else ''}{next(iter(found.by_tendency)).label.lower()})"
    lines = [f"{period.in_period}, các cấp ủy, tổ chức đảng nắm bắt {count_text(found.entries)} ý kiến, dư luận "
             f"của cán bộ, đảng viên và Nhân dân {where}{lean}. "
             + ("Dư luận tập trung vào vấn đề sau:" if len(found.topics) == 1
                else "Dư luận tập trung vào các vấn đề sau:")]
    lines += [topic_line(topic) for topic in found.topics]
    if found.other_topics:
        lines.append(f"- Ngoài ra còn {count_text(found.other_topics)} vấn đề khác với "
                     f"{count_text(found.other_entries)} ý kiến.")
    return "\n".join(lines)


def draft(db: Database, actor: Actor, period: Period, unit_id: int | None = None) -> str:
    return text(situation(db, actor, period, unit_id), period)
