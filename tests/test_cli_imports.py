"""Imports only where used (issue 15): ``nastavnik --help`` and the small commands start without
loading the renderer, signing, the workbook reader or the web service. Which modules a command
loaded is read from the command's own process; no time is measured here (that is in bench/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from service.config import Settings, load_settings
from service.home import initialise_home
from service.register.db import session_scope
from service.register.users import add_user
from tests.workbooks import valid_sheets, write_workbook

# What a command that only lists something must not pay for: the renderer (docxtpl,
# python-docx, lxml, Russian morphology), signing (pyHanko, cryptography), the workbook reader
# (openpyxl), the web service (Flask, Jinja, waitress), the watcher and the migrations.
HEAVY = (
    "alembic",
    "babel",
    "bagit",
    "cryptography",
    "docx",
    "docxtpl",
    "flask",
    "jinja2",
    "lxml",
    "openpyxl",
    "pyhanko",
    "pyhanko_certvalidator",
    "pymorphy3",
    "pytrovich",
    "waitress",
    "watchdog",
    "werkzeug",
)

_RUN = """
import json, os, sys
from service.cli import main
try:
    main(sys.argv[1:], prog_name="nastavnik")
except SystemExit as exc:
    code = exc.code
with open(os.environ["LOADED_MODULES"], "w") as out:
    json.dump(sorted({name.split(".")[0] for name in sys.modules}), out)
sys.exit(code)
"""


def _run(
    tmp_path: Path, home: Path, *args: str, account_cache: Path | None = None
) -> tuple[subprocess.CompletedProcess, set[str]]:
    """Run ``nastavnik ARGS`` in a new process (with ``account_cache``: that folder as the
    account's cache); its output and the top-level packages it imported."""
    loaded = tmp_path / "modules.json"
    env = {**os.environ, "NASTAVNIK_HOME": str(home), "LOADED_MODULES": str(loaded)}
    if account_cache is not None:
        env["NASTAVNIK_CACHE_DIR"] = str(account_cache)
    done = subprocess.run(
        [sys.executable, "-c", _RUN, *args], capture_output=True, text=True, env=env, timeout=120
    )
    return done, set(json.loads(loaded.read_text()))


def test_help_imports_neither_the_register_nor_the_documents(tmp_path: Path) -> None:
    done, loaded = _run(tmp_path, tmp_path / "home", "--help")
    assert done.returncode == 0, done.stderr
    assert "Документы программы наставничества" in done.stdout
    for command in ("process", "documents", "user", "archive", "templates", "sign"):
        assert f"\n  {command} " in done.stdout
    assert sorted(loaded.intersection((*HEAVY, "sqlalchemy"))) == []


def test_documents_imports_no_orm(tmp_path: Path, settings: Settings) -> None:
    """On SQLite the listing reads the register with the standard library's sqlite3: not even
    SQLAlchemy is loaded (tests/test_listings.py: it says what the ORM says)."""
    for args in (["documents"], ["documents", "--json", "--status", "signed"]):
        done, loaded = _run(tmp_path, settings.home, *args)
        assert done.returncode == 0, done.stderr
        assert sorted(loaded.intersection((*HEAVY, "sqlalchemy"))) == [], args


def test_user_list_imports_no_orm(tmp_path: Path, settings: Settings) -> None:
    with session_scope(settings.database_url) as session:
        add_user(session, "sekretar", "Иванова Анна Петровна", ["secretary"], "пароль-123456")
    done, loaded = _run(tmp_path, settings.home, "user", "list")
    assert (done.returncode, done.stdout) == (
        0,
        "sekretar\tИванова Анна Петровна\tсекретарь\n",
    ), done.stderr
    assert sorted(loaded.intersection((*HEAVY, "sqlalchemy"))) == []


def test_templates_list_checks_once_then_imports_nothing_heavy(
    tmp_path: Path, settings: Settings
) -> None:
    """The first listing of a new account checks every template (the checker's libraries are
    loaded); the next one, and a new home's of the same account, take the remembered verdicts
    and load neither the checker nor the ORM."""
    account = tmp_path / "account-cache"
    first, loaded = _run(tmp_path, settings.home, "templates", "list", account_cache=account)
    assert first.returncode == 0, first.stderr
    assert {"docxtpl", "jinja2", "lxml"} <= loaded
    for home in (settings.home, tmp_path / "new home"):
        if home != settings.home:
            initialise_home(load_settings({"home": home, "database_url": ""}))
        again, loaded = _run(tmp_path, home, "templates", "list", account_cache=account)
        assert (again.returncode, again.stdout) == (0, first.stdout), again.stderr
        assert sorted(loaded.intersection((*HEAVY, "sqlalchemy"))) == []


def test_process_imports_no_signing_and_no_web(tmp_path: Path) -> None:
    """Processing a workbook renders and writes the register, and loads nothing of signing
    (pyHanko, cryptography), the web service or the watcher; nor Alembic, even for a new
    home (its database is made from the models and stamped)."""
    workbook = write_workbook(tmp_path / "книга.xlsx", valid_sheets())
    done, loaded = _run(tmp_path, tmp_path / "новая школа", "process", str(workbook))
    assert done.returncode == 0, done.stderr
    assert "Файл «книга.xlsx» обработан: новых документов и версий — " in done.stderr
    assert {"docxtpl", "openpyxl", "sqlalchemy"} <= loaded
    signing = {"cryptography", "pyhanko", "pyhanko_certvalidator"}
    web = {"flask", "waitress", "watchdog", "werkzeug"}
    assert sorted(loaded & (signing | web | {"alembic"})) == []
