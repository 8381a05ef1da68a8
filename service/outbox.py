"""The readable copy of a batch for people: ``outbox/<batch>/`` with every document under a
Russian name, ``manifest.json`` for programs and ``Опись.xlsx`` for people.

The folder is assembled under a temporary name and renamed into place, so the secretary never
sees half a batch."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from service.documents.catalogue import SIGNER_NAMES
from service.documents.parallel import run_beside
from service.store import FileStore
from service.xlsx import append_text_row, dated_workbook

INVENTORY_NAME = "Опись.xlsx"
MANIFEST_NAME = "manifest.json"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutboxEntry:
    kind: str
    title: str
    subject: str
    file: str
    sha256: str
    version: int = 1
    signers: tuple[str, ...] = ()


class UniqueNames:
    """Gives every file a distinct name, entry by entry in their order («… (2).docx» for a
    repeat): a batch names each document as it is made."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def __call__(self, entry: OutboxEntry) -> OutboxEntry:
        key = entry.file.casefold()
        self._seen[key] = self._seen.get(key, 0) + 1
        if self._seen[key] > 1:
            stem, dot, ext = entry.file.rpartition(".")
            entry = OutboxEntry(**{**asdict(entry), "file": f"{stem} ({self._seen[key]}).{ext}"})
        return entry


def manifest_bytes(entries: list[OutboxEntry]) -> bytes:
    """A batch folder's ``manifest.json`` listing ``entries``."""
    manifest = [
        {
            "kind": e.kind,
            "title": e.title,
            "subject": e.subject,
            "file": e.file,
            "sha256": e.sha256,
            "version": e.version,
        }
        for e in entries
    ]
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def relist(folder: Path, entries: list[OutboxEntry], heading: str, kept: list[OutboxEntry]) -> str:
    """List only ``kept`` of a batch's ``entries`` in its folder's ``manifest.json`` and
    ``Опись.xlsx`` (documents destroyed by an act struck out), when its ``manifest.json`` is
    the service's — of ``entries`` or of some of them (struck out by an earlier act) — and
    neither file is a link. «relisted», «» (nothing to do: no folder or no manifest, or listing
    ``kept`` already) or «changed» (the office changed the manifest: left as it is)."""
    manifest, inventory = folder / MANIFEST_NAME, folder / INVENTORY_NAME
    try:
        if folder.is_symlink() or manifest.is_symlink() or inventory.is_symlink():
            return "changed"
        data = manifest.read_bytes()
        listed = {e.get("sha256") for e in json.loads(data) if isinstance(e, dict)}
    except (OSError, ValueError, TypeError, AttributeError):
        return "" if not manifest.exists() else "changed"
    if data != manifest_bytes([e for e in entries if e.sha256 in listed]):
        return "changed"
    now = [e for e in kept if e.sha256 in listed]
    if data == manifest_bytes(now):
        return ""
    for name, content in (
        (INVENTORY_NAME, inventory_xlsx(now, heading)),
        (MANIFEST_NAME, manifest_bytes(now)),  # last: a run stopped between does it again
    ):
        temporary = folder / f".{name}.new"
        temporary.unlink(missing_ok=True)
        temporary.write_bytes(content)
        os.replace(temporary, folder / name)
    return "relisted"


def unique_names(entries: list[OutboxEntry]) -> list[OutboxEntry]:
    """Give every file a distinct name («… (2).docx» for a repeat)."""
    names = UniqueNames()
    return [names(entry) for entry in entries]


