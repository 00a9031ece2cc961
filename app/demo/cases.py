"""The demo's reported cases over ten years, in every state of the workflow, and the keys that protect
their reporters: the office key, granted to the demo's inspector under their demo password.

Each case walks its path (tiếp nhận → phân loại → … → lưu) step by step from its received day; it stops
where the next step would fall after the demo's last day, so recent cases are still open and a few run
past their deadline. Named reporters are sealed like real ones, with randomness from the seed.
"""

from __future__ import annotations

import base64
import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.demo.facts import AS_OF, DEMO_USERS, FOUNDED
from app.models import (
    Case,
    CaseEvent,
    CaseIdentity,
    CaseSign,
    HolidayException,
    InstallMeta,
    KeyGrant,
    OfficeKey,
    ReferenceItem,
    SigningGrant,
    UserKey,
)
from app.models.enums import CaseStatus, CaseStep, ClosedAs, Conclusion, ReferenceList, Regime, Role, UnitKind
from app.services import passwords
from app.services.cases import sealing
from app.services.cases.intake import Reporter, identity_bytes
from app.services.cases.keys import recovery_wrapping_key
from app.services.cases.workdays import Calendar, due_date
from app.services.exchange import signing as signing_key
from app.services.search import fold

if TYPE_CHECKING:
    from app.demo.district import DemoBuilder

POSITIONS = ["Chủ tịch UBND xã", "Phó Chủ tịch UBND xã", "Cán bộ địa chính - xây dựng xã", "Trưởng thôn",
             "Công chức tư pháp - hộ tịch", "Bí thư chi bộ thôn", "Kế toán ngân sách xã", "Trưởng Công an xã",
             "Hiệu trưởng trường tiểu học", "Cán bộ văn phòng - thống kê"]
SUMMARIES = [
    ("ĐĐ4", "Phản ánh cán bộ gây phiền hà, đòi tiền khi làm thủ tục cấp giấy chứng nhận quyền sử dụng đất"),
    ("ĐĐ5", "Phản ánh việc lợi dụng chức vụ để hợp thức hóa đất công cho người nhà"),
    ("ĐĐ8", "Phản ánh tổ chức đám cưới con linh đình, nhận phong bì của cấp dưới"),
    ("ĐĐ2", "Phản ánh thái độ thờ ơ, không tiếp dân theo lịch, hẹn nhiều lần không giải quyết"),
    ("ĐĐ7", "Phản ánh bố trí người thân không đủ tiêu chuẩn vào làm việc tại cơ quan"),
    ("TT4", "Phản ánh cán bộ thường xuyên bỏ vị trí trong giờ làm việc, làm việc qua loa"),
    ("TT7", "Phản ánh nói không đi đôi với làm trong vận động hiến đất làm đường"),
    ("TT8", "Phản ánh gây mất đoàn kết nội bộ trong chi bộ thôn"),
    ("TDB6", "Phản ánh chia sẻ thông tin sai trái, xuyên tạc trên mạng xã hội"),
    ("TNLP", "Kiến nghị làm rõ việc chi tiêu kinh phí xây dựng nhà văn hóa thôn"),
    ("ĐĐ9", "Phản ánh cán bộ uống rượu trong giờ làm việc, gây mất trật tự"),
    ("ĐĐ4", "Tố giác việc thu tiền hỗ trợ hộ nghèo không đúng quy định"),
]
STREETS = ["thôn Làng Chung", "thôn Cóc", "thôn Khe Mụ", "bản Lần", "thôn Tân Lợi", "tổ dân phố số 3"]
REASONS = ["Vụ việc phức tạp, phải xác minh ở nhiều nơi", "Chờ kết quả đo đạc lại thửa đất",
           "Người bị phản ánh đi công tác dài ngày"]


