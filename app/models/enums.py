"""Enumerations: stored value (ASCII) + Vietnamese label."""

from __future__ import annotations

from app.models.base import LabeledEnum


class Role(LabeledEnum):
    ADMIN = "admin", "Quản trị"
    CLERK = "clerk", "Cán bộ nhập liệu"
    LEADER = "leader", "Lãnh đạo"
    INSPECTOR = "inspector", "Kiểm tra"


class UnitKind(LabeledEnum):
    DANG_BO = "dang_bo", "Đảng bộ"
    DANG_BO_CO_SO = "dang_bo_co_so", "Đảng bộ cơ sở"
    CHI_BO_CO_SO = "chi_bo_co_so", "Chi bộ cơ sở"
    CHI_BO = "chi_bo", "Chi bộ"
    CO_QUAN = "co_quan", "Cơ quan, đơn vị"

    @property
    def holds_members(self) -> bool:
        """Party members have their membership in a chi bộ, never directly in a đảng bộ."""
        return self in (UnitKind.CHI_BO, UnitKind.CHI_BO_CO_SO)


class MembershipStatus(LabeledEnum):
    ACTIVE = "active", "Đang sinh hoạt"
    EXEMPT = "exempt", "Miễn sinh hoạt"
    TRANSFERRED_OUT = "transferred_out", "Đã chuyển đi"
    DECEASED = "deceased", "Từ trần"

    @property
    def is_final(self) -> bool:
        return self in (MembershipStatus.TRANSFERRED_OUT, MembershipStatus.DECEASED)


class Gender(LabeledEnum):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class HeadingStyle(LabeledEnum):
    DASH = "I-", "I- (gạch ngang)"
    DOT = "I.", "I. (dấu chấm)"


class DocumentKind(LabeledEnum):
    """Kinds of Party documents; the value is the code written in the number (54-KL/TW)."""

    NQ = "NQ", "Nghị quyết"
    CT = "CT", "Chỉ thị"
    KL = "KL", "Kết luận"
    QDI = "QĐi", "Quy định"
    QD = "QĐ", "Quyết định"
    QC = "QC", "Quy chế"
    KH = "KH", "Kế hoạch"
    HD = "HD", "Hướng dẫn"
    CV = "CV", "Công văn"
    TB = "TB", "Thông báo"
    CTR = "CTr", "Chương trình"


class MeetingKind(LabeledEnum):
    STUDY = "study", "Học tập, quán triệt"
    PROPAGANDA = "propaganda", "Tuyên truyền, phổ biến"
    PRESENTERS = "presenters", "Hội nghị báo cáo viên"
    SEMINAR = "seminar", "Tọa đàm"
    THEMATIC = "thematic", "Sinh hoạt chuyên đề"
    CHI_BO = "chi_bo", "Sinh hoạt chi bộ"
    DIALOGUE = "dialogue", "Đối thoại với Nhân dân"   # người đứng đầu cấp ủy, chính quyền với Nhân dân
    SUPERVISION = "supervision", "Giám sát của MTTQ"   # Mặt trận Tổ quốc: no longer than the others, for the filters


class MeetingForm(LabeledEnum):
    IN_PERSON = "in_person", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    MIXED = "mixed", "Kết hợp"

    @property
    def has_bridge_points(self) -> bool:
        return self is not MeetingForm.IN_PERSON


class MeetingStatus(LabeledEnum):
    PLANNED = "planned", "Dự kiến"
    HELD = "held", "Đã tổ chức"
    POSTPONED = "postponed", "Hoãn"
    CANCELLED = "cancelled", "Hủy"


class Presence(LabeledEnum):
    PRESENT = "present", "Có mặt"
    EXCUSED = "excused", "Vắng có lý do"
    UNEXCUSED = "unexcused", "Vắng không lý do"


class AudienceGroup(LabeledEnum):
    """Crowds are counted, not listed (DOMAIN.md)."""

    PARTY_MEMBERS = "party_members", "Đảng viên"
    CADRES = "cadres", "Cán bộ, công chức"
    UNION_MEMBERS = "union_members", "Đoàn viên, hội viên"
    PEOPLE = "people", "Nhân dân"
    PUPILS = "pupils", "Học sinh, sinh viên"


