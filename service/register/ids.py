"""New rows numbered before they are written, as SQLite would number them.

SQLAlchemy writes rows whose ids the database gives one ``INSERT … RETURNING`` at a time on
SQLite: SQLite does not say in which order a multi-row insert returned its ids, and the ORM
must pair each id with its object. A batch spent a statement on each new document, person
and pair (900 for a 60-pair school). Given their ids beforehand — the table's largest id plus
one, plus two…, which is what SQLite gives a table without ``AUTOINCREMENT`` (all of the
register's) — they go in one ``executemany``. The write lock is taken first, so no other
writer can add a row in between. Other databases keep their own counters (PostgreSQL's
sequences): there nothing is given.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Table, false, func, select, update
from sqlalchemy.orm import Session

from service.register.models import Base


def number_new_rows(session: Session, model: type[Base], rows: Sequence[Base]) -> None:
    """Give ``rows`` (new objects of ``model``, not yet written) the ids SQLite would give
    them written one by one in this order; nothing on another database."""
    rows = [row for row in rows if row.id is None]
    if not rows or (first := first_new_id(session, model)) is None:
        return
    for number, row in enumerate(rows, first):
        row.id = number


def first_new_id(session: Session, model: type[Base] | Table) -> int | None:
    """The id SQLite gives the next new row of ``model``'s table (its largest id plus one),
    under the write lock; None on another database (its sequence numbers the rows)."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    with session.no_autoflush:  # the rows numbered here are not written before they are
        table = _table(model)
        take_sqlite_write_lock(session, table)
        # the table's column, not the mapped attribute: a Core statement, compiled without
        # the ORM's compile state (about 1 ms less for each table's first batch)
        return (session.scalar(select(func.max(table.c.id))) or 0) + 1


def _table(model: type[Base] | Table) -> Table:
    return model if isinstance(model, Table) else model.__table__


def take_sqlite_write_lock(session: Session, model: type[Base] | Table) -> None:
    """Take SQLite's write lock now, in the session's transaction: SQLite begins a write
    transaction at the first write statement, even one that changes no row (this one, on
    ``model``'s table). A transaction that has written already holds the lock until it ends
    (the driver begins one only at a write, or ``BEGIN IMMEDIATE`` for a writing session):
    nothing is sent then — a batch asked for it seven times, each a statement to compile."""
    if session.connection().connection.driver_connection.in_transaction:
        return
    table = _table(model)  # a Core statement: no ORM compile state
    session.execute(update(table).where(false()).values(id=table.c.id))
