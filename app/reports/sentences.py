"""The body of the periodic report: sections I–V, section II written as an office writes it.

Every renderer (PDF, Word) prints the same `Section` list, so the wording lives only here. Each
sentence handles none, one and many ("không tổ chức…", "1 hội nghị", "42 hội nghị").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.models.enums import HeadingStyle, MeetingKind, SpeakerLevel
from app.reports.data import ReportData
from app.services.headline import HEADLINE_LABELS
from app.services.numbers import count_text, percent_text, rate_text, ratio

ROMAN = ("I", "II", "III", "IV", "V")
PLACEHOLDER = "(Nội dung phần này do cơ quan soạn; nhập ở trang Báo cáo trước khi ban hành.)"
# "Tiếp nhận 7 ý kiến (4 qua tiếp dân, 2 qua hòm thư góp ý…)": the shipped channels' phrases.
CHANNEL_PHRASES = {"TD": "qua tiếp dân", "DT": "qua đơn thư", "HT": "qua hòm thư góp ý",
                   "DTH": "qua điện thoại, đường dây nóng", "EM": "qua thư điện tử",
                   "MXH": "qua cổng thông tin, mạng xã hội", "MTTQ": "qua Mặt trận Tổ quốc và các đoàn thể",
                   "TXCT": "qua tiếp xúc cử tri, đối thoại"}
# How section II names sessions of each kind ("224 buổi tuyên truyền, phổ biến").
SESSION_NOUNS = {MeetingKind.PROPAGANDA: "buổi tuyên truyền, phổ biến", MeetingKind.PRESENTERS: "hội nghị báo cáo viên",
                 MeetingKind.SEMINAR: "buổi tọa đàm", MeetingKind.THEMATIC: "buổi sinh hoạt chuyên đề",
                 MeetingKind.CHI_BO: "buổi sinh hoạt chi bộ", MeetingKind.DIALOGUE: "buổi đối thoại với Nhân dân",
                 MeetingKind.SUPERVISION: "hội nghị giám sát, phản biện của Mặt trận Tổ quốc"}


@dataclass(frozen=True)
class Part:
    """A line of the body: a numbered subheading ("1. Công tác…") or a paragraph."""

    text: str
    subheading: bool = False
    placeholder: bool = False      # a written part still empty (drafts only)


@dataclass(frozen=True)
class Section:
    heading: str                   # "I- TÌNH HÌNH TƯ TƯỞNG, DƯ LUẬN XÃ HỘI"
    parts: list[Part] = field(default_factory=list)


def with_end_mark(text: str) -> str:
    """The body's last sentence ends with "./." (one full stop, not two)."""
    return text.rstrip().rstrip(".") + "./."


def heading(style: HeadingStyle, number: int, title: str) -> str:
    return f"{ROMAN[number - 1]}{'-' if style is HeadingStyle.DASH else '.'} {title.upper()}"


def written(text: str) -> list[Part]:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [Part(line) for line in lines] or [Part(PLACEHOLDER, placeholder=True)]


def body(data: ReportData) -> list[Section]:
    style, w = data.office.heading_style, data.written
    sections = [
        Section(heading(style, 1, "Tình hình tư tưởng, dư luận xã hội"), written(w.situation)),
        Section(heading(style, 2, "Kết quả công tác tuyên giáo"), results(data)),
        Section(heading(style, 3, "Đánh giá chung"), written(w.assessment)),
        Section(heading(style, 4, f"Nhiệm vụ trọng tâm {data.period.following_label()}"), written(w.tasks)),
    ]
    if w.proposals.strip():
        sections.append(Section(heading(style, 5, "Đề xuất, kiến nghị"), written(w.proposals)))
    return sections


