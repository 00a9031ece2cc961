"""The materials page's service: filters, search without marks, every sort in SQL, key paging, totals."""

from __future__ import annotations

from datetime import date

import pytest

from app.models.enums import MaterialKind
from app.services import documents
from app.services.outreach import listing as material_list
from app.services.outreach import materials
from app.services.outreach.listing import MaterialFilter
from app.services.search import fold
from tests.helpers import unit_by_code


def all_pages(db, actor, flt, sort, descending, size=7):
    rows, after = [], None
    while True:
        page = material_list.list_page(db, actor, flt, sort=sort, descending=descending, after=after, limit=size)
        rows += page
        if len(page) < size:
            return rows
        after = (page[-1].sort_value, page[-1].id)


@pytest.mark.parametrize("sort", material_list.SORT_NAMES)
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_pages_through_every_material_once_in_order(db, admin, sort, descending):
    flt = MaterialFilter()
    rows = all_pages(db, admin, flt, sort, descending)
    assert len(rows) == len({row.id for row in rows}) == material_list.count(db, admin, flt) > 20
    keys = [(row.sort_value, row.id) for row in rows]
    assert keys == sorted(keys, reverse=descending)


def test_filters_search_scope_and_totals(db, admin, clerk):
    everything = all_pages(db, admin, MaterialFilter(), "issued_on", True, size=500)
    leaflets = material_list.list_page(db, admin, MaterialFilter(kind=MaterialKind.LEAFLET))
    assert leaflets and all(row.kind is MaterialKind.LEAFLET for row in leaflets)
    year = material_list.list_page(db, admin, MaterialFilter(start=date(2024, 1, 1), end=date(2024, 12, 31)))
    assert year and all(row.issued_on.year == 2024 for row in year)
    kl54 = documents.search(db, admin, "54-KL/TW")[-1]
    made_for = material_list.list_page(db, admin, MaterialFilter(document_id=kl54.id), limit=500)
    assert {row.id for row in made_for} == {m[0] for m in materials.for_document(db, admin, kl54.id)}
    assert all("54-KL/TW" in row.documents for row in made_for)
    word = next(row for row in everything if len(row.title.split()) > 3).title.split()[2]
    found = material_list.list_page(db, admin, MaterialFilter(text=fold(word).upper()), limit=500)  # no marks
    assert found and all(fold(word) in fold(row.title) for row in found)

    commune = unit_by_code(db, admin, "PHONGNIEN")
    in_commune = material_list.count(db, admin, MaterialFilter(unit_id=commune.id))
    assert 0 < in_commune < len(everything)
    # The clerk sees his commune's own, and what the district handed to it (read-only); his totals are his own.
    assert material_list.count(db, clerk, MaterialFilter()) > in_commune
    assert material_list.totals(db, clerk, MaterialFilter()) == material_list.totals(db, admin,
                                                                                    MaterialFilter(unit_id=commune.id))

    totals = material_list.totals(db, admin, MaterialFilter())
    assert sum(n for n, _, _ in totals.values()) == len(everything)
    assert totals[MaterialKind.LEAFLET][1] == sum(row.quantity for row in everything
                                                 if row.kind is MaterialKind.LEAFLET)
    assert all(0 <= given <= quantity for _, quantity, given in totals.values())
    assert all(row.stock == row.quantity - row.distributed >= 0 for row in everything)
