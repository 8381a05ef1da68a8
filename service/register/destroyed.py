"""What the register says about the files of documents destroyed by an act: every SHA-256 a
destroyed document had (its DOCX, its unsigned draft, its ``.p7s`` signatures and scans, its
archived PDF/A copy and ledger proof), and every SHA-256 something still kept uses — a file is
content-addressed, so the same bytes (a scan attached to two documents) stay while anything not
destroyed names them (:mod:`service.archive.erasure`).

The act destroys «the document», every version of it: the earlier versions of a destroyed
document (same kind and subject, a lower version, superseded — a consent's version 1 when
version 2 was destroyed) were never archived, and their DOCX, unsigned drafts and signatures
or scans in ``var/store`` carry the same personal data; they go with it."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session, aliased

from service.register.archive_models import ArchiveItem, DestructionAct
from service.register.models import (
    Batch,
    Checkpoint,
    Document,
    DocumentStatus,
    Event,
    Signature,
)
from service.register.queries import SIGNING_RENDERS


@dataclass(frozen=True)
class DestroyedFiles:
    """The files of the destroyed documents that nothing kept uses any more."""

    doomed: dict[str, int]
    """SHA-256 → the id of a destroyed document it belonged to."""
    acts: dict[int, str]
    """Destroyed document id → «№ 1/28 от 01.01.2028», the act that destroyed it."""
    outbox_copies: dict[str, int]
    """SHA-256 of a destroyed document's DOCX or unsigned draft → its id: what a batch's copy
    of it in ``outbox/`` had (bytes kept for another document too are not in ``doomed``)."""
    earlier: dict[str, int] = field(default_factory=dict)
    """SHA-256 of a file of an earlier (superseded) version of a destroyed document → that
    version's id (its files are in ``doomed``, under the destroyed document's id)."""


def destroyed_ids(session: Session) -> set[int]:
    """The ids of the documents destroyed by an act."""
    return set(
        session.scalars(
            select(ArchiveItem.document_id).where(ArchiveItem.destroyed_at.is_not(None))
        )
    )


def destroyed_files(session: Session) -> DestroyedFiles:
    """Read the register once: the destroyed documents' files and what still uses each."""
    acts = {
        a.id: f"№ {a.number} от {a.made_at:%d.%m.%Y}"
        for a in session.scalars(select(DestructionAct))
    }
    destroyed: dict[int, str] = {}
    archived: dict[str, int] = {}
    kept: set[str] = set()
    for item in session.scalars(select(ArchiveItem)):
        shas = {f["sha256"] for f in item.files or []}
        if item.destroyed_at is None:
            kept |= shas
        else:
            destroyed[item.document_id] = acts.get(item.act_id or 0, "")
            archived.update(dict.fromkeys(shas, item.document_id))
    rows = session.execute(select(Document.id, Document.sha256, Document.template_sha256)).all()
    versions = earlier_versions(session)
    whose = {**{i: i for i in destroyed}, **versions}  # a file's id → the destroyed one's
    files = [(True, document_id, sha) for document_id, sha, _template in rows]
    files += [(True, document_id, draft) for document_id, draft in _drafts(session)]
    files += [
        (False, document_id, sha)
        for document_id, sha in session.execute(select(Signature.document_id, Signature.sha256))
    ]
    own: dict[str, int] = {}  # a destroyed document's DOCX and drafts, its versions' too
    signatures: dict[str, int] = {}
    earlier: dict[str, int] = {}
    for docx, document_id, sha in files:
        if document_id not in whose:
            kept.add(sha)
            continue
        (own if docx else signatures)[sha] = whose[document_id]
        if document_id in versions:
            earlier[sha] = document_id
    kept |= {template or "" for _id, _sha, template in rows}
    kept |= set(session.scalars(select(Checkpoint.signature_sha256)))
    for act in session.scalars(select(DestructionAct)):
        kept |= {act.sha256, act.signature_sha256 or ""}
    every = {**archived, **signatures, **own}
    doomed = {sha: i for sha, i in every.items() if sha and sha not in kept}
    return DestroyedFiles(
        doomed=doomed,
        acts=destroyed,
        outbox_copies=own,
        earlier={sha: i for sha, i in earlier.items() if sha in doomed},
    )


