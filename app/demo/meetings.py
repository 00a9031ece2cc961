"""The demo's documents and its ten years of sessions, rosters, crowds, absences and make-ups.

Each chi bộ studies every document after it is issued and holds its yearly chuyên đề (rostered);
village chi bộ also hold propaganda sessions for the people (crowds counted, not listed); communes
hold conferences and seminars; the district holds an online conference per document. Rows go in
by Core executemany, the roster lines in chunks so ten years of a large district never sit in memory.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.demo.facts import AS_OF, FOUNDED
from app.models import (
    Attendance,
    AudienceCount,
    Document,
    DocumentLink,
    Meeting,
    MeetingDocument,
    MeetingUnit,
    Presenter,
    RequiredUnit,
    Speaker,
)
from app.models.enums import (
    AudienceGroup,
    DocumentKind,
    MeetingForm,
    MeetingKind,
    MeetingStatus,
    MembershipStatus,
    Presence,
    SpeakerLevel,
    SpeakerRole,
    UnitKind,
)
from app.services.meetings.figures import CROWD_GROUPS
from app.services.search import fold

if TYPE_CHECKING:
    from app.demo.district import DemoBuilder

# Real documents (the seeds' chain first): kind, number, issuer, date, summary.
DOCUMENTS = [
    (DocumentKind.CT, "03-CT/TW", "Bộ Chính trị", date(2011, 5, 14),
     "Về tiếp tục đẩy mạnh việc học tập và làm theo tấm gương đạo đức Hồ Chí Minh"),
    (DocumentKind.NQ, "33-NQ/TW", "Ban Chấp hành Trung ương", date(2014, 6, 9),
     "Về xây dựng và phát triển văn hóa, con người Việt Nam đáp ứng yêu cầu phát triển bền vững đất nước"),
    (DocumentKind.CT, "05-CT/TW", "Bộ Chính trị", date(2016, 5, 15),
     "Về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"),
    (DocumentKind.NQ, "04-NQ/TW", "Ban Chấp hành Trung ương", date(2016, 10, 30),
     "Về tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư tưởng chính trị, đạo đức, "
     "lối sống, những biểu hiện “tự diễn biến”, “tự chuyển hóa” trong nội bộ"),
    (DocumentKind.QD, "99-QĐ/TW", "Ban Bí thư", date(2017, 10, 3),
     "Về ban hành Hướng dẫn khung để các cấp ủy, tổ chức đảng trực thuộc Trung ương tiếp tục phát huy vai trò "
     "của Nhân dân trong đấu tranh, ngăn chặn, đẩy lùi sự suy thoái"),
    (DocumentKind.NQ, "35-NQ/TW", "Bộ Chính trị", date(2018, 10, 22),
     "Về tăng cường bảo vệ nền tảng tư tưởng của Đảng, đấu tranh phản bác các quan điểm sai trái, thù địch "
     "trong tình hình mới"),
    (DocumentKind.QDI, "08-QĐi/TW", "Ban Chấp hành Trung ương", date(2018, 10, 25),
     "Quy định về trách nhiệm nêu gương của cán bộ, đảng viên"),
    (DocumentKind.KL, "01-KL/TW", "Bộ Chính trị", date(2021, 5, 18),
     "Về tiếp tục thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị"),
    (DocumentKind.KL, "21-KL/TW", "Ban Chấp hành Trung ương", date(2021, 10, 25),
     "Về đẩy mạnh xây dựng, chỉnh đốn Đảng và hệ thống chính trị"),
    (DocumentKind.KL, "54-KL/TW", "Ban Bí thư", date(2023, 5, 9),
     "Về tiếp tục thực hiện Quyết định số 99-QĐ/TW, ngày 03/10/2017 của Ban Bí thư"),
    (DocumentKind.KH, "223-KH/TU", "Ban Thường vụ Tỉnh ủy", date(2023, 7, 5),
     "Thực hiện Kết luận số 54-KL/TW, ngày 09/5/2023 của Ban Bí thư"),
    (DocumentKind.KH, "234-KH/TU", "Tỉnh ủy Lào Cai", date(2023, 8, 31),
     "Triển khai thực hiện Kết luận số 54-KL/TW, ngày 09/5/2023 của Ban Bí thư"),
    (DocumentKind.HD, "52-HD/BTGTU", "Ban Tuyên giáo Tỉnh ủy", date(2023, 9, 12),
     "Tuyên truyền, quán triệt, phổ biến Kết luận số 54-KL/TW, ngày 09/5/2023 của Ban Bí thư"),
    (DocumentKind.KH, "118-KH/HU", "Ban Thường vụ Huyện ủy", date(2023, 9, 20),
     "Học tập, quán triệt và triển khai thực hiện Kết luận số 54-KL/TW trong Đảng bộ huyện"),
    (DocumentKind.CT, "35-CT/TW", "Bộ Chính trị", date(2024, 6, 14),
     "Về tổ chức đại hội đảng bộ các cấp tiến tới Đại hội đại biểu toàn quốc lần thứ XIV của Đảng"),
    (DocumentKind.NQ, "57-NQ/TW", "Bộ Chính trị", date(2024, 12, 22),
     "Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia"),
]
# The chain of the seeds: each document implements those listed.
IMPLEMENTS = {"54-KL/TW": ["99-QĐ/TW"], "223-KH/TU": ["54-KL/TW"], "234-KH/TU": ["54-KL/TW"],
              "52-HD/BTGTU": ["234-KH/TU"], "118-KH/HU": ["234-KH/TU", "52-HD/BTGTU"]}
# Documents the office tracks: deadline (the seed's "hoàn thành trong tháng 11/2023"), own target, who must.
TRACKED = {"118-KH/HU": (date(2023, 11, 30), None, "chi_bo"),
           "35-CT/TW": (date(2024, 10, 31), None, "chi_bo"),
           "57-NQ/TW": (date(2025, 3, 31), Decimal("97.00"), "communes")}
SKIPPED_BY_SOME = 0.06  # of the chi bộ that must disseminate a tracked document, some have not
# The yearly chuyên đề studies the Hồ Chí Minh directive in force that year.
THEMATIC = [(date(2011, 5, 14), "03-CT/TW"), (date(2016, 5, 15), "05-CT/TW"), (date(2021, 5, 18), "01-KL/TW")]
REASONS = ["Ốm", "Đi công tác", "Việc gia đình", "Đi làm ăn xa", "Tuổi cao, sức yếu", "Trực cơ quan"]
MAKE_UP_WAYS = ["Nghiên cứu tài liệu, viết bài thu hoạch", "Chi bộ phổ biến lại tại buổi sinh hoạt tháng sau",
                "Học bù tại Đảng ủy xã"]
PRESENTERS = [("Trần Đức Thắng", "Phó Trưởng Ban Tuyên giáo Huyện ủy"),
              ("Nguyễn Thị Minh", "Phó Trưởng Ban Tuyên giáo Huyện ủy"),
              ("Hoàng Văn Lợi", "Báo cáo viên Huyện ủy"), ("Lê Thị Hằng", "Giảng viên Trung tâm Chính trị huyện"),
              ("Vàng A Sính", "Bí thư Đảng ủy xã"), ("Phạm Quang Huy", "Phó Bí thư Thường trực Đảng ủy xã")]
GUESTS = ["Đại diện Đoàn Thanh niên xã", "Đại diện Hội Cựu chiến binh", "Cán bộ Ban Tuyên giáo Huyện ủy"]
CHUNK = 50_000


class MeetingsBuilder:
    def __init__(self, builder: DemoBuilder, session: Session) -> None:

        self.b, self.session, self.rng = builder, session, builder.rng
        self.founded, self.as_of = FOUNDED, AS_OF
        self.meeting_count = 0
        self.meetings: list[dict] = []
        self.units: list[dict] = []
        self.documents: list[dict] = []
        self.links: list[dict] = []
        self.presenters: list[dict] = []
        self.crowds: list[dict] = []
        self.lines: list[dict] = []
        self.line_count = 0
        # Per chi bộ: stretches (valid_from, valid_to, person_id) of active membership.
        self.active: dict[int, list[tuple[date, date | None, int]]] = {}
        for row in builder.memberships:
            if row["status"] is MembershipStatus.ACTIVE:
                self.active.setdefault(row["unit_id"], []).append((row["valid_from"], row["valid_to"], row["person_id"]))
        self.doc_ids: dict[str, int] = {}

    # --- helpers ---
    def members(self, unit_id: int, on: date) -> list[int]:
        return [pid for start, end, pid in self.active.get(unit_id, ()) if start <= on and (end is None or end > on)]

    def within(self, start: date, days: int) -> date:
        day = start + timedelta(days=self.rng.randrange(days))
        return min(max(day, self.founded), self.as_of)

    def documents_rows(self) -> None:
        for kind, number, issuer, issued_on, summary in DOCUMENTS:
            doc_id = self.b.ids("document")
            self.doc_ids[number] = doc_id
            deadline, target, _ = TRACKED.get(number, (None, None, None))
            self.documents.append({"id": doc_id, "kind": kind, "number": number, "number_folded": fold(number),
                                   "issuer": issuer, "issued_on": issued_on, "summary": summary,
                                   "summary_folded": fold(summary), "file_sha256": None, "file_name": "",
                                   "deadline": deadline, "target": target,
                                   **self.b.sync_fields(max(issued_on, self.founded))})

    def tracking_rows(self, chi_bo: list[dict], communes: list[dict]) -> None:
        """The chain's links, and the units each tracked document requires (those in being at its deadline)."""
        links = [{"document_id": self.doc_ids[number], "implements_id": self.doc_ids[parent]}
                 for number, parents in IMPLEMENTS.items() for parent in parents]
        since: dict[int, date] = {}
        for version in self.b.versions:
            since[version["unit_id"]] = min(version["valid_from"], since.get(version["unit_id"], version["valid_from"]))
        required = []
        for number, (deadline, _target, who) in TRACKED.items():
            for unit in chi_bo if who == "chi_bo" else communes:
                alive = unit["deactivated_on"] is None or unit["deactivated_on"] > deadline
                if alive and since[unit["id"]] <= deadline:
                    required.append({"document_id": self.doc_ids[number], "unit_id": unit["id"]})
        self.session.execute(insert(DocumentLink), links)
        self.session.execute(insert(RequiredUnit), required)

    def meeting(self, unit_id: int, held_on: date, title: str, kind: MeetingKind, *, doc: str | None,
                roster_units: list[int], crowds: list[tuple[AudienceGroup, int]] = (), form=MeetingForm.IN_PERSON,
                bridge_points: int | None = None, place: str = "", chair: str = "", audience: str = "",
                presenters: int = 0, present_rate: float = 0.93) -> None:
        rng = self.rng
        meeting_id = self.b.ids("meeting")
        status = MeetingStatus.HELD
        if held_on > self.as_of:
            status = MeetingStatus.PLANNED
        elif rng.random() < 0.01:
            status = rng.choice([MeetingStatus.POSTPONED, MeetingStatus.CANCELLED])
        counts = dict.fromkeys(("expected_count", "present_count", "excused_count", "unexcused_count",
                                "made_up_count", "guest_count", "crowd_total"), 0)
        for unit in roster_units:
            self.units.append({"meeting_id": meeting_id, "unit_id": unit})
            for pid in self.members(unit, held_on):
                presence, reason, made_up_on, how = None, "", None, ""
                if status is MeetingStatus.HELD:
                    roll = rng.random()
                    if roll < present_rate:
                        presence = Presence.PRESENT
                    elif roll < present_rate + (1 - present_rate) * 0.7:
                        presence, reason = Presence.EXCUSED, rng.choice(REASONS)
                    else:
                        presence = Presence.UNEXCUSED
                    if presence is not Presence.PRESENT and rng.random() < 0.6:
                        made_up_on = held_on + timedelta(days=rng.randrange(7, 40))
                        if made_up_on > self.as_of:
                            made_up_on = None
                        else:
                            how = rng.choice(MAKE_UP_WAYS)
                            counts["made_up_count"] += 1
                    counts[f"{presence.value}_count"] += 1
                counts["expected_count"] += 1
                self.lines.append({"id": self.b.ids("attendance"), "meeting_id": meeting_id, "person_id": pid,
                                   "is_guest": False, "guest_name": None, "guest_note": "", "presence": presence,
                                   "reason": reason, "made_up_on": made_up_on, "made_up_how": how,
                                   "made_up_meeting_id": None})
        if status is MeetingStatus.HELD and roster_units and rng.random() < 0.15:
            self.lines.append({"id": self.b.ids("attendance"), "meeting_id": meeting_id, "person_id": None,
                               "is_guest": True, "guest_name": rng.choice(GUESTS), "guest_note": "Khách mời",
                               "presence": Presence.PRESENT, "reason": "", "made_up_on": None, "made_up_how": "",
                               "made_up_meeting_id": None})
            counts["guest_count"] += 1
        if status is MeetingStatus.HELD:
            for group, size in crowds:
                total = max(1, int(size * rng.uniform(0.7, 1.2)))
                women = int(total * rng.uniform(0.35, 0.6))
                self.crowds.append({"meeting_id": meeting_id, "kind": group, "total": total, "women": women,
                                    "minority": int(total * rng.uniform(0.1, 0.7))})
                if group in CROWD_GROUPS:   # quần chúng: party members come through the roster
                    counts["crowd_total"] += total
        for position in range(presenters):
            number = rng.randrange(len(PRESENTERS))
            name, title_ = PRESENTERS[number]
            self.presenters.append({"id": self.b.ids("meeting_presenter"), "meeting_id": meeting_id,
                                    "position": position, "name": name, "title": title_, "speaker_id": number + 1})
        if doc:
            self.links.append({"meeting_id": meeting_id, "document_id": self.doc_ids[doc]})
        starts = time(rng.choice([7, 8, 14, 19]), rng.choice([0, 30]))
        self.meetings.append({
            "id": meeting_id, "unit_id": unit_id, "held_on": held_on, "starts_at": starts,
            "ends_at": time(starts.hour + 2, starts.minute), "title": title, "title_folded": fold(title),
            "kind": kind, "form": form, "bridge_points": bridge_points, "place": place, "chair": chair,
            "audience": audience, "notes": "", "status": status, **counts, **self.b.sync_fields(min(held_on, self.as_of))})
        if len(self.lines) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Sessions first, then what hangs on them (foreign keys are checked row by row)."""
        self.meeting_count += len(self.meetings)
        self.line_count += len(self.lines)
        for model, rows in ((Meeting, self.meetings), (MeetingUnit, self.units), (MeetingDocument, self.links),
                            (Presenter, self.presenters), (AudienceCount, self.crowds), (Attendance, self.lines)):
            if rows:
                self.session.execute(insert(model), rows)
                rows.clear()

    # --- the activity ---
    def speakers(self) -> None:
        """The register of báo cáo viên: those the sessions name (the district's four, two of the first commune),
        and a tuyên truyền viên in each commune. Its uids come from a stream of their own."""
        rng = random.Random(f"bao-cao-vien-{self.b.scale.communes}")
        communes = [u for u in self.b.units if u["kind"] is UnitKind.DANG_BO_CO_SO]
        rows = []
        for number, (name, title) in enumerate(PRESENTERS, start=1):
            district = number <= 4
            rows.append({"id": number, "full_name": name, "name_folded": fold(name), "title": title,
                         "unit_id": self.b.root if district else communes[0]["id"], "role": SpeakerRole.PRESENTER,
                         "level": SpeakerLevel.DISTRICT if district else SpeakerLevel.GRASSROOTS, "stopped_on": None,
                         **self.b.sync_fields(date(2020, 1, 6), rng)})
        for commune in communes:
            name = f"{rng.choice(('Lò', 'Nguyễn', 'Vàng', 'Hoàng'))} Thị {rng.choice(('Dung', 'Hoa', 'Mai', 'Lan'))}"
            rows.append({"id": len(rows) + 1, "full_name": name, "name_folded": fold(name),
                         "title": "Tuyên truyền viên cơ sở", "unit_id": commune["id"],
                         "role": SpeakerRole.PROPAGANDIST, "level": SpeakerLevel.GRASSROOTS,
                         "stopped_on": commune["deactivated_on"], **self.b.sync_fields(date(2021, 3, 1), rng)})
        self.b.ids.next["speaker"] = len(rows)
        self.session.execute(insert(Speaker), rows)

    def build(self) -> dict[str, int]:
        self.speakers()
        self.documents_rows()
        self.session.execute(insert(Document), self.documents)
        names = {}
        for version in self.b.versions:
            names.setdefault(version["unit_id"], version["name"])
        chi_bo = [u for u in self.b.units if u["kind"] in (UnitKind.CHI_BO, UnitKind.CHI_BO_CO_SO)]
        self.chi_bo_of = {self.b.units[0]["id"]: []}
        for code, ids in self.b.chi_bo_by_commune.items():
            commune_id = next(u["id"] for u in self.b.units if u["code"] == code)
            self.chi_bo_of[commune_id] = ids
        communes = [u for u in self.b.units if u["kind"] is UnitKind.DANG_BO_CO_SO]
        self.tracking_rows(chi_bo, communes)
        rate_of = {u["id"]: self.rng.uniform(0.86, 0.995) for u in chi_bo}
        years = range(self.founded.year, self.as_of.year + 1)
        for kind, number, _issuer, issued_on, _summary in DOCUMENTS:
            start = max(issued_on + timedelta(days=20), self.founded + timedelta(days=30))
            label = f"{kind.label} số {number}"
            self.meeting(self.b.root, start, f"Hội nghị trực tuyến quán triệt {label}", MeetingKind.PRESENTERS,
                         doc=number, roster_units=[], form=MeetingForm.ONLINE, bridge_points=len(communes) + 1,
                         place="Hội trường Huyện ủy (điểm cầu chính)", chair="Bí thư Huyện ủy",
                         audience="Cán bộ chủ chốt huyện, các xã", presenters=2,
                         crowds=[(AudienceGroup.CADRES, 60 + 8 * len(communes)),
                                 (AudienceGroup.PARTY_MEMBERS, 40 * len(communes))])
            for commune in communes:
                if commune["deactivated_on"] and commune["deactivated_on"] <= start:
                    continue
                self.meeting(commune["id"], self.within(start, 30), f"Hội nghị học tập, quán triệt {label}",
                             MeetingKind.STUDY, doc=number, roster_units=[], form=MeetingForm.MIXED,
                             bridge_points=self.rng.randint(2, 4), place="Hội trường Đảng ủy xã",
                             chair="Bí thư Đảng ủy xã", audience="Cán bộ, đảng viên toàn xã", presenters=1,
                             crowds=[(AudienceGroup.PARTY_MEMBERS, 120), (AudienceGroup.CADRES, 25)])
            tracked = number in TRACKED
            for unit in chi_bo:
                if tracked and self.rng.random() < SKIPPED_BY_SOME:
                    continue
                # A tracked document has a deadline: most chi bộ hold their session well before it.
                held_on = self.within(start, 60) if tracked else self.within(start + timedelta(days=30), 60)
                # Plans reach a chi bộ at its regular monthly meeting; directives at a study session.
                regular = kind in (DocumentKind.KH, DocumentKind.HD, DocumentKind.CV)
                title = f"Sinh hoạt chi bộ thường kỳ: phổ biến {label}" if regular else f"Học tập, quán triệt {label}"
                self.meeting(unit["id"], held_on, title, MeetingKind.CHI_BO if regular else MeetingKind.STUDY, doc=number, roster_units=[unit["id"]], place="Nhà văn hóa",
                             chair="Bí thư chi bộ", audience="Đảng viên chi bộ", present_rate=rate_of[unit["id"]])
        for year in years:
            theme = next(number for since, number in reversed(THEMATIC) if since.year <= year)
            for unit in chi_bo:
                held_on = self.within(date(year, self.rng.randint(1, 12), 1), 28)
                self.meeting(unit["id"], held_on, f"Sinh hoạt chuyên đề năm {year} về học tập và làm theo tư tưởng, "
                             f"đạo đức, phong cách Hồ Chí Minh", MeetingKind.THEMATIC, doc=theme,
                             roster_units=[unit["id"]], place="Nhà văn hóa", chair="Bí thư chi bộ",
                             audience="Đảng viên chi bộ", present_rate=rate_of[unit["id"]])
                if "thôn" not in names[unit["id"]]:
                    continue
                for _ in range(3):
                    held_on = self.within(date(year, 1, 1), 365)
                    recent = [d for d in DOCUMENTS if d[3] <= held_on]
                    doc = self.rng.choice(recent[-4:])[1] if recent else None
                    self.meeting(unit["id"], held_on, f"Tuyên truyền, phổ biến tới Nhân dân {names[unit['id']][7:]}",
                                 MeetingKind.PROPAGANDA, doc=doc, roster_units=[], place="Nhà văn hóa thôn",
                                 chair="Trưởng thôn", audience="Nhân dân trong thôn",
                                 crowds=[(AudienceGroup.PEOPLE, 70), (AudienceGroup.UNION_MEMBERS, 25)])
            for commune in communes:
                if commune["deactivated_on"] and commune["deactivated_on"].year <= year:
                    continue
                self.meeting(commune["id"], self.within(date(year, 3, 1), 240),
                             f"Tọa đàm về vai trò của Nhân dân trong xây dựng Đảng năm {year}", MeetingKind.SEMINAR,
                             doc=None, roster_units=[], place="Hội trường Đảng ủy xã", chair="Phó Bí thư Đảng ủy xã",
                             audience="Đại diện các đoàn thể, Nhân dân", presenters=2,
                             crowds=[(AudienceGroup.UNION_MEMBERS, 45), (AudienceGroup.PUPILS, 30)])
        for commune in communes:
            if commune["deactivated_on"] is None:
                self.meeting(commune["id"], self.as_of + timedelta(days=self.rng.randint(25, 55)),
                             f"Hội nghị sơ kết công tác tuyên giáo năm {self.as_of.year}", MeetingKind.PROPAGANDA,
                             doc=None, roster_units=self.rng.sample(self.chi_bo_of[commune["id"]], k=2),
                             place="Hội trường Đảng ủy xã", chair="Bí thư Đảng ủy xã", presenters=1)
        self.dialogues(communes)
        self.flush()
        return {"documents": len(self.documents), "meetings": self.meeting_count, "attendance": self.line_count}

    def dialogues(self, communes: list[dict]) -> None:
        """Each commune's yearly dialogue of its leaders with the people (KL 54: "tiếp xúc, đối thoại giữa người
        đứng đầu… với Nhân dân") and the Fatherland Front's supervision conference, held from 2024 (but in the
        tests' tiny district) and planned for next January everywhere. Drawn from a random stream of their own
        and written last, so the rest of the demo is the same as before they came."""
        # The builder's stream too: uids and timestamps are drawn from it.
        kept = self.b.rng
        self.rng = self.b.rng = random.Random(f"doi-thoai-{len(communes)}")
        held = range(2024, self.as_of.year + 1) if self.b.scale.communes > 3 else range(0)
        for year in [*held, self.as_of.year + 1]:
            for commune in communes:
                if commune["deactivated_on"] and commune["deactivated_on"].year <= year:
                    continue
                planned = year > self.as_of.year
                self.meeting(commune["id"], date(year, 1, 15) if planned else self.within(date(year, 4, 1), 200),
                             f"Hội nghị đối thoại giữa Bí thư Đảng ủy, Chủ tịch UBND xã với Nhân dân năm {year}",
                             MeetingKind.DIALOGUE, doc="54-KL/TW", roster_units=[], place="Hội trường Đảng ủy xã",
                             chair="Bí thư Đảng ủy xã", audience="Nhân dân, đại diện các thôn, bản",
                             crowds=[] if planned else [(AudienceGroup.PEOPLE, self.rng.randint(60, 140)),
                                                        (AudienceGroup.UNION_MEMBERS, self.rng.randint(15, 40))])
                self.meeting(commune["id"], date(year, 1, 20) if planned else self.within(date(year, 6, 1), 150),
                             f"Hội nghị giám sát việc tu dưỡng, rèn luyện đạo đức của cán bộ, đảng viên năm {year}",
                             MeetingKind.SUPERVISION, doc="54-KL/TW", roster_units=[], place="Hội trường UBND xã",
                             chair="Chủ tịch Ủy ban MTTQ xã", audience="Ủy ban MTTQ, các đoàn thể, đại diện Nhân dân",
                             crowds=[] if planned else [(AudienceGroup.UNION_MEMBERS, self.rng.randint(25, 60))])
        self.rng = self.b.rng = kept

