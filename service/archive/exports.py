"""The exported archive kept for the inspector: ``nastavnik archive export`` without a folder
writes the year's bag (:mod:`service.archive.bag`) to ``var/exports/<year>/``, replacing the
one exported before, and the inspector downloads it from the archive page as one ZIP — the
bag's files as they are, under one folder, so unpacked it is the bag the CLI wrote (BagIt
validation, the CA's signature on its tag manifests, ``ПРОВЕРКА.txt``).

Exporting needs the CA password, which the inspector has not: the bag is made once by the one
who holds it, and only read here. The ZIP is written like the packs (:mod:`service.archive.
pack_files`: once per content, under ``var/packs/``, in chunks, reused for a resumed download)
and checked on the way: a file of the bag changed on disk since it was exported (its SHA-256
is not the manifest's) stops the ZIP, so a damaged bag is never handed out as the school's.

A year's bag is replaced under an exclusive lock (``flock``) and read under a shared one: a ZIP
being written never sees half of an old bag and half of a new one."""

from __future__ import annotations

import dataclasses
import json
import shutil
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from service.archive.bag import ExportResult
from service.archive.errors import ArchiveError
from service.archive.instructions import INSTRUCTIONS_NAME
from service.archive.inventory import INVENTORY_JSON
from service.archive.pack_files import copy_hashed, finished_pack, locked
from service.archive.packs import CHUNK, Pack, PackError
from service.documents.file_names import safe_file_name
from service.store import sha256_bytes, sha256_file

EXPORTS_DIR = "exports"
EXPORT_FORMAT = 1
"""Raised when the same bag would be zipped otherwise (member dates, compression, layout)."""
PACKED = (".txt", ".json", ".pem")
"""Members deflated; the rest (DOCX, PDF, XLSX, scans: compressed already) are stored."""


@dataclass(frozen=True)
class KeptExport:
    """A year's bag kept under ``var/exports/``."""

    year: str
    path: Path
    exported_at: datetime
    """When it was written into place (its signed tag manifest's time)."""
    files: int
    """Files of the payload (``data/``), from the bag's ``Payload-Oxum``."""
    size: int
    """Bytes of the payload."""

    def document_ids(self) -> set[int]:
        """The register's ids of the documents in it (its ``Опись.json``)."""
        path = self.path / "data" / INVENTORY_JSON
        try:
            listed = json.loads(path.read_text(encoding="utf-8"))["documents"]
            return {int(d["id"]) for d in listed}
        except (OSError, ValueError, KeyError, TypeError):
            return set()

    def instructions(self) -> str:
        """Its ``ПРОВЕРКА.txt``: what is in it and how to check it without this service."""
        path = self.path / INSTRUCTIONS_NAME
        return path.read_text(encoding="utf-8") if path.is_file() else ""


def exports_folder(var: Path) -> Path:
    """``var/exports``, made private (0700) when missing."""
    folder = var / EXPORTS_DIR
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def kept_exports(var: Path) -> list[KeptExport]:
    """The bags kept, newest school year first."""
    folder = var / EXPORTS_DIR
    if not folder.is_dir():
        return []
    kept = []
    for path in folder.iterdir():
        signed = path / "tagmanifest-sha256.txt.p7s"
        if path.name.startswith(".") or not signed.is_file():
            continue
        files, size = _oxum(path)
        when = datetime.fromtimestamp(signed.stat().st_mtime).replace(microsecond=0)
        kept.append(KeptExport(path.name, path, when, files, size))
    return sorted(kept, key=lambda k: k.year, reverse=True)


def keep_export(var: Path, export: Callable[[Path], ExportResult]) -> ExportResult:
    """Run ``export(folder)`` (:func:`service.archive.bag.export_bag` into a new folder) and
    put the bag it wrote in place of the year's kept one; returns its result, with the path
    the bag now has. The year is the one the bag names (``bag-info.txt``), the default one
    too."""
    from service.archive.unfinished import remove_stale  # it reads this module's folder name

    folder = exports_folder(var)
    remove_stale(var)  # what an export stopped midway left (kill -9, a power cut)
    new = folder / f".new-{uuid.uuid4().hex}"
    try:  # a failure after the bag's folder was made (the ledger's entry) leaves no folder
        result = export(new)
        year = _year_of(new)
        target = folder / year
        old = folder / f".old-{uuid.uuid4().hex}"
        with locked(folder / f".{year}.lock", shared=False):
            if target.exists():
                target.rename(old)
            new.rename(target)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return dataclasses.replace(result, path=target)


