"""The report on one directive (sơ kết, tổng kết): its figures are the plain counts of the records naming the
document or a plan implementing it, from the document's issue to the chosen day; a day before the document is
refused; the PDF follows the Party layout as the periodic report does."""

from __future__ import annotations

import io
from datetime import date

import pdfplumber
import pytest

from app.reports import directive
from app.services import documents, review
from app.services.errors import NotFound, PermissionDenied, ValidationError
from app.services.numbers import count_text, percent_text, ratio
from tests.reports.test_periodic_report import MM, flat, line_of

END = date(2026, 10, 31)


def kl54(db, actor) -> int:
    return next(row.id for row in documents.search(db, actor, "54-KL/TW") if row.number == "54-KL/TW")


def plain(db, sql: str, *values):
    with db.engine.connect() as connection:
        return connection.exec_driver_sql(sql, values).all()


def chain_sql(db, document_id: int) -> set[int]:
    return {row[0] for row in plain(db, (
        "WITH RECURSIVE chain(id) AS (SELECT ? UNION SELECT l.document_id FROM document_link l "
        "JOIN chain c ON l.implements_id = c.id) SELECT id FROM chain"), document_id)}


def test_the_figures_are_the_plain_counts_of_what_names_the_chain(db, leader):
    doc = kl54(db, leader)
    found = review.review(db, leader, doc, END)
    ids = chain_sql(db, doc)
    assert set(found.ids) == ids and len(ids) > 1
    listed = ",".join(map(str, sorted(ids)))
    start = found.start.isoformat()
    years = plain(db, (
        f"SELECT CAST(strftime('%Y', held_on) AS INTEGER), count(*), sum(present_count + made_up_count), "
        f"sum(crowd_total) FROM meeting "
        f"WHERE deleted_at IS NULL AND status = 'held' AND held_on BETWEEN '{start}' AND '{END}' AND id IN "
        f"(SELECT meeting_id FROM meeting_document WHERE document_id IN ({listed})) GROUP BY 1 ORDER BY 1"))
    held = {row[0]: tuple(row[1:]) for row in years}
    assert [(y.year, y.meetings, y.present, y.crowd) for y in found.by_year] == [
        (year, *held.get(year, (0, 0, 0))) for year in range(found.start.year, END.year + 1)]
    assert sum(line.meetings for line in found.by_unit) == found.meetings
    [(required, attended)] = plain(db, (
        f"WITH members AS (SELECT DISTINCT m.person_id FROM membership m JOIN unit u ON u.id = m.unit_id "
        f"WHERE u.kind IN ('chi_bo', 'chi_bo_co_so') AND m.status = 'active' AND m.valid_from <= '{END}' "
        f"AND (m.valid_to IS NULL OR m.valid_to > '{END}')), came AS (SELECT DISTINCT a.person_id FROM attendance a "
        f"JOIN meeting s ON s.id = a.meeting_id WHERE s.deleted_at IS NULL AND s.status = 'held' "
        f"AND s.held_on <= '{END}' AND a.is_guest = 0 AND (a.presence = 'present' OR a.made_up_on <= '{END}') "
        f"AND s.id IN (SELECT meeting_id FROM meeting_document WHERE document_id IN ({listed}))) "
        f"SELECT (SELECT count(*) FROM members), (SELECT count(*) FROM members WHERE person_id IN came)"))
    assert (found.people.required, found.people.attended) == (required, attended)
    made = dict(plain(db, (
        f"SELECT kind, sum(quantity) FROM material WHERE deleted_at IS NULL AND issued_on BETWEEN '{start}' AND '{END}' "
        f"AND id IN (SELECT material_id FROM material_document WHERE document_id IN ({listed})) GROUP BY kind")))
    assert {figure.kind.value: figure.quantity for figure in found.outreach.kinds} == made
    [(times, minutes)] = plain(db, (
        f"SELECT coalesce(sum(times), 0), coalesce(sum(minutes), 0) FROM broadcast WHERE deleted_at IS NULL "
        f"AND document_id IN ({listed}) AND aired_on BETWEEN '{start}' AND '{END}'"))
    assert (found.outreach.airing.times, found.outreach.airing.minutes) == (times, minutes)
    [(examples,)] = plain(db, (
        f"SELECT count(*) FROM exemplar WHERE deleted_at IS NULL AND document_id IN ({listed}) "
        f"AND recognised_on BETWEEN '{start}' AND '{END}'"))
    assert len(found.examples) == examples > 0        # the review of KL 54 commended its leaders
    [(cases,)] = plain(db, f"SELECT count(*) FROM case_file WHERE deleted_at IS NULL AND received_on BETWEEN "
                           f"'{start}' AND '{END}'")
    assert found.cases.received == cases


