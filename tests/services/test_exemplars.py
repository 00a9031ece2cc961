"""Good examples and commendations: saved whole with their spread, every bad input refused by field with
nothing written, scope and roles, a workbook imported all or nothing, travel, and section II.5 drafted with
the register's names and counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app import clock
from app.models import AuditEntry, Exemplar, ExemplarSpread
from app.models.enums import Commendation, ExemplarKind
from app.services import documents
from app.services.errors import Conflict, PermissionDenied, ValidationError
from app.services.exemplars import importing, listing, register, section
from app.services.exemplars.register import ExemplarInput, SpreadLine
from app.services.period import Period
from tests.helpers import unit_by_code

OCTOBER = Period.month(2026, 10)


def live_count(db) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Exemplar).where(Exemplar.deleted_at.is_(None)))


@pytest.fixture
def model(db, clerk) -> ExemplarInput:
    day = clock.today() - timedelta(days=30)
    kl54 = next(row.id for row in documents.search(db, clerk, "54-KL/TW") if row.number == "54-KL/TW")
    return ExemplarInput(ExemplarKind.MODEL, "Mô hình «Tổ hòa giải ở cơ sở gắn với tiếp dân»",
                         unit_by_code(db, clerk, "PHONGNIEN").id, day, Commendation.CERTIFICATE, "Đảng ủy xã",
                         document_id=kl54,
                         spread=[SpreadLine(unit_by_code(db, clerk, "PHONGNIEN-01").id, day + timedelta(days=10)),
                                 SpreadLine(unit_by_code(db, clerk, "PHONGNIEN-02").id, day + timedelta(days=20),
                                            "Áp dụng ở hai xóm")])


def test_an_example_is_kept_with_its_spread_listed_and_audited(db, clerk, model):
    exemplar_id = register.create(db, clerk, model)
    detail = register.get(db, clerk, exemplar_id)
    assert [(line.unit_id, line.note) for line in detail.data.spread] == [
        (model.spread[0].unit_id, ""), (model.spread[1].unit_id, "Áp dụng ở hai xóm")]
    [row] = listing.list_page(db, clerk, listing.ExemplarFilter(text="to hoa giai"))
    assert (row.id, row.spread, row.document, row.commendation) == (exemplar_id, 2, "54-KL/TW",
                                                                   Commendation.CERTIFICATE)
    with db.session_scope() as session:
        assert session.scalars(select(AuditEntry.summary).where(AuditEntry.entity == "exemplar")).all() == [
            "Thêm mô hình «Mô hình «Tổ hòa giải ở cơ sở gắn với tiếp dân»»"]
    register.update(db, clerk, exemplar_id, replace(detail.data, spread=detail.data.spread[:1]),
                    expected_version=detail.version)
    assert len(register.get(db, clerk, exemplar_id).data.spread) == 1
    with pytest.raises(Conflict, match="nhaplieu"):
        register.update(db, clerk, exemplar_id, detail.data, expected_version=detail.version)
    register.delete(db, clerk, exemplar_id, expected_version=detail.version + 1)
    assert listing.count(db, clerk, listing.ExemplarFilter(text="to hoa giai")) == 0


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"unit_id": None}, "unit_id", "Hãy chọn đơn vị có mô hình, điển hình."),
    ({"kind": None}, "kind", "Hãy chọn loại"),
    ({"title": " "}, "title", "Hãy ghi tên"),
    ({"recognised_on": None}, "recognised_on", "Hãy nhập ngày công nhận"),
    ({"recognised_on": "future"}, "recognised_on", "không được ở tương lai"),
    ({"commendation": None}, "commendation", "Hãy chọn hình thức"),
    ({"awarded_by": ""}, "awarded_by", "Hãy ghi cấp khen (giấy khen của ai"),
    ({"document_id": 999_999}, "document_id", "không còn trong sổ văn bản"),
    ({"spread": "own"}, "spread.1", "Dòng 1: đơn vị nhân rộng là chính đơn vị có mô hình."),
    ({"spread": "twice"}, "spread.2", "Dòng 2: đơn vị này đã có ở dòng 1."),
    ({"spread": "outside"}, "spread.1", "Dòng 1: đơn vị nhân rộng nằm ngoài phạm vi của bạn."),
    ({"spread": "later"}, "spread.1", "không được ở tương lai"),
    ({"spread": "none"}, "spread.1", "Dòng 1: hãy chọn đơn vị nhân rộng."),
])
def test_bad_input_is_refused_by_field_and_nothing_is_saved(db, clerk, admin, model, change, field, words):
    first = model.spread[0]
    spreads = {"own": [replace(first, unit_id=model.unit_id)], "twice": [first, first],
               "outside": [replace(first, unit_id=unit_by_code(db, admin, "XUANQUANG-01").id)],
               "later": [replace(first, since=clock.today() + timedelta(days=1))],
               "none": [replace(first, unit_id=None)]}
    if "spread" in change:
        change = {"spread": spreads[change["spread"]]}
    if change.get("recognised_on") == "future":
        change = {"recognised_on": clock.today() + timedelta(days=1)}
    before = live_count(db)
    with pytest.raises(ValidationError) as caught:
        register.create(db, clerk, replace(model, **change))
    assert words in caught.value.errors[field]
    assert live_count(db) == before


def test_only_clerks_write_and_only_in_their_own_units(db, clerk, leader, inspector, admin, model):
    for reader in (leader, inspector):
        with pytest.raises(PermissionDenied):
            register.create(db, reader, model)
    with pytest.raises(PermissionDenied):
        register.create(db, clerk, replace(model, unit_id=unit_by_code(db, admin, "XUANQUANG").id, spread=[]))
    assert 0 < listing.count(db, clerk, listing.ExemplarFilter()) < listing.count(db, leader, listing.ExemplarFilter())


def test_section_ii5_names_the_periods_examples_and_counts_them_as_sql_does(db, leader):
    for period in (OCTOBER, Period.year(2025)):
        with db.session_scope() as session:
            recognised = session.execute(select(Exemplar.kind, Exemplar.title).where(
                Exemplar.recognised_on.between(period.start, period.end), Exemplar.deleted_at.is_(None))).all()
            taken = set(session.scalars(select(Exemplar.title).join(ExemplarSpread).where(
                ExemplarSpread.since.between(period.start, period.end))))
        text = section.draft(db, leader, period)
        assert recognised and all(title in text for _kind, title in recognised)
        assert all(title in text for title in taken)
        counts = {kind: sum(1 for k, _t in recognised if k == kind.value) for kind in ExemplarKind}
        first = text.splitlines()[0]
        assert first.startswith(f"{period.in_period}, các cấp ủy, tổ chức đảng phát hiện, biểu dương, khen thưởng ")
        for kind, noun in section.NOUNS.items():
            assert (f"{counts[kind]} {noun}" in first) == bool(counts[kind])
    assert "- Tập thể " in section.draft(db, leader, OCTOBER)    # the review of KL 54 commended collectives
    assert section.draft(db, leader, Period.month(2023, 3)) == ""


def workbook(path, rows) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH TIÊN TIẾN NĂM 2026"])
    sheet.append(["STT", "Loại", "Tên mô hình, tập thể, cá nhân", "Đơn vị", "Ngày công nhận", "Hình thức khen",
                  "Cấp khen", "Văn bản", "Nội dung"])
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_a_workbook_is_imported_whole_or_not_at_all_each_problem_named_by_row_and_column(db, clerk, tmp_path):
    good = [[1, "Mô hình", "Mô hình «Sân chơi cho thiếu nhi»", "PHONGNIEN", "05/03/2026", "Giấy khen", "Đảng ủy xã",
             "54-KL/TW", ""],
            [2, "Cá nhân", "Đồng chí Lò Thị Mai, Bí thư Chi bộ thôn", "PHONGNIEN-01", date(2026, 4, 2), "Biểu dương",
             "Đảng ủy xã", "", "Gương mẫu"],
            [None] * 9]
    bad = good[:2] + [[3, "Mô hình", "Mô hình X", "XUANQUANG", "05/03/2026", "Giấy khen", "Đảng ủy xã", "", ""],
                      [4, "Tập thể", "Tập thể Y", "PHONGNIEN", "31/02/2026", "Bằng khen", "", "99-XX/TW", ""]]
    workbook(tmp_path / "sai.xlsx", bad)
    before = live_count(db)
    preview = importing.check(db, clerk, tmp_path / "sai.xlsx")
    assert preview.problems == [
        "Dòng 5, cột D (Đơn vị): không có đơn vị «XUANQUANG» trong phạm vi của bạn.",
        "Dòng 6, cột E (Ngày công nhận): «31/02/2026» không phải ngày dd/mm/yyyy.",
        "Dòng 6, cột H (Văn bản): không có văn bản số «99-XX/TW» trong sổ văn bản.",
        "Dòng 6, cột G (Cấp khen): Hãy ghi cấp khen (bằng khen của ai: Ban Thường vụ Huyện ủy, UBND tỉnh…)."]
    with pytest.raises(ValidationError):
        importing.commit(db, clerk, preview)
    assert live_count(db) == before
    workbook(tmp_path / "dung.xlsx", good)
    preview = importing.check(db, clerk, tmp_path / "dung.xlsx")
    assert preview.problems == [] and [line for line, _data in preview.rows] == [3, 4]
    assert importing.commit(db, clerk, preview) == 2
    assert live_count(db) == before + 2
    found = listing.list_page(db, clerk, listing.ExemplarFilter(text="san choi cho thieu nhi"))
    assert [(row.kind, row.document) for row in found] == [(ExemplarKind.MODEL, "54-KL/TW")]


def test_a_file_without_the_needed_columns_is_refused_by_name(db, clerk, tmp_path):
    book = Workbook()
    book.active.append(["Tên", "Ghi chú"])
    book.save(tmp_path / "thieu.xlsx")
    with pytest.raises(ValidationError, match="Loại, Tên, Đơn vị, Ngày công nhận, Hình thức"):
        importing.check(db, clerk, tmp_path / "thieu.xlsx")


def test_an_example_made_at_a_commune_travels_up_with_its_spread(db, admin, leader, commune, tmp_path):
    from tests.conftest import signed_in
    from tests.services.test_exchange import introduce, receive, send

    district_clerk = signed_in(db, "nhaplieu")
    commune_db, commune_admin, commune_clerk = commune
    introduce(db, admin, commune_db, commune_admin)
    receive(commune_db, commune_clerk, send(db, district_clerk, commune_db, tmp_path, "xuong.goitd"))
    day = clock.today() - timedelta(days=3)
    example = ExemplarInput(ExemplarKind.MODEL, "Mô hình «Góc thư viện cộng đồng»",
                            unit_by_code(commune_db, commune_clerk, "PHONGNIEN").id, day, Commendation.PRAISE,
                            "Đảng ủy xã", spread=[SpreadLine(unit_by_code(commune_db, commune_clerk, "PHONGNIEN-01").id,
                                                             day)])
    register.create(commune_db, commune_clerk, example)
    receive(db, district_clerk, send(commune_db, commune_clerk, db, tmp_path, "len.goitd"))
    [row] = listing.list_page(db, leader, listing.ExemplarFilter(text="goc thu vien cong dong"))
    assert row.spread == 1
    drafted = section.draft(db, leader, Period.between(day, day))
    assert "- Mô hình «Góc thư viện cộng đồng» (Đảng bộ xã Phong Niên): biểu dương của Đảng ủy xã." in drafted


def test_a_clerk_keeps_the_uptake_the_district_recorded_in_another_commune_but_cannot_drop_it(db, clerk, admin,
                                                                                            model):
    exemplar_id = register.create(db, clerk, model)
    detail = register.get(db, admin, exemplar_id)
    elsewhere = SpreadLine(unit_by_code(db, admin, "XUANQUANG").id, model.recognised_on + timedelta(days=5))
    register.update(db, admin, exemplar_id, replace(detail.data, spread=[*detail.data.spread, elsewhere]),
                    expected_version=detail.version)
    detail = register.get(db, clerk, exemplar_id)
    register.update(db, clerk, exemplar_id, replace(detail.data, description="Đã nhân rộng sang xã bạn."),
                    expected_version=detail.version)
    detail = register.get(db, clerk, exemplar_id)
    with pytest.raises(ValidationError, match="Không bỏ được dòng nhân rộng ở Đảng bộ thị trấn Xuân Quang"):
        register.update(db, clerk, exemplar_id, replace(detail.data, spread=detail.data.spread[:2]),
                        expected_version=detail.version)
    assert len(register.get(db, clerk, exemplar_id).data.spread) == 3


def test_an_imported_unit_named_like_two_villages_is_asked_for_by_code(db, clerk, tmp_path):
    workbook(tmp_path / "trung-ten.xlsx", [[1, "Tập thể", "Tập thể chi bộ", "Chi bộ thôn Bắc Hà", "05/03/2026",
                                             "Giấy khen", "Đảng ủy xã", "", ""]])
    [problem] = importing.check(db, clerk, tmp_path / "trung-ten.xlsx").problems
    assert problem == ("Dòng 3, cột D (Đơn vị): có 2 đơn vị tên «Chi bộ thôn Bắc Hà»; hãy ghi mã đơn vị "
                       "(PHONGNIEN-03, GIAPHU-02).")
    workbook(tmp_path / "ma.xlsx", [[1, "Tập thể", "Tập thể chi bộ", "GIAPHU-02", "05/03/2026", "Giấy khen",
                                     "Đảng ủy xã", "", ""]])
    assert importing.check(db, clerk, tmp_path / "ma.xlsx").problems == []
