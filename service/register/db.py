"""Engine and sessions for the register (SQLite by default, any SQLAlchemy URL later)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker


@lru_cache(maxsize=16)
def get_engine(url: str) -> Engine:
    """One engine per URL per process; SQLite gets WAL and a busy timeout so that the
    watcher and the web service can share one file."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # hide_parameters: an error message never quotes the register's personal data
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(conn, _record):  # pragma: no cover - trivial
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def init_database(url: str) -> None:
    """Make a new database (by the migrations) or accept one at the current schema; a database
    left behind by an earlier release is refused with
    :class:`~service.register.schema.SchemaError` (``nastavnik init`` upgrades it)."""
    from service.register.schema import prepare_database

    prepare_database(url)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """One transaction: committed on success, rolled back on any exception."""
    session = sessionmaker(get_engine(url), expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


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
