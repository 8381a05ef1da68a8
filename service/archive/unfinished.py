"""Exports left unfinished in ``var/exports``: a year's bag is written into a folder of its own
(``..new-<id>.tmp``, then ``.new-<id>``) and put in place only once whole
(:func:`~service.archive.exports.keep_export`); an export stopped midway — the service
restarted from the administrator's page, ``kill -9``, a power cut — leaves that folder with
every document it had copied so far. No page lists it and nothing removed it: a destruction act
then left its copies of the destroyed documents on disk (attack22: a consent to the processing
of personal data, its scan and its PDF copy, twice, after «Акт № 1/32» said it was destroyed),
and ``nastavnik archive verify`` answered «Архив цел»."""

from __future__ import annotations

import shutil
import time
from collections.abc import Mapping
from pathlib import Path

from service.archive.exports import EXPORTS_DIR
from service.store import sha256_file

STALE_SECONDS = 24 * 3600
"""An unfinished export untouched so long was stopped (a large year exports in minutes)."""


def unfinished_exports(var: Path) -> list[Path]:
    """The folders under ``var/exports`` that are not a year's kept bag: an export's own
    (``..new-…``, ``.new-…``) or a bag being replaced (``.old-…``), real folders only."""
    folder = var / EXPORTS_DIR
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.name.startswith(".") and path.is_dir() and not path.is_symlink()
    )


def destroyed_in(folder: Path, doomed: Mapping[str, int]) -> int | None:
    """The id of a destroyed document (``doomed``: SHA-256 → document) one of whose files
    ``folder`` holds, or None."""
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        try:
            digest = sha256_file(path)
        except OSError:  # gone meanwhile (the export finished and moved it)
            continue
        if digest in doomed:
            return doomed[digest]
    return None


def remove_unfinished(var: Path, doomed: Mapping[str, int]) -> list[str]:
    """Remove every unfinished export holding a destroyed document's file; their names. An
    export running now loses its folder and fails (the administrator exports again, without
    the destroyed documents): what it had copied is gone with it."""
    removed = []
    for folder in unfinished_exports(var):
        if destroyed_in(folder, doomed) is not None:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed


def remove_stale(var: Path, now: float | None = None) -> list[str]:
    """Remove the unfinished exports untouched for :data:`STALE_SECONDS` (each a copy of a
    year's documents, personal data included, that no page lists and nothing else removes);
    their names. Run by each export before it writes its own."""
    now = time.time() if now is None else now
    removed = []
    for folder in unfinished_exports(var):
        try:
            changed = folder.stat().st_mtime
        except FileNotFoundError:  # finished (or removed) meanwhile
            continue
        if now - changed > STALE_SECONDS:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder.name)
    return removed
