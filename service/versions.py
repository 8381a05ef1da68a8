"""The documents one workbook makes: a new version only when a document's content changed.

Each planned document's context is hashed and compared, with its template's hash, to its
latest version; only what changed is rendered, stored and recorded (with its context as
canonical JSON and its template's hash, for signing and for the next workbook). An unchanged
document keeps its version, status and signatures. The pipeline calls :func:`generate_all`;
the dry run asks :func:`pending_changes`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from service.config import Settings
from service.documents import canonical
from service.documents.catalogue import Kind, signing_roles
from service.documents.docx_zip import prints_the_same_words
from service.documents.parallel import render_many
from service.documents.planning import PlannedDocument, context_digest
from service.documents.render import render_document
from service.documents.template_files import template_file
from service.outbox import OutboxEntry, UniqueNames
from service.progress import write_progress
from service.register.batches import BatchRecord as Batch
from service.register.batches import (
    LatestVersion,
    latest_versions,
    supersede_latest,
)
from service.register.events import NewEvent, record_events
from service.register.models import DocumentStatus
from service.register.new_versions import NewVersion, insert_versions, supersede
from service.reissued import appendices_of_replaced, replaced_orders
from service.restored import comparable, compared_contexts, has_drafts, restorable, withdraw
from service.retemplated import only_template_changed, printed_as_stored
from service.signing.paper import initial_status
from service.store import FileStore, sha256_bytes, sha256_file
from service.unseen import UnseenChanges

PROGRESS_SECONDS = 0.2
"""How often the progress file is written while a batch runs: often enough for the page,
which reads it once a second; a write every ten documents was 38 writes for 60 pairs."""


def generate_all(
    settings: Settings,
    store: FileStore,
    session: Session,
    batch: Batch,
    planned: list[PlannedDocument],
    actor: str,
    copy: Callable[[OutboxEntry, bytes], None] | None = None,
    stored: Callable[[list[OutboxEntry]], None] | None = None,
) -> tuple[list[OutboxEntry], int, list[dict[str, Any]]]:
    """Render what changed and record it, in plan order; return the outbox entries of the
    documents made (new ones and new versions, each file named apart: :class:`UniqueNames`),
    how many stayed unchanged and the drafts withdrawn (:mod:`service.restored`: their ledger
    events' details). ``copy(entry, data)`` is given each document made as soon
    as it is stored (the batch's outbox folder is written while the rest are rendered);
    ``stored(entries)`` once every document is stored, before their rows and events are
    written (the pipeline starts the store's flush and the outbox's inventory then).

    First each item's context is hashed and compared with its latest version (and the
    template's hash with the one it was made from), all latest versions read in one query,
    which fixes the version number printed in the document; then only the documents to make
    are rendered — by worker processes for a large batch (:func:`render_many`) — while this
    process stores each one as they come back. The new versions go into the batch's
    transaction :data:`FLUSH_EVERY` at a time, each flushed group's canonical contexts let go
    (a batch of 15,000 documents would otherwise hold them all, about 100 MB), and their
    ledger events are written together at the end (one chained write); the transaction
    commits once, so the batch is still all or nothing. An unchanged document keeps its
    version, status and signatures. ``planned`` is spent: each item's context is emptied once
    its document is stored, or at once when it stays unchanged.
    """
    digests = [context_digest(item.context) for item in planned]
    templates = _template_digests(settings, store, {item.kind for item in planned})
    current = latest_versions(session, {(i.kind.id, i.subject_key) for i in planned})
    todo: list[int] = []
    unseen = UnseenChanges(settings.var)
    remake = _new_versions(settings, planned, digests, templates, current, unseen)
    unseen.save()
    restored, replaced, forced = _decide(settings, session, planned, digests, current, remake)
    withdrawn = withdraw(session, planned, restored, actor, batch.id)
    for index, item in enumerate(planned):
        if index in replaced:
            item.context["doc"]["replaces"] = replaced[index]
        if remake[index] or index in forced:
            latest = current.get((item.kind.id, item.subject_key))
            item.context["doc"]["version"] = (latest.version + 1) if latest else 1
            todo.append(index)
        else:  # nothing is rendered from it: let go of the dictionaries now
            item.context = {}
    batch.documents_total = len(todo)
    jobs = [(planned[i].kind, planned[i].context) for i in todo]
    rendered = render_many(settings, jobs, render=render_document, share=True)
    made: list[tuple[NewVersion, PlannedDocument]] = []
    entries: list[OutboxEntry] = []
    names = UniqueNames()
    unflushed: list[NewVersion] = []
    write_progress(settings.var, batch.id, 0, len(todo))
    reported = time.monotonic()
    for step, index in enumerate(todo):
        item = planned[index]
        key = (item.kind.id, item.subject_key)
        # a document planned twice: its second item compares with the version just made
        document, data = _generate(
            settings,
            session,
            store,
            batch,
            item,
            (digests[index], templates[item.kind.id]),
            next(rendered),
            current.get(key),
            index in forced,
        )
        # stored, and its context kept as canonical JSON: let go of the dictionaries (a
        # batch of 15,000 documents would hold them all to the end, about 100 MB) once the
        # outbox's entry has read who signs from it
        jobs[step] = None
        if document is not None:
            entries.append(names(_entry(item, document)))
            current[key] = document
            made.append((document, item))
            if copy is not None:
                copy(entries[-1], data)
            unflushed.append(document)
            if len(unflushed) == FLUSH_EVERY:
                insert_versions(session, unflushed)
                unflushed.clear()
        item.context = {}
        if time.monotonic() - reported >= PROGRESS_SECONDS:
            write_progress(settings.var, batch.id, step + 1, len(todo))
            reported = time.monotonic()
    if stored is not None:
        stored(entries)
    insert_versions(session, unflushed)
    _record(session, batch, made, actor, withdrawn)
    return entries, len(planned) - len(entries), [event.details for event in withdrawn]


def _decide(
    settings: Settings,
    session: Session,
    planned: list[PlannedDocument],
    digests: list[str],
    current: dict[tuple[str, str], LatestVersion],
    remake: list[bool],
) -> tuple[dict[int, Any], dict[int, dict[str, Any]], set[int]]:
    """What the batch and its dry run alike decide after comparing with the latest versions
    (``remake``, updated here): the documents put back to a signed version (no new version:
    :mod:`service.restored`), the orders replacing a signed one (their ``doc.replaces``) and
    the appendices made again with them — each by index in ``planned``."""
    restored = restorable(settings, session, planned, digests, current, remake)
    for index in restored:
        remake[index] = False
    replaced = replaced_orders(session, planned, remake, current)
    return restored, replaced, appendices_of_replaced(planned, remake, current, replaced)


def _entry(item: PlannedDocument, document: NewVersion) -> OutboxEntry:
    return OutboxEntry(
        kind=item.kind.id,
        title=item.kind.title,
        subject=item.subject_label,
        file=item.file_name,
        sha256=document.sha256,
        version=document.version,
        signers=signing_roles(item.kind, item.context),
    )


FLUSH_EVERY = 500
"""New versions written into the batch's transaction at a time (see :func:`generate_all`)."""


def _record(
    session: Session,
    batch: Batch,
    made: list[tuple[NewVersion, PlannedDocument]],
    actor: str,
    withdrawn: list[NewEvent],
) -> None:
    """Write the ledger events of the drafts ``withdrawn`` and of the new versions (already
    flushed), in the order they were made: one chained write."""
    events = list(withdrawn)
    for document, item in made:
        events.append(
            NewEvent(
                "document_generated",
                actor,
                batch.id,
                document.id,
                {
                    "kind": item.kind.id,
                    "subject": item.subject_label,
                    "version": document.version,
                    "sha256": document.sha256,
                },
            )
        )
        if document.status == DocumentStatus.AWAITING_SIGNATURE:
            events.append(
                NewEvent(
                    "sent_for_signature",
                    actor,
                    None,
                    document.id,
                    {"signers": list(item.kind.signers)},
                )
            )
    if events:
        record_events(session, events)


REPLACEABLE = (
    DocumentStatus.GENERATED,
    DocumentStatus.AWAITING_SIGNATURE,
    DocumentStatus.RETURNED,
)
"""A new version supersedes these; a signed (or archived) version stays as it was signed."""


def _template_digests(settings: Settings, store: FileStore, kinds: set[Kind]) -> dict[str, str]:
    """The SHA-256 of each kind's template (the school's own when installed), the template
    itself kept in the store under it (signing renders an order again with exactly the
    template it was made from)."""
    digests = {}
    for kind in kinds:
        path = template_file(settings, kind)
        digests[kind.id] = store.put(path.read_bytes()) if path.is_file() else ""
    return digests


def pending_changes(
    settings: Settings,
    session: Session,
    planned: list[PlannedDocument],
    withdrawn: dict[int, int] | None = None,
) -> list[tuple[LatestVersion | None, bool]]:
    """For each planned document, its latest version and whether processing would make a new
    one (the dry run asks this without rendering or storing anything); ``withdrawn`` is given
    the documents whose drafts processing would withdraw (:mod:`service.restored`), by index,
    each with the signed version current again."""
    current = latest_versions(session, {(i.kind.id, i.subject_key) for i in planned})
    templates = {
        kind.id: sha256_file(template_file(settings, kind)) for kind in {i.kind for i in planned}
    }
    digests = [context_digest(item.context) for item in planned]
    unseen = UnseenChanges(settings.var)  # read only: a dry run writes nothing
    remake = _new_versions(settings, planned, digests, templates, current, unseen)
    restored, _, forced = _decide(settings, session, planned, digests, current, remake)
    for index, signed in restored.items():
        key = (planned[index].kind.id, planned[index].subject_key)
        if withdrawn is not None and has_drafts(current[key]):
            withdrawn[index] = signed.version
    for index in forced:
        remake[index] = True
    return [
        (current.get((item.kind.id, item.subject_key)), new)
        for item, new in zip(planned, remake, strict=True)
    ]


UNSEEN_GROUP = 500
"""Changed documents whose old and new text are rendered at a time to tell an unseen change
(:func:`_new_versions`): both contexts of each are held only while their group renders."""


def _new_versions(
    settings: Settings,
    planned: list[PlannedDocument],
    digests: list[str],
    templates: dict[str, str],
    current: dict[tuple[str, str], LatestVersion],
    unseen: UnseenChanges,
) -> list[bool]:
    """Whether each planned item (its context's digest in ``digests``, its kind's template hash
    in ``templates``, its latest version in ``current``) needs a new version: its latest
    version is not what the register would make now (:func:`_reusable`) and its text would
    differ. Asked by the batch and by the dry run alike.

    A change its text does not show makes no new version: a pair's goal in the order on pairs
    (which prints no goals), a person's «Пол» where her name stands in the nominative. A new
    version of those asked the director to sign the same text again under a new number, and a
    mentor to sign her unchanged consent again. Told by rendering both contexts with the same
    ``doc`` (the latest version is kept with its context, which renders the same); only for a
    version the same template would make (a changed template makes the unsigned documents
    again unless it renders one to the very bytes stored: :mod:`service.retemplated`). Those
    renders go through :func:`render_many`, :data:`UNSEEN_GROUP` documents at a time — by the
    pool's workers when it runs: a school's address changed in a 500-pair school rendered
    6,190 documents one by one in this process. An answer «would not change» is kept
    for the next batch (``unseen``): the version keeps its old context, and every later batch
    rendered both again to find the same answer."""
    remake = [True] * len(planned)
    compared: list[tuple[int, LatestVersion]] = []
    retemplated: list[tuple[int, LatestVersion]] = []  # :mod:`service.retemplated`
    keys: dict[int, str] = {}
    spaced: dict[tuple[str, str], bool] = {}
    for index, (item, digest) in enumerate(zip(planned, digests, strict=True)):
        latest = current.get((item.kind.id, item.subject_key))
        template = _as_made(settings, item.kind, latest, templates[item.kind.id], spaced)
        if _reusable(latest, digest, template):
            remake[index] = False
        elif latest is not None and _reusable(latest, latest.context_sha256, template):
            keys[index] = unseen.key(latest.id, digest, template)
            if unseen.known(keys[index]):
                remake[index] = False
            else:
                compared.append((index, latest))
        elif latest is not None and only_template_changed(latest, digest, template):
            keys[index] = unseen.key(latest.id, digest, template)
            remake[index] = not unseen.known(keys[index])
            if remake[index]:
                retemplated.append((index, latest))
    for start in range(0, len(compared), UNSEEN_GROUP):
        group = []
        for index, latest in compared[start : start + UNSEEN_GROUP]:
            contexts = _both_texts(planned[index], latest)
            if contexts is not None:
                group.append((index, contexts))
        jobs = [(planned[index].kind, context) for index, both in group for context in both]
        rendered = render_many(settings, jobs, render=render_document, share=True)
        for index, _ in group:
            if next(rendered) == next(rendered):
                remake[index] = False
                unseen.remember(keys[index])
    items = [(planned[index], latest) for index, latest in retemplated]
    for (index, _), same in zip(retemplated, printed_as_stored(settings, items), strict=True):
        if same:
            remake[index] = False
            unseen.remember(keys[index])
    return remake


def _as_made(
    settings: Settings,
    kind: Kind,
    latest: LatestVersion | None,
    template: str,
    spaced: dict[tuple[str, str], bool],
) -> str:
    """The hash of the template in use (``template``), or of the one ``latest`` was made
    from when the two print the same words (:func:`prints_the_same_words`: no-break spaces,
    where pages break; each pair asked once, ``spaced``): that makes no new version. An upgrade
    rebuilt six shipped templates so (names18: «27 июля 2006 г.» joined), and every consent
    printed for signing on paper was made again — its paper, signed, took no scan (review19);
    reader22 kept consents' signatures on the page of their last words."""
    made = latest.template_sha256 if latest is not None else None
    if not made or not template or made == template:
        return template
    if (made, template) not in spaced:
        before = FileStore(settings.store_dir).get_if_intact(made)
        now = template_file(settings, kind).read_bytes()
        spaced[made, template] = (
            bool(before) and sha256_bytes(now) == template and prints_the_same_words(before, now)
        )
    return made if spaced[made, template] else template


def _both_texts(
    item: PlannedDocument, latest: LatestVersion
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The contexts whose renders tell whether ``item``'s text differs from ``latest``'s
    (:func:`~service.restored.compared_contexts`: under a new director a signed version is
    compared as if the director were still hers); None when ``latest`` kept no context, or
    only what a destruction act left of it (:func:`~service.restored.comparable`)."""
    kept = latest.context
    if not comparable(kept):
        return None
    return compared_contexts(item, kept, latest)


def _reusable(latest: LatestVersion | NewVersion | None, digest: str, template: str) -> bool:
    """True if ``latest`` is what the register would make now: same data, same template. A
    returned version made from the same data stays returned: only a corrected workbook makes
    its new version.

    A version made before templates were recorded (no hash) counts as made from the current
    template, so an upgrade alone does not ask for new signatures; one made before contexts
    were kept cannot be numbered or dated at signing, so if it waits for a signature it is
    made again. A changed template (the school's own installed, or reset) gives a new version
    only to a document not signed yet; a signed or archived one stays as it was signed, and so
    does one that waits for its other signers after the director's (a contract waiting for the
    mentor's paper): the paper they sign is the version he signed.
    """
    if latest is None or latest.status == DocumentStatus.SUPERSEDED:
        return False
    if latest.context_sha256 != digest:
        return False
    changed_template = latest.template_sha256 and latest.template_sha256 != template
    if changed_template and latest.status in REPLACEABLE and not latest.has_signatures:
        return False
    if latest.status != DocumentStatus.AWAITING_SIGNATURE:
        return True
    missing = latest.context_missing  # read by latest_versions instead of the context
    return not (latest.context is None if missing is None else missing)


def _generate(
    settings: Settings,
    session: Session,
    store: FileStore,
    batch: Batch,
    item: PlannedDocument,
    digests: tuple[str, str],
    data: bytes,
    latest: LatestVersion | NewVersion | None,
    forced: bool = False,
) -> tuple[NewVersion | None, bytes]:
    """The new version of ``item`` made from ``data`` (rendered again if made for another
    version number), stored, not yet added to the register, and its bytes — or None if
    ``latest`` (its latest version) was made from the same data and template (``digests``:
    of the context and of the template) and is not ``forced`` (an appendix of a replaced
    order, :func:`~service.reissued.appendices_of_replaced`)."""
    digest, template = digests
    if not forced and _reusable(latest, digest, template):
        return None, data
    version = (latest.version + 1) if latest else 1
    if item.context["doc"].get("version") != version:
        item.context["doc"]["version"] = version
        data = render_document(settings, item.kind, item.context)
    sha = store.put(data)
    if latest is not None and latest.status in REPLACEABLE:
        if isinstance(latest, NewVersion):  # made by this batch a moment ago
            supersede(session, latest)
        else:
            supersede_latest(session, latest)
    document = NewVersion(
        {
            "kind": item.kind.id,
            "subject_key": item.subject_key,
            "subject_label": item.subject_label,
            "version": version,
            "status": initial_status(item.kind),
            "sha256": sha,
            "context_sha256": digest,
            "context": canonical.dumps(item.context),
            "template_sha256": template or None,
            "file_name": item.file_name,
            "batch_id": batch.id,
            "created_at": datetime.now(),
        }
    )
    return document, data
