"""Document packs for the curator and the inspector: one ZIP with ``Опись.xlsx``, the
documents, a detached ``.p7s`` next to each electronically signed one, the scans of paper
signatures, ``ca.pem`` and ``ПРОВЕРКА.txt`` (the OpenSSL commands) — everything needed to check
the signatures with OpenSSL alone."""

from __future__ import annotations

import json
import logging
import sys
import zipfile
import zlib
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from cryptography import x509
from sqlalchemy.orm import Session

from service.archive.instructions import INSTRUCTIONS_NAME, pack_instructions
from service.archive.pack_files import copy_hashed, finished_pack
from service.archive.section12 import section12_documents
from service.documents import canonical
from service.documents.catalogue import BY_ID, signing_roles
from service.documents.file_names import safe_file_name
from service.errors import NotFound
from service.outbox import INVENTORY_NAME, OutboxEntry, inventory_xlsx, unique_names
from service.register.archive import destroying_acts
from service.register.destroyed import without_destroyed
from service.register.labels import DocumentStatus, destroyed_name
from service.register.models import Batch, BatchStatus, Document, Pair
from service.register.queries import (
    batch_documents,
    current_documents,
    pair_subject_keys,
    replaced_mentors,
    subject_versions,
)
from service.register.school import the_school
from service.register.succession import year_of
from service.register.terms import school_year, year_name
from service.scans import scan_suffix
from service.signing.authority import ca_cert_path
from service.store import DamagedFile, FileStore, sha256_bytes

CA_NAME = "ca.pem"
log = logging.getLogger("nastavnik.store")


class PackError(NotFound):
    """There is nothing to pack (unknown batch or pair, no documents); Russian message."""


@dataclass(frozen=True)
class Pack:
    file_name: str
    """Suggested name of the ZIP for the download."""
    path: Path
    """The finished ZIP under ``var/packs/`` (:mod:`service.archive.pack_files`)."""
    key: str
    """The content key: the same documents, signatures, scans, heading and CA give the same
    key and the same bytes (a strong ETag); any change gives another."""
    as_of: datetime
    """When the newest of its documents was made or signed: the date the pack carries."""
    members: tuple[str, ...]
    """Names inside the ZIP, in order."""


PACK_FORMAT = 2
"""Raised when the code changes what the same content is written as (member dates, order…):
a pack kept under ``var/packs/`` from before then has another key."""
CHUNK = 1 << 20
_WRITERS = {
    "python": sys.version.split()[0],
    "zlib": zlib.ZLIB_RUNTIME_VERSION,
    "openpyxl": metadata.version("openpyxl"),
}


@dataclass(frozen=True)
class _Plan:
    heading: str
    entries: list[OutboxEntry]
    files: list[tuple[str, str]]
    """(name in the ZIP, SHA-256 in the store) of the documents, signatures and scans."""
    as_of: datetime
    ca: bytes | None
    instructions: str | None
    destroyed: list[OutboxEntry] = field(default_factory=list)
    """The documents of the pack destroyed by an act: listed in its inventory, their
    ``file`` their state («уничтожен (акт № 1/28 от 01.01.2028)»), no file in the ZIP."""

    def members(self) -> tuple[str, ...]:
        tail = (CA_NAME, INSTRUCTIONS_NAME) if self.ca is not None else ()
        return (INVENTORY_NAME, *(name for name, _ in self.files), *tail)

    def key(self) -> str:
        recipe = {
            "format": PACK_FORMAT,
            "writers": _WRITERS,
            "heading": self.heading,
            "as_of": self.as_of.isoformat(),
            "entries": [asdict(e) for e in self.entries],
            "files": self.files,
            "ca": sha256_bytes(self.ca) if self.ca is not None else None,
            "instructions": self.instructions,
        }
        if self.destroyed:  # a pack without them keeps the key it had
            recipe["destroyed"] = [asdict(e) for e in self.destroyed]
        return sha256_bytes(json.dumps(recipe, ensure_ascii=False, sort_keys=True).encode())


def _entry(document: Document, file: str, subject: str | None = None) -> OutboxEntry:
    d = document
    return OutboxEntry(
        kind=d.kind,
        title=BY_ID[d.kind].title,
        subject=d.subject_label if subject is None else subject,
        file=file,
        sha256=d.sha256,
        version=d.version,
        signers=signing_roles(BY_ID[d.kind], json.loads(d.context) if d.context else None),
    )


