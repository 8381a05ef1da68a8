"""Checking a file someone brings: is it a document of the register, which version, and is
every signature on it intact, whose, chained to the school's CA, not revoked. Returns a
verdict object; never raises for a bad file."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import cms as asn1_cms
from sqlalchemy.orm import Session

from service.documents.catalogue import BY_ID, SIGNER_NAMES
from service.register.archive import archived_copy, destroying_act
from service.register.archive_models import ArchiveItem, DestructionAct
from service.register.labels import STATUS_NAMES
from service.register.models import Document, Signer
from service.register.queries import (
    document_with_sha256,
    draft_of,
    electronic_signature_with_sha256,
)
from service.register.states import status_text
from service.register.succession import replaced_in_year, unsigned_successor
from service.signing.authority import has_ca, load_ca_certificate
from service.signing.cms import CHANGED, verify_detached
from service.signing.destroyed import (
    copy_text,
    destroyed_docx_summary,
    destroyed_docx_text,
    gone_text,
)
from service.signing.order_number import order_number_lines
from service.signing.paper import ELECTRONIC_ROLES, signed_as
from service.signing.signatory import (
    holder_verdict,
    may_be_same_person,
    not_named,
    printed_signatory,
)
from service.signing.signers import revoked_serials
from service.signing.status import SignatureStatus
from service.store import FileStore, sha256_bytes

ANOTHER_DOCUMENT = "Подпись относится к другому документу"


@dataclass
class SignatureVerdict:
    role: str
    method: str
    signer_name: str
    """For an electronic signature, the name in its certificate (never the register's row)."""
    signed_at: str
    status: SignatureStatus | None = None
    """For electronic signatures; None for paper ones."""
    scan_present: bool | None = None
    warnings: list[str] = field(default_factory=list)
    """Where the register's rows disagree with the signature (a sign of an edited database),
    or the certificate writes the signatory's ФИО shorter than the document does."""
    label: str = ""
    """Who signed, in Russian (:func:`service.signing.paper.signed_as`): the role's name, or
    «законный представитель» for a minor's consent signed in the guardian's name."""
    not_signatory: str | None = None
    """Set when the certificate names someone other than the person the document prints on
    this role's signature line: what the document names. Such a signature fails the check."""
    unchecked: str = ""
    """Why an electronic signature could not be checked at all (the file it was made over is
    gone: the PDF copy of a destroyed document); it is neither valid nor invalid then."""

    @property
    def ok(self) -> bool:
        if self.not_signatory is not None or self.unchecked:
            return False
        return self.status.bottom_line if self.status else bool(self.scan_present)

    @property
    def problems(self) -> list[str]:
        """What is wrong with an electronic signature, in Russian (empty when it is sound)."""
        found = list(self.status.problems) if self.status else []
        if self.not_signatory is not None:
            found.append(_not_signatory({self.role: self.not_signatory}, self.signer_name))
        return found

    def describe(self) -> str:
        who = f"{self.label or SIGNER_NAMES.get(self.role, self.role)} — {self.signer_name}"
        if self.method == "paper":
            scan = "скан на месте" if self.scan_present else self.unchecked or "СКАН ОТСУТСТВУЕТ"
            return f"подпись на бумаге ({who}), {self.signed_at}: {scan}"
        if self.unchecked:
            return f"ПОДПИСЬ НЕ ПРОВЕРЕНА: {who}, подписано {self.signed_at}\n  — {self.unchecked}"
        st = self.status
        assert st is not None
        head = "ПОДПИСЬ ВЕРНА" if self.ok else "ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА"
        lines = [f"{head}: {who}, подписано {self.signed_at}, сертификат № {st.serial}"]
        lines += [f"  — {problem}" for problem in self.problems]
        lines += [f"  — ВНИМАНИЕ: {warning}" for warning in self.warnings]
        return "\n".join(lines)


def _not_signatory(printed: dict[str, str], holder: str) -> str:
    """The problem of a signature whose certificate (of ``holder``) names none of ``printed``
    (role → the ФИО the document prints for it)."""
    return not_named([f"{SIGNER_NAMES.get(r, r)} «{name}»" for r, name in printed.items()], holder)


@dataclass
class Verdict:
    sha256: str
    found: bool
    title: str = ""
    details: list[str] = field(default_factory=list)
    signatures: list[SignatureVerdict] = field(default_factory=list)
    external: SignatureStatus | None = None
    """The verdict on a ``.p7s`` brought together with the file."""
    draft: str = ""
    """When the file is not in the register but was the unsigned draft of one of its documents
    (the batch's copy in outbox/, before signing wrote the number or date into it): what it
    is and where the signed copy is — instead of «изменён или не создавался этим сервисом»."""
    external_not_signatory: dict[str, str] | None = None
    """Set when the ``.p7s``'s certificate names none of the people a document of the register
    prints as its electronic signatories: role → their ФИО."""
    unchecked: str = ""
    """Set when the file is the register's (its SHA-256 is on record) but its electronic
    signatures cannot be checked: what was verified and what was not, for the verdict's end."""

    @property
    def external_ok(self) -> bool:
        """The ``.p7s`` is good and made by one of the document's signatories."""
        external = self.external
        return external is not None and external.bottom_line and not self.external_not_signatory

    @property
    def external_problems(self) -> list[str]:
        """What is wrong with the ``.p7s``, in Russian."""
        if self.external is None:
            return []
        found = list(self.external.problems)
        if self.external_not_signatory:
            found.append(
                _not_signatory(self.external_not_signatory, self.external.signer_name or "")
            )
        return found

    @property
    def summary(self) -> str:
        """The verdict's last line, after «ИТОГ: »."""
        if self.ok:
            return "документ подлинный, подписи верны."
        return self.unchecked or "проверка НЕ пройдена."

    @property
    def ok(self) -> bool:
        checks = [s.ok for s in self.signatures]
        if self.external is not None:
            checks.append(self.external_ok)
        return bool(checks) and all(checks)

    def to_text(self) -> str:
        lines = [f"SHA-256: {self.sha256}"]
        if self.found:
            lines.append(f"Документ реестра: {self.title}")
            lines += [f"  {line}" for line in self.details]
        elif self.draft:
            lines.append(self.draft)
        else:
            lines.append(
                "Файла с таким содержимым нет в реестре: он изменён или не создавался "
                "этим сервисом."
            )
        if self.signatures:
            lines.append("Подписи:")
            lines += [f"  {s.describe()}" for s in self.signatures]
        elif self.found:
            lines.append("Подписей нет.")
        if self.external is not None:
            st = self.external
            head = "ПОДПИСЬ ВЕРНА" if self.external_ok else "ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА"
            lines.append(
                f"Приложенный файл подписи: {head}"
                + (f" ({st.signer_name}, сертификат № {st.serial})" if st.signer_name else "")
            )
            lines += [f"  — {problem}" for problem in self.external_problems]
        lines.append("ИТОГ: " + self.summary)
        return "\n".join(lines) + "\n"


def _draft_text(session: Session, digest: str) -> str:
    """«Это неподписанный черновик…» for the draft of a register's document, else ""."""
    found = draft_of(session, digest)
    if found is None:
        return ""
    document, entry = found
    details = entry.details or {}
    if entry.kind == "order_registered":
        written = f"номер и дата приказа (№ {details.get('number')})"
    elif details.get("order_number"):
        written = f"дата утверждения и номер приказа (№ {details.get('order_number')})"
    else:
        written = "дата утверждения"
    return (
        f"Это неподписанный черновик документа «{BY_ID[document.kind].title} — "
        f"{document.subject_label}», версия {document.version} (например, копия из папки "
        f"outbox/): при подписи {entry.at:%d.%m.%Y} в него вписаны {written}, и подписан уже "
        "исправленный файл. Проверьте подписанный экземпляр: скачайте его со страницы "
        "документа или из архива."
    )


def verify_file(
    session: Session, var: Path, store: FileStore, data: bytes, signature: bytes | None = None
) -> Verdict:
    """Everything the register and the signatures say about ``data``."""
    digest = sha256_bytes(data)
    verdict = Verdict(sha256=digest, found=False)
    trust = [load_ca_certificate(var)] if has_ca(var) else []
    revoked = revoked_serials(session)
    document = document_with_sha256(session, digest)
    signed = data  # what the signatures are over: the file, or the DOCX of its archive copy
    copy = archived_copy(session, digest) if document is None else None
    gone = ""  # why the signatures cannot be checked: the file they are over is gone
    act = None
    if copy is not None:
        # the archive's PDF/A copy, for reading and printing: it was «изменён или не
        # создавался этим сервисом»; its signatures are its DOCX's (inspector20)
        document, signed = copy.document, store.get_if_intact(copy.document.sha256)
        if not signed:  # the archive's own copy of the DOCX, unless destroyed
            signed = FileStore(var / "archive").get_if_intact(copy.document.sha256)
        act = session.get(DestructionAct, copy.act_id) if copy.act_id is not None else None
        if not signed:
            gone = gone_text(act)
            verdict.unchecked = (
                "эта PDF-копия — копия документа реестра (её SHA-256 записан в архиве), но его "
                "электронные подписи проверить нельзя: файла документа (DOCX), под которым они "
                "поставлены, больше нет."
            )
    if document is None:
        verdict.draft = _draft_text(session, digest)
    destroyed_by = destroying_act(session, document.id) if document is not None else None
    if copy is None and destroyed_by is not None:
        gone = destroyed_docx_text(destroyed_by)  # its .p7s files were destroyed with it
        verdict.unchecked = destroyed_docx_summary(destroyed_by)
    if document is not None:
        kind = BY_ID[document.kind]
        verdict.found = True
        verdict.title = f"{kind.title} — {document.subject_label}"
        verdict.details = [
            f"вид: {kind.title}, версия {document.version}, документ № {document.id}",
            f"состояние: {status_text(session, document)}",
        ]
        if copy is not None:
            verdict.details.insert(1, copy_text(copy.archived_at, act))
        if kind.is_order and signed:
            verdict.details += order_number_lines(session, document, signed)
        verdict.details += successor_lines(session, document)
        for sig in document.signatures:
            item = SignatureVerdict(
                sig.role, sig.method, sig.signer_name, f"{sig.signed_at:%d.%m.%Y %H:%M}"
            )
            item.label = signed_as(document, sig.role, sig.signer_name)
            if sig.method != "cms" and destroyed_by and not store.has(sig.sha256):
                item.unchecked = f"скан удалён: документ уничтожен по акту {destroyed_by}"
            elif sig.method == "cms" and gone and not store.has(sig.sha256):
                item.unchecked = gone
            elif sig.method == "cms":
                p7s = store.get_if_intact(sig.sha256)
                # checked as of the signing moment, so it still verifies after the
                # certificate's year is over; a revocation counts from its own date
                item.status = verify_detached(
                    signed,
                    p7s,
                    trust,
                    revoked_serials=_revoked_before(revoked, sig.signed_at),
                    at=sig.signed_at.astimezone(UTC),
                )
                item.warnings += _revoked_later(revoked, item.status, sig.signed_at)
                # whose signature it is says the certificate, not an editable row
                item.signer_name = item.status.signer_name or "не установлен"
                if item.status.signer_name and item.status.signer_name != sig.signer_name:
                    item.warnings.append(
                        "в реестре подписант этой подписи записан иначе, чем в сертификате: "
                        "запись реестра изменена в обход сервиса"
                    )
                _compare_signatory(item, printed_signatory(document, sig.role))
            else:
                item.scan_present = store.has(sig.sha256)
            verdict.signatures.append(item)
    if signature is not None:
        # the register's own signature brought as a file: as of its recorded signing moment,
        # brought with a changed file or another document too (a key revoked since then was
        # «Сертификат отозван: подпись недействительна» beside «остаётся действительной»)
        known = electronic_signature_with_sha256(session, sha256_bytes(signature))
        signed_at = known.signed_at if known is not None else None
        external = verify_detached(
            data,
            signature,
            trust,
            revoked_serials=_revoked_before(revoked, signed_at),
            at=signed_at.astimezone(UTC) if signed_at else None,
        )
        if external.valid and not external.intact:
            external = _another_documents(session, signature, external, copy)
        verdict.external = external
        if document is not None and external.signer_name:
            verdict.external_not_signatory = _unnamed(document, external.signer_name)
    return verdict


def _revoked_before(revoked: dict[int, Signer], moment: datetime | None) -> set[int]:
    """Serials revoked at or before ``moment`` (every revoked one when it is not known). A key
    revoked after it signed — the ledger recorded the signature first — leaves that signature
    valid: the archive bag's check and its ПРОВЕРКА.txt count it so too."""
    return {n for n, signer in revoked.items() if moment is None or signer.revoked_at <= moment}


def _revoked_later(
    revoked: dict[int, Signer], status: SignatureStatus, signed_at: datetime
) -> list[str]:
    """The warning of a signature whose certificate was revoked after it signed."""
    signer = revoked.get(int(status.serial, 16)) if status.serial else None
    if signer is None or signer.revoked_at <= signed_at:
        return []
    return [
        f"сертификат отозван {signer.revoked_at:%d.%m.%Y %H:%M} — после подписания: подпись "
        "поставлена до отзыва и остаётся действительной"
    ]


def _compare_signatory(item: SignatureVerdict, printed: str | None) -> None:
    """Fail ``item`` if its certificate names someone other than the document's signatory;
    a name only written shorter on one side (a certificate issued before names were compared,
    «Кинякина Татьяна» for «Т.И. Кинякина») is a warning, not another person."""
    holder = item.status.signer_name if item.status else None
    if printed is None or not holder:
        return
    another, warning = holder_verdict([printed], holder)
    if warning:
        item.warnings.append(warning)
    elif another:
        item.not_signatory = printed


def _unnamed(document: Document, holder: str) -> dict[str, str] | None:
    """The electronic signatories ``document`` prints (role → ФИО) when ``holder`` is none of
    them; None when he is one, or the document keeps no context to tell."""
    printed = {
        role: name
        for role in BY_ID[document.kind].signers
        if role in ELECTRONIC_ROLES and (name := printed_signatory(document, role))
    }
    if not printed or any(may_be_same_person(name, holder) for name in printed.values()):
        return None
    return printed


def signed_digest(signature: bytes) -> tuple[str, str] | None:
    """The digest algorithm and the hex ``messageDigest`` a CMS signature vouches for (the
    hash of the bytes it was put under), or None when it cannot be read."""
    try:
        info = asn1_cms.ContentInfo.load(signature)
        (signer_info,) = info["content"]["signer_infos"]
        algorithm = signer_info["digest_algorithm"]["algorithm"].native
        for attribute in signer_info["signed_attrs"]:
            if attribute["type"].native == "message_digest":
                return algorithm, attribute["values"][0].native.hex()
    except Exception:  # noqa: BLE001 - untrusted bytes: unreadable means unknown
        return None
    return None


def successor_lines(session: Session, document: Document) -> list[str]:
    """A signed version that a later signed version of the same document and school year
    replaced says so: its signatures stay valid, but an order signed again voids this one
    («Признать утратившим силу приказ … № …»), and an inspector holding the old file must know
    which one is in force. A newer version not signed yet (waiting for signature, or
    returned) is named too: this one is in force until it is signed."""
    lines = []
    later = replaced_in_year(session, [document]).get(document.id)
    waiting = unsigned_successor(session, document)
    if waiting is not None:
        # play13: a signed version with a new one awaiting the director said only «подлинный»
        state = STATUS_NAMES.get(waiting.status, waiting.status)
        still = "" if later is not None else "; пока она не подписана, действует эта версия"
        lines.append(f"ВНИМАНИЕ: в новой версии {waiting.version} документ {state}{still}")
    if later is None:
        return lines
    number = (
        f" — № {later.number} от {later.reg_date:%d.%m.%Y}"
        if later.number and later.reg_date
        else ""
    )
    voided = "; этот приказ утратил силу" if BY_ID[document.kind].is_order else ""
    signed = f"ВНИМАНИЕ: действует более новая подписанная версия {later.version}{number}{voided}"
    return [signed, *lines]


def _another_documents(
    session: Session, signature: bytes, status: SignatureStatus, copy: ArchiveItem | None = None
):
    """A signature whose value is correct but whose digest is not this file's was put under
    other bytes: say «подпись относится к другому документу» (naming it when the register has
    a document with that hash), not that this file was changed."""
    digest = signed_digest(signature)
    other = None
    if digest is not None and digest[0] == "sha256":
        other = document_with_sha256(session, digest[1])
    if other is not None and copy is not None and other.id == copy.document_id:
        wording = (
            "Это подпись самого документа (файла DOCX), а не его PDF-копии: проверьте её "
            "вместе с DOCX (PDF-копия подписана внутри файла, отметкой PAdES)"
        )
    elif other is not None:
        title = f"«{BY_ID[other.kind].title} — {other.subject_label}»"
        if other.number:
            title += f", № {other.number} от {other.reg_date:%d.%m.%Y}"
        wording = (
            f"{ANOTHER_DOCUMENT} — {title}, версия {other.version}: подпись цела, но "
            "поставлена не под этим файлом"
        )
    else:
        wording = (
            f"{ANOTHER_DOCUMENT}: подпись цела, но поставлена под другим содержимым (этот файл "
            "изменён после подписания или подпись взята от другого файла)"
        )
    problems = tuple(wording if p == CHANGED else p for p in status.problems)
    return replace(status, problems=problems)
