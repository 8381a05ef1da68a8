"""Reading the register without the ORM, for the commands that only list something
(``nastavnik documents``, ``user list``, ``templates list``): they must start at once, and
importing SQLAlchemy and the models alone takes longer than their whole work (issue 15).

A query is written once, as plain SQL text in :mod:`service.register.listings`, and run
through a :data:`Rows` function: on a SQLite URL by the standard library's ``sqlite3`` (the
file opened read-only), on any other URL (PostgreSQL) or inside an ORM session through
SQLAlchemy's ``text()`` — the same text, the same ``:name`` parameters, so there is one query,
not two. Before the first query the database is checked as every process checks it at start:
it must exist and be at this program's schema revision (else the same refusal the service
gives); another writer's lock is waited for (busy timeout) and then reported by the CLI's one
translation point."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from service.errors import NotFound
from service.register.revision import HEAD_REVISION

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

BUSY_TIMEOUT_SECONDS = 30
"""How long a writer (or a reader of a locked database) waits for another one's lock."""
VERSION_TABLE = "alembic_version"
"""Where Alembic records the revision (read here and by :mod:`service.register.schema`)."""

Rows = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]
"""Runs one query (SQL text with ``:name`` parameters) and returns its rows as dictionaries."""


class NoRegister(NotFound):
    """The home has no register yet (no database, or an empty one): said in Russian."""


def no_register(where: str) -> NoRegister:
    return NoRegister(
        f"Реестра нет: {where}. Проверьте рабочую папку (--home или NASTAVNIK_HOME) "
        "или создайте реестр: «nastavnik init»."
    )


def sqlite_url(database: Path) -> str:
    """The URL of the SQLite file ``database``, percent-encoded: a folder named «Школа №5
    #1?» is a path, not a URL's query (:func:`sqlite_file` reads it back)."""
    return "sqlite:///" + quote(str(database))


def sqlite_file(url: str) -> Path | None:
    """The database file of a ``sqlite:///`` URL as SQLAlchemy reads it (the path ends at
    ``?``, percent escapes decoded, as :func:`sqlite_url` encodes them), or None for
    another database."""
    if not url.startswith("sqlite:///"):
        return None
    return Path(unquote(url.removeprefix("sqlite:///").partition("?")[0]))


@contextmanager
def register_reader(url: str) -> Iterator[Rows]:
    """Read-only queries of the register at ``url``, once its schema is checked (see the
    module's docstring); :class:`NoRegister` or
    :class:`~service.register.schema.SchemaError` when it cannot be read."""
    if (database := sqlite_file(url)) is not None:
        connection = _open_sqlite(database)
        try:
            yield _sqlite_rows(connection)
        finally:
            connection.close()
        return
    from service.register.db import get_engine
    from service.register.schema import SchemaError, refusal, schema_state

    state = schema_state(url)
    if state.fresh:
        raise no_register("база данных пуста")
    if not state.up_to_date:
        raise SchemaError(refusal(state))
    with get_engine(url).connect() as connection:
        yield lambda sql, params: _sqlalchemy_rows(connection, sql, params)


def session_reader(session: Session) -> Rows:
    """The same queries inside an ORM session (the web service's request), in its
    transaction."""
    return lambda sql, params: _sqlalchemy_rows(session, sql, params)


def _sqlite_rows(connection: sqlite3.Connection) -> Rows:
    def rows(sql: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [dict(row) for row in connection.execute(sql, dict(params))]

    return rows


def _sqlalchemy_rows(runner: Any, sql: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
    from sqlalchemy import text

    return [dict(row) for row in runner.execute(text(sql), dict(params)).mappings()]


def _open_sqlite(database: Path) -> sqlite3.Connection:
    """The SQLite file opened read-only (it is never created here), waiting up to
    :data:`BUSY_TIMEOUT_SECONDS` for a lock, and checked to be at :data:`HEAD_REVISION`."""
    if not database.is_file():
        raise no_register(f"файла базы данных {database} нет")
    connection = sqlite3.connect(
        f"{database.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS
    )
    try:
        connection.row_factory = sqlite3.Row
        current, tables = sqlite_revision(connection)
        if current != HEAD_REVISION:
            raise _refused(database, current, tables)
    except BaseException:
        connection.close()
        raise
    return connection


def sqlite_revision(connection: sqlite3.Connection) -> tuple[str | None, frozenset[str]]:
    """The revision recorded in a SQLite database (None: no version table or row) and its
    other tables (SQLite's own left out, as SQLAlchemy's inspector leaves them)."""
    tables = {
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite~_%' ESCAPE '~'"
        )
    }
    current = None
    if VERSION_TABLE in tables:
        found = connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone()
        current = found[0] if found else None
    return current, frozenset(tables - {VERSION_TABLE})


def _refused(database: Path, current: str | None, tables: frozenset[str]) -> Exception:
    """Why a database not at :data:`HEAD_REVISION` is not read: empty, or the service's own
    refusal of an older or newer schema (the same words as ``watch`` or ``serve`` say)."""
    if not tables:
        return no_register(f"база данных {database} пуста")
    from service.register.schema import SchemaError, SchemaState, refusal

    return SchemaError(refusal(SchemaState(current, HEAD_REVISION, tables)))
