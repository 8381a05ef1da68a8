"""Compiled templates kept between processes: a folder of the service account's own, shared
by every home of that account.

Compiling the 16 templates costs about 0.8 s of CPU, the same in every process: more than a
small school's whole batch. What compiling makes depends only on the template file's bytes and
on the program (Jinja, docxtpl, python-docx, lxml and the renderer's own code), not on the
home, so it is kept once per account — by default in ``$XDG_CACHE_HOME/nastavnik`` (else
``~/.cache/nastavnik``), or where the setting ``cache_dir`` says — and a new home starts warm.
:mod:`service.documents.fast_render` decides what is kept (plain data, and Jinja's own
bytecode through :class:`jinja2.FileSystemBytecodeCache`); this module only keeps files:

- private: folders 0700, files 0600, and a folder that is not the account's own or is open
  to others is not used at all (nothing is read from it or written to it); nor is one inside
  a folder that another account could rename it out of (every folder above it, links
  resolved, must be this account's or root's and not writable by others unless sticky, as
  OpenSSH asks of ``~/.ssh``): the bytecode read from it is run;
- written atomically (a temporary file in the same folder, then a rename), so a reader sees a
  whole file or none, and two processes writing the same entry at once is harmless;
- checked: every file starts with the SHA-256 of its content; a damaged or truncated file is
  ignored (the caller compiles again and writes it anew), never used.

This module imports only the standard library: :func:`configure` is called by every process
that opens a home (``initialise_home``), including commands that render nothing.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import stat
import time
from pathlib import Path

from service.store import atomic_write

log = logging.getLogger(__name__)

MAGIC = b"nastavnik-cache 1\n"
"""Every cache file begins with this line, then the 32-byte SHA-256 of what follows."""
_DIGEST = 32
STALE_DAYS = 30
"""A folder of another program version untouched this long is removed (:func:`prune`)."""

_root: Path | None = None
_checked: dict[Path, bool] = {}
"""Folders already checked by this process, and whether they can be used (a folder that cannot
is said once in the log, not for every template)."""


def configure(root: Path | None) -> None:
    """Keep compiled templates under ``root`` from now on (None: only in memory)."""
    global _root
    _root = root
    _checked.clear()


def configured() -> Path | None:
    """The folder :func:`configure` was given (None: nothing is kept between processes)."""
    return _root


def folder(*names: str) -> Path | None:
    """``root/names…``, made private if new; None when nothing is configured or the folder
    cannot be used safely (not ours, open to others, not creatable)."""
    if _root is None:
        return None
    root = Path(os.path.realpath(_root))
    levels = [root, *(root.joinpath(*names[: i + 1]) for i in range(len(names)))]
    if levels[-1] in _checked:
        return levels[-1] if _checked[levels[-1]] else None
    _checked[levels[-1]] = False
    try:
        _check_above(root)
        for level in levels:  # each checked before anything is made in it
            level.mkdir(mode=0o700, parents=level == root, exist_ok=True)
            info = level.lstat()
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
                raise PermissionError(f"{level} — не папка этой учётной записи")
            if info.st_mode & 0o077:
                os.chmod(level, 0o700)
    except OSError as exc:
        log.warning("кэш шаблонов не используется: %s", exc)
        return None
    _checked[levels[-1]] = True
    return levels[-1]


def _check_above(root: Path) -> None:
    """Raise PermissionError unless every existing folder above ``root`` (a real path) is
    this account's or root's and closed to others' writes (or sticky, as ``/tmp``): else
    another account could put a folder of its own in the cache's place after the check."""
    for parent in reversed(root.parents):
        try:
            info = parent.lstat()
        except FileNotFoundError:
            continue  # made below by this account
        owner_ok = info.st_uid in (0, os.geteuid())
        if not owner_ok or (info.st_mode & 0o022 and not info.st_mode & stat.S_ISVTX):
            raise PermissionError(
                f"{parent} — папка другой учётной записи или открытая ей для записи"
            )


def prune(folder: Path, keep: str) -> int:
    """Remove the subfolders of ``folder`` (one per program version) other than ``keep`` that
    nothing has written to for :data:`STALE_DAYS` days — what an upgrade left; returns how
    many. A version still in use elsewhere only compiles its templates again."""
    removed = 0
    limit = time.time() - STALE_DAYS * 86400
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if entry.name == keep or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_mtime < limit:
                shutil.rmtree(entry.path)
                removed += 1
        except OSError as exc:
            log.warning("старый кэш шаблонов не удалён: %s", exc)
    return removed


def read(path: Path) -> bytes | None:
    """The content of the cache file ``path``, or None if it is missing, damaged or foreign."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    head = len(MAGIC) + _DIGEST
    if not data.startswith(MAGIC) or len(data) < head:
        return None
    payload = data[head:]
    if hashlib.sha256(payload).digest() != data[len(MAGIC) : head]:
        log.warning("файл кэша шаблонов повреждён и будет создан заново: %s", path)
        return None
    return payload


def write(path: Path, payload: bytes) -> None:
    """Write ``payload`` to the cache file ``path`` atomically, 0600, not flushed to the disk
    (a failure to write is only logged: the cache is an optimisation, and a file cut short
    by a crash fails its checksum and is made again)."""
    try:
        atomic_write(path, MAGIC + hashlib.sha256(payload).digest() + payload, durable=False)
    except OSError as exc:
        log.warning("кэш шаблонов не записан: %s", exc)
