"""Files stored once by SHA-256 under ``var/store/ab/abcdef…``; every write is atomic.

A single write is made durable (fsync) at once. A batch writes its files *grouped*
(``FileStore(root, grouped=True)``): without a flush per file, then all of them made durable
together by :meth:`FileStore.sync` before the register records them — one ``syncfs`` of the
store's file system instead of an fsync per document."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import threading
from collections.abc import Callable
from pathlib import Path

from service.errors import Conflict

log = logging.getLogger("nastavnik.store")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def atomic_write(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename,
    so a reader never sees half a file; ``durable``: flushed to the disk before the rename
    (otherwise the caller makes it durable later, see :meth:`FileStore.sync`)."""
    _write_beside(str(path.parent), str(path), path.suffix, data, durable)


def _write_beside(folder: str, path: str, suffix: str, data: bytes, durable: bool) -> None:
    """:func:`atomic_write` of ``data`` to ``path`` in ``folder``, the paths as text: the
    store writes every document of a batch here, and pathlib's objects and a buffered file
    cost it a quarter of a write's time."""
    fd, tmp = _temporary_beside(folder, suffix)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_TEMPORARY = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def _temporary_beside(folder: str, suffix: str) -> tuple[int, str]:
    """A new, empty file (mode 0600, as ``mkstemp`` makes it) in ``folder`` under a random
    hidden name ending in ``suffix``, the folder made when missing (once, not asked for
    before every write). A random name and one ``open`` are what ``tempfile.mkstemp`` does;
    without its argument checks and name generator (a store write of a batch's document
    spent a fifth of its Python time there)."""
    while True:
        tmp = f"{folder}/.tmp-{secrets.token_hex(6)}{suffix}"
        try:
            return os.open(tmp, _TEMPORARY, 0o600), tmp
        except FileNotFoundError:
            os.makedirs(folder, exist_ok=True)
        except FileExistsError:
            continue


class DamagedFile(Conflict, OSError):
    """A stored file whose bytes no longer match the SHA-256 it is stored under: it was
    changed on disk after it was written. The message is Russian and may be shown as is (409);
    still an ``OSError`` for code that reads files and expects one."""

    def __init__(self, sha256: str):
        self.sha256 = sha256
        super().__init__(
            f"Файл хранилища {sha256[:12]}… изменён на диске после записи (его SHA-256 не "
            "совпадает с записанным в реестре), поэтому он не выдаётся. Сообщите "
            "администратору: файл нужно восстановить из резервной копии."
        )

    def __str__(self) -> str:
        return str(self.args[0])


class FileStore:
    """Content-addressed storage of generated files.

    ``grouped``: writes are not flushed one by one; :meth:`sync` flushes them all (a batch
    calls it once, before its register transaction commits, so the register never names a
    file that a power cut could take back)."""

    def __init__(self, root: Path, *, grouped: bool = False):
        self.root = root
        self._root = str(root)
        self.grouped = grouped
        self._unsynced: set[str] = set()
        self._syncing: _InBackground | None = None

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store ``data`` (once) and return its SHA-256."""
        digest = sha256_bytes(data)
        folder = f"{self._root}/{digest[:2]}"
        path = f"{folder}/{digest}"  # a digest of our own: no need to check it
        try:  # a file cut short by a power failure before its sync is written again
            whole = os.stat(path).st_size == len(data)
        except FileNotFoundError:
            whole = False
        if not whole:
            _write_beside(folder, path, "", data, durable=not self.grouped)
        if self.grouped:
            self._unsynced.add(path)
        return digest

    def start_sync(self) -> None:
        """Begin making the grouped writes so far durable in a thread of this process (the
        kernel's flush waits for the disk, not for Python): the batch writes its rows meanwhile,
        and :meth:`sync` waits for it before the commit."""
        if not self._unsynced or self._syncing is not None:
            return
        paths, self._unsynced = self._unsynced, set()
        self._syncing = _InBackground(lambda: self._flush(paths))

    def sync(self) -> None:
        """Make every grouped write durable, files and folder entries: one ``syncfs`` of the
        store's file system (Linux), or else an fsync of each file and folder; first waits for
        the flush :meth:`start_sync` began (raising its error)."""
        syncing, self._syncing = self._syncing, None
        if syncing is not None:
            syncing.wait()
        if not self._unsynced:
            return
        self._flush(self._unsynced)
        self._unsynced.clear()

    def _flush(self, paths: set[str]) -> None:
        if not _syncfs(self.root):
            folders = {self.root}
            for path in paths:
                _fsync_path(Path(path))
                folders.add(Path(path).parent)
            for folder in folders:
                _fsync_path(folder)

    def get(self, sha256: str) -> bytes:
        """The stored bytes, re-hashed on every read: a file changed on disk raises
        :class:`DamagedFile` (and is logged) instead of being served beside its genuine
        signature."""
        path = self.path_for(sha256)
        data = path.read_bytes()
        if sha256_bytes(data) != sha256:
            log.error("файл хранилища изменён на диске: %s", path)
            raise DamagedFile(sha256)
        return data

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def get_if_intact(self, sha256: str | None) -> bytes:
        """The stored bytes, or nothing (``b""``) when the file is missing or was changed on
        disk — for a checker whose verdict then says the signature cannot be read."""
        try:
            return self.get(sha256) if sha256 and self.has(sha256) else b""
        except DamagedFile:
            return b""


class _InBackground:
    """``action`` run in a thread now; :meth:`wait` waits for it and raises what it raised."""

    def __init__(self, action: Callable[[], None]):
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(action,), name="store-sync")
        self._thread.daemon = True
        self._thread.start()

    def _run(self, action: Callable[[], None]) -> None:
        try:
            action()
        except BaseException as exc:  # noqa: BLE001 - raised again by wait(), in the caller
            self._error = exc

    def wait(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _syncfs(folder: Path) -> bool:
    """Flush the whole file system holding ``folder`` with Linux's ``syncfs`` (the C library's
    call through ctypes: Python's ``os`` has only the system-wide ``sync`` and per-file
    ``fsync``, and no package wraps it); False where there is no such call."""
    import ctypes

    try:
        call = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        if call(fd) != 0:
            code = ctypes.get_errno()
            raise OSError(code, os.strerror(code), str(folder))
    finally:
        os.close(fd)
    return True