def test_the_report_says_the_figures_as_an_office_writes_them(db, leader):
    report = directive.build(db, leader, kl54(db, leader), END, made_on=date(2026, 11, 5))
    assert report.summary == "Sơ kết 3 năm thực hiện Kết luận số 54-KL/TW, ngày 09/5/2023 của Ban Bí thư"
    text = " ".join(part.text for section in directive.body(report) for part in section.parts)
    r = report.review
    assert f"tổ chức {count_text(r.meetings)} hội nghị, buổi học tập, quán triệt, tuyên truyền" in text
    people = r.people
    assert (f"Có {count_text(people.attended)}/{count_text(people.required)} đảng viên đã được học tập, quán triệt, "
            f"đạt {percent_text(ratio(people.attended, people.required))}") in text
    assert all(row.number in text for row in r.chain)           # I names every plan that carried it down
    assert all(item.title in text for item in r.examples)
    assert not any(part.text[:1].isdigit() for section in directive.body(report) for part in section.parts
                   if not part.subheading)    # no sentence begins with a figure


@pytest.mark.parametrize(("end", "words"), [(date(2023, 5, 8), "trước ngày ban hành 54-KL/TW (09/05/2023)"),
                                           (date(2099, 1, 1), "không được ở tương lai"),
                                           (None, "Hãy nhập ngày tính đến")])
def test_a_day_before_the_document_or_in_the_future_is_refused_by_field(db, leader, end, words):
    with pytest.raises(ValidationError) as caught:
        review.review(db, leader, kl54(db, leader), end)
    assert words in caught.value.errors["end"]


def test_who_may_make_it_and_what_a_clerk_counts(db, admin, clerk, leader):
    with pytest.raises(PermissionDenied):
        review.review(db, admin, kl54(db, leader), END)
    with pytest.raises(NotFound):
        review.review(db, leader, 999_999, END)
    mine = review.review(db, clerk, kl54(db, clerk), END)
    everything = review.review(db, leader, kl54(db, leader), END)
    assert 0 < mine.meetings < everything.meetings
    assert mine.people.required < everything.people.required


@pytest.fixture
def layout(db, leader):
    report = directive.build(db, leader, kl54(db, leader), END, made_on=date(2026, 11, 5))
    return pdfplumber.open(io.BytesIO(directive.render(report)))


