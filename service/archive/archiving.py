"""Archiving signed documents: each goes to ``var/archive/`` (read-only, by hash) with
everything that proves it — the DOCX, its ``.p7s`` signatures or scans, the ledger inclusion
proof of its signature entries, and a PDF/A-2b rendition on which every electronic signature is
repeated as a PAdES signature with the visible mark. Its status becomes ``archived`` and the
ledger records a ``document_archived`` entry.

The PAdES signatures are made with the same signers' keys, so archiving asks for the password
of every signer whose electronic signature the documents carry (as signing does); documents
signed only on paper need none.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy.orm import Session

from service.archive.mark import MarkFonts, MarkSigner, sign_rendition
from service.archive.proofs import Ledger, proof_bytes
from service.archive.rendition import convert_to_pdfa, converter_of
from service.archive.retention import retain_until
from service.archive.store import ArchiveStore
from service.config import Settings
from service.documents.catalogue import BY_ID
from service.register.archive import archivable_ids, signature_events
from service.register.archive_models import ArchiveItem
from service.register.events import append_event
from service.register.labels import STATUS_NAMES
from service.register.models import Document, DocumentStatus, Signer
from service.register.school import the_school
from service.register.succession import year_of
from service.signing.signer import KeySigner, open_signer
from service.store import FileStore

REASON = "Электронная копия (PDF/A) документа, подписанного электронной подписью"


@dataclass(frozen=True)
class ArchiveResult:
    document_id: int
    ok: bool
    message: str
    """Russian, one line."""


@dataclass
class _Plan:
    """One document on its way to the archive."""

    document_id: int
    title: str
    docx: bytes = b""
    marks: list[MarkSigner] = field(default_factory=list)
    pdf: bytes = b""


def fonts_of(settings: Settings) -> MarkFonts:
    return MarkFonts(settings.stamp_font, settings.stamp_font_bold)


def _signers(session: Session, document_ids: list[int]) -> list[Signer]:
    """The keys that signed these documents electronically, in order of first appearance."""
    found: dict[int, Signer] = {}
    for document_id in document_ids:
        document = session.get(Document, document_id)
        for signature in document.signatures if document else []:
            if signature.signer is not None:
                found.setdefault(signature.signer.id, signature.signer)
    return list(found.values())


def signer_logins(session: Session, document_ids: list[int] | None = None) -> list[str]:
    """Logins whose passwords archiving these documents (default: every archivable one)
    needs."""
    ids = archivable_ids(session) if document_ids is None else document_ids
    return list(dict.fromkeys(s.user.login for s in _signers(session, ids)))


def archive_documents(
    session: Session,
    settings: Settings,
    document_ids: list[int] | None,
    passwords: dict[str, str],
    *,
    actor: str = "system",
    school_year: str | None = None,
) -> list[ArchiveResult]:
    """Archive the given signed documents (None: every signed one); ``passwords`` maps the
    logins of their electronic signers to the passwords of their keys. A wrong password
    archives nothing (:class:`WrongPassword`); one result per document otherwise.

    Everything is written to ``session`` at the end, after the PDF/A conversion, so the
    caller's transaction takes the register's write lock only for the recording; a key's
    wrong-password counter is kept in a transaction of its own (see
    :mod:`service.signing.signer`)."""
    store = FileStore(settings.store_dir)
    results: dict[int, ArchiveResult] = {}
    plans: list[_Plan] = []
    ids = archivable_ids(session) if document_ids is None else list(document_ids)
    wanted = [(s.id, s.user.login) for s in _signers(session, ids) if s.user.login in passwords]
    url = settings.database_url
    keys = {i: open_signer(url, i, passwords[login], actor=login) for i, login in wanted}
    org = the_school(session)
    year = school_year or (org.school_year if org else str(datetime.now().year))
    for document_id in ids:
        plan, problem = _plan(session, store, document_id, keys)
        if problem:
            results[document_id] = ArchiveResult(document_id, False, problem)
        else:
            plans.append(plan)
    location = org.locality if org else ""
    pdfs = convert_to_pdfa({p.document_id: p.docx for p in plans}, converter_of(settings))
    ready = []
    for plan in plans:
        if plan.document_id not in pdfs:
            results[plan.document_id] = ArchiveResult(
                plan.document_id, False, f"LibreOffice не смог сделать PDF/A: {plan.title}."
            )
            continue
        plan.pdf = sign_rendition(
            pdfs[plan.document_id], plan.marks, fonts_of(settings), REASON, location
        )
        ready.append(plan)
    if ready:
        results.update(
            _record(session, settings, store, ready, year, actor, chosen_year=bool(school_year))
        )
    return [results[i] for i in ids if i in results]


def _plan(
    session: Session, store: FileStore, document_id: int, keys: dict[int, KeySigner]
) -> tuple[_Plan, str | None]:
    document = session.get(Document, document_id)
    if document is None:
        return _Plan(document_id, ""), f"Документ № {document_id} не найден."
    kind = BY_ID[document.kind]
    title = f"{kind.title} — {document.subject_label}"
    plan = _Plan(document_id, title)
    if document.status == DocumentStatus.ARCHIVED:
        return plan, f"Уже в архиве: {title}."
    if document.status != DocumentStatus.SIGNED:
        state = STATUS_NAMES.get(document.status, document.status)
        return plan, f"Не подписан всеми, кто должен ({state}): {title}."
    now = datetime.now()
    for signature in document.signatures:
        signer = signature.signer
        if signature.method != "cms" or signer is None:
            continue
        if signer.id not in keys:
            return plan, (
                f"Нужен пароль подписанта «{signer.user.login}» ({signer.full_name}): {title}."
            )
        if signer.revoked_at is not None or not signer.not_before <= now <= signer.not_after:
            return plan, (
                f"Ключ {signer.full_name} (№ {signer.serial}) отозван или истёк: PDF-копию "
                f"нельзя заверить его подписью — {title}."
            )
        plan.marks.append(
            MarkSigner(
                keys[signer.id].key,
                keys[signer.id].certificate,
                keys[signer.id].chain,
                signer.full_name,
                signature.signed_at,
            )
        )
    plan.docx = store.get(document.sha256)
    return plan, None


def _record(
    session: Session,
    settings: Settings,
    store: FileStore,
    plans: list[_Plan],
    year: str,
    actor: str,
    *,
    chosen_year: bool = False,
) -> dict[int, ArchiveResult]:
    """Store the files, write the archive rows and the ledger entries: each document under
    its own school year (``year`` when it tells none), or under ``year`` when the caller
    chose it (``chosen_year``)."""
    archive = ArchiveStore(settings.archive_dir)
    results = {}
    ledger = Ledger.read(session)
    for plan in plans:
        # read again: the conversion took a while, someone may have archived it meanwhile
        document = session.get(Document, plan.document_id, populate_existing=True)
        if document.status != DocumentStatus.SIGNED:  # archived meanwhile by someone else
            results[plan.document_id] = ArchiveResult(
                plan.document_id, False, f"Уже в архиве: {plan.title}."
            )
            continue
        events = [e.id for e in signature_events(session, document.id)]
        proof = ledger.proof(document.id, events) if events else None
        files = [{"role": "docx", "sha256": archive.put(store.get(document.sha256))}]
        for signature in document.signatures:
            files.append(
                {
                    "role": "signature" if signature.method == "cms" else "scan",
                    "sha256": archive.put(store.get(signature.sha256)),
                    "signature_id": signature.id,
                }
            )
        pdf_sha = archive.put(plan.pdf)
        files.append({"role": "pdf", "sha256": pdf_sha})
        if proof is not None:
            files.append({"role": "proof", "sha256": archive.put(proof_bytes(proof))})
        until = retain_until(session, settings, document)
        # filed under the year its text is about (last year's order archived in September is
        # last year's), unless the caller names the year
        own_year = year if chosen_year else (year_of(document) or year)
        item = ArchiveItem(
            document_id=document.id,
            school_year=own_year,
            archived_at=datetime.now().replace(microsecond=0),
            actor=actor,
            files=files,
            pdf_sha256=pdf_sha,
            pages=page_count(plan.pdf),
            retain_until=until,
        )
        session.add(item)
        document.status = DocumentStatus.ARCHIVED
        event = append_event(
            session,
            "document_archived",
            actor=actor,
            document_id=document.id,
            details={
                "school_year": own_year,
                "docx_sha256": document.sha256,
                "pdf_sha256": pdf_sha,
                "files": [f["sha256"] for f in files],
                "retain_until": until.isoformat(),
            },
        )
        item.event_id = event.id
        results[plan.document_id] = ArchiveResult(
            plan.document_id,
            True,
            f"В архиве: {plan.title}; PDF/A, страниц {item.pages}, отметок о подписи "
            f"{len(plan.marks)}; хранить по {until - timedelta(days=1):%d.%m.%Y}.",
        )
    return results


def page_count(pdf: bytes) -> int:
    """Pages of a PDF."""
    return int(PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Count"])
