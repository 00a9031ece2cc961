"""The demo's units' own plans: the communes required to carry out a tracked document each issue their
plan, most before its deadline, a few late, one or two not at all. Drawn from a random stream of its own,
so every other row stays as it was."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.demo.facts import AS_OF
from app.models import Document, RequiredUnit, Unit, UnitPlan
from app.models.enums import UnitKind
from app.services.documents import plans

if TYPE_CHECKING:
    from app.demo.district import DemoBuilder


def build(builder: DemoBuilder, session: Session) -> dict[str, int]:
    rng = random.Random(f"ke-hoach-{builder.scale.communes}")
    rows = []
    tracked = session.execute(select(Document.id, Document.number, Document.issued_on, Document.deadline)
                              .where(Document.deadline.is_not(None)).order_by(Document.id)).all()
    for document_id, number, issued_on, deadline in tracked:
        required = session.scalars(select(Unit.id).join(RequiredUnit, RequiredUnit.unit_id == Unit.id)
                                   .where(RequiredUnit.document_id == document_id,
                                          Unit.kind == UnitKind.DANG_BO_CO_SO).order_by(Unit.id)).all()
        for sequence, unit_id in enumerate(required, start=1):
            roll = rng.random()
            if roll < 0.08:
                continue   # not issued yet
            window = (deadline - issued_on).days
            day = issued_on + timedelta(days=rng.randint(5, max(6, window)) if roll < 0.85
                                        else window + rng.randint(3, 40))
            if day >= AS_OF:
                continue
            rows.append({"id": builder.ids("unit_plan"), "document_id": document_id, "unit_id": unit_id,
                         "number": f"{sequence + 10}-KH/ĐU", "issued_on": day,
                         "summary": f"Thực hiện {number}", **builder.sync_fields(day, rng),
                         "uid": plans.plan_uid(session, document_id, unit_id)})
    if rows:
        session.execute(insert(UnitPlan), rows)
    return {"unit_plans": len(rows)}