def test_the_pdf_follows_the_party_layout(layout):
    first = layout.pages[0]
    assert (round(first.width), round(first.height)) == (595, 842)
    body = [w for w in first.extract_words() if w["top"] > 200]
    assert min(w["x0"] for w in body) == pytest.approx(30 * MM, abs=1.5)
    assert max(w["x1"] for w in body) == pytest.approx(first.width - 15 * MM, abs=1.5)
    assert {char["fontname"].split("+")[-1] for page in layout.pages for char in page.chars} <= {
        "LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"}
    for text, size, face in (("HUYỆN ỦY BẢO THẮNG", 14, "LiberationSerif"), ("BAN TUYÊN GIÁO", 14, "Bold"),
                             ("ĐẢNG CỘNG SẢN VIỆT NAM", 15, "Bold"), ("Bảo Thắng, ngày 05 tháng 11 năm 2026", 14,
                                                                      "Italic")):
        found = line_of(first, text)
        assert found["size"] == pytest.approx(size, abs=0.1) and found["fontname"].endswith(face)
    title = line_of(first, "BÁO CÁO")
    assert title["fontname"].endswith("Bold")
    assert "Sơ kết 3 năm thực hiện Kết luận số 54-KL/TW" in flat(first.extract_text())
    for index, page in enumerate(layout.pages[1:], start=2):
        top = min(page.extract_words(extra_attrs=["size"]), key=lambda w: w["top"])
        assert top["text"] == str(index)
    closing = next(page for page in layout.pages if "Nơi nhận" in page.extract_text())
    assert line_of(closing, "Nơi nhận:")["x0"] == pytest.approx(30 * MM, abs=1.5)
    annex_page = next(page for page in layout.pages if "PHỤ LỤC" in page.extract_text())
    assert "(Kèm theo Báo cáo số -BC/BTGHU, ngày 05/11/2026 của Ban Tuyên giáo)" in flat(annex_page.extract_text())
    assert "Biểu 1. Kết quả học tập, quán triệt, tuyên truyền theo năm" in flat(annex_page.extract_text())


def test_the_phu_luc_counts_the_cases_by_sign_as_sql_does(db, leader):
    report = directive.build(db, leader, kl54(db, leader), END, made_on=date(2026, 11, 5))
    signs = next(table for table in directive.tables(report) if table.sheet == "Theo biểu hiện")
    start = report.review.start.isoformat()
    counted = dict(plain(db, (
        f"SELECT r.code, count(DISTINCT s.case_id) FROM case_sign s JOIN reference_item r ON r.id = s.sign_id "
        f"JOIN case_file c ON c.id = s.case_id WHERE c.deleted_at IS NULL AND c.received_on BETWEEN '{start}' "
        f"AND '{END}' GROUP BY r.code")))
    assert {code: n for code, _name, n in signs.rows} == counted and counted


def test_a_communes_report_counts_its_own_units_and_speaks_of_the_commune(db, leader, clerk):
    from tests.helpers import unit_by_code

    commune = unit_by_code(db, leader, "PHONGNIEN")
    report = directive.build(db, leader, kl54(db, leader), END, unit_id=commune.id, made_on=date(2026, 11, 5))
    mine = review.review(db, clerk, kl54(db, clerk), END)
    assert report.review.meetings == mine.meetings and report.review.people == mine.people
    with db.session_scope() as session:
        from app.services.scope import scope_unit_ids

        his = scope_unit_ids(session, clerk, END)
    assert report.review.coverage and all(line.unit_id in his for cover in report.review.coverage
                                          for line in cover.lines)
    assert report.area_word == "toàn xã"            # the commune's own office: its own words
    text = " ".join(part.text for section in directive.body(report) for part in section.parts)
    assert "toàn huyện" not in text


def test_the_span_counts_whole_years_and_a_plan_made_later_is_not_yet_in_the_chain(db, leader, clerk):
    from app.models.enums import DocumentKind
    from app.services import documents as register

    doc = kl54(db, leader)
    assert directive.build(db, leader, doc, date(2024, 5, 8), made_on=date(2024, 5, 9)).summary.startswith(
        "Sơ kết thực hiện")                           # a day short of a year
    assert directive.build(db, leader, doc, date(2024, 5, 9), made_on=date(2024, 5, 9)).summary.startswith(
        "Sơ kết 1 năm thực hiện")
    later = register.create(db, clerk, register.DocumentInput(
        DocumentKind.KH, "77-KH/ĐU", "Đảng ủy xã Phong Niên", date(2026, 10, 1), "Thực hiện Kết luận 54 ở xã",
        implements_ids=[doc]))
    before = review.review(db, leader, doc, date(2026, 9, 30))
    after = review.review(db, leader, doc, END)
    assert later not in before.ids and later in after.ids
    detail = register.get(db, clerk, later)
    register.delete(db, clerk, later, expected_version=detail.version)
    assert later not in review.review(db, leader, doc, END).ids       # deleted: no longer carrying it down
