"""Rendering many documents on every core.

A large batch (more than :data:`PARALLEL_MIN` documents) is rendered by a pool of worker
processes, one per core (``os.cpu_count()``); results come back in order, as they are ready,
so the caller can write each one to the register while the workers render the next. A small
batch is rendered in the calling process: starting workers would cost more than it saves.

The pool is created on first use and kept for the life of the process (the watcher and the
web service reuse it; each worker keeps its own compiled-template cache). Workers are started
by a fork server, never by forking the caller, which may be running threads (the watcher,
waitress); the fork server imports the renderer once so workers start warm. If the pool
breaks (a worker killed), the remaining documents are rendered in the calling process.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from service.documents.catalogue import Kind
from service.documents.render import render_template_file

log = logging.getLogger(__name__)

PARALLEL_MIN = 50
"""Batches with more documents to render than this use the pool."""
CHUNK = 8
"""Documents sent to a worker at a time: few round trips, still even load at the end."""

Job = tuple[Kind, dict[str, Any]]

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def workers() -> int:
    """How many worker processes the pool has: one per core."""
    return os.cpu_count() or 1


def _warm_worker() -> None:
    """Load the grammar dictionaries once per worker, before its first document."""
    from service.documents import russian

    russian.inflect_position("учитель", "gent")
    russian.inflect_name("Иванов Иван Иванович", "gent")


def _render_job(job: tuple[str, dict[str, Any]]) -> bytes:
    path, context = job
    return render_template_file(Path(path), context)


def _executor() -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["service.documents.parallel"])
            _pool = ProcessPoolExecutor(
                max_workers=workers(), mp_context=context, initializer=_warm_worker
            )
        return _pool


def shutdown() -> None:
    """Stop the worker processes (they are started again on the next large batch)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)


def render_many(
    templates_dir: Path, jobs: Sequence[Job], *, parallel: bool | None = None
) -> Iterator[bytes]:
    """The DOCX of each ``(kind, context)`` in ``jobs``, in order, yielded as ready.

    ``parallel`` forces the choice (tests, the benchmark); by default the pool is used for
    more than :data:`PARALLEL_MIN` jobs on a machine with more than one core. Contexts must be
    picklable (dicts, lists, str and its subclasses, numbers, dates are).
    """
    if parallel is None:
        parallel = len(jobs) > PARALLEL_MIN and workers() > 1
    if not parallel:
        for kind, context in jobs:
            yield render_template_file(templates_dir / kind.template, context)
        return
    done = 0
    try:
        results = _executor().map(
            _render_job,
            [(str(templates_dir / kind.template), context) for kind, context in jobs],
            chunksize=CHUNK,
        )
        for data in results:
            done += 1
            yield data
    except BrokenProcessPool:
        log.warning("пул процессов отрисовки сломался; остальные документы — в одном процессе")
        shutdown()
        for kind, context in jobs[done:]:
            yield render_template_file(templates_dir / kind.template, context)
