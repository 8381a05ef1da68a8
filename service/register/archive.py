"""Questions the archive asks the register: what may be archived, what is in the archive (by
school year, kept or due for destruction), the ledger entries that prove a document's
signatures, and the programme dates its retention period counts from."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from service.register.archive_models import ArchiveItem, DestructionAct
from service.register.models import (
    Document,
    DocumentStatus,
    Event,
    Pair,
    PairMentee,
    Signer,
)

SIGNATURE_KINDS = ("document_signed", "scan_attached")
"""Ledger entries that record a signature (electronic or a scan of the paper one)."""


def archivable_ids(session: Session) -> list[int]:
    """Signed documents not archived yet, by id."""
    return list(
        session.scalars(
            select(Document.id)
            .where(Document.status == DocumentStatus.SIGNED)
            .order_by(Document.id)
        )
    )


def archive_item_of(session: Session, document_id: int) -> ArchiveItem | None:
    """The archive entry of a document (destroyed or not), or None."""
    return session.scalars(
        select(ArchiveItem).where(ArchiveItem.document_id == document_id)
    ).first()


def archived_copy(session: Session, pdf_sha256: str) -> ArchiveItem | None:
    """The archive entry whose PDF/A copy has this SHA-256, or None."""
    return session.scalars(
        select(ArchiveItem).where(ArchiveItem.pdf_sha256 == pdf_sha256).limit(1)
    ).first()


def kept_items(session: Session) -> list[ArchiveItem]:
    """Archived documents not destroyed, in the order they were archived."""
    return list(
        session.scalars(
            select(ArchiveItem).where(ArchiveItem.destroyed_at.is_(None)).order_by(ArchiveItem.id)
        )
    )


def year_items(session: Session, year: str | None, *, destroyed: bool = False) -> list[ArchiveItem]:
    """The kept archive of a school year (``destroyed``: its documents destroyed by an act
    instead), documents and their signatures loaded."""
    gone = (
        ArchiveItem.destroyed_at.is_not(None) if destroyed else ArchiveItem.destroyed_at.is_(None)
    )
    return list(
        session.scalars(
            select(ArchiveItem)
            .join(ArchiveItem.document)
            .options(selectinload(ArchiveItem.document).selectinload(Document.signatures))
            .where(ArchiveItem.school_year == year, gone)
            .order_by(Document.id)
        )
    )


def archived_by_kind(session: Session, year: str | None) -> dict[str, ArchiveItem]:
    """Kind → the archive entry of its latest archived version in ``year`` (destroyed too)."""
    return {
        item.document.kind: item
        for item in session.scalars(
            select(ArchiveItem)
            .join(ArchiveItem.document)
            .where(ArchiveItem.school_year == year)
            .order_by(Document.version)
        )
    }


def due_items(session: Session, today: date) -> list[ArchiveItem]:
    """Archived documents whose retention period is over by ``today`` and that are not
    destroyed yet."""
    return list(
        session.scalars(
            select(ArchiveItem)
            .where(
                ArchiveItem.destroyed_at.is_(None),
                ArchiveItem.retain_until.is_not(None),
                ArchiveItem.retain_until <= today,
            )
            .order_by(ArchiveItem.retain_until, ArchiveItem.document_id)
        )
    )


def acts_in_year(session: Session, year: int) -> int:
    """How many destruction acts were made in calendar ``year`` (their numbers run per year)."""
    return sum(made.year == year for made in session.scalars(select(DestructionAct.made_at)))


def live_versions_of_kind(session: Session, kind_id: str) -> list[Document]:
    """Versions of a kind that count (neither superseded nor returned), newest first."""
    return list(
        session.scalars(
            select(Document)
            .where(
                Document.kind == kind_id,
                Document.status.not_in([DocumentStatus.SUPERSEDED, DocumentStatus.RETURNED]),
            )
            .order_by(Document.version.desc())
        )
    )


def pair_ends_of_person(session: Session, person_id: int) -> list[date]:
    """The end dates of every pair the person is the mentor or a mentee of."""
    as_mentor = session.scalars(select(Pair.end).where(Pair.mentor_id == person_id))
    as_mentee = session.scalars(
        select(Pair.end)
        .join(PairMentee, PairMentee.pair_id == Pair.id)
        .where(PairMentee.person_id == person_id)
    )
    return [*as_mentor, *as_mentee]


def pair_codes(session: Session) -> dict[str, str]:
    """Subject key (``pair:<id>``) → the pair's code."""
    return {f"pair:{p.id}": p.code for p in session.scalars(select(Pair))}


def signer_serials(session: Session) -> dict[int, str]:
    """Signer id → certificate serial (hex), revoked keys too."""
    return {s.id: s.serial for s in session.scalars(select(Signer))}


def signature_events(session: Session, document_id: int) -> list[Event]:
    """The ledger entries that recorded the document's signatures, in order."""
    return list(
        session.scalars(
            select(Event)
            .where(Event.document_id == document_id, Event.kind.in_(SIGNATURE_KINDS))
            .order_by(Event.id)
        )
    )


def signature_events_of(session: Session, document_ids: Iterable[int]) -> dict[int, list[int]]:
    """Document id → ids of the ledger entries that recorded its signatures, in one query."""
    found: dict[int, list[int]] = {i: [] for i in document_ids}
    rows = session.execute(
        select(Event.document_id, Event.id)
        .where(Event.kind.in_(SIGNATURE_KINDS), Event.document_id.is_not(None))
        .order_by(Event.id)
    )
    for document_id, event_id in rows:
        if document_id in found:
            found[document_id].append(event_id)
    return found


def archived_years(session: Session) -> list[str]:
    """The school years the archive holds documents of, in order."""
    return sorted(set(session.scalars(select(ArchiveItem.school_year).distinct())))


def destroying_acts(session: Session, document_ids: Iterable[int]) -> dict[int, str]:
    """Id → «№ 1/28 от 01.01.2028», the act that destroyed it, of those of the documents an
    act destroyed («» when its act is not recorded), read at once for a list."""
    found = session.execute(
        select(ArchiveItem.document_id, DestructionAct.number, DestructionAct.made_at)
        .outerjoin(DestructionAct, ArchiveItem.act_id == DestructionAct.id)
        .where(
            ArchiveItem.document_id.in_(sorted(set(document_ids))),
            ArchiveItem.destroyed_at.is_not(None),
        )
    )
    return {
        document_id: f"№ {number} от {made_at:%d.%m.%Y}" if number else ""
        for document_id, number, made_at in found
    }


def destroyed_items() -> Select[tuple[int]]:
    """The ids of the documents destroyed by an act, as a subquery."""
    return select(ArchiveItem.document_id).where(ArchiveItem.destroyed_at.is_not(None))


def destroying_act(session: Session, document_id: int) -> str | None:
    """«№ 1/28 от 01.01.2028»: the act that destroyed the document, or None."""
    act = session.scalars(
        select(DestructionAct)
        .join(ArchiveItem, ArchiveItem.act_id == DestructionAct.id)
        .where(ArchiveItem.document_id == document_id, ArchiveItem.destroyed_at.is_not(None))
    ).first()
    return f"№ {act.number} от {act.made_at:%d.%m.%Y}" if act is not None else None
