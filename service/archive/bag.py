"""Export of a school year's archive for an inspection: a BagIt package (RFC 8493, the ``bagit``
library, SHA-256 and SHA-512 manifests) with the documents in folders by §12 item, by pair and
by participant, each with its signatures, scans, PDF/A copy and ledger proof; the inventory
(``Опись.xlsx``, ``Опись.pdf``, ``Опись.json``), the section-12 summary, the school CA's
certificate and revocation list, a fresh ledger checkpoint signed by the CA, and
``ПРОВЕРКА.txt``. The tag manifests are signed by the CA (detached CMS), so re-generating the
manifests after an edit is caught too. Exporting needs the CA password.

The bag is assembled under a temporary name beside ``OUT_DIR`` and renamed into place.
"""

from __future__ import annotations

import logging
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bagit
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from sqlalchemy.orm import Session

from service.archive.errors import ArchiveError
from service.archive.instructions import INSTRUCTIONS_NAME, ca_fingerprint, instructions_text
from service.archive.inventory import (
    CA_FILE,
    CA_FOLDER,
    CHECKPOINT_FILE,
    CRL_FILE,
    INVENTORY_JSON,
    INVENTORY_PDF,
    INVENTORY_XLSX,
    LEDGER_FOLDER,
    BagDocument,
    DestroyedDocument,
    bag_document,
    destroyed_document,
    folder_of,
    inventory_json,
    inventory_xlsx,
    name_scans,
)
from service.archive.proofs import Ledger, proof_bytes
from service.archive.rendition import ConversionError, convert_file, converter_of
from service.archive.status import SUMMARY_NAME, section12_status, summary_docx
from service.archive.store import ArchiveStore
from service.config import Settings
from service.documents.catalogue import BY_ID
from service.intake.normalise import alphabetical
from service.register.archive import (
    archivable_ids,
    destroying_acts,
    pair_codes,
    signature_events_of,
    signer_serials,
    year_items,
)
from service.register.archive_models import ArchiveItem
from service.register.db import SessionFactory
from service.register.events import append_event
from service.register.models import Document, Signer
from service.register.school import the_school
from service.register.signers import revoked_signers
from service.register.succession import year_of
from service.signing.ca import PrivateKey, cert_to_pem
from service.signing.cms import sign_detached
from service.signing.ledger import add_checkpoint, save_checkpoint_files
from service.signing.signer import KeySigner, open_ca
from service.store import FileStore, sha256_bytes

logging.getLogger("bagit").setLevel(logging.WARNING)  # it logs every file it hashes at INFO

CHECKSUMS = ["sha256", "sha512"]
SIGNED_TAG_MANIFESTS = tuple(f"tagmanifest-{alg}.txt" for alg in CHECKSUMS)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    school_year: str
    documents: int
    files: int
    bytes: int
    tree_size: int
    root: str
    seconds: float
    unarchived: int = 0
    """Signed documents of the year not archived yet, so not in the bag."""
    destroyed: int = 0
    """Documents of the year destroyed by an act: in its inventory, with no files."""

    def unarchived_warning(self) -> str | None:
        """What the export says of them: an inspector's bag without the documents the school
        signed but never archived, said nowhere, was how play11's first bag went out (3 of 8
        section-12 documents)."""
        if not self.unarchived:
            return None
        return (
            f"Внимание: подписанных документов {self.school_year} учебного года, ещё не "
            f"помещённых в архив: {self.unarchived} — в пакете их нет. Поместите их в архив "
            "(nastavnik archive add --all) и выгрузите пакет снова."
        )


@dataclass
class _Snapshot:
    """Everything read from the register for one export."""

    organization: str
    year: str
    documents: list[BagDocument]
    proofs: dict[int, bytes]
    head: bytes
    head_signature: bytes
    tree_size: int
    root: str
    crl: bytes
    summary: bytes
    at: datetime
    """The checkpoint's time: what the inventory is dated (not the clock's, nor in its zone)."""
    destroyed: list[DestroyedDocument]
    """The year's documents destroyed by an act: in the inventory, with no files."""
    listed: list[BagDocument | DestroyedDocument]
    """Both, in the inventory's order (§12 item, subject, kind, version)."""


