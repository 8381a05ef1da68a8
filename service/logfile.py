"""The service's log, ``var/nastavnik.log``, rotated by size and kept to a bounded number of
files: ``nastavnik.log`` and ``nastavnik.log.1`` … ``.N`` (the oldest last), the settings
``log_max_mb`` and ``log_files`` (docs/settings.md).

Several processes append to the one file at once — ``nastavnik serve``, ``nastavnik watch``, a
command run beside them. The standard library's :class:`~logging.handlers.RotatingFileHandler`
rotates by its own stream's position and keeps writing to the file it opened: a process that
did not rotate would go on writing into ``nastavnik.log.1`` and, past the limit itself, rotate
again the fresh file another process had just begun. Here each record first reopens the file
when another process has moved it (as :class:`~logging.handlers.WatchedFileHandler` does), the
size is the file's own, and a rotation is made under an exclusive lock on
``nastavnik.log.lock``, asking again inside the lock: whoever comes second finds a small new
file and only reopens it."""

from __future__ import annotations

import fcntl
import logging
import logging.handlers
import os
from pathlib import Path

MB = 1024 * 1024


class SharedRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A :class:`~logging.handlers.RotatingFileHandler` for a file that other processes
    write and rotate too (module docstring)."""

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        super().__init__(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
        self.lock_path = f"{self.baseFilename}.lock"

    def _reopen_if_moved(self) -> None:
        """Open the file now at the path when it is not the one this handler writes."""
        if self.stream is None:
            return
        try:
            now = os.stat(self.baseFilename)
        except FileNotFoundError:
            now = None
        mine = os.fstat(self.stream.fileno())
        if now is None or (now.st_dev, now.st_ino) != (mine.st_dev, mine.st_ino):
            self.stream.close()
            self.stream = self._open()

    def _too_big(self, record: logging.LogRecord) -> bool:
        """Whether ``record`` would take the file past the limit (a file with nothing in it
        takes any record)."""
        size = os.fstat(self.stream.fileno()).st_size
        return size > 0 and size + len(self.format(record).encode("utf-8")) + 1 > self.maxBytes

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self.stream is None:
                self.stream = self._open()
            self._reopen_if_moved()
            if self.maxBytes > 0 and self._too_big(record):
                with open(self.lock_path, "a") as lock:
                    fcntl.flock(lock, fcntl.LOCK_EX)  # released when closed
                    self._reopen_if_moved()  # another process may have rotated meanwhile
                    if self._too_big(record):
                        self.doRollover()
            logging.FileHandler.emit(self, record)
        except Exception:
            self.handleError(record)


def log_handler(path: Path, max_mb: int, files: int) -> logging.Handler:
    """The handler of the service's log file: at most ``max_mb`` MB a file, ``files`` files
    kept in all (the current one and ``files - 1`` older ones); at least 1 MB and 2 files."""
    return SharedRotatingFileHandler(path, max(1, max_mb) * MB, max(2, files) - 1)
