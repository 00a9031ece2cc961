"""The phụ lục's statistical tables, defined once for the PDF, the workbook and the Word copy.

A table holds values (text, counts, rates as fractions); each renderer formats them its own way.
Every table ends with a total row: counts summed, each rate recomputed from its summed columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models.enums import Measure
from app.reports.data import ReportData
from app.services.documents import coverage
from app.services.numbers import percent_text, short_date


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "count"                     # "text", "count" or "rate"
    width: float = 20                       # mm on the PDF page
    rate_of: tuple[int, int] | None = None  # a rate column: (numerator column, denominator column)
    target: float | None = None             # an attendance rate: below this fraction, flagged

    def below(self, value) -> bool:
        return self.target is not None and value is not None and value < self.target


@dataclass(frozen=True)
class AnnexTable:
    sheet: str                              # the workbook's sheet name (≤ 31 characters)
    title: str                              # "Kết quả hội nghị, học tập theo đơn vị"
    columns: list[Column]
    rows: list[list]                        # without the TT column: it is numbered by the renderers
    source_note: str = ""                   # where some rows' figures came from

    def total(self) -> list:
        """The total row's values: "Tổng cộng" under the first text column, sums, rates of sums."""
        found: list = []
        for index, column in enumerate(self.columns):
            if column.kind == "count":
                found.append(sum(row[index] or 0 for row in self.rows))
            elif column.kind == "rate":
                found.append(None)
            else:
                found.append("Tổng cộng" if index == 0 else "")
        for index, column in enumerate(self.columns):
            if column.rate_of:
                part, whole = (found[i] for i in column.rate_of)
                found[index] = part / whole if whole else None
        return found

    @property
    def note(self) -> str:
        """The legend under a table whose rates are flagged against the target."""
        targets = {column.target for column in self.columns if column.target is not None}
        flagged = f"(*) Dưới chỉ tiêu tham dự {percent_text(100 * targets.pop())}." if targets else ""
        return " ".join(note for note in (flagged, self.source_note) if note)


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def tables(data: ReportData) -> list[AnnexTable]:
    return [by_unit(data), by_form(data), materials(data), cases_by_channel(data), case_progress(data),
            coverage_table(data)]


def by_unit(data: ReportData) -> AnnexTable:
    columns = [Column("Đơn vị", "text", 45), Column("Số hội nghị, buổi", width=17),
               Column("Trong đó học tập, quán triệt", width=19), Column("Lượt đảng viên phải dự", width=19),
               Column("Lượt tham gia (kể cả học bù)", width=21),
               Column("Tỷ lệ", "rate", 18, (4, 3), target=float(data.turnout.target) / 100),
               Column("Trong đó học bù", width=16)]
    rows = [[line.name, line.meetings, line.study_meetings, line.expected, line.attended,
             rate(line.attended, line.expected), line.made_up] for line in data.units]
    return AnnexTable("Theo đơn vị", "Kết quả hội nghị, học tập, quán triệt theo đơn vị", columns, rows,
                      received_note(data))


def received_note(data: ReportData) -> str:
    """(**): the rows counted from the report an office sent up, naming each report."""
    if not data.from_below:
        return ""
    named = "; ".join(f"{name}: báo cáo số {found.number_text} ngày {short_date(found.made_on)}"
                      for name, found in data.from_below)
    return f"(**) Số liệu theo báo cáo đơn vị gửi lên ({named})."


def by_form(data: ReportData) -> AnnexTable:
    columns = [Column("Hình thức", "text", 62), Column("Số hội nghị, buổi", width=22),
               Column("Trực tuyến, kết hợp", width=22), Column("Lượt đảng viên có mặt", width=25),
               Column("Lượt quần chúng tham dự", width=27)]
    rows = [[line.kind.label, line.meetings, line.remote, line.present, line.crowd] for line in data.forms]
    return AnnexTable("Theo hình thức", "Hội nghị, buổi sinh hoạt, tuyên truyền theo hình thức", columns, rows)


def materials(data: ReportData) -> AnnexTable:
    columns = [Column("Loại", "text", 58), Column("Số loại", width=16), Column("Số bản", width=20),
               Column("Số tin, bài", width=20), Column("Số lượt phát", width=22), Column("Số phút", width=22)]
    rows = []
    for figure in data.outreach.kinds:
        measure = figure.kind.measure
        rows.append([figure.kind.label, figure.titles,
                     figure.quantity if measure in (Measure.COPIES, Measure.ITEMS) else 0,
                     figure.quantity if measure is Measure.ARTICLES else 0, 0,
                     figure.quantity if measure is Measure.MINUTES else 0])
    airing = data.outreach.airing
    rows.append(["Phát trên hệ thống loa truyền thanh cơ sở", 0, 0, 0, airing.times, airing.minutes])
    return AnnexTable("Tài liệu, tin bài", "Tài liệu, ấn phẩm, tin bài và thông tin cơ sở", columns, rows)


def cases_by_channel(data: ReportData) -> AnnexTable:
    columns = [Column("Kênh tiếp nhận", "text", 90), Column("Số ý kiến", width=25)]
    rows = [[line.name, line.count] for line in data.cases.by_channel]
    return AnnexTable("Phản ánh theo kênh", "Phản ánh, kiến nghị tiếp nhận theo kênh", columns, rows)


def case_progress(data: ReportData) -> AnnexTable:
    c = data.cases
    columns = [Column("Tình hình giải quyết", "text", 80), Column("Số ý kiến", width=25),
               Column("Trong đó quá hạn", width=25)]
    rows = [["Đã giải quyết", c.resolved, 0], ["Đang giải quyết", c.in_progress, c.overdue]]
    return AnnexTable("Giải quyết phản ánh", "Tình hình giải quyết phản ánh, kiến nghị tiếp nhận trong kỳ",
                      columns, rows)


def coverage_table(data: ReportData) -> AnnexTable:
    columns = [Column("Văn bản", "text", 63), Column("Đơn vị phải tổ chức", width=22),
               Column("Đã tổ chức", width=20), Column("Trong đó tổ chức muộn", width=20),
               Column("Quá hạn, chưa tổ chức", width=20), Column("Tỷ lệ", "rate", 17, (2, 1))]
    rows = []
    for cover in data.outreach.coverage:
        doc = cover.document
        rows.append([f"{doc.kind.label} số {doc.number}", len(cover.lines), cover.done, cover.count(coverage.LATE),
                     cover.count(coverage.OVERDUE), rate(cover.done, len(cover.lines))])
    return AnnexTable("Thực hiện văn bản", "Tình hình tổ chức học tập, quán triệt các văn bản", columns, rows)
