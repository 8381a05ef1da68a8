"""The finished ZIP packs kept under ``var/packs/``: one file per content key, written once and
reused while it is asked for, so a download broken at 90 % resumes (Range with If-Range) on the
very same bytes, and a pack is never held whole in memory.

A pack is written under a temporary name (``.tmp-…``, mode 0600, as the rest of ``var/``) and
renamed into place when complete; a request for a key already being written waits for that
writer (a lock file per key, ``flock``: threads and processes alike) and then reuses its file.
Packs not asked for in :data:`KEEP_SECONDS`, and all but the :data:`KEEP_COUNT` most recently
asked for (the time of a pack's lock file, renewed on each request; the pack's own time stays
when it was written, its Last-Modified), are removed at each request for a pack; one removed while
still being sent is sent to the end (its open file), and asked for again it is written again —
the same bytes."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

PACKS_DIR = "packs"
KEEP_COUNT = 8
"""How many finished packs are kept (the most recently asked for)."""
KEEP_SECONDS = 24 * 3600
"""A pack not asked for in this long is removed (and so is a temporary file left this long)."""

log = logging.getLogger("nastavnik")


def copy_hashed(archive: zipfile.ZipFile, path: Path, info: zipfile.ZipInfo, chunk: int) -> str:
    """``path`` into ``archive`` as ``info``, ``chunk`` bytes at a time, hashed on the way;
    returns the SHA-256 of what was written (the caller compares it with the one it expects:
    a file changed on disk must not go out as the one on record)."""
    read = hashlib.sha256()
    with path.open("rb") as source:
        info.file_size = os.fstat(source.fileno()).st_size  # ZIP64 when large
        with archive.open(info, "w") as target:
            for piece in iter(lambda: source.read(chunk), b""):
                read.update(piece)
                target.write(piece)
    return read.hexdigest()


def packs_folder(var: Path) -> Path:
    """``var/packs``, made private (0700) when missing."""
    folder = var / PACKS_DIR
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def finished_pack(var: Path, key: str, write: Callable[[BinaryIO], None]) -> Path:
    """The file of the pack ``key``: the one kept, or a new one that ``write`` fills (then
    renamed into place). Old packs are cleaned up on every request, a pack reused too: a pack
    not asked for in a day was kept until a new one was made, however long that took. The
    file's time is when it was written; when it was last asked for is its lock file's."""
    folder = packs_folder(var)
    target = folder / f"{key}.zip"
    lock = folder / f".{key}.lock"
    with locked(lock):
        # asked for now, kept by the age rule; the pack's own time stays when it was written
        os.utime(lock)
        if not target.is_file():
            _write(folder, target, write)
    clean_packs(folder, keep=target)
    return target


def _write(folder: Path, target: Path, write: Callable[[BinaryIO], None]) -> None:
    """``target`` filled by ``write`` under a temporary name, fsynced, renamed into place."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".zip", dir=folder)
    try:
        with os.fdopen(fd, "w+b") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())  # never a pack cut short by a power failure, kept
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def locked(path: Path, *, shared: bool = False) -> Iterator[None]:
    """``flock`` on the file ``path`` (made 0600 when missing) while the block runs: exclusive,
    or ``shared`` with other shared holders."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def clean_packs(folder: Path, keep: Path | None = None, now: float | None = None) -> list[Path]:
    """Remove the packs not asked for in :data:`KEEP_SECONDS` and those past the
    :data:`KEEP_COUNT` most recent (never ``keep``), temporary files and locks left that long;
    returns what was removed."""
    now = time.time() if now is None else now
    times = {}
    for path in folder.iterdir():
        with contextlib.suppress(FileNotFoundError):  # removed by another cleaner meanwhile
            times[path.name] = path.stat().st_mtime
    packs, leftovers = [], []
    for name, changed in times.items():
        if name.endswith(".zip") and not name.startswith("."):
            used = max(changed, times.get(f".{name[:-4]}.lock", 0))
            packs.append((used, folder / name))
        elif name.startswith(".") and now - changed > KEEP_SECONDS:
            leftovers.append(folder / name)
    packs.sort(reverse=True)
    old = [p for n, (used, p) in enumerate(packs) if n >= KEEP_COUNT or now - used > KEEP_SECONDS]
    removed = []
    for path in old + leftovers:
        if path != keep:
            path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        log.info("удалены старые архивы ZIP из %s: %d", folder, len(removed))
    return removed
