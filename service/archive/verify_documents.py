"""The per-document part of bag verification: each document's files (DOCX, ``.p7s``, scans,
PDF copy, ledger proof) read once, hashed, and checked against each other, the CA and the
checkpoint. Documents are spread over worker processes (``archive_processes``), started before
the bag's manifests are read (:class:`DocumentChecks`): BagIt's own validation runs meanwhile,
and each file's hash is compared with the manifest when the verdicts are collected."""

from __future__ import annotations

import hashlib
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from service.archive.checks import CmsChecker, PadesChecker, Trust, Verdict, ledger_time
from service.archive.inventory import BagDocument, BagFile
from service.archive.proofs import check_proof
from service.archive.signatories import SignatoryCheck, check_signatory

WHAT = {
    "docx": "документ",
    "signature": "электронная подпись (CMS)",
    "scan": "скан бумажного подлинника",
    "pdf": "PDF/A-копия с отметкой об электронной подписи (PAdES)",
    "proof": "доказательство записи в журнале событий",
}

_worker: dict[str, object] = {}


def check_documents(
    root: Path,
    documents: list[BagDocument],
    trust: Trust,
    manifest: dict[str, str],
    processes: int,
    full: bool = False,
) -> list[Verdict]:
    """Verdicts on every file of every document; in ``processes`` worker processes when
    there are enough documents to be worth it. ``full``: pyHanko validates every PDF."""
    with DocumentChecks(root, documents, trust, processes, full) as checks:
        return checks.verdicts(manifest)


class DocumentChecks:
    """The checks of ``documents`` under way: in ``processes`` worker processes from the
    start when there are enough documents to be worth it (else in this one, on
    :meth:`verdicts`). A context manager: leaving it early cancels what has not begun."""

    def __init__(
        self,
        root: Path,
        documents: list[BagDocument],
        trust: Trust,
        processes: int,
        full: bool = False,
    ):
        self.root, self.documents, self.trust, self.full = root, documents, trust, full
        self.pool: ProcessPoolExecutor | None = None
        self.parts: list[tuple[list[BagDocument], Future]] = []
        if processes <= 1 or len(documents) < 16:
            return
        pems = [c.public_bytes(serialization.Encoding.PEM) for c in trust.ca]
        self.pool = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_init,
            initargs=(pems, trust.revoked, trust.tree_size, trust.root, str(root), full),
        )
        for i in range(processes * 4):
            chunk = documents[i :: processes * 4]
            self.parts.append((chunk, self.pool.submit(_work, chunk)))

    @property
    def parallel(self) -> bool:
        """Whether the checks run in worker processes (the caller's own work competes)."""
        return self.pool is not None

    def verdicts(self, manifest: dict[str, str]) -> list[Verdict]:
        """Every verdict, each file's hash compared with ``manifest`` (path → SHA-256)."""
        if self.pool is None:
            checkers = _checkers(self.trust, self.full)
            read = [(d, _read(self.root, d, checkers)) for d in self.documents]
        else:
            read = [
                pair
                for chunk, part in self.parts
                for pair in zip(chunk, part.result(), strict=True)
            ]
        return [v for document, found in read for v in _compared(document, found, manifest)]

    def __enter__(self) -> DocumentChecks:
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)


@dataclass(frozen=True)
class Checkers:
    """What one process checks with (its caches of validated certificates)."""

    trust: Trust
    cms: CmsChecker
    pades: PadesChecker


def _checkers(trust: Trust, full: bool) -> Checkers:
    cms = CmsChecker(trust)
    return Checkers(trust, cms, PadesChecker(trust, cms, full))


def _init(pems, revoked, size, root_hash, root, full) -> None:
    trust = Trust(tuple(x509.load_pem_x509_certificate(p) for p in pems), revoked, size, root_hash)
    _worker.update(checkers=_checkers(trust, full), root=Path(root))


def _work(documents: list[BagDocument]) -> list[Found]:
    return [_read(_worker["root"], d, _worker["checkers"]) for d in documents]


@dataclass
class Found:
    """What the checks of one document found before its files' hashes are compared with the
    manifest: the verdicts, each file's SHA-256 (hex; none for a missing file), and the notes
    that hold only while a verdict has no problem (added when its hash is found right)."""

    verdicts: dict[str, Verdict]
    digests: dict[str, str] = field(default_factory=dict)
    sound_notes: dict[str, list[str]] = field(default_factory=dict)


