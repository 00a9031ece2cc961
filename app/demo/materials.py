"""The demo's materials (printed, published, aired) with their distribution, and every commune's
loudspeaker log, week after week. Rows go in by Core executemany, the log in chunks.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.demo.facts import AS_OF, FOUNDED
from app.models import Broadcast, Distribution, Material, MaterialDocument
from app.models.enums import DocumentKind, MaterialKind, UnitKind
from app.services.search import fold

if TYPE_CHECKING:
    from app.demo.district import DemoBuilder

CHUNK = 50_000
OUTLETS = {MaterialKind.PRESS: ["Báo Lào Cai", "Báo Nhân Dân"],
           MaterialKind.WEB: ["Trang thông tin điện tử huyện", "Cổng thông tin điện tử tỉnh"],
           MaterialKind.TV: ["Đài Phát thanh - Truyền hình tỉnh", "Trung tâm Văn hóa - Thể thao - Truyền thông huyện"],
           MaterialKind.RADIO: ["Trung tâm Văn hóa - Thể thao - Truyền thông huyện"],
           MaterialKind.SOCIAL: ["Trang Facebook «Bảo Thắng ngày mới»", "Nhóm Zalo cán bộ, đảng viên"]}
# Per document: the district prints and publishes (kind, how many of its measure); each commune prints a few.
DISTRICT_MAKES = [(MaterialKind.HANDBOOK, 600), (MaterialKind.FOLDER, 2400), (MaterialKind.PRESS, 3),
                  (MaterialKind.WEB, 6), (MaterialKind.TV, 12), (MaterialKind.RADIO, 30), (MaterialKind.SOCIAL, 8)]
COMMUNE_MAKES = [(MaterialKind.LEAFLET, 300), (MaterialKind.BANNER, 6), (MaterialKind.POSTER, 2),
                 (MaterialKind.BULLETIN, 150)]
TITLES = {MaterialKind.BOOK: "Sách: Những nội dung cơ bản của {what}", MaterialKind.HANDBOOK: "Tài liệu hỏi - đáp về {what}", MaterialKind.FOLDER: "Tờ gấp tuyên truyền {what}",
          MaterialKind.PRESS: "Loạt bài: {what} đi vào cuộc sống", MaterialKind.WEB: "Tin, bài về triển khai {what}",
          MaterialKind.TV: "Phóng sự: {what} ở cơ sở", MaterialKind.RADIO: "Chuyên mục Xây dựng Đảng: {what}",
          MaterialKind.SOCIAL: "Bài đăng giới thiệu {what}", MaterialKind.LEAFLET: "Tờ rơi tuyên truyền {what}",
          MaterialKind.BANNER: "Băng rôn, khẩu hiệu hưởng ứng {what}", MaterialKind.POSTER: "Pa-nô tuyên truyền {what}",
          MaterialKind.BULLETIN: "Bản tin nội bộ số đặc biệt về {what}"}
EVERYDAY = ["Thông báo lịch tiêm phòng cho gia súc, gia cầm", "Tuyên truyền phòng chống cháy rừng",
            "Tuyên truyền an toàn giao thông", "Hướng dẫn phòng chống dịch bệnh mùa mưa",
            "Tuyên truyền xây dựng nông thôn mới", "Thông báo của Ủy ban nhân dân xã"]


class MaterialsBuilder:
    def __init__(self, builder: DemoBuilder, session: Session, doc_ids: dict[str, int],
                 documents: list[tuple]) -> None:

        self.b, self.session, self.rng = builder, session, builder.rng
        self.founded, self.as_of = FOUNDED, AS_OF
        self.doc_ids, self.documents = doc_ids, documents
        self.materials: list[dict] = []
        self.links: list[dict] = []
        self.given: list[dict] = []
        self.aired: list[dict] = []
        self.counts = {"materials": 0, "broadcasts": 0}

    def material(self, kind: MaterialKind, unit_id: int, issued_on: date, quantity: int, what: str,
                 doc_id: int | None, receivers: list[int], title: str | None = None) -> None:
        material_id = self.b.ids("material")
        given = 0
        share = quantity // (len(receivers) + 1)   # a part stays in stock
        if kind.measure.distributed and share:
            for unit_id_ in receivers:
                on = min(issued_on + timedelta(days=self.rng.randint(1, 20)), self.as_of)
                self.given.append({"id": self.b.ids("material_distribution"), "material_id": material_id,
                                   "unit_id": unit_id_, "quantity": share, "given_on": on, "note": ""})
                given += share
        title = title or TITLES[kind].format(what=what)
        outlet = self.rng.choice(OUTLETS[kind]) if kind in OUTLETS else ""
        self.materials.append({"id": material_id, "kind": kind, "title": title, "title_folded": fold(title),
                               "unit_id": unit_id, "outlet": outlet, "issued_on": issued_on, "quantity": quantity,
                               "distributed": given, "notes": "", **self.b.sync_fields(issued_on)})
        if doc_id:
            self.links.append({"material_id": material_id, "document_id": doc_id})

    def build(self) -> dict[str, int]:
        communes = [u for u in self.b.units if u["kind"] is UnitKind.DANG_BO_CO_SO]
        for kind, number, _issuer, issued_on, _summary in self.documents:
            start = max(issued_on + timedelta(days=15), self.founded)
            if start > self.as_of:
                continue
            what = f"{kind.label} số {number}"
            living = [c for c in communes if c["deactivated_on"] is None or c["deactivated_on"] > start]
            book = [(MaterialKind.BOOK, 300)] if kind is DocumentKind.NQ else []   # resolutions get a book
            for made, size in DISTRICT_MAKES + book:
                quantity = max(1, int(size * self.rng.uniform(0.6, 1.3)))
                self.material(made, self.b.root, self.day(start, 30), quantity, what, self.doc_ids[number],
                              [c["id"] for c in living])
            for commune in living:
                made, size = self.rng.choice(COMMUNE_MAKES)
                quantity = max(1, int(size * self.rng.uniform(0.6, 1.4)))
                self.material(made, commune["id"], self.day(start, 45), quantity, what, self.doc_ids[number],
                              self.b.chi_bo_by_commune.get(commune["code"], [])[:6])
        self.bulletins(communes)
        self.flush_materials()
        for commune in communes:
            self.log(commune)
        self.flush_log()
        return self.counts

    def bulletins(self, communes: list[dict]) -> None:
        """The district's monthly internal bulletin, sent to every commune: something every month."""
        month = date(self.founded.year, self.founded.month, 1)
        while month <= self.as_of:
            living = [c["id"] for c in communes if c["deactivated_on"] is None or c["deactivated_on"] > month]
            self.material(MaterialKind.BULLETIN, self.b.root, self.day(month, 10), self.rng.randrange(400, 601, 10),
                          "", None, living, title=f"Bản tin Sinh hoạt nội bộ tháng {month.month}/{month.year}")
            month = (month + timedelta(days=32)).replace(day=1)

    def day(self, start: date, days: int) -> date:
        return min(start + timedelta(days=self.rng.randrange(days)), self.as_of)

    def log(self, commune: dict) -> None:
        """A station airs two contents most weeks: a document in force, and an everyday notice."""
        end = min(commune["deactivated_on"] or self.as_of, self.as_of)
        monday = self.founded - timedelta(days=self.founded.weekday())
        while monday <= end:
            recent = [d for d in self.documents if d[3] <= monday]
            contents = [(self.rng.choice(EVERYDAY), None, 5)]
            if recent:
                kind, number = recent[-1][0], recent[-1][1]
                contents.append((f"Tuyên truyền {kind.label} số {number}", self.doc_ids[number], 15))
            for content, doc_id, minutes in contents:
                for offset in self.rng.sample(range(7), k=self.rng.randint(2, 4)):
                    day = monday + timedelta(days=offset)
                    if day < self.founded or day > end:
                        continue
                    times = self.rng.randint(1, 2)
                    self.aired.append({"id": self.b.ids("broadcast"), "unit_id": commune["id"], "aired_on": day,
                                       "content": content, "content_folded": fold(content), "document_id": doc_id,
                                       "times": times, "minutes": times * minutes, **self.b.sync_fields(day)})
            if len(self.aired) >= CHUNK:
                self.flush_log()
            monday += timedelta(days=7)

    def flush_materials(self) -> None:
        for model, rows in ((Material, self.materials), (MaterialDocument, self.links), (Distribution, self.given)):
            if rows:
                self.session.execute(insert(model), rows)
        self.counts["materials"] += len(self.materials)
        self.materials.clear()
        self.links.clear()
        self.given.clear()

    def flush_log(self) -> None:
        if self.aired:
            self.session.execute(insert(Broadcast), self.aired)
            self.counts["broadcasts"] += len(self.aired)
            self.aired.clear()
