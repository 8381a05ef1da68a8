"""Homes built once per test session and copied for each test.

Processing the demo workbook, creating a CA and issuing keys takes seconds; a test that only
needs such a school starting point gets a private copy of it instead (``shutil.copytree`` of the
home, plus on PostgreSQL ``CREATE DATABASE … TEMPLATE`` of the template's database), so every
test still changes its own files and its own register. The template is built on first use,
once per build function and database kind (per xdist worker, when the suite runs in parallel).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from service.config import Settings, load_settings
from service.home import initialise_home

Build = Callable[[Settings, Path], object]
"""Fills a fresh, initialised home (its settings) using a scratch folder for workbooks."""


def home_settings(home: Path, database_url: str = "") -> Settings:
    """The settings the tests use for a home (short settle time, no polling)."""
    return load_settings(
        {
            "home": home,
            "settle_seconds": 0.05,
            "damaged_wait_seconds": 0.5,
            "database_url": database_url,
            "watch_polling": False,
        }
    )


def release_database(url: str) -> None:
    """Close the pooled connections to ``url`` (a template is copied only without them; a
    test's database is closed at its end, not when the engine cache drops it)."""
    from service.register.db import get_engine

    engine = get_engine(url)
    if engine.dialect.name == "sqlite":
        from sqlalchemy import text

        with engine.connect() as connection:  # copies start from a database without a WAL
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()


@dataclass(frozen=True)
class _Template:
    home: Path
    database: str
    """The PostgreSQL database to copy ("" on SQLite, where the home holds the register)."""


class HomeTemplates:
    """The session's template homes; :meth:`copy` gives a test its own copy of one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: dict[tuple[str, str], _Template] = {}

    def copy(
        self, request: pytest.FixtureRequest, build: Build, kind: str, target: Path
    ) -> Settings:
        """A private copy at ``target`` of the home ``build`` makes, on ``kind`` ("sqlite" or
        "postgresql"); its database is released when the requesting test ends."""
        # by file, not module: a test module imported by another one is loaded twice
        key = (f"{build.__code__.co_filename}:{build.__qualname__}", kind)
        template = self._made.get(key) or self._make(request, key, build, kind)
        shutil.copytree(template.home, target, symlinks=True)
        url = ""
        if template.database:
            server = request.getfixturevalue("postgres_server")
            url = server.new_database(template=template.database)
        settings = home_settings(target, url)
        initialise_home(settings)
        request.addfinalizer(lambda: release_database(settings.database_url))
        return settings

    def _make(
        self, request: pytest.FixtureRequest, key: tuple[str, str], build: Build, kind: str
    ) -> _Template:
        folder = self.root / f"{len(self._made)}-{build.__name__}-{kind}"
        folder.mkdir(parents=True)
        url = ""
        if kind == "postgresql":
            url = request.getfixturevalue("postgres_server").new_database()
        settings = home_settings(folder / "home", url)
        initialise_home(settings)
        build(settings, folder)
        release_database(settings.database_url)
        template = _Template(settings.home, make_url(url).database if url else "")
        self._made[key] = template
        return template
