"""The register's schema across releases: Alembic migrations in ``migrations/`` (shipped with
the package, no ``alembic.ini`` needed), applied by ``nastavnik init``.

- a new database is made from ``models.py`` (``create_all``) and stamped with the head
  revision — Alembic's documented way of building an up-to-date database from scratch, and
  without importing Alembic; a test proves the result equals what running every migration
  gives, on SQLite and PostgreSQL;
- a database at the head revision is recognised by plain SQL (its ``alembic_version`` row and
  table list against :data:`~service.register.revision.HEAD_REVISION`): Alembic is imported
  only to upgrade a database or to explain why it is refused;
- a database of release 0.1 has tables but no ``alembic_version``: the baseline revision
  adopts it (it creates only the tables such a home lacks) and the later revisions upgrade it;
- before an existing database is upgraded, a copy is taken with SQLite's backup API into
  ``var/backups/<time>.sqlite3`` (0600);
- the upgrade runs in one transaction: it either completes or changes nothing.

The service's own processes (``run``, ``serve``, ``watch``, ``process``, the web app) do not
upgrade: :func:`prepare_database` makes a new database but refuses one that is behind, with
a message telling the administrator to run ``nastavnik init``. Upgrading is a step the
administrator takes with the service stopped, a backup made and the result printed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    create_engine,
    event,
    inspect,
    text,
)
from sqlalchemy.pool import NullPool

from service.errors import NastavnikError
from service.register.reading import (
    BUSY_TIMEOUT_SECONDS,
    VERSION_TABLE,
    sqlite_file,
    sqlite_revision,
)
from service.register.revision import HEAD_REVISION

if TYPE_CHECKING:  # imported where used: Alembic only for migrations
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_VERSIONS = Table(
    VERSION_TABLE,
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name=f"{VERSION_TABLE}_pkc"),
)
"""Alembic's version table, as its ``MigrationContext`` creates it."""


class SchemaError(NastavnikError):
    """The database cannot be used by this version of the program (a Russian message)."""

    status = 500


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands against the migrations this program ships."""

    current: str | None
    """The revision recorded in ``alembic_version``; None when there is none."""
    head: str
    tables: frozenset[str]

    @property
    def fresh(self) -> bool:
        return not self.tables

    @property
    def unversioned(self) -> bool:
        """Tables without a recorded revision: a home made by release 0.1."""
        return bool(self.tables) and self.current is None

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    @property
    def known(self) -> bool:
        """False when the revision is one this program does not ship (a newer release)."""
        return self.current is None or self.current in revisions()


@dataclass(frozen=True)
class UpgradeReport:
    before: str | None
    """The revision before (None: release 0.1 or an empty database)."""
    after: str
    backup: Path | None
    created: bool
    """True when the database was empty and has been made from scratch."""

    @property
    def changed(self) -> bool:
        return self.created or self.before != self.after


def migration_engine(url: str) -> Engine:
    """An engine for schema work only: no pool, and on SQLite a real transaction around DDL
    (the driver would otherwise commit before each CREATE/ALTER) with foreign keys off while
    tables are rebuilt — they are checked before the commit instead."""
    if not url.startswith("sqlite"):
        return create_engine(url, poolclass=NullPool, hide_parameters=True)
    engine = create_engine(
        url, poolclass=NullPool, connect_args={"timeout": 30}, hide_parameters=True
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):  # pragma: no cover - trivial
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")

    @event.listens_for(engine, "begin")
    def _begin(connection):  # pragma: no cover - trivial
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock first: one migrator

    return engine


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built in code from the shipped ``migrations/`` folder."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _script():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this program ships (there is exactly one head)."""
    heads = _script().get_heads()
    if len(heads) != 1:  # a merge left two heads: a programming error, caught by the tests
        raise RuntimeError(f"migrations have {len(heads)} heads: {heads}")
    return heads[0]


@lru_cache(maxsize=1)
def revisions() -> frozenset[str]:
    return frozenset(script.revision for script in _script().walk_revisions())


def _state(connection: Connection) -> SchemaState:
    """The database's revision and tables, read with plain SQL (what Alembic's
    ``MigrationContext.get_current_heads`` reads, without importing Alembic)."""
    names = frozenset(inspect(connection).get_table_names())
    current = None
    if VERSION_TABLE in names:
        current = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    return SchemaState(current, HEAD_REVISION, names - {VERSION_TABLE})


def schema_state(url: str) -> SchemaState:
    engine = migration_engine(url)
    try:
        with engine.connect() as connection:
            return _state(connection)
    finally:
        engine.dispose()


@contextmanager
def _locked(url: str) -> Iterator[Connection]:
    """One transaction holding the database's write lock (SQLite: BEGIN IMMEDIATE;
    PostgreSQL: an advisory lock), so two processes never migrate at once."""
    engine = migration_engine(url)
    try:
        with engine.connect() as connection, connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(1853)"))
            yield connection
            if connection.dialect.name == "sqlite":
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise SchemaError(
                        "После обновления в базе нарушены ссылки между таблицами "
                        f"({len(broken)}); обновление отменено, база не изменена."
                    )
    finally:
        engine.dispose()


