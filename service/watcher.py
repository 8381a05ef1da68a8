"""The folder watcher: only the wake-up. watchdog tells it that something changed in
``inbox/``, a rescan every few seconds catches anything an event missed, and files present at
start-up are taken first; each file is then dealt with by the inbox policy
(:class:`service.inbox.Inbox`: wait until whole, process, move to ``processed/`` or
``failed/`` with its note). Its loop never dies: whatever a file or a pass raises is logged and
the loop goes on. It writes a heartbeat (:mod:`service.health`) for the secretary's page.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    EVENT_TYPE_ATTRIB,
    EVENT_TYPE_CLOSED,
    EVENT_TYPE_CREATED,
    EVENT_TYPE_DELETED,
    EVENT_TYPE_MODIFIED,
    EVENT_TYPE_MOVED,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from service.config import Settings
from service.health import write_heartbeat
from service.inbox import WORKBOOK_SUFFIXES, Inbox, is_ignored, signature
from service.pipeline import ProcessResult
from service.placing import own_folder
from service.settling import POLL_SECONDS

log = logging.getLogger("nastavnik.watcher")

RESCAN_SECONDS = 5.0


class InboxWatcher:
    """Deals with every file that appears in ``settings.inbox``, in the background."""

    def __init__(
        self, settings: Settings, on_result: Callable[[Path, ProcessResult], None] | None = None
    ):
        self.settings = settings
        self._wake = threading.Event()
        self._stop = threading.Event()
        # what inotify says is whole; the polling observer cannot tell (its files settle)
        self.arrivals = None if settings.watch_polling else Arrivals()
        self.inbox = Inbox(
            settings,
            on_result,
            stop=self._stop,
            tick=self._beat,
            arrived_whole=self.arrivals.is_whole if self.arrivals else None,
        )
        self._observer = None
        self._thread: threading.Thread | None = None
        self._warming: threading.Thread | None = None
        self._sweeping = threading.Lock()
        self.warmed = threading.Event()
        """Set once the warm-up batch is over (done, failed or skipped)."""
        self._heartbeat = False
        self._started = time.time()
        self._last_beat = 0.0

    def work(self) -> int:
        """Deal with the inbox's files until stopped, waking on watchdog's events or every
        ``RESCAN_SECONDS``; returns how many files were dealt with."""
        handled = 0
        while not self._stop.is_set():
            with self._sweeping:  # not while the warm-up's objects are frozen
                found, done = self.inbox.sweep()
            handled += done
            if not found or not done:  # empty, or only files still waited for
                self._wake.wait(RESCAN_SECONDS if not found else POLL_SECONDS)
                self._wake.clear()
            # a file just dealt with changes the state at once (busy → waiting), whatever the
            # once-a-second limit: the page must not show it busy for a rescan's wait
            self._beat(force=bool(done))
        return handled

    def _beat(self, force: bool = False) -> None:
        """Write the heartbeat (when running in the background): at once with ``force``,
        else at most once a second."""
        if not self._heartbeat or (not force and time.monotonic() - self._last_beat < 1.0):
            return
        self._last_beat = time.monotonic()
        current = self.inbox.current
        try:
            write_heartbeat(
                self.settings.var,
                started=self._started,
                file=current[0] if current else None,
                since=current[1] if current else None,
                handled=self.inbox.handled,
                stopped=self._stop.is_set(),
            )
        except OSError:
            log.exception("не удалось записать отметку о работе наблюдения")

    # --- running in the background -----------------------------------------------------------
    def start(self) -> None:
        """Start the observer and the worker thread (files already waiting are taken first)."""
        self.settings.inbox.mkdir(parents=True, exist_ok=True)
        for folder in (self.settings.processed, self.settings.failed):
            own_folder(folder)
        self._observer = (
            PollingObserver(timeout=0.5) if self.settings.watch_polling else _inotify_observer()
        )
        self._observer.schedule(
            _WakeHandler(self._wake, self.settings.inbox, self.arrivals),
            str(self.settings.inbox),
            recursive=False,
        )
        self._observer.start()
        self._heartbeat = True
        self._beat(True)
        self._thread = threading.Thread(
            target=self._warm_then_work, name="inbox-worker", daemon=True
        )
        self._thread.start()
        log.info("слежу за папкой %s", self.settings.inbox)

    def _warm_then_work(self) -> None:
        """Start the render workers, load the grammar dictionaries and compile the templates
        before the first file, not while the secretary waits; then work until stopped,
        whatever happens. The workers (one per core but one) render every batch of more than
        ``PARALLEL_MIN`` documents while this process writes the register (a 60-pair school
        is 368 documents; the pool would start only for batches over ``COLD_START_MIN``)."""
        from service.documents import parallel, russian
        from service.documents.fast_render import warm

        try:
            parallel.start(self.settings.templates_dir)
            russian.inflect_position("учитель", "gent")
            russian.inflect_name("Иванов Иван Иванович", "gent")
            warm(self.settings.templates_dir)
            warm(self.settings.school_templates)  # the school's own, where installed
            _freeze_warm_objects()
        except Exception:  # a broken template is reported per file; the loop must run
            log.exception("не удалось заранее подготовить шаблоны")
        self._warming = threading.Thread(target=self._warm_batch, name="warm-up", daemon=True)
        self._warming.start()
        while not self._stop.is_set():
            try:
                self.work()
            except Exception:  # never let the thread die: log, wait, go on
                log.exception("сбой в цикле наблюдения за папкой inbox")
                self._stop.wait(RESCAN_SECONDS)

    def _warm_batch(self) -> None:
        """Process a sample school in a scratch home (:mod:`service.warm_up`): the first file
        then pays for its documents only (about 0.15–0.25 s of CPU less for a small school).
        In a thread of its own and without the process's turn to write
        (:func:`~service.pipeline.process_sample`), so that a file dropped meanwhile is taken
        at once, beside it. The objects it left for the life of the watcher are then put out of
        the collector's sight too, between two files."""
        from service.warm_up import warm_up_batch

        try:
            if not self._stop.is_set():
                warm_up_batch(self.settings)
        except Exception:  # the service works as well without it, only the first file is slower
            log.exception("не удалось обработать пробный пакет при запуске")
        try:
            with self._sweeping:
                if not self._stop.is_set():
                    _freeze_warm_objects()
        finally:
            self.warmed.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._thread is not None:
            self._thread.join(timeout=30)
        if self._warming is not None:
            self._warming.join(timeout=30)
        gc.unfreeze()  # what was loaded for the watcher may be collected again
        self._beat(True)


