"""Uploaded workbooks are processed in the background, one at a time, so the secretary's page
can show the batch's progress while it runs. The request waits only until the batch exists.
So is the administrator's archive export (:class:`ExportJobs`): a large year takes minutes,
longer than a proxy in front of the service lets a request run."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from flask import Flask, current_app

from service.config import Settings
from service.errors import Conflict, NastavnikError
from service.inbox import Inbox
from service.pipeline import Outcome
from service.register.db import session_scope
from service.register.queries import processing_batch
from service.uploads import process_upload

if TYPE_CHECKING:
    from service.archive.bag import ExportResult

log = logging.getLogger("nastavnik.web")
WAIT_FOR_BATCH_SECONDS = 10.0


class UploadQueue:
    """One worker thread per application."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload")
        for path in sorted((settings.var / "uploads").glob("*/*")):
            # accepted before a restart but never processed: nothing accepted is lost
            if path.is_file() and not path.name.startswith(".tmp-"):
                self.executor.submit(self._run, path)

    def _run(self, path: Path):
        try:
            return process_upload(self.settings, path)
        except Exception:  # recorded by the pipeline; keep the worker alive
            log.exception("обработка загруженной книги «%s» не удалась", path.name)
            Inbox(self.settings).quarantine(path)
            return None

    def submit(self, path: Path, digest: str) -> Submitted:
        """Queue ``path``; the id of its batch once processing has begun (or finished),
        None when it is still waiting behind another upload. While it waits, the batch of
        the same file another upload is making is not its batch: when that one is done, this
        one is its duplicate (or, that one refused, a batch of its own)."""
        future: Future = self.executor.submit(self._run, path)
        deadline = time.monotonic() + WAIT_FOR_BATCH_SECONDS
        while time.monotonic() < deadline:
            if future.done():
                result = future.result()
                if result is None:
                    return Submitted(None)
                return Submitted(result.batch_id, result.outcome == Outcome.DUPLICATE)
            if future.running():  # one worker: a batch of this file being made now is ours
                with session_scope(self.settings.database_url) as session:
                    batch = processing_batch(session, digest)
                if batch is not None:
                    return Submitted(batch.id)
            time.sleep(0.05)
        return Submitted(None)


class Submitted(NamedTuple):
    """What became of an upload: its batch (None while it waits in the queue)."""

    batch_id: int | None
    duplicate: bool = False
    """The same workbook was processed before, as batch ``batch_id``: nothing was done."""


@dataclass
class ExportState:
    """One archive export started on the administrator's page: running, done or failed."""

    year: str
    actor: str
    started_at: datetime
    finished_at: datetime | None = None
    result: ExportResult | None = None
    error: str = ""
    """Why it failed, in Russian (empty while it runs and when it succeeded)."""

    @property
    def running(self) -> bool:
        return self.finished_at is None


EXPORT_FAILED = (
    "Внутренняя ошибка при выгрузке архива {year} учебного года; пакет не выгружен. "
    "Подробности — в журнале var/nastavnik.log; сообщите администратору сервера."
)


class ExportJobs:
    """The year's archive export in a background thread, one at a time per application; the
    page shows :attr:`state` (the running export, or the last one's outcome)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export")
        self.state: ExportState | None = None

    def start(self, year: str, actor: str, work: Callable[[], ExportResult]) -> ExportState:
        """Run ``work`` (the export of ``year``) in the background; :class:`Conflict` while
        another export runs."""
        with self._lock:
            running = self.state
            if running is not None and running.running:
                raise Conflict(
                    f"Уже идёт выгрузка архива {running.year} учебного года (начата "
                    f"{running.started_at:%d.%m.%Y в %H:%M}, {running.actor}). Дождитесь её "
                    "окончания: она видна на этой странице."
                )
            state = self.state = ExportState(year, actor, datetime.now())
        self._executor.submit(self._run, state, work)
        return state

    def _run(self, state: ExportState, work: Callable[[], ExportResult]) -> None:
        try:
            state.result = work()
        except NastavnikError as exc:  # said in Russian: a wrong password, a full disk…
            state.error = exc.message
        except Exception:  # a bug: logged, and the page says where to look
            log.exception("выгрузка архива %s учебного года не удалась", state.year)
            state.error = EXPORT_FAILED.format(year=state.year)
        finally:
            state.finished_at = datetime.now()

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for the running export (a test's, a shutdown's);
        whether none is running now."""
        deadline = time.monotonic() + timeout
        while (state := self.state) is not None and state.running:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
        return True


def init_app(app: Flask) -> None:
    app.extensions["nastavnik_uploads"] = UploadQueue(app.config["NASTAVNIK"])
    app.extensions["nastavnik_exports"] = ExportJobs()


def uploads() -> UploadQueue:
    return current_app.extensions["nastavnik_uploads"]


def exports() -> ExportJobs:
    return current_app.extensions["nastavnik_exports"]
