"""What a batch asks of the register about itself and its documents, with SQLAlchemy Core:
its file's earlier batches, its own row (:class:`BatchRecord`) and the latest version of each
document it plans (:class:`LatestVersion`). Plain rows, as the rest of a batch's path
(:mod:`service.register.records`): a batch configures no ORM mapper."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import Session

from service.register import models as m
from service.register.archive_models import ArchiveItem
from service.register.records import Record, insert_records, read_rows

_BATCH = m.Batch.__table__
_DOCUMENT = m.Document.__table__
_SIGNATURE = m.Signature.__table__
_ARCHIVED = ArchiveItem.__table__


class BatchRecord(Record):
    """One processed workbook's row."""

    table = _BATCH


def new_batch(session: Session, source_name: str, sha256: str) -> BatchRecord:
    """The batch of a file now begun (written, with its id): processing, its first attempt."""
    batch = BatchRecord(
        source_name=source_name,
        sha256=sha256,
        status=m.BatchStatus.PROCESSING,
        attempts=1,
        documents_total=0,
        documents_done=0,
        started_at=datetime.now(),
    )
    insert_records(session, [batch], omit_none=True)
    return batch


def read_batch(session: Session, batch_id: int) -> BatchRecord:
    (batch,) = read_rows(session, BatchRecord, select(_BATCH).where(_BATCH.c.id == batch_id))
    return batch


def batches_of_file(session: Session, sha256: str) -> tuple[BatchRecord | None, BatchRecord | None]:
    """The first done batch of the file with this SHA-256 (there is only one) and its newest
    unfinished one, in one query (what the pipeline asks first of every file)."""
    done = processing = None
    for batch in read_rows(
        session,
        BatchRecord,
        select(_BATCH)
        .where(
            _BATCH.c.sha256 == sha256,
            _BATCH.c.status.in_((m.BatchStatus.DONE, m.BatchStatus.PROCESSING)),
        )
        .order_by(_BATCH.c.id.desc()),
    ):
        if batch.status == m.BatchStatus.DONE:
            done = batch  # newest first: the last one seen is the first one done
        else:
            processing = processing or batch
    return done, processing


def later_changing_batch(session: Session, batch_id: int) -> BatchRecord | None:
    """The newest processed batch after ``batch_id`` that made documents: the register is no
    longer as batch ``batch_id`` left it (its file dropped again changes nothing back)."""
    rows = read_rows(
        session,
        BatchRecord,
        select(_BATCH)
        .where(
            _BATCH.c.id > batch_id,
            _BATCH.c.status == m.BatchStatus.DONE,
            _BATCH.c.documents_done > 0,
        )
        .order_by(_BATCH.c.id.desc())
        .limit(1),
    )
    return rows[0] if rows else None


def done_batch(session: Session, sha256: str) -> BatchRecord | None:
    """The processed batch of the file with this SHA-256, if it was processed already (the
    same file again changes nothing)."""
    return batches_of_file(session, sha256)[0]


def finish_batch(session: Session, batch_id: int, **values: Any) -> None:
    """Write the end of a batch that did not make its documents (its status and report)."""
    session.execute(update(_BATCH).where(_BATCH.c.id == batch_id).values(**values))


class LatestVersion(Record):
    """The latest version of a document as a batch compares it: its row without the context
    (read only when asked for, :attr:`context`), whether it has one and any signature."""

    table = _DOCUMENT
    context_missing: bool
    has_signatures: bool
    director_signed: bool
    _session: Session

    @property
    def context(self) -> str | None:
        """The context it was made from (canonical JSON), read now."""
        return self._session.scalar(select(_DOCUMENT.c.context).where(_DOCUMENT.c.id == self.id))


