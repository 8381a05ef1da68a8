"""``nastavnik documents``: the register's current documents, one line each or as JSON.
Wiring only: the query is :func:`service.register.listings.register_documents`, read without
the ORM so that the command starts at once (issue 15)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from service.cli.common import RussianError, pass_settings
from service.config import Settings
from service.documents.catalogue import BY_ID
from service.documents.records import document_fields
from service.register.labels import DESTROYED, STATUS_NAMES, DocumentStatus, destroyed_name

if TYPE_CHECKING:
    from service.register.listings import DocumentRow


def document_record(document: DocumentRow) -> dict:
    """One document for ``--json`` (status ids as in the API; a destroyed one's status stays
    ``archived``, its ``status_name`` and ``destroyed_by`` name the act)."""
    fields = document_fields(document)
    gone = getattr(document, "destroyed_by", None)  # an ORM document has none
    if gone is not None:
        fields["status_name"] = destroyed_name(gone)
    return {
        **fields,
        "destroyed_by": gone,
        "context_sha256": document.context_sha256,
        "signatures": [
            {"role": s.role, "method": s.method, "signer": s.signer_name}
            for s in document.signatures
        ],
    }


def document_line(document: DocumentRow) -> str:
    """«12  Приказ … — МБОУ …  версия 1  подписан  № 3-о от 02.10.2023»."""
    status = STATUS_NAMES.get(document.status, document.status)
    gone = getattr(document, "destroyed_by", None)  # an ORM document has none
    if gone is not None:
        status = destroyed_name(gone)
    line = (
        f"{document.id}\t{BY_ID[document.kind].title} — {document.subject_label}\t"
        f"версия {document.version}\t{status}"
    )
    if document.number:
        line += f"\t№ {document.number} от {document.reg_date:%d.%m.%Y}"
    return line


@click.command()
@click.option("--kind", default=None, help="Только документы этого вида (например, order_pairs).")
@click.option(
    "--status",
    default=None,
    help="Только в этом состоянии: "
    + ", ".join([*(s.value for s in DocumentStatus), DESTROYED])
    + f" ({DESTROYED}: уничтоженные по акту; {DocumentStatus.ARCHIVED.value}: хранимые в архиве).",
)
@click.option("--json", "as_json", is_flag=True, help="Список объектов JSON.")
@pass_settings
def documents(settings: Settings, kind: str | None, status: str | None, as_json: bool) -> None:
    """Действующие документы реестра: номер, название, о ком, версия, состояние."""
    if kind and kind not in BY_ID:
        raise RussianError(f"Вида документов «{kind}» нет. Виды: {', '.join(BY_ID)}.")
    statuses = [*(s.value for s in DocumentStatus), DESTROYED]
    if status and status not in statuses:
        raise RussianError(f"Состояния «{status}» нет. Состояния: {', '.join(statuses)}.")
    from service.register.listings import register_documents
    from service.register.reading import register_reader

    with register_reader(settings.database_url) as read:
        found = register_documents(read, kind or "", status or "")
    if as_json:
        records = [document_record(d) for d in found]
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("Документов нет.")
    for document in found:
        click.echo(document_line(document))


COMMANDS = [documents]
