"""Archived files: stored once by SHA-256 under ``var/archive/ab/abcdef…`` and made read-only.

The register's working store (``var/store``) may be cleaned or rebuilt; the archive keeps its
own copy of every file that proves an archived document, and :meth:`ArchiveStore.check`
re-hashes one to find a changed or deleted file.
"""

from __future__ import annotations

import os
import stat
from enum import StrEnum

from service.store import FileStore, sha256_file

READ_ONLY = stat.S_IRUSR
"""Archived files: readable by the service's account only, writable by nobody."""


class FileState(StrEnum):
    """What re-hashing an archived file found."""

    INTACT = "intact"
    CHANGED = "changed"
    MISSING = "missing"


class ArchiveStore(FileStore):
    """Content-addressed, read-only storage of archived files."""

    def put(self, data: bytes) -> str:
        """Store ``data`` (once), make it read-only, return its SHA-256."""
        digest = super().put(data)
        path = self.path_for(digest)
        if path.stat().st_mode & 0o777 != READ_ONLY:
            os.chmod(path, READ_ONLY)
        return digest

    def check(self, sha256: str) -> FileState:
        """Re-hash the stored file: intact, changed or missing."""
        path = self.path_for(sha256)
        if not path.is_file():
            return FileState.MISSING
        return FileState.INTACT if sha256_file(path) == sha256 else FileState.CHANGED

    def remove(self, sha256: str) -> bool:
        """Delete one file — only ever called by a destruction act; True if it was there."""
        path = self.path_for(sha256)
        if not path.exists():
            return False
        os.chmod(path, stat.S_IWUSR | READ_ONLY)
        path.unlink()
        return True
