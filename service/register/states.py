"""A document's state as the office names it, in one place for every page, list, JSON and
message: its status («подписан», «в архиве»), or what the status alone does not tell — a draft
withdrawn for its signed version or as no longer due (stored superseded), a document destroyed
by an act of destruction (stored archived: «уничтожен (акт № 1/28 от 01.01.2028)»)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.register.archive import destroying_acts
from service.register.labels import (
    NOT_DUE_EVENT,
    NOT_DUE_NAME,
    PAIR_WITHDRAWN_NAME,
    STATUS_NAMES,
    destroyed_name,
)
from service.register.models import Document, DocumentStatus, Event
from service.register.queries import WITHDRAWN_NAME, not_due_versions, withdrawn_versions


def state_names(session: Session, documents: Iterable[Document]) -> dict[int, str]:
    """Id → the state of each of ``documents`` as the office names it, read in one go for a
    list: the withdrawn drafts say so (and which version is in force), the documents an act
    destroyed name the act, the rest their status."""
    documents = list(documents)
    superseded = [d.id for d in documents if d.status == DocumentStatus.SUPERSEDED]
    archived = [d.id for d in documents if d.status == DocumentStatus.ARCHIVED]
    withdrawn = withdrawn_versions(session, superseded)
    not_due = not_due_versions(session, [i for i in superseded if i not in withdrawn])
    of_pairs = _of_withdrawn_pairs(session, not_due) if not_due else {}
    acts = destroying_acts(session, archived) if archived else {}
    names = {}
    for d in documents:
        if d.id in withdrawn:
            names[d.id] = WITHDRAWN_NAME.format(version=withdrawn[d.id])
        elif d.id in of_pairs:
            names[d.id] = PAIR_WITHDRAWN_NAME.format(code=of_pairs[d.id])
        elif d.id in not_due:
            names[d.id] = NOT_DUE_NAME
        elif d.id in acts:
            names[d.id] = destroyed_name(acts[d.id])
        else:
            names[d.id] = STATUS_NAMES.get(d.status, d.status)
    return names


def _of_withdrawn_pairs(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """Of the drafts ``ids`` withdrawn as no longer made, those of a pair the secretary
    withdrew as entered by mistake (:mod:`service.pair_withdrawal`) → the pair's code."""
    rows = session.execute(
        select(Event.document_id, Event.details).where(
            Event.kind == NOT_DUE_EVENT, Event.document_id.in_(sorted(ids))
        )
    )
    return {
        document_id: str(details.get("subject", ""))
        for document_id, details in rows
        if isinstance(details, dict) and details.get("pair_withdrawn")
    }


def status_text(session: Session, document: Document) -> str:
    """One document's state as the office names it («ожидает подписи», «уничтожен (акт № 1/28
    от 01.01.2028)»): :func:`state_names` of it alone."""
    return state_names(session, [document])[document.id]


def destroyed_ids(session: Session, documents: Iterable[Document]) -> set[int]:
    """Of ``documents``, the ids of those an act destroyed (their files are gone)."""
    return set(
        destroying_acts(session, [d.id for d in documents if d.status == DocumentStatus.ARCHIVED])
    )
