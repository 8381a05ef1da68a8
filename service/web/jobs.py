"""Uploaded workbooks are processed in the background, one at a time, so the secretary's page
can show the batch's progress while it runs. The request waits only until the batch exists."""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

from flask import Flask, current_app

from service.config import Settings
from service.inbox import Inbox
from service.pipeline import Outcome
from service.register.db import session_scope
from service.register.queries import processing_batch
from service.uploads import process_upload

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


def init_app(app: Flask) -> None:
    app.extensions["nastavnik_uploads"] = UploadQueue(app.config["NASTAVNIK"])


def uploads() -> UploadQueue:
    return current_app.extensions["nastavnik_uploads"]
