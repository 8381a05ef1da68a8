"""One workbook, start to finish: read and check it, update the register, render every
document the register allows, store the files by hash and write the batch's outbox folder.

The watcher, ``nastavnik process`` and the web upload all call :func:`process_workbook`.
A rejected workbook changes nothing in the register (the data transaction is never opened
for writing); its attempt is recorded as a batch with its report.
"""

from __future__ import annotations

import fcntl
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.config import Settings
from service.documents import russian
from service.documents.parallel import prestart, render_many
from service.documents.planning import (
    PlannedDocument,
    context_digest,
    plan_documents,
    safe_file_name,
)
from service.documents.render import render_document
from service.intake.guard import Limits
from service.intake.model import IntakeReport, Workbook
from service.intake.reader import read_workbook
from service.outbox import OutboxEntry, unique_names, write_outbox
from service.progress import clear_progress, write_progress
from service.register.apply import RegisterLookup, apply_workbook
from service.register.db import session_scope
from service.register.events import append_event
from service.register.models import (
    Batch,
    BatchStatus,
    Document,
    DocumentStatus,
    Organization,
)
from service.signing.workflow import initial_status
from service.store import FileStore, sha256_file

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    DONE = "done"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    FAILED = "failed"
    RETRY = "retry"


@dataclass
class ProcessResult:
    outcome: Outcome
    message: str
    """A Russian summary for the log, the CLI and the web page."""
    batch_id: int | None = None
    folder: Path | None = None
    report: IntakeReport | None = None
    entries: list[OutboxEntry] = field(default_factory=list)


_ONE_AT_A_TIME = threading.Lock()
"""The watcher and web uploads take turns: one writer of the register at a time."""


def process_workbook(settings: Settings, path: Path, *, actor: str = "watcher") -> ProcessResult:
    """Process one workbook; never raises for a bad workbook (that is a REJECTED result)."""
    with one_writer(settings):
        return _process_workbook(settings, path, actor)


