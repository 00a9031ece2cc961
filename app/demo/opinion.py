"""The demo's register of public opinion: each commune notes a strand or two a month from 2024, the
district a few of its own. Drawn from a random stream of its own, so every other row of the demo is the
same as before the register came."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.demo.facts import AS_OF
from app.models import Opinion, OpinionAmong
from app.models.enums import OpinionGroup as G
from app.models.enums import OpinionTendency as T
from app.models.enums import UnitKind
from app.services.search import fold

if TYPE_CHECKING:
    from app.demo.district import DemoBuilder

SINCE = date(2024, 1, 1)
# Topic, the directive it concerns, the ways it leans (with what is said), the groups it runs among, what was done.
TOPICS = [
    ("Việc sắp xếp đơn vị hành chính, tổ chức chính quyền địa phương hai cấp", None,
     {T.POSITIVE: "Đa số cán bộ, đảng viên đồng tình, cho rằng bộ máy gọn nhẹ, gần dân hơn.",
      T.MIXED: "Một bộ phận lo ngại đi xa khi làm thủ tục hành chính và việc bố trí cán bộ dôi dư."},
     [G.CADRES, G.PEOPLE], "Tuyên truyền trên loa truyền thanh và tại các buổi họp thôn về lộ trình sắp xếp."),
    ("Giá phân bón, vật tư nông nghiệp tăng cao", None,
     {T.WORRYING: "Nhiều hộ trồng chuối, dứa lo lắng chi phí đầu vào tăng trong khi giá bán giảm.",
      T.MIXED: "Người dân mong chính quyền hỗ trợ kết nối tiêu thụ và vay vốn ưu đãi."},
     [G.FARMERS], "Phối hợp Hội Nông dân hướng dẫn sử dụng phân bón tiết kiệm, giới thiệu vay vốn ưu đãi."),
    ("Kết quả tiếp nhận, xử lý phản ánh của Nhân dân về cán bộ, đảng viên", "54-KL/TW",
     {T.POSITIVE: "Nhân dân đánh giá cao việc công khai kết quả giải quyết phản ánh, kiến nghị.",
      T.MIXED: "Còn ý kiến cho rằng một số phản ánh giải quyết chậm, chưa thông tin kết quả kịp thời."},
     [G.PEOPLE, G.CADRES], "Đảng ủy chỉ đạo rà soát các phản ánh quá hạn, thông tin kết quả cho người phản ánh."),
    ("Tình trạng lừa đảo qua mạng, tín dụng đen", None,
     {T.WORRYING: "Một số hộ bị lừa chuyển tiền qua mạng, vay lãi nặng, gây bức xúc trong Nhân dân."},
     [G.PEOPLE, G.YOUTH, G.ELDERLY], "Phối hợp Công an xã tuyên truyền cách nhận biết thủ đoạn lừa đảo tại các thôn."),
    ("Bồi thường, giải phóng mặt bằng dự án đường nối cao tốc", None,
     {T.MIXED: "Người dân ủng hộ dự án nhưng đề nghị công khai đơn giá bồi thường, hỗ trợ tái định cư.",
      T.WORRYING: "Một số hộ chưa đồng thuận với mức bồi thường, có biểu hiện tụ tập đông người."},
     [G.FARMERS, G.PEOPLE], "Tổ chức đối thoại giữa lãnh đạo xã với các hộ có đất bị thu hồi."),
    ("Chương trình xóa nhà tạm, nhà dột nát", None,
     {T.POSITIVE: "Nhân dân phấn khởi, các hộ được hỗ trợ cảm ơn sự quan tâm của Đảng, Nhà nước."},
     [G.PEOPLE, G.ETHNIC], ""),
    ("Công tác phòng, chống tham nhũng, tiêu cực; xử lý cán bộ vi phạm", "54-KL/TW",
     {T.POSITIVE: "Cán bộ, đảng viên và Nhân dân đồng tình với việc xử lý nghiêm các vụ việc sai phạm.",
      T.MIXED: "Có ý kiến mong việc xử lý được công khai hơn ở cơ sở."},
     [G.CADRES, G.VETERANS, G.PEOPLE], ""),
    ("Thông tin sai lệch trên mạng xã hội về cán bộ xã", None,
     {T.WORRYING: "Một số tài khoản mạng xã hội đăng tin chưa được kiểm chứng, xúc phạm cán bộ xã."},
     [G.CADRES, G.YOUTH], "Báo cáo Ban Chỉ đạo 35 huyện; đăng thông tin chính thức trên trang của xã."),
    ("Tổ chức đại hội đảng bộ các cấp nhiệm kỳ 2025 - 2030", None,
     {T.POSITIVE: "Cán bộ, đảng viên tin tưởng vào công tác chuẩn bị nhân sự và văn kiện đại hội."},
     [G.CADRES], ""),
    ("Khắc phục hậu quả sạt lở đất sau mưa lũ", None,
     {T.MIXED: "Nhân dân ghi nhận sự vào cuộc kịp thời, song lo ngại nguy cơ sạt lở tiếp ở khu dân cư ven suối."},
     [G.PEOPLE, G.ETHNIC], "Rà soát, di dời các hộ ở vùng nguy cơ cao; tuyên truyền phòng, chống thiên tai."),
    ("Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", None,
     {T.POSITIVE: "Đoàn viên, thanh niên hưởng ứng các phần việc thanh niên tình nguyện tại thôn, bản."},
     [G.YOUTH, G.STUDENTS], ""),
    ("Hoạt động tôn giáo, tín ngưỡng không phép tại một số thôn", None,
     {T.WORRYING: "Xuất hiện người ngoài địa phương đến tuyên truyền đạo lạ, tổ chức sinh hoạt không phép."},
     [G.RELIGIOUS, G.ETHNIC], "Báo cáo Ban Thường vụ; phối hợp Mặt trận vận động Nhân dân không tham gia."),
]
PLACES = ["Họp chi bộ thôn", "Họp thôn, bản", "Tiếp xúc cử tri", "Chợ phiên", "Mạng xã hội (Facebook, Zalo)",
          "Cộng tác viên dư luận xã hội", "Sinh hoạt chi hội nông dân", "Hội nghị giao ban khối dân vận"]


class OpinionBuilder:
    def __init__(self, builder: DemoBuilder, session: Session, doc_ids: dict[str, int]) -> None:
        self.b, self.session, self.doc_ids = builder, session, doc_ids
        self.rng = random.Random(f"du-luan-{builder.scale.communes}")
        self.rows: list[dict] = []
        self.groups: list[dict] = []

    def entry(self, unit_id: int, noted_on: date) -> None:
        rng = self.rng
        topic, doc, leanings, groups, action = rng.choice(TOPICS)
        tendency = rng.choice(list(leanings))
        entry_id = self.b.ids("opinion")
        acted = action if (tendency is T.WORRYING or rng.random() < 0.4) else ""
        self.rows.append({
            "id": entry_id, "unit_id": unit_id, "noted_on": noted_on, "topic": topic, "topic_folded": fold(topic),
            "heard_at": rng.choice(PLACES), "tendency": tendency, "content": leanings[tendency], "action": acted,
            "reported_up": tendency is T.WORRYING and rng.random() < 0.7,
            "document_id": self.doc_ids.get(doc) if doc else None, **self.b.sync_fields(noted_on, rng)})
        self.groups += [{"opinion_id": entry_id, "group": group} for group in groups]

    def build(self) -> dict[str, int]:
        communes = [u for u in self.b.units if u["kind"] is UnitKind.DANG_BO_CO_SO]
        month = SINCE
        while month < AS_OF:
            following = (month + timedelta(days=32)).replace(day=1)
            days = (min(following, AS_OF) - month).days
            for _ in range(self.rng.randint(1, 2)):   # the district's own, from its conferences and briefings
                self.entry(self.b.root, month + timedelta(days=self.rng.randrange(days)))
            for commune in communes:
                if commune["deactivated_on"] and commune["deactivated_on"] <= month:
                    continue
                for _ in range(self.rng.choice((0, 1, 1, 2))):
                    self.entry(commune["id"], month + timedelta(days=self.rng.randrange(days)))
            month = following
        self.session.execute(insert(Opinion), self.rows)
        self.session.execute(insert(OpinionAmong), self.groups)
        return {"opinions": len(self.rows)}