def kept_and_destroyed(
    session: Session, documents: list[Document]
) -> tuple[list[Document], list[tuple[Document, str]]]:
    """Of a pack's ``documents``, those whose files it carries and, apart, those an act
    destroyed with the act («№ 1/28 от 01.01.2028»), for its inventory to list (left22: the
    section-12 pack left the destroyed order out without a word). The superseded earlier
    versions of a destroyed document are left out as before."""
    acts = destroying_acts(session, [d.id for d in documents])
    gone = [(d, acts[d.id]) for d in documents if d.id in acts]
    return without_destroyed(session, documents), gone


def build_pack(
    store: FileStore,
    var: Path,
    documents: list[Document],
    heading: str,
    file_name: str,
    destroyed: list[tuple[Document, str]] | None = None,
) -> Pack:
    """The ZIP of ``documents`` (with their signatures, scans, inventory, CA) as a file under
    ``var/packs/``: the one made before for the same content, or written now — member by
    member, each copied from the store in chunks (never the whole pack, nor a whole scan, in
    memory). Every member carries the date of the newest document or signature, so the same
    content always gives the same bytes. ``destroyed`` (documents and their acts) are listed in
    the inventory as «уничтожен (акт № … от …)», with no file."""
    if not documents:
        raise PackError("Документов для пакета нет.")
    entries = unique_names([_entry(d, d.file_name) for d in documents])
    # a destroyed person's document without the name: an act destroys personal data, and a
    # pack is a new file (the batch folder's listings drop them: outbox.relist)
    gone = [
        _entry(d, destroyed_name(act), "—" if d.subject_key.startswith("person:") else None)
        for d, act in destroyed or []
    ]
    files: list[tuple[str, str]] = []
    for entry, document in zip(entries, documents, strict=True):
        files += [(entry.file, document.sha256), *_signature_files(store, entry.file, document)]
    as_of = max(
        [d.created_at for d in documents] + [s.signed_at for d in documents for s in d.signatures]
    ).replace(microsecond=0)
    ca_file = ca_cert_path(var)
    ca = ca_file.read_bytes() if ca_file.is_file() else None
    instructions = None
    if ca is not None:
        instructions = pack_instructions(heading, as_of, x509.load_pem_x509_certificate(ca))
    plan = _Plan(heading, entries, files, as_of, ca, instructions, gone)
    key = plan.key()
    path = finished_pack(var, key, lambda out: _write_zip(out, store, plan))
    return Pack(file_name, path, key, as_of, plan.members())


def _write_zip(out: BinaryIO, store: FileStore, plan: _Plan) -> None:
    when = plan.as_of.timetuple()[:6]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        inventory = inventory_xlsx(plan.entries, plan.heading, plan.as_of, plan.destroyed)
        archive.writestr(_member(INVENTORY_NAME, when), inventory)
        for name, digest in plan.files:
            _copy_from_store(archive, store, _member(name, when), digest)
        if plan.ca is not None and plan.instructions is not None:
            archive.writestr(_member(CA_NAME, when), plan.ca)
            archive.writestr(_member(INSTRUCTIONS_NAME, when), plan.instructions)


def _member(name: str, when: tuple[int, ...]) -> zipfile.ZipInfo:
    """A deflated member dated ``when`` (what ``writestr`` of a name makes, but not now)."""
    info = zipfile.ZipInfo(name, when)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    return info


def _copy_from_store(
    archive: zipfile.ZipFile, store: FileStore, info: zipfile.ZipInfo, digest: str
) -> None:
    """The store's file ``digest`` into the ZIP in chunks, re-hashed on the way as
    :meth:`FileStore.get` does (a file changed on disk raises :class:`DamagedFile`)."""
    path = store.path_for(digest)
    if copy_hashed(archive, path, info, CHUNK) != digest:
        log.error("файл хранилища изменён на диске: %s", path)
        raise DamagedFile(digest)


def _signature_files(store: FileStore, file: str, document: Document) -> list[tuple[str, str]]:
    """``<file>.p7s`` for the one electronic signature (``<file>.<role>.p7s`` when there are
    several) and ``<stem> — скан.<ext>`` for each distinct scan: (name, SHA-256 in the
    store)."""
    electronic = [s for s in document.signatures if s.method == "cms" and store.has(s.sha256)]
    files = []
    for signature in electronic:
        suffix = f".{signature.role}.p7s" if len(electronic) > 1 else ".p7s"
        files.append((file + suffix, signature.sha256))
    stem = file.rsplit(".", 1)[0]
    scans = []
    for signature in document.signatures:
        paper = signature.method == "paper" and store.has(signature.sha256)
        if paper and signature.sha256 not in scans:
            scans.append(signature.sha256)
    for number, digest in enumerate(scans, 1):
        with store.path_for(digest).open("rb") as scan:
            head = scan.read(16)  # enough for the magic bytes of every format
        label = "скан" if len(scans) == 1 else f"скан {number}"
        files.append((f"{stem} — {label}{scan_suffix(head)}", digest))
    return files


