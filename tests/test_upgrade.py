"""Upgrades keep the register: a home made by release 0.1 (``tests/fixtures/release-0.1/``,
made by its ``make_fixture.py``) is upgraded by ``nastavnik init`` and keeps every document,
signature, journal number and ledger entry; the migrations build what ``models.py`` says."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from service.intake.demo import write_demo_workbook
from service.register.schema import head_revision
from tests.test_signing_cli import run

RELEASE = Path(__file__).parent / "fixtures" / "release-0.1"
FACTS = json.loads((RELEASE / "release.json").read_text(encoding="utf-8"))
BEHIND = (
    "Ошибка: База данных создана прежней версией программы (схема выпуска 0.1, нужна {head}). "
    "Остановите службу и выполните «nastavnik init» (или «make run»): он сделает резервную "
    "копию базы и обновит её.\n"
)


@pytest.fixture
def release_home(tmp_path: Path) -> Path:
    """A copy of the release 0.1 home (its database 0600, as the service keeps it)."""
    home = tmp_path / "школа"
    shutil.copytree(RELEASE / "var", home / "var")
    (home / "var" / "nastavnik.db").chmod(0o600)
    return home


def upgrade(home: Path) -> None:
    """What ``nastavnik init`` does to the database (tested through the command above)."""
    from service.register.schema import upgrade_database

    upgrade_database(f"sqlite:///{home / 'var' / 'nastavnik.db'}", home / "var" / "backups")


def rows(database: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(sql).fetchall()


def test_the_service_refuses_an_old_database_until_init_upgrades_it(release_home):
    database = release_home / "var" / "nastavnik.db"
    before = database.read_bytes()
    for command in (["watch"], ["archive", "status"]):
        refused = run(release_home, *command)
        assert refused.returncode == 1, command
        assert refused.stderr.endswith(BEHIND.format(head=head_revision())), command
    assert database.read_bytes() == before

    upgraded = run(release_home, "init")
    assert upgraded.returncode == 0, upgraded.stderr
    backups = sorted((release_home / "var" / "backups").iterdir())
    assert len(backups) == 1 and backups[0].suffix == ".sqlite3"
    assert upgraded.stdout.splitlines()[:3] == [
        f"База данных обновлена: схема выпуска 0.1 → {head_revision()}.",
        f"Резервная копия базы до обновления: {backups[0]}",
        f"Рабочая папка готова: {release_home}",
    ]
    assert backups[0].stat().st_mode & 0o777 == 0o600
    assert (release_home / "var" / "backups").stat().st_mode & 0o777 == 0o700
    # the copy is the release 0.1 database, whole: no alembic_version, every event
    assert rows(backups[0], "SELECT name FROM sqlite_master WHERE name = 'alembic_version'") == []
    assert rows(backups[0], "SELECT count(*) FROM event") == [(FACTS["events"],)]
    assert rows(database, "SELECT version_num FROM alembic_version") == [(head_revision(),)]

    again = run(release_home, "init")
    assert again.returncode == 0 and "База данных обновлена" not in again.stdout
    assert len(list((release_home / "var" / "backups").iterdir())) == 1


def test_an_upgraded_home_keeps_documents_signatures_journal_and_ledger(release_home, tmp_path):
    upgrade(release_home)
    database = release_home / "var" / "nastavnik.db"
    documents = rows(
        database,
        "SELECT id, kind, version, status, sha256, number, comment FROM document ORDER BY id",
    )
    assert [dict(zip(FACTS["documents"][0], row, strict=True)) for row in documents] == FACTS[
        "documents"
    ]
    signatures = rows(
        database, "SELECT id, document_id, role, method, sha256 FROM signature ORDER BY id"
    )
    assert [dict(zip(FACTS["signatures"][0], r, strict=True)) for r in signatures] == FACTS[
        "signatures"
    ]
    journal = rows(database, "SELECT number, document_id, date FROM order_journal ORDER BY id")
    assert [dict(zip(FACTS["journal"][0], r, strict=True)) for r in journal] == FACTS["journal"]
    assert [j["number"] for j in FACTS["journal"]] == ["1/26", "2/26"]
    root = FACTS["checkpoint"]["root"]
    ledger = run(release_home, "ledger", "verify")
    assert ledger.returncode == 0, ledger.stdout
    assert ledger.stdout == f"Журнал цел: записей {FACTS['events']}, корень {root}.\n"

    order = next(d for d in FACTS["documents"] if d["number"] == "1/26")
    p7s = next(s["sha256"] for s in FACTS["signatures"] if s["document"] == order["id"])
    store = release_home / "var" / "store"
    (tmp_path / "приказ.docx").write_bytes(
        (store / order["sha256"][:2] / order["sha256"]).read_bytes()
    )
    (tmp_path / "приказ.docx.p7s").write_bytes((store / p7s[:2] / p7s).read_bytes())
    verified = run(
        release_home,
        "verify",
        str(tmp_path / "приказ.docx"),
        "--signature",
        str(tmp_path / "приказ.docx.p7s"),
    )
    assert verified.returncode == 0, verified.stdout
    lines = verified.stdout.splitlines()
    assert lines[1] == (
        "Документ реестра: Приказ о внедрении целевой модели наставничества — МБОУ Идринская СОШ"
    )
    assert "  регистрационный номер 1/26 от 30.11.2026" in lines
    assert lines[-1] == "ИТОГ: документ подлинный, подписи верны."

    # the administrator of release 0.1 signs in with the same password
    from service.config import load_settings
    from service.web import create_app
    from tests.web_school import login

    app = create_app(load_settings({"home": release_home}), {"WTF_CSRF_ENABLED": False})
    assert login(app.test_client(), "admin", FACTS["passwords"]["admin"]).location == "/"

    # and the register works on: a new key of the director (her ФИО and position from the
    # register), the next order number, a checkpoint
    ca = FACTS["passwords"]["ca"]
    added = run(
        release_home,
        "signer",
        "add",
        "--user",
        "kinyakina2",
        "--password-stdin",
        stdin=f"{ca}\nвременный-пароль-02\n",
    )
    assert added.stdout.startswith("Сертификат выпущен: Кинякина Татьяна Игоревна, Директор; №")
    assert added.returncode == 0, added.stderr
    changed = run(
        release_home,
        "signer",
        "password",
        "--user",
        "kinyakina2",
        "--password-stdin",
        stdin="временный-пароль-02\nпароль-кинякиной-02\n",
    )
    assert changed.returncode == 0, changed.stderr
    order = next(d for d in FACTS["documents"] if d["kind"] == "order_coordinators")
    assert order["status"] == "awaiting_signature"

    def sign(document_id: int):
        return run(
            release_home,
            "sign",
            str(document_id),
            "--user",
            "kinyakina2",
            "--password-stdin",
            stdin="пароль-кинякиной-02\n",
        )

    # a draft of release 0.1 kept no context to number it from (and this release prints the
    # order differently: the curator is appointed once, by the implementation order): it is
    # not signed, the next workbook makes the version to sign
    stale = sign(order["id"])
    assert stale.returncode == 1
    assert stale.stdout == (
        f"{order['id']}\tНЕ ПОДПИСАН\tДокумент № {order['id']} создан прежней версией "
        "программы, без сохранённых данных, и не может получить номер или дату. Обработайте "
        "любую книгу школы (например, с одним листом «Организация») — будет создана его новая "
        "версия для подписи.\n"
    )
    workbook = tmp_path / "школа.xlsx"
    write_demo_workbook(workbook)
    processed = run(release_home, "process", str(workbook))
    assert processed.returncode == 0, processed.stdout + processed.stderr
    ((newer, version),) = rows(
        database,
        "SELECT id, version FROM document WHERE kind = 'order_coordinators' "
        "ORDER BY version DESC LIMIT 1",
    )
    assert version == order["version"] + 1
    signed = sign(newer)
    assert signed.returncode == 0, signed.stderr
    today = date.today()
    number = f"{3 if today.year == 2026 else 1}/{today:%y}"  # the journal restarts each year
    assert f"№ {number}" in signed.stdout
    assert (
        run(release_home, "ledger", "checkpoint", "--password-stdin", stdin=f"{ca}\n").returncode
        == 0
    )
    ledger = run(release_home, "ledger", "verify")
    assert ledger.returncode == 0 and ledger.stdout.startswith("Журнал цел: записей ")


def test_init_does_not_upgrade_the_database_under_a_running_service(release_home):
    """The running service's connections were left on a database migrated under them
    (attack8: «database disk image is malformed» pages until restarted): ``init`` refuses
    while the home's watcher answers, and upgrades once it has stopped."""
    import os
    import time

    from service.health import write_heartbeat

    database, var = release_home / "var" / "nastavnik.db", release_home / "var"
    before = database.read_bytes()
    started = time.time()  # this test's process stands for the running watcher
    write_heartbeat(var, started=started, file=None, since=None, handled=0)
    beat = json.loads((var / "watcher.json").read_text())["beat"]
    refused = run(release_home, "init")
    assert refused.returncode == 1
    at = time.strftime("%d.%m.%Y %H:%M:%S", time.localtime(beat))
    assert refused.stderr.endswith(
        f"Ошибка: Служба этой рабочей папки работает (наблюдение за папкой inbox отвечало "
        f"{at}): базу нельзя обновлять, пока служба открыла её. Остановите службу (в окне "
        "«make run» — Ctrl+C), затем повторите «nastavnik init» или «make run». База не "
        "изменена.\n"
    )
    assert database.read_bytes() == before
    assert not (var / "backups").exists()
    assert os.getpid() == json.loads((var / "watcher.json").read_text())["pid"]

    write_heartbeat(var, started=started, file=None, since=None, handled=0, stopped=True)
    upgraded = run(release_home, "init")
    assert upgraded.returncode == 0, upgraded.stderr
    assert rows(database, "SELECT version_num FROM alembic_version") == [(head_revision(),)]


