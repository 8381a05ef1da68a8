"""Document packs for the curator and the inspector: one ZIP with ``Опись.xlsx``, the
documents, a detached ``.p7s`` next to each electronically signed one, the scans of paper
signatures, ``ca.pem`` and ``ПРОВЕРКА.txt`` (the OpenSSL commands) — everything needed to check
the signatures with OpenSSL alone."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from sqlalchemy.orm import Session

from service.archive.instructions import INSTRUCTIONS_NAME, pack_instructions
from service.archive.section12 import section12_documents
from service.documents.catalogue import BY_ID, signing_roles
from service.documents.planning import safe_file_name
from service.errors import NotFound
from service.outbox import INVENTORY_NAME, OutboxEntry, inventory_xlsx, unique_names
from service.register.labels import DocumentStatus
from service.register.models import Batch, Document, Pair
from service.register.queries import (
    batch_documents,
    current_documents,
    pair_subject_keys,
    subject_versions,
)
from service.register.school import the_school
from service.register.succession import year_of
from service.scans import scan_suffix
from service.signing.authority import ca_cert_path
from service.store import FileStore

CA_NAME = "ca.pem"


class PackError(NotFound):
    """There is nothing to pack (unknown batch or pair, no documents); Russian message."""


@dataclass(frozen=True)
class Pack:
    file_name: str
    """Suggested name of the ZIP for the download."""
    data: bytes
    members: tuple[str, ...]
    """Names inside the ZIP, in order."""


def build_pack(
    store: FileStore, var: Path, documents: list[Document], heading: str, file_name: str
) -> Pack:
    """Write the ZIP of ``documents`` (with their signatures, scans, inventory, CA)."""
    if not documents:
        raise PackError("Документов для пакета нет.")
    entries = unique_names(
        [
            OutboxEntry(
                kind=d.kind,
                title=BY_ID[d.kind].title,
                subject=d.subject_label,
                file=d.file_name,
                sha256=d.sha256,
                version=d.version,
                signers=signing_roles(BY_ID[d.kind], json.loads(d.context) if d.context else None),
            )
            for d in documents
        ]
    )
    out = io.BytesIO()
    members: list[str] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(INVENTORY_NAME, inventory_xlsx(entries, heading))
        members.append(INVENTORY_NAME)
        for entry, document in zip(entries, documents, strict=True):
            archive.writestr(entry.file, store.get(document.sha256))
            members.append(entry.file)
            for name, data in _signature_files(store, entry.file, document):
                archive.writestr(name, data)
                members.append(name)
        ca = ca_cert_path(var)
        if ca.is_file():
            pem = ca.read_bytes()
            archive.writestr(CA_NAME, pem)
            text = pack_instructions(heading, datetime.now(), x509.load_pem_x509_certificate(pem))
            archive.writestr(INSTRUCTIONS_NAME, text)
            members += [CA_NAME, INSTRUCTIONS_NAME]
    return Pack(file_name, out.getvalue(), tuple(members))


def _signature_files(store: FileStore, file: str, document: Document) -> list[tuple[str, bytes]]:
    """``<file>.p7s`` for the one electronic signature (``<file>.<role>.p7s`` when there are
    several) and ``<stem> — скан.<ext>`` for each distinct scan."""
    electronic = [s for s in document.signatures if s.method == "cms" and store.has(s.sha256)]
    files = []
    for signature in electronic:
        suffix = f".{signature.role}.p7s" if len(electronic) > 1 else ".p7s"
        files.append((file + suffix, store.get(signature.sha256)))
    stem = file.rsplit(".", 1)[0]
    scans = []
    for signature in document.signatures:
        paper = signature.method == "paper" and store.has(signature.sha256)
        if paper and signature.sha256 not in scans:
            scans.append(signature.sha256)
    for number, digest in enumerate(scans, 1):
        data = store.get(digest)
        label = "скан" if len(scans) == 1 else f"скан {number}"
        files.append((f"{stem} — {label}{scan_suffix(data)}", data))
    return files


def _school(session: Session) -> str:
    org = the_school(session)
    return org.short_name if org else "школа"


def section12_pack(session: Session, store: FileStore, var: Path, year: str | None = None) -> Pack:
    """The eight documents of the section-12 archive set of ``year`` (default: the
    register's school year; those that exist)."""
    documents = section12_documents(session, year)
    school = _school(session)
    of_year = f", {year} учебный год" if year else ""
    return build_pack(
        store,
        var,
        documents,
        f"Опись документов — {school}, раздел 12 (архив наставничества){of_year}",
        safe_file_name(f"{school} — раздел 12{f' — {year}' if year else ''}") + ".zip",
    )


def batch_pack(session: Session, store: FileStore, var: Path, batch_id: int) -> Pack:
    """Everything a processed workbook made (orders signed since carry their numbers)."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise PackError(f"Пакет № {batch_id} не найден.")
    documents = batch_documents(session, batch)
    if not documents:
        raise PackError(f"В пакете № {batch_id} нет документов (книга не принята).")
    school = _school(session)
    return build_pack(
        store,
        var,
        documents,
        f"Опись документов — {school}, пакет № {batch.id} («{batch.source_name}»)",
        safe_file_name(f"{school} — пакет {batch.id}") + ".zip",
    )


def pair_pack(
    session: Session, store: FileStore, var: Path, pair_id: int, year: str | None = None
) -> Pack:
    """The current documents of a pair and of its participants; with ``year``, those of that
    school year instead (a pair continued under its code: last year's term's programme,
    report and consents, which this year's versions follow)."""
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise PackError(f"Пара № {pair_id} не найдена.")
    keys = pair_subject_keys(session, pair)
    if year is None:
        documents = current_documents(session, keys)
    else:
        documents = _of_year(subject_versions(session, keys), year)
    school = _school(session)
    of = f", {year} учебный год" if year else ""
    return build_pack(
        store,
        var,
        documents,
        f"Опись документов — {school}, наставническая пара {pair.code}{of}",
        safe_file_name(f"{school} — пара {pair.code}{f' — {year}' if year else ''}") + ".zip",
    )


def _of_year(versions: list[Document], year: str) -> list[Document]:
    """Of each document (kind and subject), the version that stands for ``year``: its latest
    signed or archived version made for that year, else its latest version of that year
    (``versions``: newest first)."""
    chosen: dict[tuple[str, str], Document] = {}
    for document in versions:
        if year_of(document) != year:
            continue
        key = (document.kind, document.subject_key)
        done = document.status in (DocumentStatus.SIGNED, DocumentStatus.ARCHIVED)
        held = chosen.get(key)
        if held is None or (
            done and held.status not in (DocumentStatus.SIGNED, DocumentStatus.ARCHIVED)
        ):
            chosen[key] = document
    return sorted(chosen.values(), key=lambda d: d.id)
