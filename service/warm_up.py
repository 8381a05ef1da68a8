"""The running service's warm-up batch: a sample school processed from start to finish before
the secretary's first file, so that file pays only for its own documents.

The first batch in a process paid about 0.15–0.25 s of CPU more than the next ones (a
10-pair school's 75 documents cost about 0.2 s of their own): the modules the pipeline
imports where used, openpyxl's and the intake's first workbook, the ORM's first queries and
SQLAlchemy compiling each of its ~60 statements for the register's engine, the render
workers' first documents. The watcher has all of that done at its start, while it is idle,
by processing the demo workbook the way a dropped file is — the same
:func:`~service.pipeline.process_workbook`, less the process's turn to write
(:func:`~service.pipeline.process_sample`) — in a scratch home (its store, outbox and ``var/``
in a temporary folder, removed afterwards) whose register is a stand-in for the home's own
(:mod:`service.register.stand_in`): the register's engine and compiled statements, empty
copies of its tables, no write to it, no lock taken. Nothing of the home changes.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import replace
from pathlib import Path

from service.config import Settings
from service.intake.demo import write_demo_workbook
from service.pipeline import Outcome, ProcessResult, process_sample
from service.register.reading import sqlite_url
from service.register.stand_in import stand_in

log = logging.getLogger(__name__)


def warm_up_batch(settings: Settings) -> ProcessResult | None:
    """Process the demo workbook in a scratch home standing in for ``settings``' home (see the
    module's docstring); its result, or None where the register cannot be stood in for (not
    SQLite). The home, its register and its folders are not changed."""
    with tempfile.TemporaryDirectory(prefix="nastavnik-warm-up-") as folder:
        scratch = Path(folder)
        sample = replace(
            settings, home=scratch, database_url=sqlite_url(scratch / "var" / "nastavnik.db")
        )
        with stand_in(settings.database_url, sample.database_url) as ready:
            if not ready:
                return None
            for place in (sample.inbox, sample.outbox, sample.store_dir):
                place.mkdir(parents=True)
            workbook = sample.inbox / "пример.xlsx"
            write_demo_workbook(workbook)
            result = process_sample(sample, workbook)
    if result.outcome != Outcome.DONE:  # still warm for what it did; worth a look in the log
        log.warning("пробный пакет при запуске не обработан: %s", result.message)
    return result
