"""Shared fixtures: a template database migrated and seeded once, copied for each test."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

# Before Qt or the app read them: no screen, and no writing into the developer's own folders.
_sandbox = Path(tempfile.mkdtemp(prefix="tuyengiao-tests-"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["TUYENGIAO_DATA"] = str(_sandbox / "data")
os.environ["XDG_CONFIG_HOME"] = str(_sandbox / "config")

import pytest  # noqa: E402

from app.db import open_database  # noqa: E402
from app.services import auth, demo  # noqa: E402
from app.services.passwords import use_low_cost_for_tests  # noqa: E402

use_low_cost_for_tests()

PASSWORDS = {username: password for username, password, *_ in demo.DEMO_USERS}


@pytest.fixture(scope="session")
def template_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "tiny.sqlite"
    db = open_database(path)
    demo.build(db, "tiny")
    db.close()
    return path


@pytest.fixture
def db_path(template_path, tmp_path) -> Path:
    target = tmp_path / "test.sqlite"
    shutil.copy(template_path, target)
    return target


@pytest.fixture
def db(db_path):
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def empty_db(tmp_path):
    database = open_database(tmp_path / "empty.sqlite")
    yield database
    database.close()


@pytest.fixture
def admin(db):
    return auth.login(db, "quantri", PASSWORDS["quantri"])


@pytest.fixture
def clerk(db):
    return auth.login(db, "nhaplieu", PASSWORDS["nhaplieu"])


@pytest.fixture
def leader(db):
    return auth.login(db, "lanhdao", PASSWORDS["lanhdao"])


@pytest.fixture
def inspector(db):
    return auth.login(db, "kiemtra", PASSWORDS["kiemtra"])



@pytest.fixture
def keyholder(db, inspector):
    """The demo's inspector with the office key open, as after logging in."""
    from app.services import case_keys

    assert case_keys.unlock(db, inspector, PASSWORDS["kiemtra"])
    yield inspector
    case_keys.lock(db, inspector)
