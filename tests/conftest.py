"""Shared fixtures: a fresh home (real folders, real SQLite) per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.cli import initialise_home
from service.config import Settings, load_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings of a new, initialised home in ``tmp_path``."""
    s = load_settings(
        {
            "home": tmp_path / "home",
            "settle_seconds": 0.05,
            "database_url": "",
            "watch_polling": False,
        }
    )
    initialise_home(s)
    return s
