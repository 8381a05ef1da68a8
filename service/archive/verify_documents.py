"""The per-document part of bag verification: each document's files (DOCX, ``.p7s``, scans,
PDF copy, ledger proof) read once, hashed, and checked against each other, the CA and the
checkpoint. Documents are spread over worker processes (``archive_processes``)."""

from __future__ import annotations

import hashlib
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
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
    if processes <= 1 or len(documents) < 16:
        checkers = _checkers(trust, full)
        return [v for d in documents for v in check_document(root, d, checkers, manifest)]
    chunks = [documents[i :: processes * 4] for i in range(processes * 4)]
    pems = [c.public_bytes(serialization.Encoding.PEM) for c in trust.ca]
    with ProcessPoolExecutor(
        max_workers=processes,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_init,
        initargs=(pems, trust.revoked, trust.tree_size, trust.root, manifest, str(root), full),
    ) as pool:
        return [v for part in pool.map(_work, chunks) for v in part]


@dataclass(frozen=True)
class Checkers:
    """What one process checks with (its caches of validated certificates)."""

    trust: Trust
    cms: CmsChecker
    pades: PadesChecker


def _checkers(trust: Trust, full: bool) -> Checkers:
    cms = CmsChecker(trust)
    return Checkers(trust, cms, PadesChecker(trust, cms, full))


def _init(pems, revoked, size, root_hash, manifest, root, full) -> None:
    trust = Trust(tuple(x509.load_pem_x509_certificate(p) for p in pems), revoked, size, root_hash)
    _worker.update(checkers=_checkers(trust, full), manifest=manifest, root=Path(root))


def _work(documents: list[BagDocument]) -> list[Verdict]:
    return [
        v
        for d in documents
        for v in check_document(_worker["root"], d, _worker["checkers"], _worker["manifest"])
    ]


def check_document(
    root: Path, document: BagDocument, checkers: Checkers, manifest: dict[str, str]
) -> list[Verdict]:
    """One verdict per file of ``document``."""
    trust = checkers.trust
    verdicts: dict[str, Verdict] = {}
    contents: dict[str, tuple[bytes, bytes]] = {}
    for file in document.files:
        relative = f"data/{file.path}"
        verdict = verdicts[relative] = Verdict(relative, WHAT.get(file.role, file.role))
        path = root / relative
        if not path.is_file():
            verdict.problems.append("отсутствует")
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).digest()
        contents[relative] = (data, digest)
        if manifest.get(relative) != digest.hex():
            verdict.problems.append(
                "изменён: SHA-256 не совпадает с манифестом"
                if relative in manifest
                else "его нет в манифесте пакета"
            )
        elif file.role != "proof" and file.sha256 and file.sha256 != digest.hex():
            verdict.problems.append("не тот файл, что записан в описи (Опись.json)")
    entries = _proof(document, trust, verdicts, contents)
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
            _signature(verdicts, file, data, digest, signed, docx, docx_file, checkers.cms)
        elif file.role == "scan" and digest.hex() not in scanned:
            verdicts[relative].problems.append("записи о приложении этого скана нет в журнале")
        elif file.role == "pdf":
            _pdf(verdicts[relative], data, digest, archived, checkers.pades, _count(document))
    return list(verdicts.values())


def _count(document: BagDocument) -> int:
    return sum(1 for f in document.files if f.role == "signature")


def _proof(
    document: BagDocument,
    trust: Trust,
    verdicts: dict[str, Verdict],
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
    verdict = verdicts[relative]
    verdict.problems += list(result.problems)
    entries = [e for e in result.entries if e.get("document") == document.id]
    if len(entries) != len(result.entries):
        verdict.problems.append("записи журнала относятся к другому документу")
    if not any(e.get("kind") == "document_archived" for e in entries):
        verdict.problems.append("нет записи о помещении документа в архив")
    if verdict.ok:
        verdict.notes.append(f"записей журнала: {len(entries)}, все в контрольной точке")
    return entries if result.ok else []


def _signature(
    verdicts: dict[str, Verdict],
    file: BagFile,
    data: bytes,
    digest: bytes,
    signed: dict,
    docx: tuple[bytes, bytes] | None,
    docx_file,
    checker: CmsChecker,
) -> None:
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
        note = f"не изменён; подпись {status.signer_name} верна"
        if note not in docx_verdict.notes:
            docx_verdict.notes.append(note)


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
    result = checker.check(data, ledger_time(archived) if archived else None)
    verdict.problems += list(result.problems)
    if len(result.signers) < expected:
        verdict.problems.append(
            f"подписей PAdES {len(result.signers)}, а электронных подписей документа {expected}"
        )
    if not result.problems:
        verdict.notes.append("отметки о подписи верны: " + ", ".join(result.signers))