def _upgrade(connection: Connection) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), "head")


def _create(connection: Connection) -> None:
    """Build an empty database at the head revision: every table of ``models.py``, then the
    version table holding :data:`HEAD_REVISION` (Alembic's «create_all, then stamp head»,
    without Alembic: the stamp is one row)."""
    from service.register.models import Base

    Base.metadata.create_all(connection)
    _VERSIONS.create(connection)
    connection.execute(_VERSIONS.insert().values(version_num=HEAD_REVISION))


def prepare_database(url: str) -> None:
    """What every process does at start: make a new database (from the models, stamped
    with the head revision); accept one at the current revision; refuse one that is behind or
    ahead (:class:`SchemaError`)."""
    if (database := sqlite_file(url)) is not None:
        _prepare_sqlite(database)
        return
    state = schema_state(url)
    if state.up_to_date:
        return
    if state.fresh:
        with _locked(url) as connection:
            if _state(connection).fresh:  # another process may have made it meanwhile
                _create(connection)
        return
    raise SchemaError(refusal(state))


def _prepare_sqlite(database: Path) -> None:
    """:func:`prepare_database` for a SQLite file, through the standard library's ``sqlite3``:
    the check is two queries, a new database one transaction running :func:`sqlite_ddl` —
    no engine, no inspector, no per-table checks of ``create_all`` (about 20 ms of a new
    home's first batch, more than a small school's reading of its workbook)."""
    database.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(database, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    try:
        current, tables = sqlite_revision(connection)
        state = SchemaState(current, HEAD_REVISION, tables)
        if state.up_to_date:
            return
        if not state.fresh:
            raise SchemaError(refusal(state))
        connection.execute("BEGIN IMMEDIATE")  # the write lock first: one creator
        try:
            if not sqlite_revision(connection)[1]:  # another process may have made it meanwhile
                for statement in sqlite_ddl():
                    connection.execute(statement)
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:  # a failed COMMIT may have ended it already
                connection.execute("ROLLBACK")
            raise
    finally:
        connection.close()


@lru_cache(maxsize=1)
def sqlite_ddl() -> tuple[str, ...]:
    """What :func:`_create` runs on an empty SQLite database, compiled once per process from
    ``models.py`` as ``create_all`` compiles it: each table in dependency order followed by its
    indexes, then the version table and its :data:`HEAD_REVISION` row (``tests/test_upgrade.py``
    checks that the database it makes is ``_create``'s)."""
    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    from service.register.models import Base

    dialect = sqlite.dialect()
    statements = []
    for table in [*Base.metadata.sorted_tables, _VERSIONS]:
        statements.append(str(CreateTable(table).compile(dialect=dialect)))
        statements += [
            str(CreateIndex(index).compile(dialect=dialect))
            for index in sorted(table.indexes, key=lambda index: index.name or "")
        ]
    statements.append(f"INSERT INTO {VERSION_TABLE} (version_num) VALUES ('{HEAD_REVISION}')")
    return tuple(statements)


def refusal(state: SchemaState) -> str:
    """Why this program does not start on the database, and what to do."""
    if not state.known:
        return (
            f"База данных обновлена более новой версией программы (схема {state.current}); "
            f"эта версия знает схемы до {state.head}. Установите новую версию программы "
            "или верните резервную копию базы из var/backups/."
        )
    was = "выпуска 0.1" if state.current is None else state.current
    return (
        f"База данных создана прежней версией программы (схема {was}, нужна {state.head}). "
        "Остановите службу и выполните «nastavnik init» (или «make run»): "
        "он сделает резервную копию базы и обновит её."
    )


def upgrade_database(url: str, backups: Path) -> UpgradeReport:
    """Bring the database to the head revision (``nastavnik init``): a copy first when it
    holds data (SQLite), then every missing revision in one transaction."""
    state = schema_state(url)
    if not state.known:
        raise SchemaError(refusal(state))
    if state.up_to_date:
        return UpgradeReport(state.current, state.head, None, created=False)
    backup = None
    with _locked(url) as connection:  # the copy is taken under the write lock: nothing
        before = _state(connection)  # can be written between the copy and the upgrade
        if not before.up_to_date:
            if before.fresh:
                _create(connection)
            else:
                if connection.dialect.name == "sqlite":
                    backup = backup_sqlite(sqlite_file(url), backups)
                _upgrade(connection)
    return UpgradeReport(before.current, state.head, backup, created=before.fresh)


def backup_sqlite(database: Path, folder: Path) -> Path:
    """A consistent copy of a (possibly live, WAL) SQLite database by its backup API, into
    ``folder/<time>.sqlite3``, readable by the service's account only."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    stamp = datetime.now().strftime("%Y-%m-%dT%H-%M-%S")
    target = folder / f"{stamp}.sqlite3"
    number = 1
    while True:
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            break
        except FileExistsError:
            number += 1
            target = folder / f"{stamp}-{number}.sqlite3"
    os.close(fd)
    source = sqlite3.connect(database)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        source.close()
    return target
