"""The append-only event log: every entry carries the SHA-256 of the previous one, so an edit
of history breaks the chain and :func:`verify_chain` finds where."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from service.register.db import ledger_locked
from service.register.ids import take_sqlite_write_lock
from service.register.models import Event

GENESIS = "0" * 64
LEDGER_LOCK = 6962
"""PostgreSQL advisory lock key of the ledger's writers (the migrations use another)."""


def entry_bytes(event: Event) -> bytes:
    """The canonical bytes of one ledger entry (what its hash and Merkle leaf cover)."""
    return _body(
        event.prev_hash,
        event.at,
        event.kind,
        event.batch_id,
        event.document_id,
        event.actor,
        event.details,
    )


def _body(
    prev_hash: str,
    at: datetime,
    kind: str,
    batch_id: int | None,
    document_id: int | None,
    actor: str,
    details: dict[str, Any],
) -> bytes:
    body = json.dumps(
        {
            "prev": prev_hash,
            "at": at.isoformat(),
            "kind": kind,
            "batch": batch_id,
            "document": document_id,
            "actor": actor,
            "details": details,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return body.encode("utf-8")


def _entry_hash(*fields: Any) -> str:
    return hashlib.sha256(_body(*fields)).hexdigest()


def _lock_for_append(session: Session) -> None:
    """Take the database's write lock before reading the chain's head, so two writers never
    link to the same previous entry (SQLite begins a write transaction at the first write
    statement, even one that changes no row; PostgreSQL takes a transaction-level advisory
    lock — locking the head row would leave the very first entry unguarded)."""
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        take_sqlite_write_lock(session, Event)
    elif dialect == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(LEDGER_LOCK)))
        ledger_locked(session)
    else:
        session.execute(select(Event.id).order_by(Event.id.desc()).limit(1).with_for_update())


@dataclass(frozen=True)
class NewEvent:
    """One entry to append (see :func:`append_events`)."""

    kind: str
    actor: str = "system"
    batch_id: int | None = None
    document_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


def append_event(
    session: Session,
    kind: str,
    *,
    actor: str = "system",
    batch_id: int | None = None,
    document_id: int | None = None,
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one event (in the caller's transaction)."""
    entry = NewEvent(kind, actor, batch_id, document_id, details or {})
    return append_events(session, [entry], at=at)[0]


def append_events(
    session: Session, entries: Sequence[NewEvent], *, at: datetime | None = None
) -> list[Event]:
    """Append ``entries`` in their order (in the caller's transaction), each linked to the one
    before: one lock, one read of the chain's head and one flush for all of them. The chain is
    the same as appending them one by one."""
    written = [Event(**row) for row in _chained(session, entries, at)]
    session.add_all(written)
    session.flush()
    return written


def record_events(
    session: Session, entries: Sequence[NewEvent], *, at: datetime | None = None
) -> None:
    """:func:`append_events` without making their objects — how a batch records its
    documents: all the rows in one ``executemany`` (the ORM wrote one statement per entry on
    SQLite, which cannot say in which order a multi-row insert gave its ids), in the same
    order, so with the same ids and the same chain."""
    rows = _chained(session, entries, at)
    if rows:
        session.execute(insert(Event.__table__), rows)  # the table: every row one shape


def _chained(
    session: Session, entries: Sequence[NewEvent], at: datetime | None
) -> list[dict[str, Any]]:
    """The rows of ``entries``, each with the hash of the one before, after the chain's head
    (read under the ledger's lock)."""
    at = (at or datetime.now()).replace(microsecond=0)
    _lock_for_append(session)
    table = Event.__table__  # only the head's hash, by a Core statement: no Event object
    prev = session.scalar(select(table.c.hash).order_by(table.c.id.desc()).limit(1)) or GENESIS
    rows = []
    for item in entries:
        fields = (prev, at, item.kind, item.batch_id, item.document_id, item.actor, item.details)
        row = {
            "at": at,
            "kind": item.kind,
            "batch_id": item.batch_id,
            "document_id": item.document_id,
            "actor": item.actor,
            "details": item.details,
            "prev_hash": prev,
            "hash": _entry_hash(*fields),
        }
        rows.append(row)
        prev = row["hash"]
    return rows


def verify_chain(session: Session) -> int | None:
    """The id of the first event whose hash does not match, or None when the chain is intact."""
    prev = GENESIS
    for entry in session.scalars(select(Event).order_by(Event.id)):
        expected = _entry_hash(
            prev,
            entry.at,
            entry.kind,
            entry.batch_id,
            entry.document_id,
            entry.actor,
            entry.details,
        )
        if entry.prev_hash != prev or entry.hash != expected:
            return entry.id
        prev = entry.hash
    return None
