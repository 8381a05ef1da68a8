"""Homes built once per test session and copied for each test.

Processing the demo workbook, creating a CA and issuing keys takes seconds; a test that only
needs such a school starting point gets a private copy of it instead (``shutil.copytree`` of the
home, plus on PostgreSQL ``CREATE DATABASE … TEMPLATE`` of the template's database), so every
test still changes its own files and its own register. The template is built on first use,
once per build function and database kind. With xdist, a SQLite template is built once per
run, by the first worker that needs it, in a folder every worker sees (:func:`built_once`); a
PostgreSQL template once per worker (each has its own server).
"""

from __future__ import annotations

import fcntl
import os
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


def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run that all its xdist workers see (the parent of their temporary
    folders); the session's own temporary folder without xdist."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(folder: Path, build: Callable[[Path], object]) -> Path:
    """``folder``, filled by ``build(folder)`` once per run: under a lock, so that another
    process (an xdist worker) waits for the first one to finish and then reads what it made. A
    build left unfinished (its process killed) is thrown away and made again."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with (folder.parent / f"{folder.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (folder / ".ready").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (folder / ".ready").touch()
    return folder


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

    def __init__(self, root: Path, shared: Path | None = None) -> None:
        self.root = root
        self.shared = shared
        """Where SQLite templates are built once for every worker of the run (None: in root)."""
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
        if kind == "sqlite" and self.shared is not None:
            name = f"{Path(build.__code__.co_filename).stem}-{build.__qualname__}-sqlite"
            folder = built_once(self.shared / name, lambda f: _build_sqlite(build, f))
            template = _Template(folder / "home", "")
            self._made[key] = template
            return template
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


def _build_sqlite(build: Build, folder: Path) -> None:
    settings = home_settings(folder / "home")
    initialise_home(settings)
    build(settings, folder)
    release_database(settings.database_url)