class CasesBuilder:
    def __init__(self, builder: DemoBuilder, session: Session) -> None:

        self.b, self.session, self.rng = builder, session, builder.rng
        self.founded, self.as_of, self.users = FOUNDED, AS_OF, DEMO_USERS
        self.cases: list[dict] = []
        self.events: list[dict] = []
        self.signs: list[dict] = []
        self.identities: list[dict] = []
        self.office_key: tuple[bytes, bytes] = (b"", b"")   # its public and confirming halves, once made
        self.calendar = Calendar({})

    # --- keys ---
    def keys(self, user_ids: dict[str, int]) -> bytes:
        """The office key, granted to each demo inspector under their demo password; returns its public half."""
        office = sealing.new_private_key(self.rng.randbytes(32))
        public = sealing.public_bytes(office)
        at = self.b.moment(self.founded)
        recovery = self.rng.randbytes(20)
        code = base64.b32encode(recovery).decode()
        self.session.execute(insert(OfficeKey), [{
            "id": 1, "name": "Ban Tuyên giáo Huyện ủy Bảo Thắng", "public_key": public, "own": True,
            "recovery_wrapped": sealing.wrap(sealing.private_bytes(office), recovery_wrapping_key(code),
                                             nonce=self.rng.randbytes(12)),
            "confirming_key": sealing.confirming_key(office),
            "created_at": at, "created_by": "kiemtra", "retired_at": None}])
        self.office_key = (public, sealing.confirming_key(office))
        for username, password, _name, role, _unit in self.users:
            if role is not Role.INSPECTOR:
                continue
            own = self._user_key(user_ids[username], password, at, self.rng)
            self.session.execute(insert(KeyGrant), [{
                "office_key_id": 1, "user_id": user_ids[username], "granted_by": username, "granted_at": at,
                "sealed_private": sealing.seal(sealing.private_bytes(office), [sealing.public_bytes(own)],
                                               randomness=self.rng.randbytes(32))}])
        self.signing_key(user_ids, at, random.Random(sealing.private_bytes(office)))
        return public

    def signing_key(self, user_ids: dict[str, int], at, rng: random.Random) -> None:
        """The package-signing key sealed to each demo clerk, as a clerk's first login leaves it; drawn from
        its own generator so that the rest of the demo stays as it was."""
        signing = Ed25519PrivateKey.from_private_bytes(rng.randbytes(32))
        public = signing.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        raw = signing.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                    serialization.NoEncryption())
        self.session.add(InstallMeta(key=signing_key.PUBLIC, value=base64.b64encode(public).decode("ascii")))
        for username, password, _name, role, _unit in self.users:
            if role is Role.CLERK:
                own = self._user_key(user_ids[username], password, at, rng)
                self.session.add(SigningGrant(user_id=user_ids[username], granted_at=at, sealed_private=sealing.seal(
                    raw, [sealing.public_bytes(own)], randomness=rng.randbytes(32))))

    def _user_key(self, user_id: int, password: str, at, rng: random.Random):
        own = sealing.new_private_key(rng.randbytes(32))
        salt, cost = rng.randbytes(16), passwords.key_cost()
        wrapped = sealing.wrap(sealing.private_bytes(own), passwords.derive_key(password, salt, cost),
                               nonce=rng.randbytes(12))
        self.session.execute(insert(UserKey), [{
            "user_id": user_id, "public_key": sealing.public_bytes(own), "kdf": cost, "salt": salt,
            "wrapped_private": wrapped, "created_at": at}])
        return own

    # --- one case ---
    def step(self, case: dict, step: CaseStep, on: date, to: CaseStatus, by: str, detail: str = "",
             reason: str = "") -> None:
        self.events.append({"id": self.b.ids("case_event"), "case_id": case["id"], "at": self.b.moment(on), "on": on,
                            "user_id": self.user_ids[by], "username": by, "step": step,
                            "from_status": case["status"] if step is not CaseStep.RECEIVE else None,
                            "to_status": to, "detail": detail, "note": "", "reason": reason})
        case["status"] = to
        if step is not CaseStep.RECEIVE:
            case["version"] += 1

    def later(self, day: date, low: int, high: int) -> date:
        return day + timedelta(days=self.rng.randint(low, high))

    def case(self, received: date, unit_id: int, reported_unit: int, public: bytes, *, path: str = "",
             stop_at: CaseStatus | None = None, anonymous: bool | None = None, kind: str = "") -> None:
        rng, refs = self.rng, self.refs
        seq = self.seq.get((unit_id, received.year), 0) + 1
        self.seq[(unit_id, received.year)] = seq
        anonymous = rng.random() < 0.3 if anonymous is None else anonymous
        kind = kind or rng.choices(["PA", "KN", "KNAI", "TC"], weights=[50, 20, 10, 20])[0]
        sign, summary = rng.choice(SUMMARIES)
        reported = self.b.people[rng.randrange(len(self.b.people))]["full_name"]
        case_id = self.b.ids("case_file")
        by = "nhaplieu" if unit_id == self.clerk_unit else "kiemtra"
        case = {"id": case_id, "number": f"{seq:04d}/{received.year}/{self.codes[unit_id]}",
                "receiving_unit_id": unit_id, "year": received.year, "seq": seq, "received_on": received,
                "channel_id": refs[ReferenceList.CHANNEL][rng.choice(list(refs[ReferenceList.CHANNEL]))][0],
                "kind_id": refs[ReferenceList.CASE_KIND][kind][0], "anonymous": anonymous,
                "information_only": anonymous and kind == "TC", "reported_name": reported,
                "reported_name_folded": fold(reported), "reported_position": rng.choice(POSITIONS),
                "reported_unit_id": reported_unit, "reported_is_member": rng.random() < 0.8,
                "reported_is_key_cadre": rng.random() < 0.3, "reported_is_head": rng.random() < 0.15,
                "summary": summary, "summary_folded": fold(summary), "status": CaseStatus.RECEIVED,
                "handling_body_id": None, "regime": None, "accepted_on": None, "due_on": None, "extensions": 0,
                "conclusion": None, "action_id": None, "told_on": None, "told_how": "", "duplicate_of_id": None,
                "closed_as": None, **self.b.sync_fields(received)}
        self.cases.append(case)
        signs = {sign} | ({"TNLP"} if rng.random() < 0.2 else set())
        self.signs += [{"case_id": case_id, "sign_id": refs[ReferenceList.SIGN][code][0]} for code in sorted(signs)]
        if not anonymous:
            reporter = self.b.people[rng.randrange(len(self.b.people))]["full_name"]
            plain = identity_bytes(Reporter(reporter, rng.choice(STREETS), f"09{rng.randrange(10**8):08d}"))
            self.identities.append({"case_id": case_id,
                                    "sealed": sealing.seal(plain, [public], randomness=rng.randbytes(32))})
        self.step(case, CaseStep.RECEIVE, received, CaseStatus.RECEIVED, by, f"Vào sổ số {case['number']}")
        self.walk(case, received, anonymous, path, stop_at)

    def walk(self, case: dict, day: date, anonymous: bool, path: str, stop_at: CaseStatus | None) -> None:
        """Take the case as far as the demo's calendar allows (or to `stop_at`), along `path` or a random one."""
        rng, refs, end = self.rng, self.refs, self.as_of

        def go(next_day: date) -> date | None:
            return next_day if next_day <= end and case["status"] != stop_at else None

        roll = {"duplicate": 0.0, "withdraw": 0.07, "decline": 0.2, "main": 0.5}.get(path, rng.random())
        if (on := go(self.later(day, 1, 6))) is None:
            return
        if roll < 0.06 and len(self.cases) > 1:
            earlier = self.cases[rng.randrange(len(self.cases) - 1)]
            case["duplicate_of_id"], case["closed_as"] = earlier["id"], ClosedAs.DUPLICATE
            self.step(case, CaseStep.DUPLICATE, on, CaseStatus.CLOSED, "kiemtra", f"Trùng vụ việc {earlier['number']}")
            return
        if roll < 0.1:
            case["closed_as"] = ClosedAs.WITHDRAWN
            self.step(case, CaseStep.WITHDRAW, on, CaseStatus.CLOSED, "kiemtra", "Người phản ánh rút đơn")
            return
        if roll < 0.3:   # not ours: forwarded and followed
            self.step(case, CaseStep.DECLINE, on, CaseStatus.NOT_COMPETENT, "kiemtra")
            if (on := go(self.later(on, 1, 5))) is None:
                return
            code = rng.choice(["TTRA", "UBND", "CA"])
            case["handling_body_id"], case["regime"] = refs[ReferenceList.HANDLING_BODY][code][:2]
            self.step(case, CaseStep.FORWARD, on, CaseStatus.FORWARDED, "kiemtra",
                      f"Chuyển {refs[ReferenceList.HANDLING_BODY][code][2]}")
            self.finish(case, on, anonymous, go)
            return
        self.step(case, CaseStep.ACCEPT, on, CaseStatus.COMPETENT, "kiemtra")
        if (on := go(self.later(on, 1, 8))) is None:
            return
        code = "UBKT" if stop_at else rng.choice(["UBKT", "UBKT", "DUCS", "TTRA"])   # the showcase: across Tết
        body_id, regime, body_name = refs[ReferenceList.HANDLING_BODY][code]
        due = due_date(self.calendar, regime, on, 0)
        case.update(handling_body_id=body_id, regime=regime, accepted_on=on, due_on=due)
        self.step(case, CaseStep.ASSIGN, on, CaseStatus.VERIFYING, rng.choice(["kiemtra", "lanhdao"]),
                  f"Giao {body_name} ({Regime(regime).label.lower()}), hạn {due:%d/%m/%Y}")
        accepted = on
        if rng.random() < 0.2 and (ext := go(self.later(on, 15, 60))) is not None and ext < due:
            case["extensions"] = 1
            case["due_on"] = due = due_date(self.calendar, regime, accepted, 1)
            self.step(case, CaseStep.EXTEND, ext, CaseStatus.VERIFYING, "lanhdao",
                      f"Gia hạn lần 1, hạn mới {due:%d/%m/%Y}", reason=rng.choice(REASONS))
            on = ext
        late = rng.random() < 0.15 or stop_at is CaseStatus.VERIFYING   # runs past its deadline
        span = (due - on).days
        concluded = due + timedelta(days=rng.randint(5, 60)) if late else self.later(on, span // 3, max(span // 3, span - 1))
        if (on := go(max(concluded, on))) is None:
            return
        case["conclusion"] = rng.choices(list(Conclusion), weights=[35, 30, 20, 15])[0]
        self.step(case, CaseStep.CONCLUDE, on, CaseStatus.CONCLUDED, "kiemtra",
                  f"Kết luận: {Conclusion(case['conclusion']).label.lower()}")
        if (on := go(self.later(on, 2, 20))) is None:
            return
        found = case["conclusion"] in (Conclusion.TRUE, Conclusion.PARTLY)
        code = rng.choice(["PB", "KTR", "KTR", "CCAO", "CCHUC", "KTRU", "CQDT"]) if found else "KXL"
        case["action_id"] = refs[ReferenceList.ACTION][code][0]
        self.step(case, CaseStep.ACT, on, CaseStatus.ACTED, rng.choice(["kiemtra", "lanhdao"]),
                  f"Hình thức: {refs[ReferenceList.ACTION][code][2].lower()}")
        self.finish(case, on, anonymous, go)

    def finish(self, case: dict, on: date, anonymous: bool, go) -> None:
        if not anonymous:
            if (told := go(self.later(on, 3, 15))) is None:
                return
            how = self.rng.choice(["Văn bản trả lời", "Gặp trực tiếp", "Điện thoại"])
            case["told_on"], case["told_how"] = told, how
            self.step(case, CaseStep.TELL, told, CaseStatus.TOLD, "kiemtra", f"Đã thông tin cho người phản ánh: {how}")
            on = told
        if (closed := go(self.later(on, 5, 40))) is not None:
            case["closed_as"] = ClosedAs.FILED
            self.step(case, CaseStep.CLOSE, closed, CaseStatus.CLOSED, self.rng.choice(["kiemtra", "lanhdao"]))

    # --- the whole register ---
    def build(self, user_ids: dict[str, int]) -> dict[str, int]:
        self.user_ids = user_ids
        self.refs = {which: {} for which in ReferenceList}
        for item in self.session.execute(select(ReferenceItem.list, ReferenceItem.code, ReferenceItem.id,
                                                ReferenceItem.regime, ReferenceItem.name)):
            self.refs[ReferenceList(item.list)][item.code] = (item.id, item.regime, item.name)
        exceptions = [{"day": date(2026, 1, 2), "working": False, "note": "Nghỉ bù Tết Dương lịch (dữ liệu mẫu)"},
                      {"day": date(2026, 1, 10), "working": True, "note": "Làm bù cho ngày 02/01 (dữ liệu mẫu)"}]
        self.session.execute(insert(HolidayException), exceptions)
        self.calendar = Calendar({row["day"]: row["working"] for row in exceptions})
        public = self.keys(user_ids)
        self.codes = {u["id"]: u["code"] for u in self.b.units}
        self.clerk_unit = next(u["id"] for u in self.b.units if u["code"] == "PHONGNIEN")
        communes = [u for u in self.b.units if u["kind"] is UnitKind.DANG_BO_CO_SO]
        self.seq: dict[tuple[int, int], int] = {}
        per_year = self.b.scale.cases_per_year
        planned: list[tuple[date, int, int, dict]] = []   # received, receiving unit, reported person's unit, how
        for year in range(self.founded.year, self.as_of.year + 1):
            count = per_year + (per_year // 2 if year == self.as_of.year else 0)   # this year has more to show
            for _ in range(count):
                received = self.b.day_between(date(year, 1, 1), min(date(year, 12, 31), self.as_of))
                commune = self.rng.choice(communes)
                if commune["deactivated_on"] and received >= commune["deactivated_on"]:
                    commune = next(u for u in communes if u["id"] == self.clerk_unit)
                receiver = commune["id"] if self.rng.random() < 0.35 else self.b.root
                planned.append((received, receiver, commune["id"], {}))
        # This year, one case stopped in each state (a named one, so "thông tin kết quả" is possible),
        # received in January so that their deadlines run across Tết.
        for index, (stop_at, path) in enumerate([
                (CaseStatus.RECEIVED, "main"), (CaseStatus.COMPETENT, "main"), (CaseStatus.NOT_COMPETENT, "decline"),
                (CaseStatus.VERIFYING, "main"), (CaseStatus.FORWARDED, "decline"), (CaseStatus.CONCLUDED, "main"),
                (CaseStatus.ACTED, "main"), (CaseStatus.TOLD, "main"), (CaseStatus.CLOSED, "withdraw")]):
            received = date(self.as_of.year, 1, 5) + timedelta(days=3 * index)
            if stop_at is CaseStatus.RECEIVED:
                received = self.as_of - timedelta(days=1)
            planned.append((received, self.b.root, self.rng.choice(communes)["id"],
                            {"path": path, "stop_at": stop_at, "anonymous": False}))
        # An anonymous denunciation: recorded as information, handled and filed, nobody to tell.
        planned.append((date(self.as_of.year, 2, 2), self.b.root, self.rng.choice(communes)["id"],
                        {"path": "main", "anonymous": True, "kind": "TC"}))
        # Numbers follow the order of receipt, as in a paper register.
        for received, receiver, reported_unit, how in sorted(planned, key=lambda p: p[0]):
            self.case(received, receiver, reported_unit, public, **how)
        self.cases.sort(key=lambda c: c["id"])
        self.session.execute(insert(Case), self.cases)
        self.session.execute(insert(CaseSign), self.signs)
        self.session.execute(insert(CaseEvent), self.events)
        if self.identities:
            self.session.execute(insert(CaseIdentity), self.identities)
        return {"cases": len(self.cases), "case_events": len(self.events)}

