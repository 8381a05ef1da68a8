"""Rendering many documents on every core.

A batch (more than :data:`PARALLEL_MIN` documents once the pool runs, more than
:data:`COLD_START_MIN` to start it) is rendered by a pool of worker processes, one per core but one
(:func:`cores` ``- 1``: the calling process keeps the last core busy writing the register);
results come back in order, as they are ready, so the caller writes each one to the register
while the workers render the next; only a few chunks per worker are handed out ahead
(:data:`WINDOW`), so a slow caller never holds a whole batch. A small batch is rendered in
the calling process: starting workers would cost more than it saves.

The pool is created on first use and kept for the life of the process (the watcher and the
web service reuse it). :func:`prestart` starts it early — the pipeline calls it once it has
read a large workbook — so the workers load the grammar dictionaries and compile the templates
while the register is being written; the watcher starts it (:func:`start`) while it warms up,
so a school dropped into it is rendered by the workers whatever its size above
:data:`PARALLEL_MIN`. Workers are started by a fork server, not by forking the caller, which
may be running threads (the watcher, waitress): like any multiprocessing user, a script that
calls the pipeline must guard its entry point with ``if __name__ == "__main__":`` (the
``nastavnik`` command, pytest and the benchmark do). The one exception is ``nastavnik
process``, a single batch in a process of one thread: :func:`fork_workers` forks its worker
at the command's start, ready in milliseconds instead of a second, so a small school is
rendered on the second core too. If the pool cannot start or breaks (a worker killed), the
documents are rendered in the calling process.

Workers exit with the process that started the pool, even when it is killed with ``kill -9``
and has no chance to stop them: each worker watches it (:func:`_exit_with`). The worker's own
parent is the fork server, which outlives the caller as long as a worker lives, so neither
``PR_SET_PDEATHSIG`` nor polling ``os.getppid()`` would notice; once the workers are gone the
fork server and the resource tracker see their pipes close and exit too. (A forked worker's
parent is the caller; the same watch ends it.)
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from itertools import chain, islice, repeat
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from service.config import Settings
from service.documents import template_cache
from service.documents.catalogue import Kind
from service.documents.render import render_template_file
from service.documents.template_files import template_file
from service.health import process_identity

log = logging.getLogger(__name__)

PARALLEL_MIN = 16
"""Batches with more documents to render than this use the pool once it is running. A warm
worker is worth it early: the caller only waits for the first document (:data:`FIRST_CHUNKS`)
and then stores each while the next is rendered; measured with a caller spending 2 ms a
document, the pool and the calling process are even at 16 documents, and at 32 the pool
takes three quarters of the time (docs/performance.md)."""
COLD_START_MIN = 400
"""Batches with more documents than this start the pool. Starting it costs about a second of
CPU per worker (imports, dictionaries, template compilation), more than rendering a few
hundred documents in one process saves (see docs/performance.md)."""
CHUNK = 8
"""Documents sent to a worker at a time: few round trips, still even load at the end."""
FIRST_CHUNKS = (1, 2, 4)
"""The sizes of the first chunks, before :data:`CHUNK`: the caller waits for the first one
with nothing else to do, and a batch begins with its heaviest documents (the school's orders,
which list every pair), so the first comes back after one document, not eight."""
WINDOW = 4
"""Chunks in flight per worker: enough that a worker never waits for its next chunk, few
enough that the documents rendered and not yet taken by the caller stay a few megabytes. (With
every chunk submitted at once, a caller slower than the workers — a busy disk under its store —
held the rendered documents of the whole batch: half a gigabyte for 15,000.)"""

Job = tuple[Kind, dict[str, Any]]
_T = TypeVar("_T")

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()


def cores() -> int:
    """The cores this process may run on: its CPU affinity (a container or `taskset` limited
    to 2 of a host's 64 gets 2), not every core of the machine."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def workers() -> int:
    """How many worker processes the pool has: one per core but one, which the calling process
    keeps busy writing the register (it is the slower half: docs/performance.md)."""
    return max(1, cores() - 1)


OWNER_POLL_SECONDS = 0.5
"""How often a worker checks that the process that started the pool is alive."""


def _exit_with(owner: int, identity: str | None) -> None:
    """Watch the pool's owner from a daemon thread; end this worker at once when it is gone."""

    def watch() -> None:
        while process_identity(owner) == identity:
            time.sleep(OWNER_POLL_SECONDS)
        os._exit(0)  # nobody is left to take the results

    if identity is not None:  # no /proc: the worker lives as long as the pool's pipes
        threading.Thread(target=watch, name="owner-watch", daemon=True).start()


def _warm_worker(
    templates_dir: str | None = None,
    owner: int | None = None,
    identity: str | None = None,
    cache: str | None = None,
) -> None:
    """Watch the pool's owner, load the grammar dictionaries and compile the templates once
    per worker (from the compiled templates the owner keeps in ``cache``, if any); import
    what the batch's inventory needs (openpyxl), which the worker makes beside the batch
    (:func:`run_beside`) — a fork server's worker has none of the owner's modules."""
    if owner is not None:
        _exit_with(owner, identity)
    log.debug("процесс отрисовки %d готов (его запустил процесс %d)", os.getpid(), os.getppid())
    import service.outbox  # noqa: F401 - the inventory (imported already in a forked worker)
    from service.documents import russian
    from service.documents.fast_render import warm

    if cache:
        template_cache.configure(Path(cache))

    russian.inflect_position("учитель", "gent")
    russian.inflect_name("Иванов Иван Иванович", "gent")
    if templates_dir:
        warm(Path(templates_dir))


def _render_job(job: tuple[str, dict[str, Any]]) -> bytes:
    path, context = job
    return render_template_file(Path(path), context)


_Rendered = tuple[int, list[bytes]]
"""A chunk's documents and the pid of the process that rendered them (for the log)."""


def _render_chunk(chunk: list[tuple[str, dict[str, Any]]]) -> _Rendered:
    """The chunk's documents, rendered in this process (a worker, or the caller sharing)."""
    return os.getpid(), [_render_job(job) for job in chunk]


def _chunks(where: Path | Settings, jobs: Sequence[Job]) -> Iterator[list[tuple[str, Any]]]:
    """The jobs as the workers take them, made as they are sent: :data:`FIRST_CHUNKS`, then
    :data:`CHUNK` at a time."""
    sizes = chain(FIRST_CHUNKS, repeat(CHUNK))
    start = 0
    while start < len(jobs):
        end = start + next(sizes)
        yield [(str(template_file(where, k)), c) for k, c in jobs[start:end]]
        start = end


def _noop() -> None:
    """A task that only makes the pool start a worker (which runs its initializer)."""


def _executor(templates_dir: Path | None = None, method: str = "forkserver") -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            context = multiprocessing.get_context(method)
            if method == "forkserver":
                context.set_forkserver_preload(["__main__", "service.documents.parallel"])
            _pool = ProcessPoolExecutor(
                max_workers=workers(),
                mp_context=context,
                initializer=_warm_worker,
                initargs=(
                    str(templates_dir) if templates_dir else None,
                    os.getpid(),
                    process_identity(os.getpid()),
                    str(kept) if (kept := template_cache.configured()) else None,
                ),
            )
        return _pool


def prestart(templates_dir: Path, documents: int) -> bool:
    """Start the workers now if a batch of about ``documents`` will use them; True if so."""
    return documents > COLD_START_MIN and start(templates_dir)


def start(templates_dir: Path) -> bool:
    """Start the workers now, whatever the next batch's size, on a machine with more than one
    core; True if they run. A long-lived process calls it before its first batch (the
    watcher, while it warms up): the workers' start is paid then, and every batch of more
    than :data:`PARALLEL_MIN` documents is rendered by them."""
    return cores() > 1 and _start_workers(templates_dir, "forkserver")


def fork_workers(templates_dir: Path) -> bool:
    """Start the workers now by forking this process; True if they run (and are forked).

    For a command that renders one batch and exits (``nastavnik process``), called at its
    start, before the register is opened: the process has already imported the renderer, so
    a forked worker (copy-on-write, about 10 ms) is ready at once, where a fork server's
    worker imports it all again (0.3–1 s of CPU) — so even a small school's batch is rendered
    beside the register's work (:data:`PARALLEL_MIN`). Forking is safe only while this
    process runs one thread (a lock another thread holds would stay locked in the worker for
    ever), so with more threads, a pool already made or one core, nothing is done (False) and
    the pool starts from the fork server as before. The standard library's pool with the
    ``fork`` method forks its workers on the first task, before its manager thread starts.
    The workers only render: they never touch a database connection, lock or file the
    process opens later (nothing is open yet), and end with ``os._exit`` (no ``atexit``
    handler of this process runs in them)."""
    if cores() < 2 or threading.active_count() != 1 or _pool is not None:
        return False
    # the worker compiles the templates when it gets to them (warm_workers), not first: the
    # command has it read the workbook before (run_beside), while it makes the home
    return _start_workers(None, "fork")


def warm_workers(templates_dir: Path) -> None:
    """Have the running pool's workers compile the templates in ``templates_dir`` when they get
    to this task (the workers :func:`fork_workers` starts do not at their start); without it
    each template is compiled when its first document is rendered."""
    pool = _pool
    if pool is None:
        return
    try:
        for _ in range(workers()):
            pool.submit(_warm_templates, str(templates_dir))
    except (RuntimeError, OSError):  # the pool broke: render_many renders here
        log.warning("пул процессов отрисовки не принял задание", exc_info=True)


def _warm_templates(templates_dir: str) -> None:
    from service.documents.fast_render import warm

    warm(Path(templates_dir))


def run_beside(function: Callable[..., _T], *args: Any) -> Callable[[], _T]:
    """Have a worker of the pool call ``function(*args)`` now (it is idle until a batch's
    documents come: ``nastavnik process`` has the worker it forked read the workbook while the
    command makes the home and records the batch; the watcher's batch has its worker make the
    inventory, which cost the pipeline's process 40–70 ms of CPU a 60-pair school, while that
    process writes the batch's rows); returns what waits for the result. Without a pool, or
    if the worker fails (killed, or the result does not come back), ``function`` runs in this
    process when the result is asked for, as it would have without the pool. ``function``
    and its arguments and result must be picklable, its module imported by the workers when
    they start (:func:`_warm_worker`), or else the first call waits for the import; a
    function that raises raises here too."""
    pool = _pool
    if pool is None:
        return partial(function, *args)
    try:
        future = pool.submit(_beside, function, *args)
    except (RuntimeError, OSError):  # the pool broke or shut down meanwhile
        return partial(function, *args)

    def result() -> _T:
        try:
            pid, value = future.result()
        except Exception as exc:  # noqa: BLE001 - the same call here gives the true answer
            log.warning("процесс отрисовки не выполнил %s (%s): здесь", function.__name__, exc)
            return function(*args)
        log.debug("%s выполнено процессом %d", function.__name__, pid)
        return value

    return result


def _beside(function: Callable[..., _T], *args: Any) -> tuple[int, _T]:
    """``function(*args)`` in a worker, and the worker's pid (for the log)."""
    return os.getpid(), function(*args)


def _start_workers(templates_dir: Path | None, method: str) -> bool:
    """Make the pool (started by ``method``) and have every worker start; True if they run."""
    try:
        pool = _executor(templates_dir, method)
        for _ in range(workers()):
            pool.submit(_noop)
    except (RuntimeError, OSError):  # no processes on this system, or the pool broke
        log.warning("пул процессов отрисовки не запустился", exc_info=True)
        shutdown()
        return False
    return True


def shutdown() -> None:
    """Stop the worker processes (they are started again on the next large batch)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)


class _Sent(NamedTuple):
    """A chunk handed to the pool, kept until its result is taken (to take it back)."""

    future: Future
    chunk: list[tuple[str, Any]]


def _pooled(
    pool: Executor, chunks: Iterator[list[tuple[str, Any]]], share: bool
) -> Iterator[bytes]:
    """The chunks' documents, in order: :data:`WINDOW` chunks per worker in flight, the next
    chunk sent as one comes back.

    ``share``: whenever the next result is not ready, this process renders a chunk itself
    instead of waiting — the next one not sent yet (keeping at most a window of its own
    results until their turn), or else the last one sent that no worker has started (taken
    back from the pool). In the warm watcher a school of a few hundred documents left the
    pipeline's process waiting for its worker two thirds of the time (docs/performance.md);
    a large batch, where that process is the slower side, finds the next result ready and
    rarely renders."""
    ahead = WINDOW * workers()
    flight: deque[_Sent | _Rendered] = deque()
    for chunk in islice(chunks, ahead):
        flight.append(_Sent(pool.submit(_render_chunk, chunk), chunk))
    rendered_by: Counter[int] = Counter()
    try:
        while flight:
            head = flight[0]
            waiting = isinstance(head, _Sent) and not head.future.done()
            if share and waiting and _render_here(flight, chunks, len(flight) < 2 * ahead):
                continue
            flight.popleft()
            renderer, ready = head.future.result() if isinstance(head, _Sent) else head
            # the next chunks go out as one comes back or was taken back: a window in the pool
            # (counted, not one per result: after a take-back one per result would leave
            # chunks neither sent nor rendered)
            sent = sum(isinstance(entry, _Sent) for entry in flight)
            for chunk in islice(chunks, max(0, ahead - sent)):
                flight.append(_Sent(pool.submit(_render_chunk, chunk), chunk))
            rendered_by[renderer] += len(ready)
            if not flight:  # said now: the caller may take the last document and stop
                said = ", ".join(f"{pid} — {count}" for pid, count in sorted(rendered_by.items()))
                log.debug("документы отрисованы процессами (номер — документов): %s", said)
            yield from ready
    finally:  # the caller stopped early, or the pool broke: nothing more to render
        for entry in flight:
            if isinstance(entry, _Sent):
                entry.future.cancel()


def _render_here(flight: deque[_Sent | _Rendered], chunks: Iterator, more: bool) -> bool:
    """Render in this process the next chunk not sent (if ``more``), or else the last one
    sent if no worker has started it, in its place in ``flight``; False if there is neither."""
    chunk = next(chunks, None) if more else None
    if chunk is not None:
        flight.append(_render_chunk(chunk))
        return True
    for place in range(len(flight) - 1, -1, -1):
        entry = flight[place]
        if isinstance(entry, _Sent):  # the pool starts its chunks in order: the last one
            if not entry.future.cancel():  # sent has started, so have all before it
                return False
            flight[place] = _render_chunk(entry.chunk)
            return True
    return False


def _in_process(where: Path | Settings, kind: Kind, context: dict[str, Any]) -> bytes:
    return render_template_file(template_file(where, kind), context)


def render_many(
    where: Path | Settings,
    jobs: Sequence[Job],
    *,
    parallel: bool | None = None,
    render: Callable[[Path | Settings, Kind, dict[str, Any]], bytes] | None = None,
    share: bool = False,
) -> Iterator[bytes]:
    """The DOCX of each ``(kind, context)`` in ``jobs``, in order, yielded as ready; each
    kind's template is found in ``where`` (:func:`~service.documents.render.template_file`:
    a home's settings, the school's own templates first, or a folder).

    ``render(where, kind, context)`` renders in this process (default: the fast
    renderer); workers always use the fast renderer.

    ``parallel`` forces the choice (tests, the benchmark); by default, on a machine with more
    than one core, the pool is used for more than :data:`PARALLEL_MIN` jobs if it is running
    and for more than :data:`COLD_START_MIN` jobs otherwise. Contexts must be picklable
    (dicts, lists, str and its subclasses, numbers, dates are).

    ``share``: the caller renders too (:func:`_pooled`) — whenever the next result is not
    ready, it renders a chunk no worker has started instead of waiting.
    """
    if parallel is None:
        threshold = PARALLEL_MIN if _pool is not None else COLD_START_MIN
        parallel = len(jobs) > threshold and cores() > 1
    render = render or _in_process
    if not parallel:
        for kind, context in jobs:
            yield render(where, kind, context)
        return
    done = 0
    try:
        shipped = where if isinstance(where, Path) else where.templates_dir
        for data in _pooled(_executor(shipped), _chunks(where, jobs), share):
            done += 1
            yield data
    except (RuntimeError, OSError) as exc:  # BrokenProcessPool is a RuntimeError
        if done and not isinstance(exc, BrokenProcessPool):
            raise
        log.warning("пул процессов отрисовки недоступен (%s); документы — в одном процессе", exc)
        shutdown()
        for kind, context in jobs[done:]:
            yield render(where, kind, context)
