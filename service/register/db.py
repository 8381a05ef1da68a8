"""Engine and sessions for the register (SQLite by default, any SQLAlchemy URL later).

On SQLite a session opened with ``write=True`` begins with ``BEGIN IMMEDIATE``: it takes the lock
before its first read, so two writers queue (busy timeout) instead of one of them failing with
«database is locked» when its snapshot turns stale at the first write. On PostgreSQL the same
session begins with a transaction-level advisory lock (:data:`REGISTER_LOCK`): the writers that
read and then write queue as on SQLite (two signings of one document at once made the second
fail on the journal's unique number — a 500 — instead of «уже подписан»)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import lru_cache, partial
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from service.register.reading import BUSY_TIMEOUT_SECONDS, sqlite_file

REGISTER_LOCK = 1852
"""PostgreSQL advisory lock key of the register's writers (the ledger's is
:data:`service.register.events.LEDGER_LOCK`, the migrations' 1853). Always taken before the
ledger's, never after it: see :func:`begin_writing`."""
_LEDGER_LOCKED = "nastavnik_ledger_locked"
"""``Session.info`` key: the transaction that holds the ledger's lock already."""

LOCK_NOT_AVAILABLE = "55P03"
"""PostgreSQL's SQLSTATE for a lock not granted within ``lock_timeout``."""
RETRIES = 2
"""Extra attempts of a whole transaction that still found the database locked."""
_T = TypeVar("_T")

STAND_INS: dict[str, Connection] = {}
"""Stand-in URLs and the connection their sessions use (:mod:`service.register.stand_in`)."""
STAND_IN = "nastavnik_stand_in"
"""``Connection.info`` key of a stand-in's connection: its writing sessions take no lock."""

SessionFactory = Callable[[], AbstractContextManager[Session]]
"""Opens one transaction of the register (committed when the block ends without an error).
Taken instead of a :class:`Session` only by the few domain functions that must commit in steps
(an archive export, a destruction act): each says why in its docstring."""


@lru_cache(maxsize=16)
def get_engine(url: str) -> Engine:
    """One engine per URL per process; SQLite gets WAL and a busy timeout so that the
    watcher and the web service can share one file."""
    if (database := sqlite_file(url)) is not None:
        database.parent.mkdir(parents=True, exist_ok=True)
        # hide_parameters: an error message never quotes the register's personal data
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS}, hide_parameters=True
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(conn, _record):  # pragma: no cover - trivial
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # pysqlite begins a transaction itself only before the first write; a writing
            # session begins it here, with the write lock, before it reads anything
            # (never on a warm-up's stand-in connection: it writes no table of the register)
            if conn.get_execution_options().get("nastavnik_write", False) and not conn.info.get(
                STAND_IN
            ):
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True)
    if engine.dialect.name == "postgresql":

        @event.listens_for(engine, "begin")
        def _postgresql_begin(conn):
            # a writing session waits here for the other writers, before it reads anything
            if conn.get_execution_options().get("nastavnik_write", False):
                for statement in _postgresql_write_lock():
                    conn.exec_driver_sql(statement)

    return engine


def _postgresql_write_lock() -> tuple[str, str]:
    """The statements that take the register's write lock on PostgreSQL, waiting for it (and
    for any lock after it in the transaction) no longer than SQLite's busy timeout: a writer
    waited without end — a signing during a batch of thousands of documents hung its page for
    minutes. Past it the statement fails as «locked» (:func:`is_locked_error`: 503, «повторите»)."""
    return (
        f"SET LOCAL lock_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}",
        f"SELECT pg_advisory_xact_lock({REGISTER_LOCK})",
    )


def init_database(url: str) -> None:
    """Make a new database (by the migrations) or accept one at the current schema; a database
    left behind by an earlier release is refused with
    :class:`~service.register.schema.SchemaError` (``nastavnik init`` upgrades it)."""
    from service.register.schema import prepare_database

    prepare_database(url)


def new_session(url: str, *, write: bool = False) -> Session:
    """A session of the register. ``write=True`` for a transaction that reads and then writes
    where another writer must not slip in between (signing, key counters): it begins with the
    write lock. Take it only for such short transactions, and never open another session of
    the register inside one: the inner one would wait for the outer's lock."""
    if (stand_in := STAND_INS.get(url)) is not None:  # a warm-up's batch: no lock to take
        return Session(stand_in, expire_on_commit=False)
    engine = get_engine(url)
    if write:
        engine = engine.execution_options(nastavnik_write=True)
    return sessionmaker(engine, expire_on_commit=False)()