def export_bag(
    sessions: SessionFactory,
    settings: Settings,
    out_dir: Path,
    ca_password: str,
    *,
    year: str | None = None,
    actor: str = "system",
) -> ExportResult:
    """Write the bag of ``year``'s archive (default: the current school year) to ``out_dir``
    (new or empty). :class:`WrongPassword` for a wrong CA password.

    Takes a session factory because it commits in steps: the ledger checkpoint the bag proves
    against is committed with the snapshot, before the minutes of copying, hashing and
    converting (which must not hold the register's write lock), and the «archive_exported»
    entry only once the bag is in place."""
    started = time.perf_counter()
    out_dir = out_dir.resolve()
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise ArchiveError(f"Папка {out_dir} уже существует и не пуста: укажите новую.")
    ca = open_ca(settings.var, ca_password)
    ca_key, ca_cert = ca.key, ca.certificate
    with sessions() as session:
        snapshot = _snapshot(session, settings, ca, year)
        unarchived = sum(
            1 for i in archivable_ids(session) if year_of(session.get(Document, i)) == snapshot.year
        )
    tmp = out_dir.parent / f".{out_dir.name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        total = _write_payload(settings, tmp, snapshot, ca_cert)
        bag = bagit.make_bag(
            str(tmp),
            bag_info={
                "Source-Organization": snapshot.organization,
                "External-Description": (
                    f"Документы программы наставничества, {snapshot.year} учебный год"
                ),
                "Checkpoint-Size": str(snapshot.tree_size),
                "Checkpoint-Root": snapshot.root,
            },
            processes=max(1, settings.archive_processes),
            checksums=CHECKSUMS,
        )
        _check_copies(bag, snapshot.documents)
        (tmp / "bagit.txt").write_text(
            "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8"
        )
        example = next(
            (f.path for d in snapshot.documents for f in d.files if f.role == "signature"),
            snapshot.documents[0].files[0].path + ".p7s",
        ).removesuffix(".p7s")
        (tmp / INSTRUCTIONS_NAME).write_text(
            instructions_text(
                organization=snapshot.organization,
                year=snapshot.year,
                exported_at=datetime.now(),
                documents=len(snapshot.documents),
                tree_size=snapshot.tree_size,
                root=snapshot.root,
                ca_fingerprint=ca_fingerprint(ca_cert),
                ca_valid_until=ca_cert.not_valid_after_utc,
                example=example.split(".docx")[0] + ".docx",
                destroyed=len(snapshot.destroyed),
            ),
            encoding="utf-8",
        )
        bag.save()
        for name in SIGNED_TAG_MANIFESTS:
            signature = sign_detached((tmp / name).read_bytes(), ca_key, ca_cert, [])
            (tmp / f"{name}.p7s").write_bytes(signature)
        if out_dir.exists():
            out_dir.rmdir()
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    with sessions() as session:
        append_event(
            session,
            "archive_exported",
            actor=actor,
            details={
                "school_year": snapshot.year,
                "documents": len(snapshot.documents),
                "tree_size": snapshot.tree_size,
                "root": snapshot.root,
                "tag_manifest_sha256": sha256_bytes(
                    (out_dir / SIGNED_TAG_MANIFESTS[0]).read_bytes()
                ),
            },
        )
    return ExportResult(
        out_dir,
        snapshot.year,
        len(snapshot.documents),
        total[0],
        total[1],
        snapshot.tree_size,
        snapshot.root,
        round(time.perf_counter() - started, 2),
        unarchived,
        len(snapshot.destroyed),
    )


def _snapshot(
    session: Session,
    settings: Settings,
    ca: KeySigner,
    year: str | None,
) -> _Snapshot:
    store = FileStore(settings.store_dir)
    org = the_school(session)
    year = year or (org.school_year if org else None)
    items = _items(year_items(session, year))
    if not items:
        raise ArchiveError(
            f"За {year or '?'} учебный год в архиве нет документов: сначала поместите "
            "подписанные документы в архив (`nastavnik archive add`)."
        )
    codes = pair_codes(session)
    serials = signer_serials(session)
    taken: set[str] = set()
    documents = [bag_document(i, folder_of(i, codes), taken, serials) for i in items]
    gone = _items(year_items(session, year, destroyed=True))
    acts = destroying_acts(session, [i.document_id for i in gone])
    destroyed = [destroyed_document(i, acts.get(i.document_id, "")) for i in gone]
    place = {i.document_id: n for n, i in enumerate(_items([*items, *gone]))}
    listed: list[BagDocument | DestroyedDocument] = [*documents, *destroyed]
    listed.sort(key=lambda d: place[d.id])
    # signed with the CA key already opened (opening it again costs its key derivation)
    point, head, head_signature = add_checkpoint(session, store, ca)
    save_checkpoint_files(settings.var, point.id, head, head_signature)
    ledger = Ledger.read(session, size=point.size)
    proofs = {}
    signed = signature_events_of(session, [i.document_id for i in items])
    for item in items:
        events = signed[item.document_id] + ([item.event_id] if item.event_id else [])
        proofs[item.document_id] = proof_bytes(ledger.proof(item.document_id, events))
    revoked = revoked_signers(session)
    summary = summary_docx(section12_status(session, year), org.full_name if org else "", year)
    return _Snapshot(
        organization=org.full_name if org else "",
        year=year or "",
        documents=documents,
        proofs=proofs,
        head=head,
        head_signature=head_signature,
        tree_size=point.size,
        root=point.root,
        at=point.at,
        crl=_crl(ca.key, ca.certificate, revoked),
        summary=summary,
        destroyed=destroyed,
        listed=listed,
    )