class Measure(LabeledEnum):
    """What a material is counted in (DOMAIN.md, "Materials")."""

    COPIES = "copies", "bản"
    ITEMS = "items", "cái"
    ARTICLES = "articles", "tin, bài"
    MINUTES = "minutes", "phút"

    @property
    def distributed(self) -> bool:
        """Printed copies and panels are handed out to units; articles and airtime are not."""
        return self in (Measure.COPIES, Measure.ITEMS)


class MaterialKind(LabeledEnum):
    """Tài liệu, ấn phẩm, tin bài; loudspeakers have their own log (Broadcast)."""

    HANDBOOK = "handbook", "Tài liệu (đề cương, hỏi - đáp)"
    BOOK = "book", "Sách"
    BULLETIN = "bulletin", "Bản tin"
    LEAFLET = "leaflet", "Tờ rơi"
    FOLDER = "folder", "Tờ gấp"
    POSTER = "poster", "Pa-nô, áp phích"
    BANNER = "banner", "Băng rôn, khẩu hiệu"
    PRESS = "press", "Tin, bài báo in"
    WEB = "web", "Tin, bài trang thông tin điện tử"
    TV = "tv", "Phóng sự truyền hình"
    RADIO = "radio", "Chương trình phát thanh"
    SOCIAL = "social", "Bài đăng mạng xã hội"

    @property
    def measure(self) -> Measure:
        return _MEASURES[self]

    @property
    def has_outlet(self) -> bool:
        """Published somewhere (a newspaper, a station, a site) rather than printed by the unit."""
        return self.measure in (Measure.ARTICLES, Measure.MINUTES)


_MEASURES = {
    MaterialKind.HANDBOOK: Measure.COPIES, MaterialKind.BOOK: Measure.COPIES, MaterialKind.BULLETIN: Measure.COPIES,
    MaterialKind.LEAFLET: Measure.COPIES, MaterialKind.FOLDER: Measure.COPIES, MaterialKind.POSTER: Measure.ITEMS,
    MaterialKind.BANNER: Measure.ITEMS, MaterialKind.PRESS: Measure.ARTICLES, MaterialKind.WEB: Measure.ARTICLES,
    MaterialKind.TV: Measure.MINUTES, MaterialKind.RADIO: Measure.MINUTES, MaterialKind.SOCIAL: Measure.ARTICLES,
}


class Regime(LabeledEnum):
    """Who handles a reported case decides how its time is counted (DOMAIN.md)."""

    STATE = "state", "Cơ quan nhà nước"          # calendar days from acceptance (thụ lý)
    PARTY = "party", "Tổ chức đảng ở cơ sở"      # working days


class CaseStatus(LabeledEnum):
    """Where a reported case stands (DOMAIN.md's transition table)."""

    RECEIVED = "received", "Tiếp nhận"
    COMPETENT = "competent", "Thuộc thẩm quyền"
    NOT_COMPETENT = "not_competent", "Không thuộc thẩm quyền"
    VERIFYING = "verifying", "Đang xác minh"
    FORWARDED = "forwarded", "Đã chuyển"
    CONCLUDED = "concluded", "Đã kết luận"
    ACTED = "acted", "Đã xử lý"
    TOLD = "told", "Đã thông tin kết quả"
    CLOSED = "closed", "Lưu hồ sơ"

    @property
    def resolved(self) -> bool:
        """Settled from this office's side: concluded, dealt with, forwarded or filed."""
        return self in (CaseStatus.CONCLUDED, CaseStatus.ACTED, CaseStatus.TOLD, CaseStatus.FORWARDED,
                        CaseStatus.CLOSED)