def export_pack(var: Path, year: str, school: str) -> Pack:
    """The ZIP of the year's kept bag (under ``var/packs/``, made once per content); the bag's
    files under one folder, each as the bag has it. :class:`PackError` when that year's bag was
    never exported, :class:`ArchiveError` when a file of it changed since."""
    kept = {k.year: k for k in kept_exports(var)}.get(year)
    if kept is None:
        raise PackError(
            f"Архив {year} учебного года для проверки не выгружен. Его выгружает администратор "
            f"командой «nastavnik archive export --year {year}» (нужен пароль "
            "удостоверяющего центра школы)."
        )
    name = safe_file_name(f"{school} — архив {year} (BagIt)")
    with locked(exports_folder(var) / f".{year}.lock", shared=True):
        digests = _digests(kept.path)
        members = sorted(digests)
        first = _bagging_date(kept.path)
        recipe = {
            "format": EXPORT_FORMAT,
            "folder": name,
            "date": first.isoformat(),
            "files": [[m, digests[m]] for m in members],
        }
        key = sha256_bytes(json.dumps(recipe, ensure_ascii=False, sort_keys=True).encode())
        when = (first.year, first.month, first.day, 0, 0, 0)
        path = finished_pack(
            var, key, lambda out: _write_zip(out, kept.path, name, members, digests, when)
        )
    return Pack(
        f"{name}.zip",
        path,
        key,
        datetime(*when),
        tuple(f"{name}/{m}" for m in members),
    )


def _digests(bag: Path) -> dict[str, str]:
    """Every file of the bag and the SHA-256 it must have: the manifests' for the payload and
    the tag files, the signatures of the tag manifests (signed by the CA, listed nowhere) as
    they are now. A file the manifests do not list is refused: BagIt validation would fail on
    the inspector's side."""
    listed: dict[str, str] = {}
    for manifest in ("manifest-sha256.txt", "tagmanifest-sha256.txt"):
        for line in (bag / manifest).read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition(" ")
            if name.strip():
                listed[name.strip()] = digest.lower()
    digests = {}
    for path in bag.rglob("*"):
        if not path.is_file():
            continue
        name = path.relative_to(bag).as_posix()
        if name in listed:
            digests[name] = listed[name]
        elif name.startswith("tagmanifest-"):
            digests[name] = sha256_file(path)
        else:
            raise ArchiveError(
                f"В выгруженном архиве лишний файл «{name}», которого нет в его описи "
                "(manifest): архив изменён после выгрузки. Выгрузите его снова."
            )
    missing = sorted(set(listed) - set(digests))
    if missing:
        raise ArchiveError(
            f"В выгруженном архиве нет файла «{missing[0]}»: архив изменён после выгрузки. "
            "Выгрузите его снова."
        )
    return digests


def _write_zip(
    out: BinaryIO,
    bag: Path,
    folder: str,
    members: list[str],
    digests: dict[str, str],
    when: tuple[int, ...],
) -> None:
    with zipfile.ZipFile(out, "w") as archive:
        for name in members:
            info = zipfile.ZipInfo(f"{folder}/{name}", when)
            info.external_attr = 0o644 << 16
            packed = name.endswith(PACKED)
            info.compress_type = zipfile.ZIP_DEFLATED if packed else zipfile.ZIP_STORED
            _copy_checked(archive, bag / name, info, digests[name], name)


def _copy_checked(
    archive: zipfile.ZipFile, path: Path, info: zipfile.ZipInfo, digest: str, name: str
) -> None:
    """``path`` into the ZIP in chunks, hashed on the way: not the manifest's SHA-256, the ZIP
    is not kept (:func:`service.archive.pack_files.finished_pack` removes it)."""
    if copy_hashed(archive, path, info, CHUNK) != digest:
        raise ArchiveError(
            f"Файл выгруженного архива «{name}» изменён после выгрузки (его SHA-256 не тот, "
            "что в описи пакета). Выгрузите архив снова."
        )


def _bag_info(bag: Path) -> dict[str, str]:
    info = {}
    path = bag / "bag-info.txt"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            label, _, value = line.partition(":")
            info[label.strip()] = value.strip()
    return info


def _year_of(bag: Path) -> str:
    description = _bag_info(bag).get("External-Description", "")
    year = description.rsplit(",", 1)[-1].replace("учебный год", "").strip()
    if not year or "/" in year or year.startswith("."):
        raise ArchiveError(f"В bag-info.txt выгруженного архива не назван учебный год: {bag}")
    return year


def _bagging_date(bag: Path) -> date:
    try:
        return date.fromisoformat(_bag_info(bag).get("Bagging-Date", ""))
    except ValueError:
        return date(1980, 1, 1)


def _oxum(bag: Path) -> tuple[int, int]:
    size, _, files = _bag_info(bag).get("Payload-Oxum", "0.0").partition(".")
    try:
        return int(files), int(size)
    except ValueError:
        return 0, 0
