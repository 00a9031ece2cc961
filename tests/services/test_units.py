"""The unit tree and its dated history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.models import AuditEntry
from app.models.enums import UnitKind
from app.services import audit_trail, units
from app.services.errors import PermissionDenied, ValidationError
from tests.helpers import unit_by_code


def names_on(db, actor, day: date) -> dict[str, tuple[str, str | None]]:
    """code -> (name, parent code) in the tree on a day."""
    nodes = units.tree(db, actor, day)
    codes = {n.id: n.code for n in nodes}
    return {n.code: (n.name, codes.get(n.parent_id)) for n in nodes}


def test_the_demo_tree_remembers_a_rename_and_a_merger(db, admin):
    before, after = names_on(db, admin, date(2019, 6, 1)), names_on(db, admin, date(2026, 1, 1))
    assert before["XUANQUANG"][0] == "Đảng bộ xã Xuân Quang"
    assert after["XUANQUANG"][0] == "Đảng bộ thị trấn Xuân Quang"
    assert before["GIAPHU-CQ"][1] == "GIAPHU"       # before 01/7/2025 Gia Phú had its own chi bộ
    assert after["GIAPHU-CQ"][1] == "PHONGNIEN"     # then they moved to Phong Niên
    gia_phu = unit_by_code(db, admin, "GIAPHU")
    assert gia_phu.deactivated_on == date(2025, 7, 1)


def test_rename_adds_a_version_and_old_dates_keep_the_old_name(db, admin):
    hamlet = unit_by_code(db, admin, "PHONGNIEN-01")
    units.rename(db, admin, hamlet.id, "  Chi bộ   thôn Mới  ", date(2026, 3, 1))
    assert names_on(db, admin, date(2026, 2, 28))["PHONGNIEN-01"][0] == hamlet.name
    assert names_on(db, admin, date(2026, 3, 1))["PHONGNIEN-01"][0] == "Chi bộ thôn Mới"
    assert [row.name for row in units.history(db, admin, hamlet.id)] == [hamlet.name, "Chi bộ thôn Mới"]
    with db.session_scope() as session:
        entry = audit_trail.history(session, "unit", hamlet.id)[-1]
    assert (entry.username, entry.before["name"], entry.after["name"]) == ("quantri", hamlet.name, "Chi bộ thôn Mới")


def test_history_cannot_be_rewritten_before_the_last_change(db, admin):
    commune = unit_by_code(db, admin, "XUANQUANG")  # renamed on 01/01/2020
    with pytest.raises(ValidationError, match="01/01/2020") as refused:
        units.rename(db, admin, commune.id, "Tên khác", date(2019, 1, 1))
    assert "valid_from" in refused.value.errors


def test_move_is_dated_and_refuses_cycles_and_chi_bo_parents(db, admin):
    hamlet = unit_by_code(db, admin, "PHONGNIEN-02")
    other = unit_by_code(db, admin, "XUANQUANG")
    units.move(db, admin, hamlet.id, other.id, date(2026, 5, 1))
    assert names_on(db, admin, date(2026, 4, 30))["PHONGNIEN-02"][1] == "PHONGNIEN"
    assert names_on(db, admin, date(2026, 5, 1))["PHONGNIEN-02"][1] == "XUANQUANG"
    root = unit_by_code(db, admin, "BAOTHANG")
    with pytest.raises(ValidationError, match="chính nó"):
        units.move(db, admin, root.id, other.id, date(2026, 6, 1))
    with pytest.raises(ValidationError, match="là chi bộ"):
        units.move(db, admin, other.id, hamlet.id, date(2026, 6, 1))


def test_create_checks_code_name_and_parent(db, admin):
    commune = unit_by_code(db, admin, "PHONGNIEN")
    new_id = units.create(db, admin, code="phongnien-99", name="Chi bộ thôn Khe Lếch", kind=UnitKind.CHI_BO,
                          parent_id=commune.id, valid_from=date(2026, 1, 1))
    assert unit_by_code(db, admin, "PHONGNIEN-99").id == new_id
    with pytest.raises(ValidationError) as bad:
        units.create(db, admin, code="PHONGNIEN-99", name=" ", kind=UnitKind.CHI_BO, parent_id=new_id,
                     valid_from=date(2026, 1, 1))
    assert set(bad.value.errors) == {"code", "name", "parent_id"}
    with pytest.raises(ValidationError, match="cấp trên"):
        units.create(db, admin, code="GOC2", name="Gốc thứ hai", kind=UnitKind.DANG_BO, parent_id=None,
                     valid_from=date(2026, 1, 1))


def test_a_unit_with_members_or_children_is_deactivated_not_deleted(db, admin):
    commune = unit_by_code(db, admin, "PHONGNIEN")
    hamlet = unit_by_code(db, admin, "PHONGNIEN-01")
    with pytest.raises(ValidationError, match="trực thuộc"):
        units.deactivate(db, admin, commune.id, date(2026, 6, 1))
    with pytest.raises(ValidationError, match="đảng viên đang sinh hoạt"):
        units.deactivate(db, admin, hamlet.id, date(2026, 6, 1))
    with pytest.raises(ValidationError, match="không thể xóa"):
        units.delete(db, admin, hamlet.id)


def test_a_unit_entered_by_mistake_can_be_deleted_and_disappears(db, admin):
    commune = unit_by_code(db, admin, "PHONGNIEN")
    mistake = units.create(db, admin, code="NHAM", name="Chi bộ nhập nhầm", kind=UnitKind.CHI_BO,
                           parent_id=commune.id, valid_from=date(2026, 1, 1))
    units.deactivate(db, admin, mistake, date(2026, 2, 1))
    units.reactivate(db, admin, mistake)
    units.delete(db, admin, mistake)
    assert "NHAM" not in names_on(db, admin, date(2026, 6, 1))
    with db.session_scope() as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.entity == "unit",
                                                                  AuditEntry.entity_id == str(mistake))).all()
    assert actions == ["tạo", "ngừng hoạt động", "hoạt động lại", "xóa"]


@pytest.mark.parametrize("who", ["clerk", "leader", "inspector"])
def test_only_an_admin_edits_the_tree(db, request, who):
    actor = request.getfixturevalue(who)
    hamlet = unit_by_code(db, actor, "PHONGNIEN-01")
    with pytest.raises(PermissionDenied):
        units.rename(db, actor, hamlet.id, "Tên mới", date(2026, 6, 1))
    with pytest.raises(PermissionDenied):
        units.create(db, actor, code="X1", name="X", kind=UnitKind.CHI_BO, parent_id=hamlet.parent_id,
                     valid_from=date(2026, 1, 1))


def test_units_sharing_a_name_are_told_apart_by_their_commune_or_their_code(db, admin):
    from app import clock

    nodes = units.tree(db, admin, clock.today())
    names = units.distinct_names(nodes)
    shared = [node for node in nodes if sum(other.name == node.name for other in nodes) > 1]
    assert shared   # the demo has chi bộ names used twice
    assert len({names[node.id] for node in nodes}) == len(nodes)   # every label tells its unit apart
    for node in shared:
        assert names[node.id].startswith(node.name + " (") and names[node.id] != node.name
    unique = next(node for node in nodes if node.code == "BAOTHANG")
    assert names[unique.id] == unique.name
