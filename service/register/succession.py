"""A document's versions across school years and signings: the school year a version is of,
last year's versions superseded by this year's (whose paper may still be scanned), and the
signed versions a later signed one voids. Read-only, as :mod:`service.register.queries`."""

from __future__ import annotations

import json

from sqlalchemy import ColumnElement, cast, exists, func, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session, defer, selectinload

from service.register.labels import NOT_DUE_EVENT, WITHDRAWN_EVENT
from service.register.models import Document, DocumentStatus, Event

NO_PAPER = (WITHDRAWN_EVENT, NOT_DUE_EVENT, "returned")
"""The events after which a superseded draft is no paper to record: withdrawn for its signed
version or as no longer due, or returned by the director."""


def year_of(document: Document) -> str | None:
    """The school year ``document``'s text is about: the ``org.school_year`` of the context
    it was rendered from; None for a version made before contexts were kept."""
    if document.context is None:
        return None
    return json.loads(document.context).get("org", {}).get("school_year")


def superseded_by_later_year(session: Session, document: Document) -> bool:
    """Whether ``document`` is superseded only by versions of a later school year: last
    year's version (its context's ``org.school_year``), the newest of its year, whose paper
    (a consent, a programme signed in October) may still be scanned and signed after this
    year's version of it was made."""
    year = year_of(document)
    if document.status != DocumentStatus.SUPERSEDED or year is None:
        return False
    # a draft withdrawn for its signed version, or one the director returned, is no paper to
    # record, whatever came after it (review9)
    refused = exists().where(
        Event.document_id == document.id,
        Event.kind.in_(NO_PAPER),
    )
    if session.scalar(select(refused)):
        return False
    newer = session.scalars(
        select(Document).where(
            Document.kind == document.kind,
            Document.subject_key == document.subject_key,
            Document.version > document.version,
        )
    ).all()
    return _later_years_only(year, [year_of(d) for d in newer])


def _later_years_only(year: str, newer: list[str | None]) -> bool:
    # a *later* year's only: a version of a later year replaced by one of an earlier year (a
    # late report first recorded under the register's year) is not last year's paper
    return bool(newer) and all(y is not None and y > year for y in newer)


def superseded_by_later_years(session: Session, kinds: set[str]) -> list[Document]:
    """Every version of ``kinds`` that :func:`superseded_by_later_year` holds for, by id
    (with its signatures): the secretary's list of scans takes last year's paper too. A few
    queries whatever the register's size, not two a superseded version."""
    several = (
        select(Document.kind, Document.subject_key)
        .where(Document.kind.in_(sorted(kinds)))
        .group_by(Document.kind, Document.subject_key)
        .having(func.count() > 1)
        .subquery()
    )
    rows = session.execute(
        select(Document.id, Document.kind, Document.subject_key, Document.version,
               Document.status, Document.context)
        .join(several, (Document.kind == several.c.kind)
              & (Document.subject_key == several.c.subject_key))
    ).all()  # fmt: skip
    years = {
        r.id: json.loads(r.context).get("org", {}).get("school_year") if r.context else None
        for r in rows
    }
    groups: dict[tuple[str, str], list] = {}
    for r in rows:
        groups.setdefault((r.kind, r.subject_key), []).append(r)
    found = []
    for versions in groups.values():
        for r in versions:
            if r.status != DocumentStatus.SUPERSEDED or years[r.id] is None:
                continue
            newer = [years[o.id] for o in versions if o.version > r.version]
            if _later_years_only(years[r.id], newer):
                found.append(r.id)
    if not found:
        return []
    refused = set(
        session.scalars(
            select(Event.document_id).where(
                Event.document_id.in_(found),
                Event.kind.in_(NO_PAPER),
            )
        )
    )
    return list(
        session.scalars(
            select(Document)
            .options(selectinload(Document.signatures))
            .where(Document.id.in_([i for i in found if i not in refused]))
            .order_by(Document.id)
        )
    )


def replaced_in_year(
    session: Session, documents: list[Document], *, with_superseded: bool = False
) -> dict[int, Document]:
    """Of ``documents``, the signed versions a later version of the same document and school
    year was signed after: id → the newest such version (an order signed again — its new
    number voids this one). Last year's signed document is its year's own, not replaced by
    this year's (play16: the director's «Подписанные» said of order 1/26 of 2025–2026 «есть
    новая подписанная версия 2 (№ 6/26)», 2026–2027's); a version signed later in its year
    replaces it even when a later year's is newer still. A superseded version is left out
    unless ``with_superseded`` (the director's list of what he signed shows every one)."""
    if not with_superseded:
        documents = [d for d in documents if d.status != DocumentStatus.SUPERSEDED]
    keys = {(d.kind, d.subject_key) for d in documents}
    if not keys:
        return {}
    # each version's year read by the database: the contexts (tens of kB each) stay unloaded
    # — those of ``documents`` too, deferred by the director's «Подписанные» (signed_by)
    years: dict[int, str | None] = {}
    signed: dict[tuple[str, str], list[Document]] = {}
    for later, year in session.execute(
        select(Document, _year_column(session))
        .where(
            Document.kind.in_({k for k, _ in keys}),
            Document.subject_key.in_({s for _, s in keys}),
        )
        .options(defer(Document.context))
    ):
        years[later.id] = year
        key = (later.kind, later.subject_key)
        if key in keys and later.status in (DocumentStatus.SIGNED, DocumentStatus.ARCHIVED):
            signed.setdefault(key, []).append(later)
    found = {}
    for d in documents:
        year = years[d.id] if d.id in years else year_of(d)
        later = [
            x
            for x in signed.get((d.kind, d.subject_key), [])
            if x.version > d.version and years[x.id] == year
        ]
        if later:
            found[d.id] = max(later, key=lambda x: x.version)
    return found


def _year_column(session: Session) -> ColumnElement:
    """:func:`year_of` as the database reads it: ``org.school_year`` of the context."""
    if session.get_bind().dialect.name == "postgresql":
        return func.jsonb_extract_path_text(cast(Document.context, JSONB), "org", "school_year")
    return func.json_extract(Document.context, "$.org.school_year")


def unsigned_successor(session: Session, document: Document) -> Document | None:
    """The newest version of ``document`` when it is later than ``document`` (a signed one),
    of the same school year and not signed: waiting for signature, made (a paper one), or
    returned by the director. None otherwise — a later year's version is its own year's."""
    if document.status not in (DocumentStatus.SIGNED, DocumentStatus.ARCHIVED):
        return None
    newest = session.scalars(
        select(Document)
        .where(Document.kind == document.kind, Document.subject_key == document.subject_key)
        .order_by(Document.version.desc())
        .limit(1)
    ).first()
    waiting = (DocumentStatus.AWAITING_SIGNATURE, DocumentStatus.GENERATED, DocumentStatus.RETURNED)
    if newest is None or newest.version <= document.version or newest.status not in waiting:
        return None
    return newest if year_of(newest) == year_of(document) else None
