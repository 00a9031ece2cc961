"""Materials: measures per kind, distribution within the stock, every bad input, versions, scope."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app import clock
from app.models import Material
from app.models.enums import MaterialKind
from app.services import documents
from app.services.errors import Conflict, PermissionDenied, ValidationError
from app.services.outreach import materials
from app.services.outreach.materials import DistributionLine, MaterialInput
from tests.helpers import unit_by_code

PRINTED = date(2026, 10, 1)


def material_count(db) -> int:
    with db.session_scope() as session:
        return session.scalar(select(func.count()).select_from(Material).where(Material.deleted_at.is_(None)))


@pytest.fixture
def leaflet(db, clerk) -> MaterialInput:
    """2.400 tờ gấp on KL 54, printed by the commune, handed to two chi bộ."""
    kl54 = next(row.id for row in documents.search(db, clerk, "54-KL/TW") if row.number == "54-KL/TW")
    first, second = (unit_by_code(db, clerk, code).id for code in ("PHONGNIEN-01", "PHONGNIEN-02"))
    return MaterialInput(MaterialKind.FOLDER, "Tờ gấp: Nhân dân tham gia xây dựng Đảng",
                         unit_by_code(db, clerk, "PHONGNIEN").id, PRINTED, 2400, document_ids=[kl54],
                         distribution=[DistributionLine(first, 1000, PRINTED + timedelta(days=2)),
                                       DistributionLine(second, 800, PRINTED + timedelta(days=3), "Phát tại họp thôn")])


def refused(db, actor, data, field: str, material_id: int | None = None, version: int | None = None) -> str:
    before = material_count(db)
    with pytest.raises(ValidationError) as caught:
        if material_id is None:
            materials.create(db, actor, data)
        else:
            materials.update(db, actor, material_id, data, expected_version=version)
    assert field in caught.value.errors, caught.value.errors
    assert material_count(db) == before
    return caught.value.errors[field]


def made_for(db, clerk, document_id) -> set[int]:
    return {row[0] for row in materials.for_document(db, clerk, document_id)}


def test_a_leaflet_is_saved_with_its_distribution_and_its_stock(db, clerk, leaflet):
    before = made_for(db, clerk, leaflet.document_ids[0])
    material_id = materials.create(db, clerk, leaflet)
    detail = materials.get(db, clerk, material_id)
    assert [(line.quantity, line.note) for line in detail.data.distribution] == [(1000, ""), (800, "Phát tại họp thôn")]
    assert detail.data.distributed == 1800
    with db.session_scope() as session:
        material = session.get(Material, material_id)
        assert (material.quantity, material.distributed, material.quantity - material.distributed) == (2400, 1800, 600)
    assert made_for(db, clerk, leaflet.document_ids[0]) == before | {material_id}
    assert materials.measure_text(MaterialKind.FOLDER, 2400) == "2.400 bản"


def test_a_distribution_larger_than_the_stock_is_refused_and_nothing_is_saved(db, clerk, leaflet):
    extra = replace(leaflet, distribution=[*leaflet.distribution, DistributionLine(leaflet.unit_id, 700, PRINTED)])
    assert refused(db, clerk, extra, "distribution") == "Cấp phát 2.500 bản nhưng chỉ có 2.400 bản: vượt 100 bản."
    material_id = materials.create(db, clerk, leaflet)
    detail = materials.get(db, clerk, material_id)
    fewer = replace(detail.data, quantity=1500)   # printed fewer than already handed out
    assert "vượt 300 bản" in refused(db, clerk, fewer, "distribution", material_id, detail.version)


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"quantity": -5}, "quantity", "Số lượng (bản) không được âm."),
    ({"quantity": None}, "quantity", "Hãy nhập số lượng (bản)."),
    ({"title": "  "}, "title", "Hãy ghi tên"),
    ({"kind": None}, "kind", "Hãy chọn loại"),
    ({"issued_on": clock.today() + timedelta(days=1)}, "issued_on", "không được ở tương lai"),
    ({"kind": MaterialKind.PRESS, "outlet": "", "distribution": []}, "outlet", "Hãy ghi nơi đăng, phát"),
    ({"kind": MaterialKind.WEB, "outlet": "Cổng thông tin huyện"}, "distribution", "không cấp phát cho đơn vị"),
])
def test_bad_fields_are_refused_naming_the_field(db, clerk, leaflet, change, field, words):
    assert words in refused(db, clerk, replace(leaflet, **change), field)


@pytest.mark.parametrize(("row", "words"), [
    (DistributionLine(None, 10, PRINTED), "Dòng 3: hãy chọn đơn vị nhận."),
    (DistributionLine("PHONGNIEN-03", -10, PRINTED), "Dòng 3: số lượng cấp phát phải lớn hơn 0."),
    (DistributionLine("PHONGNIEN-03", 0, PRINTED), "Dòng 3: số lượng cấp phát phải lớn hơn 0."),
    (DistributionLine("PHONGNIEN-03", 10, PRINTED - timedelta(days=1)),
     "Dòng 3: ngày cấp phát 30/09/2026 trước ngày phát hành 01/10/2026."),
    (DistributionLine("XUANQUANG-01", 10, PRINTED), "Dòng 3: đơn vị nhận nằm ngoài phạm vi của bạn."),
])
def test_each_bad_distribution_row_is_named(db, clerk, leaflet, row, words):
    if isinstance(row.unit_id, str):
        row = replace(row, unit_id=unit_by_code(db, clerk, row.unit_id).id)
    assert refused(db, clerk, replace(leaflet, distribution=[*leaflet.distribution, row]), "distribution.3") == words


def test_articles_and_airtime_are_counted_in_their_own_measure(db, clerk, leaflet):
    press = materials.create(db, clerk, MaterialInput(MaterialKind.PRESS, "Phong Niên phát huy vai trò Nhân dân",
                                                      leaflet.unit_id, PRINTED, 3, outlet="Báo Lào Cai"))
    radio = materials.create(db, clerk, MaterialInput(MaterialKind.RADIO, "Chuyên mục Xây dựng Đảng",
                                                      leaflet.unit_id, PRINTED, 45, outlet="Đài PT-TH huyện"))
    assert materials.get(db, clerk, press).data.outlet == "Báo Lào Cai"
    assert materials.measure_text(MaterialKind.PRESS, 3) == "3 tin, bài"
    assert materials.measure_text(MaterialKind.RADIO, materials.get(db, clerk, radio).data.quantity) == "45 phút"


def test_two_clerks_handing_out_the_last_copies_cannot_both_save(db, clerk, admin, leaflet):
    material_id = materials.create(db, clerk, leaflet)
    mine, theirs = materials.get(db, clerk, material_id), materials.get(db, admin, material_id)
    last = DistributionLine(leaflet.unit_id, 600, PRINTED + timedelta(days=5))
    materials.update(db, admin, material_id, replace(theirs.data, distribution=[*theirs.data.distribution, last]),
                     expected_version=theirs.version)
    with pytest.raises(Conflict, match="vừa được quantri sửa"):
        materials.update(db, clerk, material_id, replace(mine.data, distribution=[*mine.data.distribution, last]),
                         expected_version=mine.version)
    assert materials.get(db, clerk, material_id).data.distributed == 2400


def test_a_clerk_cannot_produce_for_or_open_a_unit_outside_their_subtree(db, clerk, admin, leaflet):
    outside = unit_by_code(db, admin, "XUANQUANG")
    with pytest.raises(PermissionDenied):
        materials.create(db, clerk, replace(leaflet, unit_id=outside.id, distribution=[]))
    theirs = materials.create(db, admin, replace(leaflet, unit_id=outside.id, distribution=[]))
    with pytest.raises(PermissionDenied):
        materials.get(db, clerk, theirs)


def test_a_deleted_material_is_a_tombstone(db, clerk, leaflet):
    before = made_for(db, clerk, leaflet.document_ids[0])
    material_id = materials.create(db, clerk, leaflet)
    materials.delete(db, clerk, material_id, expected_version=materials.get(db, clerk, material_id).version)
    with db.session_scope() as session:
        assert session.get(Material, material_id).deleted_at is not None
    assert made_for(db, clerk, leaflet.document_ids[0]) == before


def test_what_the_district_hands_to_a_commune_shows_on_its_clerks_list_read_only(db, clerk, admin, leaflet):
    from app.services.outreach import listing

    district = unit_by_code(db, admin, "BAOTHANG")
    handed = materials.create(db, admin, replace(leaflet, unit_id=district.id))   # given to Phong Niên's chi bộ
    elsewhere = materials.create(db, admin, replace(leaflet, unit_id=district.id, distribution=[
        DistributionLine(unit_by_code(db, admin, "XUANQUANG").id, 10, PRINTED + timedelta(days=2))]))
    shown = {row.id for row in listing.list_page(db, clerk, listing.MaterialFilter())}
    assert handed in shown and elsewhere not in shown
    assert listing.count(db, clerk, listing.MaterialFilter()) == len(shown)
    detail = materials.get(db, clerk, handed)
    assert not detail.editable and detail.unit_name == "Đảng bộ huyện Bảo Thắng"
    with pytest.raises(PermissionDenied):
        materials.update(db, clerk, handed, detail.data, expected_version=detail.version)
    with pytest.raises(PermissionDenied):
        materials.get(db, clerk, elsewhere)
    assert materials.get(db, admin, handed).editable
