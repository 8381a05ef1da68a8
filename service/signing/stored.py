"""The files of the register's documents on disk: each current document's file, its
signatures' and its scans' in ``var/store``, checked against the SHA-256 they are stored under
(changed) and for being there at all (deleted). ``nastavnik ledger verify`` reads every file
again; the inspector's page, which checks at every visit, re-hashes only a file whose
status on disk (inode, size, modification and change times) moved since it last hashed it in
this process: rewriting a file, replacing it or touching it back to its old time all move its
change time, which nobody but the kernel sets."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from stat import S_ISREG

from sqlalchemy.orm import Session

from service.register.labels import DocumentStatus
from service.register.queries import document_files
from service.signing.signatory import role_label
from service.store import FileStore, sha256_file

_HASHED: dict[Path, tuple[tuple[int, int, int, int, int], str]] = {}
"""Path → (its status on disk when hashed, its SHA-256), for :func:`store_problems` with
``remembered``; kept for the life of the process (one entry per stored file)."""
_LOCK = threading.Lock()


def store_problems(
    session: Session, store: FileStore, *, remembered: bool = False
) -> tuple[list[str], list[str]]:
    """Russian lines naming the files changed on disk (:func:`changed_files`) and the files
    missing (:func:`missing_files`), from one reading of the register. ``remembered``: a file
    hashed before by this process and unchanged on disk since is not read again."""
    changed, missing = [], []
    for line, path, digest, needed in _stored_files(session, store):
        status = _status(path)
        if status is None:
            if needed:
                missing.append(f"{line} — файла нет в хранилище")
        elif _digest(path, status, remembered) != digest:
            changed.append(line)
    return changed, missing


def changed_files(session: Session, store: FileStore) -> list[str]:
    """Russian lines, one per file of a current document or of its signature or scan whose
    bytes no longer match the SHA-256 it is stored under. Each read refuses such a file, but
    one nobody downloads was found by nothing: the ledger check said «Журнал цел» over a
    signed document changed on disk."""
    return store_problems(session, store)[0]


def missing_files(session: Session, store: FileStore) -> list[str]:
    """Russian lines, one per file missing from the store that a signed document needs: its own
    file and each of its signatures' and scans' (the check passed over a deleted one).

    A document nobody signed yet is not named: its file is made again from the register at
    its first electronic signature (the order's number or the approval date is put in), and a
    home may lack it — the release 0.1 home of ``tests/fixtures/release-0.1`` keeps only the
    files its signatures, scans and checkpoints need. Nor is an archived one: its proof is the
    archive's own copy, which ``nastavnik archive verify`` checks."""
    return store_problems(session, store)[1]


def _stored_files(session: Session, store: FileStore) -> list[tuple[str, Path, str, bool]]:
    """(Russian line naming the file, its path in the store, its SHA-256, whether a missing
    one is a problem) for each file of a current document, of its signatures and of its
    scans; a missing file is a problem for the documents signed (or scanned) at least once
    and not archived."""
    found = []
    for document in document_files(session):
        needed = bool(document.signatures) and document.status != DocumentStatus.ARCHIVED
        files = [(document.sha256, "")] + [
            (sha, f", {'скан' if method != 'cms' else 'подпись'} ({role_label(role)})")
            for sha, method, role in document.signatures
        ]
        for digest, what in files:
            if digest:
                line = f"документ № {document.id} «{document.file_name}»{what}: {digest[:12]}…"
                found.append((line, store.path_for(digest), digest, needed))
    return found


def _status(path: Path) -> tuple[int, int, int, int, int] | None:
    try:
        stat = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    if not S_ISREG(stat.st_mode):  # not a file (as Path.is_file() tells)
        return None
    return (stat.st_ino, stat.st_dev, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)


def _digest(path: Path, status: tuple[int, int, int, int, int], remembered: bool) -> str:
    if remembered:
        with _LOCK:
            known = _HASHED.get(path)
        if known is not None and known[0] == status:
            return known[1]
    digest = sha256_file(path)
    with _LOCK:
        _HASHED[path] = (status, digest)
    return digest
