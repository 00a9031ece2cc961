"""The eight figures a report compares across periods (lũy kế từ đầu năm, cùng kỳ năm trước), defined once:
the report's comparison table and the overview page both ask `headline`."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.services.auth import Actor
from app.services.cases import figures as case_figures
from app.services.meetings import figures as meeting_figures
from app.services.meetings.listing import MeetingFilter
from app.services.outreach import figures as outreach_figures
from app.services.outreach.broadcasts import totals as broadcast_totals
from app.services.period import Period
from app.services.scope import unit_ids_wanted


@dataclass(frozen=True)
class Headline:
    """The figures compared across periods (lũy kế từ đầu năm, cùng kỳ năm trước)."""

    period: Period
    meetings: int = 0
    attended: int = 0      # lượt đảng viên
    crowd: int = 0         # lượt quần chúng
    copies: int = 0        # printed copies and items
    articles: int = 0
    airings: int = 0       # loudspeaker lượt
    cases: int = 0         # received
    resolved: int = 0


HEADLINE_LABELS = {"meetings": "Hội nghị, buổi tuyên truyền", "attended": "Lượt đảng viên tham gia",
                   "crowd": "Lượt quần chúng tham dự", "copies": "Tài liệu, ấn phẩm phát hành (bản)",
                   "articles": "Tin, bài đã đăng", "airings": "Lượt phát loa truyền thanh cơ sở",
                   "cases": "Phản ánh, kiến nghị tiếp nhận", "resolved": "Phản ánh, kiến nghị đã giải quyết"}


def headline(session: Session, actor: Actor, period: Period, root: int | None) -> Headline:
    """The figures compared across periods, in the actor's scope under `root` (None: the whole office)."""
    flt = MeetingFilter(start=period.start, end=period.end, unit_id=root, tree_on=period.end)
    wanted = unit_ids_wanted(session, actor, root, period.end)
    turnout = meeting_figures.period_in(session, actor, flt, with_people=False)
    made = outreach_figures.made_in(session, wanted, period.start, period.end)
    airing = broadcast_totals(session, wanted, period.start, period.end)
    received, resolved = case_figures.received_and_resolved(session, actor, period.start, period.end, root)
    return Headline(period, turnout.meetings, turnout.attended, turnout.crowd.total, outreach_figures.printed(made),
                    outreach_figures.articles(made), airing.times, received, resolved)


def change(now: Headline, before: Headline, name: str) -> float | None:
    """A figure against the same period last year, in percent (None: nothing then to compare with)."""
    earlier = getattr(before, name)
    return None if not earlier else 100 * (getattr(now, name) - earlier) / earlier
