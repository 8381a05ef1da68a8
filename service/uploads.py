"""A workbook uploaded on the web page (or through the API) takes the folder's path: it is
checked to be an Excel workbook, put aside under ``var/uploads/``, then handed to the inbox
policy the folder uses (:meth:`service.inbox.Inbox.handle`) — processed by
:func:`process_workbook` and moved to ``inbox/processed/`` or ``inbox/failed/`` (with its error
report). The upload does not go through the watcher: that is only the folder's wake-up."""

from __future__ import annotations

import contextlib
import io
import secrets
import tempfile
from datetime import datetime
from pathlib import Path

from service.config import Settings
from service.documents.file_names import safe_file_name
from service.dryrun import DryRun, dry_run
from service.errors import BadInput
from service.inbox import WORKBOOK_SUFFIXES, Inbox
from service.intake.file_kind import PASSWORD_PROTECTED, is_password_protected, wrong_file
from service.intake.guard import Limits, WorkbookRefused, check_archive
from service.pipeline import ProcessResult
from service.scans import is_scan
from service.store import atomic_write, sha256_bytes

ZIP_MAGIC = b"PK\x03\x04"


class UploadError(BadInput):
    """The uploaded file is not acceptable; the Russian message may be shown as is."""


def clean_name(filename: str, default: str) -> str:
    """The last component of a browser-supplied name, safe for any file system."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    stem, suffix = Path(name).stem, Path(name).suffix[:10]
    if not stem.strip(" ."):
        return default
    return safe_file_name(stem, 110) + suffix.lower()


def check_workbook(filename: str, data: bytes) -> str:
    """The workbook's clean file name; :class:`UploadError` when it is not an xlsx."""
    name = clean_name(filename, "книга.xlsx")
    if not data:
        raise UploadError("Файл пуст: выберите заполненную книгу Excel (.xlsx).")
    if (refusal := wrong_file(name)) is not None:
        raise UploadError(refusal)
    if is_password_protected(data):  # saved again in Excel, it would keep its password
        raise UploadError(
            f"Файл «{name}» не принят: он {PASSWORD_PROTECTED} и загрузите файл снова."
        )
    if Path(name).suffix.lower() not in WORKBOOK_SUFFIXES or not data.startswith(ZIP_MAGIC):
        raise UploadError(
            f"Файл «{name}» не принят: это не книга Excel (.xlsx). Откройте его в Excel или "
            "LibreOffice, сохраните как «Книга Excel (*.xlsx)» и загрузите снова."
        )
    return name


def check_scan(filename: str, data: bytes) -> str:
    """A scan must be a PDF, JPEG, PNG or TIFF; returns its clean name."""
    name = clean_name(filename, "скан.pdf")
    if not data:
        raise UploadError("Файл скана пуст.")
    if not is_scan(data):
        raise UploadError(
            f"Файл «{name}» не принят: скан должен быть в формате PDF, JPEG, PNG или TIFF."
        )
    return name


def check_upload(settings: Settings, filename: str, data: bytes) -> str:
    """The uploaded workbook's clean name; :class:`UploadError` when it is not an xlsx or is
    past the size limits (:mod:`service.intake.guard`): refused at once, not queued."""
    name = check_workbook(filename, data)
    try:
        check_archive(io.BytesIO(data), Limits.of(settings))
    except WorkbookRefused as refused:
        raise UploadError(f"Файл «{name}» не принят. {refused}") from refused
    return name


def stage_upload(settings: Settings, filename: str, data: bytes) -> tuple[Path, str]:
    """Check and put aside an uploaded workbook; returns its path and SHA-256."""
    name = check_upload(settings, filename, data)
    folder = settings.var / "uploads" / f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"
    path = folder / name
    atomic_write(path, data)
    return path, sha256_bytes(data)


def dry_run_upload(settings: Settings, filename: str, data: bytes) -> DryRun:
    """What an uploaded workbook would change (:func:`~service.dryrun.dry_run`); the file is
    checked like an upload, read from a temporary folder outside the home and not kept."""
    name = check_upload(settings, filename, data)
    with tempfile.TemporaryDirectory(prefix="nastavnik-check-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return dry_run(settings, path)


def process_upload(settings: Settings, path: Path) -> ProcessResult | None:
    """Process a staged workbook exactly as a file dropped into ``inbox/``."""
    try:
        return Inbox(settings).handle(path)
    finally:
        with contextlib.suppress(OSError):
            path.parent.rmdir()
