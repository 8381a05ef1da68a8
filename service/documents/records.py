"""One document version as plain data, the same for ``nastavnik documents --json`` and the JSON
API (each adapter adds only what is its own: links, comments)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from service.documents.catalogue import BY_ID
from service.register.labels import STATUS_NAMES

if TYPE_CHECKING:
    from service.register.listings import DocumentRow
    from service.register.models import Document


def document_fields(document: Document | DocumentRow, state: str | None = None) -> dict[str, Any]:
    """Identity, status (the API's ids and their Russian names), registration and hashes; of
    an ORM document (the API) or of a listing's row (``nastavnik documents``). ``state`` is its
    state as the office names it when the status alone does not tell it (a withdrawn draft, a
    document destroyed by an act: :func:`service.register.states.state_names`)."""
    return {
        "id": document.id,
        "kind": document.kind,
        "title": BY_ID[document.kind].title,
        "subject": document.subject_label,
        "subject_key": document.subject_key,
        "version": document.version,
        "status": str(document.status),
        "status_name": state or STATUS_NAMES.get(document.status, document.status),
        "number": document.number,
        "reg_date": document.reg_date.isoformat() if document.reg_date else None,
        "sha256": document.sha256,
        "template_sha256": document.template_sha256,
        "batch": document.batch_id,
    }
