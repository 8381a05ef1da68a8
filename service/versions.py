"""The documents one workbook makes: a new version only when a document's content changed.

Each planned document's context is hashed and compared, with its template's hash, to its
latest version; only what changed is rendered, stored and recorded (with its context as
canonical JSON and its template's hash, for signing and for the next workbook). An unchanged
document keeps its version, status and signatures. The pipeline calls :func:`generate_all`;
the dry run asks :func:`pending_change`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.config import Settings
from service.documents import canonical
from service.documents.catalogue import Kind
from service.documents.parallel import render_many
from service.documents.planning import PlannedDocument, context_digest
from service.documents.render import render_document, template_file
from service.outbox import OutboxEntry
from service.progress import write_progress
from service.register.events import append_event
from service.register.models import Batch, Document, DocumentStatus
from service.signing.workflow import initial_status
from service.store import FileStore, sha256_file


def generate_all(
    settings: Settings,
    store: FileStore,
    session: Session,
    batch: Batch,
    planned: list[PlannedDocument],
    actor: str,
) -> tuple[list[OutboxEntry], int]:
    """Render what changed and record it, in plan order; return the outbox entries of the
    documents made (new ones and new versions) and how many stayed unchanged.

    First each item's context is hashed and compared with its latest version (and the
    template's hash with the one it was made from), which fixes the version number printed in
    the document; then only the documents to make are rendered — by worker processes for a
    large batch (:func:`render_many`) — while this process stores each one and writes the
    register as they come back. An unchanged document keeps its version, status and signatures.
    """
    digests = [context_digest(item.context) for item in planned]
    templates = _template_digests(settings, store, {item.kind for item in planned})
    latest = [_latest(session, item) for item in planned]
    todo: list[int] = []
    for index, (item, digest) in enumerate(zip(planned, digests, strict=True)):
        if not _reusable(latest[index], digest, templates[item.kind.id]):
            item.context["doc"]["version"] = (latest[index].version + 1) if latest[index] else 1
            todo.append(index)
    batch.documents_total = len(todo)
    # one document per kind and subject (as planned): what was latest stays latest until its
    # own turn; otherwise each item looks again
    unique = len({(i.kind.id, i.subject_key) for i in planned}) == len(planned)
    rendered = render_many(
        settings,
        [(planned[i].kind, planned[i].context) for i in todo],
        render=render_document,
    )
    entries = []
    write_progress(settings.var, batch.id, 0, len(todo))
    for step, index in enumerate(todo):
        item = planned[index]
        known = latest[index] if unique else _UNKNOWN
        entry = _generate(
            settings,
            store,
            session,
            batch,
            item,
            actor,
            (digests[index], templates[item.kind.id]),
            next(rendered),
            known,
        )
        if entry is not None:
            entries.append(entry)
        if step % 10 == 9:
            write_progress(settings.var, batch.id, step + 1, len(todo))
    return entries, len(planned) - len(entries)


_UNKNOWN = object()

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


def _latest(session: Session, item: PlannedDocument) -> Document | None:
    return session.scalars(
        select(Document)
        .where(Document.kind == item.kind.id, Document.subject_key == item.subject_key)
        .order_by(Document.version.desc())
        .limit(1)
    ).first()


def pending_change(
    settings: Settings, session: Session, item: PlannedDocument
) -> tuple[Document | None, bool]:
    """The latest version of a planned document and whether processing would make a new one
    (the dry run asks this without rendering or storing anything)."""
    latest = _latest(session, item)
    template = sha256_file(template_file(settings, item.kind))
    return latest, not _reusable(latest, context_digest(item.context), template)


def _reusable(latest: Document | None, digest: str, template: str) -> bool:
    """True if ``latest`` is what the register would make now: same data, same template. A
    returned version made from the same data stays returned: only a corrected workbook makes
    its new version.

    A version made before templates were recorded (no hash) counts as made from the current
    template, so an upgrade alone does not ask for new signatures; one made before contexts
    were kept cannot be numbered or dated at signing, so if it waits for a signature it is
    made again. A changed template (the school's own installed, or reset) gives a new version
    only to a document not signed yet; a signed or archived one stays as it was signed.
    """
    if latest is None or latest.status == DocumentStatus.SUPERSEDED:
        return False
    if latest.context_sha256 != digest:
        return False
    changed_template = latest.template_sha256 and latest.template_sha256 != template
    if changed_template and latest.status in REPLACEABLE:
        return False
    return not (latest.context is None and latest.status == DocumentStatus.AWAITING_SIGNATURE)


def _generate(
    settings: Settings,
    store: FileStore,
    session: Session,
    batch: Batch,
    item: PlannedDocument,
    actor: str,
    digests: tuple[str, str],
    data: bytes | None = None,
    latest: Document | None | object = _UNKNOWN,
) -> OutboxEntry | None:
    """Record ``item`` as a new version made from ``data`` (rendered now if not given, or if
    made for another version) — or nothing (None) if its latest version was made from the
    same data and template (``digests``: of the context and of the template). ``latest`` is
    the item's latest version if the caller knows it."""
    digest, template = digests
    if latest is _UNKNOWN:
        latest = _latest(session, item)
    if _reusable(latest, digest, template):
        return None
    version = (latest.version + 1) if latest else 1
    if data is None or item.context["doc"].get("version") != version:
        item.context["doc"]["version"] = version
        data = render_document(settings, item.kind, item.context)
    sha = store.put(data)
    if latest is not None and latest.status in REPLACEABLE:
        latest.status = DocumentStatus.SUPERSEDED
    document = Document(
        kind=item.kind.id,
        subject_key=item.subject_key,
        subject_label=item.subject_label,
        version=version,
        status=initial_status(item.kind),
        sha256=sha,
        context_sha256=digest,
        context=canonical.dumps(item.context),
        template_sha256=template or None,
        file_name=item.file_name,
        batch_id=batch.id,
        created_at=datetime.now(),
    )
    session.add(document)
    session.flush()
    append_event(
        session,
        "document_generated",
        actor=actor,
        batch_id=batch.id,
        document_id=document.id,
        details={
            "kind": item.kind.id,
            "subject": item.subject_label,
            "version": version,
            "sha256": sha,
        },
    )
    if document.status == DocumentStatus.AWAITING_SIGNATURE:
        append_event(
            session,
            "sent_for_signature",
            actor=actor,
            document_id=document.id,
            details={"signers": list(item.kind.signers)},
        )
    return OutboxEntry(
        kind=item.kind.id,
        title=item.kind.title,
        subject=item.subject_label,
        file=item.file_name,
        sha256=document.sha256,
        version=document.version,
        signers=item.kind.signers,
    )