def test_init_does_not_upgrade_the_database_under_a_running_web_service(release_home):
    """`nastavnik serve` alone writes no heartbeat: the service lock it holds while it runs
    (shared) keeps `init` from migrating under it; released, the upgrade goes on."""
    from service.config import load_settings
    from service.home import service_running

    database = release_home / "var" / "nastavnik.db"
    before = database.read_bytes()
    with service_running(load_settings({"home": release_home})):
        refused = run(release_home, "init")
        assert refused.returncode == 1
        assert refused.stderr.endswith(
            "Ошибка: Служба этой рабочей папки работает (nastavnik run, serve или watch): базу "
            "нельзя обновлять, пока служба открыла её. Остановите службу (в окне «make run» — "
            "Ctrl+C), затем повторите «nastavnik init» или «make run». База не изменена.\n"
        )
        assert database.read_bytes() == before
    upgraded = run(release_home, "init")
    assert upgraded.returncode == 0, upgraded.stderr
    assert rows(database, "SELECT version_num FROM alembic_version") == [(head_revision(),)]


def test_an_upgrade_that_fails_changes_nothing(release_home):
    """A register whose rows break a reference is refused whole: the transaction is rolled
    back (no alembic_version), the copy taken before stays."""
    database = release_home / "var" / "nastavnik.db"
    with sqlite3.connect(database) as db:
        db.execute(
            "INSERT INTO signature (document_id, role, method, signer_name, sha256, signed_at) "
            "VALUES (999, 'director', 'cms', 'Никто', ?, '2026-11-30 12:00:00')",
            ("0" * 64,),
        )
    before = rows(database, "SELECT * FROM signature ORDER BY id")
    failed = run(release_home, "init")
    assert failed.returncode == 1
    assert failed.stderr.endswith(
        "Ошибка: После обновления в базе нарушены ссылки между таблицами (1); "
        "обновление отменено, база не изменена.\n"
    )
    assert rows(database, "SELECT name FROM sqlite_master WHERE name = 'alembic_version'") == []
    assert rows(database, "SELECT * FROM signature ORDER BY id") == before
    assert len(list((release_home / "var" / "backups").iterdir())) == 1


