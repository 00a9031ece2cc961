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

from datetime import datetime  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import pytest  # noqa: E402
import time_machine  # noqa: E402

from app import clock, demo  # noqa: E402
from app.db import open_database  # noqa: E402
from app.services import auth  # noqa: E402
from app.services.passwords import use_low_cost_for_tests  # noqa: E402

use_low_cost_for_tests()

PASSWORDS = {username: password for username, password, *_ in demo.DEMO_USERS}

# The suite's "now": a Sunday morning in Vietnam three weeks after the demo's last day (demo.AS_OF).
# Every test sees it, whatever the machine's calendar says; the clock runs on from it.
FROZEN_AT = datetime(2026, 11, 22, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


_traveller = time_machine.travel(FROZEN_AT, tick=True)
_coordinates: list[time_machine.Coordinates] = []


def pytest_configure(config):
    """Frozen before any test module is imported, so a date computed at import sees it too."""
    os.environ.pop(clock.NOW_VARIABLE, None)
    _coordinates.append(_traveller.start())


def pytest_unconfigure(config):
    _traveller.stop()


@pytest.fixture
def frozen_clock():
    """The suite's clock (time-machine also sets the local zone to Vietnam's): `frozen_clock.move_to(…)`
    to go elsewhere for one test; commands run as subprocesses get it through `cli_environment()`."""
    now = clock.now()
    yield _coordinates[0]
    _coordinates[0].move_to(now)


def cli_environment(**extra: str) -> dict[str, str]:
    """The environment of a command run by a test: this test's clock, no password of the developer's."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("TUYENGIAO_PASSWORD")}
    env[clock.NOW_VARIABLE] = clock.now().isoformat()
    return {**env, **extra}


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


def signed_in(db, username: str, password: str | None = None):
    """An actor as the login window leaves one: an exporting user's package-signing key is open too
    (it costs a password derivation, so only the exchange tests ask for it)."""
    from app.services.exchange import signing

    password = password or PASSWORDS[username]
    actor = auth.login(db, username, password)
    signing.open_at_login(db, actor, password)
    return actor


@pytest.fixture
def leader(db):
    return auth.login(db, "lanhdao", PASSWORDS["lanhdao"])


@pytest.fixture
def inspector(db):
    return auth.login(db, "kiemtra", PASSWORDS["kiemtra"])



@pytest.fixture
def keyholder(db, inspector):
    """The demo's inspector with the office key open, as after logging in."""
    from app.services.cases import keys as case_keys

    assert case_keys.unlock(db, inspector, PASSWORDS["kiemtra"])
    yield inspector
    case_keys.lock(db, inspector)
