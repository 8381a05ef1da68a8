"""When a file dropped into ``inbox/`` may be read: once it has stopped changing.

A file is read only after it has kept its size and time for ``settle_seconds`` (an empty one
for at least a second: it may be about to be written). A workbook that is not yet a whole zip
(a slow network copy with pauses) is waited for once more, ``damaged_wait_seconds``, and while
it keeps changing the wait starts again; only one that stays unchanged and still is not a zip
is read — and reported damaged. A workbook the watcher's events call whole (renamed in, closed
after writing, :class:`service.watcher.Arrivals`) is not waited for.

Two ways to wait: :meth:`Settling.settled` waits for one file (an upload); :meth:`Settling.ready`
only looks, remembers what it saw and says whether the file may be read now, so that the
watcher waits for all the files of the inbox side by side. Waited for one after another, 2,000
damaged files dropped at once kept a good workbook dropped with them waiting three hours.
"""

from __future__ import annotations

import logging
import threading
import time
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from service.config import Settings
from service.placing import readable_name

log = logging.getLogger("nastavnik.watcher")

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm"})
POLL_SECONDS = 0.1
"""How often files that are waited for are looked at again (:meth:`Settling.ready`)."""
COPYING = "«%s» ещё копируется; жду"
"""Logged once a file: when a workbook found unchanged but not yet whole changes again."""
WHOLE = "«%s» скопирован целиком; читаю"
"""Logged once the workbook the log said was still being copied is whole."""


@dataclass
class _Seen:
    state: tuple[int, int]
    """Size and modification time."""
    since: float
    """Monotonic time since which the file has had ``state``."""
    not_zip: bool = False
    """Found stable and not a whole zip in ``state``: the damaged wait is running."""
    told: bool = False
    """The log said it is still being copied (once a file, not at every change)."""


def file_state(path: Path) -> tuple[int, int] | None:
    """Size and modification time of ``path`` itself (a link as the link), None if gone."""
    try:
        stat = path.lstat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


def replaced_name(name: str) -> str:
    """The name a file has in the log while it is waited for."""
    return readable_name(name)


class Settling:
    """The waits of one inbox; ``stop`` ends them, ``tick`` is called while waiting (the
    watcher's heartbeat), ``known_whole(path)`` says what the watcher's events know."""

    def __init__(
        self,
        settings: Settings,
        stop: threading.Event,
        tick: Callable[[bool], None],
        known_whole: Callable[[Path], bool] | None,
    ) -> None:
        self.settings = settings
        self.stop = stop
        self.tick = tick
        self.known_whole = known_whole
        self._seen: dict[Path, _Seen] = {}

    def _settle_for(self, size: int) -> float:
        return self.settings.settle_seconds if size else max(1.0, self.settings.settle_seconds)

    @staticmethod
    def _workbook(path: Path) -> bool:
        return path.suffix.lower() in WORKBOOK_SUFFIXES

    def arrived_whole(self, path: Path) -> bool:
        """True when the watcher's last event of the workbook ``path`` says it is whole (renamed
        in, or closed after writing, and unchanged since) and it is a whole zip: no need to
        wait for it to stop changing. A file found by the rescan, seen by the polling observer
        or still being written has no such mark."""
        return (
            self.known_whole is not None
            and self._workbook(path)
            and self.known_whole(path)
            and zipfile.is_zipfile(path)
        )

    # --- one file, waited for here ----------------------------------------------------------
    def wait_until_stable(self, path: Path, timeout: float = 120.0) -> bool:
        """True once ``path`` has kept its size and time for ``settle_seconds``."""
        deadline = time.monotonic() + timeout
        previous = None
        since = time.monotonic()
        while time.monotonic() < deadline and not self.stop.is_set():
            self.tick(False)
            current = file_state(path)
            if current is None:
                return False
            if current != previous:
                previous, since = current, time.monotonic()
            elif time.monotonic() - since >= self._settle_for(current[0]):
                return True
            time.sleep(min(self.settings.settle_seconds, 0.05))
        return False

    def settled(self, path: Path) -> bool:
        """Wait until ``path`` may be read: True once it is stable and, for a workbook, a whole
        zip — or still is not after one more wait without any change (then it is damaged, and
        the reader says so). A workbook that :meth:`arrived_whole` is not waited for."""
        if self.arrived_whole(path):
            return True
        told = False
        while self.wait_until_stable(path):
            if not self._workbook(path) or zipfile.is_zipfile(path):
                if told:
                    log.info(WHOLE, replaced_name(path.name))
                return True
            before = file_state(path)
            if self.stop.wait(self.settings.damaged_wait_seconds):
                return False
            if file_state(path) == before:
                return True
            if not told:
                log.info(COPYING, replaced_name(path.name))
            told = True
        return False

    # --- many files, looked at in turn -------------------------------------------------------
    def ready(self, path: Path) -> bool:
        """Whether ``path`` may be read now, without waiting: it has kept the size and time
        seen by earlier calls for ``settle_seconds`` (and, a workbook that is not a whole zip,
        for ``damaged_wait_seconds`` more). A link, a FIFO or a device is ready at once: it is
        never opened, only moved."""
        try:
            stat = path.lstat()
        except FileNotFoundError:
            self._seen.pop(path, None)
            return False
        if not S_ISREG(stat.st_mode) or self.arrived_whole(path):
            self._seen.pop(path, None)
            return True
        state, now = (stat.st_size, stat.st_mtime_ns), time.monotonic()
        seen = self._seen.get(path)
        if seen is None or seen.state != state:
            told = seen is not None and (seen.told or seen.not_zip)
            if told and not seen.told:
                log.info(COPYING, replaced_name(path.name))
            self._seen[path] = _Seen(state, now, told=told)
            return False
        waited = now - seen.since - self._settle_for(stat.st_size)
        if waited < 0:
            return False
        if not seen.not_zip:
            if not self._workbook(path) or zipfile.is_zipfile(path):
                del self._seen[path]
                if seen.told:
                    log.info(WHOLE, replaced_name(path.name))
                return True
            seen.not_zip = True
        if waited < self.settings.damaged_wait_seconds:
            return False
        del self._seen[path]
        return True

    def forget_others(self, waiting: Iterable[Path]) -> None:
        """Forget the files no longer in the inbox (taken out, moved, renamed)."""
        keep = set(waiting)
        for path in [p for p in self._seen if p not in keep]:
            del self._seen[path]
