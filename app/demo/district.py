"""The synthetic demo district: same seed, same data, byte for byte.

Everything random comes from one `random.Random(seed)` and every timestamp from a fixed calendar,
so two builds with the same seed hold the same rows (uids, hashes and salts included). Rows go in
through Core executemany (the ORM would cost ~9x), in one transaction. Each later issue adds its
own activity here, at both scales.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import delete, func, insert, select

from app.db import Database, advance_sequences
from app.demo import plans, reporting
from app.demo.cases import CasesBuilder
from app.demo.exemplars import ExemplarsBuilder
from app.demo.facts import AS_OF, DEMO_USERS, FOUNDED
from app.demo.materials import MaterialsBuilder
from app.demo.meetings import DOCUMENTS, MeetingsBuilder
from app.demo.opinion import OpinionBuilder
from app.models import AuditEntry, InstallMeta, Membership, OfficeProfile, Person, Unit, UnitVersion, User
from app.models.base import uuid7
from app.models.enums import Gender, HeadingStyle, MembershipStatus, UnitKind
from app.services.cases import key_pin
from app.services.errors import ValidationError
from app.services.passwords import hash_password
from app.services.search import fold, name_sort_key


@dataclass(frozen=True)
class Scale:
    communes: int
    chi_bo_per_commune: tuple[int, int]
    people_per_chi_bo: tuple[int, int]
    cases_per_year: int


SCALES = {
    "tiny": Scale(communes=3, chi_bo_per_commune=(3, 4), people_per_chi_bo=(8, 12), cases_per_year=3),
    "small": Scale(communes=15, chi_bo_per_commune=(3, 6), people_per_chi_bo=(24, 36), cases_per_year=14),
    "large": Scale(communes=60, chi_bo_per_commune=(12, 18), people_per_chi_bo=(84, 110), cases_per_year=360),
}

COMMUNES = [
    ("Phong Niên", "PHONGNIEN"), ("Xuân Quang", "XUANQUANG"), ("Gia Phú", "GIAPHU"), ("Thái Niên", "THAINIEN"),
    ("Sơn Hải", "SONHAI"), ("Sơn Hà", "SONHA"), ("Phú Nhuận", "PHUNHUAN"), ("Xuân Giao", "XUANGIAO"),
    ("Bản Cầm", "BANCAM"), ("Bản Phiệt", "BANPHIET"), ("Trì Quang", "TRIQUANG"), ("Phong Hải", "PHONGHAI"),
    ("Phố Lu", "PHOLU"), ("Tằng Loỏng", "TANGLOONG"), ("Phú Thịnh", "PHUTHINH"),
]
HAMLETS = ["Làng Chung", "Cóc", "Khe Mụ", "Bản Lần", "Nậm Tang", "Tân Lợi", "Lúc Dưới", "Cầu Xi", "Tả Hà",
           "Mường Bát", "Km 6", "Đồng Tâm", "Bắc Hà", "An Thắng", "Hòa Lạc", "Khe Chát", "Pha Dưới", "Làng Mới",
           "Tiến Lợi", "Phú Cường", "Nhuần", "Giáp Cư", "Na Lốc", "Cốc Sâm"]
SURNAMES = (["Nguyễn"] * 30 + ["Trần"] * 9 + ["Lê"] * 8 + ["Phạm"] * 6 + ["Hoàng"] * 5 + ["Vũ"] * 3
            + ["Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý", "Phan", "Hà", "Lò", "Giàng", "Vàng", "Sùng", "Lù",
               "Hầu", "Tẩn", "Chảo", "Lục", "Nông", "Triệu", "Bàn"] * 2)
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Hữu", "Quang", "Thanh", "Xuân", "Công", "Ngọc", "Mạnh", "Tiến"]
MIDDLE_FEMALE = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Hồng", "Kim", "Thanh", "Minh", "Phương"]
GIVEN_MALE = ["Anh", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Long", "Minh", "Nam",
              "Phong", "Quân", "Sơn", "Tâm", "Thắng", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Sính", "Páo"]
GIVEN_FEMALE = ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Liên", "Linh", "Mai",
                "Nga", "Ngọc", "Nhung", "Phương", "Thảo", "Trang", "Tuyết", "Vân", "Yến", "Mỷ", "Sử"]
ETHNICITIES = ["Kinh"] * 12 + ["Tày"] * 3 + ["Dao"] * 2 + ["Mông"] * 2 + ["Giáy", "Nùng", "Xa Phó"]
POSITIONS = [None] * 12 + ["Bí thư chi bộ", "Phó Bí thư chi bộ", "Trưởng thôn", "Chi hội trưởng Hội Nông dân",
                           "Giáo viên", "Công chức xã"]


class _Ids:
    """Explicit, sequential ids: part of "same seed, same bytes"."""

    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        self.next[table] = self.next.get(table, 0) + 1
        return self.next[table]


class DemoBuilder:
    def __init__(self, db: Database, scale: Scale, seed: int) -> None:
        self.db, self.scale, self.rng = db, scale, random.Random(seed)
        self.ids = _Ids()
        self.origin = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        self.units: list[dict] = []
        self.versions: list[dict] = []
        self.people: list[dict] = []
        self.memberships: list[dict] = []
        self.chi_bo_by_commune: dict[str, list[int]] = {}

    # --- the calendar and identities come from the seed ---
    def moment(self, day: date, rng: random.Random | None = None) -> datetime:
        rng = rng or self.rng
        return datetime.combine(day, datetime.min.time()) + timedelta(seconds=rng.randrange(7 * 3600, 17 * 3600))

    def sync_fields(self, day: date, rng: random.Random | None = None) -> dict:
        """`rng`: a stream of its own, for rows added later that must not change the rest of the demo."""
        rng = rng or self.rng
        at = self.moment(day, rng)
        unix_ms = int((at - datetime(1970, 1, 1)).total_seconds() * 1000)
        return {"uid": uuid7(unix_ms, rng.randbytes(10)), "origin": self.origin, "version": 1,
                "created_at": at, "updated_at": at, "updated_by": "quantri", "deleted_at": None}

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange(max(1, (end - start).days)))

    # --- the tree ---
    def unit(self, code: str, name: str, kind: UnitKind, parent: int | None, since: date = FOUNDED) -> int:
        unit_id = self.ids("unit")
        self.units.append({"id": unit_id, "code": code, "kind": kind, "deactivated_on": None,
                           **self.sync_fields(since)})
        self.version(unit_id, name, parent, since)
        return unit_id

    def version(self, unit_id: int, name: str, parent: int | None, since: date) -> None:
        self.versions.append({"id": self.ids("unit_version"), "unit_id": unit_id, "valid_from": since,
                              "name": name, "name_folded": fold(name), "parent_id": parent})

    def build_tree(self) -> None:
        root = self.unit("BAOTHANG", "Đảng bộ huyện Bảo Thắng", UnitKind.DANG_BO, None)
        self.root = root
        for name, code in [("Cơ quan Huyện ủy", "CQHU"), ("Cơ quan Ủy ban nhân dân huyện", "CQUBND"),
                           ("Công an huyện", "CAH"), ("Trường THPT số 1 Bảo Thắng", "THPT1")]:
            self.unit(code, f"Chi bộ {name}", UnitKind.CHI_BO_CO_SO, root)
        count = self.scale.communes
        for index in range(count):
            base_name, base_code = COMMUNES[index % len(COMMUNES)]
            name = base_name if index < len(COMMUNES) else f"{base_name} {index // len(COMMUNES) + 1}"
            code = base_code if index < len(COMMUNES) else f"{base_code}{index // len(COMMUNES) + 1}"
            word = "thị trấn" if base_code == "PHOLU" else "xã"
            commune = self.unit(code, f"Đảng bộ {word} {name}", UnitKind.DANG_BO_CO_SO, root)
            chi_bo = [self.unit(f"{code}-CQ", f"Chi bộ Cơ quan {word} {name}", UnitKind.CHI_BO, commune),
                      self.unit(f"{code}-TH", f"Chi bộ Trường Tiểu học {name}", UnitKind.CHI_BO, commune)]
            hamlets = self.rng.sample(HAMLETS, k=min(len(HAMLETS), self.rng.randint(*self.scale.chi_bo_per_commune)))
            for number, hamlet in enumerate(hamlets, start=1):
                chi_bo.append(self.unit(f"{code}-{number:02d}", f"Chi bộ thôn {hamlet}", UnitKind.CHI_BO, commune))
            self.chi_bo_by_commune[code] = chi_bo
        # History: a commune renamed in 2020, two communes merged on 01/7/2025.
        if count >= 3:
            renamed = next(u for u in self.units if u["code"] == COMMUNES[1][1])
            self.version(renamed["id"], f"Đảng bộ thị trấn {COMMUNES[1][0]}", root, date(2020, 1, 1))
            absorbed = next(u for u in self.units if u["code"] == COMMUNES[2][1])
            keeper = next(u for u in self.units if u["code"] == COMMUNES[0][1])
            merge_day = date(2025, 7, 1)
            for unit_id in self.chi_bo_by_commune[absorbed["code"]]:
                self.version(unit_id, next(v["name"] for v in self.versions if v["unit_id"] == unit_id),
                             keeper["id"], merge_day)
            absorbed["deactivated_on"] = merge_day
            self.chi_bo_by_commune[keeper["code"]] += self.chi_bo_by_commune.pop(absorbed["code"])

    # --- people and their histories ---
    def person(self, chi_bo: int, all_chi_bo: list[int]) -> None:
        rng = self.rng
        gender = Gender.FEMALE if rng.random() < 0.42 else Gender.MALE
        female = gender is Gender.FEMALE
        surname = rng.choice(SURNAMES)
        name = " ".join([surname, rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE),
                         rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)])
        birth_year = rng.randint(1942, 2004)
        joined = max(FOUNDED, date(birth_year + 18, 1, 1) + timedelta(days=rng.randrange(3650)))
        if joined >= AS_OF:
            joined = self.day_between(FOUNDED, AS_OF)
        person_id = self.ids("person")
        self.people.append({
            "id": person_id, "full_name": name, "name_folded": fold(name), "name_sort": name_sort_key(name),
            "birth_year": birth_year, "gender": gender, "ethnicity": rng.choice(ETHNICITIES),
            "position": rng.choice(POSITIONS), "party_member": True, **self.sync_fields(joined)})
        stretches = [(chi_bo, MembershipStatus.ACTIVE, joined)]
        roll = rng.random()
        later = self.day_between(joined + timedelta(days=30), AS_OF) if joined + timedelta(days=60) < AS_OF else None
        if later is not None:
            if roll < 0.08:       # moved to another chi bộ
                other = rng.choice([unit for unit in all_chi_bo if unit != chi_bo])
                stretches.append((other, MembershipStatus.ACTIVE, later))
            elif roll < 0.12 and birth_year < 1962:   # exempt from meetings for age or health
                stretches.append((chi_bo, MembershipStatus.EXEMPT, later))
            elif roll < 0.14:     # deceased
                stretches.append((chi_bo, MembershipStatus.DECEASED, later))
            elif roll < 0.17:     # transferred out of the district
                stretches.append((chi_bo, MembershipStatus.TRANSFERRED_OUT, later))
        for index, (unit_id, status, since) in enumerate(stretches):
            until = stretches[index + 1][2] if index + 1 < len(stretches) else None
            self.memberships.append({"id": self.ids("membership"), "person_id": person_id, "unit_id": unit_id,
                                     "status": status, "valid_from": since, "valid_to": until, "note": ""})

    def build_people(self) -> None:
        all_chi_bo = [u["id"] for u in self.units if u["kind"] in (UnitKind.CHI_BO, UnitKind.CHI_BO_CO_SO)
                      and u["deactivated_on"] is None]
        for chi_bo in all_chi_bo:
            for _ in range(self.rng.randint(*self.scale.people_per_chi_bo)):
                self.person(chi_bo, all_chi_bo)

    # --- accounts and the office ---
    def user_rows(self) -> list[dict]:
        codes = {u["code"]: u["id"] for u in self.units}
        return [{"id": self.ids("app_user"), "username": username, "full_name": full_name, "role": role,
                 "unit_id": codes.get(unit_code), "active": True, "failed_logins": 0,
                 "password_hash": hash_password(password, salt=self.rng.randbytes(16)),
                 "created_at": self.moment(FOUNDED)}
                for username, password, full_name, role, unit_code in DEMO_USERS]

    def profile_rows(self) -> list[dict]:
        """The district's Ban Tuyên giáo and two communes' Đảng ủy, each issuing under its own name."""
        common = {"parent_body": "HUYỆN ỦY BẢO THẮNG", "issuing_body": "BAN TUYÊN GIÁO", "issuing_code": "BTGHU",
                  "place_name": "Bảo Thắng", "unit_word": "toàn huyện", "heading_style": HeadingStyle.DASH,
                  "attendance_target": Decimal("95.00"), "unit_id": self.root}
        recipients = "\n".join(["- Ban Tuyên giáo Tỉnh ủy (b/c),", "- Thường trực Huyện ủy (b/c),",
                                "- Các đảng bộ, chi bộ cơ sở,", "- Lưu VT BTGHU."])
        rows = [
            {"valid_from": FOUNDED, "term": "2010-2015", "signer_authority": "", "signer_position": "TRƯỞNG BAN",
             "signer_name": "Hoàng Văn Lợi", "recipients": recipients, **common},
            {"valid_from": date(2020, 10, 1), "term": "2020-2025", "signer_authority": "K/T TRƯỞNG BAN",
             "signer_position": "PHÓ TRƯỞNG BAN", "signer_name": "Nguyễn Thị Minh", "recipients": recipients, **common},
            {"valid_from": date(2025, 10, 1), "term": "2025-2030", "signer_authority": "K/T TRƯỞNG BAN",
             "signer_position": "PHÓ TRƯỞNG BAN", "signer_name": "Nguyễn Thị Minh", "recipients": recipients, **common},
        ]
        communes = {u["code"]: u["id"] for u in self.units}
        for (name, code), signer, renamed in ((COMMUNES[0], "Lò Văn Sính", None),
                                              (COMMUNES[1], "Hoàng Thị Duyên", date(2020, 1, 1))):
            if code not in communes:
                continue
            for since, term in ((FOUNDED, "2010-2015"), (date(2015, 7, 1), "2015-2020"),
                                (renamed, "2015-2020"), (date(2020, 7, 1), "2020-2025"), (date(2025, 7, 1), "2025-2030")):
                if since is None:
                    continue
                word = "THỊ TRẤN" if renamed and since >= renamed else "XÃ"
                rows.append({
                    "valid_from": since, "term": term, "parent_body": "ĐẢNG BỘ HUYỆN BẢO THẮNG",
                    "issuing_body": f"ĐẢNG ỦY {word} {name.upper()}", "issuing_code": "ĐU", "place_name": name,
                    "unit_word": f"toàn {word.lower()}", "heading_style": HeadingStyle.DASH,
                    "attendance_target": Decimal("95.00"), "unit_id": communes[code],
                    "signer_authority": "T/M ĐẢNG ỦY", "signer_position": "PHÓ BÍ THƯ", "signer_name": signer,
                    "recipients": "\n".join(["- Ban Tuyên giáo Huyện ủy (b/c),", "- Thường trực Đảng ủy,",
                                             "- Các chi bộ trực thuộc,", "- Lưu VP ĐU."])})
        communes_rng = random.Random(self.origin)   # the communes' offices came later: the rest stays as it was
        return [{"id": number, **row, **self.sync_fields(row["valid_from"], None if number <= 3 else communes_rng)}
                for number, row in enumerate(rows, start=1)]

    def write(self) -> dict[str, int]:
        self.build_tree()
        self.build_people()
        users = self.user_rows()
        profiles = self.profile_rows()
        with self.db.session_scope() as session:
            if session.scalar(select(func.count()).select_from(User)):
                raise ValidationError.one("db", "Cơ sở dữ liệu đã có dữ liệu; dữ liệu mẫu chỉ tạo vào một tệp mới.")
            session.execute(delete(InstallMeta).where(InstallMeta.key == "install_id"))
            session.execute(insert(InstallMeta), [{"key": "install_id", "value": self.origin}])
            for table, rows in ((Unit, self.units), (UnitVersion, self.versions), (User, users),
                                (OfficeProfile, profiles), (Person, self.people), (Membership, self.memberships)):
                session.execute(insert(table), rows)
            meetings_builder = MeetingsBuilder(self, session)
            activity = meetings_builder.build()
            activity |= MaterialsBuilder(self, session, meetings_builder.doc_ids, DOCUMENTS).build()
            cases_builder = CasesBuilder(self, session)
            activity |= cases_builder.build({row["username"]: row["id"] for row in users})
            activity |= OpinionBuilder(self, session, meetings_builder.doc_ids).build()
            activity |= ExemplarsBuilder(self, session, meetings_builder.doc_ids).build()
            activity |= plans.build(self, session)
            session.execute(insert(AuditEntry), [{
                "at": self.moment(AS_OF), "user_id": None, "username": "(hệ thống)", "action": "tạo",
                "entity": "demo", "entity_id": "demo", "summary": "Tạo dữ liệu mẫu", "before": None, "after": None}])
            advance_sequences(session)
        key_pin.remember(self.db.engine.url, *cases_builder.office_key)   # the demo made this key itself
        if reporting.wanted(self):   # October's reports, drawn from the sessions just written
            activity |= reporting.build(self)
        return {"units": len(self.units), "people": len(self.people), "memberships": len(self.memberships),
                "users": len(users), **activity}


def build(db: Database, scale: str = "small", seed: int = 2026) -> dict[str, int]:
    if scale not in SCALES:
        raise ValidationError.one("scale", f"Quy mô «{scale}» không có; chọn một trong: {', '.join(SCALES)}.")
    return DemoBuilder(db, SCALES[scale], seed).write()