def school_name(session: Session) -> str:
    """The school's short name, as packs and their file names carry it."""
    org = the_school(session)
    return org.short_name if org else "школа"


def section12_pack(session: Session, store: FileStore, var: Path, year: str | None = None) -> Pack:
    """The eight documents of the section-12 archive set of ``year`` (default: the
    register's school year; those that exist)."""
    documents, gone = kept_and_destroyed(session, section12_documents(session, year))
    school = school_name(session)
    of_year = f", {year} учебный год" if year else ""
    return build_pack(
        store,
        var,
        documents,
        f"Опись документов — {school}, раздел 12 (архив наставничества){of_year}",
        safe_file_name(f"{school} — раздел 12{f' — {year}' if year else ''}") + ".zip",
        gone,
    )


def batch_pack(session: Session, store: FileStore, var: Path, batch_id: int) -> Pack:
    """Everything a processed workbook made (orders signed since carry their numbers)."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise PackError(f"Пакет № {batch_id} не найден.")
    documents, gone = kept_and_destroyed(session, batch_documents(session, batch))
    if not documents:
        if batch.status == BatchStatus.DONE:
            raise PackError(
                f"Книга пакета № {batch_id} принята без новых документов и версий: архива у "
                "пакета нет."
            )
        raise PackError(f"В пакете № {batch_id} нет документов (книга не принята).")
    school = school_name(session)
    return build_pack(
        store,
        var,
        documents,
        f"Опись документов — {school}, пакет № {batch.id} («{batch.source_name}»)",
        safe_file_name(f"{school} — пакет {batch.id}") + ".zip",
        gone,
    )


def pair_pack(
    session: Session, store: FileStore, var: Path, pair_id: int, year: str | None = None
) -> Pack:
    """The current documents of a pair and of its participants; with ``year``, those of that
    school year instead (a pair continued under its code: last year's term's programme,
    report and consents, which this year's versions follow); either with the programmes its
    replaced mentors signed (:func:`programmes_replaced`)."""
    pair = session.get(Pair, pair_id)
    if pair is None:
        raise PackError(f"Пара № {pair_id} не найдена.")
    if year is None:
        documents = current_documents(session, pair_subject_keys(session, pair, this_term=True))
    else:
        keys = pair_subject_keys(session, pair)
        documents = versions_of_year(subject_versions(session, keys), year)
    documents = sorted(
        [*documents, *programmes_replaced(session, pair, documents, year)], key=lambda d: d.id
    )
    documents, gone = kept_and_destroyed(session, documents)
    school = school_name(session)
    of = f", {year} учебный год" if year else ""
    return build_pack(
        store,
        var,
        documents,
        f"Опись документов — {school}, наставническая пара {pair.code}{of}",
        safe_file_name(f"{school} — пара {pair.code}{f' — {year}' if year else ''}") + ".zip",
        gone,
    )


def programmes_replaced(
    session: Session, pair: Pair, chosen: list[Document], year: str | None
) -> list[Document]:
    """The programmes the pair's replaced mentors led it by, which ``chosen`` (one version of
    each document) leaves out: for each mentor replaced, the newest signed (or archived)
    version of the pair's programme naming her, made by the day the register learnt of the
    replacement — of ``year``, or of the pair's present term. The pack of П-02 (Белова from 09
    October, Петрова from 03 December) held only Петрова's programme, «с 03 декабря», beside a
    report of the pair's whole term naming Белова: the programme Белова signed, in force for
    two months, was in no pack."""
    replaced = replaced_mentors(session, pair)
    if year is None:
        year = year_name(school_year(pair.start))
        replaced = [(name, day) for name, day in replaced if pair.start < day < pair.end]
    if not replaced:
        return []
    held = {document.id for document in chosen}
    found: dict[int, Document] = {}
    versions = [
        v
        for v in subject_versions(session, {f"pair:{pair.id}"})  # newest first
        if v.kind == "program"
        and v.status in (DocumentStatus.SIGNED, DocumentStatus.ARCHIVED)
        and year_of(v) == year
    ]
    for name, day in replaced:
        document = next(
            (v for v in versions if v.created_at.date() <= day and _mentor_of(v) == name), None
        )
        if document is not None and document.id not in held:
            found[document.id] = document
    return sorted(found.values(), key=lambda d: d.id)


def _mentor_of(programme: Document) -> str | None:
    """The ФИО of the mentor a programme's version names (None without a kept context)."""
    if programme.context is None:
        return None
    mentor = (canonical.loads(programme.context).get("pair") or {}).get("mentor") or {}
    return str(mentor.get("name")) if mentor.get("name") else None


def versions_of_year(versions: list[Document], year: str) -> list[Document]:
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
