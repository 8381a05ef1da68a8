"""Verification of the school's own archive (``var/archive`` and the register): every archived
file re-hashed (a changed or deleted one is found), every CMS signature and PAdES mark checked
against the school CA, every stored ledger proof checked against the ledger as it is now, and
the ledger's hash chain. ``nastavnik archive verify`` without a path runs this.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC

from sqlalchemy.orm import Session

from service.archive.checks import CmsChecker, PadesChecker, Trust, Verdict
from service.archive.erasure import leftovers
from service.archive.proofs import Ledger, MerkleLevels, check_proof
from service.archive.store import ArchiveStore, FileState
from service.archive.verify_documents import WHAT, without_pades
from service.config import Settings
from service.documents.catalogue import BY_ID
from service.register.archive import kept_items
from service.register.events import verify_chain
from service.register.models import Signature
from service.register.signers import revoked_signers
from service.signing.authority import has_ca, load_ca_certificate

STATE_TEXT = {
    FileState.CHANGED: "файл архива изменён: SHA-256 не совпадает",
    FileState.MISSING: "файл архива удалён",
}


@dataclass
class ArchiveReport:
    verdicts: list[Verdict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    documents: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and all(v.ok for v in self.verdicts)

    def to_text(self) -> str:
        lines = [f"ОШИБКА: {p}" for p in self.problems]
        for verdict in self.verdicts:
            detail = "; ".join(verdict.problems or verdict.notes)
            head = "ВЕРНО  " if verdict.ok else "НЕВЕРНО"
            tail = f": {detail}" if detail else ""
            lines.append(f"{head} {verdict.path} — {verdict.what}{tail}")
        bad = sum(not v.ok for v in self.verdicts)
        # the problems (an act not completed, the ledger) are not files: counted apart, else
        # «с ошибками 0. ПРОВЕРКА НЕ ПРОЙДЕНА» read as a contradiction (attack22)
        other = f"; других ошибок {len(self.problems)}" if self.problems else ""
        lines.append(
            f"ИТОГ: архивных документов {self.documents}, файлов {len(self.verdicts)}, "
            f"с ошибками {bad}{other}. " + ("Архив цел." if self.ok else "ПРОВЕРКА НЕ ПРОЙДЕНА.")
        )
        return "\n".join(lines) + "\n"


def verify_archive(session: Session, settings: Settings) -> ArchiveReport:
    """Check every document in the archive that is not destroyed (reads only)."""
    report = ArchiveReport()
    if not has_ca(settings.var):
        report.problems.append("Удостоверяющий центр школы не создан: подписи не проверить.")
        return report
    archive = ArchiveStore(settings.archive_dir)
    bad_event = verify_chain(session)
    if bad_event is not None:
        report.problems.append(f"Журнал событий изменён: запись № {bad_event} не сходится.")
    ledger = Ledger.read(session)
    events = ledger.by_id()
    roots: dict[int, str] = {}
    revoked = {int(s.serial, 16): s.revoked_at.astimezone(UTC) for s in revoked_signers(session)}
    trust = Trust((load_ca_certificate(settings.var),), revoked, 0, "")
    checker = CmsChecker(trust)
    pades = PadesChecker(trust, checker)
    # a destroyed document's file still on disk, an act whose copies were never all removed
    report.problems += leftovers(session, settings)
    for item in kept_items(session):
        report.documents += 1
        report.verdicts += _check_item(
            item, session, archive, ledger, events, roots, checker, pades
        )
    return report


def _check_item(item, session, archive, ledger, events, roots, checker, pades) -> list[Verdict]:
    """One verdict per archived file of ``item``."""
    document = item.document
    label = f"№ {document.id} {BY_ID[document.kind].title} — {document.subject_label}"
    verdicts = []
    docx_sha = next(f["sha256"] for f in item.files if f["role"] == "docx")
    docx_state = archive.check(docx_sha)
    for file in item.files:
        verdict = Verdict(f"{label} [{file['sha256'][:12]}]", WHAT.get(file["role"], file["role"]))
        verdicts.append(verdict)
        state = archive.check(file["sha256"])
        if state is not FileState.INTACT:
            verdict.problems.append(STATE_TEXT[state])
            continue
        data = archive.get(file["sha256"])
        if file["role"] == "signature" and docx_state is FileState.INTACT:
            signature = session.get(Signature, file.get("signature_id"))
            moment = signature.signed_at if signature else None
            docx = archive.get(docx_sha)
            status = checker.check(docx, bytes.fromhex(docx_sha), data, moment)
            if status.bottom_line:
                verdict.notes.append(f"подпись верна: {status.signer_name}")
            else:
                verdict.problems += list(status.problems) or ["подпись неверна"]
        elif file["role"] == "pdf" and any(f["role"] == "signature" for f in item.files):
            event = events.get(item.event_id or 0)
            unsigned = without_pades({"details": event.details} if event else None)
            verdict.notes += unsigned
            signed = sum(1 for f in item.files if f["role"] == "signature")
            if len(unsigned) >= signed:
                continue
            result = pades.check(data, event.at if event else None)
            verdict.problems += list(result.problems)
            if not result.problems:
                verdict.notes.append("отметки о подписи верны: " + ", ".join(result.signers))
        elif file["role"] == "proof":
            verdict.problems += _proof_problems(data, ledger, roots)
    return verdicts


def _proof_problems(data: bytes, ledger: Ledger, roots: dict[int, str]) -> list[str]:
    """The stored proof checked against the root of the ledger's first ``tree_size`` entries
    as they are now: an edited or removed entry before it changes that root."""
    try:
        size = int(json.loads(data)["tree_size"])
    except (ValueError, KeyError, TypeError):
        return ["файл доказательства повреждён"]
    if size > len(ledger.entries):
        return ["журнал событий короче, чем был при помещении в архив: записи удалены"]
    if size not in roots:
        roots[size] = MerkleLevels(ledger.entries[:size]).root.hex()
    return list(check_proof(data, size, roots[size]).problems)
