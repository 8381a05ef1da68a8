"""Placing a file in a folder under a name nobody holds, never overwriting anything: how the
inbox moves a workbook to ``processed/`` or ``failed/`` with its note beside it
(:func:`place`), makes sure those folders are real folders (:func:`own_folder`) and names a
file a person can read (:func:`readable_name`: a name that is not UTF-8 — cp1251 bytes from an
SMB share — or holds control or direction characters). The file and its note appear whole and
at once, as hard links of finished files; where hard links are not possible, a name is
reserved first with O_EXCL (:func:`reserve_name`), so two movers never pick the same one.

:mod:`service.inbox` moves its files with it, :mod:`service.watcher` makes its folders at start
and :mod:`service.settling` names the files it waits for; what to do with a file — wait, check,
process — is the inbox's business, not this module's.
"""

from __future__ import annotations

import itertools
import logging
import os
import secrets
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from service.documents.file_names import BIDI_CONTROLS
from service.store import atomic_write

log = logging.getLogger("nastavnik.watcher")

NAME_BYTES = 200
"""Longest file name we create (bytes): file systems allow 255, and a note adds its suffix."""


def readable_name(name: str) -> str:
    """``name`` as a person can read it and every file system and note can hold it: bytes
    that are not UTF-8 are read as Windows-1251 (what Russian Windows writes), control
    characters and direction controls become «_» («книга\u202excsl.exe», shown by Explorer
    and in the note as «книгаexe.lscx», was moved to failed/ under that name)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes, kept by Python as lone surrogates
        raw = os.fsencode(name)
        try:
            name = raw.decode("cp1251")
        except UnicodeDecodeError:
            name = raw.decode("utf-8", "replace")
    name = BIDI_CONTROLS.sub("_", name)
    return "".join("_" if unicodedata.category(c) == "Cc" else c for c in name)


def fit_name(name: str, limit: int = NAME_BYTES) -> str:
    name = readable_name(name)
    stem, suffix = Path(name).stem, Path(name).suffix
    while len((stem + suffix).encode()) > limit and stem:
        stem = stem[:-1]
    return (stem.rstrip() or "книга") + suffix


def reserve_name(folder: Path, name: str) -> Path:
    """Create and return ``folder/name`` — or ``stem (2).ext``… when taken — atomically
    (O_EXCL), so two movers never pick the same name and nothing is overwritten."""
    for target in free_names(folder, name):
        try:
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            return target
        except FileExistsError:
            continue
    raise AssertionError("unreachable")  # free_names never ends


def free_names(folder: Path, name: str) -> Iterator[Path]:
    """``folder/name`` (its readable, fitted form), then ``stem (2).ext``, ``stem (3).ext``…"""
    name = fit_name(name)
    stem, suffix = Path(name).stem, Path(name).suffix
    yield folder / name
    for number in itertools.count(2):
        yield folder / f"{stem} ({number}){suffix}"


def move_into(path: Path, target: Path) -> None:
    """Move ``path`` (a link as the link itself) onto the reserved (empty) ``target``."""
    try:
        os.replace(path, target)
    except OSError:  # another file system: copy, then remove the original
        if path.is_symlink():  # a link is copied as a link, which needs the name free
            target.unlink()
        shutil.copy2(path, target, follow_symlinks=False)
        path.unlink()


def place(path: Path, folder: Path, note: tuple[str, bytes] | None = None) -> Path:
    """Move ``path`` (a link as the link itself) into ``folder`` under its readable name, or
    ``stem (2).ext``… when taken, with its note ``(suffix, text)`` beside it; returns the new
    path. Each appears whole and at once — the note first — as a hard link of a finished file,
    so whoever sees the moved file also finds its note, and nothing is ever overwritten.
    Where hard links are not possible, the name is reserved first (:func:`reserve_name`)."""
    staged = None
    if note is not None:
        staged = folder / f".note-{secrets.token_hex(6)}.tmp"
        try:
            atomic_write(staged, note[1])
        except OSError:  # the file must leave the inbox even if its note cannot
            log.exception("cannot write the note beside %s", readable_name(path.name))
            staged = None
    try:
        for target in free_names(folder, path.name):
            beside = target.with_name(target.name + note[0]) if staged and note else None
            try:
                _link_both(path, target, staged, beside)
            except FileExistsError:
                continue
            except OSError:  # no hard links on this file system
                target = reserve_name(folder, path.name)
                if staged and note:
                    os.replace(staged, target.with_name(target.name + note[0]))
                move_into(path, target)
                return target
            path.unlink()
            return target
        raise AssertionError("unreachable")  # free_names never ends
    finally:
        if staged is not None:
            staged.unlink(missing_ok=True)


def own_folder(folder: Path) -> Path:
    """``folder`` (``processed/`` or ``failed/`` inside the inbox) as a real folder. The inbox is
    a shared folder: a symbolic link put there under that name had the service write every
    file it moves, under names and with contents the sender chose, wherever the link points
    (its home's ``.ssh``, ``var/``…). Such a link, or a file of that name, is moved aside under a
    free name in the inbox — then taken as any link or file is — and a real folder is made."""
    if os.path.lexists(folder) and (folder.is_symlink() or not folder.is_dir()):
        aside = place(folder, folder.parent)
        log.warning(
            "«%s» в папке inbox — не папка (ссылка или файл); переименована в «%s»",
            folder.name,
            aside.name,
        )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _link_both(path: Path, target: Path, staged: Path | None, beside: Path | None) -> None:
    """Hard-link the note, then the file; neither, if either name is taken."""
    if staged is not None and beside is not None:
        os.link(staged, beside)
    try:
        os.link(path, target, follow_symlinks=False)
    except OSError:
        if beside is not None:
            beside.unlink()
        raise
