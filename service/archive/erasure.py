"""Removing every copy the service keeps of the documents a destruction act destroyed — after
the act is signed and recorded (:mod:`service.archive.destruction`), never before.

A destroyed document's files are: its DOCX and its unsigned draft (the bytes before signing
wrote the order's number or the approval date in), its ``.p7s`` signatures and scans — all in the
working store ``var/store`` — and its archived copies in ``var/archive`` (DOCX, signatures, scans,
the PDF/A copy, the ledger proof); and the same files of its earlier, superseded versions, never
archived (:func:`~service.register.destroyed.destroyed_files`). Files are content-addressed:
bytes that a document not destroyed also uses (the same scan attached to two consents) stay.
What stays besides: the act itself (DOCX and signature, in the archive), the ledger's entries
(hashes only).

Outside the stores:

- ``outbox/`` (the office's working copies made by the service): every file there whose bytes
  are a destroyed file's (its SHA-256 is one of them) is the service's copy and is removed,
  wherever the office moved it. A copy the office changed is no longer the service's: it is
  left, and the result names it (the office removes it itself).
- ``var/packs`` (the ZIP packs of the pages, a cache: the same content gives the same bytes):
  every finished pack is removed, each under its own lock (a pack being written is waited for);
  the next request makes it again without the destroyed documents.
- ``var/exports`` (the year's bag kept for the inspector): the bag is signed by the school CA,
  whose password destruction does not have, so a bag holding a destroyed document cannot be
  rebuilt here — it is removed, and the result says to export the year again.

Crash-safe: everything is found again from the register on each run, and removing a removed
file is nothing. The run ends with one ledger entry, ``destroyed_files_removed``, naming the acts
it completed; an act without one is incomplete, and ``nastavnik archive verify`` says so (as it
says when a destroyed file is still in a store) until ``nastavnik archive destroy --finish``
completes it."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from service.archive.exports import EXPORTS_DIR, kept_exports
from service.archive.pack_files import PACKS_DIR, locked
from service.archive.store import ArchiveStore
from service.archive.unfinished import destroyed_in, remove_unfinished, unfinished_exports
from service.config import Settings
from service.outbox import OutboxEntry, relist
from service.register.db import SessionFactory
from service.register.destroyed import (
    DestroyedFiles,
    acts_not_completed,
    contexts_kept,
    destroyed_files,
    empty_contexts,
    outbox_files,
    outbox_listings,
)
from service.register.events import append_event
from service.store import FileStore, sha256_file

FINISH = "nastavnik archive destroy --finish"


@dataclass
class Erasure:
    """What one run removed, and what it left."""

    store: int = 0
    """Files removed from ``var/store``."""
    archive: int = 0
    """Files removed from ``var/archive``."""
    outbox: list[str] = field(default_factory=list)
    """Copies removed from ``outbox/`` (paths under it)."""
    earlier: int = 0
    """Earlier (superseded) versions of the destroyed documents whose files were removed."""
    relisted: list[str] = field(default_factory=list)
    """Batch folders under ``outbox/`` whose ``manifest.json`` and ``Опись.xlsx`` listed a
    destroyed document: listed again without it."""
    packs: int = 0
    contexts: int = 0
    """Destroyed documents (and earlier versions) whose stored context — the text they printed,
    personal data included — the register emptied."""
    exports: list[str] = field(default_factory=list)
    """School years whose kept bag was removed."""
    unfinished: list[str] = field(default_factory=list)
    """Folders of exports stopped midway that held a destroyed document (under
    ``var/exports``: :mod:`service.archive.unfinished`)."""
    left: list[str] = field(default_factory=list)
    """Russian lines: copies in ``outbox/`` changed by the office, or that could not be
    removed, left in place."""

    def lines(self) -> list[str]:
        """The result in Russian, for the console."""
        lines = [
            f"Удалено файлов уничтоженных документов: из хранилища {self.store}, из архива "
            f"{self.archive}, копий из outbox/ {len(self.outbox)}, готовых архивов ZIP "
            f"{self.packs}."
        ]
        if self.earlier:
            lines.append(
                "Из них файлы ранних версий уничтоженных документов (заменённых новыми "
                f"версиями, с теми же персональными данными): версий {self.earlier}."
            )
        if self.contexts:
            lines.append(
                "Из реестра удалено содержимое уничтоженных документов (их текст с "
                f"персональными данными): документов и их версий {self.contexts}."
            )
        lines += [f"  удалён outbox/{path}" for path in self.outbox]
        lines += [
            f"  из описи outbox/{folder} (Опись.xlsx, manifest.json) вычеркнуты уничтоженные "
            "документы"
            for folder in self.relisted
        ]
        for year in self.exports:
            lines.append(
                f"Выгруженный для проверки архив {year} учебного года удалён: в нём были "
                "уничтоженные документы. Выгрузите его снова: nastavnik archive export "
                f"--year {year} (нужен пароль удостоверяющего центра)."
            )
        if self.unfinished:
            lines.append(
                "Удалены незаконченные выгрузки архива (прерванные на середине), в которых были "
                f"уничтоженные документы: {len(self.unfinished)}."
            )
        lines += self.left
        return lines


def erase_destroyed(sessions: SessionFactory, settings: Settings, actor: str) -> Erasure:
    """Remove every copy of every destroyed document's files (see the module), then record
    the acts completed. Safe to run again at any time: it finds nothing to do."""
    with sessions() as session:
        files = destroyed_files(session)
        listings = outbox_listings(session)
        pending = [a.id for a in acts_not_completed(session)]
    result = Erasure()
    if not files.acts:
        return result
    archive, store = ArchiveStore(settings.archive_dir), FileStore(settings.store_dir)
    versions: set[int] = set()
    for sha in sorted(files.doomed):
        removed = (archive.remove(sha), _unlink(store.path_for(sha)))
        result.archive += removed[0]
        result.store += removed[1]
        if any(removed) and sha in files.earlier:
            versions.add(files.earlier[sha])
    result.earlier = len(versions)
    with sessions() as session:
        result.contexts = empty_contexts(session, files)
    result.unfinished = remove_unfinished(settings.var, files.doomed)
    if not pending and not (result.archive or result.store or result.contexts or result.unfinished):
        return result
    _sweep_outbox(settings.outbox, files, outbox_files(listings), result)
    _relist_outbox(settings.outbox, files, listings, result)
    _remove_exports(settings.var, files, result)
    result.packs = _remove_packs(settings.var / PACKS_DIR)
    with sessions() as session:
        append_event(
            session,
            "destroyed_files_removed",
            actor=actor,
            details={
                "acts": pending,
                "store": result.store,
                "archive": result.archive,
                # counts, not paths: a copy's name carries a person's name, the ledger is
                # kept for ever (the console's result names them)
                "outbox": len(result.outbox),
                "relisted": len(result.relisted),
                "packs": result.packs,
                "contexts": result.contexts,
                "exports": result.exports,
                "left": len(result.left),
            },
        )
    return result


def leftovers(session: Session, settings: Settings) -> list[str]:
    """Russian lines, one per destroyed document's file still in a store and per act whose
    files were never all removed (a run stopped midway, or an act made before this release) —
    for ``nastavnik archive verify``."""
    files = destroyed_files(session)
    archive, store = ArchiveStore(settings.archive_dir), FileStore(settings.store_dir)
    found = []
    for sha, document_id in sorted(files.doomed.items(), key=lambda x: (x[1], x[0])):
        for where, kept in (("var/archive", archive), ("var/store", store)):
            if kept.path_for(sha).exists():
                found.append(
                    f"документ № {document_id} уничтожен по акту {files.acts[document_id]}, но "
                    f"его файл остался в {where}: {sha[:12]}…; завершите уничтожение: {FINISH}"
                )
    for folder in unfinished_exports(settings.var):
        if (document_id := destroyed_in(folder, files.doomed)) is not None:
            act = files.acts.get(document_id, "")
            found.append(
                f"документ № {document_id} уничтожен по акту {act}, но его "
                f"копия осталась в незаконченной выгрузке архива var/exports/{folder.name}; "
                f"завершите уничтожение: {FINISH}"
            )
    for document_id, kept in sorted(contexts_kept(session, files).items()):
        of = f"документ № {document_id}"
        if kept.destroyed_id != document_id:  # an earlier version, gone with the one destroyed
            of += f" (ранняя версия документа № {kept.destroyed_id})"
        act = files.acts.get(kept.destroyed_id, "")
        found.append(
            f"{of} уничтожен по акту {act}, но его содержимое (текст с персональными данными) "
            f"осталось в реестре; завершите уничтожение: {FINISH}"
        )
    for act in acts_not_completed(session):
        found.append(
            f"уничтожение по акту № {act.number} от {act.made_at:%d.%m.%Y} не завершено: копии "
            f"документов (outbox/, архивы ZIP, выгруженный архив) не проверены; {FINISH}"
        )
    return found


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _sweep_outbox(
    outbox: Path, files: DestroyedFiles, listed: list[tuple[str, str, str]], result: Erasure
) -> None:
    """Remove from ``outbox/`` every file whose bytes are a destroyed file's (never following
    a link); name each copy of a destroyed document the office changed since it was made."""
    if not outbox.is_dir():
        return
    for folder, _dirs, names in os.walk(outbox):
        for name in names:
            path = Path(folder) / name
            try:  # gone meanwhile, unreadable: left as it is
                digest = sha256_file(path) if stat.S_ISREG(path.lstat().st_mode) else ""
            except OSError:
                continue
            if digest not in files.doomed:
                continue
            where = path.relative_to(outbox).as_posix()
            try:
                path.unlink()
            except FileNotFoundError:
                continue
            except OSError as exc:  # never left unsaid: the act says the document is gone
                document_id = files.doomed[digest]
                result.left.append(
                    f"Не удалена копия outbox/{where} документа № {document_id}, уничтоженного "
                    f"по акту {files.acts[document_id]}: {exc.strerror}. Удалите её сами."
                )
                continue
            result.outbox.append(where)
    for folder, name, sha in listed:
        document_id = files.outbox_copies.get(sha)
        path = outbox / folder / name
        if document_id is None or not name or path.is_symlink() or not path.is_file():
            continue
        with contextlib.suppress(OSError):
            if sha256_file(path) != sha:
                result.left.append(
                    f"Оставлена копия outbox/{folder}/{name}: это копия документа "
                    f"№ {document_id}, уничтоженного по акту {files.acts[document_id]}, но её "
                    "изменили после того, как служба её сделала (SHA-256 другой), и служба её "
                    "не удаляет. Если в ней персональные данные, удалите её сами."
                )


def _relist_outbox(
    outbox: Path, files: DestroyedFiles, listings: list[tuple[str, dict]], result: Erasure
) -> None:
    """Strike the destroyed documents out of each batch folder's ``manifest.json`` and
    ``Опись.xlsx`` (their rows name the person and the document, and list a file no longer
    there); a manifest the office changed is left and named."""
    for folder, manifest in listings:
        entries = [
            OutboxEntry(**{**e, "signers": tuple(e.get("signers", ()))})
            for e in manifest.get("entries", [])
        ]
        kept = [e for e in entries if e.sha256 not in files.outbox_copies]
        if len(kept) == len(entries):
            continue
        try:
            done = relist(outbox / folder, entries, manifest.get("heading", ""), kept)
        except OSError as exc:
            done, reason = "failed", exc.strerror
        if done == "relisted":
            result.relisted.append(folder)
        elif done:
            result.left.append(
                f"В описи outbox/{folder} (Опись.xlsx, manifest.json) остались строки "
                "документов, уничтоженных по акту: "
                + (
                    f"не удалось её переписать ({reason})"
                    if done == "failed"
                    else "её изменили после того, как служба её сделала"
                )
                + ". Вычеркните их сами."
            )


def _remove_exports(var: Path, files: DestroyedFiles, result: Erasure) -> None:
    """Remove each kept year's bag that holds a destroyed document (by its inventory) or a
    destroyed file (by its manifest), under the year's lock; a bag left half-removed by an
    earlier run (``.old-…``) too."""
    folder = var / EXPORTS_DIR
    if not folder.is_dir():
        return
    for kept in kept_exports(var):
        if not (kept.document_ids() & set(files.acts) or _listed(kept.path) & set(files.doomed)):
            continue
        old = folder / f".old-{uuid.uuid4().hex}"
        with locked(folder / f".{kept.year}.lock", shared=False):
            kept.path.rename(old)
        result.exports.append(kept.year)
    for path in folder.glob(".old-*"):
        shutil.rmtree(path, ignore_errors=True)


def _listed(bag: Path) -> set[str]:
    """The SHA-256s a bag's payload manifest lists."""
    try:
        text = (bag / "manifest-sha256.txt").read_text(encoding="utf-8")
    except OSError:
        return set()
    return {line.split(" ", 1)[0].lower() for line in text.splitlines() if line.strip()}


def _remove_packs(folder: Path) -> int:
    """Remove every finished pack, each under its key's lock; how many."""
    if not folder.is_dir():
        return 0
    removed = 0
    for path in sorted(folder.glob("*.zip")):
        if path.name.startswith("."):
            continue
        with locked(folder / f".{path.stem}.lock"):
            removed += _unlink(path)
    return removed
