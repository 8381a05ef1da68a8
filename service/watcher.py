"""The folder watcher: workbooks dropped into ``inbox/`` are processed and moved to
``inbox/processed/`` or ``inbox/failed/`` (with ``<name>.errors.txt`` beside it).

One worker loop handles one file at a time (``work(burst=True)`` drains the inbox and returns,
which is how tests and ``nastavnik process`` drive it). watchdog only wakes the loop; a rescan
every few seconds catches anything an event missed, and files present at start-up are taken
first. A file is read only after it has stopped changing; a workbook that is not yet a whole
zip (copied slowly, with pauses) gets one more wait before it is called damaged. Nothing is ever
deleted.

Hostile or odd files never stop the loop: whatever one file raises, it goes to ``failed/`` with
a note and the loop goes on. A name that is not UTF-8 (cp1251 bytes from an SMB share or an old
archive) is given its readable name first; a symbolic link is never followed — the link itself
goes to ``failed/``. The loop writes a heartbeat (:mod:`service.health`) for the secretary's
page.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import threading
import time
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from service.config import Settings
from service.errors import NastavnikError
from service.health import write_heartbeat
from service.pipeline import Outcome, ProcessResult, process_workbook
from service.store import atomic_write

log = logging.getLogger("nastavnik.watcher")

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})
TEMPORARY_SUFFIXES = frozenset({".tmp", ".part", ".crdownload", ".partial", ".swp"})
RESCAN_SECONDS = 5.0


def is_ignored(name: str) -> bool:
    """Lock files of Excel (``~$…``) and LibreOffice (``.~lock…#``), hidden and temporary
    files are not the secretary's: they are left alone."""
    return (
        name.startswith(("~$", ".", "~"))
        or name.endswith("#")
        or Path(name).suffix.lower() in TEMPORARY_SUFFIXES
    )


NAME_BYTES = 200
"""Longest file name we create (bytes): file systems allow 255, and a note adds its suffix."""
OWN_FOLDERS = frozenset({"processed", "failed"})
"""Folders of the watcher inside ``inbox/``: never taken as a file, even when a link."""
SYMLINK_NOTE = (
    "«{name}» — символическая ссылка, а не файл; по ссылкам сервис файлы не читает. "
    "Положите в папку inbox саму книгу (копию файла).\n"
)


def readable_name(name: str) -> str:
    """``name`` as a person can read it and every file system and note can hold it: bytes
    that are not UTF-8 are read as Windows-1251 (what Russian Windows writes), control
    characters become «_»."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes, kept by Python as lone surrogates
        raw = os.fsencode(name)
        try:
            name = raw.decode("cp1251")
        except UnicodeDecodeError:
            name = raw.decode("utf-8", "replace")
    return "".join("_" if unicodedata.category(c) == "Cc" else c for c in name)


def _fit_name(name: str, limit: int = NAME_BYTES) -> str:
    name = readable_name(name)
    stem, suffix = Path(name).stem, Path(name).suffix
    while len((stem + suffix).encode()) > limit and stem:
        stem = stem[:-1]
    return (stem.rstrip() or "книга") + suffix


def reserve_name(folder: Path, name: str) -> Path:
    """Create and return ``folder/name`` — or ``stem (2).ext``… when taken — atomically
    (O_EXCL), so two movers never pick the same name and nothing is overwritten."""
    name = _fit_name(name)
    stem, suffix = Path(name).stem, Path(name).suffix
    number = 1
    while True:
        target = folder / (name if number == 1 else f"{stem} ({number}){suffix}")
        try:
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            return target
        except FileExistsError:
            number += 1


def move_into(path: Path, target: Path) -> None:
    """Move ``path`` (a link as the link itself) onto the reserved (empty) ``target``."""
    try:
        os.replace(path, target)
    except OSError:  # another file system: copy, then remove the original
        if path.is_symlink():  # a link is copied as a link, which needs the name free
            target.unlink()
        shutil.copy2(path, target, follow_symlinks=False)
        path.unlink()


def place(path: Path, folder: Path, note: tuple[str, bytes] | None = None) -> Path:
    """Move ``path`` (a link as the link itself) into ``folder`` under its readable name, or
    ``stem (2).ext``… when taken, with its note ``(suffix, text)`` beside it; returns the new
    path. Each appears whole and at once — the note first — as a hard link of a finished file,
    so whoever sees the moved file also finds its note, and nothing is ever overwritten.
    Where hard links are not possible, the name is reserved first (:func:`reserve_name`)."""
    staged = None
    if note is not None:
        staged = folder / f".note-{secrets.token_hex(6)}.tmp"
        try:
            atomic_write(staged, note[1])
        except OSError:  # the file must leave the inbox even if its note cannot
            log.exception("cannot write the note beside %s", readable_name(path.name))
            staged = None
    try:
        name = _fit_name(path.name)
        stem, suffix = Path(name).stem, Path(name).suffix
        number = 1
        while True:
            target = folder / (name if number == 1 else f"{stem} ({number}){suffix}")
            beside = target.with_name(target.name + note[0]) if staged and note else None
            try:
                _link_both(path, target, staged, beside)
            except FileExistsError:
                number += 1
                continue
            except OSError:  # no hard links on this file system
                target = reserve_name(folder, path.name)
                if staged and note:
                    os.replace(staged, target.with_name(target.name + note[0]))
                move_into(path, target)
                return target
            path.unlink()
            return target
    finally:
        if staged is not None:
            staged.unlink(missing_ok=True)


def _link_both(path: Path, target: Path, staged: Path | None, beside: Path | None) -> None:
    """Hard-link the note, then the file; neither, if either name is taken."""
    if staged is not None and beside is not None:
        os.link(staged, beside)
    try:
        os.link(path, target, follow_symlinks=False)
    except OSError:
        if beside is not None:
            beside.unlink()
        raise


def _signature(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.lstat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


class InboxWatcher:
    """Processes every workbook that appears in ``settings.inbox``."""

    def __init__(
        self, settings: Settings, on_result: Callable[[Path, ProcessResult], None] | None = None
    ):
        self.settings = settings
        self.on_result = on_result
        self._wake = threading.Event()
        self._stuck_files: dict[Path, int] = {}
        self._stop = threading.Event()
        self._observer = None
        self._thread: threading.Thread | None = None
        self._heartbeat = False
        self._started = time.time()
        self._handled = 0
        self._last_beat = 0.0
        self._current: tuple[str, float] | None = None
        """The file being handled (its readable name) and since when."""

    # --- one pass -------------------------------------------------------------------------
    def candidates(self) -> list[Path]:
        """Files (and symbolic links, never followed) waiting in the inbox, oldest first."""
        inbox = self.settings.inbox
        found = []
        try:
            with os.scandir(inbox) as entries:
                for entry in entries:
                    if is_ignored(entry.name) or entry.name in OWN_FOLDERS:
                        continue
                    with contextlib.suppress(OSError):  # gone meanwhile
                        if entry.is_symlink() or entry.is_file(follow_symlinks=False):
                            stat = entry.stat(follow_symlinks=False)
                            found.append((stat.st_mtime, os.fsencode(entry.name), entry.path))
        except (FileNotFoundError, NotADirectoryError):
            return []
        return [Path(path) for *_, path in sorted(found)]

    def wait_until_stable(self, path: Path, timeout: float = 120.0) -> bool:
        """True once ``path`` has kept its size and time for ``settle_seconds`` (an empty file
        for at least a second: it may be about to be written)."""
        deadline = time.monotonic() + timeout
        previous = None
        since = time.monotonic()
        while time.monotonic() < deadline and not self._stop.is_set():
            self._beat()
            try:
                stat = path.lstat()
            except FileNotFoundError:
                return False
            current = (stat.st_size, stat.st_mtime_ns)
            if current != previous:
                previous, since = current, time.monotonic()
            elif time.monotonic() - since >= (
                self.settings.settle_seconds
                if stat.st_size
                else max(1.0, self.settings.settle_seconds)
            ):
                return True
            time.sleep(min(self.settings.settle_seconds, 0.05))
        return False

    def settled(self, path: Path) -> bool:
        """True once ``path`` is stable and, for a workbook, a whole zip — or still is not
        after one more wait (``damaged_wait_seconds``) without any change: then it is
        damaged, and the reader says so."""
        while self.wait_until_stable(path):
            if path.suffix.lower() not in WORKBOOK_SUFFIXES or zipfile.is_zipfile(path):
                return True
            before = _signature(path)
            if self._stop.wait(self.settings.damaged_wait_seconds):
                return False
            if _signature(path) == before:
                return True
            log.info("«%s» ещё копируется; жду", readable_name(path.name))
        return False

    def handle(self, path: Path) -> ProcessResult | None:
        """Process one file and move it out of the inbox; None when it is not ready."""
        if path.is_symlink():
            result = ProcessResult(Outcome.REJECTED, SYMLINK_NOTE.format(name=_fit_name(path.name)))
            self._move(path, result)
            return result
        if readable_name(path.name) != path.name:
            path = place(path, path.parent)
            log.info("имя файла было не в UTF-8; файл переименован в «%s»", path.name)
        if not self.settled(path):
            return None
        if path.suffix.lower() not in WORKBOOK_SUFFIXES:
            result = ProcessResult(
                Outcome.REJECTED,
                f"Файл «{path.name}» не принят: это не книга Excel (.xlsx). Откройте его в Excel "
                "или LibreOffice и сохраните как «Книга Excel (*.xlsx)», затем положите в "
                "папку inbox снова.\n",
            )
        else:
            result = process_workbook(self.settings, path)
        self._move(path, result)
        if self.on_result:
            self.on_result(path, result)
        return result

    def _move(self, path: Path, result: ProcessResult) -> Path:
        """Move ``path`` to processed/ or failed/; its note (errors, warnings, «already done»)
        is written first, so whoever sees the moved workbook also finds the note."""
        ok = result.outcome in (Outcome.DONE, Outcome.DUPLICATE)
        folder = self.settings.processed if ok else self.settings.failed
        folder.mkdir(parents=True, exist_ok=True)
        note, text = None, result.message
        if result.outcome == Outcome.DONE:
            log.info("%s", result.message)
            if result.report is not None and result.report.warnings:
                note = ".предупреждения.txt"
                text = f"{result.message}\n\n{result.report.to_text(path.name)}"
            elif not result.entries:  # nothing new in outbox/: say so beside the workbook
                note = ".без изменений.txt"
        elif result.outcome == Outcome.DUPLICATE:
            log.info("«%s»: %s", readable_name(path.name), result.message)
            note = ".повтор.txt"
        else:
            log.warning("«%s» → failed/\n%s", readable_name(path.name), result.message)
            note = ".errors.txt"
        data = (text.rstrip("\n") + "\n").encode("utf-8", "replace")
        return place(path, folder, (note, data) if note else None)

    def work(self, burst: bool = False) -> int:
        """Process files until stopped (or, with ``burst``, until the inbox is empty).
        Returns how many files were handled. A failure on one file never stops the loop."""
        handled = 0
        while not self._stop.is_set():
            files = self._waiting()
            for path in files:
                if self._stop.is_set():
                    break
                self._current = (readable_name(path.name), time.time())
                self._beat(force=True)
                try:
                    if self.handle(path) is not None:
                        handled += 1
                except NastavnikError as exc:  # expected: its Russian message is the note
                    log.warning("«%s» → failed/: %s", readable_name(path.name), exc.message)
                    self.quarantine(path, exc.message)
                    handled += 1
                except Exception:  # the watcher loop is one of the three translation points
                    log.exception("не удалось обработать «%s»", readable_name(path.name))
                    self.quarantine(path)
                    handled += 1
                self._handled += 1
                self._current = None
                self._beat(force=True)
            if burst and not self._waiting():
                break
            if not files:
                self._wake.wait(RESCAN_SECONDS)
                self._wake.clear()
            self._beat()
        return handled

    def _waiting(self) -> list[Path]:
        try:
            return [p for p in self.candidates() if not self._stuck(p)]
        except OSError:  # the inbox itself cannot be read: say so, try again later
            log.exception("не удалось просмотреть папку %s", self.settings.inbox)
            return []

    def _beat(self, *, force: bool = False) -> None:
        """Write the heartbeat (when running in the background): at once with ``force``,
        else at most once a second."""
        if not self._heartbeat or (not force and time.monotonic() - self._last_beat < 1.0):
            return
        self._last_beat = time.monotonic()
        try:
            write_heartbeat(
                self.settings.var,
                started=self._started,
                file=self._current[0] if self._current else None,
                since=self._current[1] if self._current else None,
                handled=self._handled,
                stopped=self._stop.is_set(),
            )
        except OSError:
            log.exception("не удалось записать отметку о работе наблюдения")

    def quarantine(self, path: Path, message: str | None = None) -> None:
        """Move a file the service broke on to failed/ with a note (never leave it behind):
        ``message`` when the failure was an expected one, else «Внутренняя ошибка»."""
        if os.path.lexists(path):
            try:
                self._move(
                    path,
                    ProcessResult(
                        Outcome.FAILED,
                        message
                        or "Внутренняя ошибка при обработке файла; подробности — в "
                        "журнале var/nastavnik.log. Сообщите администратору.\n",
                    ),
                )
            except Exception:
                log.exception("cannot move %s", readable_name(path.name))
                self._remember_stuck(path)

    def _stuck(self, path: Path) -> bool:
        """A file that could not even be moved out is left alone until it changes."""
        try:
            return self._stuck_files.get(path) == path.lstat().st_mtime_ns
        except FileNotFoundError:
            return False

    def _remember_stuck(self, path: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._stuck_files[path] = path.lstat().st_mtime_ns

    # --- running in the background -----------------------------------------------------------
    def start(self) -> None:
        """Start the observer and the worker thread (files already waiting are taken first)."""
        for folder in (self.settings.inbox, self.settings.processed, self.settings.failed):
            folder.mkdir(parents=True, exist_ok=True)
        observer_cls = PollingObserver if self.settings.watch_polling else Observer
        self._observer = (
            observer_cls(timeout=0.5) if self.settings.watch_polling else observer_cls()
        )
        self._observer.schedule(
            _WakeHandler(self._wake, self.settings.inbox), str(self.settings.inbox), recursive=False
        )
        self._observer.start()
        self._heartbeat = True
        self._beat(force=True)
        self._thread = threading.Thread(
            target=self._warm_then_work, name="inbox-worker", daemon=True
        )
        self._thread.start()
        log.info("слежу за папкой %s", self.settings.inbox)

    def _warm_then_work(self) -> None:
        """Load the grammar dictionaries and compile the templates before the first file, not
        while the secretary waits; then work until stopped, whatever happens."""
        from service.documents import russian
        from service.documents.fast_render import warm

        try:
            russian.inflect_position("учитель", "gent")
            russian.inflect_name("Иванов Иван Иванович", "gent")
            warm(self.settings.templates_dir)
            warm(self.settings.school_templates)  # the school's own, where installed
        except Exception:  # a broken template is reported per file; the loop must run
            log.exception("не удалось заранее подготовить шаблоны")
        while not self._stop.is_set():
            try:
                self.work()
            except Exception:  # never let the thread die: log, wait, go on
                log.exception("сбой в цикле наблюдения за папкой inbox")
                self._stop.wait(RESCAN_SECONDS)

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._thread is not None:
            self._thread.join(timeout=30)
        self._beat(force=True)


class _WakeHandler(FileSystemEventHandler):
    def __init__(self, wake: threading.Event, inbox: Path):
        self.wake = wake
        self.inbox = os.fspath(inbox)

    def on_any_event(self, event: FileSystemEvent) -> None:
        path = getattr(event, "dest_path", "") or event.src_path
        if os.path.dirname(os.fspath(path)) == self.inbox and not event.is_directory:
            self.wake.set()
