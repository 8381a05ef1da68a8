"""Retention periods (the school's номенклатура дел) and what may be destroyed.

Orders on core activity, the Положение and the other programme documents are kept
``retention_years`` (5) from 1 January of the year after the document's; consents and contracts
of participants ``retention_consent_years`` (3) from 1 January of the year after the
participant's programme ends. Destroying is an act (:mod:`service.archive.destruction`), never
a silent delete.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.config import Settings
from service.register.models import ArchiveItem, Document, Pair, PairMentee

PARTICIPANT_KINDS = frozenset(
    {
        "consent_adult",
        "consent_guardian",
        "consent_dissemination",
        "mentor_consent",
        "contract_external",
    }
)
"""Kinds kept for a period after the participant's programme ends."""


def document_date(document: Document) -> date:
    """The date a document is known by: its registration date, else its last signature's,
    else the day it was made."""
    if document.reg_date:
        return document.reg_date
    if document.signatures:
        return max(s.signed_at for s in document.signatures).date()
    return document.created_at.date()


def programme_end(session: Session, document: Document) -> date | None:
    """The last day of the programmes of the person a participant's document is about."""
    kind, _, raw_id = document.subject_key.partition(":")
    if kind != "person" or not raw_id.isdigit():
        return None
    person_id = int(raw_id)
    as_mentor = session.scalars(select(Pair.end).where(Pair.mentor_id == person_id))
    as_mentee = session.scalars(
        select(Pair.end)
        .join(PairMentee, PairMentee.pair_id == Pair.id)
        .where(PairMentee.person_id == person_id)
    )
    ends = [*as_mentor, *as_mentee]
    return max(ends) if ends else None


def retain_until(session: Session, settings: Settings, document: Document) -> date:
    """The first day the document may be destroyed."""
    if document.kind in PARTICIPANT_KINDS:
        base = programme_end(session, document) or document_date(document)
        years = settings.retention_consent_years
    else:
        base = document_date(document)
        years = settings.retention_years
    return date(base.year + 1 + years, 1, 1)


def retention_text(document_kind: str, settings: Settings) -> str:
    """The period in words, for the act and the sheets."""
    if document_kind in PARTICIPANT_KINDS:
        return f"{settings.retention_consent_years} г. после окончания программы"
    return f"{settings.retention_years} лет"


def due_items(session: Session, today: date | None = None) -> list[ArchiveItem]:
    """Archived documents whose retention period is over and that are not destroyed yet."""
    today = today or date.today()
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