def latest_versions(
    session: Session, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], LatestVersion]:
    """The newest version of each document asked for by (kind, subject key), in one query for
    the lot (a batch compares all its planned documents with the register at once); a document
    the register does not have yet is absent from the answer. Their contexts are not read
    (for 15,000 documents about 50 million characters), only whether each has one; the
    context itself is read when asked for."""
    wanted = set(keys)
    if not wanted:
        return {}
    kinds = sorted({kind for kind, _ in wanted})
    subjects = sorted({subject for _, subject in wanted})
    newest = (
        select(
            _DOCUMENT.c.kind,
            _DOCUMENT.c.subject_key,
            func.max(_DOCUMENT.c.version).label("version"),
        )
        .where(_DOCUMENT.c.kind.in_(kinds), _DOCUMENT.c.subject_key.in_(subjects))
        .group_by(_DOCUMENT.c.kind, _DOCUMENT.c.subject_key)
        .subquery()
    )
    columns = [c for c in _DOCUMENT.c if c.key != "context"]
    signed = exists().where(_SIGNATURE.c.document_id == _DOCUMENT.c.id)
    by_director = exists().where(
        _SIGNATURE.c.document_id == _DOCUMENT.c.id, _SIGNATURE.c.role == "director"
    )
    statement = select(
        *columns,
        _DOCUMENT.c.context.is_(None).label("context_missing"),
        signed.label("has_signatures"),
        by_director.label("director_signed"),
    ).join(
        newest,
        and_(
            _DOCUMENT.c.kind == newest.c.kind,
            _DOCUMENT.c.subject_key == newest.c.subject_key,
            _DOCUMENT.c.version == newest.c.version,
        ),
    )
    found = {}
    for row in session.execute(statement):
        version = LatestVersion.__new__(LatestVersion)
        version.__dict__.update(row._mapping)
        version._session = session
        if (version.kind, version.subject_key) in wanted:
            found[version.kind, version.subject_key] = version
    return found


def supersede_latest(session: Session, version: LatestVersion) -> None:
    """Mark a version the register holds as superseded by a new one."""
    version.status = m.DocumentStatus.SUPERSEDED
    session.execute(
        update(_DOCUMENT)
        .where(_DOCUMENT.c.id == version.id)
        .values(status=m.DocumentStatus.SUPERSEDED)
    )


SIGNED_STATES = (m.DocumentStatus.SIGNED, m.DocumentStatus.ARCHIVED)
DRAFT_STATES = (
    m.DocumentStatus.GENERATED,
    m.DocumentStatus.AWAITING_SIGNATURE,
    m.DocumentStatus.RETURNED,
)
"""The states of a version nobody has signed yet: a newer version supersedes it."""
PARTLY_SIGNED_STATES = (m.DocumentStatus.SUPERSEDED, m.DocumentStatus.AWAITING_SIGNATURE)
"""The states of a version signed by some of its signatories (with its signatures)."""


def last_signed_versions(
    session: Session, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Any]:
    """The newest signed (or archived) version of each document asked for by (kind, subject
    key): its id, version, context's digest, status, whether it has signatures and the
    director's; a document never signed is absent, and so is one whose newest signed version
    was destroyed by an act (no version of it is in force: its file is gone)."""
    return _newest(session, keys, _DOCUMENT.c.status.in_(SIGNED_STATES))


def last_partly_signed_versions(
    session: Session, keys: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Any]:
    """The newest version of each document asked for that someone signed but not everyone
    (a contract the director signed, awaiting the mentor's signature on paper): superseded by
    a newer version before the others signed, or made current again by an earlier batch
    (:func:`revive`). Its id, version, context's digest and status."""
    return _newest(
        session,
        keys,
        _DOCUMENT.c.status.in_(PARTLY_SIGNED_STATES),
        exists().where(_SIGNATURE.c.document_id == _DOCUMENT.c.id),
    )


def _newest(session: Session, keys: Iterable[tuple[str, str]], *where: Any) -> dict:
    """The newest version meeting ``where`` of each document asked for by (kind, subject);
    none where that version was destroyed by an act: a workbook putting back a destroyed
    consent's data withdrew the new draft as if the destroyed version were in force again
    (review22b), leaving the person no consent but one whose file is gone."""
    wanted = set(keys)
    if not wanted:
        return {}
    statement = (
        select(
            _DOCUMENT.c.id,
            _DOCUMENT.c.kind,
            _DOCUMENT.c.subject_key,
            _DOCUMENT.c.version,
            _DOCUMENT.c.context_sha256,
            _DOCUMENT.c.status,
            exists().where(_SIGNATURE.c.document_id == _DOCUMENT.c.id).label("has_signatures"),
            exists()
            .where(_SIGNATURE.c.document_id == _DOCUMENT.c.id, _SIGNATURE.c.role == "director")
            .label("director_signed"),
            exists()
            .where(_ARCHIVED.c.document_id == _DOCUMENT.c.id, _ARCHIVED.c.destroyed_at.is_not(None))
            .label("destroyed"),
        )
        .where(
            _DOCUMENT.c.kind.in_(sorted({kind for kind, _ in wanted})),
            _DOCUMENT.c.subject_key.in_(sorted({subject for _, subject in wanted})),
            *where,
        )
        .order_by(_DOCUMENT.c.version)
    )
    found = {}
    for row in session.execute(statement):
        if (row.kind, row.subject_key) in wanted:
            found[row.kind, row.subject_key] = row  # newest last
    return {key: row for key, row in found.items() if not row.destroyed}


