"""Which threads wait for the register's write lock on SQLite, seen from the test process.

SQLite's busy wait cannot be seen from outside. Every statement that needs the write lock —
``BEGIN IMMEDIATE`` (a writing session, :func:`service.register.db.get_engine`), or the first
``INSERT``/``UPDATE``/``DELETE`` of a transaction that began reading — passes through the
register engine's ``before_cursor_execute`` event when it is sent, and ``after_cursor_execute``
(or ``handle_error``) when SQLite has answered. While another connection holds the lock, a thread
inside such a statement is waiting for the lock: what the tests used to give a second to happen
(``time.sleep(1)``, then «still alive»)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import create_engine, event, text

from service.register.db import get_engine

WRITES = ("BEGIN IMMEDIATE", "INSERT", "UPDATE", "DELETE")


class LockWaits:
    """Listens to the register at ``url`` from now on (create it before the threads start).
    The listeners stay on the engine, one per register URL (the test's home): taken off while
    a thread runs the event, they would change the listeners under it."""

    def __init__(self, url: str) -> None:
        self._inside: dict[threading.Thread, str] = {}
        self._changed = threading.Condition()
        engine = get_engine(url)
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)
        event.listen(engine, "handle_error", self._failed)

    def _before(self, _connection, _cursor, statement, *_) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            with self._changed:
                self._inside[threading.current_thread()] = statement
                self._changed.notify_all()

    def _after(self, *_) -> None:
        with self._changed:
            self._inside.pop(threading.current_thread(), None)

    def _failed(self, _context) -> None:
        self._after()

    def waiting(self, thread: threading.Thread) -> bool:
        """``thread`` is inside a statement that needs the write lock."""
        with self._changed:
            return thread in self._inside

    def wait_until_waiting(self, *threads: threading.Thread, timeout: float = 30) -> None:
        """Return once each of ``threads`` waits for the lock, or has finished, or after
        ``timeout`` seconds (the caller's asserts say which)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while time.monotonic() < deadline and not all(
                t in self._inside or not t.is_alive() for t in threads
            ):
                self._changed.wait(0.05)  # a thread that finishes says nothing


WAITING_ON_POSTGRESQL = text(
    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
)


def wait_for_a_postgresql_waiter(url: str, timeout: float = 30) -> None:
    """Return once some connection to the PostgreSQL server at ``url`` waits for an advisory
    lock (the register's and the ledger's locks are), or after ``timeout`` seconds."""
    engine = create_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                if connection.execute(WAITING_ON_POSTGRESQL).scalar():
                    return
            time.sleep(0.02)
    finally:
        engine.dispose()