def _items(items: list[ArchiveItem]) -> list[ArchiveItem]:
    order = {kind: n for n, kind in enumerate(BY_ID)}
    return sorted(
        items,
        key=lambda i: (
            BY_ID[i.document.kind].section12 or 99,
            i.document.subject_key != "organization",
            alphabetical(i.document.subject_label),
            order[i.document.kind],
            i.document.version,
        ),
    )


def _whole_second_after(moment: datetime) -> datetime:
    """A revocation time the list can hold (whole seconds) and still after every signature
    made before it: a revocation recorded with a fraction of a second by an earlier release
    (12:00:00.4) is listed at the next second, not at 12:00:00 — a signature of 12:00:00 read
    as made after it (``signers.revocation_time``)."""
    if moment.microsecond:
        return moment.replace(microsecond=0) + timedelta(seconds=1)
    return moment


def _crl(ca_key: PrivateKey, ca_cert: x509.Certificate, revoked: list[Signer]) -> bytes:
    """The CA's certificate revocation list (PEM), for ``openssl cms -crl_check``."""
    now = datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca_cert.subject)
        .last_update(now)
        .next_update(now + timedelta(days=365))
    )
    for signer in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(int(signer.serial, 16))
            .revocation_date(_whole_second_after(signer.revoked_at).astimezone(UTC))
            .build()
        )
    return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def _write_payload(
    settings: Settings, root: Path, snapshot: _Snapshot, ca_cert: x509.Certificate
) -> tuple[int, int]:
    """Lay the payload out in ``root`` (bagit moves it into ``data/``); (files, bytes)."""
    archive = ArchiveStore(settings.archive_dir)
    for document in snapshot.documents:
        scans = {
            f.sha256: _head(archive.path_for(f.sha256)) for f in document.files if f.role == "scan"
        }
        name_scans(document, scans)
    heading = f"Опись документов — {snapshot.organization}, {snapshot.year} учебный год"
    (root / INVENTORY_XLSX).write_bytes(inventory_xlsx(snapshot.listed, heading, snapshot.at))
    with ThreadPoolExecutor(max_workers=1) as pool:  # LibreOffice works while files are copied
        pdf = pool.submit(
            convert_file, root / INVENTORY_XLSX, root / INVENTORY_PDF, converter_of(settings)
        )
        for document in snapshot.documents:
            for file in document.files:
                target = root / file.path
                target.parent.mkdir(parents=True, exist_ok=True)
                if file.role == "proof":
                    data = snapshot.proofs[document.id]
                    target.write_bytes(data)
                    file.sha256 = sha256_bytes(data)
                else:
                    shutil.copyfile(archive.path_for(file.sha256), target)
        (root / CA_FOLDER).mkdir(exist_ok=True)
        (root / CA_FOLDER / CA_FILE).write_bytes(cert_to_pem(ca_cert))
        (root / CA_FOLDER / CRL_FILE).write_bytes(snapshot.crl)
        (root / LEDGER_FOLDER).mkdir(exist_ok=True)
        (root / LEDGER_FOLDER / CHECKPOINT_FILE).write_bytes(snapshot.head)
        (root / LEDGER_FOLDER / f"{CHECKPOINT_FILE}.p7s").write_bytes(snapshot.head_signature)
        try:
            pdf.result()
        except ConversionError as exc:
            raise ArchiveError(f"Не удалось сделать Опись.pdf: {exc}") from exc
    (root / SUMMARY_NAME).write_bytes(snapshot.summary)
    header = {
        "organization": snapshot.organization,
        "school_year": snapshot.year,
        "checkpoint": {
            "size": snapshot.tree_size,
            "root": snapshot.root,
            "file": f"{LEDGER_FOLDER}/{CHECKPOINT_FILE}",
        },
        "ca": f"{CA_FOLDER}/{CA_FILE}",
        "crl": f"{CA_FOLDER}/{CRL_FILE}",
    }
    (root / INVENTORY_JSON).write_bytes(
        inventory_json(snapshot.documents, header, snapshot.destroyed)
    )
    sizes = [p.stat().st_size for p in root.rglob("*") if p.is_file()]
    return len(sizes), sum(sizes)


def _check_copies(bag: bagit.Bag, documents: list[BagDocument]) -> None:
    """Every copied file has the hash the archive recorded; else the archive was changed."""
    for document in documents:
        for file in document.files:
            found = bag.entries.get(f"data/{file.path}", {}).get("sha256")
            if found != file.sha256:
                raise ArchiveError(
                    f"Файл архива изменён или повреждён: {file.path}. Выгрузка прервана; "
                    "проверьте архив командой `nastavnik archive verify`."
                )


def _head(path: Path, size: int = 16) -> bytes:
    with path.open("rb") as fh:
        return fh.read(size)