def results(data: ReportData) -> list[Part]:
    dissemination, casework = comparison(data)
    parts = [Part("1. Công tác học tập, quán triệt", subheading=True), *[Part(t) for t in study(data)],
             Part("2. Công tác tuyên truyền", subheading=True), *[Part(t) for t in outreach(data)],
             *[Part(t) for t in dissemination],   # compares the sessions and materials of 1 and 2
             Part("3. Đội ngũ báo cáo viên", subheading=True), Part(presenters(data)),
             Part("4. Tiếp nhận, giải quyết phản ánh, kiến nghị của Nhân dân (Quy định 99-QĐ/TW, Kết luận "
                  "54-KL/TW)", subheading=True), *[Part(t) for t in cases(data)], *[Part(t) for t in casework]]
    if data.written.models.strip():
        parts += [Part("5. Biểu dương, nhân rộng mô hình", subheading=True), *written(data.written.models)]
    return parts


def study(data: ReportData) -> list[str]:
    when, where, s = data.period.in_period, data.area_word, data.study
    if not s.meetings:
        found = [f"{when}, không tổ chức hội nghị học tập, quán triệt."]
    elif not data.documents:
        found = [f"{when}, {where} tổ chức {count_text(s.meetings)} hội nghị học tập, quán triệt, với "
                 f"{rate_text(s.attended, s.expected, 'lượt đảng viên')}" + _crowd_tail(data) + "."]
    elif len(data.documents) == 1:
        doc = data.documents[0]
        found = [f"{when}, {where} tổ chức {count_text(s.meetings)} hội nghị học tập, quán triệt {doc.title}, "
                 f"với {_people(doc)}" + _crowd_tail(data) + "."]
    else:
        found = [f"{when}, {where} tổ chức {count_text(s.meetings)} hội nghị học tập, quán triệt "
                 f"{len(data.documents)} văn bản" + _crowd_tail(data, lead=", ") + ", cụ thể:"]
        found += [f"- {doc.title}: {count_text(doc.meetings)} hội nghị, {_people(doc)};" for doc in data.documents]
        found[-1] = found[-1][:-1] + "."
    t = data.turnout
    if t.expected:
        made_up = f" (kể cả {count_text(t.made_up)} lượt học bù)" if t.made_up else ""
        found.append(f"Tính chung các hội nghị, buổi sinh hoạt {when.lower()}, số lượt đảng viên tham gia là "
                     f"{count_text(t.attended)}/{count_text(t.expected)}, đạt {percent_text(t.rate)}{made_up}.")
    if t.made_up_earlier:   # they belong to sessions of earlier periods, so not to the rate above
        found.append(f"{when}, có thêm {count_text(t.made_up_earlier)} lượt đảng viên học bù cho các hội nghị "
                     "kỳ trước.")
    if data.from_below:   # offices whose sessions are not in this install: as their reports said
        sums = {name: sum(found.figures[name] for _, found in data.from_below)
                for name in ("meetings", "expected", "attended", "crowd")}
        crowd = f", {count_text(sums['crowd'])} lượt quần chúng tham dự" if sums["crowd"] else ""
        found.append(f"Ngoài ra, theo báo cáo của {count_text(len(data.from_below))} đơn vị gửi lên (chưa tổng hợp "
                     f"chi tiết), {when.lower()} các đơn vị này tổ chức "
                     f"{count_text(sums['meetings'])} hội nghị, buổi sinh hoạt"
                     + (f", với {rate_text(sums['attended'], sums['expected'], 'lượt đảng viên')}" if sums["expected"]
                        else "") + f"{crowd} (số liệu từng đơn vị tại phụ lục).")
    found += [cover.sentence() for cover in data.outreach.coverage]
    return found


def _people(doc) -> str:
    made_up = f" (kể cả {count_text(doc.made_up)} đảng viên học bù)" if doc.made_up else ""
    if not doc.required:
        return f"{count_text(doc.attended)} đảng viên tham gia{made_up}"
    return (f"{count_text(doc.attended)}/{count_text(doc.required)} đảng viên tham gia, đạt "
            f"{percent_text(doc.rate)}{made_up}")