def revive(session: Session, document_id: int) -> None:
    """A superseded version someone signed is the current one again, awaiting the others'
    signatures (its content is back: :mod:`service.restored`)."""
    session.execute(
        update(_DOCUMENT)
        .where(_DOCUMENT.c.id == document_id, _DOCUMENT.c.status == m.DocumentStatus.SUPERSEDED)
        .values(status=m.DocumentStatus.AWAITING_SIGNATURE)
    )


def withdraw_drafts(session: Session, kind: str, subject_key: str, after: int) -> list[Any]:
    """Mark superseded the unsigned versions of a document newer than its signed version
    ``after`` (the content is back to what was signed); return them (id, version), oldest
    first. Only a version still unsigned is marked, whatever happened since it was read."""
    where = (
        _DOCUMENT.c.kind == kind,
        _DOCUMENT.c.subject_key == subject_key,
        _DOCUMENT.c.version > after,
        _DOCUMENT.c.status.in_(DRAFT_STATES),
        ~exists().where(_SIGNATURE.c.document_id == _DOCUMENT.c.id),
    )
    drafts = list(
        session.execute(
            select(_DOCUMENT.c.id, _DOCUMENT.c.version).where(*where).order_by(_DOCUMENT.c.version)
        )
    )
    _supersede(session, [d.id for d in drafts], *where[3:])
    return drafts


def _supersede(session: Session, ids: list[int], *still: Any) -> None:
    """Mark superseded those of the versions ``ids`` for which the conditions ``still`` hold
    as the update runs: a version signed since it was read is not withdrawn."""
    if ids:
        session.execute(
            update(_DOCUMENT)
            .where(_DOCUMENT.c.id.in_(ids), *still)
            .values(status=m.DocumentStatus.SUPERSEDED)
        )


def contexts_of(session: Session, ids: Iterable[int]) -> dict[int, str | None]:
    """The kept context (canonical JSON) of each version asked for, by id."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    statement = select(_DOCUMENT.c.id, _DOCUMENT.c.context).where(_DOCUMENT.c.id.in_(wanted))
    return {row.id: row.context for row in session.execute(statement)}


def withdraw_not_due(session: Session, kind: str, subject_key: str, year: str) -> list[Any]:
    """Mark superseded the versions of a document of school year ``year`` (their context's
    ``org.school_year``) that await signatures without the director's — a curator's kept on
    the version, as a new version would keep it — because the register no longer makes the
    document (the year's final report when the year turned out not to be over); return them
    (id, version), oldest first."""
    by_director = exists().where(
        _SIGNATURE.c.document_id == _DOCUMENT.c.id, _SIGNATURE.c.role == "director"
    )
    rows = session.execute(
        select(_DOCUMENT.c.id, _DOCUMENT.c.version, _DOCUMENT.c.context)
        .where(
            _DOCUMENT.c.kind == kind,
            _DOCUMENT.c.subject_key == subject_key,
            _DOCUMENT.c.status.in_(DRAFT_STATES),
            ~by_director,
        )
        .order_by(_DOCUMENT.c.version)
    )
    drafts = [
        row
        for row in rows
        if row.context is not None
        and json.loads(row.context).get("org", {}).get("school_year") == year
    ]
    _supersede(session, [d.id for d in drafts], _DOCUMENT.c.status.in_(DRAFT_STATES), ~by_director)
    return [(d.id, d.version) for d in drafts]
