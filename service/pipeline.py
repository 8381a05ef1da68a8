"""One workbook, start to finish: read and check it, update the register, render every
document the register allows, store the files by hash and write the batch's outbox folder.

The watcher, ``nastavnik process`` and the web upload all call :func:`process_workbook`.
A rejected workbook changes nothing in the register (the data transaction is never opened
for writing); its attempt is recorded as a batch with its report.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from service.collecting import few_full_collections
from service.config import Settings
from service.documents import russian
from service.documents.file_names import safe_file_name, shown_name
from service.documents.not_due import NotDue
from service.documents.parallel import prestart
from service.documents.planning import plan_documents
from service.errors import NastavnikError
from service.home import one_writer
from service.intake.guard import Limits
from service.intake.model import IntakeReport, Workbook
from service.intake.reader import read_workbook
from service.intake.rules import Draft
from service.outbox import BatchCopy, OutboxEntry, ensure_outbox
from service.progress import clear_progress
from service.register import db
from service.register.apply import apply_workbook
from service.register.batches import (
    BatchRecord,
    batches_of_file,
    finish_batch,
    new_batch,
    read_batch,
)
from service.register.db import is_locked_error, retry_when_locked, session_scope
from service.register.destroyed import destroyed_files
from service.register.events import NewEvent, record_events
from service.register.lookup import RegisterLookup
from service.register.models import BatchStatus
from service.register.records import update_records
from service.register.school import other_school_message, the_school
from service.resent import changed_since
from service.store import FileStore, sha256_file
from service.versions import generate_all
from service.withdrawn import withdraw_not_due

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
    """The documents this workbook made (new ones and new versions)."""
    unchanged: int = 0
    """How many documents the workbook left as they were."""
    withdrawn: list[dict[str, Any]] = field(default_factory=list)
    """The drafts it took out of the queue, their signed version in force again (each its
    ledger event's details: title, subject, version, current_version)."""


Sheets = Callable[[], tuple[Draft | None, IntakeReport]]
"""The workbook's sheets read already (:func:`~service.intake.reader.read_sheets`), waited for
when asked."""


def process_workbook(
    settings: Settings, path: Path, *, actor: str = "watcher", sheets: Sheets | None = None
) -> ProcessResult:
    """Process one workbook; never raises for a bad workbook (that is a REJECTED result).
    ``sheets``: its sheets, read by someone else meanwhile (``nastavnik process``'s render
    worker reads them while the command makes the home); by default they are read here."""
    with one_writer(settings):
        return _process_workbook(settings, path, actor, sheets)


def process_sample(settings: Settings, path: Path) -> ProcessResult:
    """:func:`process_workbook` for the running watcher's warm-up batch (:mod:`service.warm_up`),
    whose home is a scratch one and whose register a stand-in: without the process's turn to
    write (``one_writer``), which guards a home's register and folders — a file dropped during
    the warm-up is processed at once, beside it, not after it."""
    return _process_workbook(settings, path, "warm-up", None)


UNREADABLE = (
    "Файл «{name}» не принят: служба не может его прочитать — у её учётной записи нет права на "
    "чтение этого файла. Ничего не сделано. Скопируйте книгу (у копии будут обычные права) и "
    "положите копию в папку inbox; если не поможет, сообщите администратору."
)


def _process_workbook(
    settings: Settings, path: Path, actor: str, sheets: Sheets | None
) -> ProcessResult:
    try:
        digest = sha256_file(path)
    except PermissionError:  # the file's rights, not a fault of the service: say what to do
        return ProcessResult(Outcome.REJECTED, UNREADABLE.format(name=path.name))
    url = settings.database_url

    # another writer (a long signing) may hold the register: its turn is waited for
    try:
        registered = retry_when_locked(
            lambda: _register(settings, path, digest, actor), retries=BATCH_RETRIES
        )
    except Exception as exc:
        if not is_locked_error(exc):
            raise
        log.warning("%s not taken: the register stayed busy", path.name)
        return ProcessResult(Outcome.FAILED, _register_busy(path))
    if isinstance(registered, ProcessResult):
        return registered
    batch_id, attempts, folder_name = registered
    if attempts > settings.max_attempts:
        # the copy an attempt that died was writing (or had placed before its commit)
        BatchCopy(settings.outbox, folder_name).discard(placed_too=True)
        message = (
            f"Обработка файла прерывалась {attempts - 1} "
            f"{russian.plural(attempts - 1, ('раз', 'раза', 'раз'))}; файл отложен в failed/. "
            "Сообщите администратору."
        )
        return fail_batch(url, batch_id, message)
    try:
        # a batch is all or nothing: one that found the register busy is made again whole
        return retry_when_locked(
            lambda: _process(settings, path, batch_id, actor, sheets), retries=BATCH_RETRIES
        )
    except NastavnikError as exc:  # expected and said in Russian (a school template that fails)
        log.warning("processing %s refused: %s", path.name, exc.message)
        message = f"Файл «{path.name}» не обработан: {exc.message.rstrip('.')}. Реестр не изменён."
        return fail_batch(url, batch_id, message)
    except Exception as exc:
        if is_locked_error(exc):
            log.warning("processing %s given up: the register stayed busy", path.name)
            message = _register_busy(path)
            return fail_batch(url, batch_id, message)
        log.exception("processing %s failed", path.name)
        # the details (which may quote personal data) go to the log only, never to the
        # shared folder or the web page
        message = (
            f"Внутренняя ошибка при обработке файла (пакет № {batch_id}). Реестр не изменён. "
            "Подробности — в журнале var/nastavnik.log; сообщите администратору."
        )
        return fail_batch(url, batch_id, message)


BATCH_RETRIES = 9
"""A batch finding the register held longer than the busy timeout (a long signing) is made
again whole, up to this many times (about 5 minutes), then given up: :data:`REGISTER_BUSY`."""
REGISTER_BUSY = (
    "Файл «{name}» не обработан: реестр был занят другой операцией (например, подписанием "
    "документов) дольше {minutes} мин. Реестр не изменён. Положите файл в папку inbox или "
    "загрузите его снова."
)


def _register_busy(path: Path) -> str:
    minutes = int(db.BUSY_TIMEOUT_SECONDS * (BATCH_RETRIES + 1) // 60)
    return REGISTER_BUSY.format(name=path.name, minutes=minutes)


def _register(
    settings: Settings, path: Path, digest: str, actor: str
) -> ProcessResult | tuple[int, int, str]:
    """The batch of the file ``digest`` (new, or an attempt counted), or the result of its
    earlier batch if it was processed already."""
    with session_scope(settings.database_url) as session:
        done, batch = batches_of_file(session, digest)
        if done is not None:
            missing = done.folder and not (settings.outbox / done.folder).exists()
            gone = frozenset(destroyed_files(session).outbox_copies if missing else ())
            folder = ensure_outbox(settings.outbox, FileStore(settings.store_dir), done, gone)
            where = (
                f"документы — в папке outbox/{done.folder}"
                if done.folder
                else "изменений в нём не было"
            )
            return ProcessResult(
                Outcome.DUPLICATE,
                f"Этот файл уже обработан (пакет № {done.id} от "
                f"{done.started_at:%d.%m.%Y %H:%M}); {where}." + changed_since(session, done.id),
                done.id,
                folder,
            )
        if batch is not None:  # the worker died on this file before: count the attempt
            batch.attempts += 1
            update_records(session, [batch])
        else:
            batch = new_batch(session, shown_name(path.name), digest)
            record_events(
                session,
                [
                    NewEvent(
                        "batch_received",
                        actor,
                        batch.id,
                        None,
                        {"file": path.name, "sha256": digest},
                    )
                ],
            )
        batch_id, attempts = batch.id, batch.attempts
        folder_name = _folder_name(batch, path.stem)
    return batch_id, attempts, folder_name


def _process(
    settings: Settings, path: Path, batch_id: int, actor: str, sheets: Sheets | None
) -> ProcessResult:
    url = settings.database_url
    with session_scope(url) as session:
        book, report = read_and_check(settings, session, path, sheets)
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
    return write_batch(
        settings,
        batch_id,
        path.name,
        path.stem,
        report,
        actor,
        lambda session: apply_workbook(session, book),
        results_given=bool(book.results),
    )


def write_batch(
    settings: Settings,
    batch_id: int,
    name: str,
    folder_stem: str,
    report: IntakeReport,
    actor: str,
    change: Callable[[Session], object],
    *,
    results_given: bool = False,
    report_text: Callable[[], str] | None = None,
) -> ProcessResult:
    """Batch ``batch_id``'s change of the register (``change``: a workbook applied, a pair
    withdrawn) and every document the register then allows, new versions stored and written
    to its outbox folder (named by ``folder_stem``), in one write transaction; ``name`` is
    the file's, for the messages; ``report_text`` writes the batch's report, after ``change``,
    when not a workbook's (a withdrawal's), followed by ``report``'s warnings if any."""
    url = settings.database_url
    # A batch is all or nothing, whenever the process dies: its files go to the store without
    # a flush each, all made durable at once before the commit; its outbox folder appears
    # (renamed into place) before the commit too, so a committed batch always has it. Dying
    # before the commit leaves nothing in the register (stray store files are harmless) and
    # the workbook in inbox/ to be processed again; failing before it (an error, not a kill)
    # takes its outbox folder away again, finished or not.
    store = FileStore(settings.store_dir, grouped=True)
    outbox_error: OSError | None = None
    copy: BatchCopy | None = None
    try:
        # the register's write lock from the start, before the latest versions are read: a
        # signature made meanwhile (PostgreSQL let one in) was marked «заменён новой версией»
        with few_full_collections(), session_scope(url, write=True) as session:
            batch = read_batch(session, batch_id)
            copy = BatchCopy(settings.outbox, _folder_name(batch, folder_stem))
            change(session)
            notes: list[str] = []
            not_due: list[NotDue] = []
            planned = plan_documents(session, notes, batch.started_at.date(), not_due)
            org = the_school(session)
            if notes and results_given:
                report.add("Итоги", None, None, notes[0], warning=True)
            withdraw_not_due(session, not_due, report, actor, batch.id)
            heading = f"Опись документов — {org.short_name if org else ''}, пакет № {batch.id}"

            def stored(entries: list[OutboxEntry]) -> None:
                # the disk flushes the store, the render worker (idle now) makes the
                # inventory, while this process writes the batch's rows and ledger events
                store.start_sync()
                copy.prepare(entries, heading)

            entries, unchanged, withdrawn = generate_all(
                settings, store, session, batch, planned, actor, copy.write, stored
            )
            batch.folder = copy.name if entries else None
            batch.status = BatchStatus.DONE
            batch.finished_at = datetime.now()
            batch.documents_done = len(entries)
            if report_text is None:
                batch.report = report.to_text(name)
            else:
                batch.report = report_text() + (
                    report.to_text(name, headline=False) if report.warnings else ""
                )
            batch.manifest = {
                "heading": heading,
                # each entry's fields as they are (asdict copies every value deeply: 6 ms
                # for a 60-pair school's 372 entries against 0.5)
                "entries": [dict(vars(e)) for e in entries],
                "unchanged": unchanged,
                "withdrawn": withdrawn,
            }
            update_records(session, [batch])
            details = {"documents": len(entries), "unchanged": unchanged, "folder": batch.folder}
            record_events(session, [NewEvent("batch_processed", actor, batch.id, None, details)])
            folder_name = batch.folder
            store.sync()
            if folder_name is not None:
                outbox_error = copy.close(entries, heading)
    except BaseException:  # not committed: no copy of it in outbox/, not even a hidden one
        if copy is not None:
            copy.discard(placed_too=True)
        raise
    clear_progress(settings.var, batch_id)
    if outbox_error is not None:  # the register is committed: the batch is done, not its copy
        return ProcessResult(
            Outcome.DONE,
            f"Файл «{name}» обработан, документы в реестре (пакет № {batch_id}), но папку "
            f"outbox/{folder_name} записать не удалось "
            f"({outbox_error.strerror or outbox_error}). Освободите место "
            "и положите этот файл в inbox снова — папка будет восстановлена.",
            batch_id,
            None,
            report,
            entries,
            unchanged=unchanged,
            withdrawn=withdrawn,
        )
    message = f"Файл «{name}» обработан: {done_summary(len(entries), unchanged)}"
    if withdrawn:  # content back to the signed versions: their drafts left the queue
        message += f"; отозвано черновиков (действует подписанная версия): {len(withdrawn)}"
    message += f"; папка outbox/{folder_name}." if folder_name is not None else "."
    if report.warnings:
        message += f" Предупреждений: {len(report.warnings)}."
    folder = settings.outbox / folder_name if folder_name is not None else None
    return ProcessResult(
        Outcome.DONE,
        message,
        batch_id,
        folder,
        report,
        entries,
        unchanged=unchanged,
        withdrawn=withdrawn,
    )


def done_summary(made: int, unchanged: int) -> str:
    """What a workbook changed, in one phrase for the message, the note and the CLI."""
    if not made:
        return f"изменений нет: новых документов и версий нет, без изменений: {unchanged}"
    return f"новых документов и версий — {made}, без изменений: {unchanged}"


def read_and_check(
    settings: Settings, session: Session, path: Path, sheets: Sheets | None = None
) -> tuple[Workbook | None, IntakeReport]:
    """Read the workbook at ``path`` and check it against the register (no writes): the
    workbook (None when rejected) and the report. The real run and the dry run share it.
    A workbook of another school is rejected here (one home is one school). ``sheets``: its
    sheets read already (:data:`Sheets`)."""
    lookup = RegisterLookup(session)
    book, report = read_workbook(path, lookup, limits=Limits.of(settings), sheets=sheets)
    if book is not None and report.ok:
        refused = other_school_message(session, book.organization)
        if refused:
            report.add("Организация", None, None, refused)
            book = None
    return book, report


def _folder_name(batch: BatchRecord, stem: str) -> str:
    stem = re.sub(r"\s+", " ", stem).strip() or "пакет"
    return safe_file_name(f"{batch.started_at:%Y-%m-%d %H-%M} № {batch.id} {stem}", 120)


def fail_batch(url: str, batch_id: int, message: str) -> ProcessResult:
    """The batch ``batch_id`` recorded as failed with ``message``, and the result saying so."""
    _finish(url, batch_id, BatchStatus.FAILED, message)
    return ProcessResult(Outcome.FAILED, message, batch_id)


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
        finish_batch(session, batch_id, status=status, report=report, finished_at=datetime.now())
        # a Core insert (record_events), as the batch's other entries: no ORM object
        record_events(session, [NewEvent(event, "system", batch_id, None, details or {})])
