"""Fixtures of the service tests."""

from __future__ import annotations

import pytest

from tests.services.test_exchange import new_commune


@pytest.fixture
def commune(tmp_path):
    """A second install at a commune (its own file, admin and clerk), for the exchange."""
    made = new_commune(tmp_path / "xa.sqlite")
    yield made
    made[0].close()
