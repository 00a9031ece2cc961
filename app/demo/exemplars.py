"""The demo's good examples: each commune recognises a model, a chi bộ or a member most years from 2024 and
its chi bộ take the models up; the district commends its own at the yearly review, and in October 2026 at
the review of Kết luận 54. Drawn from a random stream of its own, so every other row stays as it was."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.demo.facts import AS_OF
from app.models import Exemplar, ExemplarSpread
from app.models.enums import Commendation, ExemplarKind, UnitKind
from app.services.search import fold

if TYPE_CHECKING:
    from app.demo.district import DemoBuilder

MODELS = [("Mô hình «Dân vận khéo» trong xây dựng nông thôn mới", None),
          ("Mô hình «Chi bộ bốn tốt, đảng viên bốn gương mẫu»", "05-CT/TW"),
          ("Mô hình «Hòm thư góp ý của Nhân dân tại nhà văn hóa thôn»", "54-KL/TW"),
          ("Mô hình «Ngày thứ Bảy vì dân» của cán bộ, công chức xã", "54-KL/TW"),
          ("Mô hình «Camera an ninh» bảo đảm trật tự thôn, bản", None),
          ("Mô hình «Loa truyền thanh thông minh» ở thôn, bản", None),
          ("Mô hình «Thôn, bản không có ma túy»", None),
          ("Mô hình «Đảng viên giúp hộ nghèo phát triển kinh tế»", "05-CT/TW")]
PEOPLE = ["Lò Văn Sính", "Nguyễn Thị Hạnh", "Vàng A Páo", "Trần Đức Minh", "Hoàng Thị Mỷ", "Lục Văn Tuấn",
          "Phạm Ngọc Lan", "Giàng Seo Vinh", "Bùi Thị Thảo", "Nông Văn Quân"]
ROLES = ["Bí thư", "Phó Bí thư", "đảng viên"]
COMMUNE_AWARDS = [(Commendation.PRAISE, "Ban Chấp hành Đảng bộ xã"), (Commendation.CERTIFICATE, "Đảng ủy xã"),
                  (Commendation.NOTED, "")]
DISTRICT_AWARDS = [(Commendation.CERTIFICATE, "Ban Thường vụ Huyện ủy"), (Commendation.MERIT, "Ủy ban nhân dân tỉnh"),
                   (Commendation.CERTIFICATE, "Ủy ban nhân dân huyện")]
SINCE_YEAR = 2024


class ExemplarsBuilder:
    def __init__(self, builder: DemoBuilder, session: Session, doc_ids: dict[str, int]) -> None:
        self.b, self.session, self.doc_ids = builder, session, doc_ids
        self.rng = random.Random(f"dien-hinh-{builder.scale.communes}")
        self.names = {row["unit_id"]: row["name"] for row in sorted(builder.versions, key=lambda v: v["valid_from"])}
        self.rows: list[dict] = []
        self.spread: list[dict] = []
        self.owned: set[tuple[int, str]] = set()   # (unit, title): a commune recognises a model once

    def example(self, kind: ExemplarKind, title: str, unit_id: int, on: date, award: tuple[Commendation, str],
                doc: str | None = None, takers: list[int] = ()) -> None:
        example_id = self.b.ids("exemplar")
        self.owned.add((unit_id, title))
        commendation, by = award
        self.rows.append({"id": example_id, "kind": kind, "title": title, "title_folded": fold(title),
                          "unit_id": unit_id, "document_id": self.doc_ids.get(doc) if doc else None,
                          "recognised_on": on, "commendation": commendation, "awarded_by": by,
                          "description": "", **self.b.sync_fields(on, self.rng)})
        for taker in takers:
            since = on + timedelta(days=self.rng.randint(20, 240))
            if since < AS_OF:
                self.spread.append({"id": self.b.ids("exemplar_spread"), "exemplar_id": example_id,
                                    "unit_id": taker, "since": since, "note": ""})

    def day_in(self, year: int) -> date:
        last = min(date(year, 12, 31), AS_OF - timedelta(days=1))
        return date(year, 1, 1) + timedelta(days=self.rng.randrange((last - date(year, 1, 1)).days + 1))

    def build(self) -> dict[str, int]:
        rng = self.rng
        communes = [u for u in self.b.units if u["kind"] is UnitKind.DANG_BO_CO_SO]
        for year in range(SINCE_YEAR, AS_OF.year + 1):
            for commune in communes:
                if commune["deactivated_on"] and commune["deactivated_on"].year <= year:
                    continue
                chi_bo = self.b.chi_bo_by_commune.get(commune["code"], [])
                fresh = [model for model in MODELS if (commune["id"], model[0]) not in self.owned]
                if rng.random() < 0.7 and fresh:   # a model of the commune, taken up by some of its chi bộ
                    title, doc = rng.choice(fresh)
                    self.example(ExemplarKind.MODEL, title, commune["id"], self.day_in(year), rng.choice(COMMUNE_AWARDS),
                                 doc, rng.sample(chi_bo, k=min(len(chi_bo), rng.randint(1, 3))))
                if chi_bo and rng.random() < 0.5:
                    unit = rng.choice(chi_bo)
                    self.example(ExemplarKind.COLLECTIVE, f"Tập thể {self.names[unit]}", unit, self.day_in(year),
                                 COMMUNE_AWARDS[rng.randrange(2)])
                if chi_bo and rng.random() < 0.5:
                    unit = rng.choice(chi_bo)
                    self.example(ExemplarKind.PERSON, f"Đồng chí {rng.choice(PEOPLE)}, {rng.choice(ROLES)} "
                                 f"{self.names[unit]}", unit, self.day_in(year), COMMUNE_AWARDS[rng.randrange(2)])
            # The district's yearly review: a model it spreads to communes.
            live = [c["id"] for c in communes if not (c["deactivated_on"] and c["deactivated_on"].year <= year)]
            owner = rng.choice(live)
            fresh = [model for model in MODELS if (owner, model[0]) not in self.owned]
            title, doc = rng.choice(fresh)
            others = [unit for unit in live if unit != owner]
            self.example(ExemplarKind.MODEL, title, owner, self.day_in(year), rng.choice(DISTRICT_AWARDS),
                         doc, rng.sample(others, k=min(len(others), rng.randint(2, 5))))
        # October 2026: the review of Kết luận 54 commends those who led it.
        review = date(2026, 10, 20)
        live = [c for c in communes if not c["deactivated_on"]]
        for commune in live[:3]:
            self.example(ExemplarKind.COLLECTIVE, f"Tập thể {self.names[commune['id']]}", commune["id"], review,
                         DISTRICT_AWARDS[0], "54-KL/TW")
        self.example(ExemplarKind.PERSON, f"Đồng chí {rng.choice(PEOPLE)}, Bí thư {self.names[live[0]['id']]}",
                     live[0]["id"], review, DISTRICT_AWARDS[0], "54-KL/TW")
        self.session.execute(insert(Exemplar), self.rows)
        if self.spread:
            self.session.execute(insert(ExemplarSpread), self.spread)
        return {"exemplars": len(self.rows)}