def check_document(
    root: Path, document: BagDocument, checkers: Checkers, manifest: dict[str, str]
) -> list[Verdict]:
    """One verdict per file of ``document``."""
    return _compared(document, _read(root, document, checkers), manifest)


def _compared(document: BagDocument, found: Found, manifest: dict[str, str]) -> list[Verdict]:
    """The verdicts of ``found`` with each file's hash compared with the manifest and the
    inventory: the first problem of a file when it differs (a file the inventory names twice
    is judged as its last entry, whose verdict is the one kept)."""
    last = {f"data/{file.path}": file for file in document.files}
    for relative, file in last.items():
        verdict, digest = found.verdicts[relative], found.digests.get(relative)
        if digest is None:
            continue
        problem = None
        if manifest.get(relative) != digest:
            problem = (
                "изменён: SHA-256 не совпадает с манифестом"
                if relative in manifest
                else "его нет в манифесте пакета"
            )
        elif file.role != "proof" and file.sha256 and file.sha256 != digest:
            problem = "не тот файл, что записан в описи (Опись.json)"
        if problem:
            verdict.problems.insert(0, problem)
        else:
            verdict.notes += found.sound_notes.get(relative, [])
    return list(found.verdicts.values())


def _read(root: Path, document: BagDocument, checkers: Checkers) -> Found:
    """Everything about ``document`` but its files' hashes against the manifest."""
    trust = checkers.trust
    found = Found({})
    verdicts = found.verdicts
    contents: dict[str, tuple[bytes, bytes]] = {}
    for file in document.files:
        relative = f"data/{file.path}"
        verdict = verdicts[relative] = Verdict(relative, WHAT.get(file.role, file.role))
        path = root / relative
        if not _within(root / "data", path):
            verdict.problems.append(OUTSIDE)
            continue
        if not path.is_file():
            verdict.problems.append("отсутствует")
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).digest()
        contents[relative] = (data, digest)
        found.digests[relative] = digest.hex()
    entries = _proof(document, trust, found, contents)
    docx_file = document.file("docx")
    docx = contents.get(f"data/{docx_file.path}") if docx_file else None
    signed = {
        e.get("details", {}).get("signature_sha256"): e
        for e in entries
        if e.get("kind") == "document_signed"
    }
    scanned = {
        e.get("details", {}).get("scan_sha256") for e in entries if e.get("kind") == "scan_attached"
    }
    archived = next((e for e in entries if e.get("kind") == "document_archived"), None)
    if (
        docx is not None
        and archived is not None
        and archived.get("details", {}).get("docx_sha256") != docx[1].hex()
    ):
        verdicts[f"data/{docx_file.path}"].problems.append(
            "не тот документ, что помещён в архив (по журналу)"
        )
    for file in document.files:
        relative = f"data/{file.path}"
        if relative not in contents:
            continue
        data, digest = contents[relative]
        if file.role == "signature":
            _signature(found, file, data, digest, signed, docx, docx_file, checkers.cms)
        elif file.role == "scan" and digest.hex() not in scanned:
            verdicts[relative].problems.append("записи о приложении этого скана нет в журнале")
        elif file.role == "pdf":
            _pdf(verdicts[relative], data, digest, archived, checkers.pades, _count(document))
    return found


OUTSIDE = "путь в описи ведёт за пределы папки data пакета: файл не прочитан"
"""A path of Опись.json («../../…», a link out of the bag) names a file of the checking
machine, not of the bag: it is never read (the inventory is read before BagIt's checks)."""


def _within(data: Path, path: Path) -> bool:
    """Whether ``path``, links followed, lies inside the bag's ``data`` folder."""
    return path.resolve().is_relative_to(data.resolve())


def _count(document: BagDocument) -> int:
    return sum(1 for f in document.files if f.role == "signature")