def test_a_database_of_a_newer_release_is_refused(release_home):
    upgrade(release_home)
    database = release_home / "var" / "nastavnik.db"
    with sqlite3.connect(database) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    message = (
        "Ошибка: База данных обновлена более новой версией программы (схема 9999); эта версия "
        f"знает схемы до {head_revision()}. Установите новую версию программы или верните "
        "резервную копию базы из var/backups/.\n"
    )
    for command in (["init"], ["watch"]):
        refused = run(release_home, *command)
        assert refused.returncode == 1 and refused.stderr.endswith(message), command


@pytest.fixture
def url(database: str, tmp_path: Path) -> str:
    """An empty database: SQLite in tmp_path, or a new one on the PostgreSQL server."""
    return database or f"sqlite:///{tmp_path / 'new.db'}"


def differences(url: str) -> list:
    """What autogenerate would still add to the database to match ``models.py``."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from service.register.models import Base
    from service.register.schema import migration_engine

    engine = migration_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def migrate(url: str) -> None:
    """Build the database by running every migration from an empty one."""
    from alembic import command

    from service.register.schema import alembic_config, migration_engine

    engine = migration_engine(url)
    try:
        with engine.connect() as connection, connection.begin():
            command.upgrade(alembic_config(connection), "head")
    finally:
        engine.dispose()


def described(url: str) -> dict:
    """The schema of the database at ``url`` as SQLAlchemy's inspector reads it: per table,
    its columns (type, nullability), primary key, indexes, unique and foreign keys."""
    from sqlalchemy import inspect

    from service.register.schema import migration_engine

    engine = migration_engine(url)
    try:
        with engine.connect() as connection:
            seen = inspect(connection)
            return {
                table: {
                    "columns": sorted(
                        (c["name"], str(c["type"]), c["nullable"]) for c in seen.get_columns(table)
                    ),
                    "primary key": seen.get_pk_constraint(table)["constrained_columns"],
                    "indexes": sorted(
                        (i["name"] or "", tuple(i["column_names"]), bool(i["unique"]))
                        for i in seen.get_indexes(table)
                    ),
                    "unique": sorted(
                        (u["name"] or "", tuple(u["column_names"]))
                        for u in seen.get_unique_constraints(table)
                    ),
                    "foreign keys": sorted(
                        (
                            tuple(f["constrained_columns"]),
                            f["referred_table"],
                            tuple(f["referred_columns"]),
                        )
                        for f in seen.get_foreign_keys(table)
                    ),
                }
                for table in sorted(seen.get_table_names())
            }
    finally:
        engine.dispose()


def test_the_head_revision_constant_is_the_migrations_head():
    """The start-up check knows the head without Alembic: the constant must follow a new
    migration."""
    from service.register.revision import HEAD_REVISION

    assert head_revision() == HEAD_REVISION


@pytest.mark.postgresql
def test_the_migrations_build_exactly_the_models(url):
    """Every migration run on an empty database: autogenerate finds nothing to add, so no
    column or table of ``models.py`` lacks its revision (and there is one head)."""
    from service.register.schema import schema_state

    migrate(url)
    assert schema_state(url).current == head_revision()
    assert differences(url) == []


@pytest.mark.postgresql
def test_a_new_database_is_the_schema_the_migrations_build(url, database_kind, request, tmp_path):
    """A new database is made from the models and stamped (no Alembic at start-up); its
    tables, columns, keys and indexes are those that running every migration gives."""
    from service.register.models import Base
    from service.register.schema import prepare_database, schema_state

    if database_kind == "postgresql":
        migrated = request.getfixturevalue("postgres_server").new_database()
    else:
        migrated = f"sqlite:///{tmp_path / 'migrated.db'}"
    migrate(migrated)
    prepare_database(url)
    state = schema_state(url)
    assert (state.current, state.up_to_date) == (head_revision(), True)
    made = described(url)
    assert made == described(migrated)
    assert sorted(made) == sorted([*Base.metadata.tables, "alembic_version"])
    assert differences(url) == []


def test_a_new_sqlite_database_is_what_create_all_and_the_stamp_make(tmp_path):
    """On SQLite a new database is made by the standard library running the statements
    ``create_all`` compiles (:func:`sqlite_ddl`), not by ``create_all`` itself: the result is
    the same schema, text for text, as ``create_all`` and the stamp (``_create``) give."""
    from service.register.models import Base
    from service.register.schema import _create, migration_engine, prepare_database

    made, reference = tmp_path / "made.db", tmp_path / "reference.db"
    prepare_database(f"sqlite:///{made}")
    engine = migration_engine(f"sqlite:///{reference}")
    try:
        with engine.connect() as connection, connection.begin():
            _create(connection)
    finally:
        engine.dispose()
    master = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
    assert rows(made, master) == rows(reference, master)
    tables = rows(made, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    assert [name for (name,) in tables] == sorted([*Base.metadata.tables, "alembic_version"])
    assert rows(made, "SELECT * FROM alembic_version") == [(head_revision(),)]
    prepare_database(f"sqlite:///{made}")  # a second start accepts it as it is
    assert rows(made, master) == rows(reference, master)
