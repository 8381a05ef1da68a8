"""Read-only questions the office asks the register: which documents (with filters), the
current version of each, what belongs to a pair or a person, the batches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from service.errors import NotFound
from service.intake.normalise import alphabetical
from service.register.archive import destroyed_items
from service.register.bounds import is_row_id
from service.register.labels import (
    DESTROYED,
    NOT_DUE_EVENT,
    WITHDRAWN_EVENT,
)
from service.register.models import (
    Batch,
    BatchStatus,
    Document,
    DocumentStatus,
    Event,
    FormerMember,
    Pair,
    PairMentee,
    Person,
    Role,
    Signature,
    Signer,
    User,
)


@dataclass(frozen=True)
class DocumentFilter:
    """What the curator (or an API client) asks for; empty fields do not filter."""

    kind: str = ""
    status: str = ""
    """A :class:`DocumentStatus`; empty means every status except ``superseded``."""
    pair_id: int | None = None
    """Documents of the pair and of its participants."""
    person_id: int | None = None
    """Documents of the person and of the pairs the person is in."""
    batch_id: int | None = None


def pair_subject_keys(session: Session, pair: Pair, *, this_term: bool = False) -> set[str]:
    """Subjects whose documents belong to ``pair``: the pair, its mentor, its mentees and
    their guardians — now and earlier (a mentor replaced, a mentee who left: their consents
    name the pair). With ``this_term``, only those who left within the pair's current term
    (a mentor of last year's term is not one of this term's people: the pair card and the
    current ZIP; the full history, a year's ZIP, keeps them)."""
    former = FormerMember.__table__.c
    query = select(former.person_id).where(former.pair_id == pair.id)
    if this_term:
        query = query.where(former.left_on >= pair.start)
    left = session.scalars(query).all()
    people = [pair.mentor, *pair.mentees, *(session.get(Person, i) for i in left)]
    people = [p for p in people if p is not None]
    people += [p.guardian for p in people if p.guardian is not None]
    return {f"pair:{pair.id}"} | {f"person:{p.id}" for p in people}


def replaced_mentors(session: Session, pair: Pair) -> list[tuple[str, date]]:
    """The ФИО of ``pair``'s mentors replaced (any term's) and the day the register learnt of
    each replacement, in that order."""
    former = FormerMember.__table__.c
    query = (
        select(Person.full_name, former.left_on)
        .join(Person, Person.id == former.person_id)
        .where(former.pair_id == pair.id, former.role == "mentor")
    )
    return sorted(((name, day) for name, day in session.execute(query)), key=lambda x: x[1])


def person_subject_keys(session: Session, person: Person) -> set[str]:
    """Subjects whose documents concern ``person``: the person, the minors they represent,
    and every pair they are mentor or mentee of."""
    keys = {f"person:{person.id}"}
    keys |= {
        f"person:{ward}"
        for ward in session.scalars(select(Person.id).where(Person.guardian_id == person.id))
    }
    mentor_of = session.scalars(select(Pair.id).where(Pair.mentor_id == person.id))
    mentee_of = session.scalars(select(PairMentee.pair_id).where(PairMentee.person_id == person.id))
    keys |= {f"pair:{pair_id}" for pair_id in [*mentor_of, *mentee_of]}
    return keys


def find_documents(session: Session, query: DocumentFilter | None = None) -> list[Document]:
    """Documents matching ``query``, by id; signatures loaded. A document destroyed by an act
    stays «archived» in the register, but the status ``archived`` finds only those kept and
    :data:`~service.register.labels.DESTROYED` those destroyed."""
    query = query or DocumentFilter()
    stmt = select(Document).options(selectinload(Document.signatures)).order_by(Document.id)
    if query.kind:
        stmt = stmt.where(Document.kind == query.kind)
    if query.status == DESTROYED:
        stmt = stmt.where(Document.id.in_(destroyed_items()))
    elif query.status:
        stmt = stmt.where(Document.status == query.status, Document.id.not_in(destroyed_items()))
    else:
        stmt = stmt.where(Document.status != DocumentStatus.SUPERSEDED)
    if query.batch_id is not None:
        stmt = stmt.where(Document.batch_id == query.batch_id)
    keys: set[str] | None = None
    if query.pair_id is not None:
        pair = session.get(Pair, query.pair_id)
        keys = pair_subject_keys(session, pair, this_term=True) if pair else set()
    if query.person_id is not None:
        person = session.get(Person, query.person_id)
        found = person_subject_keys(session, person) if person else set()
        keys = found if keys is None else keys & found
    if keys is not None:
        stmt = stmt.where(Document.subject_key.in_(sorted(keys)))
    return list(session.scalars(stmt))


def current_documents(session: Session, subject_keys: set[str] | None = None) -> list[Document]:
    """The latest version of each document (kind + subject) that is not superseded, as ORM
    objects (the register's whole list, as ``nastavnik documents`` shows it, is
    :func:`service.register.listings.register_documents`)."""
    stmt = (
        select(Document)
        .options(selectinload(Document.signatures))
        .where(Document.status != DocumentStatus.SUPERSEDED)
        .order_by(Document.id)
    )
    if subject_keys is not None:
        stmt = stmt.where(Document.subject_key.in_(sorted(subject_keys)))
    latest: dict[tuple[str, str], Document] = {}
    for document in session.scalars(stmt):
        key = (document.kind, document.subject_key)
        if key not in latest or latest[key].version < document.version:
            latest[key] = document
    return sorted(latest.values(), key=lambda d: d.id)


def subject_versions(session: Session, subject_keys: set[str] | None) -> list[Document]:
    """Every version of the documents of these subjects (None: of all) but those returned,
    newest first."""
    stmt = (
        select(Document)
        .options(selectinload(Document.signatures))
        .where(Document.status != DocumentStatus.RETURNED)
        .order_by(Document.version.desc(), Document.id.desc())
    )
    if subject_keys is not None:
        stmt = stmt.where(Document.subject_key.in_(sorted(subject_keys)))
    return list(session.scalars(stmt))


def batch_documents(session: Session, batch: Batch) -> list[Document]:
    """The documents a batch's outbox folder lists, in their current state (an order signed
    since carries its number), in the folder's order."""
    entries = (batch.manifest or {}).get("entries", [])
    found = []
    for entry in entries:
        candidates = session.scalars(
            select(Document)
            .options(selectinload(Document.signatures))
            .where(
                Document.kind == entry["kind"],
                Document.subject_label == entry["subject"],
                Document.version == entry["version"],
            )
            .order_by(Document.id.desc())
        ).all()
        # two people's documents of a kind may bear one label (the same pupil a mentor and a
        # mentee, listed before play20): the entry's own file by its hash, else one not taken
        fresh = [d for d in candidates if d not in found]
        mine = [d for d in fresh if d.sha256 == entry.get("sha256")]
        if mine or fresh:
            found.append((mine or fresh)[0])
    return found


def document_by_id(session: Session, document_id: int) -> Document:
    """The document version ``document_id``; :class:`NotFound` («Документ № … не найден.»)."""
    document = session.get(Document, document_id) if is_row_id(document_id) else None
    if document is None:
        raise NotFound(f"Документ № {document_id} не найден.")
    return document


def document_with_sha256(session: Session, sha256: str) -> Document | None:
    """The newest version whose file has this SHA-256 (the same bytes may be stored again
    as a later version)."""
    return session.scalars(
        select(Document).where(Document.sha256 == sha256).order_by(Document.id.desc())
    ).first()


def electronic_signature_with_sha256(session: Session, sha256: str) -> Signature | None:
    """The register's electronic signature whose ``.p7s`` has this SHA-256, of any document."""
    return session.scalars(
        select(Signature).where(Signature.sha256 == sha256, Signature.method == "cms").limit(1)
    ).first()


SIGNING_RENDERS = ("order_registered", "document_approved")
"""Ledger entries of a document re-rendered as it was signed (its number, its date of
approval written in): each keeps the SHA-256 of the draft it replaced (``unsigned_sha256``)."""


def draft_of(session: Session, sha256: str) -> tuple[Document, Event] | None:
    """The document whose unsigned draft had this SHA-256 — the copy a batch put in
    ``outbox/`` before signing wrote the order's number or the approval's date into it — and
    the ledger entry of that re-rendering; None when no draft had it. The entries are few
    (one per signed order or approved document) and read whole: their JSON is not indexed."""
    entries = session.scalars(
        select(Event)
        .where(Event.kind.in_(SIGNING_RENDERS), Event.document_id.is_not(None))
        .order_by(Event.id.desc())
    )
    for entry in entries:
        if (entry.details or {}).get("unsigned_sha256") == sha256:
            document = session.get(Document, entry.document_id)
            if document is not None:
                return document, entry
    return None


def unsigned_draft(session: Session, document: Document) -> str | None:
    """The SHA-256 of ``document``'s draft before signing wrote its requisites in (the order's
    number and date, the date of approval) — the first re-rendering's ``unsigned_sha256`` —
    or None when signing re-rendered nothing (the signed bytes are the draft's)."""
    entry = session.scalars(
        select(Event)
        .where(Event.kind.in_(SIGNING_RENDERS), Event.document_id == document.id)
        .order_by(Event.id)
        .limit(1)
    ).first()
    return (entry.details or {}).get("unsigned_sha256") if entry is not None else None


def awaiting_signature(session: Session) -> list[Document]:
    """Documents waiting for a signature, by id."""
    return list(
        session.scalars(
            select(Document)
            .where(Document.status == DocumentStatus.AWAITING_SIGNATURE)
            .order_by(Document.id)
        )
    )


def numbered_documents(session: Session) -> list[Document]:
    """Documents that carry a registration number, by id."""
    return list(
        session.scalars(select(Document).where(Document.number.is_not(None)).order_by(Document.id))
    )


def signatures_in_order(session: Session) -> list[Signature]:
    """Every signature and scan ever recorded, in the order they were made."""
    return list(session.scalars(select(Signature).order_by(Signature.id)))


def all_pairs(session: Session) -> list[Pair]:
    return list(session.scalars(select(Pair).order_by(Pair.code)))


def all_people(session: Session) -> list[Person]:
    """Everyone in the register, in alphabetical order («Ёлкина» between «Дурново» and
    «Жуков»); a guardian after a participant of the same name."""
    people = session.scalars(select(Person).order_by(Person.id))
    return sorted(people, key=lambda p: (alphabetical(p.full_name), p.role == Role.GUARDIAN))


def recent_batches(session: Session, limit: int = 50) -> list[Batch]:
    return list(session.scalars(select(Batch).order_by(Batch.id.desc()).limit(limit)))


def previous_version(session: Session, document: Document) -> Document | None:
    """The version of the same document (kind and subject) made just before ``document``,
    passing over drafts withdrawn when the content went back to the signed version or the
    document was no longer due (:mod:`service.withdrawn`): the director compares a new version
    with the one in force, not with a draft she never signed and that left her queue."""
    withdrawn = exists().where(
        Event.kind.in_([WITHDRAWN_EVENT, NOT_DUE_EVENT]), Event.document_id == Document.id
    )
    return session.scalars(
        select(Document)
        .where(
            Document.kind == document.kind,
            Document.subject_key == document.subject_key,
            Document.version < document.version,
            ~withdrawn,
        )
        .order_by(Document.version.desc())
        .limit(1)
    ).first()


def compared_version(session: Session, document: Document) -> Document | None:
    """The version the director's page compares ``document`` with: the newest earlier version
    signed (or archived) — what she signed, the one in force, not an unsigned draft made
    between them (left12) — else :func:`previous_version` (None for a first version)."""
    signed = session.scalars(
        select(Document)
        .where(
            Document.kind == document.kind,
            Document.subject_key == document.subject_key,
            Document.version < document.version,
            Document.status.in_((DocumentStatus.SIGNED, DocumentStatus.ARCHIVED)),
        )
        .order_by(Document.version.desc())
        .limit(1)
    ).first()
    return signed if signed is not None else previous_version(session, document)


def returned_documents(session: Session) -> list[Document]:
    """Documents the director returned and no newer version has replaced yet, oldest first
    (a new version supersedes the returned one)."""
    return list(
        session.scalars(
            select(Document).where(Document.status == DocumentStatus.RETURNED).order_by(Document.id)
        )
    )


def processing_batch(session: Session, sha256: str) -> Batch | None:
    """The newest batch of the file with this SHA-256 that is being processed (or whose worker
    died on it), if any."""
    return session.scalars(
        select(Batch)
        .where(Batch.sha256 == sha256, Batch.status == BatchStatus.PROCESSING)
        .order_by(Batch.id.desc())
    ).first()


def latest_version(session: Session, kind: str) -> Document | None:
    """The newest version of the document of ``kind`` (an organisation-wide kind)."""
    return session.scalars(
        select(Document).where(Document.kind == kind).order_by(Document.version.desc())
    ).first()


def signed_by(session: Session, login: str, limit: int = 500) -> list[Signature]:
    """The signatures given with this user's keys, newest first, each with its document: the
    director's (or the curator's) «Подписанные» — what left his queue."""
    return list(
        session.scalars(
            select(Signature)
            .join(Signer, Signature.signer_id == Signer.id)
            .join(User, Signer.user_id == User.id)
            .where(User.login == login)
            .options(selectinload(Signature.document).defer(Document.context))
            .order_by(Signature.signed_at.desc(), Signature.id.desc())
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class DocumentFiles:
    """A document version's own file in the store and its signatures' and scans' (their
    SHA-256, ``cms`` or a scan's method, the signer's role), in the order they were made."""

    id: int
    file_name: str
    sha256: str
    status: str
    signatures: tuple[tuple[str, str, str], ...]


def document_files(session: Session) -> list[DocumentFiles]:
    """Every document not superseded, by id, with its files (:class:`DocumentFiles`): two
    plain queries, no ORM objects — what the check of the store on disk reads at every visit
    of the inspector's page."""
    document, signature = Document.__table__.c, Signature.__table__.c
    current = document.status != DocumentStatus.SUPERSEDED
    signed: dict[int, list[tuple[str, str, str]]] = {}
    for row in session.execute(
        select(signature.document_id, signature.sha256, signature.method, signature.role)
        .join(Document.__table__, document.id == signature.document_id)
        .where(current)
        .order_by(signature.id)
    ):
        signed.setdefault(row.document_id, []).append((row.sha256, row.method, row.role))
    return [
        DocumentFiles(row.id, row.file_name, row.sha256, row.status, tuple(signed.get(row.id, ())))
        for row in session.execute(
            select(document.id, document.file_name, document.sha256, document.status)
            .where(current)
            .order_by(document.id)
        )
    ]


WITHDRAWN_NAME = "отозван: содержание снова как у подписанной версии {version}, действует она"
"""The state of a draft withdrawn because its content went back to a signed version."""


def not_due_versions(session: Session, ids: list[int]) -> set[int]:
    """Of the versions ``ids``, the drafts withdrawn as no longer due (:mod:`service.withdrawn`:
    the year's final report of a year that turned out not to be over)."""
    wanted = [i for i in ids if is_row_id(i)]
    if not wanted:
        return set()
    return set(
        session.scalars(
            select(Event.document_id).where(
                Event.kind == NOT_DUE_EVENT, Event.document_id.in_(wanted)
            )
        )
    )


def withdrawn_versions(session: Session, ids: list[int]) -> dict[int, int]:
    """Of the versions ``ids``, those withdrawn because the content went back to a signed
    version (:mod:`service.restored`): id → the version in force."""
    superseded = [i for i in ids if is_row_id(i)]
    if not superseded:
        return {}
    rows = session.execute(
        select(Event.document_id, Event.details).where(
            Event.kind == WITHDRAWN_EVENT, Event.document_id.in_(superseded)
        )
    )
    return {row.document_id: row.details["current_version"] for row in rows}