@contextmanager
def session_scope(url: str, *, write: bool = False) -> Iterator[Session]:
    """One transaction: committed on success, rolled back on any exception."""
    session = new_session(url, write=write)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def session_factory(url: str) -> SessionFactory:
    """Transactions of the register at ``url``, one per ``with`` block (see
    :data:`SessionFactory`)."""
    return partial(session_scope, url)


def is_locked_error(exc: BaseException) -> bool:
    """True for SQLite's «database is locked» / «busy» and PostgreSQL's lock timeout: another
    writer held the lock longer than the busy timeout (raised through SQLAlchemy, or by
    ``sqlite3`` itself for the listings of :mod:`service.register.reading`)."""
    original = getattr(exc, "orig", exc)
    if getattr(original, "sqlstate", None) == LOCK_NOT_AVAILABLE:  # PostgreSQL's lock_timeout
        return True
    text = str(original).lower()
    return isinstance(exc, (OperationalError, sqlite3.OperationalError)) and (
        "locked" in text or "busy" in text
    )


def retry_when_locked(action: Callable[[], _T], retries: int = RETRIES) -> _T:
    """Run a whole transaction again (up to ``retries`` times) when the database stayed
    locked; the last failure is raised for the adapter to answer «повторите»."""
    for attempt in range(retries + 1):
        try:
            return action()
        except OperationalError as exc:
            if attempt == retries or not is_locked_error(exc):
                raise
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError("unreachable")


@contextmanager
def rolled_back_session(url: str) -> Iterator[Session]:
    """One transaction that is always rolled back: a dry run writes the register as a real run
    would, reads what that changed, and leaves the database as it was."""
    session = sessionmaker(get_engine(url), expire_on_commit=False)()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def ledger_locked(session: Session) -> None:
    """Note that ``session``'s transaction now holds the ledger's lock (PostgreSQL), so that a
    :func:`begin_writing` later in it does not take the register's lock after it."""
    session.info[_LEDGER_LOCKED] = session.get_transaction()


def begin_writing(session: Session) -> None:
    """Let the caller's ``session`` hold the register's write lock from now to its commit, as
    a ``write=True`` session does (SQLite: ``BEGIN IMMEDIATE``), so that what the domain reads
    and then writes (a journal number, a document's state) cannot change in between.

    A transaction the session opened only to read (the request's user, the document asked
    for) is ended first: it wrote nothing, so nothing is lost. One that has written already
    keeps going — it holds the lock since its first write. Waiting for another writer's lock
    is retried as :func:`retry_when_locked` does. On PostgreSQL the transaction takes
    :data:`REGISTER_LOCK` — unless it holds the ledger's lock already (:func:`ledger_locked`):
    taken in that order it could deadlock with a writer waiting for the ledger's lock."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        holder = session.info.get(_LEDGER_LOCKED)
        if holder is None or holder is not session.get_transaction():
            for statement in _postgresql_write_lock():
                session.execute(text(statement))
            if not (session.new or session.dirty or session.deleted):
                session.expire_all()  # what was read before the lock is read again after it
        return
    if dialect != "sqlite":
        return
    if session.in_transaction():
        raw = session.connection().connection.driver_connection
        if raw.in_transaction or session.new or session.dirty or session.deleted:
            return
        session.rollback()

    def lock() -> None:
        try:
            session.connection(execution_options={"nastavnik_write": True})
        except OperationalError:
            session.rollback()
            raise

    retry_when_locked(lock)


_AFTER_COMMIT = "nastavnik_after_commit"


def after_commit(session: Session, action: Callable[[], object]) -> None:
    """Run ``action`` once the transaction ``session`` is in is committed — never if it is
    rolled back: for a file outside the database that must not name a row the register lacks
    (a ledger checkpoint's copy). The caller owns the commit; the domain need not wait for it."""
    session.info.setdefault(_AFTER_COMMIT, []).append(action)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    if not session.in_nested_transaction():
        for action in session.info.pop(_AFTER_COMMIT, []):
            action()


@event.listens_for(Session, "after_transaction_end")
def _forget_after_commit(session: Session, transaction) -> None:
    if transaction.parent is None:  # the whole transaction ended: committed or not
        session.info.pop(_AFTER_COMMIT, None)