def earlier_versions(session: Session, ids: Iterable[int] | None = None) -> dict[int, int]:
    """Id of an earlier, superseded version of a document destroyed by an act (same kind and
    subject, a lower version: never archived, it goes with the act) → the destroyed one's id
    (its highest destroyed version's); of ``ids`` only when given."""
    later = aliased(Document)
    query = (
        select(Document.id, later.id)
        .join(
            later,
            and_(
                later.kind == Document.kind,
                later.subject_key == Document.subject_key,
                later.version > Document.version,
            ),
        )
        .join(ArchiveItem, ArchiveItem.document_id == later.id)
        .where(
            ArchiveItem.destroyed_at.is_not(None),
            Document.status == DocumentStatus.SUPERSEDED,
        )
        .order_by(later.version)
    )
    if ids is not None:
        query = query.where(Document.id.in_(sorted(set(ids))))
    return {earlier: later for earlier, later in session.execute(query)}


def _drafts(session: Session) -> Iterable[tuple[int, str]]:
    """(document id, SHA-256 of its unsigned draft) for every re-rendering at signing."""
    for document_id, details in session.execute(
        select(Event.document_id, Event.details).where(
            Event.kind.in_(SIGNING_RENDERS), Event.document_id.is_not(None)
        )
    ):
        draft = (details or {}).get("unsigned_sha256")
        if draft:
            yield document_id, draft


def acts_not_completed(session: Session) -> list[DestructionAct]:
    """Acts whose files were not all removed yet (no ``destroyed_files_removed`` entry names
    them)."""
    done: set[int] = set()
    for details in session.scalars(
        select(Event.details).where(Event.kind == "destroyed_files_removed")
    ):
        done |= set((details or {}).get("acts", []))
    return [
        a
        for a in session.scalars(select(DestructionAct).order_by(DestructionAct.id))
        if a.id not in done
    ]


def outbox_listings(session: Session) -> list[tuple[str, dict]]:
    """(folder under ``outbox/``, the batch's manifest: its heading and entries) of every batch
    that made a folder."""
    rows = session.execute(select(Batch.folder, Batch.manifest).where(Batch.folder.is_not(None)))
    return [(folder, manifest or {}) for folder, manifest in rows]


def outbox_files(listings: list[tuple[str, dict]]) -> list[tuple[str, str, str]]:
    """(folder under ``outbox/``, file name, SHA-256 it was written with) of every document a
    batch put in its folder, by the batches' manifests (:func:`outbox_listings`)."""
    return [
        (folder, entry.get("file", ""), entry.get("sha256", ""))
        for folder, manifest in listings
        for entry in manifest.get("entries", [])
    ]


def without_destroyed(session: Session, documents: list[Document]) -> list[Document]:
    """``documents`` but those destroyed by an act and their earlier versions (their files are
    gone)."""
    gone = destroyed_ids(session) | set(earlier_versions(session, [d.id for d in documents]))
    return [d for d in documents if d.id not in gone]


_ACT = "destroyed"
"""The key naming the act in a destroyed document's stored context once emptied
(:func:`empty_contexts`): sorted first of its keys, so such a context begins with
:data:`_EMPTIED`."""
_EMPTIED = '{"' + _ACT + '":'


def emptied(context: str) -> bool:
    """Whether a stored context is what :func:`empty_contexts` left of it — told by its first
    bytes, without parsing the tens of kB a kept context has (a batch asks it of every version
    it compares)."""
    return context.startswith(_EMPTIED)


@dataclass(frozen=True)
class KeptContext:
    """A destroyed document's (or earlier version's) stored context not emptied yet."""

    context: dict
    destroyed_id: int
    """The document the act destroyed: itself, or the later version an earlier one went with."""


def contexts_kept(session: Session, files: DestroyedFiles) -> dict[int, KeptContext]:
    """Id → stored context (parsed) of every destroyed document and earlier version of one whose
    context still holds what it printed — personal data included (an address, a passport, a
    guardian): not emptied yet."""
    whose = {**{i: i for i in files.acts}, **earlier_versions(session)}
    if not whose:
        return {}
    rows = session.execute(
        select(Document.id, Document.context).where(
            Document.id.in_(sorted(whose)), Document.context.is_not(None)
        )
    )
    return {
        document_id: KeptContext(json.loads(text), whose[document_id])
        for document_id, text in rows
        if not emptied(text)
    }


def empty_contexts(session: Session, files: DestroyedFiles) -> int:
    """Replace the stored context of every destroyed document and earlier version of one (the
    whole text it printed, from which its DOCX could be made again) by what the register still
    reads of a document: its school year, whether a guardian gave it (the inventories' «who
    signs»), and the act. How many were emptied; 0 when done already."""
    kept = contexts_kept(session, files)
    for document_id, found in kept.items():
        context = found.context
        left: dict = {
            _ACT: files.acts.get(found.destroyed_id, ""),
            "org": {"school_year": (context.get("org") or {}).get("school_year")},
        }
        if context.get("guardian") is not None:
            left["guardian"] = {}
        text = json.dumps(left, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        session.execute(update(Document).where(Document.id == document_id).values(context=text))
    return len(kept)
