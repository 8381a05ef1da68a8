"""Shared fixtures: a fresh home (real folders, real SQLite) per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.config import Settings, load_settings
from service.home import initialise_home
from tests.homes import HomeTemplates, built_once, home_settings, release_database, run_folder


def pytest_configure(config: pytest.Config) -> None:
    """The test process creates homes as the service does: with its umask 0077 (``nastavnik``
    sets it at start). Set once here, not left to whichever test first runs a command in this
    process, so that a test's outcome does not depend on the tests run before it in the same
    process (with xdist each worker runs a different share). Tests of the umask itself run the
    command in a child under the usual 0022 (test_permissions)."""
    import os
    import tempfile

    from service.permissions import make_process_private

    make_process_private()
    _closing_test_clients()
    # compiled templates are kept per account (~/.cache/nastavnik): the tests keep theirs in
    # a folder of this run, shared by its xdist workers and the commands they start (tests of
    # the cache itself give their own)
    if "NASTAVNIK_CACHE_DIR" not in os.environ:
        _made_cache.append(tempfile.mkdtemp(prefix="nastavnik-cache-"))
        os.environ["NASTAVNIK_CACHE_DIR"] = _made_cache[0]


_made_cache: list[str] = []


def _closing_test_clients() -> None:
    """Flask's test client reads an answer as a server does and then closes it (``buffered``),
    as waitress does: a ZIP pack is sent from its file under ``var/packs/``, which an answer
    read but never closed would leave open (a ResourceWarning, an error here)."""
    from flask import Flask
    from flask.testing import FlaskClient

    class ClosingClient(FlaskClient):
        def open(self, *args, buffered: bool = True, **kwargs):  # type: ignore[override]
            return super().open(*args, buffered=buffered, **kwargs)

    Flask.test_client_class = ClosingClient


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the run's template cache (in the process that made it); stop the process's
    command server (tests/cli.py)."""
    import shutil

    from tests import cli

    cli.stop()

    for folder in _made_cache:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Tell a test which test runs next in this process: the shared Chromium is closed at the
    end of the last browser test of a row (tests/chromium.py)."""
    from tests.chromium import NEXT_TEST

    item.stash[NEXT_TEST] = nextitem


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked ``postgresql`` run twice: on SQLite and on a real PostgreSQL server."""
    if metafunc.definition.get_closest_marker("postgresql") and "database_kind" in (
        metafunc.fixturenames
    ):
        metafunc.parametrize("database_kind", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def postgres_server():
    """A throw-away PostgreSQL cluster for the whole session (see tests/postgres.py)."""
    from tests.postgres import PostgresServer

    server = PostgresServer().start()
    yield server
    server.stop()


@pytest.fixture
def database_kind(request: pytest.FixtureRequest) -> str:
    """Which server the test's register is on: "sqlite", or "postgresql" for the second run of
    a test marked ``postgresql``."""
    return getattr(request, "param", "sqlite")


def _new_postgres_database(request: pytest.FixtureRequest, template: str = "template0"):
    url = request.getfixturevalue("postgres_server").new_database(template)
    yield url
    from service.register.db import get_engine

    get_engine(url).dispose()  # closed now, not when the engine cache drops it


@pytest.fixture
def database(request: pytest.FixtureRequest, database_kind: str):
    """An empty register: "" (SQLite in the home) or a new, empty PostgreSQL database."""
    if database_kind == "sqlite":
        yield ""
        return
    yield from _new_postgres_database(request)


@pytest.fixture(scope="session")
def postgres_register(postgres_server) -> str:
    """The name of a PostgreSQL database in which ``init_database`` made the register's schema,
    never connected to after: ``settings`` copies it (``CREATE DATABASE … TEMPLATE``), 0.1–0.3 s
    a test less than making the schema in a new database each time."""
    from sqlalchemy.engine import make_url

    from service.register.db import get_engine, init_database

    url = postgres_server.new_database()
    init_database(url)
    get_engine(url).dispose()
    return make_url(url).database


@pytest.fixture
def settings_database(request: pytest.FixtureRequest, database_kind: str):
    """The register of ``settings``: "" (SQLite in the home) or a new PostgreSQL database with
    the schema made (a copy of ``postgres_register``; ``initialise_home`` accepts it as a
    database at the current schema, as it does at every start)."""
    if database_kind == "sqlite":
        yield ""
        return
    yield from _new_postgres_database(request, request.getfixturevalue("postgres_register"))


@pytest.fixture
def settings(tmp_path: Path, settings_database: str) -> Settings:
    """Settings of a new, initialised home in ``tmp_path``."""
    s = load_settings(
        {
            "home": tmp_path / "home",
            "settle_seconds": 0.05,
            "damaged_wait_seconds": 0.5,
            "database_url": settings_database,
            "watch_polling": False,
        }
    )
    initialise_home(s)
    return s


@pytest.fixture
def rendered_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every batch rendered in the test's own process, where a renderer the test replaced
    sees it — even the demo's 36 documents, which a render pool another test of this process
    left running would take."""
    from service.documents import parallel

    monkeypatch.setattr(parallel, "PARALLEL_MIN", 10_000)
    monkeypatch.setattr(parallel, "COLD_START_MIN", 10_000)


@pytest.fixture(scope="session")
def homes(tmp_path_factory) -> HomeTemplates:
    """Homes built once per session; ``homes.copy(request, build, kind, target)`` gives a test
    its own copy (see tests/homes.py)."""
    return HomeTemplates(
        tmp_path_factory.mktemp("homes"), run_folder(tmp_path_factory) / "shared-homes"
    )


def with_users(settings: Settings, folder: Path) -> None:
    """A new home with one user per role (tests/web_school.py's ``make_users``: five scrypt
    hashes, 0.5 s of CPU) and the web app's secret key (sessions reused: web_school's
    ``login``), nothing else: no school, no CA."""
    from service.web.security import secret_key
    from tests.web_school import make_users

    make_users(settings)
    secret_key(settings.var)


@pytest.fixture
def users_home(homes, request: pytest.FixtureRequest, database_kind: str, tmp_path: Path):
    """Settings of a copy of ``with_users``'s home in ``tmp_path / "home"`` (built once per
    run: tests/homes.py)."""
    return homes.copy(request, with_users, database_kind, tmp_path / "home")


@pytest.fixture(scope="session")
def school_template(tmp_path_factory):
    """The demo school built once per test run (by the first xdist worker that needs it, in a
    folder they all see: tests/homes.py's built_once); each test gets its own copy."""
    from tests.web_school import School, make_school

    def build(folder: Path) -> None:
        from service.documents.template_files import list_templates
        from service.register.reading import register_reader
        from service.web.security import secret_key

        made = make_school(_home_settings(folder / "home"), folder)
        # the web app's secret key, made now: every copy signs sessions with the same key, so
        # a test reuses the session cookie a real login gave (tests/web_school.py's login)
        secret_key(made.settings.var)
        # the check's verdicts on the standard templates, as the administrator's first look
        # at «Шаблоны» leaves them (var/cache): 1.2 s of CPU a copy that shows the page
        with register_reader(made.settings.database_url) as read:
            list_templates(read, made.settings)
        release_database(made.settings.database_url)  # copies start from a database without a WAL

    folder = built_once(run_folder(tmp_path_factory) / "shared-web-school", build)
    [workbook] = folder.glob("*.xlsx")
    return School(home_settings(folder / "home"), workbook)


def _home_settings(home: Path) -> Settings:
    s = load_settings(
        {"home": home, "settle_seconds": 0.05, "database_url": "", "watch_polling": False}
    )
    initialise_home(s)
    return s


@pytest.fixture
def web_school(school_template, tmp_path: Path):
    """A copy of the demo school with its CA, the director's key and one user per role."""
    return copy_of_school(school_template, tmp_path)


def copy_of_school(template, folder: Path):
    """A copy of ``school_template`` in ``folder`` (also for a module's shared copy)."""
    import shutil

    from tests.web_school import School

    shutil.copytree(template.settings.home, folder / "school")
    workbook = folder / template.workbook.name
    shutil.copyfile(template.workbook, workbook)
    return School(_home_settings(folder / "school"), workbook)


@pytest.fixture(scope="module")
def module_school(school_template, tmp_path_factory):
    """One copy of the web school for a whole module, for its tests that change nothing and
    each assert so (refusals): a copy a case costs 0.04–0.15 s (153 files) and an app."""
    return copy_of_school(school_template, tmp_path_factory.mktemp("module-school"))


@pytest.fixture(scope="module")
def module_app(module_school):
    """The web app of ``module_school``; CSRF off. Tests take a new test client each."""
    from service.web import create_app

    return create_app(module_school.settings, {"WTF_CSRF_ENABLED": False})


@pytest.fixture
def app(web_school):
    """The web app of ``web_school``; CSRF off (one test checks it is on by default)."""
    from service.web import create_app

    return create_app(web_school.settings, {"WTF_CSRF_ENABLED": False})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def exported(tmp_path_factory, homes, request: pytest.FixtureRequest):
    """The archived school year and its exported bag (tests/archive_school.py), built once,
    from a copy of the signing tests' template school (``demo_school_with_signers``)."""
    from tests.archive_school import build, demo_school_with_signers, shared_folder

    def school(home: Path) -> None:
        homes.copy(request, demo_school_with_signers, "sqlite", home)

    return build(shared_folder(tmp_path_factory), school)


@pytest.fixture
def bag(exported, tmp_path: Path) -> Path:
    """A fresh copy of the exported bag, to damage."""
    import shutil

    target = tmp_path / "пакет"
    shutil.copytree(exported[1], target)
    return target
