"""The service's home folder: its inbox/processed/failed/outbox folders, ``var/`` (private to
the service's account) and the register's database. Every adapter that starts work on a home
(the ``nastavnik`` commands, ``make run`` through ``nastavnik init``, the tests' fixtures) calls
:func:`initialise_home` here, so none of them has to import another adapter for it."""

from __future__ import annotations

import fcntl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from service.config import Settings
from service.errors import Busy

if TYPE_CHECKING:  # the register is imported inside the functions: `--help` stays light
    from service.register.schema import UpgradeReport


def initialise_home(settings: Settings) -> list[Path]:
    """Create the home's folders and database (idempotent), make ``var/`` private to the
    service's account and keep compiled templates in the account's cache (``settings.cache``)
    from now on; returns the folders. A database of an earlier release is refused (the
    service does not start): ``init`` upgrades it (:func:`upgrade_home`)."""
    from service.documents import template_cache
    from service.permissions import secure_private_tree
    from service.register.db import init_database

    template_cache.configure(settings.cache)

    folders = [
        settings.inbox,
        settings.processed,
        settings.failed,
        settings.outbox,
        settings.var,
        settings.store_dir,
    ]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    try:
        init_database(settings.database_url)
    finally:  # after: the database file it may have created is private too, whatever umask
        secure_private_tree(settings.var)
    return folders


def upgrade_home(settings: Settings) -> UpgradeReport:
    """Bring the home's database to this release's schema, a copy of it kept first (SQLite, in
    ``var/backups/``); returns what was done, for the caller to say."""
    from service.health import read_health
    from service.register.schema import schema_state, upgrade_database

    settings.var.mkdir(parents=True, exist_ok=True)
    # a running service keeps the register open: never migrate under it. This release's
    # `watch`, `serve` and `run` hold the service lock; an earlier release's watcher is told
    # by its heartbeat (its `serve` alone by nothing: docs/upgrade.md)
    with (settings.var / SERVICE_LOCK).open("a") as lock:
        state = schema_state(settings.database_url)
        if not state.known or state.up_to_date or state.fresh:
            return upgrade_database(settings.database_url, settings.backups_dir)
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(RUNNING.format(how="nastavnik run, serve или watch")) from None
        health = read_health(settings.var)
        if health.ok:
            how = f"наблюдение за папкой inbox отвечало {health.beat:%d.%m.%Y %H:%M:%S}"
            raise Busy(RUNNING.format(how=how))
        return upgrade_database(settings.database_url, settings.backups_dir)


SERVICE_LOCK = "service.lock"
"""Held (shared) by ``watch``, ``serve`` and ``run`` while they run (:func:`service_running`);
``init`` upgrades the database only when it can take it exclusively."""

RUNNING = (
    "Служба этой рабочей папки работает ({how}): базу нельзя обновлять, пока служба открыла "
    "её. Остановите службу (в окне «make run» — Ctrl+C), затем повторите «nastavnik init» или "
    "«make run». База не изменена."
)


@contextmanager
def service_running(settings: Settings) -> Iterator[None]:
    """Mark the home's service as running for as long as the block runs (the web service, the
    watcher): a shared lock on ``var/service.lock``, taken before the database is opened, so
    an upgrade under way is waited for and none starts under a running service."""
    settings.var.mkdir(parents=True, exist_ok=True)
    with (settings.var / SERVICE_LOCK).open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_SH)
        yield


_ONE_AT_A_TIME = threading.Lock()
"""The watcher, web uploads and template changes take turns: one writer at a time."""

BUSY = (
    "Сейчас обрабатывается файл из inbox; ничего не изменено. Повторите через минуту, "
    "когда обработка закончится."
)


@contextmanager
def one_writer(
    settings: Settings, wait: float | None = None, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Wait for the register's turn: one workbook (or dry run, or template change) at a time,
    in this process and across processes (`serve` beside `watch`). ``wait``: give up after
    so many seconds with :class:`Busy` (None: wait as long as it takes). ``on_wait`` is called
    once if the turn is not free at once (the command tells its user why it is silent)."""
    settings.var.mkdir(parents=True, exist_ok=True)
    deadline = None if wait is None else time.monotonic() + wait
    told = on_wait is None
    if not _ONE_AT_A_TIME.acquire(blocking=False):
        if not told:
            on_wait()
            told = True
        if not _ONE_AT_A_TIME.acquire(timeout=-1 if wait is None else wait):
            raise Busy(BUSY)
    try:
        with (settings.var / "pipeline.lock").open("a") as lock:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not told:
                    on_wait()
                _lock_file(lock.fileno(), deadline)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    finally:
        _ONE_AT_A_TIME.release()


def _lock_file(fd: int, deadline: float | None) -> None:
    """flock ``fd`` exclusively, by ``deadline`` (monotonic) or raise :class:`Busy`."""
    if deadline is None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        return
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise Busy(BUSY) from None
            time.sleep(0.05)