@contextmanager
def one_writer(settings: Settings) -> Iterator[None]:
    """Wait for the register's turn: one workbook (or dry run) at a time, in this process and
    across processes (`serve` beside `watch`)."""
    settings.var.mkdir(parents=True, exist_ok=True)
    with _ONE_AT_A_TIME, (settings.var / "pipeline.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _process_workbook(settings: Settings, path: Path, actor: str) -> ProcessResult:
    digest = sha256_file(path)
    url = settings.database_url
    with session_scope(url) as session:
        done = session.scalars(
            select(Batch).where(Batch.sha256 == digest, Batch.status == BatchStatus.DONE)
        ).first()
        if done is not None:
            folder = _ensure_outbox(settings, session, done)
            return ProcessResult(
                Outcome.DUPLICATE,
                f"Этот файл уже обработан (пакет № {done.id} от "
                f"{done.started_at:%d.%m.%Y %H:%M}); документы — в папке outbox/{done.folder}.",
                done.id,
                folder,
            )
        batch = session.scalars(
            select(Batch).where(Batch.sha256 == digest, Batch.status == BatchStatus.PROCESSING)
        ).first()
        if batch is not None:  # the worker died on this file before: count the attempt
            batch.attempts += 1
        else:
            batch = Batch(source_name=path.name, sha256=digest, started_at=datetime.now())
            session.add(batch)
            session.flush()
            append_event(
                session,
                "batch_received",
                actor=actor,
                batch_id=batch.id,
                details={"file": path.name, "sha256": digest},
            )
        batch_id, attempts = batch.id, batch.attempts
    if attempts > settings.max_attempts:
        message = (
            f"Обработка файла прерывалась {attempts - 1} "
            f"{russian.plural(attempts - 1, ('раз', 'раза', 'раз'))}; файл отложен в failed/. "
            "Сообщите администратору."
        )
        _finish(url, batch_id, BatchStatus.FAILED, message)
        return ProcessResult(Outcome.FAILED, message, batch_id)
    try:
        return _process(settings, path, batch_id, actor)
    except Exception:
        log.exception("processing %s failed", path.name)
        # the details (which may quote personal data) go to the log only, never to the
        # shared folder or the web page
        message = (
            f"Внутренняя ошибка при обработке файла (пакет № {batch_id}). Реестр не изменён. "
            "Подробности — в журнале var/nastavnik.log; сообщите администратору."
        )
        _finish(url, batch_id, BatchStatus.FAILED, message)
        return ProcessResult(Outcome.FAILED, message, batch_id)


def _process(settings: Settings, path: Path, batch_id: int, actor: str) -> ProcessResult:
    url = settings.database_url
    store = FileStore(settings.store_dir)
    with session_scope(url) as session:
        book, report = read_and_check(settings, session, path)
        if book is None or not report.ok:
            session.rollback()
    if book is None or not report.ok:
        text = report.to_text(path.name)
        _finish(
            url,
            batch_id,
            BatchStatus.REJECTED,
            text,
            event="batch_rejected",
            details={"errors": len(report.errors)},
        )
        return ProcessResult(Outcome.REJECTED, text, batch_id, report=report)

    # a large workbook: let the render workers warm up while the register is written
    prestart(settings.templates_dir, len(book.mentors) + len(book.mentees) + 2 * len(book.pairs))
    with session_scope(url) as session:
        batch = session.get(Batch, batch_id)
        apply_workbook(session, book)
        planned = plan_documents(session)
        batch.documents_total = len(planned)
        entries = unique_names(_generate_all(settings, store, session, batch, planned, actor))
        org = session.get(Organization, 1)
        batch.folder = _folder_name(batch, path)
        batch.status = BatchStatus.DONE
        batch.finished_at = datetime.now()
        batch.documents_done = len(entries)
        batch.report = report.to_text(path.name)
        heading = f"Опись документов — {org.short_name if org else ''}, пакет № {batch.id}"
        batch.manifest = {"heading": heading, "entries": [asdict(e) for e in entries]}
        append_event(
            session,
            "batch_processed",
            actor=actor,
            batch_id=batch.id,
            details={"documents": len(entries), "folder": batch.folder},
        )
        folder_name = batch.folder
    clear_progress(settings.var, batch_id)
    try:
        folder = write_outbox(settings.outbox, folder_name, entries, store, heading)
    except OSError as exc:  # the register is committed: the batch is done, only its copy is not
        log.exception("outbox folder %s not written", folder_name)
        return ProcessResult(
            Outcome.DONE,
            f"Файл «{path.name}» обработан, документы в реестре (пакет № {batch_id}), но папку "
            f"outbox/{folder_name} записать не удалось ({exc.strerror or exc}). Освободите место "
            "и положите этот файл в inbox снова — папка будет восстановлена.",
            batch_id,
            None,
            report,
            entries,
        )
    message = (
        f"Файл «{path.name}» обработан: документов — {len(entries)}; папка outbox/{folder_name}."
    )
    if report.warnings:
        message += f" Предупреждений: {len(report.warnings)}."
    return ProcessResult(Outcome.DONE, message, batch_id, folder, report, entries)


def read_and_check(
    settings: Settings, session: Session, path: Path
) -> tuple[Workbook | None, IntakeReport]:
    """Read the workbook at ``path`` and check it against the register (no writes): the
    workbook (None when rejected) and the report. The real run and the dry run share it."""
    return read_workbook(path, RegisterLookup(session), limits=Limits.of(settings))


def _generate_all(
    settings: Settings,
    store: FileStore,
    session: Session,
    batch: Batch,
    planned: list[PlannedDocument],
    actor: str,
) -> list[OutboxEntry]:
    """Render what changed and record every document, in plan order.

    First each item's context is hashed and compared with its latest version, which fixes the
    version number printed in the document; then the documents to make are rendered — by
    worker processes for a large batch (:func:`render_many`) — while this process stores each
    one and writes the register as they come back.
    """
    digests = [context_digest(item.context) for item in planned]
    latest = [_latest(session, item) for item in planned]
    todo: list[int] = []
    for index, (item, digest) in enumerate(zip(planned, digests, strict=True)):
        if not _reusable(latest[index], digest):
            item.context["doc"]["version"] = (latest[index].version + 1) if latest[index] else 1
            todo.append(index)
    # one document per kind and subject (as planned): what was latest stays latest until its
    # own turn; otherwise each item looks again
    unique = len({(i.kind.id, i.subject_key) for i in planned}) == len(planned)
    rendered = render_many(
        settings,
        [(planned[i].kind, planned[i].context) for i in todo],
        render=render_document,
    )
    ready = set(todo)
    entries = []
    write_progress(settings.var, batch.id, 0, len(planned))
    for index, (item, digest) in enumerate(zip(planned, digests, strict=True)):
        data = next(rendered) if index in ready else None
        known = latest[index] if unique else _UNKNOWN
        entries.append(_generate(settings, store, session, batch, item, actor, digest, data, known))
        if index % 10 == 9:
            write_progress(settings.var, batch.id, index + 1, len(planned))
    return entries


_UNKNOWN = object()

REPLACEABLE = (
    DocumentStatus.GENERATED,
    DocumentStatus.AWAITING_SIGNATURE,
    DocumentStatus.RETURNED,
)
"""A new version supersedes these; a signed (or archived) version stays as it was signed."""


def _latest(session: Session, item: PlannedDocument) -> Document | None:
    return session.scalars(
        select(Document)
        .where(Document.kind == item.kind.id, Document.subject_key == item.subject_key)
        .order_by(Document.version.desc())
        .limit(1)
    ).first()


def pending_change(session: Session, item: PlannedDocument) -> tuple[Document | None, bool]:
    """The latest version of a planned document and whether processing would make a new one
    (the dry run asks this without rendering or storing anything)."""
    latest = _latest(session, item)
    return latest, not _reusable(latest, context_digest(item.context))


def _reusable(latest: Document | None, digest: str) -> bool:
    """True if ``latest`` is what the register would make now. A returned version made from
    the same data stays returned: only a corrected workbook makes its new version."""
    return (
        latest is not None
        and latest.context_sha256 == digest
        and latest.status != DocumentStatus.SUPERSEDED
    )


def _generate(
    settings: Settings,
    store: FileStore,
    session: Session,
    batch: Batch,
    item: PlannedDocument,
    actor: str,
    digest: str,
    data: bytes | None = None,
    latest: Document | None | object = _UNKNOWN,
) -> OutboxEntry:
    """Record ``item``: reuse its latest version if made from the same data (``digest``),
    else store ``data`` (rendered now if not given, or if made for another version).
    ``latest`` is the item's latest version if the caller knows it."""
    if latest is _UNKNOWN:
        latest = _latest(session, item)
    if _reusable(latest, digest):
        document = latest
    else:
        version = (latest.version + 1) if latest else 1
        if data is None or item.context["doc"].get("version") != version:
            item.context["doc"]["version"] = version
            data = render_document(settings, item.kind, item.context)
        sha = store.put(data)
        if latest is not None and latest.status in REPLACEABLE:
            latest.status = DocumentStatus.SUPERSEDED
        document = Document(
            kind=item.kind.id,
            subject_key=item.subject_key,
            subject_label=item.subject_label,
            version=version,
            status=initial_status(item.kind),
            sha256=sha,
            context_sha256=digest,
            file_name=item.file_name,
            batch_id=batch.id,
            created_at=datetime.now(),
        )
        session.add(document)
        session.flush()
        append_event(
            session,
            "document_generated",
            actor=actor,
            batch_id=batch.id,
            document_id=document.id,
            details={
                "kind": item.kind.id,
                "subject": item.subject_label,
                "version": version,
                "sha256": sha,
            },
        )
        if document.status == DocumentStatus.AWAITING_SIGNATURE:
            append_event(
                session,
                "sent_for_signature",
                actor=actor,
                document_id=document.id,
                details={"signers": list(item.kind.signers)},
            )
    return OutboxEntry(
        kind=item.kind.id,
        title=item.kind.title,
        subject=item.subject_label,
        file=item.file_name,
        sha256=document.sha256,
        version=document.version,
        signers=item.kind.signers,
    )


def _folder_name(batch: Batch, path: Path) -> str:
    stem = re.sub(r"\s+", " ", path.stem).strip() or "пакет"
    return safe_file_name(f"{batch.started_at:%Y-%m-%d %H-%M} № {batch.id} {stem}", 120)


def _ensure_outbox(settings: Settings, session: Session, batch: Batch) -> Path | None:
    """Rebuild a done batch's outbox folder from the store if it went missing."""
    if not batch.folder:
        return None
    target = settings.outbox / batch.folder
    if target.exists():
        return target
    if not batch.manifest:
        return None
    entries = [
        OutboxEntry(**{**e, "signers": tuple(e["signers"])}) for e in batch.manifest["entries"]
    ]
    return write_outbox(
        settings.outbox,
        batch.folder,
        entries,
        FileStore(settings.store_dir),
        batch.manifest["heading"],
    )


def _finish(
    url: str,
    batch_id: int,
    status: BatchStatus,
    report: str,
    *,
    event: str = "batch_failed",
    details: dict | None = None,
) -> None:
    with session_scope(url) as session:
        batch = session.get(Batch, batch_id)
        batch.status = status
        batch.report = report
        batch.finished_at = datetime.now()
        append_event(session, event, batch_id=batch_id, details=details or {})
