"""A real PostgreSQL server for the shared-server tests: one per run, one database per test."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import pytest

from app import demo
from app.db import open_database
from tests import pgserver

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server():
    try:
        server = pgserver.start()
    except pgserver.NoServer as missing:
        if sys.platform.startswith("linux") and Path("/etc/debian_version").exists():
            raise   # tasks.py test installs it on Debian: its absence there is a broken setup
        pytest.skip(str(missing))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server) -> str:
    """The tiny demo, migrated and built once; each test copies it (CREATE DATABASE … TEMPLATE)."""
    url = pg_server.create_database("tuyengiao_mau")
    db = open_database(url, migrate_server=True)
    demo.build(db, "tiny")
    db.close()
    return "tuyengiao_mau"


@pytest.fixture
def pg_url(pg_server, pg_template) -> str:
    import psycopg

    name = f"thu_{next(_numbers)}"
    with psycopg.connect(pg_server.url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pg_template}"')
    return pg_server.url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture
def pg_db(pg_url):
    database = open_database(pg_url)
    yield database
    database.close()
