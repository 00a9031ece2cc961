"""Figures of materials, press, loudspeakers and implementation, checked against what the test entered."""

from __future__ import annotations

from datetime import date, timedelta

from app.models.enums import DocumentKind, MaterialKind
from app.services import documents
from app.services.documents import DocumentInput
from app.services.outreach import broadcasts, materials
from app.services.outreach import figures as outreach_figures
from app.services.outreach.broadcasts import WeekLine
from app.services.outreach.materials import DistributionLine, MaterialInput
from tests.helpers import unit_by_code

# A period in the future of the demo's calendar (it ends 01/11/2026): only what the test enters is in it.
START, END = date(2026, 11, 9), date(2026, 11, 15)
TODAY = date(2026, 11, 22)


def test_a_week_of_outreach_is_counted_by_kind_outlet_unit_and_station(db, clerk):
    commune = unit_by_code(db, clerk, "PHONGNIEN").id
    first, second = (unit_by_code(db, clerk, code).id for code in ("PHONGNIEN-01", "PHONGNIEN-02"))
    entered = [
        MaterialInput(MaterialKind.FOLDER, "Tờ gấp A", commune, START, 2400,
                      distribution=[DistributionLine(first, 1000, START), DistributionLine(second, 500, START)]),
        MaterialInput(MaterialKind.FOLDER, "Tờ gấp B", commune, START, 600, distribution=[
            DistributionLine(first, 100, END)]),
        MaterialInput(MaterialKind.HANDBOOK, "Hỏi - đáp", commune, END, 600),
        MaterialInput(MaterialKind.PRESS, "Bài báo", commune, START, 3, outlet="Báo Lào Cai"),
        MaterialInput(MaterialKind.WEB, "Tin web", commune, START, 15, outlet="Trang thông tin điện tử huyện"),
        MaterialInput(MaterialKind.RADIO, "Chuyên mục", commune, START, 30, outlet="Đài huyện"),
        MaterialInput(MaterialKind.FOLDER, "Tờ gấp tháng sau", commune, END + timedelta(days=1), 999),
    ]
    for data in entered:
        materials.create(db, clerk, data, today=TODAY)
    week = broadcasts.week(db, clerk, commune, START)
    week.lines = [WeekLine("Tuyên truyền Kết luận 54", 15, [2, 2, 2, 2, 2, 2, 2])]
    broadcasts.save_week(db, clerk, week, today=TODAY)

    figures = outreach_figures.for_period(db, clerk, START, END, unit_id=commune)
    assert [(f.kind, f.titles, f.quantity) for f in figures.kinds] == [
        (MaterialKind.HANDBOOK, 1, 600), (MaterialKind.FOLDER, 2, 3000), (MaterialKind.PRESS, 1, 3),
        (MaterialKind.WEB, 1, 15), (MaterialKind.RADIO, 1, 30)]
    assert {(f.outlet, f.quantity) for f in figures.outlets} == {("Báo Lào Cai", 3), ("Đài huyện", 30),
                                                                 ("Trang thông tin điện tử huyện", 15)}
    assert {share.unit_id: share.quantity for share in figures.distribution} == {first: 1100, second: 500}
    assert (figures.airing.times, figures.airing.minutes) == (14, 210)
    assert figures.sentence() == (
        "Phát hành 600 cuốn tài liệu hỏi - đáp, đề cương, 3.000 tờ gấp; đăng 18 tin, bài trên báo chí, trang thông "
        "tin điện tử, mạng xã hội; phát sóng 30 phút phóng sự, chương trình phát thanh - truyền hình; hệ thống loa "
        "truyền thanh cơ sở phát 14 lượt với 210 phút.")
    other = outreach_figures.for_period(db, clerk, START, END, unit_id=unit_by_code(db, clerk, "PHONGNIEN-03").id)
    assert other.kinds == [] and other.airing.times == 0
    assert other.sentence().startswith("Trong kỳ, chưa phát hành")


def test_documents_being_implemented_in_the_period_bring_their_coverage(db, admin):
    chi_bo = [unit_by_code(db, admin, code).id for code in ("PHONGNIEN-01", "PHONGNIEN-02")]
    doc = documents.create(db, admin, DocumentInput(DocumentKind.KH, "77-KH/HU", "Ban Thường vụ Huyện ủy",
                                                    date(2026, 11, 2), "Kế hoạch tháng 11", deadline=END,
                                                    required_unit_ids=chi_bo))
    figures = outreach_figures.for_period(db, admin, START, END)
    (cover,) = [c for c in figures.coverage if c.document.id == doc]
    assert cover.sentence() == "Chưa có chi bộ nào trong 2 chi bộ được giao tổ chức quán triệt Kế hoạch số 77-KH/HU."
    later = outreach_figures.for_period(db, admin, END + timedelta(days=1), END + timedelta(days=30))
    assert doc not in [c.document.id for c in later.coverage]   # its deadline has passed before that period