class CaseStep(LabeledEnum):
    RECEIVE = "receive", "Tiếp nhận, vào sổ"
    ACCEPT = "accept", "Phân loại: thuộc thẩm quyền"
    DECLINE = "decline", "Phân loại: không thuộc thẩm quyền"
    DUPLICATE = "duplicate", "Trùng đơn đã nhận"
    WITHDRAW = "withdraw", "Rút đơn"
    ASSIGN = "assign", "Giao xác minh"
    EXTEND = "extend", "Gia hạn"
    FORWARD = "forward", "Chuyển cơ quan có thẩm quyền"
    CONCLUDE = "conclude", "Kết luận"
    ACT = "act", "Xử lý"
    TELL = "tell", "Thông tin kết quả cho người phản ánh"
    CLOSE = "close", "Lưu hồ sơ"
    REOPEN = "reopen", "Mở lại"
    EDIT = "edit", "Sửa thông tin"


class Conclusion(LabeledEnum):
    TRUE = "true", "Đúng"
    PARTLY = "partly", "Đúng một phần"
    FALSE = "false", "Sai"
    NO_BASIS = "no_basis", "Không có cơ sở"


class ClosedAs(LabeledEnum):
    DUPLICATE = "duplicate", "Trùng đơn"
    WITHDRAWN = "withdrawn", "Rút đơn"
    FILED = "filed", "Lưu hồ sơ"


class ReferenceList(LabeledEnum):
    """The editable lists of the Danh mục page."""

    SIGN = "sign", "Biểu hiện suy thoái"
    CHANNEL = "channel", "Kênh tiếp nhận"
    CASE_KIND = "case_kind", "Loại đơn, thư"
    HANDLING_BODY = "handling_body", "Cơ quan giải quyết"
    ACTION = "action", "Hình thức xử lý"


class OpinionTendency(LabeledEnum):
    """Which way a strand of public opinion leans (tình hình tư tưởng, dư luận xã hội)."""

    POSITIVE = "positive", "Tích cực"
    MIXED = "mixed", "Trái chiều"
    WORRYING = "worrying", "Đáng lo ngại"


class OpinionGroup(LabeledEnum):
    """The people a strand of opinion runs among, as section I of a report names them."""

    CADRES = "cadres", "Cán bộ, đảng viên"
    FARMERS = "farmers", "Nông dân"
    WORKERS = "workers", "Công nhân, người lao động"
    YOUTH = "youth", "Đoàn viên, thanh niên"
    WOMEN = "women", "Hội viên phụ nữ"
    VETERANS = "veterans", "Cựu chiến binh"
    ELDERLY = "elderly", "Người cao tuổi"
    ETHNIC = "ethnic", "Đồng bào dân tộc thiểu số"
    RELIGIOUS = "religious", "Chức sắc, tín đồ tôn giáo"
    BUSINESS = "business", "Doanh nghiệp, hộ kinh doanh"
    STUDENTS = "students", "Học sinh, sinh viên"
    PEOPLE = "people", "Nhân dân"


class ExemplarKind(LabeledEnum):
    """What the register of good examples holds (mô hình, điển hình tiên tiến)."""

    MODEL = "model", "Mô hình"
    COLLECTIVE = "collective", "Tập thể điển hình"
    PERSON = "person", "Cá nhân điển hình"


class Commendation(LabeledEnum):
    """How an example was recognised, from noticed to the State's orders."""

    NOTED = "noted", "Phát hiện, theo dõi"
    PRAISE = "praise", "Biểu dương"
    CERTIFICATE = "certificate", "Giấy khen"
    MERIT = "merit", "Bằng khen"
    FLAG = "flag", "Cờ thi đua"
    ORDER = "order", "Huân chương"

    @property
    def commended(self) -> bool:
        return self is not Commendation.NOTED


class SpeakerRole(LabeledEnum):
    PRESENTER = "presenter", "Báo cáo viên"
    PROPAGANDIST = "propagandist", "Tuyên truyền viên"


class SpeakerLevel(LabeledEnum):
    """Whose báo cáo viên: the Party committee that appointed them."""

    CENTRAL = "central", "Trung ương"
    PROVINCE = "province", "Tỉnh ủy"
    DISTRICT = "district", "Huyện ủy"
    GRASSROOTS = "grassroots", "Cơ sở"
