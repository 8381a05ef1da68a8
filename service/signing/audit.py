"""The register's signatures and order journal checked against the ledger. Every signature,
scan and order number the service makes is written to the ledger in the same transaction; a
row without its entry (or unlike it) was added or changed behind the service's back — or the
end of the ledger was cut off. Part of ``nastavnik ledger verify``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy.orm import Session

from service.documents.catalogue import SIGNER_NAMES
from service.documents.russian import plural
from service.register.journal import journal_entries
from service.register.models import Event
from service.register.queries import numbered_documents, signatures_in_order


def register_problems(session: Session, events: Iterable[Event]) -> list[str]:
    """Russian lines, one per row of the register that the ledger does not bear out."""
    signed: dict[tuple[int | None, str | None], dict] = {}
    scans: set[tuple[int | None, str | None]] = set()
    orders: dict[int | None, set[tuple[str, str]]] = {}
    for event in events:
        details = event.details or {}
        if event.kind == "document_signed":
            signed[(event.document_id, details.get("signature_sha256"))] = details
        elif event.kind == "scan_attached":
            scans.add((event.document_id, details.get("scan_sha256")))
        elif event.kind == "order_registered":
            orders.setdefault(event.document_id, set()).add(
                (str(details.get("number")), str(details.get("date")))
            )
    problems = [
        *_signature_problems(session, signed, scans),
        *_journal_problems(session, orders),
    ]
    return problems


def _signature_problems(
    session: Session,
    signed: dict[tuple[int | None, str | None], dict],
    scans: set[tuple[int | None, str | None]],
) -> list[str]:
    problems = []
    for signature in signatures_in_order(session):
        who = SIGNER_NAMES.get(signature.role, signature.role)
        key = (signature.document_id, signature.sha256)
        if signature.method == "cms":
            entry = signed.get(key)
            if entry is None:
                problems.append(
                    f"Подпись документа № {signature.document_id} ({who}) не записана в журнале "
                    "событий: она добавлена в обход сервиса, или конец журнала удалён."
                )
            elif entry.get("document_sha256") != signature.document.sha256:
                problems.append(
                    f"Файл документа № {signature.document_id} заменён после подписи: журнал "
                    "событий записал подписанным другое содержимое."
                )
        elif key not in scans:
            problems.append(
                f"Скан подписи документа № {signature.document_id} ({who}) не записан в журнале "
                "событий: он добавлен в обход сервиса, или конец журнала удалён."
            )
    return problems


def _journal_problems(
    session: Session, orders: dict[int | None, set[tuple[str, str]]]
) -> list[str]:
    problems = []
    entries = journal_entries(session)
    for entry in entries:
        if (entry.number, entry.date.isoformat()) not in orders.get(entry.document_id, set()):
            problems.append(
                f"Запись журнала приказов № {entry.number} от {entry.date:%d.%m.%Y} (документ "
                f"№ {entry.document_id}) не совпадает с журналом событий."
            )
    repeated = Counter((entry.year, entry.number) for entry in entries)
    for (_, number), count in sorted(repeated.items()):
        if count > 1:
            times = plural(count, ("раз", "раза", "раз"))
            problems.append(f"Номер приказа {number} записан в журнале приказов {count} {times}.")
    by_document = {entry.document_id: entry for entry in entries}
    for document in numbered_documents(session):
        entry = by_document.get(document.id)
        if entry is None or entry.number != document.number:
            problems.append(
                f"У документа № {document.id} номер {document.number} не из журнала приказов."
            )
    return problems