def _crowd_tail(data: ReportData, lead: str = "; ") -> str:
    crowd = data.study.crowd.total
    return f"{lead}{count_text(crowd)} lượt quần chúng tham dự" if crowd else ""


def outreach(data: ReportData) -> list[str]:
    when, where = data.period.in_period, data.area_word
    held = [(SESSION_NOUNS[f.kind], f) for f in data.forms if f.kind in SESSION_NOUNS and f.meetings]
    found = []
    if held:
        listed = ", ".join(f"{count_text(f.meetings)} {noun}" for noun, f in held)
        remote = sum(f.remote for _noun, f in held)
        crowd = sum(f.crowd for _noun, f in held)
        present = sum(f.present for _noun, f in held)
        tail = []
        if present:
            tail.append(f"{count_text(present)} lượt đảng viên")
        if crowd:
            tail.append(f"{count_text(crowd)} lượt quần chúng")
        text = f"{when}, {where} tổ chức {listed}"
        if remote:
            text += f" (trong đó {count_text(remote)} buổi trực tuyến hoặc kết hợp)"
        found.append(text + (f", với {' và '.join(tail)} tham dự." if tail else "."))
    else:
        found.append(f"{when}, không tổ chức hội nghị, buổi tuyên truyền trực tiếp.")
    o = data.outreach
    if o.kinds or o.airing.times:
        found.append(o.sentence())
    else:
        found.append(f"{when}, chưa phát hành tài liệu, ấn phẩm, tin bài; hệ thống loa truyền thanh cơ sở chưa phát.")
    return found


LEVEL_WORDS = {SpeakerLevel.CENTRAL: "của Trung ương", SpeakerLevel.PROVINCE: "của Tỉnh ủy",
               SpeakerLevel.DISTRICT: "của Huyện ủy", SpeakerLevel.GRASSROOTS: "ở cơ sở"}


def presenters(data: ReportData) -> str:
    p, when = data.presenters, data.period.in_period
    if not p.appearances:
        return f"{when}, chưa ghi nhận báo cáo viên tham gia báo cáo tại các hội nghị, buổi tuyên truyền."
    levels = "; ".join(f"{count_text(n)} {LEVEL_WORDS[level]}" for level, n in p.by_level)
    return (f"{when}, {count_text(p.people)} báo cáo viên{f' ({levels})' if levels else ''} tham gia báo cáo tại "
            f"{count_text(p.sessions)} hội nghị, buổi tuyên truyền ({count_text(p.appearances)} lượt).")


def cases(data: ReportData) -> list[str]:
    c, when = data.cases, data.period.in_period
    if not c.received:
        return [f"{when}, không tiếp nhận ý kiến phản ánh, kiến nghị nào."]
    channels = ", ".join(f"{count_text(line.count)} {_channel(line.code, line.name)}" for line in c.by_channel if line.count)
    handling = [f"{label} {count_text(n)}" for label, n in (("đã giải quyết", c.resolved),
                                                             ("đang giải quyết", c.in_progress)) if n]
    handling.append(f"quá hạn {count_text(c.overdue)}" if c.overdue else "không có trường hợp quá hạn")
    first = (f"{when}, tiếp nhận {count_text(c.received)} ý kiến phản ánh, kiến nghị ({channels}); "
             + ", ".join(handling))
    first += f"; đã thông tin kết quả cho {count_text(c.told)} người phản ánh." if c.told else "."
    found = [first]
    # The parts add up to the received count: what is not sorted yet is said too.
    unsorted = c.received - c.competent - c.not_competent - c.forwarded
    sorting = [f"{label} {count_text(n)}" for label, n in (
        ("thuộc thẩm quyền", c.competent), ("không thuộc thẩm quyền", c.not_competent),
        ("đã chuyển cơ quan có thẩm quyền", c.forwarded), ("chưa phân loại", unsorted)) if n > 0]
    found.append("Qua phân loại: " + ", ".join(sorting) + ".")
    if c.conclusions:
        found.append("Đã kết luận " + ", ".join(f"{count_text(n)} vụ việc {conclusion.label.lower()}"
                                                 for conclusion, n in c.conclusions.items()) + ".")
    disciplined = sum(line.count for line in c.disciplined)
    if disciplined:
        found.append(f"Xử lý {count_text(disciplined)} người (" + ", ".join(
            f"{line.name.lower()} {count_text(line.count)}" for line in c.disciplined if line.count) + ").")
    if c.information_only:
        found.append(f"Có {count_text(c.information_only)} đơn tố cáo nặc danh được ghi nhận là thông tin, không xử lý "
                     "theo thủ tục giải quyết tố cáo.")
    return found


