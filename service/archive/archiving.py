"""Archiving signed documents: each goes to ``var/archive/`` (read-only, by hash) with
everything that proves it — the DOCX, its ``.p7s`` signatures or scans, the ledger inclusion
proof of its signature entries, and a PDF/A-2b rendition on which every electronic signature is
repeated as a PAdES signature with the visible mark. Its status becomes ``archived`` and the
ledger records a ``document_archived`` entry.

The PAdES signatures are made with the same signers' keys, so archiving asks for the password
of every signer whose electronic signature the documents carry (as signing does); documents
signed only on paper need none. A key revoked or expired after it signed, or whose owner was
switched off since (the director who left mid-year), signs nothing any more: its mark is drawn
on the copy without a PAdES signature, and the ledger's ``document_archived`` entry names it
(``marks_without_pades``), so the checks of the archive and of its exported bag expect no PAdES
signature for it — its ``.p7s``, checked as of its signing time, and the ledger proof are what
prove it. Before, such documents could never be archived, and the year's bag went out without
them.
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
from service.register.states import status_text
from service.register.succession import year_of
from service.signing.ca import cert_from_pem
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
    without_pades: list[dict[str, str]] = field(default_factory=list)
    """The marks drawn without a PAdES signature: each signer's certificate and why."""


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
    needs: not those of keys revoked or expired, which sign nothing."""
    ids = archivable_ids(session) if document_ids is None else document_ids
    now = datetime.now()
    return list(dict.fromkeys(s.user.login for s in _signers(session, ids) if _usable(s, now)))


def _usable(signer: Signer, now: datetime) -> bool:
    """Whether the key still signs: not revoked, its owner not switched off (the documented
    way for «сотрудник ушёл»: a director who left mid-year is disabled, not always revoked),
    within its certificate's validity."""
    return (
        signer.revoked_at is None
        and not signer.user.is_disabled
        and signer.not_before <= now <= signer.not_after
    )


def _ended_after(signer: Signer, signed_at: datetime) -> str | None:
    """Why a key that signs no more made a valid signature at ``signed_at`` («отозван … —
    после подписания»), or None when the signature was not made while the key was valid."""
    if not signer.not_before <= signed_at <= signer.not_after:
        return None
    if signer.revoked_at is not None:
        if signed_at < signer.revoked_at:
            return f"сертификат отозван {signer.revoked_at:%d.%m.%Y %H:%M} — после подписания"
        return None
    off = signer.user.disabled_at
    if off is not None:
        if signed_at < off:
            return f"владелец ключа отключён {off:%d.%m.%Y %H:%M} — после подписания"
        return None
    return f"срок сертификата истёк {signer.not_after:%d.%m.%Y} — после подписания"


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
    now = datetime.now()
    wanted = [
        (s.id, s.user.login)
        for s in _signers(session, ids)
        if s.user.login in passwords and _usable(s, now)
    ]
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
        return plan, f"Уже {status_text(session, document)}: {title}."
    if document.status != DocumentStatus.SIGNED:
        state = STATUS_NAMES.get(document.status, document.status)
        return plan, f"Не подписан всеми, кто должен ({state}): {title}."
    now = datetime.now()
    for signature in document.signatures:
        signer = signature.signer
        if signature.method != "cms" or signer is None:
            continue
        if not _usable(signer, now) and signer.id not in keys:
            why = _ended_after(signer, signature.signed_at)
            if why is None:
                return plan, (
                    f"Ключ {signer.full_name} (№ {signer.serial}) отозван или истёк до "
                    f"подписания: подпись недействительна — {title}."
                )
            certificate = cert_from_pem(signer.certificate_pem.encode())
            plan.marks.append(
                MarkSigner(None, certificate, (), signer.full_name, signature.signed_at)
            )
            plan.without_pades.append(
                {"serial": signer.serial, "owner": signer.full_name, "reason": why}
            )
            continue
        if signer.id not in keys:
            return plan, (
                f"Нужен пароль подписанта «{signer.user.login}» ({signer.full_name}): {title}."
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
                **({"marks_without_pades": plan.without_pades} if plan.without_pades else {}),
            },
        )
        item.event_id = event.id
        results[plan.document_id] = ArchiveResult(
            plan.document_id,
            True,
            f"В архиве: {plan.title}; PDF/A, страниц {item.pages}, отметок о подписи "
            f"{len(plan.marks)}{_unsigned_note(plan)}; хранить по "
            f"{until - timedelta(days=1):%d.%m.%Y}.",
        )
    return results


def _unsigned_note(plan: _Plan) -> str:
    if not plan.without_pades:
        return ""
    return (
        " (без подписи PDF: "
        + "; ".join(f"{m['owner']}, {m['reason']}" for m in plan.without_pades)
        + ")"
    )


def page_count(pdf: bytes) -> int:
    """Pages of a PDF."""
    return int(PdfFileReader(io.BytesIO(pdf)).root["/Pages"]["/Count"])
