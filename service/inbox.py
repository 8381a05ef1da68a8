"""The inbox policy: what happens to one file dropped into ``inbox/`` (or uploaded on the web
page), whoever noticed it. The file is read only after it has stopped changing; a workbook that
is not yet a whole zip (copied slowly, with pauses) gets one more wait before it is called
damaged. Then it is processed (:func:`~service.pipeline.process_workbook`) and moved to
``inbox/processed/`` or ``inbox/failed/`` with its note beside it (``<name>.errors.txt``,
warnings, «already done», «no changes»), under a name nobody else holds
(:func:`~service.placing.place`). Nothing is ever deleted.

Hostile or odd files never stop the work: whatever one file raises, it goes to ``failed/`` with
a note (:meth:`Inbox.take`, the watcher's translation point of errors). A name that is not
UTF-8 (cp1251 bytes from an SMB share or an old archive) is given its readable name first; a
symbolic link is never followed — the link itself goes to ``failed/``.

Who wakes this up is not its business: :mod:`service.watcher` (watchdog and a rescan, in the
background, with a heartbeat), the web upload queue (:mod:`service.uploads`) and
:meth:`Inbox.drain` (every file waiting now, then return: the tests) call the same policy.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from stat import S_ISLNK, S_ISREG

from service.config import Settings
from service.errors import NastavnikError
from service.intake.file_kind import wrong_file
from service.pipeline import Outcome, ProcessResult, process_workbook
from service.placing import fit_name, free_names, own_folder, place, readable_name, reserve_name
from service.settling import POLL_SECONDS, WORKBOOK_SUFFIXES, Settling
from service.store import atomic_write

log = logging.getLogger("nastavnik.watcher")

TEMPORARY_SUFFIXES = frozenset({".tmp", ".part", ".crdownload", ".partial", ".swp"})


def is_ignored(name: str) -> bool:
    """Lock files of Excel (``~$…``) and LibreOffice (``.~lock…#``), hidden and temporary
    files are not the secretary's: they are left alone."""
    return (
        name.startswith(("~$", ".", "~"))
        or name.endswith("#")
        or Path(name).suffix.lower() in TEMPORARY_SUFFIXES
    )


OWN_FOLDERS = frozenset({"processed", "failed"})
"""Folders of the watcher inside ``inbox/``: never taken as a file, even when a link."""
SPECIAL_NOTE = (
    "«{name}» — не файл, а именованный канал или устройство; такие сервис не открывает. "
    "Положите в папку inbox саму книгу (файл .xlsx).\n"
)
SYMLINK_NOTE = (
    "«{name}» — символическая ссылка, а не файл; по ссылкам сервис файлы не читает. "
    "Положите в папку inbox саму книгу (копию файла).\n"
)
LINKED_NOTE = (
    "«{name}» — жёсткая ссылка: у этого файла есть и другие имена (всего {links}), и он мог "
    "оказаться чужим файлом; такие сервис не читает и не перекладывает. Имя «{name}» "
    "убрано из папки inbox, сам файл остался под другими именами. Положите в папку inbox "
    "копию книги.\n"
)


def signature(path: Path) -> tuple[int, int] | None:
    """Size and modification time of ``path`` itself (a link as the link), None if gone."""
    found = identity(path)
    return None if found is None else (found[2], found[3])


def identity(path: Path) -> tuple[int, int, int, int] | None:
    """Which file ``path`` names now (device, inode) and as it is (size, time); None if gone.
    A file renamed over it, or written to, is another file."""
    try:
        stat = path.lstat()
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns


INTERNAL_ERROR_NOTE = (
    "Внутренняя ошибка при обработке файла; подробности — в журнале var/nastavnik.log. "
    "Сообщите администратору.\n"
)
NOT_A_WORKBOOK_NOTE = (
    "Файл «{name}» не принят: это не книга Excel (.xlsx). Откройте его в Excel или LibreOffice "
    "и сохраните как «Книга Excel (*.xlsx)», затем положите в папку inbox снова.\n"
)


class Inbox:
    """The files waiting in ``settings.inbox`` and what is done with each.

    ``stop`` ends the waits when the caller shuts down (the watcher's event); ``tick(force)``
    is called while a file is waited for or handled, so a caller can write its heartbeat;
    ``on_result(path, result)`` after each processed file. ``current`` (the readable name of
    the file being handled and since when) and ``handled`` are there for that heartbeat.
    ``arrived_whole(path)``: True when the watcher's events say the workbook is whole
    (:class:`service.watcher.Arrivals`); it is then taken without the settle wait."""

    def __init__(
        self,
        settings: Settings,
        on_result: Callable[[Path, ProcessResult], None] | None = None,
        *,
        stop: threading.Event | None = None,
        tick: Callable[[bool], None] | None = None,
        arrived_whole: Callable[[Path], bool] | None = None,
    ) -> None:
        self.settings = settings
        self.on_result = on_result
        self.stop = stop if stop is not None else threading.Event()
        self.tick = tick if tick is not None else (lambda force: None)
        self.settling = Settling(settings, self.stop, self.tick, arrived_whole)
        self.current: tuple[str, float] | None = None
        self.handled = 0
        self._stuck_files: dict[Path, int] = {}

    # --- which files ------------------------------------------------------------------------
    def candidates(self) -> list[Path]:
        """Files (and symbolic links, never followed, and FIFOs or devices, never opened)
        waiting in the inbox, oldest first; folders are not taken."""
        found = []
        try:
            with os.scandir(self.settings.inbox) as entries:
                for entry in entries:
                    if is_ignored(entry.name) or entry.name in OWN_FOLDERS:
                        continue
                    with contextlib.suppress(OSError):  # gone meanwhile
                        if not entry.is_dir(follow_symlinks=False):  # a link, file, FIFO…
                            stat = entry.stat(follow_symlinks=False)
                            found.append((stat.st_mtime, os.fsencode(entry.name), entry.path))
        except (FileNotFoundError, NotADirectoryError):
            return []
        return [Path(path) for *_, path in sorted(found)]

    def waiting(self) -> list[Path]:
        """The candidates, less those that could not even be moved out and have not changed
        since; an inbox that cannot be read is logged and looks empty (tried again later)."""
        try:
            return [p for p in self.candidates() if not self._stuck(p)]
        except OSError:
            log.exception("не удалось просмотреть папку %s", self.settings.inbox)
            return []

    # --- one file ------------------------------------------------------------------------------
    def handle(self, path: Path, ready: bool = False) -> ProcessResult | None:
        """Process one file and move it out of the inbox; None when it is not ready (waited
        for here unless ``ready``: :meth:`Settling.ready` said so already). A file
        replaced while it was processed (saved again from Excel in the inbox) is not moved:
        the workbook now under its name is another one, taken next; it was the old one that
        was read, and moving the new one with the old one's note would pass it off as done."""
        try:
            found = path.lstat()
        except FileNotFoundError:  # taken back out of the inbox before its turn: nothing to do
            return None
        mode = found.st_mode
        if S_ISREG(mode) and found.st_nlink > 1:
            return self._drop_linked(path, found)
        if not S_ISREG(mode):  # a link is never followed; a FIFO would block whoever opens it
            note = SYMLINK_NOTE if S_ISLNK(mode) else SPECIAL_NOTE
            result = ProcessResult(Outcome.REJECTED, note.format(name=fit_name(path.name)))
            self._move(path, result)
            return result
        if readable_name(path.name) != path.name:
            path = place(path, path.parent)
            log.info(
                "в имени файла были байты не в UTF-8 или управляющие символы; файл "
                "переименован в «%s»",
                path.name,
            )
        if not ready and not self.settling.settled(path):
            return None
        try:
            found = path.lstat()  # the file to read now: its links and identity at once
        except FileNotFoundError:
            return None
        if found.st_nlink > 1:
            return self._drop_linked(path, found)
        taken = found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns
        if (refusal := wrong_file(path.name)) is not None:
            result = ProcessResult(Outcome.REJECTED, refusal + "\n")
        elif path.suffix.lower() not in WORKBOOK_SUFFIXES:
            result = ProcessResult(Outcome.REJECTED, NOT_A_WORKBOOK_NOTE.format(name=path.name))
        else:
            result = process_workbook(self.settings, path)
        if identity(path) == taken:
            self._move(path, result)
        else:  # saved again (Excel renames its new file over the old) or removed meanwhile
            log.info(
                "«%s» изменён или удалён во время обработки: новая версия остаётся в папке "
                "inbox и будет обработана следом. Прочитанная версия: %s",
                readable_name(path.name),
                result.message,
            )
        if self.on_result:
            self.on_result(path, result)
        return result

    def take(self, path: Path, ready: bool = False) -> bool:
        """:meth:`handle` one file, whatever it raises — the watcher's one translation point
        of errors: an expected failure (:class:`NastavnikError`) becomes the file's note, any
        other is logged as the bug it is and the file goes to failed/ with «Внутренняя
        ошибка». True when the file was dealt with (False: not ready yet)."""
        name = readable_name(path.name)
        self.current = (name, time.time())
        self.tick(True)
        try:
            taken = self.handle(path, ready) is not None
        except NastavnikError as exc:  # expected: its Russian message is the note
            log.warning("«%s» → failed/: %s", name, exc.message)
            self.quarantine(path, exc.message)
            taken = True
        except Exception:
            log.exception("не удалось обработать «%s»", name)
            self.quarantine(path)
            taken = True
        self.handled += 1
        self.current = None
        self.tick(True)
        return taken

    def sweep(self) -> tuple[int, int]:
        """One pass over the files waiting now (until stopped): how many were found and how
        many of them were dealt with — those that are ready; the others are waited for side
        by side, looked at again by the next pass (:meth:`Settling.ready`)."""
        files = self.waiting()
        self.settling.forget_others(files)
        handled = 0
        for path in files:
            if self.stop.is_set():
                break
            if self.settling.ready(path):
                handled += self.take(path, ready=True)
        return len(files), handled

    def drain(self) -> int:
        """Deal with every file waiting, including those that arrive meanwhile, and return
        when the inbox is empty (or stopped): how many were dealt with."""
        handled = 0
        while not self.stop.is_set():
            done = self.sweep()[1]
            handled += done
            if not self.waiting():
                break
            if not done:  # only files still waited for: look again in a moment
                self.stop.wait(POLL_SECONDS)
        return handled

    def _move(self, path: Path, result: ProcessResult) -> Path:
        """Move ``path`` to processed/ or failed/; its note (errors, warnings, «already done»)
        is written first, so whoever sees the moved workbook also finds the note."""
        ok = result.outcome in (Outcome.DONE, Outcome.DUPLICATE)
        folder = own_folder(self.settings.processed if ok else self.settings.failed)
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

    def _drop_linked(self, path: Path, found: os.stat_result) -> ProcessResult | None:
        """A file with other names (a hard link: to the register, the CA key, anyone's file)
        is neither read nor moved — moved, failed/ held the live database as «db.xlsx». Its
        name in the inbox is removed (the file lives on under its other names, nothing of it
        copied) and a note in failed/ says why. The name is first renamed aside and checked to
        still be that file: another one saved under it meanwhile is put back, taken next."""
        aside = path.with_name(f".linked-{secrets.token_hex(6)}.tmp")
        try:
            os.rename(path, aside)
        except FileNotFoundError:
            return None
        now = aside.lstat()
        if (now.st_dev, now.st_ino) != (found.st_dev, found.st_ino) or now.st_nlink < 2:
            for target in free_names(path.parent, path.name):
                with contextlib.suppress(FileExistsError):
                    os.link(aside, target)
                    break
            aside.unlink()
            return None
        name = fit_name(path.name)
        message = LINKED_NOTE.format(name=name, links=now.st_nlink)
        try:
            note = reserve_name(own_folder(self.settings.failed), f"{name}.errors.txt")
            atomic_write(note, message.encode("utf-8"))
        finally:
            aside.unlink()
        log.warning("«%s» → failed/\n%s", name, message)
        return ProcessResult(Outcome.REJECTED, message)

    def quarantine(self, path: Path, message: str | None = None) -> None:
        """Move a file the service broke on to failed/ with a note (never leave it behind):
        ``message`` when the failure was an expected one, else «Внутренняя ошибка»."""
        if os.path.lexists(path):
            try:
                self._move(path, ProcessResult(Outcome.FAILED, message or INTERNAL_ERROR_NOTE))
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
