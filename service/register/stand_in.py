"""A stand-in register for warming up a running service: a whole batch runs on the register's
engine — its dialect and its cache of compiled statements — without touching the register.

SQLAlchemy compiles each statement the first time an engine runs it (about 60 of them in a
batch: 20–40 ms of CPU) and keeps it in that engine's cache; a warm-up that ran its batch on
another database would leave the register's engine as cold as before. So the warm-up's
sessions are opened on one connection of the register's own engine, set up so that the
batch neither reads nor writes the register's data and never takes its write lock: SQLite
looks an unqualified table name up in the connection's temporary schema first, so an empty
temporary copy of every table hides the real one, and the connection's authorizer refuses
any write to the real tables (a statement that named one would fail, not write). The
connection is closed at the end, its copies with it; it never goes back to the pool.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from service.register import db

_WRITES = frozenset(
    {
        sqlite3.SQLITE_INSERT,
        sqlite3.SQLITE_UPDATE,
        sqlite3.SQLITE_DELETE,
        sqlite3.SQLITE_CREATE_INDEX,
        sqlite3.SQLITE_CREATE_TABLE,
        sqlite3.SQLITE_CREATE_TRIGGER,
        sqlite3.SQLITE_CREATE_VIEW,
        sqlite3.SQLITE_DROP_INDEX,
        sqlite3.SQLITE_DROP_TABLE,
        sqlite3.SQLITE_DROP_TRIGGER,
        sqlite3.SQLITE_DROP_VIEW,
        sqlite3.SQLITE_ALTER_TABLE,
    }
)
"""SQLite's authorizer actions that change a database (its schema or its rows)."""


_LOOKS = frozenset(
    {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo", "foreign_key_list"}
)
"""Pragmas that take an argument only to name what they describe (a table, an index)."""


def _temporary_only(
    action: int, arg1: str | None, arg2: str | None, database: str | None, _trigger
):
    """The authorizer of a stand-in's connection: nothing written but its temporary schema.
    A pragma given a value writes the database file's header or settings (``PRAGMA
    main.user_version = 77`` passed the table-only check and changed the register's, attack22),
    and another database attached would take writes the register's checks never see: both
    refused too."""
    if action in _WRITES and database != "temp":
        return sqlite3.SQLITE_DENY
    if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and (arg1 or "").lower() not in _LOOKS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@contextmanager
def stand_in(url: str, stand_in_url: str) -> Iterator[bool]:
    """While the block runs, sessions opened on ``stand_in_url`` (:func:`db.session_scope`,
    :func:`db.new_session`) run on the engine of the SQLite register at ``url`` and see empty
    copies of its tables (see the module's docstring). Yields False, and sets nothing up, for
    another database. Sessions on it must be opened one at a time, from one thread."""
    engine = db.get_engine(url)
    if engine.dialect.name != "sqlite":
        yield False
        return
    connection = engine.connect()
    try:
        _copy_tables(connection)
        connection.connection.driver_connection.set_authorizer(_temporary_only)
        connection.info[db.STAND_IN] = True  # a writing session's BEGIN IMMEDIATE is not run
        db.STAND_INS[stand_in_url] = connection
        yield True
    finally:
        db.STAND_INS.pop(stand_in_url, None)
        connection.info.pop(db.STAND_IN, None)
        connection.invalidate()  # closed, not pooled: its copies and authorizer go with it
        connection.close()


def _copy_tables(connection: Connection) -> None:
    """An empty temporary copy of each of the register's tables and indexes, made from the
    database's own schema (so a unique index an upsert relies on is there too)."""
    schema = connection.exec_driver_sql(
        "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL "
        "AND type IN ('table', 'index') AND name NOT LIKE 'sqlite_%' "
        "ORDER BY type = 'index'"
    ).all()
    for kind, sql in schema:
        if kind == "table":  # CREATE TABLE name (…) → CREATE TEMPORARY TABLE name (…)
            sql = "CREATE TEMPORARY TABLE" + sql[len("CREATE TABLE") :]
        # an index's table is the temporary one now: SQLite puts the index beside it
        connection.exec_driver_sql(sql)
    connection.commit()