def _freeze_warm_objects() -> None:
    """Move what is loaded by now (modules, compiled templates, the grammar dictionaries:
    about 120,000 objects) out of the cyclic garbage collector's sight: they live as long as
    the watcher, yet every full collection walked them again during each batch (0.2–0.3 s of
    a 60-pair school's 1.4 s of CPU). Undone by :meth:`InboxWatcher.stop`."""
    gc.collect()
    gc.freeze()


class Arrivals:
    """Workbooks that the folder's events say are whole: renamed into the inbox (inotify's
    ``IN_MOVED_TO``) or closed after being written (``IN_CLOSE_WRITE``), and not written to
    since. The event handler below records them, from watchdog's events; the inbox
    takes such a file at once instead of waiting ``settle_seconds`` for it to stop changing.

    Each mark keeps the file's size and time as they were when the event was seen: a file
    written to since (a write whose event has not arrived yet) no longer matches and is
    waited for as before. Thread-safe: marked by the observer's thread, read by the worker."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._marks: dict[str, tuple[int, int]] = {}

    @staticmethod
    def _tracked(path: str) -> bool:
        name = os.path.basename(path)
        return Path(name).suffix.lower() in WORKBOOK_SUFFIXES and not is_ignored(name)

    def whole(self, path: str) -> None:
        """``path`` was just renamed in or closed after writing: it is whole as it is now."""
        if not self._tracked(path):
            return
        now = signature(Path(path))
        with self._lock:
            if now is None:
                self._marks.pop(path, None)
            else:
                self._marks[path] = now

    def touched(self, path: str) -> None:
        """Only ``path``'s attributes changed (``cp -p`` sets the time after closing): a
        whole file stays whole, under its new time (marked again, as by :meth:`whole`; the
        events come one at a time, from the observer's thread)."""
        with self._lock:
            known = path in self._marks
        if known:
            self.whole(path)

    def changed(self, path: str) -> None:
        """``path`` was created, written to, deleted or moved away: not known to be whole."""
        with self._lock:
            self._marks.pop(path, None)

    def is_whole(self, path: Path) -> bool:
        """True when the last event of ``path`` said it is whole and it has not changed."""
        with self._lock:
            mark = self._marks.get(os.fspath(path))
        return mark is not None and mark == signature(path)


def _inotify_observer() -> BaseObserver:
    """The native observer, asked for a rename from outside the inbox as a move
    (``FileMovedEvent`` with no source) — by default watchdog reports it as a creation, like
    the first moment of a copy, and the two could not be told apart."""
    try:
        return Observer(generate_full_events=True)
    except TypeError:  # an observer of another system: renames in are waited for to settle
        return Observer()


class _WakeHandler(FileSystemEventHandler):
    """Wakes the worker on any change of a file in the inbox, after telling ``arrivals``
    which workbooks are whole: renamed in (``moved``, inotify's ``IN_MOVED_TO``) or closed
    after writing (``closed``: ``IN_CLOSE_WRITE``). A creation or a write means the file is
    being written; a change of attributes only (``cp -p`` after closing) leaves it whole."""

    def __init__(self, wake: threading.Event, inbox: Path, arrivals: Arrivals | None = None):
        self.wake = wake
        self.inbox = os.fspath(inbox)
        self.arrivals = arrivals

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        source = os.fsdecode(event.src_path)
        target = os.fsdecode(getattr(event, "dest_path", "") or "")
        if self.arrivals is not None:
            self._note(event.event_type, source, target)
        if os.path.dirname(target or source) == self.inbox:
            self.wake.set()

    def _note(self, kind: str, source: str, target: str) -> None:
        if kind == EVENT_TYPE_MOVED:
            if source:
                self.arrivals.changed(source)
            if target and os.path.dirname(target) == self.inbox:
                self.arrivals.whole(target)
        elif kind == EVENT_TYPE_CLOSED:
            self.arrivals.whole(source)
        elif kind == EVENT_TYPE_ATTRIB:
            self.arrivals.touched(source)
        elif kind in (EVENT_TYPE_CREATED, EVENT_TYPE_MODIFIED, EVENT_TYPE_DELETED):
            self.arrivals.changed(source)
