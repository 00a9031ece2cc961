"""Folding for search, and the demo's determinism."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import MetaData, select

from app import demo
from app.db import open_database
from app.services.search import clean, fold, name_sort_key


@pytest.mark.parametrize(("text", "folded"), [
    ("Đảng viên", "dang vien"), ("QUÁN TRIỆT", "quan triet"), ("Nghị quyết 04-NQ/TW", "nghi quyet 04-nq/tw"),
    ("Nguye\u0302\u0303n  Thi\u0323", "nguyen thi"), ("Tằng Loỏng", "tang loong"), ("", ""), (None, ""),
])
def test_fold_removes_marks_case_and_extra_spaces(text, folded):
    assert fold(text) == folded


def test_clean_gives_nfc_with_single_spaces():
    assert clean("  Nguye\u0302\u0303n \t Văn\nA ") == "Nguyễn Văn A"


def test_names_sort_by_given_name_first():
    names = ["Trần Văn Bình", "Nguyễn Thị Anh", "Lê Đức Anh", "Vũ Hoa"]
    assert sorted(names, key=name_sort_key) == ["Lê Đức Anh", "Nguyễn Thị Anh", "Trần Văn Bình", "Vũ Hoa"]


def dump(path) -> str:
    """Every row of every table, in key order: the data, independent of the file's page layout."""
    db = open_database(path)
    metadata = MetaData()
    metadata.reflect(db.engine)
    digest = hashlib.sha256()
    with db.engine.connect() as connection:
        for name in sorted(metadata.tables):
            table = metadata.tables[name]
            for row in connection.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    db.close()
    return digest.hexdigest()


def test_the_same_seed_gives_the_same_data_and_another_seed_does_not(tmp_path):
    paths = [tmp_path / name for name in ("a.sqlite", "b.sqlite", "c.sqlite")]
    for path, seed in zip(paths, (7, 7, 8), strict=True):
        db = open_database(path)
        demo.build(db, "tiny", seed)
        db.close()
    assert dump(paths[0]) == dump(paths[1])
    assert dump(paths[0]) != dump(paths[2])


def test_the_demo_refuses_a_database_that_has_data(db):
    with pytest.raises(Exception, match="đã có dữ liệu"):
        demo.build(db, "tiny")