def inventory_xlsx(
    entries: list[OutboxEntry],
    heading: str,
    as_of: datetime | None = None,
    destroyed: list[OutboxEntry] | None = None,
) -> bytes:
    """«Опись.xlsx»: one row per document, in the order of the catalogue; with ``as_of``, the
    workbook is dated then (its properties and its parts), not now: the same entries give the
    same bytes (:func:`service.xlsx.dated_workbook`, a pack's inventory). ``destroyed``: the
    documents destroyed by an act, after them, their «Файл» their state (a pack's)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Опись"
    append_text_row(sheet, [heading])
    sheet["A1"].font = Font(bold=True, size=12)
    header = ["№ п/п", "Документ", "О ком / о чём", "Версия", "Подписывает", "Файл", "SHA-256"]
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for number, e in enumerate([*entries, *(destroyed or [])], 1):
        append_text_row(
            sheet,
            [
                number,
                e.title,
                e.subject,
                e.version,
                ", ".join(SIGNER_NAMES.get(s, s) for s in e.signers),
                e.file,
                e.sha256,
            ],
        )
    for column, width in zip("ABCDEFG", (7, 48, 34, 8, 30, 60, 66), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A3"
    if as_of is not None:
        return dated_workbook(book, as_of)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class OutboxFolder:
    """``outbox/<name>`` assembled under a temporary name (:meth:`open`, :meth:`write` each
    document, :meth:`close`) and renamed into place only when complete.

    ``outbox/`` is shared with the office, which can put anything there — a symbolic link
    too — while a batch is written. Each file is made new in the folder this copy made, through
    that folder's descriptor, never through a link: a link named «Опись.xlsx» put into
    ``.tmp-…`` had the service write the inventory over whatever it pointed to (the register,
    the CA's key). A link left under the temporary folder's own name is removed, never
    followed, and a folder swapped for another while written is not renamed into place."""

    def __init__(self, outbox: Path, name: str):
        self.target = outbox / name
        self.tmp = outbox / f".tmp-{name}"
        self._fd: int | None = None

    def open(self) -> None:
        """Start the folder (a temporary one left by an interrupted attempt is made again)."""
        _remove(self.tmp)
        self.tmp.mkdir(parents=True)
        self._fd = os.open(self.tmp, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)

    def write(self, entry: OutboxEntry, data: bytes) -> None:
        self._write(entry.file, data)

    def _write(self, name: str, data: bytes) -> None:
        """A new file ``name`` in the folder :meth:`open` made; whatever is under that name
        already (a link put there) is removed first, never written through."""
        if self._fd is None:
            raise OSError(f"outbox folder {self.tmp} is not open")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            fd = os.open(name, flags, 0o666, dir_fd=self._fd)
        except FileExistsError:
            os.unlink(name, dir_fd=self._fd)
            fd = os.open(name, flags, 0o666, dir_fd=self._fd)
        try:  # the bytes as they are, without a buffered file object
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)

    def close(
        self, entries: list[OutboxEntry], heading: str, inventory: bytes | None = None
    ) -> Path:
        """Add ``manifest.json`` and the inventory of ``entries`` (``inventory``: its bytes,
        made already by :func:`inventory_xlsx`); rename into place."""
        self._write(MANIFEST_NAME, manifest_bytes(entries))
        if inventory is None:
            inventory = inventory_xlsx(entries, heading)
        self._write(INVENTORY_NAME, inventory)
        self._still_the_one_made()
        os.replace(self.tmp, self.target)
        self._close_fd()
        return self.target

    def _still_the_one_made(self) -> None:
        """The temporary name still names the folder :meth:`open` made (not a link or another
        folder put there meanwhile), else :class:`OSError`."""
        assert self._fd is not None
        made, now = os.fstat(self._fd), os.lstat(self.tmp)
        if not stat.S_ISDIR(now.st_mode) or (now.st_dev, now.st_ino) != (made.st_dev, made.st_ino):
            raise OSError(f"outbox folder {self.tmp} was replaced while it was written")

    def _close_fd(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def discard(self) -> None:
        self._close_fd()
        _remove(self.tmp)


def _remove(path: Path) -> None:
    """Remove ``path`` whatever it is — a folder with all it holds, a file, a link (the link
    itself: never what it points to); nothing when there is nothing."""
    try:
        if path.is_symlink() or not path.is_dir():
            path.unlink()
        else:
            shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except OSError:
        log.warning("outbox: %s not removed", path, exc_info=True)


def write_outbox(
    outbox: Path, folder: str, entries: list[OutboxEntry], store: FileStore, heading: str
) -> Path:
    """Assemble ``outbox/<folder>`` from the store, atomically; an existing folder is left
    as it is."""
    made = OutboxFolder(outbox, folder)
    if made.target.exists():
        return made.target
    made.open()
    try:
        for entry in entries:
            made.write(entry, store.get(entry.sha256))
        return made.close(entries, heading)
    except BaseException:
        made.discard()
        raise


class BatchCopy:
    """The outbox folder of a batch being made, each document written into it as soon as it
    is stored (its bytes still at hand, while the worker renders the next ones), closed just
    before the commit. A write that fails stops the copy, never the batch: the register is
    committed all the same (the folder is a copy, restored from the store when the workbook
    is dropped again) and :meth:`close` returns the error. A folder of this name is left from
    an attempt that died before its commit (the name carries the batch's number): it is made
    again."""

    def __init__(self, outbox: Path, name: str):
        self.name = name
        self.folder = OutboxFolder(outbox, name)
        self.error: OSError | None = None
        self._open = False
        self._placed = False
        self._inventory: Callable[[], bytes] | None = None

    def write(self, entry: OutboxEntry, data: bytes) -> None:
        if self.error is not None:
            return
        try:
            if not self._open:
                if self.folder.target.exists():
                    log.warning(
                        "outbox folder %s left by an interrupted attempt: made again", self.name
                    )
                    shutil.rmtree(self.folder.target)
                self.folder.open()
                self._open = True
            self.folder.write(entry, data)
        except OSError as exc:
            self._failed(exc)

    def prepare(self, entries: list[OutboxEntry], heading: str) -> None:
        """Begin making the inventory of ``entries`` (every document of the batch) beside this
        process (:func:`~service.documents.parallel.run_beside`); :meth:`close` takes it."""
        if self.error is None and self._open:
            self._inventory = run_beside(inventory_xlsx, entries, heading)

    def close(self, entries: list[OutboxEntry], heading: str) -> OSError | None:
        """Add the manifest and the inventory, rename into place; the error if it could not
        be written."""
        if self.error is None:
            try:
                inventory = self._inventory() if self._inventory is not None else None
                self.folder.close(entries, heading, inventory)
                self._placed = True
            except OSError as exc:
                self._failed(exc)
        return self.error

    def discard(self, placed_too: bool = False) -> None:
        """Remove the unfinished folder; ``placed_too``: also the finished one, if this copy
        renamed it into place or was never opened (left by an attempt that died: its batch
        was not committed after all)."""
        self.folder.discard()
        if placed_too and (self._placed or not self._open):
            shutil.rmtree(self.folder.target, ignore_errors=True)

    def _failed(self, exc: OSError) -> None:
        log.exception("outbox folder %s not written", self.name)
        self.error = exc
        self.discard()


def ensure_outbox(
    outbox: Path, store: FileStore, batch: Any, destroyed: frozenset[str] = frozenset()
) -> Path | None:
    """Rebuild a done batch's outbox folder (``batch.folder``) from the store, by its
    ``manifest``, if it went missing; the folder, or None for a batch that made none. Its
    documents destroyed by an act since (``destroyed``: the SHA-256s of their files) are left
    out: they are gone from the store by design."""
    if not batch.folder:
        return None
    target = outbox / batch.folder
    if target.exists():
        return target
    if not batch.manifest:
        return None
    entries = [
        OutboxEntry(**{**e, "signers": tuple(e["signers"])})
        for e in batch.manifest["entries"]
        if e["sha256"] not in destroyed
    ]
    return write_outbox(outbox, batch.folder, entries, store, batch.manifest["heading"])
