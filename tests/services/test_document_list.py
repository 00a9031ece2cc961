"""The documents page's service: filters, search without marks, every sort in SQL, key paging."""

from __future__ import annotations

from datetime import date

import pytest

from app.models.enums import DocumentKind, MeetingStatus
from app.services import documents
from app.services.documents import coverage
from app.services.documents import listing as document_list
from app.services.documents.listing import DocumentFilter
from app.services.meetings import listing as meeting_list
from app.services.meetings.listing import MeetingFilter
from tests.helpers import unit_by_code


def all_pages(db, actor, flt, sort, descending, size=4):
    rows, after = [], None
    while True:
        page = document_list.list_page(db, actor, flt, sort=sort, descending=descending, after=after, limit=size)
        rows += page
        if len(page) < size:
            return rows
        after = (page[-1].sort_value, page[-1].id)


@pytest.mark.parametrize("sort", document_list.SORT_NAMES)
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_pages_through_every_document_once_in_order(db, admin, sort, descending):
    flt = DocumentFilter()
    rows = all_pages(db, admin, flt, sort, descending)
    assert len(rows) == len({row.id for row in rows}) == document_list.count(db, admin, flt) > 10
    keys = [(row.sort_value, row.id) for row in rows]
    assert keys == sorted(keys, reverse=descending)


def test_filters_search_and_counts(db, admin):
    everything = document_list.count(db, admin, DocumentFilter())
    search = document_list.list_page(db, admin, DocumentFilter(text="ket luan 54"))
    assert {row.number for row in search} >= {"223-KH/TU", "234-KH/TU"}   # summaries quoting "Kết luận số 54"
    by_number = document_list.list_page(db, admin, DocumentFilter(text="54-kl/tw"))
    assert by_number[-1].number == "54-KL/TW"
    plans = document_list.list_page(db, admin, DocumentFilter(kind=DocumentKind.KH))
    assert plans and all(row.kind is DocumentKind.KH for row in plans)
    period = document_list.list_page(db, admin, DocumentFilter(start=date(2023, 1, 1), end=date(2023, 12, 31)))
    assert period and all(row.issued_on.year == 2023 for row in period)
    tracked = document_list.list_page(db, admin, DocumentFilter(tracked_only=True))
    assert {row.number for row in tracked} == {"118-KH/HU", "35-CT/TW", "57-NQ/TW"}
    assert all(row.required > 0 and row.deadline for row in tracked)
    chi_bo = unit_by_code(db, admin, "PHONGNIEN-01")
    assert {row.number for row in document_list.list_page(db, admin, DocumentFilter(unit_id=chi_bo.id))} == {
        "118-KH/HU", "35-CT/TW"}   # 57-NQ/TW is required of the communes, not of their chi bộ
    kl54 = by_number[-1]
    assert kl54.sessions > 0 and everything == len(all_pages(db, admin, DocumentFilter(), "issued_on", True))
    new = documents.create(db, admin, documents.DocumentInput(DocumentKind.TB, "31-TB/HU", "Huyện ủy",
                                                              date(2026, 2, 1), "Thông báo"))
    assert [row.id for row in document_list.list_page(db, admin, DocumentFilter(text="31-tb"))] == [new]


def test_a_clerk_counts_the_required_units_and_sessions_of_their_own_commune(db, admin, clerk):
    def by_number(actor):
        return {row.number: row for row in document_list.list_page(db, actor, DocumentFilter(tracked_only=True))}

    district, commune = by_number(admin)["118-KH/HU"], by_number(clerk)["118-KH/HU"]
    plan = documents.search(db, admin, "118-KH/HU")[0].id
    assert commune.required == len(coverage.for_document(db, clerk, plan).lines) < district.required
    assert 0 < commune.sessions == meeting_list.count(db, clerk, MeetingFilter(document_id=plan, status=MeetingStatus.HELD)) < district.sessions
