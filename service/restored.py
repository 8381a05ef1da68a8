"""Content put back to what was signed: the drafts after the signed version are withdrawn.

A workbook changed a signed document (a new curator: version 2 awaits the director's
signature, declaring the signed order void), and the next one puts the signed content back
(the change was a mistake). A new version would be the order in force made again, declaring
itself void, and the director would sign again what she had signed. Instead no version is
made: the unsigned versions after the signed one are withdrawn (superseded: they leave the
queue) and the signed version is the current one again, as it was signed (file, number,
signatures). :func:`~service.versions.generate_all` and the dry run ask :func:`restorable`
alike; only the batch calls :func:`withdraw`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from service.config import Settings
from service.documents import canonical
from service.documents.parallel import render_many
from service.documents.planning import PlannedDocument
from service.documents.render import render_document
from service.register.batches import (
    DRAFT_STATES,
    SIGNED_STATES,
    LatestVersion,
    contexts_of,
    last_partly_signed_versions,
    last_signed_versions,
    revive,
    withdraw_drafts,
)
from service.register.events import NewEvent
from service.register.labels import WITHDRAWN_EVENT
from service.register.models import DocumentStatus

WITHDRAWN = WITHDRAWN_EVENT
"""The ledger event of each withdrawn draft."""


def restorable(
    settings: Settings,
    session: Session,
    planned: list[PlannedDocument],
    digests: list[str],
    current: dict[tuple[str, str], LatestVersion],
    remake: list[bool],
) -> dict[int, Any]:
    """The planned documents (by index) whose content is that of their last signed version
    while a later version nobody signed is their latest: each with that signed version (id,
    version). An appendix of an order (roadmap, regulation, target model) only with its order:
    made again with a new order, its draft stays while that order stands. Content whose
    data differ from the signed version's only where its text does not show them counts as
    the same (both rendered and compared, as :func:`~service.versions._new_versions` does
    with the latest version)."""
    candidates = {}
    for index, item in enumerate(planned):
        latest = current.get((item.kind.id, item.subject_key))
        if latest is None or latest.has_signatures:
            continue
        if latest.status in DRAFT_STATES or latest.status == DocumentStatus.SUPERSEDED:
            candidates[index] = (item.kind.id, item.subject_key)
    signed = last_signed_versions(session, candidates.values())
    partly = last_partly_signed_versions(session, candidates.values())
    found = {}
    unseen = {}  # other data, maybe the same text (a goal the order on pairs does not print)
    for index, key in candidates.items():
        # the version in force, or a newer one signed by some, superseded before the others
        # signed (a contract signed by the director, awaiting the mentor): hers is kept too
        targets = [v for v in (partly.get(key), signed.get(key)) if v is not None]
        if key in signed and key in partly and partly[key].version < signed[key].version:
            targets = [signed[key]]
        for version in targets:
            if version.context_sha256 == digests[index]:
                found[index] = version
                break
        else:
            if remake[index] and targets:
                unseen[index] = targets[0]
    for index in _same_text(settings, session, planned, unseen):
        found[index] = unseen[index]
    orders = {item.kind.id: index for index, item in enumerate(planned) if item.kind.is_order}
    for index in list(found):
        order = orders.get(planned[index].kind.appendix_of or "")
        if order is None or order in found:
            continue
        latest = current.get((planned[order].kind.id, planned[order].subject_key))
        if latest is None or latest.status not in SIGNED_STATES or remake[order]:
            del found[index]  # its order's new version stands, or is made now
    return found


def _same_text(
    settings: Settings, session: Session, planned: list[PlannedDocument], signed: dict[int, Any]
) -> list[int]:
    """Which of the planned documents (by index) would print the text of their ``signed``
    version: the new context rendered with the signed one's ``doc``, and the signed one."""
    kept = contexts_of(session, [version.id for version in signed.values()])
    compared = []
    jobs: list[tuple[Any, dict[str, Any]]] = []
    for index, version in signed.items():
        if kept.get(version.id) is None:
            continue
        old = canonical.loads(kept[version.id])
        new = canonical.loads(canonical.dumps(planned[index].context))
        jobs += [(planned[index].kind, {**new, "doc": old["doc"]}), (planned[index].kind, old)]
        compared.append(index)
    rendered = render_many(settings, jobs, render=render_document, share=True)
    return [index for index in compared if next(rendered) == next(rendered)]


def has_drafts(latest: LatestVersion) -> bool:
    """Whether a restorable document's latest version is a draft to withdraw (not one
    withdrawn by an earlier batch)."""
    return latest.status in DRAFT_STATES


def withdraw(
    session: Session,
    planned: list[PlannedDocument],
    restored: dict[int, Any],
    actor: str,
    batch_id: int | None,
) -> list[NewEvent]:
    """Withdraw the drafts after each ``restored`` document's signed version; return the
    ledger events saying so, one per withdrawn draft."""
    events = []
    for index, signed in sorted(restored.items()):
        item = planned[index]
        if signed.status == DocumentStatus.SUPERSEDED:  # signed by some: awaits the others
            revive(session, signed.id)
        for draft in withdraw_drafts(session, item.kind.id, item.subject_key, signed.version):
            details = {
                "kind": item.kind.id,
                "title": item.kind.title,
                "subject": item.subject_label,
                "version": draft.version,
                "current_version": signed.version,
            }
            events.append(NewEvent(WITHDRAWN, actor, batch_id, draft.id, details))
    return events