def _channel(code: str, name: str) -> str:
    if code in CHANNEL_PHRASES:
        return CHANNEL_PHRASES[code]
    return name[0].lower() + name[1:] if name.lower().startswith("qua ") else "qua " + name[0].lower() + name[1:]


def comparison(data: ReportData) -> tuple[list[str], list[str]]:
    """Lũy kế từ đầu năm and so với cùng kỳ năm trước: of the sessions and materials (under heading 2)
    and of the cases (under heading 4). A zero is worded, not stated as a result."""
    ytd, before, now = data.year_to_date, data.year_before, data.current
    same = f"So với cùng kỳ năm {before.period.start.year}"
    dissemination, casework = [], []
    if ytd is not None:
        done = [f"tổ chức {count_text(ytd.meetings)} hội nghị, buổi tuyên truyền" if ytd.meetings
                else "chưa tổ chức hội nghị, buổi tuyên truyền"]
        audience = [f"{count_text(n)} {noun}" for n, noun in ((ytd.attended, "lượt đảng viên"),
                                                               (ytd.crowd, "lượt quần chúng")) if n]
        if ytd.meetings and audience:
            done[0] += f" với {' và '.join(audience)} tham dự"
        done.append(f"phát hành {count_text(ytd.copies)} bản tài liệu, ấn phẩm" if ytd.copies
                    else "chưa phát hành tài liệu, ấn phẩm")
        dissemination.append(f"Lũy kế từ đầu năm, {data.area_word} " + "; ".join(done) + ".")
        if ytd.cases:
            solved = f" (đã giải quyết {count_text(ytd.resolved)})" if ytd.resolved else ""
            casework.append(f"Lũy kế từ đầu năm, tiếp nhận {count_text(ytd.cases)} ý kiến phản ánh, kiến nghị{solved}.")
        else:
            casework.append("Lũy kế từ đầu năm, chưa tiếp nhận ý kiến phản ánh, kiến nghị.")
    changes = [_change(label, getattr(now, name), getattr(before, name))
               for name, label in (("meetings", "số hội nghị, buổi tuyên truyền"),
                                   ("attended", "lượt đảng viên tham gia"), ("crowd", "lượt quần chúng tham dự"))]
    dissemination.append(f"{same}: " + "; ".join(changes) + ".")
    casework.append(f"{same}: " + _change("ý kiến phản ánh, kiến nghị tiếp nhận", now.cases, before.cases) + ".")
    return dissemination, casework


# A percentage change is written only on a base at least this large; below it, the difference alone.
PERCENT_BASE = 20


def _change(label: str, now: int, before: int) -> str:
    if now == before:
        return f"{label} bằng cùng kỳ ({count_text(now)})" if now else f"{label} đều chưa có"
    word = "tăng" if now > before else "giảm"
    share = f" ({percent_text(ratio(abs(now - before), before), 1)})" if before >= PERCENT_BASE else ""
    return f"{label} {word} {count_text(abs(now - before))}{share}"


def headline_rows(data: ReportData) -> list[tuple[str, int, int | None, int]]:
    """(label, this period, year to date, same period last year) for the comparison sheet."""
    return [(label, getattr(data.current, name), getattr(data.year_to_date, name) if data.year_to_date else None,
             getattr(data.year_before, name)) for name, label in HEADLINE_LABELS.items()]
