"""Files stored once by SHA-256 under ``var/store/ab/abcdef…``; every write is atomic."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger("nastavnik.store")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename,
    so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class DamagedFile(OSError):
    """A stored file whose bytes no longer match the SHA-256 it is stored under: it was
    changed on disk after it was written. The message is Russian and may be shown as is."""

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
    """Content-addressed storage of generated files."""

    def __init__(self, root: Path):
        self.root = root

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        """Store ``data`` (once) and return its SHA-256."""
        digest = sha256_bytes(data)
        path = self.path_for(digest)
        if not path.exists():
            atomic_write(path, data)
        return digest

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