def _proof(
    document: BagDocument,
    trust: Trust,
    found: Found,
    contents: dict[str, tuple[bytes, bytes]],
) -> list[dict]:
    """The ledger entries the document's proof proves (empty when it proves nothing)."""
    proof_file = document.file("proof")
    if proof_file is None:
        return []
    relative = f"data/{proof_file.path}"
    if relative not in contents:
        return []
    result = check_proof(contents[relative][0], trust.tree_size, trust.root)
    verdict = found.verdicts[relative]
    verdict.problems += list(result.problems)
    entries = [e for e in result.entries if e.get("document") == document.id]
    if len(entries) != len(result.entries):
        verdict.problems.append("записи журнала относятся к другому документу")
    if not any(e.get("kind") == "document_archived" for e in entries):
        verdict.problems.append("нет записи о помещении документа в архив")
    if verdict.ok:
        note = f"записей журнала: {len(entries)}, все в контрольной точке"
        found.sound_notes.setdefault(relative, []).append(note)
    return entries if result.ok else []


def _signature(
    found: Found,
    file: BagFile,
    data: bytes,
    digest: bytes,
    signed: dict,
    docx: tuple[bytes, bytes] | None,
    docx_file,
    checker: CmsChecker,
) -> None:
    verdicts = found.verdicts
    verdict = verdicts[f"data/{file.path}"]
    entry = signed.get(digest.hex())
    if entry is None:
        verdict.problems.append("записи об этой подписи нет в журнале (или доказательство неверно)")
    if docx is None:
        verdict.problems.append("нет документа, к которому относится подпись")
        return
    docx_verdict = verdicts[f"data/{docx_file.path}"]
    if entry is not None and entry.get("details", {}).get("document_sha256") != docx[1].hex():
        docx_verdict.problems.append("по журналу подписан другой документ: этот изменён")
    status = checker.check(docx[0], docx[1], data, ledger_time(entry) if entry else None)
    if not status.intact and status.valid:
        docx_verdict.problems.append("изменён после подписания: не совпадает с подписью")
    own = [p for p in status.problems if "документ изменён" not in p]
    # whose it is: the certificate's holder against the person the document names (the
    # ledger entry's record of him, else the DOCX's signature lines)
    holder = SignatoryCheck()
    if status.valid and status.signer_name:
        role = (entry or {}).get("details", {}).get("role") or file.signer_role
        holder = check_signatory(entry, role, docx[0], status.signer_name)
    sound = status.valid and status.trusted and not status.revoked
    if not sound:
        verdict.problems += own or ["подпись неверна"]
    if holder.problem:
        verdict.problems.append(holder.problem)
    elif sound:
        when = f"{status.signing_time:%d.%m.%Y %H:%M} UTC" if status.signing_time else "?"
        verdict.notes.append(
            f"подпись верна: {status.signer_name}, сертификат № {status.serial}, {when}"
        )
        verdict.notes += [holder.note] if holder.note else []
    if status.intact and status.bottom_line and docx_verdict.ok and not holder.problem:
        notes = found.sound_notes.setdefault(docx_verdict.path, [])
        note = f"не изменён; подпись {status.signer_name} верна"
        if note not in notes:
            notes.append(note)


def _pdf(
    verdict: Verdict,
    data: bytes,
    digest: bytes,
    archived: dict | None,
    checker: PadesChecker,
    expected: int,
) -> None:
    if archived is not None and archived.get("details", {}).get("pdf_sha256") != digest.hex():
        verdict.problems.append("не та PDF-копия, что помещена в архив (по журналу)")
    if expected == 0:
        verdict.notes.append("копия без отметки: документ подписан на бумаге (см. скан)")
        return
    unsigned = without_pades(archived)
    verdict.notes += unsigned
    expected -= len(unsigned)
    if expected <= 0:
        return
    result = checker.check(data, ledger_time(archived) if archived else None)
    verdict.problems += list(result.problems)
    if len(result.signers) < expected:
        verdict.problems.append(
            f"подписей PAdES {len(result.signers)}, а электронных подписей документа {expected}"
        )
    if not result.problems:
        verdict.notes.append("отметки о подписи верны: " + ", ".join(result.signers))


def without_pades(archived: dict | None) -> list[str]:
    """The marks the ledger's ``document_archived`` entry says were drawn without a PAdES
    signature (a key revoked or expired after it signed, :mod:`service.archive.archiving`),
    each as a note: the entry is proven by the ledger, the signature by its ``.p7s``."""
    details = (archived or {}).get("details") or {}
    return [
        f"отметка о подписи {m.get('owner', '?')} (сертификат № {m.get('serial', '?')}) — без "
        f"подписи PDF: {m.get('reason', '')}; подпись проверяется по файлу .p7s"
        for m in details.get("marks_without_pades") or []
    ]
